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

import json
import logging
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from sqlalchemy import Engine, select

from app.connection import ShopTarget, password_for
from app.events import EventBus
from app.logging_setup import register_secret
from app.sale.price_inputs import (
    Employee,
    ItemKey,
    PricingRows,
    ShopConfig,
    StoreSource,
    find_employee,
)
from app.sync.catalog_pull import LOADED_KEY, load_state, pull_catalog
from app.sync.push import make_push_engine
from app.sync.worker import SyncSettings, SyncWorker
from app.till import catalog
from app.till.cash_drawer import current_cash_session, open_cash_session
from app.till.cash_session import CashSession
from app.till.catalog import CatalogItem
from app.till.migration_catalog import ROWID_SHIFT
from app.till.models_catalog import CatalogCombination
from app.till.records import Ticket, TicketCustomer
from app.till.store import TillStore, open_store
from app.till.tickets import record_sale
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

    def employee(self, id_employee: int) -> Employee | None:
        return self.inner.employee(id_employee)


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

    @property
    def till(self) -> str:
        return self.store.till

    def start_sync(self, settings: SyncSettings | None = None) -> None:
        """Start pushing the sales and pulling the catalog in the background."""
        if self.engine is None or self.target is None or self.worker is not None:
            return
        self.worker = SyncWorker(self.engine, self.store, self.target, self.bus, settings)
        self.worker.start()

    def close(self) -> None:
        """Stop the sync worker (waiting for it), then close the shop engine and the store."""
        if self.worker is not None and not self.worker.stop(timeout=15):
            logger.warning("the sync worker did not stop in time")
        self.worker = None
        if self.engine is not None:
            self.engine.dispose()
        self.store.close()


def open_till(target: ShopTarget | None, till: str, store_path: Path | None = None) -> TillRuntime:
    """Open ``till``'s store; pull the catalog first when it was never loaded (slow: a worker).

    Without a shop the till sells from what its catalog holds.
    """
    store = open_store(till, store_path)
    engine: Engine | None = None
    try:
        if target is not None:
            engine = _shop_engine(target)
            if not load_state(store).get(LOADED_KEY):
                _first_pull(engine, target, store)
        source = PrefetchingSource(StoreSource(store))
        source.walk_in_customer()
        return TillRuntime(
            store, source, find_employee(store), current_cash_session(store), target, engine=engine
        )
    except BaseException:
        if engine is not None:
            engine.dispose()
        store.close()
        raise


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
    with runtime.store.read() as session:
        ids = session.scalars(
            select(CatalogCombination.id_product_attribute)
            .where(CatalogCombination.id_product == id_product)
            .order_by(CatalogCombination.id_product_attribute)
        ).all()
    rowids = [id_product * ROWID_SHIFT + pa for pa in ids]
    # TODO(lead): a public ``catalog.combinations(store, id_product)`` would replace this.
    with catalog._snapshot(runtime.store) as db:
        rows = db.execute(catalog._ITEMS_BY_ROWID, (json.dumps(rowids),))
        return [catalog._item(row) for row in rows]


def find_cash_session(runtime: TillRuntime) -> CashSession | None:
    return current_cash_session(runtime.store)


def open_session(runtime: TillRuntime, opening_float: Decimal) -> CashSession:
    return open_cash_session(runtime.store, opening_float, runtime.employee.id_employee)


def record(runtime: TillRuntime, draft: Ticket) -> Ticket:
    """Record the paid sale (number, cash movement, outbox) and wake the sync worker."""
    ticket = record_sale(runtime.store, draft)
    if runtime.worker is not None:
        runtime.worker.wake()
    return ticket
