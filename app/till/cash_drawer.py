"""Cash sessions and cash movements in the till store (the operations around ``CashSession``).

One session that is not closed per till (a partial unique index backs the check). Each
operation is one write transaction; the aggregate (``cash_session.py``) decides whether a
transition is allowed, the store records it. Movements are append-only rows with a signed
amount (+ into the drawer, − out of it); sales and refunds add theirs in the same transaction
as the ticket (``tickets.py``).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.i18n import _
from app.till.cash_session import (
    ZERO,
    CashSession,
    CashSessionState,
    CashTotals,
    Denominations,
    MovementKind,
    check_cash_amount,
    count_denominations,
)
from app.till.errors import CashSessionRefused
from app.till.models import CashMovementRow, CashSessionRow, TicketRow
from app.till.store import TillStore

_Step = Callable[[CashSession], CashSession]


@dataclass(frozen=True)
class CashMovement:
    kind: MovementKind
    amount: Decimal  # signed: + into the drawer, − out of it
    reason: str
    id_employee: int
    created_at: datetime
    ticket_number: str | None = None


def open_cash_session(
    store: TillStore, opening_float: Decimal, employee: int, now: datetime | None = None
) -> CashSession:
    """Open the till's cash session with ``opening_float``; refused if one is not closed."""
    cash = CashSession.open(str(uuid.uuid4()), store.till, opening_float, employee, _now(now))
    with store.write() as session:
        if (current := _current_row(session, store.till)) is not None:
            raise CashSessionRefused(
                _("A cash session is already open on this till since {when}.").format(
                    when=current.opened_at.strftime("%Y-%m-%d %H:%M")
                )
            )
        session.add(_new_row(cash))
    return cash


def current_cash_session(store: TillStore) -> CashSession | None:
    """The session that is open or being closed, if any."""
    with store.read() as session:
        row = _current_row(session, store.till)
        return None if row is None else to_cash_session(row)


def get_cash_session(store: TillStore, session_id: str) -> CashSession | None:
    with store.read() as session:
        row = session.get(CashSessionRow, session_id)
        return None if row is None else to_cash_session(row)


def require_open_session(session: Session, till: str) -> CashSessionRow:
    """The open session's row, for a sale or a movement in ``session``'s transaction."""
    row = _current_row(session, till)
    if row is None:
        raise CashSessionRefused(_("There is no open cash session: open the till first."))
    to_cash_session(row).ensure_open()
    return row


def add_cash_movement(
    store: TillStore,
    kind: MovementKind,
    amount: Decimal,
    reason: str,
    employee: int,
    *,
    now: datetime | None = None,
) -> CashMovement:
    """Put cash in (``CASH_IN``) or take it out (``CASH_OUT``) of the drawer, with a reason."""
    if kind not in (MovementKind.CASH_IN, MovementKind.CASH_OUT):
        raise CashSessionRefused(_("Only cash in and cash out can be entered by hand."))
    check_cash_amount(amount, _("The amount"))
    if not reason.strip():
        raise CashSessionRefused(_("Say why the cash goes in or out."))
    signed = amount if kind is MovementKind.CASH_IN else -amount
    movement = CashMovement(kind, signed, reason.strip(), employee, _now(now))
    with store.write() as session:
        row = require_open_session(session, store.till)
        insert_movement(session, row.id, movement, ticket_id=None)
    return movement


def insert_movement(
    session: Session, session_id: str, movement: CashMovement, ticket_id: int | None
) -> None:
    session.add(
        CashMovementRow(
            session_id=session_id,
            kind=movement.kind.value,
            amount=movement.amount,
            reason=movement.reason,
            ticket_id=ticket_id,
            id_employee=movement.id_employee,
            created_at=movement.created_at,
        )
    )


def start_closing(store: TillStore, now: datetime | None = None) -> CashSession:
    """open → closing: no more sales or movements while the cashier counts."""
    return _transition(store, lambda cash: cash.start_closing(_now(now)))


def resume_cash_session(store: TillStore) -> CashSession:
    """closing → open: the cashier went back to selling before closing."""
    return _transition(store, lambda cash: cash.resume())


