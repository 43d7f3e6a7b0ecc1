"""What the sale screen needs from the core, Qt-free: the open till and its worker functions.

:func:`open_till` opens the till store, runs a first catalog pull when the catalog was never
loaded from the configured shop, and reads what a sale needs (pricing configuration, the
employee, the cash session). :meth:`TillRuntime.start_sync` starts the
:class:`~app.sync.worker.SyncWorker`; whoever opened the runtime closes it
(:meth:`TillRuntime.close` stops the worker, then closes the store).

The functions below are meant to run on a worker thread (``ui/tasks.py``): plain arguments
in, frozen values out. :class:`PrefetchingSource` lets the lookup read an item's pricing rows
on the worker so that :meth:`Cart.add` on the GUI thread is pure computation.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from pathlib import Path

from sqlalchemy import Engine

from app import paths
from app.config import settings as cfg
from app.connection import ShopTarget, password_for
from app.errors import UserFacingError
from app.events import EventBus
from app.logging_setup import register_secret
from app.sale.cart import Cart, SalePolicy
from app.sale.price_inputs import (
    MANAGER_PROFILES,
    Employee,
    ItemKey,
    PricingRows,
    ShopConfig,
    StoreSource,
    customer_group,
    find_employee,
    price_context,
    product_pricing,
)
from app.sale.pricing import unit_prices
from app.sync.catalog_pull import CONFIG_PREFIX, LOADED_KEY, load_state, pull_catalog
from app.sync.push import make_push_engine
from app.sync.worker import SyncSettings, SyncWorker
from app.till import catalog, customers, parked
from app.till.cash_drawer import current_cash_session
from app.till.cash_session import CashSession
from app.till.catalog import CatalogItem
from app.till.customers import CustomerEntry, NewCustomer
from app.till.models_catalog import CatalogSyncState
from app.till.parked import ParkedTicket
from app.till.records import Ticket, TicketCustomer
from app.till.store import TillStore, open_store
from app.till.tickets import record_sale
from app.verifactu.setup import apply_settings, sender_config
from app.verifactu.worker import FiscalSender
from connectors.prestashop.shop import open_shop

logger = logging.getLogger(__name__)

_RowsKey = tuple[tuple[ItemKey, ...], int]


class PrefetchingSource:
    """A :class:`StoreSource` whose rows can be read ahead on a worker thread.

    :meth:`prefetch` (worker) reads the rows of one item; the cart's :meth:`rows` (GUI
    thread) then finds them in memory. The walk-in customer is read once.
    """

    def __init__(self, inner: StoreSource) -> None:
        self.inner = inner
        self._lock = threading.Lock()
        self._rows: dict[_RowsKey, PricingRows] = {}
        self._walk_in: TicketCustomer | None = None
        self._employees: dict[int, Employee] = {}

    @property
    def config(self) -> ShopConfig:
        return self.inner.config

    def prefetch(self, items: Sequence[CatalogItem], id_group: int) -> None:
        rows = self.inner.rows(items, id_group)
        with self._lock:
            self._rows[(_keys(items), id_group)] = rows

    def rows(self, items: Sequence[CatalogItem], id_group: int) -> PricingRows:
        with self._lock:
            cached = self._rows.pop((_keys(items), id_group), None)
        if cached is not None:
            return cached
        logger.debug("pricing rows not prefetched for %s", _keys(items))
        return self.inner.rows(items, id_group)

    def walk_in_customer(self) -> TicketCustomer:
        with self._lock:
            cached = self._walk_in
        if cached is None:
            cached = self.inner.walk_in_customer()
            with self._lock:
                self._walk_in = cached
        return cached

    def remember_employee(self, employee: Employee) -> None:
        """Keep ``employee`` (read on a worker, e.g. by the manager's approval) in memory, so
        that the cart checking an approval does not read the store on the GUI thread."""
        with self._lock:
            self._employees[employee.id_employee] = employee

    def employee(self, id_employee: int) -> Employee | None:
        with self._lock:
            cached = self._employees.get(id_employee)
        return cached if cached is not None else self.inner.employee(id_employee)


def _keys(items: Sequence[CatalogItem]) -> tuple[ItemKey, ...]:
    return tuple((item.id_product, item.id_product_attribute) for item in items)


@dataclass
class TillRuntime:
    """An open till: its store, pricing source, employee and (once started) sync worker."""

    store: TillStore
    source: PrefetchingSource
    employee: Employee
    cash_session: CashSession | None
    target: ShopTarget | None = None
    bus: EventBus = field(default_factory=EventBus)
    engine: Engine | None = None
    worker: SyncWorker | None = None
    managers: frozenset[int] = MANAGER_PROFILES  # PrestaShop profiles of the till's managers
    fiscal: FiscalSender | None = None  # sends VERI*FACTU records (when the mode is on)

    @property
    def till(self) -> str:
        return self.store.till

    @property
    def policy(self) -> SalePolicy:
        """The cart's rules on this till (who may approve a big discount)."""
        return SalePolicy(manager_profiles=self.managers)

    def start_sync(self, settings: SyncSettings | None = None) -> None:
        """Start pushing the sales and pulling the catalog (and sending fiscal records)."""
        if self.fiscal is not None:
            self.fiscal.start()
        if self.engine is None or self.target is None or self.worker is not None:
            return
        self.worker = SyncWorker(self.engine, self.store, self.target, self.bus, settings)
        self.worker.start()

    def wake(self) -> None:
        """Something was recorded: push it (and its fiscal record) now."""
        for worker in (self.worker, self.fiscal):
            if worker is not None:
                worker.wake()

    def close(self) -> None:
        """Stop the background workers (waiting for them), then close the engine and store."""
        if self.worker is not None and not self.worker.stop(timeout=15):
            logger.warning("the sync worker did not stop in time")
        self.worker = None
        if self.fiscal is not None and not self.fiscal.stop(timeout=15):
            logger.warning("the VERI*FACTU sender did not stop in time")
        self.fiscal = None
        if self.engine is not None:
            self.engine.dispose()
        self.store.close()


def demo_store_path(till: str) -> Path:
    """Where ``till`` keeps its store while it sells on the demo shop."""
    return paths.data_dir() / "demo" / f"till-{till}.sqlite3"


def open_till(
    target: ShopTarget | None,
    till: str,
    store_path: Path | None = None,
    managers: frozenset[int] = MANAGER_PROFILES,
    settings: cfg.Settings | None = None,
) -> TillRuntime:
    """Open ``till``'s store; pull the catalog first when it was never loaded (slow: a worker).

    Without a shop the till sells from what its catalog holds. ``managers`` are the PrestaShop
    profiles whose employees are managers on this till (setting ``till.manager_profiles``).
    ``settings`` (default: none, VERI*FACTU off) put the fiscal identity in force. On the
    demo shop the store is :func:`demo_store_path` (unless ``store_path`` is given) and
    VERI*FACTU is off.
    """
    if target is not None and target.demo:
        # The demo shop never shares the real shop's store: its catalog, its outbox and its
        # ticket series stay apart, and its sales make no VERI*FACTU records.
        store_path, settings = store_path or demo_store_path(till), None
    store = open_store(till, store_path)
    engine: Engine | None = None
    try:
        if target is not None:
            engine = _shop_engine(target)
            if not load_state(store).get(LOADED_KEY):
                _first_pull(engine, target, store)
        source = PrefetchingSource(StoreSource(store))
        source.walk_in_customer()
        employee = find_employee(store, managers=managers)
        session = current_cash_session(store)
        runtime = TillRuntime(
            store, source, employee, session, target, engine=engine, managers=managers
        )
        runtime.fiscal = _fiscal_sender(runtime, settings)
        return runtime
    except BaseException:
        if engine is not None:
            engine.dispose()
        store.close()
        raise


def _fiscal_sender(runtime: TillRuntime, settings: cfg.Settings | None) -> FiscalSender | None:
    """VERI*FACTU per the settings: the identity in force in the store, and its sender."""
    if settings is None:
        return None
    identity = apply_settings(runtime.store, settings)
    if not identity.enabled:
        return None
    return FiscalSender(runtime.store, lambda: sender_config(settings), runtime.bus)


def _shop_engine(target: ShopTarget) -> Engine:
    password = password_for(target.url)
    if password:
        register_secret(password)
    return make_push_engine(target.url, password)


def _first_pull(engine: Engine, target: ShopTarget, store: TillStore) -> None:
    logger.info("first catalog pull for till %s", store.till)
    shop = open_shop(engine, target.prefix, target.id_shop, target.lang_iso)
    pull_catalog(engine, shop, store)


# --------------------------------------------------------------------------- worker functions


def lookup_code(runtime: TillRuntime, code: str, id_group: int) -> list[CatalogItem]:
    """Items whose EAN13, UPC or reference is ``code``, their pricing rows read ahead."""
    items = catalog.find_by_barcode(runtime.store, code)
    _prefetch(runtime, items, id_group)
    return items


def prepare_item(runtime: TillRuntime, item: CatalogItem, id_group: int) -> CatalogItem:
    """Read ahead the pricing rows of ``item`` (chosen from the search results)."""
    _prefetch(runtime, [item], id_group)
    return item


def _prefetch(runtime: TillRuntime, items: Sequence[CatalogItem], id_group: int) -> None:
    for item in items:
        if item.active and (item.id_product_attribute or not item.has_combinations):
            runtime.source.prefetch([item], id_group)


def search_items(runtime: TillRuntime, text: str, limit: int = 30) -> list[CatalogItem]:
    return catalog.search(runtime.store, text, limit)


def combinations_of(runtime: TillRuntime, id_product: int) -> list[CatalogItem]:
    """The combinations of ``id_product`` (sizes, colours…) with their stock."""
    return catalog.combinations(runtime.store, id_product)


@dataclass(frozen=True)
class Variants:
    """A product's combinations, and whether the shop sells what is out of stock."""

    items: tuple[CatalogItem, ...]
    sell_out_of_stock: bool


def variants_of(runtime: TillRuntime, id_product: int) -> Variants:
    return Variants(tuple(catalog.combinations(runtime.store, id_product)), _sells_out(runtime))


def _sells_out(runtime: TillRuntime) -> bool:
    """PS_ORDER_OUT_OF_STOCK as the last pull stored it (the product's own ``out_of_stock``
    is not in the till's catalog)."""
    with runtime.store.read() as session:
        row = session.get(CatalogSyncState, CONFIG_PREFIX + "PS_ORDER_OUT_OF_STOCK")
    return row is not None and row.value.strip() == "1"


# --------------------------------------------------------------------------- product grid


@dataclass(frozen=True)
class ProductTile:
    item: CatalogItem
    price: Decimal  # one unit, tax included, for the cart's customer


def category_list(runtime: TillRuntime) -> list[catalog.Category]:
    return catalog.categories(runtime.store)


def category_page(
    runtime: TillRuntime, id_category: int, customer: TicketCustomer, offset: int, limit: int
) -> list[ProductTile]:
    """One page of the products of ``id_category``, priced for ``customer``."""
    items = catalog.products_in_category(runtime.store, id_category, limit, offset)
    if not items:
        return []
    config = runtime.source.config
    rows = runtime.source.inner.rows(items, customer_group(config, customer))
    context = price_context(config, customer, rows.group_reduction, datetime.now())
    lines = [(product_pricing(item, rows, config), 1) for item in items]
    prices = unit_prices(lines, context, config.pricing)
    return [ProductTile(item, price.tax_incl) for item, price in zip(items, prices, strict=True)]


def find_cash_session(runtime: TillRuntime) -> CashSession | None:
    return current_cash_session(runtime.store)


def record(runtime: TillRuntime, draft: Ticket) -> Ticket:
    """Record the paid sale (number, cash movement, outbox) and wake the sync worker."""
    ticket = record_sale(runtime.store, draft)
    runtime.wake()
    return ticket


# --------------------------------------------------------------------------- customers


def find_customers(runtime: TillRuntime, text: str, limit: int = 30) -> list[CustomerEntry]:
    return customers.search_customers(runtime.store, text, limit)


def take_customer(runtime: TillRuntime, new: NewCustomer) -> CustomerEntry:
    """Record a customer taken at the counter (till-store writer)."""
    return customers.create_customer(runtime.store, new, runtime.source.config.customer_group)


def prepare_customer(
    runtime: TillRuntime, customer: TicketCustomer | None, items: Sequence[CatalogItem]
) -> TicketCustomer:
    """Read ahead the pricing rows of the cart's ``items`` (in cart order) for ``customer``'s
    group (None: the walk-in customer), so that :meth:`Cart.set_customer` reprices in memory."""
    chosen = customer or runtime.source.walk_in_customer()
    if items:
        runtime.source.prefetch(items, customer_group(runtime.source.config, chosen))
    return chosen


# --------------------------------------------------------------------------- parked tickets


@dataclass(frozen=True)
class ParkedSummary:
    """A parked ticket as the recall list shows it."""

    id: str
    note: str
    created_at: datetime
    lines: int
    units: int
    total: Decimal
    customer: str  # "" for the walk-in customer


def park_cart(runtime: TillRuntime, cart_json: str, note: str) -> ParkedTicket:
    return parked.park(runtime.store, cart_json, note, runtime.employee.id_employee)


def list_parked(runtime: TillRuntime) -> list[ParkedSummary]:
    """The till's parked tickets, oldest first, priced at today's prices."""
    return [_summary(runtime, ticket) for ticket in parked.parked_tickets(runtime.store)]


def _summary(runtime: TillRuntime, ticket: ParkedTicket) -> ParkedSummary:
    try:
        cart = Cart.from_json(ticket.cart_json, runtime.source.inner, runtime.policy)
        total = cart.totals.total_tax_incl if not cart.is_empty else Decimal(0)
    except UserFacingError:
        logger.warning("parked ticket %s cannot be read", ticket.id, exc_info=True)
        return ParkedSummary(ticket.id, ticket.label, ticket.created_at, 0, 0, Decimal(0), "")
    who = cart.customer
    name = "" if who.is_walk_in else f"{who.firstname} {who.lastname}".strip()
    units = sum(line.quantity for line in cart.lines)
    return ParkedSummary(
        ticket.id, ticket.label, ticket.created_at, len(cart.lines), units, total, name
    )


def recall_parked(runtime: TillRuntime, parked_id: str) -> ParkedTicket:
    """Take a parked ticket back, its pricing rows read ahead for :meth:`Cart.from_json`.

    A cart that cannot be read stays parked (the error says so)."""
    for ticket in parked.parked_tickets(runtime.store):
        if ticket.id == parked_id:
            probe = Cart.from_json(ticket.cart_json, runtime.source.inner, runtime.policy)
            prepare_customer(runtime, probe.customer, [line.item for line in probe.lines])
            break
    return parked.recall(runtime.store, parked_id)


def delete_parked(runtime: TillRuntime, parked_id: str) -> bool:
    return parked.delete_parked(runtime.store, parked_id)
