"""Benchmark of the till store on a realistic size.

Builds (once per ``--path``) a store with ``--tickets`` recorded sales (in cash sessions of
500 tickets) and a catalog of ``--products`` products with ``--per-product`` combinations each,
then measures on it:

* ``record_sale`` (3 lines, card + cash with change), ``synchronous=FULL`` as in production;
* ``find_by_barcode`` on product EAN13s, combination EAN13s, UPCs and unknown codes;
* ``search`` with 1 to 3 word prefixes, accents dropped (``--limit`` results);
* the Z report of a 500-ticket session.

Filling uses ``synchronous=OFF`` to save time (it is not measured); measurements reopen the
store with the production settings. Run::

    .venv/bin/python -m bench.till_store --path /tmp/bench-till.sqlite3

An existing store is reused as it is (nothing refilled). ``--lookups-only --rounds 5``
measures barcode lookups and searches alone, five times, then prints the median of each
figure over the rounds; ``cpu_ms`` is the mean CPU time of a call (``time.process_time``),
steadier than wall-clock times on a busy machine.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections.abc import Callable, Iterator, Sequence
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import Any

from sqlalchemy import event

from app.till.cash_drawer import close_cash_session, current_cash_session, open_cash_session
from app.till.catalog import find_by_barcode, search, upsert
from app.till.models_catalog import CatalogCombination, CatalogProduct, CatalogStock
from app.till.samples import Item, card, cash, sample_ticket
from app.till.store import TillStore, open_store
from app.till.tickets import record_sale
from app.till.z_report import z_report

NOUNS = (
    "Camisón Camiseta Camisa Pantalón Pañuelo Zapatilla Jersey Bolso Cinturón Calcetín "
    "Abrigo Chaqueta Falda Vestido Bufanda Gorro Guante Sandalia Bota Mochila Cartera "
    "Albornoz Pijama Sudadera Chaleco Corbata Blusa Bañador Toalla Sábana"
).split()
ADJECTIVES = (
    "básico algodón lino lana cuero seda vaquero térmico clásico deportivo infantil "
    "estampado liso rayado acolchado impermeable orgánico reciclado elástico"
).split()
COLOURS = "Rojo Azul Verde Negro Blanco Gris Marrón Beige Rosa Amarillo Añil Naranja".split()
SIZES = "XS S M L XL XXL".split()
SESSION_SIZE = 500
QUERIES = (
    "camison", "cam", "ca", "pantalon lino", "zap dep roj", "bolso cuero negro", "abrigo",
    "REF0123", "8400001", "sudadera reciclado xl", "añil", "guante 42",
)  # fmt: skip


def ean13(n: int, prefix: str = "84") -> str:
    body = f"{prefix}{n:010d}"[:12]
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(body))
    return body + str((10 - total % 10) % 10)


def _product(n: int, rng: random.Random) -> dict[str, Any]:
    name = f"{rng.choice(NOUNS)} {rng.choice(ADJECTIVES)} {rng.choice(ADJECTIVES)} {n}"
    return {
        "id_product": n,
        "name": name,
        "reference": f"REF{n:06d}",
        "ean13": ean13(n),
        "upc": f"{n:012d}" if n % 10 == 0 else "",
        "price": Decimal(rng.randint(100, 99999)).scaleb(-2),
        "id_tax_rules_group": 1,
        "has_combinations": True,
    }


def _combinations(n: int, per_product: int, rng: random.Random) -> Iterator[dict[str, Any]]:
    for k in range(per_product):
        pa = n * per_product + k
        yield {
            "id_product_attribute": pa,
            "id_product": n,
            "attributes": f"Talla: {rng.choice(SIZES)}, Color: {rng.choice(COLOURS)}",
            "reference": f"REF{n:06d}-{k}",
            "ean13": ean13(pa, "20"),
            "price_impact": Decimal(rng.randint(0, 500)).scaleb(-2),
        }


def fill_catalog(store: TillStore, products: int, per_product: int) -> float:
    rng = random.Random(7)
    start = time.perf_counter()
    batch = 10_000
    for first in range(1, products + 1, batch):
        ids = range(first, min(first + batch, products + 1))
        rows = [_product(n, rng) for n in ids]
        combos = [c for n in ids for c in _combinations(n, per_product, rng)]
        stock = [
            {"id_product": c["id_product"], "id_product_attribute": c["id_product_attribute"],
             "quantity": rng.randint(0, 50)}
            for c in combos
        ]  # fmt: skip
        with store.write() as session:
            upsert(session, CatalogProduct, rows)
            upsert(session, CatalogCombination, combos)
            upsert(session, CatalogStock, stock)
    return time.perf_counter() - start


def _draft(till: str, rng: random.Random) -> Any:
    items = [Item(rng.randint(1, 1000), rng.randint(1, 3), Decimal("12.95")) for _ in range(3)]
    total = sum((Decimal("12.95") * i.quantity for i in items), Decimal("0.00"))
    return sample_ticket(till, items, [card(Decimal("10.00")), cash(total - 10, Decimal(200))])


def fill_tickets(store: TillStore, count: int) -> float:
    rng = random.Random(11)
    start = time.perf_counter()
    for n in range(count):
        if n % SESSION_SIZE == 0:
            if current_cash_session(store) is not None:
                close_cash_session(store, Decimal("0"), 1)
            open_cash_session(store, Decimal("100.00"), 1)
        record_sale(store, _draft(store.till, rng))
    return time.perf_counter() - start


def timed(runs: Sequence[Callable[[], object]]) -> dict[str, float]:
    """Wall-clock p50/p95/max (ms), and the mean CPU time of a call (less noisy)."""
    times, cpu = [], 0.0
    for run in runs:
        start, start_cpu = time.perf_counter(), time.process_time()
        run()
        cpu += time.process_time() - start_cpu
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    stats = {
        "p50_ms": statistics.median(times),
        "p95_ms": times[int(len(times) * 0.95) - 1],
        "max_ms": times[-1],
        "cpu_ms": cpu * 1000 / len(times),
    }
    return {"n": len(times)} | {key: round(value, 2) for key, value in stats.items()}


def _unsafe_fast_writes(store: TillStore) -> None:
    store.engine.dispose()

    @event.listens_for(store.engine, "connect")
    def _fast(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.execute("PRAGMA synchronous = OFF")


def build(path: Path, args: argparse.Namespace) -> None:
    store = open_store("B1", path)
    _unsafe_fast_writes(store)
    with store.read() as session:
        have = session.connection().exec_driver_sql("SELECT count(*) FROM tickets").scalar()
    if not have:
        print(f"catalog: {fill_catalog(store, args.products, args.per_product):.1f} s")
        print(f"tickets: {fill_tickets(store, args.tickets):.1f} s")
    store.close()


def measure(path: Path, args: argparse.Namespace) -> None:
    rng = random.Random(3)
    store = open_store("B1", path)
    if not args.lookups_only:
        if current_cash_session(store) is None:
            open_cash_session(store, Decimal("100.00"), 1)
        sales = [partial(record_sale, store, _draft("B1", rng)) for _ in range(args.sales)]
        print("record_sale", timed(sales))
    rounds = []
    for number in range(1, args.rounds + 1):
        print(f"-- lookups, round {number} of {args.rounds}")
        rounds.append(measure_lookups(store, args, rng))
    if args.rounds > 1:
        _print_medians(rounds)
    if not args.lookups_only:
        session_id = _a_closed_session(store)
        print("z_report (500 tickets)", timed([partial(z_report, store, session_id)] * 20))
    store.close()


def measure_lookups(
    store: TillStore, args: argparse.Namespace, rng: random.Random
) -> dict[str, dict[str, float]]:
    products, combos = args.products, args.products * args.per_product
    codes = {
        "product ean13": [ean13(rng.randint(1, products)) for _ in range(args.lookups)],
        "combination ean13": [ean13(rng.randint(args.per_product, combos), "20")
                              for _ in range(args.lookups)],
        "upc": [f"{rng.randint(1, products // 10) * 10:012d}" for _ in range(args.lookups)],
        "unknown": [ean13(rng.randint(1, 10**9), "99") for _ in range(args.lookups)],
    }  # fmt: skip
    found = {}
    for label, values in codes.items():
        runs = [partial(find_by_barcode, store, code) for code in values]
        found[f"find_by_barcode {label}"] = timed(runs)
    for query in QUERIES:
        runs = [partial(search, store, query, args.limit)] * 20
        found[f"search {query!r}"] = timed(runs)
    every = [partial(search, store, q, args.limit) for q in QUERIES for _ in range(20)]
    found["search all queries"] = timed(every)
    typed = [q[:n] for q in QUERIES for n in range(2, len(q) + 1)]  # as the cashier types
    found["search as typed"] = timed([partial(search, store, q, args.limit) for q in typed])
    for label, stats in found.items():
        print(label, stats)
    return found


def _print_medians(rounds: list[dict[str, dict[str, float]]]) -> None:
    print(f"-- medians over {len(rounds)} rounds")
    for label in rounds[0]:
        medians = {
            key: round(statistics.median(found[label][key] for found in rounds), 2)
            for key in ("p50_ms", "p95_ms", "cpu_ms")
        }
        print(label, medians)


def _a_closed_session(store: TillStore) -> str:
    with store.read() as session:
        return str(
            session.connection()
            .exec_driver_sql("SELECT id FROM cash_sessions WHERE state = 'closed' LIMIT 1")
            .scalar()
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--path", type=Path, default=Path("/tmp/bench-till.sqlite3"))
    parser.add_argument("--tickets", type=int, default=50_000)
    parser.add_argument("--products", type=int, default=100_000)
    parser.add_argument("--per-product", type=int, default=3)
    parser.add_argument("--sales", type=int, default=300)
    parser.add_argument("--lookups", type=int, default=500)
    parser.add_argument("--limit", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=1, help="repeat the lookups, medians")
    parser.add_argument(
        "--lookups-only", action="store_true", help="skip record_sale and the Z report"
    )
    args = parser.parse_args()
    build(args.path, args)
    size = sum(p.stat().st_size for p in args.path.parent.glob(args.path.name + "*"))
    print(f"store size: {size / 1e6:.0f} MB")
    measure(args.path, args)


if __name__ == "__main__":
    main()
