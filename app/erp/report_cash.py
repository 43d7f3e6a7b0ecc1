"""Cash-session history with differences, for the ERP's reports.

Cash sessions live in a till's own store (``app/till``), not in the shop database: the ERP
shows the history of the till it was opened from (``store``); opened elsewhere (no till
store) the history is empty. Sessions are listed newest first, closed ones with what was
expected, counted and the difference (counted − expected: + over, − short).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import select

from app.till.cash_drawer import cash_totals
from app.till.cash_session import CashTotals
from app.till.models import CashSessionRow
from app.till.store import TillStore

ZERO = Decimal(0)


@dataclass(frozen=True)
class CashSessionLine:
    till: str
    state: str  # open / closing / closed
    opened_at: datetime
    closed_at: datetime | None
    opened_by: int
    closed_by: int | None
    opening_float: Decimal
    cash_sales: Decimal
    cash_refunds: Decimal
    cash_in: Decimal
    cash_out: Decimal
    expected: Decimal  # the stored figure once closed, else what the drawer should hold now
    counted: Decimal | None
    difference: Decimal | None


def cash_history(
    store: TillStore | None, date_from: date, date_to: date
) -> tuple[CashSessionLine, ...]:
    """Sessions of ``store``'s till opened between the two dates (both included)."""
    if store is None:
        return ()
    start = datetime.combine(date_from, time())
    end = datetime.combine(date_to + timedelta(days=1), time())
    with store.read() as session:
        rows = session.scalars(
            select(CashSessionRow)
            .where(CashSessionRow.till == store.till, CashSessionRow.opened_at >= start)
            .where(CashSessionRow.opened_at < end)
            .order_by(CashSessionRow.opened_at.desc())
        ).all()
        return tuple(_line(row, cash_totals(session, row.id)) for row in rows)


def _line(row: CashSessionRow, totals: CashTotals) -> CashSessionLine:
    expected = row.expected if row.expected is not None else totals.expected(row.opening_float)
    return CashSessionLine(
        till=row.till, state=row.state, opened_at=row.opened_at, closed_at=row.closed_at,
        opened_by=row.opened_by, closed_by=row.closed_by, opening_float=row.opening_float,
        cash_sales=totals.cash_sales, cash_refunds=totals.cash_refunds, cash_in=totals.cash_in,
        cash_out=totals.cash_out, expected=expected, counted=row.counted,
        difference=row.difference,
    )  # fmt: skip


def total_difference(lines: tuple[CashSessionLine, ...]) -> Decimal:
    return sum((line.difference or ZERO for line in lines), ZERO)
