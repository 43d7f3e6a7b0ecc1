"""The demo shop: a database shaped and filled like a real Spanish PrestaShop shop.

``build_demo_shop(engine, version=…, products=…, orders=…, seed=…)`` creates every PrestaShop
table of that schema version (``ddl.create_schema``: only ever on a demo or test database) and
fills it: shop, languages es (default) + en, EUR, countries (Spain = 6), Spanish VAT 21/10/4 %,
customer groups, order states 1–13, stock movement reasons of that version, the "Click and
collect" carrier, employees, configuration (PS_VERSION_DB …), categories, products with
sizes/colours and EAN13 codes, stock, a few specific prices, customers, six wholesale suppliers
with a supplier reference and price for every product and combination (demo_suppliers) and,
with ``orders``, a year of order history. The same seed (and ``today``) gives identical rows.

Demo logins (bcrypt ``$2y$10$`` hashes, as PrestaShop stores them):

* employees: ``admin@demo.test`` / ``admin1234`` (SuperAdmin), cashiers
  ``caja1@demo.test`` and ``caja2@demo.test`` / ``caja1234`` (profile "Cajero");
* customers: every ``…@example.com`` customer / ``cliente1234``; customer 1 is the walk-in
  customer "Cliente de mostrador" (``mostrador@example.com``).

Rows are written with Core ``insert()`` executemany in batches (no ORM, no per-row SELECT),
one transaction per batch: 100,000 products build in a few minutes on MariaDB (bench/).
"""

from __future__ import annotations

import datetime
import random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TypeVar

from sqlalchemy import Engine

from connectors.prestashop import ddl
from connectors.prestashop.demo_base import DEMO_EMPLOYEES, add_install_data
from connectors.prestashop.demo_catalog import (
    Catalog,
    add_attributes,
    add_categories,
    add_products,
    add_specific_prices,
)
from connectors.prestashop.demo_config import add_configuration
from connectors.prestashop.demo_orders import add_orders, update_stock
from connectors.prestashop.demo_people import Customer, add_customers
from connectors.prestashop.demo_suppliers import add_product_suppliers, add_suppliers
from connectors.prestashop.demo_util import Context, Sink

Progress = Callable[[str, int, int], None]
T = TypeVar("T")
PRODUCT_BATCH = 2000
DEFAULT_VERSION = "8.2"


@dataclass(frozen=True)
class PhaseTiming:
    """Rows written by one phase of the build and the seconds it took."""

    rows: int
    seconds: float


@dataclass(frozen=True)
class DemoShopReport:
    """What ``build_demo_shop`` made."""

    version: str
    prefix: str
    seed: int
    products: int
    combinations: int
    customers: int  # registered customers, without the walk-in customer
    employees: int
    orders: int
    specific_prices: int
    suppliers: int
    rows: Mapping[str, int]  # rows written per table (name without prefix)
    phases: Mapping[str, PhaseTiming]  # schema, install, catalog, customers, suppliers, orders
    elapsed: float  # seconds


def default_customers(products: int) -> int:
    return max(10, min(products // 10, 5000))


def build_demo_shop(
    engine: Engine,
    *,
    version: str = DEFAULT_VERSION,
    prefix: str = ddl.DEFAULT_PREFIX,
    products: int = 300,
    orders: int = 0,
    seed: int = 1,
    customers: int | None = None,
    today: datetime.date | None = None,
    progress: Progress | None = None,
) -> DemoShopReport:
    """Create the PrestaShop schema of ``version`` on ``engine`` and fill it with a demo shop.

    ``today`` anchors every date (orders over the 365 days before it); by default the
    current date. Raises ``ValueError`` for an unknown version.
    """
    if products < 1:
        raise ValueError("a demo shop needs at least one product")
    started = time.perf_counter()
    metadata = ddl.create_schema(engine, version, prefix)
    now = datetime.datetime.combine(today or datetime.date.today(), datetime.time(20, 0))
    ctx = Context(version, random.Random(seed), now, Sink(metadata))
    build = _Build(engine, ctx, progress or _no_progress)
    build.phases["schema"] = PhaseTiming(0, time.perf_counter() - started)
    build.run_phase("install", lambda: _install(ctx, orders))
    catalog = Catalog()
    build.run_phase("catalog", lambda: build.catalog(catalog, products))
    count = default_customers(products) if customers is None else customers
    people = build.run_phase("customers", lambda: add_customers(ctx, count))
    suppliers = build.run_phase("suppliers", lambda: build.suppliers(catalog, people))
    if orders:
        build.run_phase("orders", lambda: build.orders(catalog, people, orders))
    return DemoShopReport(
        version=version, prefix=prefix, seed=seed, products=products,
        combinations=catalog.combination_count, customers=count,
        employees=len(DEMO_EMPLOYEES), orders=orders,
        specific_prices=ctx.sink.counts["specific_price"], suppliers=suppliers,
        rows=dict(ctx.sink.counts),
        phases=dict(build.phases), elapsed=time.perf_counter() - started,
    )  # fmt: skip


def _no_progress(_phase: str, _done: int, _total: int) -> None:
    return None


def _install(ctx: Context, orders: int) -> None:
    add_install_data(ctx)
    add_configuration(ctx, orders)
    add_categories(ctx)
    add_attributes(ctx)


class _Build:
    """Runs the phases: each fills the sink, which is flushed in one transaction per batch."""

    def __init__(self, engine: Engine, ctx: Context, progress: Progress) -> None:
        self.engine = engine
        self.ctx = ctx
        self.progress = progress
        self.phases: dict[str, PhaseTiming] = {}

    def run_phase(self, name: str, fill: Callable[[], T]) -> T:
        started, before = time.perf_counter(), self.ctx.sink.counts.total()
        result = fill()
        self.flush()
        rows = self.ctx.sink.counts.total() - before
        self.phases[name] = PhaseTiming(rows, time.perf_counter() - started)
        return result

    def flush(self) -> None:
        with self.engine.begin() as conn:
            self.ctx.sink.flush(conn)

    def catalog(self, catalog: Catalog, total: int) -> None:
        for first in range(1, total + 1, PRODUCT_BATCH):
            last = min(total, first + PRODUCT_BATCH - 1)
            add_products(self.ctx, catalog, first, last, total)
            self.flush()
            self.progress("catalog", last, total)
        add_specific_prices(self.ctx, total)

    def suppliers(self, catalog: Catalog, people: list[Customer]) -> int:
        """After the customers: the suppliers' addresses take the next address ids."""
        count = add_suppliers(self.ctx, max(c.id_address for c in people) + 1)
        next_id, total = 1, len(catalog.products)
        for first in range(0, total, PRODUCT_BATCH):
            next_id = add_product_suppliers(
                self.ctx, catalog.products[first : first + PRODUCT_BATCH], next_id
            )
            self.flush()
            self.progress("suppliers", min(total, first + PRODUCT_BATCH), total)
        return count

    def orders(self, catalog: Catalog, people: list[Customer], count: int) -> None:
        def flush(done: int) -> None:
            self.flush()
            self.progress("orders", done, count)

        book = add_orders(self.ctx, catalog, people, count, flush)
        with self.engine.begin() as conn:
            update_stock(conn, self.ctx, catalog, book)
