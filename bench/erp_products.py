"""Benchmark: the ERP products list on a large shop (target: search ≤ 100 ms).

    .venv/bin/python bench/erp_products.py                       # 100,000 products, MariaDB
    .venv/bin/python bench/erp_products.py --products 10000
    .venv/bin/python bench/erp_products.py --db mysql://u:pw@127.0.0.1/bench --no-build

Without ``--db`` a throwaway MariaDB is started (tests/support/mariadb.py), filled with the
demo shop and removed afterwards. Each case runs ``--repeat`` times through
``app.erp.products.product_page`` (what the list calls on its worker: one transaction, the
page and the tax rules) and prints p50/p95 in milliseconds: the first page, a later keyset
page, a search by a word of the names, by an EAN13 (a product's and a combination's), by a
reference prefix, a rare word, and filters (category, out of stock); the same searches on
PrestaShop's tables without our search tables ("raw"), and "cold" searches, each right after a
product was saved as PrestaShop does, with the once-a-minute refresh due. First it times the
full build of the search tables (when they are not built yet) and the refresh with nothing
changed.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sqlalchemy import text  # noqa: E402

from app.erp.context import ErpContext  # noqa: E402
from app.erp.listing import ListQuery  # noqa: E402
from app.erp.products import _SEARCHED, product_page, search_ready  # noqa: E402
from connectors.prestashop import erp_products as ep  # noqa: E402
from connectors.prestashop.demo_shop import build_demo_shop  # noqa: E402
from connectors.prestashop.engine import make_engine  # noqa: E402
from connectors.prestashop.erp_product_search import refresh  # noqa: E402
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


def raw_cases(ctx: ErpContext, s: dict[str, str]) -> list[tuple[str, Callable[[], object]]]:
    """The same searches straight on PrestaShop's tables (what a user without CREATE gets)."""

    def page(typed: str) -> Callable[[], object]:
        def run() -> object:
            with ctx.engine.begin() as conn:
                found = ep.product_page(conn, ctx.shop, ep.ProductFilter(typed), None, PAGE + 1)
            return type("Result", (), {"rows": found[:PAGE]})()

        return run

    return [
        (f"raw: word {s['word']!r}", page(s["word"])),
        ("raw: product EAN13", page(s["ean"])),
        ("raw: combination EAN13", page(s["combo"])),
        ("raw: rare word 'zzzq'", page("zzzq")),
    ]


Cold = Callable[[], tuple[float, Any]]


def cold_cases(ctx: ErpContext, s: dict[str, str]) -> list[tuple[str, Cold]]:
    """A search when the refresh is due, right after PrestaShop saved a product."""

    def page(typed: str) -> Cold:
        def run() -> tuple[float, Any]:
            with ctx.engine.begin() as conn:
                conn.execute(text("UPDATE ps_product SET date_upd = NOW() WHERE id_product = 777"))
            _SEARCHED.clear()  # as a minute after the last refresh
            started = time.perf_counter()
            result = product_page(ctx, ListQuery(typed), None, PAGE)
            return started, result

        return run

    return [
        ("cold: product EAN13", page(s["ean"])),
        (f"cold: word {s['word']!r}", page(s["word"])),
    ]


def search_build(ctx: ErpContext) -> None:
    started = time.perf_counter()
    assert search_ready(ctx)
    print(f"search tables, first full build: {time.perf_counter() - started:.1f} s")
    with ctx.engine.connect() as conn:
        for name in ("search", "word"):
            count = conn.execute(text(f"SELECT COUNT(*) FROM ps_mostrador_product_{name}"))
            print(f"  ps_mostrador_product_{name}: {count.scalar():,} rows")
    timings = []
    for _ in range(10):
        began = time.perf_counter()
        refresh(ctx.engine, ctx.shop)
        timings.append((time.perf_counter() - began) * 1000)
    print(f"refresh, nothing changed: p50 {statistics.median(timings):.1f} ms, "
          f"max {max(timings):.1f} ms")  # fmt: skip


def measure(ctx: ErpContext, repeat: int) -> None:
    print("load average %.2f %.2f %.2f" % os.getloadavg())
    search_build(ctx)
    print(f"\n{'case':<34} {'rows':>5} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    s = samples(ctx)
    for name, run in [*cases(ctx, s), *raw_cases(ctx, s)]:
        run()  # warm
        timings = []
        for _ in range(repeat):
            started = time.perf_counter()
            result = run()
            timings.append((time.perf_counter() - started) * 1000)
        _line(name, len(getattr(result, "rows", ())), timings)
    for name, cold in cold_cases(ctx, s):
        timings = []
        for _ in range(repeat):
            began, answer = cold()
            timings.append((time.perf_counter() - began) * 1000)
        _line(name, len(answer.rows), timings)
    print("load average %.2f %.2f %.2f" % os.getloadavg())


def _line(name: str, rows: int, timings: list[float]) -> None:
    timings.sort()
    p95 = timings[min(len(timings) - 1, int(len(timings) * 0.95))]
    print(f"{name:<34} {rows:>5} {statistics.median(timings):>8.1f} {p95:>8.1f} "
          f"{timings[-1]:>8.1f}", flush=True)  # fmt: skip


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
