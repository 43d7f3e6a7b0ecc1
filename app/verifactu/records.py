"""The VERI*FACTU record of each ticket, written in the ticket's own transaction.

* a sale → an F2 (simplified invoice) registration record numbered as the ticket;
* a refund → an R5 (rectifying simplified invoice, by differences: negative amounts) in the
  refund series, pointing at the sale it refunds;
* a ticket issued by mistake → an annulment record (:func:`annul_ticket`), never for a sale
  that took place (that takes a refund).

:func:`record_ticket` is called by ``app.till.tickets`` inside the transaction that inserts the
ticket: both are in the store, or neither. With no identity configured, or the mode off, the
ticket is recorded without a fiscal record. :func:`configure` writes the identity in force,
from the settings (``app.verifactu.setup``).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from app.i18n import _
from app.till.errors import TicketNotFound, TicketRefused
from app.till.records import Ticket, TicketKind
from app.till.store import TillStore
from app.verifactu.chain import aeat_date, amount
from app.verifactu.ledger import (
    FiscalRecord,
    Identity,
    RecordDraft,
    RecordKind,
    current_identity,
    insert_record,
    record_of_number,
    record_of_ticket,
    save_identity,
)
from app.verifactu.qr import Environment, qr_url
from printing.receipt import tax_breakdown

SALE_DESCRIPTION = "Venta en tienda"
REFUND_DESCRIPTION = "Devolución de venta"


def configure(store: TillStore, identity: Identity, now: datetime | None = None) -> bool:
    """Put ``identity`` in force for the next records; False when it already was."""
    with store.write() as session:
        return save_identity(session, identity, now or datetime.now())


def identity_in_force(store: TillStore) -> Identity | None:
    with store.read() as session:
        return current_identity(session)


def record_ticket(
    session: Session, ticket: Ticket, ticket_id: int, now: datetime
) -> FiscalRecord | None:
    """The fiscal record of ``ticket`` (just inserted as ``ticket_id``), in its transaction."""
    identity = current_identity(session)
    if identity is None or not identity.enabled:
        return None
    return insert_record(session, identity, ticket_draft(session, ticket, ticket_id), now)


def ticket_draft(session: Session, ticket: Ticket, ticket_id: int) -> RecordDraft:
    refund = ticket.kind is TicketKind.REFUND
    sign = Decimal(-1) if refund else Decimal(1)
    rows = tax_breakdown(ticket.lines)
    breakdown = [
        {"rate": amount(r.rate), "base": amount(sign * r.base), "quota": amount(sign * r.quota)}
        for r in rows
    ]
    body: dict[str, Any] = {
        "description": REFUND_DESCRIPTION if refund else SALE_DESCRIPTION,
        "breakdown": breakdown,
    }
    if refund:
        body["rectification"] = "I"
        body["rectified"] = [_original_reference(session, ticket.original_ticket or "")]
    return RecordDraft(
        kind=RecordKind.ALTA,
        ticket_id=ticket_id,
        number=ticket.number,
        issued_on=aeat_date(ticket.created_at.date()),
        invoice_type="R5" if refund else "F2",
        tax_total=amount(sign * sum((r.quota for r in rows), Decimal("0"))),
        total=amount(sign * ticket.total_tax_incl),
        body=body,
    )


def _original_reference(session: Session, number: str) -> dict[str, str]:
    row = session.execute(
        text("SELECT id, created_at FROM tickets WHERE number = :number"), {"number": number}
    ).one()
    original = record_of_ticket(session, int(row[0]))
    if original is not None:
        return {"nif": original.issuer_nif, "number": number, "issued_on": original.issued_on}
    # A sale recorded before VERI*FACTU was on: its own number and date, the issuer in force.
    identity = current_identity(session)
    day = datetime.fromisoformat(str(row[1])).date()
    return {"nif": identity.nif if identity else "", "number": number, "issued_on": aeat_date(day)}


def annul_ticket(store: TillStore, number: str, now: datetime | None = None) -> FiscalRecord:
    """Annul the registration of ticket ``number``, issued by mistake (no sale took place)."""
    with store.write() as session:
        identity = current_identity(session)
        alta = record_of_number(session, RecordKind.ALTA, number.strip())
        if identity is None or alta is None:
            raise TicketNotFound(
                _("Ticket {number} has no fiscal record to annul.").format(number=number)
            )
        if record_of_number(session, RecordKind.ANULACION, alta.number) is not None:
            raise TicketRefused(_("Ticket {number} is already annulled.").format(number=number))
        draft = RecordDraft(RecordKind.ANULACION, alta.ticket_id, alta.number, alta.issued_on)
        return insert_record(session, identity, draft, now or datetime.now())


def fiscal_record(store: TillStore, number: str) -> FiscalRecord | None:
    """The registration record of ticket ``number``, if it has one."""
    with store.read() as session:
        return record_of_number(session, RecordKind.ALTA, number.strip())


def qr_for_ticket(store: TillStore, number: str) -> str | None:
    """The AEAT verification URL to print on ticket ``number``; None without a record."""
    with store.read() as session:
        record = record_of_number(session, RecordKind.ALTA, number.strip())
        identity = current_identity(session)
    if record is None:
        return None
    environment = Environment.PRODUCTION
    if identity is not None and identity.environment == "test":
        environment = Environment.TEST
    return qr_url(record.issuer_nif, record.number, record.issued_on, record.total, environment)
