"""Recording paid tickets (sales and refunds) and reading them back.

:func:`record_sale` / :func:`record_refund` write, in ONE ``BEGIN IMMEDIATE`` transaction: the
next number of the ticket's series, the ticket, its lines, their taxes, its payments, the cash
movement of its cash part (given − change; negative for a refund), its outbox entry and its
VERI*FACTU record (``app.verifactu.records``, when the mode is on). Either
all of it is in the store, or none of it (a failure or a crash rolls back; the number is given
back with it).

A draft is a :class:`~app.till.records.Ticket` whose ``number`` and ``cash_session_id`` the
store fills in; the year of the number is the year of ``created_at``. Recording a draft whose
``uuid`` is already stored returns the stored ticket (a retry after a crash or a double click
never makes a second ticket); the same uuid with different content is refused.

Refunds carry positive quantities and amounts (what goes back to the customer) and point to
the sale they refund (``original_ticket``) line by line (``original_line_no``); a refund can
never give back more of a line than was sold minus what earlier refunds gave back.

A sale recorded with a ``recipient`` is issued as a full invoice: its number comes from the
till's full-invoice series (``T1-F-2026-000001``), an ``invoices`` row (F1) names the
recipient, and its VERI*FACTU record is an F1 with ``Destinatarios`` — all in the same
transaction.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import datetime
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.i18n import _
from app.till.cash_drawer import CashMovement, insert_movement, require_open_session
from app.till.cash_session import MovementKind
from app.till.errors import TicketNotFound, TicketRefused
from app.till.invoice_rows import F1, InvoiceRow, insert_invoice
from app.till.models import TicketLineRow, TicketRow
from app.till.outbox import add_entry
from app.till.records import TenderKind, Ticket, TicketKind
from app.till.series import invoice_series, series_for, take_number
from app.till.store import TillStore
from app.till.ticket_rows import insert_ticket, load_tickets
from app.till.validation import validate_draft
from app.verifactu.recipient import Recipient, checked
from app.verifactu.records import record_ticket


def record_sale(store: TillStore, draft: Ticket, recipient: Recipient | None = None) -> Ticket:
    """Record a paid sale; returns it numbered. Raises TicketRefused / CashSessionRefused,
    and :class:`~app.verifactu.recipient.RecipientRefused` for a recipient not valid.

    With ``recipient`` the sale is issued as a full invoice (F1) to it."""
    if draft.kind is not TicketKind.SALE:
        raise TicketRefused(_("This is not a sale."))
    return _record(store, draft, None if recipient is None else checked(recipient))


def record_refund(store: TillStore, draft: Ticket) -> Ticket:
    """Record a refund of (part of) ``draft.original_ticket``; returns it numbered."""
    if draft.kind is not TicketKind.REFUND:
        raise TicketRefused(_("This is not a refund."))
    return _record(store, draft)


def get_ticket(store: TillStore, number: str) -> Ticket | None:
    with store.read() as session:
        row = _row_by_number(session, number)
        return None if row is None else load_tickets(session, [row])[0]


def last_tickets(store: TillStore, count: int = 20) -> list[Ticket]:
    """The ``count`` most recently recorded tickets, newest first."""
    with store.read() as session:
        rows = session.scalars(select(TicketRow).order_by(TicketRow.id.desc()).limit(count))
        return load_tickets(session, rows.all())


def find_ticket_for_return(store: TillStore, number: str) -> Ticket:
    """The sale ticket ``number`` a customer brings back; a clear error if there is none."""
    ticket = get_ticket(store, number)
    if ticket is None:
        raise TicketNotFound(
            _("There is no ticket {number} in this till.").format(number=number.strip()),
            _("Check the number on the receipt; returns of other tills are made on them."),
        )
    if ticket.kind is not TicketKind.SALE:
        raise TicketRefused(
            _("Ticket {number} is a refund: start from the sale ticket.").format(number=number)
        )
    return ticket


def refundable_quantities(store: TillStore, number: str) -> dict[int, int]:
    """Per line of sale ``number``: how many units can still be refunded."""
    with store.read() as session:
        original = _original_row(session, number)
        return _refundable(session, original)


def _record(store: TillStore, draft: Ticket, recipient: Recipient | None = None) -> Ticket:
    validate_draft(draft)
    if draft.original_ticket:
        draft = replace(draft, original_ticket=draft.original_ticket.strip())
    if draft.till != store.till:
        raise TicketRefused(
            _("This ticket belongs to till {other}, not {till}.").format(
                other=draft.till, till=store.till
            )
        )
    now = datetime.now()
    with store.write() as session:
        if (existing := _existing(session, draft)) is not None:
            return existing
        cash_session = require_open_session(session, store.till)
        if draft.kind is TicketKind.REFUND:
            _check_refund(session, draft)
        number = take_number(session, _series(store.till, draft, recipient), draft.created_at.year)
        ticket = replace(draft, number=str(number), cash_session_id=cash_session.id)
        ticket_id = insert_ticket(session, ticket, number, now)
        _move_cash(session, cash_session.id, ticket, ticket_id, now)
        add_entry(session, ticket_id, ticket, now)
        if recipient is not None:
            row = InvoiceRow(0, ticket.number, F1, ticket_id, ticket.created_at, recipient, {})
            insert_invoice(session, row, ticket.customer)
        record_ticket(session, ticket, ticket_id, now, recipient)  # VERI*FACTU, same transaction
    return ticket


def _series(till: str, draft: Ticket, recipient: Recipient | None) -> str:
    return series_for(till, draft.kind) if recipient is None else invoice_series(till)


def _existing(session: Session, draft: Ticket) -> Ticket | None:
    row = session.scalars(select(TicketRow).where(TicketRow.uuid == draft.uuid)).one_or_none()
    if row is None:
        return None
    stored = load_tickets(session, [row])[0]
    if replace(draft, number=stored.number, cash_session_id=stored.cash_session_id) != stored:
        raise TicketRefused(
            _("Sale {uuid} is already recorded as ticket {number} with other content.").format(
                uuid=draft.uuid, number=stored.number
            )
        )
    return stored


def _move_cash(
    session: Session, cash_session_id: str, ticket: Ticket, ticket_id: int, now: datetime
) -> None:
    cash = sum((p.amount for p in ticket.payments if p.tender is TenderKind.CASH), Decimal("0.00"))
    if not cash:
        return
    refund = ticket.kind is TicketKind.REFUND
    movement = CashMovement(
        kind=MovementKind.REFUND if refund else MovementKind.SALE,
        amount=-cash if refund else cash,
        reason=ticket.number,
        id_employee=ticket.id_employee,
        created_at=now,
    )
    insert_movement(session, cash_session_id, movement, ticket_id)


def _check_refund(session: Session, draft: Ticket) -> None:
    original = _original_row(session, draft.original_ticket or "")
    lines = {
        line.line_no: line
        for line in session.scalars(
            select(TicketLineRow).where(TicketLineRow.ticket_id == original.id)
        )
    }
    left = _refundable(session, original)
    asked: Counter[int] = Counter()
    for line in draft.lines:
        sold = lines.get(line.original_line_no or 0)
        if sold is None or (sold.id_product, sold.id_product_attribute) != (
            line.id_product,
            line.id_product_attribute,
        ):
            raise TicketRefused(
                _("Line {n} does not match any line of ticket {number}.").format(
                    n=line.line_no, number=original.number
                )
            )
        asked[sold.line_no] += line.quantity
    for line_no, quantity in asked.items():
        if quantity > left[line_no]:
            raise TicketRefused(
                _(
                    "Line {n} of ticket {number}: {left} unit(s) can still be refunded, "
                    "{asked} asked."
                ).format(n=line_no, number=original.number, left=left[line_no], asked=quantity)
            )


def _refundable(session: Session, original: TicketRow) -> dict[int, int]:
    sold = dict(
        session.execute(
            select(TicketLineRow.line_no, TicketLineRow.quantity).where(
                TicketLineRow.ticket_id == original.id
            )
        ).all()
    )
    refunded = dict(
        session.execute(
            select(TicketLineRow.original_line_no, func.sum(TicketLineRow.quantity))
            .join(TicketRow, TicketRow.id == TicketLineRow.ticket_id)
            .where(TicketRow.original_ticket == original.number)
            .group_by(TicketLineRow.original_line_no)
        ).all()
    )
    return {line_no: quantity - (refunded.get(line_no) or 0) for line_no, quantity in sold.items()}


def _original_row(session: Session, number: str) -> TicketRow:
    row = _row_by_number(session, number)
    if row is None:
        raise TicketNotFound(
            _("There is no ticket {number} in this till.").format(number=number.strip())
        )
    if row.kind != TicketKind.SALE.value:
        raise TicketRefused(
            _("Ticket {number} is a refund: start from the sale ticket.").format(number=number)
        )
    return row


def _row_by_number(session: Session, number: str) -> TicketRow | None:
    return session.scalars(
        select(TicketRow).where(TicketRow.number == number.strip())
    ).one_or_none()
