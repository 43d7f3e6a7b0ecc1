"""Sales by day kept in a summary table of our own, so a year's report reads ~365 rows instead
of every order of the year.

``<prefix>mostrador_sales_day`` holds one row per (scope, day) with what
:func:`connectors.prestashop.erp_reports.period_figures` gives for that day — valid orders
counted and summed by ``orders.date_add``, credit slips by the slip's date — so the report is
the same from either source. The scope is the shop (``id_shop``) or, when orders are shared,
its group (``id_shop`` 0). ``<prefix>mostrador_sales_day_state`` remembers per scope the
highest ``id_order``, ``id_order_history`` and ``id_order_slip`` seen by the last refresh.

:func:`refresh` (run before each day report) recomputes only the days touched since:

* orders with a higher ``id_order`` (their ``date_add`` day);
* orders with a newer ``order_history`` row (a state change may flip ``valid``), plus the last
  :data:`HISTORY_LOOKBACK` history rows written shortly before the last refresh, which a
  transaction still open at that moment could have hidden from it;
* new credit slips (the slip's day);
* always today and yesterday (orders and slips being written now are dated now);
* once a day, the last :data:`SWEEP_DAYS` days.

Known gap: an order edited in PrestaShop's back office without a state change (an added
product, a changed carrier) keeps its old day totals until that day is recomputed: by the daily
sweep when it is one of the last :data:`SWEEP_DAYS` days, else by "Recalculate"
(``full=True``), which rebuilds every day, as does a refresh finding the table empty.

Concurrency: a refresh locks its scope's state row (``SELECT … FOR UPDATE``) first, then
deletes and re-inserts the touched days and moves the watermarks, all in one transaction, so
two managers refreshing at once queue instead of double counting. Indexes exist only on these
two tables; PrestaShop's are read through their primary keys and the ``date_add`` ranges.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import (
    Column,
    Date,
    DateTime,
    Engine,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    Table,
    and_,
    delete,
    func,
    inspect,
    select,
    update,
)
from sqlalchemy.dialects import mysql
from sqlalchemy.orm import Session
from sqlalchemy.schema import CreateTable

from connectors.prestashop.erp_reports import ZERO, Figure, period_figures
from connectors.prestashop.erp_suppliers import shop_now
from connectors.prestashop.shop import ShopInfo
from connectors.prestashop.types import PsDecimal

SWEEP_DAYS = 35
HISTORY_LOOKBACK = 100
LOOKBACK_TIME = dt.timedelta(minutes=10)
_UINT = Integer().with_variant(mysql.INTEGER(unsigned=True), "mysql", "mariadb")
_MONEY = ("tax_excl", "tax_incl", "refunds_excl", "refunds_incl")
_MARKS = ("last_order", "last_history", "last_slip")


@dataclass(frozen=True)
class Refresh:
    """What a refresh did: a full rebuild or not, how many days it recomputed, how long."""

    full: bool
    days: int
    seconds: float


@cache
def sales_day_tables(prefix: str) -> tuple[Table, Table]:
    """``(mostrador_sales_day, mostrador_sales_day_state)`` for the shop's table prefix."""
    metadata = MetaData()
    days = Table(
        f"{prefix}mostrador_sales_day",
        metadata,
        Column("id_shop_group", _UINT, nullable=False),
        Column("id_shop", _UINT, nullable=False),  # 0: the group's shared orders
        Column("day", Date, nullable=False),
        Column("orders", _UINT, nullable=False),
        *(Column(name, PsDecimal(20, 6), nullable=False) for name in _MONEY),
        PrimaryKeyConstraint("id_shop_group", "id_shop", "day"),
        mysql_engine="InnoDB",
        mysql_charset="utf8mb4",
    )
    state = Table(
        f"{prefix}mostrador_sales_day_state",
        metadata,
        Column("id_shop_group", _UINT, nullable=False),
        Column("id_shop", _UINT, nullable=False),
        *(Column(name, _UINT, nullable=False, server_default="0") for name in _MARKS),
        Column("refreshed_at", DateTime, nullable=True),
        Column("swept_on", Date, nullable=True),
        Column("built_at", DateTime, nullable=True),  # NULL: never built (full rebuild next)
        PrimaryKeyConstraint("id_shop_group", "id_shop"),
        mysql_engine="InnoDB",
        mysql_charset="utf8mb4",
    )
    return days, state


def ensure_sales_day(engine: Engine, prefix: str) -> None:
    """Create both tables when missing (idempotent; creating needs the CREATE privilege, which
    MariaDB checks even for ``IF NOT EXISTS``, so present tables are not created again)."""
    with engine.begin() as conn:
        present = set(inspect(conn).get_table_names())
        for table in sales_day_tables(prefix):
            if table.name not in present:
                conn.execute(CreateTable(table, if_not_exists=True))


def scope_key(shop: ShopInfo) -> dict[str, int]:
    return {"id_shop_group": shop.id_shop_group, "id_shop": 0 if shop.share_order else shop.id_shop}


def _where(table: Table, shop: ShopInfo) -> Any:
    return and_(*(table.c[name] == value for name, value in scope_key(shop).items()))


# --------------------------------------------------------------------------- refresh


