"""Parked tickets: carts put aside (a customer went to fetch something) and recalled later.

The cart is stored as the cart module serialises it (a JSON object as text): the till store
does not interpret it. Recalling takes the cart back and removes it in one transaction, so two
screens can never both recall the same parked ticket.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from app.i18n import _
from app.till.errors import ParkedTicketNotFound, TicketRefused
from app.till.models import ParkedTicketRow
from app.till.store import TillStore


@dataclass(frozen=True)
class ParkedTicket:
    id: str
    label: str
    id_employee: int
    cart_json: str
    created_at: datetime
    updated_at: datetime


def park(
    store: TillStore,
    cart_json: str,
    label: str,
    employee: int,
    *,
    parked_id: str | None = None,
    now: datetime | None = None,
) -> ParkedTicket:
    """Park a cart (``parked_id`` given: replace that parked ticket's cart and label)."""
    _check_cart(cart_json)
    moment = now or datetime.now()
    with store.write() as session:
        row = session.get(ParkedTicketRow, parked_id) if parked_id else None
        if row is None:
            row = ParkedTicketRow(
                id=parked_id or str(uuid.uuid4()), till=store.till, created_at=moment
            )
            session.add(row)
        row.label, row.id_employee, row.cart, row.updated_at = label, employee, cart_json, moment
        session.flush()
        return _to_parked(row)


def parked_tickets(store: TillStore) -> list[ParkedTicket]:
    """The till's parked tickets, oldest first."""
    with store.read() as session:
        rows = session.scalars(
            select(ParkedTicketRow)
            .where(ParkedTicketRow.till == store.till)
            .order_by(ParkedTicketRow.created_at)
        )
        return [_to_parked(row) for row in rows]


def recall(store: TillStore, parked_id: str) -> ParkedTicket:
    """Take a parked ticket back (it leaves the list)."""
    with store.write() as session:
        row = session.get(ParkedTicketRow, parked_id)
        if row is None:
            raise ParkedTicketNotFound(_("That parked ticket was already recalled or deleted."))
        parked = _to_parked(row)
        session.delete(row)
        return parked


def delete_parked(store: TillStore, parked_id: str) -> bool:
    """Throw a parked ticket away; False if it was already gone."""
    with store.write() as session:
        row = session.get(ParkedTicketRow, parked_id)
        if row is None:
            return False
        session.delete(row)
        return True


def _check_cart(cart_json: str) -> None:
    try:
        value = json.loads(cart_json)
    except (TypeError, ValueError) as error:
        raise TicketRefused(_("The cart to park is not valid JSON.")) from error
    if not isinstance(value, dict):
        raise TicketRefused(_("The cart to park is not valid JSON."))


def _to_parked(row: ParkedTicketRow) -> ParkedTicket:
    return ParkedTicket(
        row.id, row.label, row.id_employee, row.cart, row.created_at, row.updated_at
    )
