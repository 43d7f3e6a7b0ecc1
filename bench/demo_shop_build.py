"""Benchmark: how fast ``build_demo_shop`` fills a database (see bench/README.md).

    .venv/bin/python bench/demo_shop_build.py --products 100000 --orders 10000
    .venv/bin/python bench/demo_shop_build.py --db sqlite:////tmp/demo.sqlite3 --products 100000

Without ``--db`` a throwaway MariaDB server is started (tests/support/mariadb.py) and removed
afterwards. With ``--db`` the database must be empty (or hold an empty PrestaShop schema).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from connectors.prestashop.demo_shop import DemoShopReport, build_demo_shop  # noqa: E402
from connectors.prestashop.engine import make_engine  # noqa: E402
from tests.support.mariadb import start_mariadb  # noqa: E402

PHASE_TABLES = {
    "install": "shop, lang, currency, geography, taxes, groups, states, staff, config",
    "catalog": "product(+_shop/_lang), combinations, stock, category_product, specific_price",
    "customers": "customer, customer_group, address",
    "suppliers": "supplier(+_lang/_shop), address, product_supplier",
    "orders": "cart(+_product), orders, order_detail(+_tax), history, payment, invoice, stock",
}


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--db", help="database URL (default: a throwaway MariaDB)")
    parser.add_argument("--products", type=int, default=10_000)
    parser.add_argument("--orders", type=int, default=0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--version", default="8.2", help="PrestaShop schema version")
    parser.add_argument("--prefix", default="ps_")
    parser.add_argument("--buffer-pool-mb", type=int, default=1024, help="throwaway MariaDB")
    return parser.parse_args(argv)


@contextmanager
def database(args: argparse.Namespace) -> Iterator[str]:
    """The URL given, or one of a throwaway MariaDB server started for this run."""
    if args.db:
        yield args.db
        return
    base = Path(tempfile.mkdtemp(prefix="mostrador-bench-"))
    server = start_mariadb(base, buffer_pool_mb=args.buffer_pool_mb)
    try:
        yield server.url(server.create_database("bench"))
    finally:
        server.stop()
        shutil.rmtree(base, ignore_errors=True)


def print_report(report: DemoShopReport, backend: str) -> None:
    print(
        f"\n{backend}: PrestaShop {report.version}, {report.products:,} products "
        f"({report.combinations:,} combinations), {report.customers:,} customers, "
        f"{report.orders:,} orders, {sum(report.rows.values()):,} rows in "
        f"{report.elapsed:.1f} s\n"
    )
    print(f"{'phase':<10} {'rows':>10} {'seconds':>9} {'rows/s':>9}  tables")
    for name, phase in report.phases.items():
        rate = phase.rows / phase.seconds if phase.seconds and phase.rows else 0
        tables = PHASE_TABLES.get(name, "CREATE TABLE × all tables")
        print(f"{name:<10} {phase.rows:>10,} {phase.seconds:>9.2f} {rate:>9,.0f}  {tables}")


def progress(phase: str, done: int, total: int) -> None:
    print(f"\r{phase}: {done:,}/{total:,}", end="", file=sys.stderr, flush=True)


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    with database(args) as url:
        engine = make_engine(url)
        try:
            started = time.perf_counter()
            report = build_demo_shop(
                engine,
                version=args.version,
                prefix=args.prefix,
                products=args.products,
                orders=args.orders,
                seed=args.seed,
                progress=progress,
            )
            print(f"\ntotal wall time {time.perf_counter() - started:.1f} s", file=sys.stderr)
        finally:
            engine.dispose()
        print_report(report, engine.dialect.name)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