def refresh(engine: Engine, shop: ShopInfo, *, full: bool = False) -> Refresh:
    """Bring the scope's days up to date (see the module docstring); one transaction."""
    started = time.perf_counter()
    days, state = sales_day_tables(shop.prefix)
    _ensure_state_row(engine, state, shop)
    with Session(engine) as session, session.begin():
        seen = session.execute(select(state).where(_where(state, shop)).with_for_update()).one()
        marks = _marks(session, shop)
        now = shop_now(shop)
        full = full or seen.built_at is None or _empty(session, days, shop)
        count = _recompute(
            session, shop, days, None if full else _touched(session, shop, seen, now)
        )
        values: dict[str, Any] = {k: max(marks[k], int(getattr(seen, k))) for k in _MARKS}
        values |= {"refreshed_at": now, "swept_on": _swept(seen, now, full)}
        if full:
            values["built_at"] = now
        session.execute(update(state).where(_where(state, shop)).values(values))
    return Refresh(full, count, time.perf_counter() - started)


def _recompute(
    session: Session, shop: ShopInfo, days: Table, touched: Sequence[dt.date] | None
) -> int:
    """Delete the touched days (None: all) and insert their figures; how many days."""
    ranges = None if touched is None else _ranges(touched)
    figures = period_figures(session, shop, ranges, "day")
    stmt = delete(days).where(_where(days, shop))
    if touched is not None:
        stmt = stmt.where(days.c.day.in_(list(touched)))
    session.execute(stmt)
    rows = [_row(shop, f) for f in figures]
    for start in range(0, len(rows), 1000):
        session.execute(days.insert(), rows[start : start + 1000])
    return len(figures) if touched is None else len(touched)


def _empty(session: Session, days: Table, shop: ShopInfo) -> bool:
    return session.execute(select(days.c.day).where(_where(days, shop)).limit(1)).first() is None


def _ensure_state_row(engine: Engine, state: Table, shop: ShopInfo) -> None:
    with engine.begin() as conn:
        if conn.execute(select(state.c.id_shop).where(_where(state, shop))).first() is not None:
            return
        ignore = "OR IGNORE" if engine.dialect.name == "sqlite" else "IGNORE"
        conn.execute(state.insert().prefix_with(ignore).values(scope_key(shop)))


def _marks(session: Session, shop: ShopInfo) -> dict[str, int]:
    """The highest ids now (read first: the rest of the transaction sees at least these)."""
    m = shop.models
    found = session.execute(
        select(
            select(func.max(m.Orders.id_order)).scalar_subquery(),
            select(func.max(m.OrderHistory.id_order_history)).scalar_subquery(),
            select(func.max(m.OrderSlip.id_order_slip)).scalar_subquery(),
        )
    ).one()
    return {name: int(value or 0) for name, value in zip(_MARKS, found, strict=True)}


def _swept(seen: Any, now: dt.datetime, full: bool) -> dt.date | None:
    return now.date() if full or _sweep_due(seen, now) else seen.swept_on


def _sweep_due(seen: Any, now: dt.datetime) -> bool:
    return seen.swept_on is None or _as_date(seen.swept_on) < now.date()


def _touched(session: Session, shop: ShopInfo, seen: Any, now: dt.datetime) -> list[dt.date]:
    """The days to recompute: see the module docstring."""
    today = now.date()
    found = {today, today - dt.timedelta(days=1)}
    if _sweep_due(seen, now):
        found.update(today - dt.timedelta(days=n) for n in range(SWEEP_DAYS))
    m = shop.models
    o, h, slip = m.Orders, m.OrderHistory, m.OrderSlip
    day = _day_of(session)
    queries = [
        select(day(o.date_add)).where(o.id_order > seen.last_order),
        select(day(o.date_add))
        .join(h, h.id_order == o.id_order)
        .where(
            h.id_order_history > int(seen.last_history) - HISTORY_LOOKBACK,
            (h.id_order_history > seen.last_history)
            | (h.date_add >= (seen.refreshed_at or now) - LOOKBACK_TIME),
        ),
        select(day(slip.date_add)).where(slip.id_order_slip > seen.last_slip),
    ]
    for query in queries:
        found.update(_as_date(v) for v in session.execute(query.distinct()).scalars())
    return sorted(found)


def _day_of(session: Session) -> Any:
    if session.get_bind().dialect.name == "sqlite":
        return lambda column: func.substr(column, 1, 10)
    return func.date


def _as_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def _ranges(days: Sequence[dt.date]) -> list[tuple[dt.datetime, dt.datetime]]:
    """Sorted days as ``[start, end)`` datetime ranges, consecutive days merged."""
    found: list[tuple[dt.datetime, dt.datetime]] = []
    for day in days:
        start = dt.datetime.combine(day, dt.time())
        end = start + dt.timedelta(days=1)
        if found and found[-1][1] == start:
            found[-1] = (found[-1][0], end)
        else:
            found.append((start, end))
    return found


def _row(shop: ShopInfo, figure: Figure) -> dict[str, Any]:
    return scope_key(shop) | {
        "day": dt.date.fromisoformat(figure.key), "orders": figure.orders,
        "tax_excl": figure.tax_excl, "tax_incl": figure.tax_incl,
        "refunds_excl": figure.refunds_tax_excl, "refunds_incl": figure.refunds_tax_incl,
    }  # fmt: skip


# --------------------------------------------------------------------------- read


def read_days(session: Session, shop: ShopInfo, first: dt.date, last: dt.date) -> list[Figure]:
    """The summary's figures of the days in [first, last] that have any, by day."""
    days = sales_day_tables(shop.prefix)[0]
    stmt = (
        select(days.c.day, days.c.orders, *(days.c[name] for name in _MONEY))
        .where(_where(days, shop), days.c.day >= first, days.c.day <= last)
        .order_by(days.c.day)
    )
    found = []
    for day, orders, excl, incl, r_excl, r_incl in session.execute(stmt):
        key = _as_date(day).isoformat()
        found.append(
            Figure(key, key, int(orders), 0, excl or ZERO, incl or ZERO, r_excl or ZERO,
                   r_incl or ZERO)
        )  # fmt: skip
    return found
