"""Recording tickets on a real SQLite file: one transaction, numbering, refunds, append-only."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime
from decimal import Decimal as D
from pathlib import Path
from typing import Any

import pytest

from app.till import tickets
from app.till.cash_drawer import open_cash_session, start_closing
from app.till.errors import CashSessionRefused, TicketNotFound, TicketRefused
from app.till.outbox import OutboxStatus, entries
from app.till.records import Ticket, TicketKind
from app.till.samples import Item, card, cash, sample_ticket
from app.till.store import TillStore, open_store
from app.till.tickets import (
    find_ticket_for_return,
    get_ticket,
    last_tickets,
    record_refund,
    record_sale,
    refundable_quantities,
)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[TillStore]:
    with open_store("T1", tmp_path / "till-T1.sqlite3") as till:
        open_cash_session(till, D("100.00"), 1)
        yield till


def _sale(when: datetime | None = None) -> Ticket:
    items = [Item(1, 2, D("3.10")), Item(2, 1, D("9.99"), D("10"), id_product_attribute=5)]
    return sample_ticket(
        "T1", items, [card(D("6.19")), cash(D("10.00"), D("20.00"))], created_at=when
    )


def _refund(original: Ticket, line_no: int, quantity: int) -> Ticket:
    line = original.lines[line_no - 1]
    item = Item(
        line.id_product,
        quantity,
        line.unit_price_tax_incl,
        id_product_attribute=line.id_product_attribute,
    )
    return sample_ticket(
        "T1", [item], kind=TicketKind.REFUND, original=original, original_lines=[line_no]
    )


def _db(store: TillStore) -> sqlite3.Connection:
    return sqlite3.connect(store.path, isolation_level=None)


def test_a_sale_is_stored_whole_and_read_back_equal(store: TillStore) -> None:
    ticket = record_sale(store, _sale())
    assert ticket.number == f"T1-{datetime.now().year}-000001"
    assert ticket.cash_session_id is not None
    assert get_ticket(store, ticket.number) == ticket
    assert last_tickets(store, 5) == [ticket]
    db = _db(store)
    assert db.execute("SELECT count(*) FROM ticket_lines").fetchone() == (2,)
    assert db.execute("SELECT count(*) FROM line_taxes").fetchone() == (2,)
    assert db.execute("SELECT count(*) FROM payments").fetchone() == (2,)
    # The cash movement is the cash kept: given 20 − change 10 = 10.00 (1000 cents).
    assert db.execute("SELECT kind, amount FROM cash_movements").fetchall() == [("sale", 1000)]
    [entry] = entries(store)
    assert (entry.uuid, entry.status, entry.ticket_number) == (
        ticket.uuid,
        OutboxStatus.PENDING,
        ticket.number,
    )


def test_numbers_follow_per_year_and_restart_each_year(store: TillStore) -> None:
    numbers = [
        record_sale(store, _sale(datetime(year, 12, 31))).number
        for year in (2025, 2025, 2026, 2025, 2026)
    ]
    assert numbers == [
        "T1-2025-000001",
        "T1-2025-000002",
        "T1-2026-000001",
        "T1-2025-000003",
        "T1-2026-000002",
    ]


def test_a_rolled_back_sale_gives_its_number_back(
    store: TillStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = record_sale(store, _sale())

    def fail(*_args: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(tickets, "add_entry", fail)
    with pytest.raises(RuntimeError):
        record_sale(store, _sale())
    monkeypatch.undo()
    second = record_sale(store, _sale())
    assert second.number.endswith("-000002"), (first.number, second.number)
    assert [t.number for t in last_tickets(store, 10)] == [second.number, first.number]
    assert _db(store).execute("SELECT count(*) FROM cash_movements").fetchone() == (2,)


def test_numbering_continues_after_reopening(store: TillStore) -> None:
    record_sale(store, _sale())
    record_sale(store, _sale())
    store.close()
    with open_store("T1", store.path) as again:
        assert record_sale(again, _sale()).number.endswith("-000003")


def test_a_retried_draft_is_recorded_once(store: TillStore) -> None:
    draft = _sale()
    first = record_sale(store, draft)
    assert record_sale(store, draft) == first
    assert len(last_tickets(store, 10)) == 1
    with pytest.raises(TicketRefused, match="already recorded"):
        record_sale(store, replace(draft, note="changed"))


def test_a_sale_needs_an_open_session(tmp_path: Path) -> None:
    with open_store("T1", tmp_path / "t.sqlite3") as till:
        with pytest.raises(CashSessionRefused, match="no open cash session"):
            record_sale(till, _sale())
        open_cash_session(till, D("0"), 1)
        start_closing(till)
        with pytest.raises(CashSessionRefused, match="being closed"):
            record_sale(till, _sale())
        assert last_tickets(till) == []


def test_invalid_drafts_refused_before_touching_the_store(store: TillStore) -> None:
    with pytest.raises(TicketRefused, match="do not cover"):
        record_sale(store, replace(_sale(), payments=(card(D("1.00")),)))
    with pytest.raises(TicketRefused, match="belongs to till T2"):
        record_sale(store, replace(_sale(), till="T2"))
    with pytest.raises(TicketRefused, match="not a refund"):
        record_refund(store, _sale())
    assert last_tickets(store) == []


def test_refunds_have_their_own_series_and_point_to_the_sale(store: TillStore) -> None:
    sale = record_sale(store, _sale())
    refund = record_refund(store, _refund(sale, 1, 1))
    year = datetime.now().year
    assert refund.number == f"T1-R-{year}-000001"
    assert refund.original_ticket == sale.number
    assert refundable_quantities(store, sale.number) == {1: 1, 2: 1}
    assert record_sale(store, _sale()).number == f"T1-{year}-000002"
    movements = _db(store).execute("SELECT kind, amount FROM cash_movements ORDER BY id")
    assert movements.fetchall()[1] == ("refund", -310)


def test_refunds_never_exceed_what_was_sold(store: TillStore) -> None:
    sale = record_sale(store, _sale())
    record_refund(store, _refund(sale, 1, 1))
    with pytest.raises(TicketRefused, match="1 unit\\(s\\) can still be refunded, 2 asked"):
        record_refund(store, _refund(sale, 1, 2))
    record_refund(store, _refund(sale, 1, 1))
    with pytest.raises(TicketRefused, match="0 unit\\(s\\) can still be refunded"):
        record_refund(store, _refund(sale, 1, 1))
    # Two lines of one refund giving back the same sold line add up.
    twice = _refund(sale, 2, 1)
    twice = replace(
        twice,
        lines=(twice.lines[0], replace(twice.lines[0], line_no=2)),
        total_tax_incl=D("19.98"),
        total_tax_excl=D("18.16"),
        payments=(cash(D("19.98")),),
    )
    with pytest.raises(TicketRefused, match="can still be refunded, 2 asked"):
        record_refund(store, twice)
    assert refundable_quantities(store, sale.number) == {1: 0, 2: 1}


def test_refund_lines_must_match_the_sold_lines(store: TillStore) -> None:
    sale = record_sale(store, _sale())
    wrong = _refund(sale, 1, 1)
    wrong = replace(wrong, lines=(replace(wrong.lines[0], id_product=99),))
    with pytest.raises(TicketRefused, match="does not match any line"):
        record_refund(store, wrong)
    wrong = _refund(sale, 1, 1)
    wrong = replace(wrong, lines=(replace(wrong.lines[0], original_line_no=7),))
    with pytest.raises(TicketRefused, match="does not match any line"):
        record_refund(store, wrong)


def test_looking_up_the_original_ticket(store: TillStore) -> None:
    sale = record_sale(store, _sale())
    assert find_ticket_for_return(store, f" {sale.number} ") == sale
    with pytest.raises(TicketNotFound, match="no ticket T1-2020-000009"):
        find_ticket_for_return(store, "T1-2020-000009")
    refund = record_refund(store, _refund(sale, 1, 1))
    with pytest.raises(TicketRefused, match="is a refund"):
        find_ticket_for_return(store, refund.number)
    with pytest.raises(TicketRefused, match="is a refund"):
        record_refund(store, replace(_refund(sale, 1, 1), original_ticket=refund.number))
    with pytest.raises(TicketNotFound):
        record_refund(store, replace(_refund(sale, 1, 1), original_ticket="T9-2026-000001"))


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE tickets SET total_tax_incl = 0",
        "UPDATE tickets SET note = 'x'",
        "DELETE FROM tickets",
        "UPDATE ticket_lines SET quantity = 9",
        "DELETE FROM ticket_lines",
        "UPDATE line_taxes SET total_amount = 0",
        "DELETE FROM line_taxes",
        "UPDATE payments SET amount = 1",
        "DELETE FROM payments",
        "UPDATE cash_movements SET amount = 0",
        "DELETE FROM cash_movements",
        "UPDATE ticket_series SET last_number = 1",
        "UPDATE ticket_series SET last_number = last_number + 5",
        "DELETE FROM ticket_series",
        "DELETE FROM outbox",
        "INSERT INTO ticket_lines (ticket_id, line_no, id_product, id_product_attribute, name,"
        " reference, ean13, quantity, original_unit_price_tax_excl, unit_price_tax_excl,"
        " unit_price_tax_incl, total_tax_excl, total_tax_incl)"
        " VALUES (1, 9, 1, 0, 'x', '', '', 1, 0, 0, 0, 0, 0)",
        "INSERT INTO payments (ticket_id, position, method, label, tender, amount)"
        " VALUES (1, 9, 'cash', 'x', 'cash', 1)",
        "INSERT INTO line_taxes (line_id, position, id_tax, name, rate, unit_amount, total_amount)"
        " VALUES (1, 9, 1, 'x', 0, 0, 0)",
    ],
)
def test_paid_tickets_are_append_only(store: TillStore, statement: str) -> None:
    record_sale(store, _sale())
    record_sale(store, _sale())
    with pytest.raises(sqlite3.IntegrityError, match="append-only|forward|never|already has all"):
        _db(store).execute(statement)


def test_a_ticket_cannot_take_a_number_its_series_did_not_give(store: TillStore) -> None:
    record_sale(store, _sale())
    db = _db(store)
    columns = [row[1] for row in db.execute("PRAGMA table_info(tickets)")][1:]
    values = db.execute(f"SELECT {', '.join(columns)} FROM tickets").fetchone()
    row = dict(zip(columns, values, strict=True)) | {"uuid": "other"}
    prefix = f"{row['series']}-{row['year']}-"
    cases: list[tuple[dict[str, Any], str]] = [
        ({"seq": 7, "number": prefix + "000007"}, "number its series"),
        ({"seq": 2, "number": prefix + "000002"}, "number its series"),
        ({"number": prefix + "1"}, "UNIQUE"),
    ]
    for change, message in cases:
        clash = row | change
        marks = ", ".join("?" * len(clash))
        with pytest.raises(sqlite3.IntegrityError, match=message):
            db.execute(
                f"INSERT INTO tickets ({', '.join(clash)}) VALUES ({marks})", list(clash.values())
            )