def close_cash_session(
    store: TillStore,
    counted: Decimal | Denominations,
    employee: int,
    note: str = "",
    now: datetime | None = None,
) -> CashSession:
    """closing → closed with the counted cash (an amount, or a count by note and coin).

    An open session is moved to closing first, in the same transaction. The difference
    counted − expected is recorded as it is.
    """
    detail: tuple[tuple[Decimal, int], ...] = ()
    if isinstance(counted, Mapping):
        counted, detail = count_denominations(counted)
    with store.write() as session:
        row = _current_row(session, store.till)
        if row is None:
            raise CashSessionRefused(_("There is no cash session to close."))
        cash = to_cash_session(row)
        if cash.state is CashSessionState.OPEN:
            cash = cash.start_closing(_now(now))
        expected = cash_totals(session, cash.id).expected(cash.opening_float)
        closed = cash.close(counted, expected, employee, _now(now), detail)
        _apply(row, closed)
        row.note = note
    return closed


def cash_totals(session: Session, session_id: str) -> CashTotals:
    """Sums of the session's movements by kind (exact: amounts are integer cents)."""
    rows = session.execute(
        select(CashMovementRow.kind, func.sum(CashMovementRow.amount))
        .where(CashMovementRow.session_id == session_id)
        .group_by(CashMovementRow.kind)
    ).all()
    sums: dict[str, Decimal] = {kind: total or ZERO for kind, total in rows}
    return CashTotals(
        cash_sales=sums.get(MovementKind.SALE.value, ZERO),
        cash_refunds=-sums.get(MovementKind.REFUND.value, ZERO),
        cash_in=sums.get(MovementKind.CASH_IN.value, ZERO),
        cash_out=-sums.get(MovementKind.CASH_OUT.value, ZERO),
    )


def session_movements(session: Session, session_id: str) -> list[CashMovement]:
    rows = session.execute(
        select(CashMovementRow, TicketRow.number)
        .outerjoin(TicketRow, TicketRow.id == CashMovementRow.ticket_id)
        .where(CashMovementRow.session_id == session_id)
        .order_by(CashMovementRow.id)
    ).all()
    return [
        CashMovement(
            MovementKind(row.kind), row.amount, row.reason, row.id_employee, row.created_at, number
        )
        for row, number in rows
    ]


def to_cash_session(row: CashSessionRow) -> CashSession:
    detail = tuple(
        (Decimal(value), count) for value, count in json.loads(row.counted_detail or "[]")
    )
    return CashSession(
        id=row.id,
        till=row.till,
        state=CashSessionState(row.state),
        opened_at=row.opened_at,
        opened_by=row.opened_by,
        opening_float=row.opening_float,
        closing_at=row.closing_at,
        closed_at=row.closed_at,
        closed_by=row.closed_by,
        expected=row.expected,
        counted=row.counted,
        difference=row.difference,
        counted_detail=detail,
        note=row.note,
    )


def _transition(store: TillStore, step: _Step) -> CashSession:
    with store.write() as session:
        row = _current_row(session, store.till)
        if row is None:
            raise CashSessionRefused(_("There is no open cash session."))
        cash = step(to_cash_session(row))
        _apply(row, cash)
    return cash


def _apply(row: CashSessionRow, cash: CashSession) -> None:
    row.state = cash.state.value
    row.closing_at = cash.closing_at
    row.closed_at = cash.closed_at
    row.closed_by = cash.closed_by
    row.expected = cash.expected
    row.counted = cash.counted
    row.difference = cash.difference
    row.counted_detail = json.dumps([[str(value), count] for value, count in cash.counted_detail])


def _new_row(cash: CashSession) -> CashSessionRow:
    return CashSessionRow(
        id=cash.id,
        till=cash.till,
        state=cash.state.value,
        opened_at=cash.opened_at,
        opened_by=cash.opened_by,
        opening_float=cash.opening_float,
        note="",
    )


def _current_row(session: Session, till: str) -> CashSessionRow | None:
    return session.scalars(
        select(CashSessionRow).where(
            CashSessionRow.till == till, CashSessionRow.state != CashSessionState.CLOSED.value
        )
    ).one_or_none()


def _now(now: datetime | None) -> datetime:
    return now or datetime.now()
