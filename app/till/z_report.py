"""The Z report of a cash session (an X report while it is still open).

Everything is summed in SQL on integer cents / micro-units (exact), then quantized to cents
(half up) once, at the report. Refunds are reported apart from sales, as positive amounts.
By tax rate: the base of a line is its total tax excluded; its quota is total tax included −
total tax excluded (so base + quota = the line's total), split by the line's own tax amounts
only when a line carries several taxes. A line without tax counts at rate 0.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import case, func, select, type_coerce
from sqlalchemy.orm import Session

from app.i18n import _
from app.till.cash_drawer import CashMovement, cash_totals, session_movements, to_cash_session
from app.till.cash_session import ZERO, CashSessionState, CashTotals, MovementKind
from app.till.errors import CashSessionRefused
from app.till.models import CashSessionRow, LineTaxRow, PaymentRow, TicketLineRow, TicketRow
from app.till.records import TenderKind, TicketKind
from app.till.store import TillStore
from app.till.types import Micros

_CENT = Decimal("0.01")
_RATE = Decimal("0.001")  # as PrestaShop stores tax.rate


@dataclass(frozen=True)
class KindTotals:
    count: int = 0
    total_tax_incl: Decimal = ZERO
    total_tax_excl: Decimal = ZERO


@dataclass(frozen=True)
class MethodTotal:
    method: str
    label: str
    tender: TenderKind
    sales: Decimal
    refunds: Decimal

    @property
    def net(self) -> Decimal:
        return self.sales - self.refunds


@dataclass(frozen=True)
class TaxTotal:
    rate: Decimal  # percent
    base: Decimal
    quota: Decimal


@dataclass(frozen=True)
class ZReport:
    session_id: str
    till: str
    state: CashSessionState
    opened_at: datetime
    closed_at: datetime | None
    opening_float: Decimal
    sales: KindTotals
    refunds: KindTotals
    by_method: tuple[MethodTotal, ...]
    sales_by_tax: tuple[TaxTotal, ...]
    refunds_by_tax: tuple[TaxTotal, ...]
    cash: CashTotals
    movements: tuple[CashMovement, ...]  # cash in and out entered by hand
    expected: Decimal
    counted: Decimal | None  # None while the session is open (X report)
    difference: Decimal | None
    first_ticket: str | None
    last_ticket: str | None
    first_refund: str | None
    last_refund: str | None

    @property
    def net_sales(self) -> Decimal:
        return self.sales.total_tax_incl - self.refunds.total_tax_incl


def z_report(store: TillStore, session_id: str | None = None) -> ZReport:
    """The report of session ``session_id`` (default: the current one, as an X report)."""
    with store.read() as session:
        row = _session_row(session, store.till, session_id)
        cash = to_cash_session(row)
        totals = cash_totals(session, row.id)
        sales, refunds = _kind_totals(session, row.id)
        first_sale, last_sale = _first_last(session, row.id, TicketKind.SALE)
        first_refund, last_refund = _first_last(session, row.id, TicketKind.REFUND)
        manual = (MovementKind.CASH_IN, MovementKind.CASH_OUT)
        return ZReport(
            session_id=row.id,
            till=row.till,
            state=cash.state,
            opened_at=cash.opened_at,
            closed_at=cash.closed_at,
            opening_float=cash.opening_float,
            sales=sales,
            refunds=refunds,
            by_method=_by_method(session, row.id),
            sales_by_tax=_by_tax(session, row.id, TicketKind.SALE),
            refunds_by_tax=_by_tax(session, row.id, TicketKind.REFUND),
            cash=totals,
            movements=tuple(m for m in session_movements(session, row.id) if m.kind in manual),
            expected=totals.expected(cash.opening_float),
            counted=cash.counted,
            difference=cash.difference,
            first_ticket=first_sale,
            last_ticket=last_sale,
            first_refund=first_refund,
            last_refund=last_refund,
        )


def _session_row(session: Session, till: str, session_id: str | None) -> CashSessionRow:
    if session_id is not None:
        row = session.get(CashSessionRow, session_id)
    else:
        row = session.scalars(
            select(CashSessionRow).where(
                CashSessionRow.till == till, CashSessionRow.state != "closed"
            )
        ).one_or_none()
    if row is None:
        raise CashSessionRefused(_("There is no such cash session on this till."))
    return row


def _kind_totals(session: Session, session_id: str) -> tuple[KindTotals, KindTotals]:
    rows = session.execute(
        select(
            TicketRow.kind,
            func.count(),
            func.sum(TicketRow.total_tax_incl),
            func.sum(TicketRow.total_tax_excl),
        )
        .where(TicketRow.cash_session_id == session_id)
        .group_by(TicketRow.kind)
    )
    by_kind = {kind: KindTotals(count, incl, excl) for kind, count, incl, excl in rows}
    empty = KindTotals()
    return by_kind.get("sale", empty), by_kind.get("refund", empty)


def _by_method(session: Session, session_id: str) -> tuple[MethodTotal, ...]:
    rows = session.execute(
        select(
            PaymentRow.method,
            func.max(PaymentRow.label),
            func.max(PaymentRow.tender),
            TicketRow.kind,
            func.sum(PaymentRow.amount),
        )
        .join(TicketRow, TicketRow.id == PaymentRow.ticket_id)
        .where(TicketRow.cash_session_id == session_id)
        .group_by(PaymentRow.method, TicketRow.kind)
        .order_by(PaymentRow.method)
    )
    methods: dict[str, MethodTotal] = {}
    for method, label, tender, kind, amount in rows:
        current = methods.get(method) or MethodTotal(method, label, TenderKind(tender), ZERO, ZERO)
        if kind == TicketKind.SALE.value:
            methods[method] = MethodTotal(method, label, current.tender, amount, current.refunds)
        else:
            methods[method] = MethodTotal(method, label, current.tender, current.sales, amount)
    return tuple(methods.values())


def _by_tax(session: Session, session_id: str, kind: TicketKind) -> tuple[TaxTotal, ...]:
    line = TicketLineRow
    quota = case(
        (line.tax_count <= 1, line.total_tax_incl - line.total_tax_excl),
        else_=LineTaxRow.total_amount,
    )
    rate = func.coalesce(LineTaxRow.rate, 0)
    rows = session.execute(
        select(
            type_coerce(rate, Micros),
            type_coerce(func.sum(line.total_tax_excl), Micros),
            type_coerce(func.sum(type_coerce(quota, Micros)), Micros),
        )
        .select_from(line)
        .join(TicketRow, TicketRow.id == line.ticket_id)
        .outerjoin(LineTaxRow, LineTaxRow.line_id == line.id)
        .where(TicketRow.cash_session_id == session_id, TicketRow.kind == kind.value)
        .group_by(rate)
        .order_by(rate.desc())
    )
    return tuple(TaxTotal(r.quantize(_RATE), _cents(base), _cents(q)) for r, base, q in rows)


def _first_last(
    session: Session, session_id: str, kind: TicketKind
) -> tuple[str | None, str | None]:
    ids = select(func.min(TicketRow.id), func.max(TicketRow.id)).where(
        TicketRow.cash_session_id == session_id, TicketRow.kind == kind.value
    )
    first_id, last_id = session.execute(ids).one()
    if first_id is None:
        return None, None
    numbers = dict(
        session.execute(
            select(TicketRow.id, TicketRow.number).where(TicketRow.id.in_([first_id, last_id]))
        ).all()
    )
    return numbers[first_id], numbers[last_id]


def _cents(value: Decimal | None) -> Decimal:
    return (value or ZERO).quantize(_CENT, rounding=ROUND_HALF_UP)
