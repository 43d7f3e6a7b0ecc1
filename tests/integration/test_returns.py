"""Returns on a real till store: refunds priced as sold, partial, refused when too much."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from decimal import Decimal as D
from pathlib import Path

import pytest

from app.sale.cart import Cart
from app.sale.checkout import checkout
from app.sale.payment_methods import PaymentPlan
from app.sale.price_inputs import StoreSource, find_employee
from app.sale.returns import ReturnLine, refund
from app.till.cash_drawer import current_cash_session, open_cash_session
from app.till.errors import TicketNotFound, TicketRefused
from app.till.records import TenderKind, Ticket, TicketKind
from app.till.store import TillStore, open_store
from app.till.tickets import get_ticket, refundable_quantities
from app.till.z_report import z_report
from tests.integration.test_checkout import fill_shop, scan


@pytest.fixture
def store(tmp_path: Path) -> Iterator[TillStore]:
    with open_store("T1", tmp_path / "till-T1.sqlite3") as till:
        fill_shop(till)
        open_cash_session(till, D("100.00"), 1)
        yield till


def _sell(store: TillStore, *, card: bool = False) -> Ticket:
    """3 tazas at 1,035 (1,15 − 10 % from 3 units) with 10 % off the line: 2,7945 → 2,79;
    + 1 camiseta 12,10 = 14,89."""
    cart = Cart(StoreSource(store))
    cart.add(scan(store, "8400000000028"), 3)
    cart.set_line_discount(cart.lines[0], D("10"))
    cart.add(scan(store, "8400000000011"))
    total = cart.totals.total_tax_incl
    plan = PaymentPlan(total)
    plan.add("card" if card else "cash", total)
    return checkout(store, cart, plan, find_employee(store, 2))


def test_a_partial_return_is_priced_as_sold_and_paid_back_in_cash(store: TillStore) -> None:
    sale = _sell(store)
    assert sale.total_tax_incl == D("14.89")
    back = refund(store, sale.number, find_employee(store, 2), [ReturnLine(1, 1, restock=False)])
    assert back.kind is TicketKind.REFUND and back.original_ticket == sale.number
    assert back.number == f"T1-R-{datetime.now().year}-000001"
    [line] = back.lines
    sold = sale.lines[0]
    assert (line.original_line_no, line.quantity, line.restock) == (1, 1, False)
    assert line.unit_price_tax_incl == sold.unit_price_tax_incl
    assert line.discount_percent == D("10")
    assert line.total_tax_incl == D("0.930000")  # 2,79 / 3
    assert back.total_tax_incl == D("0.93")
    [payment] = back.payments
    assert (payment.tender, payment.amount) == (TenderKind.CASH, D("0.93"))
    assert get_ticket(store, back.number) == back
    session = current_cash_session(store)
    assert session is not None
    assert z_report(store).expected == D("100.00") + D("14.89") - D("0.93")


def test_the_last_units_take_exactly_what_is_left_of_the_line(store: TillStore) -> None:
    sale = _sell(store)
    employee = find_employee(store)
    first = refund(store, sale.number, employee, [ReturnLine(1, 1)])
    second = refund(store, sale.number, employee, [ReturnLine(1, 2)])
    assert first.total_tax_incl + second.total_tax_incl == D("2.79")
    taxes = first.lines[0].taxes[0].total_amount + second.lines[0].taxes[0].total_amount
    assert taxes == sale.lines[0].taxes[0].total_amount
    assert refundable_quantities(store, sale.number) == {1: 0, 2: 1}


def test_a_whole_return_by_card_goes_back_to_the_card(store: TillStore) -> None:
    sale = _sell(store, card=True)
    back = refund(store, f"  {sale.number} ", find_employee(store))
    assert back.total_tax_incl == sale.total_tax_incl
    assert [(p.method, p.amount) for p in back.payments] == [("card", D("14.89"))]
    assert [line.quantity for line in back.lines] == [3, 1]
    assert [line.total_tax_incl for line in back.lines] == [
        line.total_tax_incl for line in sale.lines
    ]
    with pytest.raises(TicketRefused, match="already been refunded"):
        refund(store, sale.number, find_employee(store))


def test_returning_more_than_is_left_is_refused(store: TillStore) -> None:
    sale = _sell(store)
    employee = find_employee(store)
    refund(store, sale.number, employee, [ReturnLine(1, 2)])
    with pytest.raises(TicketRefused, match="1 unit\\(s\\) can still be refunded, 2 asked"):
        refund(store, sale.number, employee, [ReturnLine(1, 2)])
    with pytest.raises(TicketRefused, match="has no line 7"):
        refund(store, sale.number, employee, [ReturnLine(7, 1)])
    assert refundable_quantities(store, sale.number) == {1: 1, 2: 1}


def test_an_unknown_ticket_or_a_refund_number_is_refused(store: TillStore) -> None:
    with pytest.raises(TicketNotFound, match="There is no ticket T1-2020-000999"):
        refund(store, "T1-2020-000999", find_employee(store))
    sale = _sell(store)
    back = refund(store, sale.number, find_employee(store), [ReturnLine(2, 1)])
    with pytest.raises(TicketRefused, match="is a refund"):
        refund(store, back.number, find_employee(store))
