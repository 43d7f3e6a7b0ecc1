"""Benchmark: a local sale, from scanning 3 products to the ticket committed in the till store.

    .venv/bin/python bench/sale_commit.py                      # 100,000 products, 50,000 tickets
    .venv/bin/python bench/sale_commit.py --products 1000 --tickets 1000 --sales 50

A fresh till store (a temporary file, or ``--store PATH`` which must not exist) is filled with
bulk inserts: a catalog of ``--products`` products (VAT 21 % and 10 %, a specific price on every
tenth product) and ``--tickets`` recorded sales of 3 lines in the current year's series, in the
open cash session. Then ``--sales`` sales are timed, each: 3 barcode lookups, a cart of 3 lines
(pricing inputs read from the store), card + cash payment, ``checkout`` (one ``BEGIN IMMEDIATE``
transaction with ``synchronous=FULL``). Prints p50/p95/max of the whole sale and of the
``checkout`` call alone.
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from datetime import datetime
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from app.sale.cart import Cart  # noqa: E402
from app.sale.checkout import checkout  # noqa: E402
from app.sale.payment_methods import PaymentPlan  # noqa: E402
from app.sale.price_inputs import StoreSource, find_employee  # noqa: E402
from app.till.cash_drawer import open_cash_session  # noqa: E402
from app.till.catalog import find_by_barcode  # noqa: E402
from app.till.store import TillStore, open_store  # noqa: E402

STAMP = "%Y-%m-%d %H:%M:%S.%f"


def ean(id_product: int) -> str:
    return f"84{id_product:011d}"


def fill_catalog(db: sqlite3.Connection, products: int) -> None:
    db.executemany(
        "INSERT INTO catalog_taxes VALUES (?, ?, ?, 1)",
        [(1, "IVA ES 21%", 21_000_000), (2, "IVA ES 10%", 10_000_000)],
    )
    db.executemany(
        "INSERT INTO catalog_tax_rules_groups VALUES (?, ?, 1, 0)", [(1, "ES 21"), (2, "ES 10")]
    )
    db.executemany(
        "INSERT INTO catalog_tax_rules VALUES (?, ?, 6, 0, '', '', ?, 0)", [(1, 1, 1), (2, 2, 2)]
    )
    db.executemany(
        "INSERT INTO catalog_groups VALUES (?, ?, 0, 0)",
        [(1, "Visitante"), (2, "Invitado"), (3, "Cliente")],
    )
    db.execute(
        "INSERT INTO catalog_customers (id_customer, email, firstname, lastname, "
        "id_default_group) VALUES (1, 'mostrador@example.com', 'Cliente', 'Mostrador', 3)"
    )
    db.execute(
        "INSERT INTO catalog_employees (id_employee, firstname, lastname, id_profile) "
        "VALUES (1, 'Marta', 'Jefa', 1)"
    )
    db.execute("INSERT INTO catalog_sync_state VALUES ('till.walk_in_customer', '1')")
    db.executemany(
        "INSERT INTO catalog_products (id_product, reference, ean13, name, price, "
        "wholesale_price, id_tax_rules_group, id_category_default) VALUES (?, ?, ?, ?, ?, ?, ?, 2)",
        (
            (
                p,
                f"REF-{p}",
                ean(p),
                f"Producto de prueba {p}",
                1_000_000 + p * 37 % 90_000_000,
                500_000,
                1 if p % 5 else 2,
            )
            for p in range(1, products + 1)
        ),
    )
    db.executemany(
        "INSERT INTO catalog_specific_prices (id_specific_price, id_product, from_quantity, "
        "reduction, reduction_type) VALUES (?, ?, 2, 100000, 'percentage')",
        ((p, p) for p in range(10, products + 1, 10)),
    )  # fmt: skip


def fill_tickets(db: sqlite3.Connection, tickets: int, session_id: str, products: int) -> None:
    now = datetime.now()
    stamp, year = now.strftime(STAMP), now.year
    rng = random.Random(1)
    for seq in range(1, tickets + 1):
        db.execute(
            "INSERT INTO ticket_series VALUES ('T1', ?, 1) ON CONFLICT DO UPDATE "
            "SET last_number = last_number + 1",
            (year,),
        )
        ticket_id = db.execute(
            "INSERT INTO tickets (uuid, number, series, year, seq, kind, till, created_at, "
            "recorded_at, id_shop, id_currency, id_lang, id_employee, employee_name, id_customer, "
            "customer_email, customer_firstname, customer_lastname, customer_group, "
            "customer_walk_in, total_tax_excl, total_tax_incl, round_mode, round_type, "
            "currency_precision, cash_session_id, line_count, payment_count) VALUES (?, ?, 'T1', "
            "?, ?, 'sale', 'T1', ?, ?, 1, 1, 1, 1, 'Marta Jefa', 1, '', '', '', 3, 1, 3000, 3630, "
            "2, 2, 2, ?, 3, 1)",
            (str(uuid.uuid4()), f"T1-{year}-{seq:06d}", year, seq, stamp, stamp, session_id),
        ).lastrowid
        for line_no in (1, 2, 3):
            p = rng.randint(1, products)
            line_id = db.execute(
                "INSERT INTO ticket_lines (ticket_id, line_no, id_product, id_product_attribute, "
                "name, reference, ean13, quantity, original_unit_price_tax_excl, "
                "unit_price_tax_excl, unit_price_tax_incl, total_tax_excl, total_tax_incl, "
                "tax_count) VALUES (?, ?, ?, 0, ?, ?, ?, 1, 10000000, 10000000, 12100000, "
                "10000000, 12100000, 1)",
                (ticket_id, line_no, p, f"Producto {p}", f"REF-{p}", ean(p)),
            ).lastrowid
            db.execute(
                "INSERT INTO line_taxes (line_id, position, id_tax, name, rate, "
                "unit_amount, total_amount) VALUES (?, 1, 1, 'IVA ES 21%', 21000000, "
                "2100000, 2100000)",
                (line_id,),
            )
        db.execute(
            "INSERT INTO payments (ticket_id, position, method, label, tender, amount) "
            "VALUES (?, 1, 'card', 'Tarjeta', 'card', 3630)",
            (ticket_id,),
        )
        db.execute("INSERT INTO outbox (ticket_id, uuid, kind, status, created_at, updated_at) "
                   "SELECT id, uuid, 'sale', 'pushed', ?, ? FROM tickets WHERE id = ?",
                   (stamp, stamp, ticket_id))  # fmt: skip


def build(path: Path, products: int, tickets: int) -> float:
    start = time.perf_counter()
    with open_store("T1", path) as store:
        cash = open_cash_session(store, Decimal("100.00"), 1)
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA synchronous = OFF")
    db.execute("BEGIN")
    fill_catalog(db, products)
    fill_tickets(db, tickets, cash.id, products)
    db.execute("COMMIT")
    db.close()
    return time.perf_counter() - start


def one_sale(store: TillStore, source: StoreSource, rng: random.Random, products: int) -> float:
    """Scan 3 products, pay card + cash, check out; returns the seconds ``checkout`` took."""
    cart = Cart(source)
    for _ in range(3):
        [item] = find_by_barcode(store, ean(rng.randint(1, products)))
        cart.add(item, rng.randint(1, 3))
    total = cart.totals.total_tax_incl
    plan = PaymentPlan(total)
    plan.add("card", Decimal("1.00"))
    plan.add("cash", (total + 20).quantize(Decimal("1")))
    employee = find_employee(store, 1)
    start = time.perf_counter()
    checkout(store, cart, plan, employee)
    return time.perf_counter() - start


def report(name: str, seconds: list[float]) -> None:
    ms = sorted(s * 1000 for s in seconds)
    p95 = ms[max(0, int(len(ms) * 0.95) - 1)]
    print(f"{name:<28} p50 {statistics.median(ms):7.2f} ms   p95 {p95:7.2f} ms   "
          f"max {ms[-1]:7.2f} ms   ({len(ms)} sales)")  # fmt: skip


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--products", type=int, default=100_000)
    parser.add_argument("--tickets", type=int, default=50_000)
    parser.add_argument("--sales", type=int, default=300)
    parser.add_argument("--store", type=Path, help="till store to create (default: a temp file)")
    args = parser.parse_args(argv)
    folder = tempfile.TemporaryDirectory(prefix="mostrador-bench-")
    path = args.store or Path(folder.name) / "till-T1.sqlite3"
    seconds = build(path, args.products, args.tickets)
    print(f"store built in {seconds:.1f} s: {args.products:,} products, {args.tickets:,} tickets"
          f" ({path.stat().st_size / 1e6:.0f} MB)")  # fmt: skip
    rng = random.Random(7)
    whole: list[float] = []
    commits: list[float] = []
    with open_store("T1", path) as store:
        source = StoreSource(store)
        for _ in range(args.sales):
            start = time.perf_counter()
            commits.append(one_sale(store, source, rng, args.products))
            whole.append(time.perf_counter() - start)
    report("scan 3 + cart + checkout", whole)
    report("checkout (commit) alone", commits)
    folder.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
