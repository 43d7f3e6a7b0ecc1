"""The outbox's states and parked tickets, on a real store."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from decimal import Decimal as D
from pathlib import Path

import pytest

from app.till.cash_drawer import open_cash_session
from app.till.errors import ParkedTicketNotFound, TicketNotFound, TicketRefused
from app.till.outbox import (
    OutboxStatus,
    count_by_status,
    entries,
    mark_failed,
    mark_pushed,
    mark_refused,
    pending_entries,
    retry_refused,
)
from app.till.parked import delete_parked, park, parked_tickets, recall
from app.till.samples import Item, sample_ticket
from app.till.store import TillStore, open_store
from app.till.tickets import record_sale


@pytest.fixture
def store(tmp_path: Path) -> Iterator[TillStore]:
    with open_store("T1", tmp_path / "till-T1.sqlite3") as till:
        open_cash_session(till, D("0"), 1)
        yield till


def test_outbox_life(store: TillStore) -> None:
    a, b, c = (record_sale(store, sample_ticket("T1", [Item(n, 1, D("1.00"))])) for n in (1, 2, 3))
    assert [(e.uuid, t) for e, t in pending_entries(store)] == [
        (a.uuid, a),
        (b.uuid, b),
        (c.uuid, c),
    ]
    failed = mark_failed(store, a.uuid, "timeout")
    assert (failed.status, failed.attempts, failed.last_error) == (
        OutboxStatus.PENDING,
        1,
        "timeout",
    )
    pushed = mark_pushed(store, a.uuid, 1234, "XKBKNABJK")
    assert (pushed.status, pushed.attempts, pushed.id_order, pushed.order_reference) == (
        OutboxStatus.PUSHED,
        2,
        1234,
        "XKBKNABJK",
    )
    assert pushed.pushed_at is not None and pushed.ticket_number == a.number
    refused = mark_refused(store, b.uuid, "product 2 was deleted")
    assert (refused.status, refused.refused_reason) == (
        OutboxStatus.REFUSED,
        "product 2 was deleted",
    )
    assert [t.uuid for _e, t in pending_entries(store)] == [c.uuid]
    assert count_by_status(store) == {
        OutboxStatus.PENDING: 1,
        OutboxStatus.PUSHED: 1,
        OutboxStatus.REFUSED: 1,
    }
    assert retry_refused(store, b.uuid).status is OutboxStatus.PENDING
    assert [e.uuid for e in entries(store, OutboxStatus.PENDING)] == [b.uuid, c.uuid]
    with pytest.raises(ValueError, match="pushed"):
        mark_failed(store, a.uuid, "again")
    with pytest.raises(TicketNotFound):
        mark_pushed(store, "unknown", 1, "X")
    with sqlite3.connect(store.path) as db, pytest.raises(sqlite3.IntegrityError, match="never"):
        db.execute("UPDATE outbox SET status = 'pending' WHERE status = 'pushed'")


def test_park_recall_delete(store: TillStore) -> None:
    cart = json.dumps({"lines": [{"id_product": 1, "quantity": "2"}]})
    first = park(store, cart, "Señora del abrigo", 1)
    second = park(store, "{}", "", 2)
    assert [p.id for p in parked_tickets(store)] == [first.id, second.id]
    again = park(store, '{"lines": []}', "Abrigo", 1, parked_id=first.id)
    assert (again.id, again.label, again.cart_json, again.created_at) == (
        first.id,
        "Abrigo",
        '{"lines": []}',
        first.created_at,
    )
    recalled = recall(store, first.id)
    assert recalled.cart_json == '{"lines": []}'
    with pytest.raises(ParkedTicketNotFound):
        recall(store, first.id)
    assert delete_parked(store, second.id) is True
    assert delete_parked(store, second.id) is False
    assert parked_tickets(store) == []


@pytest.mark.parametrize("cart", ["", "not json", "[1, 2]", "null"])
def test_only_json_objects_are_parked(store: TillStore, cart: str) -> None:
    with pytest.raises(TicketRefused, match="not valid JSON"):
        park(store, cart, "x", 1)
