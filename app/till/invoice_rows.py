"""Full invoices ↔ till store rows (step 8): insert one, read them back.

Helpers taking the caller's ``Session``: an F1 is inserted in the transaction of its sale
(``app.till.tickets``), an F3 in the exchange's (``app.till.invoices``).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from app.till.records import TicketCustomer
from app.verifactu.ledger import corrected_recipient
from app.verifactu.recipient import Recipient

F1 = "F1"
F3 = "F3"


@dataclass(frozen=True)
class InvoiceRow:
    id: int
    number: str
    kind: str  # F1 or F3
    ticket_id: int | None  # F1: its sale
    issued_at: datetime
    recipient: Recipient
    content: Mapping[str, Any]  # F3: lines, breakdown, totals, replaced tickets


_SELECT = "SELECT id, number, kind, ticket_id, issued_at, recipient, content FROM invoices i"


def insert_invoice(
    session: Session,
    row: InvoiceRow,
    customer: TicketCustomer | None = None,
) -> int:
    """Insert ``row`` (its ``id`` is ignored); the new id."""
    values = {
        "number": row.number,
        "kind": row.kind,
        "ticket_id": row.ticket_id,
        "issued_at": row.issued_at.isoformat(sep=" ", timespec="seconds"),
        "recipient": json.dumps(row.recipient.as_dict(), ensure_ascii=False),
        "content": json.dumps(row.content, ensure_ascii=False, sort_keys=True),
        "id_customer": customer.id_customer if customer else None,
        "customer_email": customer.email if customer else "",
    }
    names = ", ".join(values)
    marks = ", ".join(f":{name}" for name in values)
    statement = text(f"INSERT INTO invoices ({names}) VALUES ({marks}) RETURNING id")
    return int(session.execute(statement, values).scalar_one())


def insert_substitutions(session: Session, invoice_id: int, ticket_ids: Sequence[int]) -> None:
    session.execute(
        text("INSERT INTO invoice_substitutions (invoice_id, ticket_id) VALUES (:i, :t)"),
        [{"i": invoice_id, "t": ticket_id} for ticket_id in ticket_ids],
    )


def invoice_by_number(session: Session, number: str) -> InvoiceRow | None:
    rows = _select(session, "WHERE number = :number", number=number.strip())
    return rows[0] if rows else None


def invoice_of_ticket(session: Session, ticket_id: int) -> InvoiceRow | None:
    """The full invoice a sale is (F1), or the F3 that replaced it; None if there is none."""
    rows = _select(
        session,
        "WHERE ticket_id = :id OR id = (SELECT invoice_id FROM invoice_substitutions "
        "WHERE ticket_id = :id)",
        id=ticket_id,
    )
    return rows[0] if rows else None


def last_recipient(session: Session, customer: TicketCustomer) -> Recipient | None:
    """Who the last invoice to ``customer`` was issued to, to offer it again."""
    if customer.is_walk_in or (customer.id_customer is None and not customer.email):
        return None
    rows = _select(
        session,
        "WHERE (id_customer = :id OR (:email != '' AND customer_email = :email)) "
        "ORDER BY id DESC LIMIT 1",
        id=customer.id_customer,
        email=customer.email,
    )
    return current_recipient(session, rows[0]) if rows else None


def current_recipient(session: Session, invoice: InvoiceRow) -> Recipient:
    """Who ``invoice`` is issued to now: as issued, or as a manager last corrected it
    (a VERI*FACTU correction, ``app.verifactu.corrections``)."""
    return corrected_recipient(session, invoice.number) or invoice.recipient


def _select(session: Session, where: str, **params: Any) -> list[InvoiceRow]:
    result = session.execute(text(f"{_SELECT} {where}"), params)
    return [
        InvoiceRow(
            id=int(row[0]),
            number=str(row[1]),
            kind=str(row[2]),
            ticket_id=None if row[3] is None else int(row[3]),
            issued_at=datetime.fromisoformat(str(row[4])),
            recipient=Recipient.from_dict(json.loads(str(row[5]))),
            content=json.loads(str(row[6])),
        )
        for row in result
    ]
