"""Cash sessions in the store: scenarios from opening to closing, and the Z report."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal as D
from pathlib import Path

import pytest

from app.till.cash_drawer import (
    add_cash_movement,
    close_cash_session,
    current_cash_session,
    get_cash_session,
    open_cash_session,
    resume_cash_session,
    start_closing,
)
from app.till.cash_session import CashSessionState, MovementKind
from app.till.errors import CashSessionRefused
from app.till.records import TenderKind, Ticket, TicketKind, TicketPayment
from app.till.samples import Item, card, cash, sample_ticket
from app.till.store import TillStore, open_store
from app.till.tickets import record_refund, record_sale
from app.till.z_report import z_report


@pytest.fixture
def store(tmp_path: Path) -> Iterator[TillStore]:
    with open_store("T1", tmp_path / "till-T1.sqlite3") as till:
        yield till


def _bizum(amount: D) -> TicketPayment:
    return TicketPayment("bizum", "Bizum", TenderKind.OTHER, amount)


@dataclass(frozen=True)
class Scenario:
    name: str
    opening_float: str
    sales: list[tuple[str, list[TicketPayment]]]  # (unit price of 1 item at 21 %, payments)
    refunds: list[int] = field(default_factory=list)  # index of the sale refunded, in cash
    moves: list[tuple[MovementKind, str]] = field(default_factory=list)
    counted: str = "0"
    expected: str = "0"
    difference: str = "0"


SCENARIOS = [
    Scenario("float only", "100.00", [], counted="100.00", expected="100.00", difference="0"),
    Scenario(
        "cash with change",
        "50.00",
        [("12.35", [cash(D("12.35"), D("20.00"))])],
        counted="62.35",
        expected="62.35",
    ),
    Scenario(
        "card only", "50.00", [("30.00", [card(D("30.00"))])], counted="50.00", expected="50.00"
    ),
    Scenario(
        "mixed with change",
        "20.00",
        [("25.00", [card(D("15.00")), cash(D("10.00"), D("50.00"))])],
        counted="29.00",
        expected="30.00",
        difference="-1.00",
    ),
    Scenario(
        "cash refund",
        "100.00",
        [("10.00", [cash(D("10.00"))]), ("4.50", [cash(D("4.50"), D("5.00"))])],
        refunds=[0],
        counted="104.50",
        expected="104.50",
    ),
    Scenario(
        "ins and outs",
        "100.00",
        [("8.80", [cash(D("8.80"))])],
        moves=[(MovementKind.CASH_IN, "50.00"), (MovementKind.CASH_OUT, "120.00")],
        counted="39.00",
        expected="38.80",
        difference="0.20",
    ),
    Scenario(
        "everything",
        "20.00",
        [
            ("40.00", [_bizum(D("40.00"))]),
            ("19.99", [cash(D("9.99"), D("10.00")), card(D("10.00"))]),
        ],
        refunds=[1],
        moves=[(MovementKind.CASH_IN, "5.00")],
        counted="14.90",
        expected="15.00",
        difference="-0.10",
    ),
]


def _play(store: TillStore, scenario: Scenario) -> list[Ticket]:
    open_cash_session(store, D(scenario.opening_float), 1)
    sold = [
        record_sale(store, sample_ticket("T1", [Item(1, 1, D(price))], payments))
        for price, payments in scenario.sales
    ]
    for index in scenario.refunds:
        original = sold[index]
        refund = sample_ticket(
            "T1",
            [Item(1, 1, original.lines[0].unit_price_tax_incl)],
            kind=TicketKind.REFUND,
            original=original,
            original_lines=[1],
        )
        record_refund(store, refund)
    for kind, amount in scenario.moves:
        add_cash_movement(
            store, kind, D(amount), "bank" if kind is MovementKind.CASH_OUT else "change fund", 1
        )
    return sold


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.name)
def test_closing_scenarios(store: TillStore, scenario: Scenario) -> None:
    _play(store, scenario)
    closed = close_cash_session(store, D(scenario.counted), 2, note="end of day")
    assert closed.state is CashSessionState.CLOSED
    assert closed.expected == D(scenario.expected)
    assert closed.counted == D(scenario.counted)
    assert closed.difference == D(scenario.difference)
    stored = get_cash_session(store, closed.id)
    assert stored is not None and (stored.expected, stored.difference, stored.note) == (
        closed.expected,
        closed.difference,
        "end of day",
    )
    assert current_cash_session(store) is None


def test_close_by_denomination(store: TillStore) -> None:
    open_cash_session(store, D("100.00"), 1)
    record_sale(store, sample_ticket("T1", [Item(1, 1, D("3.45"))]))
    closed = close_cash_session(store, {"50": 2, "2": 1, "1": 1, "0.20": 2, "0.05": 1}, 1)
    assert (closed.counted, closed.expected, closed.difference) == (
        D("103.45"),
        D("103.45"),
        D("0.00"),
    )
    stored = get_cash_session(store, closed.id)
    assert stored is not None and stored.counted_detail == closed.counted_detail
    assert stored.counted_detail[0] == (D("50"), 2)


def test_one_session_at_a_time_and_refused_moves(store: TillStore) -> None:
    with pytest.raises(CashSessionRefused, match="no open cash session"):
        add_cash_movement(store, MovementKind.CASH_IN, D("1.00"), "x", 1)
    with pytest.raises(CashSessionRefused, match="no cash session to close"):
        close_cash_session(store, D("0"), 1)
    first = open_cash_session(store, D("10.00"), 1)
    with pytest.raises(CashSessionRefused, match="already open"):
        open_cash_session(store, D("10.00"), 1)
    with pytest.raises(CashSessionRefused, match="Say why"):
        add_cash_movement(store, MovementKind.CASH_OUT, D("1.00"), "  ", 1)
    with pytest.raises(CashSessionRefused, match="cannot be"):
        add_cash_movement(store, MovementKind.CASH_OUT, D("0"), "x", 1)
    with pytest.raises(CashSessionRefused, match="by hand"):
        add_cash_movement(store, MovementKind.SALE, D("1.00"), "x", 1)
    start_closing(store)
    with pytest.raises(CashSessionRefused, match="being closed"):
        add_cash_movement(store, MovementKind.CASH_IN, D("1.00"), "x", 1)
    with pytest.raises(CashSessionRefused, match="already open"):
        open_cash_session(store, D("10.00"), 1)
    assert resume_cash_session(store).state is CashSessionState.OPEN
    close_cash_session(store, D("10.00"), 1)
    second = open_cash_session(store, D("5.00"), 1)
    assert second.id != first.id


def test_a_closed_session_never_changes(store: TillStore) -> None:
    open_cash_session(store, D("10.00"), 1)
    closed = close_cash_session(store, D("10.00"), 1)
    with sqlite3.connect(store.path) as db:
        for statement in ("UPDATE cash_sessions SET counted = 0", "DELETE FROM cash_sessions"):
            with pytest.raises(sqlite3.IntegrityError, match="never"):
                db.execute(statement)
        with pytest.raises(sqlite3.IntegrityError, match="open cash session"):
            db.execute(
                "INSERT INTO cash_movements (session_id, kind, amount, id_employee,"
                " created_at) VALUES (?, 'in', 1, 1, '2026-01-01')",
                (closed.id,),
            )


def test_z_report_sums(store: TillStore) -> None:
    sold = _play(store, SCENARIOS[-1])  # bizum 40, mixed 19.99 (9.99 cash), refund 19.99 cash
    record_sale(
        store, sample_ticket("T1", [Item(2, 3, D("1.10"), D("10")), Item(3, 1, D("2.00"), D("4"))])
    )  # 5.30 cash
    add_cash_movement(store, MovementKind.CASH_OUT, D("2.00"), "coffee", 1)
    x = z_report(store)
    assert x.counted is None and x.state is CashSessionState.OPEN
    closed = close_cash_session(store, D("20.00"), 1)
    z = z_report(store, closed.id)
    assert (z.sales.count, z.sales.total_tax_incl) == (3, D("65.29"))
    assert (z.refunds.count, z.refunds.total_tax_incl) == (1, D("19.99"))
    assert z.net_sales == D("45.30")
    methods = {m.method: (m.tender, m.sales, m.refunds) for m in z.by_method}
    assert methods == {
        "bizum": (TenderKind.OTHER, D("40.00"), D("0.00")),
        "card": (TenderKind.CARD, D("10.00"), D("0.00")),
        "cash": (TenderKind.CASH, D("15.29"), D("19.99")),
    }
    rates = {t.rate: (t.base, t.quota) for t in z.sales_by_tax}
    assert rates == {
        D("21"): (D("49.58"), D("10.41")),
        D("10"): (D("3.00"), D("0.30")),
        D("4"): (D("1.92"), D("0.08")),
    }
    assert sum(b + q for b, q in rates.values()) == z.sales.total_tax_incl
    assert {t.rate: (t.base, t.quota) for t in z.refunds_by_tax} == {
        D("21"): (D("16.52"), D("3.47"))
    }
    assert (z.cash.cash_sales, z.cash.cash_refunds, z.cash.cash_in, z.cash.cash_out) == (
        D("15.29"),
        D("19.99"),
        D("5.00"),
        D("2.00"),
    )
    assert z.opening_float == D("20.00") and z.expected == D("18.30")
    assert (z.counted, z.difference) == (D("20.00"), D("1.70"))
    assert [(m.kind, m.amount, m.reason) for m in z.movements] == [
        (MovementKind.CASH_IN, D("5.00"), "change fund"),
        (MovementKind.CASH_OUT, D("-2.00"), "coffee"),
    ]
    assert (z.first_ticket, z.last_ticket) == (sold[0].number, sold[0].number[:-1] + "3")
    assert z.first_refund == z.last_refund and z.first_refund is not None
    assert z.first_refund.startswith("T1-R-")


def test_z_report_of_an_empty_session(store: TillStore) -> None:
    opened = open_cash_session(store, D("80.00"), 1)
    z = z_report(store, opened.id)
    assert (z.sales.count, z.by_method, z.sales_by_tax, z.first_ticket) == (0, (), (), None)
    assert z.expected == D("80.00")
    with pytest.raises(CashSessionRefused):
        z_report(store, "no-such-session")
