"""Benchmark: the catalog pull of a large shop through a slow network (see bench/README.md).

    .venv/bin/python bench/catalog_pull.py                      # 100,000 products, +30 ms
    .venv/bin/python bench/catalog_pull.py --products 10000 --delay-ms 50
    .venv/bin/python bench/catalog_pull.py --db mysql://u:pw@127.0.0.1/bench --no-build

Without ``--db`` a throwaway MariaDB is started (tests/support/mariadb.py), filled with the
demo shop and removed afterwards. A ``LatencyProxy`` adds ``--delay-ms`` each way between
the pull and the server. Cases: the first full load into an empty till store, incremental
pulls with nothing changed, with one product price changed, with one stock quantity changed.
Targets: full load ≤ 60 s, no-change incremental ≤ 1 s (100,000 products, 30 ms each way).
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sqlalchemy import Engine, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from app.sync.catalog_pull import PullResult, pull_catalog  # noqa: E402
from app.till.store import TillStore, open_store  # noqa: E402
from bench.latency_proxy import LatencyProxy  # noqa: E402
from connectors.prestashop.demo_shop import build_demo_shop  # noqa: E402
from connectors.prestashop.engine import make_engine  # noqa: E402
from connectors.prestashop.shop import ShopInfo, open_shop  # noqa: E402
from tests.support.mariadb import start_mariadb  # noqa: E402


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--db", help="MariaDB/MySQL URL (default: a throwaway MariaDB)")
    parser.add_argument("--no-build", action="store_true", help="--db already holds a shop")
    parser.add_argument("--products", type=int, default=100_000)
    parser.add_argument("--version", default="8.0", help="PrestaShop schema version")
    parser.add_argument("--delay-ms", type=float, default=30.0, help="added each way")
    parser.add_argument("--repeat", type=int, default=5, help="no-change pulls measured")
    parser.add_argument("--buffer-pool-mb", type=int, default=1024, help="throwaway MariaDB")
    return parser.parse_args(argv)


@contextmanager
def database(args: argparse.Namespace) -> Iterator[str]:
    if args.db:
        yield args.db
        return
    base = Path(tempfile.mkdtemp(prefix="mostrador-bench-pull-"))
    server = start_mariadb(base, buffer_pool_mb=args.buffer_pool_mb)
    try:
        yield server.url(server.create_database("bench"))
    finally:
        server.stop()
        shutil.rmtree(base, ignore_errors=True)


def build(url: str, args: argparse.Namespace) -> None:
    engine = make_engine(url)
    try:
        started = time.perf_counter()
        report = build_demo_shop(engine, version=args.version, products=args.products)
        print(
            f"demo shop: {report.products:,} products, {report.combinations:,} combinations, "
            f"{report.customers:,} customers, built in {time.perf_counter() - started:.0f} s",
            file=sys.stderr,
        )
    finally:
        engine.dispose()


def change(direct: Engine, sql: str) -> None:
    with direct.begin() as conn:
        conn.execute(text(sql), {"now": dt.datetime.now().replace(microsecond=0)})


def measure(engine: Engine, direct: Engine, shop: ShopInfo, store: TillStore, repeat: int) -> None:
    results: list[tuple[str, PullResult]] = [("full load", pull_catalog(engine, shop, store))]
    quiet = [pull_catalog(engine, shop, store) for _ in range(repeat)]
    median = statistics.median(r.seconds for r in quiet)
    results += [
        (f"no change (median of {repeat})", min(quiet, key=lambda r: abs(r.seconds - median)))
    ]
    results += [("no change (slowest)", max(quiet, key=lambda r: r.seconds))]
    change(
        direct,
        "UPDATE ps_product_shop SET price = price + 1, date_upd = :now WHERE id_product = 4242",
    )
    results.append(("1 product price changed", pull_catalog(engine, shop, store)))
    change(direct, "UPDATE ps_stock_available SET quantity = quantity + 3 WHERE id_product = 777")
    results.append(("1 product's stock changed", pull_catalog(engine, shop, store)))
    print_table(results)


def print_table(results: list[tuple[str, PullResult]]) -> None:
    print(f"\n{'case':<32} {'seconds':>8} {'round trips':>12} {'rows written':>13}")
    for name, result in results:
        print(
            f"{name:<32} {result.seconds:>8.2f} {result.round_trips:>12} {result.rows_written:>13,}"
        )


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    with database(args) as url:
        if not args.no_build:
            build(url, args)
        real = make_url(url)
        proxy = LatencyProxy(real.host or "127.0.0.1", real.port or 3306, args.delay_ms).start()
        engine = make_engine(real.set(port=proxy.port))
        direct = make_engine(url)
        folder = Path(tempfile.mkdtemp(prefix="mostrador-bench-till-"))
        try:
            shop = open_shop(engine, "ps_", 1, "es")
            print(f"PrestaShop {shop.version.raw}, +{args.delay_ms:g} ms each way", file=sys.stderr)
            with open_store("B1", folder / "till-B1.sqlite3") as store:
                measure(engine, direct, shop, store, args.repeat)
        finally:
            engine.dispose()
            direct.dispose()
            proxy.stop()
            shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
