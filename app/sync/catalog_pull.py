"""The catalog pull: keeps the till's catalog cache equal to the shop, cheaply.

:func:`pull_catalog` reads on one shop connection (one snapshot) and writes the till store
in short transactions of at most ``WRITE_CHUNK`` rows, so that a sale being recorded never
waits long for the write lock.

0. The first pull, or the first from another shop (``pull.loaded``), is a full one.
1. One query fingerprints the whole shop catalog (``CatalogReader.fingerprints``): per kind
   a count and a checksum of the whole table, plus the products and customers whose
   ``date_upd`` is recent; only for the kinds whose totals differ from what the till knows,
   a second query gives the same per range of 1,000 ids.
2. A range whose fingerprint differs from the one stored after the previous pull (or, for
   products and customers, from the count and sum of the ids the till holds) is read again
   and compared row by row with the till: only rows that differ are written, rows the shop
   no longer has are deleted. The first pull (or ``full=True``) reads every range.
3. Products, customers and customers' addresses changed since the last watermark (minus
   ``OVERLAP``; ids already seen with the same ``date_upd`` are skipped) are read again, with
   the combinations of those products and the groups of those customers. A followed kind
   without a watermark yet (a first pull, a store just migrated) starts one from the newest
   ``date_upd`` the till holds.
4. When the configuration or currencies changed, the configuration snapshot is stored in
   ``catalog_sync_state`` as ``config.<KEY>`` (``config.PS_ROUND_TYPE``,
   ``config.currency_precision``…).

An incremental pull with nothing changed costs three round trips (pool ping, the fingerprint
query, the rollback that ends the read) and writes nothing.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine, Select, Table, and_, bindparam, delete, func, select
from sqlalchemy.orm import Session

from app.errors import Cancelled
from app.events import Changes
from app.sale.price_inputs import WALK_IN_KEY
from app.sync.push import COUNTER_CUSTOMER_EMAIL, RoundTripCounter
from app.till import catalog as till_catalog
from app.till import models_catalog as tm
from app.till.models import TillBase
from app.till.store import TillStore
from connectors.prestashop.catalog_reads import BUCKET, CatalogReader, Row, WalkIn
from connectors.prestashop.shop import ShopInfo

logger = logging.getLogger(__name__)

WRITE_CHUNK = 2000  # rows per till transaction
READ_BUCKETS = 16  # fingerprint buckets (of BUCKET ids) read per shop query
OVERLAP = dt.timedelta(minutes=10)  # date_upd window re-checked before the watermark
LOADED_KEY = "pull.loaded"
CONFIG_PREFIX = "config."
Key = tuple[Any, ...]
CancelCheck = Callable[[], bool]


@dataclass(frozen=True)
class TillKind:
    """How one kind of catalog row is kept in the till (``compare``: ``stored`` checksums
    of the previous pull, or ``local`` count and sum of the ids the till holds)."""

    kind: str
    model: type[TillBase]
    compare: str = "stored"
    remove: Callable[[Session, list[Key]], None] | None = None
    changes: Changes = field(default_factory=Changes)

    @property
    def table(self) -> Table:
        table = self.model.__table__
        assert isinstance(table, Table)
        return table


def _remove_products(session: Session, keys: list[Key]) -> None:
    till_catalog.delete_products(session, [k[0] for k in keys])


def _remove_combinations(session: Session, keys: list[Key]) -> None:
    till_catalog.delete_combinations(session, [k[0] for k in keys])


KINDS: tuple[TillKind, ...] = (
    TillKind("products", tm.CatalogProduct, "local", _remove_products, Changes(catalog=True)),
    TillKind("combinations", tm.CatalogCombination, remove=_remove_combinations,
             changes=Changes(catalog=True)),
    TillKind("stock", tm.CatalogStock, changes=Changes(stock=True)),
    TillKind("specific_prices", tm.CatalogSpecificPrice, changes=Changes(prices=True)),
    TillKind("taxes", tm.CatalogTax, changes=Changes(prices=True)),
    TillKind("tax_rules_groups", tm.CatalogTaxRulesGroup, changes=Changes(prices=True)),
    TillKind("tax_rules", tm.CatalogTaxRule, changes=Changes(prices=True)),
    TillKind("groups", tm.CatalogGroup, changes=Changes(prices=True)),
    TillKind("group_reductions", tm.CatalogGroupReduction, changes=Changes(prices=True)),
    TillKind("customers", tm.CatalogCustomer, "local", changes=Changes(customers=True)),
    TillKind("customer_groups", tm.CatalogCustomerGroup, changes=Changes(customers=True)),
    TillKind("addresses", tm.CatalogAddress, "local", changes=Changes(customers=True)),
    TillKind("employees", tm.CatalogEmployee, changes=Changes(employees=True)),
    TillKind("categories", tm.CatalogCategory, changes=Changes(catalog=True)),
)  # fmt: skip
BY_KIND = {k.kind: k for k in KINDS}
# Kinds followed by date_upd → the kind read again with them, by which column (None: its key).
FOLLOWED: dict[str, tuple[str, str | None] | None] = {
    "products": ("combinations", "id_product"),
    "customers": ("customer_groups", None),
    "addresses": None,
}
# Kinds fingerprinted only: a change of combination_shops re-reads those combinations, of
# attributes every combination (their labels), of configuration/currencies the config.
ALSO = {"combinations": ("combination_shops",)}
STORED = TillKind("", tm.CatalogSyncState)


@dataclass(frozen=True)
class _Scope:
    """Which rows of a kind one read covers: ``column`` in ``[lo, hi)`` or in ``ids``."""

    column: str
    lo: int | None = None
    hi: int | None = None
    ids: list[int] | None = None

    def where(self, table: Table, stmt: Select[Any]) -> Select[Any]:
        column = table.c[self.column]
        if self.lo is not None:
            stmt = stmt.where(column >= self.lo)
        if self.hi is not None:
            stmt = stmt.where(column < self.hi)
        if self.ids is not None:
            stmt = stmt.where(column.in_(self.ids))
        return stmt


@dataclass(frozen=True)
class PullResult:
    """What one pull did: rows written and deleted per kind, cost, and kind of pull."""

    full: bool
    upserted: Mapping[str, int]
    deleted: Mapping[str, int]
    round_trips: int
    seconds: float
    changes: Changes

    @property
    def rows_written(self) -> int:
        return sum(self.upserted.values()) + sum(self.deleted.values())


def pull_catalog(
    engine: Engine,
    shop: ShopInfo,
    store: TillStore,
    *,
    full: bool = False,
    cancel: CancelCheck | None = None,
    now: dt.datetime | None = None,
) -> PullResult:
    """Bring the till's catalog cache up to date with the shop; see the module docstring.

    Shop errors propagate as SQLAlchemy errors (the caller triages: unreachable → offline);
    ``cancel`` is checked between reads and raises :class:`Cancelled`.
    """
    started = time.perf_counter()
    counter = RoundTripCounter(engine)
    try:
        state = load_state(store)
        full = full or state.get(LOADED_KEY) != shop_identity(shop)
        with engine.connect() as connection:
            reader = CatalogReader(connection, shop, now or dt.datetime.now(), walk_in(state))
            run = _Pull(store, reader, state, full, cancel or (lambda: False))
            run.execute()
    finally:
        counter.close()
    result = PullResult(
        full=full,
        upserted=dict(run.upserted),
        deleted=dict(run.deleted),
        round_trips=counter.total,
        seconds=time.perf_counter() - started,
        changes=run.changes,
    )
    _log(result)
    return result


def _log(result: PullResult) -> None:
    if result.rows_written or result.full:
        logger.info(
            "catalog pull (%s) in %.1f s, %d round trips: written %s, deleted %s",
            "full" if result.full else "incremental", result.seconds, result.round_trips,
            result.upserted, result.deleted,
        )  # fmt: skip


def shop_identity(shop: ShopInfo) -> str:
    """Which shop (and language) the till's catalog was loaded from: another one (the
    connection settings changed) makes the next pull a full one."""
    return f"{shop.prefix}|{shop.id_shop}|{shop.id_lang}|{shop.name}"


def walk_in(state: Mapping[str, str]) -> WalkIn:
    """The walk-in customers of this till (``state``: :func:`load_state`)."""
    chosen = state.get(WALK_IN_KEY, "").strip()
    return WalkIn(
        ids=(int(chosen),) if chosen.isdigit() and int(chosen) else (),
        emails=(COUNTER_CUSTOMER_EMAIL,),
    )


def load_state(store: TillStore) -> dict[str, str]:
    """Every ``catalog_sync_state`` key (the pull's bookkeeping and ``config.*``)."""
    with store.read() as session:
        rows = session.execute(select(tm.CatalogSyncState.key, tm.CatalogSyncState.value))
        return {key: value for key, value in rows}


def shop_config(store: TillStore) -> dict[str, str]:
    """The configuration snapshot of the last pull: ``{"PS_ROUND_TYPE": "2", …}``."""
    state = load_state(store)
    return {k[len(CONFIG_PREFIX) :]: v for k, v in state.items() if k.startswith(CONFIG_PREFIX)}


class _Pull:
    """One pull: the fingerprints, then each kind, then the followed dates and the config."""

    def __init__(
        self,
        store: TillStore,
        reader: CatalogReader,
        state: dict[str, str],
        full: bool,
        cancel: CancelCheck,
    ) -> None:
        self.store = store
        self.reader = reader
        self.state = state
        self.full = full
        self.cancel = cancel
        self.upserted: dict[str, int] = {}
        self.deleted: dict[str, int] = {}
        self.changes = Changes()
        self.new_state: dict[str, str] = {}
        self.buckets: dict[str, Mapping[int, tuple[int, int]]] = {}
        self.dirty: set[str] = set()

    def execute(self) -> None:
        recent = self._fingerprint()
        for kind in KINDS:
            self._sync_buckets(kind)
        if not self.full:
            self._sync_followed(recent)
        self._start_watermarks()
        if self.full or self.dirty & {"configuration", "currencies"}:
            self._sync_config()
        for name in self.reader.sources:
            if BY_KIND.get(name, STORED).compare == "stored":
                self._remember(name)
        if self.full:
            self.new_state[LOADED_KEY] = shop_identity(self.reader.shop)
        self._save_state()

    # ----------------------------------------------------------------------- buckets

    def _fingerprint(self) -> Mapping[str, Mapping[int, dt.datetime]]:
        """Fill ``buckets`` and ``dirty``; return the recent ``date_upd`` of followed kinds.

        Incremental: one query of whole-table totals, then (only if some differ from the
        sums of what the till knows) one query of the buckets of the kinds that differ.
        """
        kinds = list(self.reader.sources)
        if self.full:
            self.buckets = dict(self.reader.fingerprints({}).buckets)
            self.dirty = set(kinds)
            return {}
        since = {k: self._window(k) for k in FOLLOWED}
        totals = self.reader.fingerprints(since, whole=True)
        self.buckets = {k: self._before(k) for k in kinds}
        self.dirty = {
            k for k in kinds if totals.buckets[k].get(0, (0, 0)) != _total(self.buckets[k])
        }
        grouped = [k for k in self.dirty if not self.reader.sources[k].single]
        self.buckets.update({k: dict(totals.buckets[k]) for k in self.dirty - set(grouped)})
        if grouped:
            self.buckets.update(self.reader.fingerprints({}, kinds=grouped).buckets)
        return totals.recent

    def _before(self, kind: str) -> Mapping[int, tuple[int, int]]:
        till_kind = BY_KIND.get(kind, STORED)
        if till_kind.compare == "local":
            return self._local_buckets(till_kind)
        return self._stored(kind)

    def _sync_buckets(self, kind: TillKind) -> None:
        watched = (kind.kind, *ALSO.get(kind.kind, ()))
        everything = kind.kind == "combinations" and "attributes" in self.dirty
        if self.full or everything:
            chosen = set(self.buckets[kind.kind]) | set(self._local_buckets(kind)) | {0}
        else:
            chosen = set()
            for name in set(watched) & self.dirty:
                now, before = self.buckets[name], self._before(name)
                chosen |= {b for b in set(now) | set(before) if now.get(b) != before.get(b)}
        source = self.reader.sources[kind.kind]
        for lo, hi in _ranges(chosen, source.single):
            self._check_cancel()
            rows = self.reader.rows(kind.kind, lo=lo, hi=hi)
            self._apply(kind, rows, _Scope(source.key, lo=lo, hi=hi))

    def _stored(self, kind: str) -> dict[int, tuple[int, int]]:
        text = self.state.get(f"pull.fingerprint.{kind}")
        if self.full or not text:
            return {}
        return {int(b): (n, total) for b, (n, total) in json.loads(text).items()}

    def _remember(self, kind: str) -> None:
        current = {str(b): list(v) for b, v in sorted(self.buckets[kind].items())}
        text = json.dumps(current, separators=(",", ":"))
        if self.state.get(f"pull.fingerprint.{kind}") != text:
            self.new_state[f"pull.fingerprint.{kind}"] = text

    def _local_buckets(self, kind: TillKind) -> dict[int, tuple[int, int]]:
        column = kind.table.c[self.reader.sources[kind.kind].key]
        bucket = column // BUCKET
        stmt = select(bucket, func.count(), func.sum(column)).group_by(bucket)
        with self.store.read() as session:
            return {int(b): (int(n), int(s)) for b, n, s in session.execute(stmt)}

    # ----------------------------------------------------------------------- followed dates

    def _window(self, kind: str) -> dt.datetime | None:
        watermark, _seen = self._recent_state(kind)
        return None if watermark is None else watermark - OVERLAP

    def _recent_state(self, kind: str) -> tuple[dt.datetime | None, dict[int, dt.datetime]]:
        text = self.state.get(f"pull.recent.{kind}")
        if not text:
            return None, {}
        data = json.loads(text)
        seen = {int(i): dt.datetime.fromisoformat(d) for i, d in data["seen"].items()}
        mark = data["watermark"]
        return (dt.datetime.fromisoformat(mark) if mark else None), seen

    def _sync_followed(self, found: Mapping[str, Mapping[int, dt.datetime]]) -> None:
        for kind, follower in FOLLOWED.items():
            watermark, seen = self._recent_state(kind)
            recent = found.get(kind, {})
            changed = sorted(i for i, moment in recent.items() if seen.get(i) != moment)
            key = self.reader.sources[kind].key
            for ids in _chunks(changed, BUCKET * READ_BUCKETS):
                self._check_cancel()
                rows = self.reader.rows(kind, ids=ids)
                self._apply(BY_KIND[kind], rows, _Scope(key, ids=ids))
                if follower is not None:
                    child, child_column = follower[0], follower[1] or key
                    rows = self.reader.rows(child, column=child_column, ids=ids)
                    self._apply(BY_KIND[child], rows, _Scope(child_column, ids=ids))
            self._save_watermark(kind, watermark, {**seen, **recent})

    def _start_watermarks(self) -> None:
        """Watermarks from the till's own rows: every one after a full pull, else those of
        the followed kinds that have none yet."""
        for kind in FOLLOWED:
            if not self.full and self._recent_state(kind)[0] is not None:
                continue
            table = BY_KIND[kind].table
            key, moment = list(table.primary_key.columns)[0], table.c.date_upd
            with self.store.read() as session:
                watermark = session.scalar(select(func.max(moment)))
                rows = [] if watermark is None else session.execute(
                    select(key, moment).where(moment >= watermark - OVERLAP)
                ).all()  # fmt: skip
            self._save_watermark(kind, watermark, {int(i): d for i, d in rows})

    def _save_watermark(
        self, kind: str, watermark: dt.datetime | None, seen: Mapping[int, dt.datetime]
    ) -> None:
        newest = max([*seen.values(), *([watermark] if watermark else [])], default=None)
        kept = {} if newest is None else {
            str(i): d.isoformat() for i, d in sorted(seen.items()) if d >= newest - OVERLAP
        }  # fmt: skip
        text = json.dumps(
            {"watermark": newest.isoformat() if newest else None, "seen": kept},
            separators=(",", ":"),
        )
        if self.state.get(f"pull.recent.{kind}") != text:
            self.new_state[f"pull.recent.{kind}"] = text

    # ----------------------------------------------------------------------- config

    def _sync_config(self) -> None:
        snapshot = {CONFIG_PREFIX + k: v for k, v in self.reader.config_snapshot().items()}
        old = {k: v for k, v in self.state.items() if k.startswith(CONFIG_PREFIX)}
        changed = {k: v for k, v in snapshot.items() if old.get(k) != v}
        gone = [k for k in old if k not in snapshot]
        if not changed and not gone:
            return
        self.new_state.update(changed)
        with self.store.write() as session:
            if gone:
                model = tm.CatalogSyncState
                session.execute(delete(model).where(model.key.in_(gone)))
        self._count("config", len(changed), len(gone), Changes(prices=True))

    def _save_state(self) -> None:
        rows = [{"key": k, "value": v} for k, v in self.new_state.items()]
        if rows:
            with self.store.write() as session:
                till_catalog.upsert(session, tm.CatalogSyncState, rows)

    # ----------------------------------------------------------------------- writing

    def _apply(self, kind: TillKind, rows: list[Row], scope: _Scope) -> None:
        """Make the till's rows of ``kind`` within ``scope`` equal to ``rows``: write those
        that differ, delete those the shop no longer has."""
        names = list(self.reader.sources[kind.kind].columns)
        keys = [c.name for c in kind.table.primary_key.columns]
        stmt = scope.where(kind.table, select(*(kind.table.c[n] for n in names)))
        with self.store.read() as session:
            found = [dict(r) for r in session.execute(stmt).mappings()]
        local = {tuple(r[k] for k in keys): r for r in found}
        fresh = {tuple(r[k] for k in keys): r for r in rows}
        changed = [r for key, r in fresh.items() if local.get(key) != r]
        gone = [key for key in local if key not in fresh]
        for chunk in _chunks(changed, WRITE_CHUNK):
            with self.store.write() as session:
                till_catalog.upsert(session, kind.model, chunk)
        for chunk_keys in _chunks(gone, WRITE_CHUNK):
            with self.store.write() as session:
                _remove(session, kind, keys, chunk_keys)
        self._count(kind.kind, len(changed), len(gone), kind.changes)

    def _count(self, kind: str, upserted: int, deleted: int, changes: Changes) -> None:
        if upserted:
            self.upserted[kind] = self.upserted.get(kind, 0) + upserted
        if deleted:
            self.deleted[kind] = self.deleted.get(kind, 0) + deleted
        if upserted or deleted:
            self.changes = self.changes | changes

    def _check_cancel(self) -> None:
        if self.cancel():
            raise Cancelled("catalog pull cancelled")


def _remove(session: Session, kind: TillKind, keys: list[str], chosen: list[Key]) -> None:
    if kind.remove is not None:
        kind.remove(session, chosen)
        return
    table = kind.table
    condition = and_(*(table.c[k] == bindparam(f"k_{k}") for k in keys))
    params = [{f"k_{k}": value for k, value in zip(keys, key, strict=True)} for key in chosen]
    session.execute(delete(table).where(condition), params)


def _total(buckets: Mapping[int, tuple[int, int]]) -> tuple[int, int]:
    return sum(n for n, _s in buckets.values()), sum(s for _n, s in buckets.values())


def _ranges(buckets: Iterable[int], single: bool) -> Iterator[tuple[int | None, int | None]]:
    """Runs of consecutive buckets, at most READ_BUCKETS long, as ``[lo, hi)`` id ranges."""
    if single:
        if buckets:
            yield None, None
        return
    run: list[int] = []
    for bucket in sorted(buckets):
        if run and (bucket != run[-1] + 1 or len(run) == READ_BUCKETS):
            yield run[0] * BUCKET, (run[-1] + 1) * BUCKET
            run = []
        run.append(bucket)
    if run:
        yield run[0] * BUCKET, (run[-1] + 1) * BUCKET


def _chunks(items: list[Any], size: int) -> Iterator[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def lookup_live_barcode(
    engine: Engine, shop: ShopInfo, store: TillStore, code: str
) -> list[till_catalog.CatalogItem]:
    """For a code the till does not know, while online: the shop's products (and their
    combinations and stock) having it as EAN13, UPC or reference, stored in the till; then
    the till's answer for it (``find_by_barcode``). Shop errors propagate."""
    code = code.strip()
    if not code:
        return []
    with engine.connect() as connection:
        reader = CatalogReader(connection, shop, dt.datetime.now())
        ids = reader.code_matches(code)
        found = {"products": reader.rows("products", ids=ids)}
        if found["products"]:
            found["combinations"] = reader.rows("combinations", column="id_product", ids=ids)
            found["stock"] = reader.rows("stock", ids=ids)
    with store.write() as session:
        for kind, rows in found.items():
            till_catalog.upsert(session, BY_KIND[kind].model, rows)
    return till_catalog.find_by_barcode(store, code)
