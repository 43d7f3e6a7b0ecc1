"""Benchmark: the ERP products list on a large shop (target: search ≤ 100 ms).

    .venv/bin/python bench/erp_products.py                       # 100,000 products, MariaDB
    .venv/bin/python bench/erp_products.py --products 10000
    .venv/bin/python bench/erp_products.py --db mysql://u:pw@127.0.0.1/bench --no-build

Without ``--db`` a throwaway MariaDB is started (tests/support/mariadb.py), filled with the
demo shop and removed afterwards. Each case runs ``--repeat`` times through
``app.erp.products.product_page`` (what the list calls on its worker: one transaction, the
page and the tax rules) and prints p50/p95 in milliseconds: the first page, a later keyset
page, a search by a word of the names, by an EAN13 (a product's and a combination's), by a
reference prefix, a rare word, and filters (category, out of stock).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sqlalchemy import text  # noqa: E402

from app.erp.context import ErpContext  # noqa: E402
from app.erp.listing import ListQuery  # noqa: E402
from app.erp.products import product_page  # noqa: E402
from connectors.prestashop.demo_shop import build_demo_shop  # noqa: E402
from connectors.prestashop.engine import make_engine  # noqa: E402
from connectors.prestashop.shop import open_shop  # noqa: E402
from tests.support.mariadb import start_mariadb  # noqa: E402

PAGE = 100


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--db", help="MariaDB/MySQL URL (default: a throwaway MariaDB)")
    parser.add_argument("--no-build", action="store_true", help="--db already holds a shop")
    parser.add_argument("--products", type=int, default=100_000)
    parser.add_argument("--version", default="8.0", help="PrestaShop schema version")
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--buffer-pool-mb", type=int, default=1024, help="throwaway MariaDB")
    return parser.parse_args(argv)


@contextmanager
def database(args: argparse.Namespace) -> Iterator[str]:
    if args.db:
        yield args.db
        return
    base = Path(tempfile.mkdtemp(prefix="mostrador-bench-erp-"))
    server = start_mariadb(base, buffer_pool_mb=args.buffer_pool_mb)
    try:
        yield server.url(server.create_database("bench"))
    finally:
        server.stop()
        shutil.rmtree(base, ignore_errors=True)


def samples(ctx: ErpContext) -> dict[str, str]:
    """A name word, codes and a reference from the middle of the catalog."""
    with ctx.engine.connect() as conn:
        middle = conn.execute(text("SELECT MAX(id_product) DIV 2 FROM ps_product")).scalar()
        name, ean, ref = conn.execute(
            text("SELECT pl.name, p.ean13, p.reference FROM ps_product p JOIN ps_product_lang pl "
                 "ON pl.id_product = p.id_product AND pl.id_lang = 1 WHERE p.id_product = :i"),
            {"i": middle},
        ).one()  # fmt: skip
        combo = conn.execute(
            text(
                "SELECT ean13 FROM ps_product_attribute ORDER BY id_product_attribute DESC LIMIT 1"
            )  # fmt: skip
        ).scalar()
    return {"word": max(name.split(), key=len), "ean": ean, "combo": combo or ean, "ref": ref}


def cases(ctx: ErpContext, s: dict[str, str]) -> list[tuple[str, Callable[[], object]]]:
    def page(q: ListQuery, after: tuple[int] | None = None) -> Callable[[], object]:
        return lambda: product_page(ctx, q, after, PAGE)

    return [
        ("first page", page(ListQuery())),
        ("page after id 50,000", page(ListQuery(), (50_000,))),
        (f"search word {s['word']!r}", page(ListQuery(s["word"]))),
        ("search product EAN13", page(ListQuery(s["ean"]))),
        ("search combination EAN13", page(ListQuery(s["combo"]))),
        ("search reference prefix", page(ListQuery(s["ref"][:7]))),
        ("search rare word 'zzzq'", page(ListQuery("zzzq"))),
        ("filter category 5", page(ListQuery(filters={"id_category": 5}))),
        ("filter out of stock", page(ListQuery(filters={"stock": "out"}))),
    ]


def measure(ctx: ErpContext, repeat: int) -> None:
    print(f"\n{'case':<34} {'rows':>5} {'p50 ms':>8} {'p95 ms':>8}")
    for name, run in cases(ctx, samples(ctx)):
        run()  # warm
        timings = []
        for _ in range(repeat):
            started = time.perf_counter()
            result = run()
            timings.append((time.perf_counter() - started) * 1000)
        timings.sort()
        p95 = timings[min(len(timings) - 1, int(len(timings) * 0.95))]
        rows = len(getattr(result, "rows", ()))
        print(f"{name:<34} {rows:>5} {statistics.median(timings):>8.1f} {p95:>8.1f}")


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    with database(args) as url:
        engine = make_engine(url)
        try:
            if not args.no_build:
                started = time.perf_counter()
                report = build_demo_shop(engine, version=args.version, products=args.products)
                print(f"demo shop: {report.products:,} products, {report.combinations:,} "
                      f"combinations, built in {time.perf_counter() - started:.0f} s",
                      file=sys.stderr)  # fmt: skip
            ctx = ErpContext(engine, open_shop(engine, "ps_", 1, "es"))
            measure(ctx, args.repeat)
        finally:
            engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
