"""The outbox: one entry per recorded ticket, waiting to be pushed to PrestaShop.

States: ``pending`` → ``pushed`` (final: the shop's order id and reference are kept), or
``pending`` → ``refused`` (the shop cannot take it: a deleted product, a broken schema; the
reason is shown to a manager) → ``pending`` again when a manager retries it. A failed attempt
(network, timeout) stays ``pending`` with ``attempts`` + 1 and ``last_error``. Entries are never
deleted; a trigger keeps a pushed entry as it is.

The entry is written by ``tickets.py`` in the ticket's own transaction; the sync worker reads
and updates it here, one short write transaction per step.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.i18n import _
from app.till.errors import TicketNotFound
from app.till.models import OutboxRow, TicketRow
from app.till.records import Ticket
from app.till.store import TillStore
from app.till.ticket_rows import load_tickets


class OutboxStatus(enum.Enum):
    PENDING = "pending"
    PUSHED = "pushed"
    REFUSED = "refused"


@dataclass(frozen=True)
class OutboxEntry:
    uuid: str
    kind: str
    ticket_number: str
    status: OutboxStatus
    attempts: int
    last_error: str
    refused_reason: str
    created_at: datetime
    updated_at: datetime
    pushed_at: datetime | None
    id_order: int | None
    order_reference: str | None


def add_entry(session: Session, ticket_id: int, ticket: Ticket, now: datetime) -> None:
    session.add(
        OutboxRow(
            ticket_id=ticket_id,
            uuid=ticket.uuid,
            kind=ticket.kind.value,
            status=OutboxStatus.PENDING.value,
            attempts=0,
            last_error="",
            refused_reason="",
            created_at=now,
            updated_at=now,
        )
    )


def pending_entries(store: TillStore, limit: int = 50) -> list[tuple[OutboxEntry, Ticket]]:
    """The oldest pending entries with their tickets, in recording order."""
    with store.read() as session:
        rows = session.execute(
            select(OutboxRow, TicketRow)
            .join(TicketRow, TicketRow.id == OutboxRow.ticket_id)
            .where(OutboxRow.status == OutboxStatus.PENDING.value)
            .order_by(OutboxRow.id)
            .limit(limit)
        ).all()
        tickets = load_tickets(session, [ticket for _entry, ticket in rows])
        return [
            (_to_entry(entry, ticket.number), record)
            for (entry, ticket), record in zip(rows, tickets, strict=True)
        ]


def entries(store: TillStore, status: OutboxStatus | None = None) -> list[OutboxEntry]:
    """Every entry (or those in ``status``), oldest first."""
    statement = select(OutboxRow, TicketRow.number).join(
        TicketRow, TicketRow.id == OutboxRow.ticket_id
    )
    if status is not None:
        statement = statement.where(OutboxRow.status == status.value)
    with store.read() as session:
        rows = session.execute(statement.order_by(OutboxRow.id)).all()
        return [_to_entry(entry, number) for entry, number in rows]


def count_by_status(store: TillStore) -> dict[OutboxStatus, int]:
    with store.read() as session:
        rows = session.execute(
            select(OutboxRow.status, func.count()).group_by(OutboxRow.status)
        ).all()
    counts = dict.fromkeys(OutboxStatus, 0)
    counts.update({OutboxStatus(status): count for status, count in rows})
    return counts


def mark_pushed(
    store: TillStore, uuid: str, id_order: int, reference: str, now: datetime | None = None
) -> OutboxEntry:
    return _update(
        store,
        uuid,
        OutboxStatus.PUSHED,
        now,
        attempt=True,
        id_order=id_order,
        order_reference=reference,
    )


def mark_failed(
    store: TillStore, uuid: str, error: str, now: datetime | None = None
) -> OutboxEntry:
    """A push attempt failed for a passing reason: stays pending, one attempt more."""
    return _update(store, uuid, OutboxStatus.PENDING, now, last_error=error, attempt=True)


def mark_refused(
    store: TillStore, uuid: str, reason: str, now: datetime | None = None
) -> OutboxEntry:
    return _update(store, uuid, OutboxStatus.REFUSED, now, refused_reason=reason, attempt=True)


def retry_refused(store: TillStore, uuid: str, now: datetime | None = None) -> OutboxEntry:
    """A manager sends a refused entry back to the queue."""
    return _update(store, uuid, OutboxStatus.PENDING, now, from_status=OutboxStatus.REFUSED)


def _update(
    store: TillStore,
    uuid: str,
    status: OutboxStatus,
    now: datetime | None,
    *,
    attempt: bool = False,
    from_status: OutboxStatus = OutboxStatus.PENDING,
    **values: object,
) -> OutboxEntry:
    moment = now or datetime.now()
    with store.write() as session:
        row = session.scalars(select(OutboxRow).where(OutboxRow.uuid == uuid)).one_or_none()
        if row is None:
            raise TicketNotFound(_("No outbox entry for sale {uuid}.").format(uuid=uuid))
        if row.status != from_status.value:
            raise ValueError(f"outbox entry {uuid} is {row.status}, not {from_status.value}")
        row.status = status.value
        row.updated_at = moment
        row.attempts += 1 if attempt else 0
        row.pushed_at = moment if status is OutboxStatus.PUSHED else None
        for name, value in values.items():
            setattr(row, name, value)
        number = session.scalars(select(TicketRow.number).where(TicketRow.id == row.ticket_id))
        return _to_entry(row, number.one())


def _to_entry(row: OutboxRow, number: str) -> OutboxEntry:
    return OutboxEntry(
        uuid=row.uuid,
        kind=row.kind,
        ticket_number=number,
        status=OutboxStatus(row.status),
        attempts=row.attempts,
        last_error=row.last_error,
        refused_reason=row.refused_reason,
        created_at=row.created_at,
        updated_at=row.updated_at,
        pushed_at=row.pushed_at,
        id_order=row.id_order,
        order_reference=row.order_reference,
    )
