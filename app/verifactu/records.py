"""The VERI*FACTU record of each ticket, written in the ticket's own transaction.

* a sale → an F2 (simplified invoice) registration record numbered as the ticket;
* a sale issued as a full invoice → an F1 numbered as the sale (full-invoice series), with
  its recipient (``Destinatarios``);
* a refund → an R5 (rectifying simplified invoice, by differences: negative amounts) in the
  refund series, pointing at the sale it refunds; an R1 (rectifying full invoice) with the
  recipient when the sale is, or was exchanged for, a full invoice (F1 or F3);
* earlier tickets exchanged for a full invoice → an F3 (:func:`exchange_draft`) listing the
  simplified invoices it replaces (``FacturasSustituidas``);
* a ticket issued by mistake → an annulment record (:func:`annul_ticket`), never for a sale
  that took place (that takes a refund).

:func:`record_ticket` is called by ``app.till.tickets`` inside the transaction that inserts the
ticket: both are in the store, or neither. With no identity configured, or the mode off, the
ticket is recorded without a fiscal record. :func:`configure` writes the identity in force,
from the settings (``app.verifactu.setup``).
"""

from __future__ import annotations

import json
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
    corrected_recipient,
    current_identity,
    insert_record,
    record_of_number,
    record_of_ticket,
    save_identity,
)
from app.verifactu.qr import Environment, qr_url
from app.verifactu.recipient import Recipient
from printing.receipt import TaxRow, tax_breakdown

SALE_DESCRIPTION = "Venta en tienda"
REFUND_DESCRIPTION = "Devolución de venta"
EXCHANGE_DESCRIPTION = "Factura completa en sustitución de facturas simplificadas"


def configure(store: TillStore, identity: Identity, now: datetime | None = None) -> bool:
    """Put ``identity`` in force for the next records; False when it already was."""
    with store.write() as session:
        return save_identity(session, identity, now or datetime.now())


def identity_in_force(store: TillStore) -> Identity | None:
    with store.read() as session:
        return current_identity(session)


def record_ticket(
    session: Session,
    ticket: Ticket,
    ticket_id: int,
    now: datetime,
    recipient: Recipient | None = None,
) -> FiscalRecord | None:
    """The fiscal record of ``ticket`` (just inserted as ``ticket_id``), in its transaction;
    an F1 when the sale is issued as a full invoice to ``recipient``."""
    identity = current_identity(session)
    if identity is None or not identity.enabled:
        return None
    draft = ticket_draft(session, ticket, ticket_id, recipient)
    return insert_record(session, identity, draft, now)


def record_exchange(session: Session, draft: RecordDraft, now: datetime) -> FiscalRecord | None:
    """The F3 record of an exchange (:func:`exchange_draft`), in the exchange's transaction."""
    identity = current_identity(session)
    if identity is None or not identity.enabled:
        return None
    return insert_record(session, identity, draft, now)


def ticket_draft(
    session: Session, ticket: Ticket, ticket_id: int, recipient: Recipient | None = None
) -> RecordDraft:
    refund = ticket.kind is TicketKind.REFUND
    sign = Decimal(-1) if refund else Decimal(1)
    rows = tax_breakdown(ticket.lines)
    body: dict[str, Any] = {
        "description": REFUND_DESCRIPTION if refund else SALE_DESCRIPTION,
        "breakdown": _breakdown(rows, sign),
    }
    invoice_type = "F1" if recipient is not None else "F2"
    if refund:
        body["rectification"] = "I"
        original = ticket.original_ticket or ""
        full = _full_invoice_of(session, original)
        if full is None:
            body["rectified"] = [_original_reference(session, original)]
            invoice_type = "R5"
        else:
            body["rectified"] = [full[0]]
            recipient, invoice_type = full[1], "R1"
    if recipient is not None:
        body["recipient"] = recipient_body(recipient)
    return RecordDraft(
        kind=RecordKind.ALTA,
        ticket_id=ticket_id,
        number=ticket.number,
        issued_on=aeat_date(ticket.created_at.date()),
        invoice_type=invoice_type,
        tax_total=amount(sign * sum((r.quota for r in rows), Decimal("0"))),
        total=amount(sign * ticket.total_tax_incl),
        body=body,
    )


def exchange_draft(
    session: Session,
    *,
    number: str,
    issued: datetime,
    rows: tuple[TaxRow, ...],
    recipient: Recipient,
    replaced: list[str],
) -> RecordDraft:
    """The F3 of full invoice ``number`` replacing the tickets ``replaced`` (their numbers)."""
    body: dict[str, Any] = {
        "description": EXCHANGE_DESCRIPTION,
        "breakdown": _breakdown(rows, Decimal(1)),
        "recipient": recipient_body(recipient),
        "substituted": [_original_reference(session, n) for n in replaced],
    }
    issued_on = aeat_date(issued.date())
    operation_days = {ref["issued_on"] for ref in body["substituted"]} - {issued_on}
    if operation_days:  # FechaOperacion: when the sale took place, if not on the invoice's day
        body["operation_date"] = max(operation_days, key=lambda d: datetime.strptime(d, "%d-%m-%Y"))
    return RecordDraft(
        kind=RecordKind.ALTA,
        ticket_id=None,
        number=number,
        issued_on=issued_on,
        invoice_type="F3",
        tax_total=amount(sum((r.quota for r in rows), Decimal("0"))),
        total=amount(sum((r.base + r.quota for r in rows), Decimal("0"))),
        body=body,
    )


def recipient_body(recipient: Recipient) -> dict[str, str]:
    """``IDDestinatario`` as the record keeps it: a NIF, or a foreign id (``IDOtro``)."""
    if recipient.is_spanish_nif:
        return {"name": recipient.name, "nif": recipient.tax_id}
    return {
        "name": recipient.name,
        "country": recipient.country,
        "id_type": recipient.id_type,
        "id": recipient.tax_id,
    }


def _breakdown(rows: tuple[TaxRow, ...], sign: Decimal) -> list[dict[str, str]]:
    return [
        {"rate": amount(r.rate), "base": amount(sign * r.base), "quota": amount(sign * r.quota)}
        for r in rows
    ]


_FULL_INVOICE_OF = text(
    "SELECT i.number, i.issued_at, i.recipient FROM invoices i "
    "JOIN tickets t ON t.id = i.ticket_id WHERE t.number = :number "
    "UNION ALL SELECT i.number, i.issued_at, i.recipient FROM invoices i "
    "JOIN invoice_substitutions s ON s.invoice_id = i.id "
    "JOIN tickets t ON t.id = s.ticket_id WHERE t.number = :number"
)


def _full_invoice_of(session: Session, number: str) -> tuple[dict[str, str], Recipient] | None:
    """The full invoice (F1, or the F3 that replaced it) of sale ``number``: its reference and
    recipient; None for a sale that stays a simplified invoice."""
    row = session.execute(_FULL_INVOICE_OF, {"number": number}).first()
    if row is None:
        return None
    record = record_of_number(session, RecordKind.ALTA, str(row[0]))
    identity = current_identity(session)
    reference = {
        "nif": record.issuer_nif if record else (identity.nif if identity else ""),
        "number": str(row[0]),
        "issued_on": record.issued_on
        if record
        else aeat_date(datetime.fromisoformat(str(row[1])).date()),
    }
    corrected = corrected_recipient(session, str(row[0]))
    return reference, corrected or Recipient.from_dict(json.loads(str(row[2])))


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
