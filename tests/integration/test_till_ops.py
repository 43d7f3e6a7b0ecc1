"""The worker functions of the cash and returns screens on a real till store (no Qt)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import replace
from decimal import Decimal as D
from pathlib import Path

import pytest
from PIL import Image

from app import till_ops
from app.config import settings as cfg
from app.sale.cart import Cart
from app.sale.checkout import checkout
from app.sale.payment_methods import PaymentPlan
from app.sale.price_inputs import StoreSource, find_employee
from app.sale.returns import ORIGINAL
from app.till.cash_drawer import current_cash_session, get_cash_session
from app.till.cash_session import CashSessionState, MovementKind
from app.till.errors import CashSessionRefused, TicketNotFound, TicketRefused
from app.till.records import Ticket
from app.till.store import open_store
from app.till.tickets import get_ticket
from app.till.z_report import z_report
from app.till_runtime import PrefetchingSource, TillRuntime
from printing.document import plain_text
from tests.integration.test_checkout import fill_shop, scan


@pytest.fixture
def runtime(tmp_path: Path) -> Iterator[TillRuntime]:
    with open_store("T1", tmp_path / "till-T1.sqlite3") as store:
        fill_shop(store)
        source = PrefetchingSource(StoreSource(store))
        cashier = replace(find_employee(store, 2), is_manager=False)
        yield TillRuntime(store, source, cashier, None)


def _sell(runtime: TillRuntime, *, card: bool = False) -> Ticket:
    """3 tazas and 1 camiseta, 14,89 € (see tests/integration/test_returns.py)."""
    cart = Cart(StoreSource(runtime.store))
    cart.add(scan(runtime.store, "8400000000028"), 3)
    cart.set_line_discount(cart.lines[0], D("10"))
    cart.add(scan(runtime.store, "8400000000011"))
    total = cart.totals.total_tax_incl
    plan = PaymentPlan(total)
    plan.add("card" if card else "cash", total)
    return checkout(runtime.store, cart, plan, runtime.employee)


def test_the_float_counted_by_note_and_coin_opens_the_session(runtime: TillRuntime) -> None:
    session = till_ops.open_cash(runtime, {"50": 2, "0.20": 3, "5": 1})
    assert session.opening_float == D("105.60")
    assert current_cash_session(runtime.store) == session


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (None, "type an amount"),
        (D("-5"), "cannot be"),
        (D("0"), "cannot be"),
        (D("1.005"), "at most 2 decimals"),
        (D("2400000000013"), "more than"),
    ],
)
def test_a_bad_cash_amount_is_refused_and_nothing_is_recorded(
    runtime: TillRuntime, value: D | None, message: str
) -> None:
    till_ops.open_cash(runtime, D("100.00"))
    with pytest.raises(CashSessionRefused, match=message):
        till_ops.move_cash(runtime, MovementKind.CASH_OUT, value, "Bank")
    assert z_report(runtime.store).cash.cash_out == 0


def test_cash_in_and_out_change_what_the_drawer_should_hold(runtime: TillRuntime) -> None:
    till_ops.open_cash(runtime, D("100.00"))
    till_ops.move_cash(runtime, MovementKind.CASH_IN, D("50.00"), "Change fund")
    out = till_ops.move_cash(runtime, MovementKind.CASH_OUT, D("20.00"), "Supplier")
    assert (out.amount, out.reason) == (D("-20.00"), "Supplier")
    with pytest.raises(CashSessionRefused, match="Say why"):
        till_ops.move_cash(runtime, MovementKind.CASH_OUT, D("1.00"), "  ")
    assert z_report(runtime.store).expected == D("130.00")


def test_closing_freezes_the_session_and_records_the_difference(runtime: TillRuntime) -> None:
    till_ops.open_cash(runtime, D("100.00"))
    sale = _sell(runtime)
    start = till_ops.begin_closing(runtime)
    assert start.session.state is CashSessionState.CLOSING
    assert (start.expected, start.manager) == (D("114.89"), False)
    assert till_ops.resume_selling(runtime).state is CashSessionState.OPEN
    start = till_ops.begin_closing(runtime)
    result = till_ops.close_session(runtime, {"100": 1, "10": 1, "2": 2}, note=" short ")
    assert result.session.state is CashSessionState.CLOSED
    assert (result.session.counted, result.session.difference) == (D("114.00"), D("-0.89"))
    assert result.report.difference == D("-0.89")
    assert result.report.last_ticket == sale.number
    stored = get_cash_session(runtime.store, start.session.id)
    assert stored is not None and stored.note == "short"
    assert till_ops.last_closed_session_id(runtime.store) == start.session.id
    with pytest.raises(CashSessionRefused, match="no open cash session"):
        till_ops.begin_closing(runtime)


def test_a_manager_is_told_so(runtime: TillRuntime) -> None:
    till_ops.open_cash(runtime, D("10.00"))
    runtime.employee = replace(runtime.employee, is_manager=True)
    assert till_ops.begin_closing(runtime).manager


def test_the_blind_z_report_keeps_the_count_and_hides_the_expected_cash(
    runtime: TillRuntime,
) -> None:
    till_ops.open_cash(runtime, D("100.00"))
    _sell(runtime)
    closed = till_ops.close_session(runtime, D("120.00")).session
    settings = cfg.Settings.load(Path("/nonexistent/settings.json"))
    full = plain_text(till_ops.z_report_document(runtime.store, closed.id, settings, blind=False))
    blind = plain_text(till_ops.z_report_document(runtime.store, closed.id, settings, blind=True))
    assert "Expected in drawer" in full and "Difference" in full
    assert "Expected" not in blind and "Difference" not in blind and "Opening float" not in blind
    assert "Counted" in blind and "NET SALES" in blind
    png = till_ops.z_report_image(runtime, closed.id, blind=True, settings=settings)
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG" and image.height > 400


def test_the_z_report_prints_to_the_configured_printer(
    runtime: TillRuntime, tmp_path: Path
) -> None:
    till_ops.open_cash(runtime, D("100.00"))
    closed = till_ops.close_session(runtime, D("100.00")).session
    settings = cfg.Settings.load(tmp_path / "settings.json")
    request = till_ops.ZPrintRequest(closed.id, blind=False)
    assert not till_ops.print_z_report(runtime, request, settings).ok  # no printer yet
    paper = tmp_path / "z.bin"
    settings.set(cfg.PRINTER, f"file:{paper}")
    assert till_ops.print_z_report(runtime, request, settings).ok
    assert b"Z REPORT" in paper.read_bytes()


def test_a_partial_return_with_restock_is_priced_as_sold(runtime: TillRuntime) -> None:
    till_ops.open_cash(runtime, D("100.00"))
    sale = _sell(runtime)
    context = till_ops.load_return(runtime, f" {sale.number} ")
    assert [(ln.sold, ln.returnable) for ln in context.lines] == [(3, 3), (1, 1)]
    assert [m.code for m in context.methods] == ["cash"]
    preview = till_ops.refund_preview(
        context, {1: 1}, method="cash", restock=True, employee=runtime.employee
    )
    assert preview is not None and preview.total_tax_incl == D("0.93")
    back = till_ops.record_return(runtime, sale.number, {1: 1, 2: 0}, method="cash", restock=True)
    assert back.total_tax_incl == D("0.93") and back.original_ticket == sale.number
    stored = get_ticket(runtime.store, back.number)
    assert stored is not None and [(ln.quantity, ln.restock) for ln in stored.lines] == [(1, True)]
    again = till_ops.load_return(runtime, sale.number)
    assert [(ln.returned, ln.returnable) for ln in again.lines] == [(1, 2), (0, 1)]


def test_a_card_sale_can_go_back_to_the_card_or_in_cash(runtime: TillRuntime) -> None:
    till_ops.open_cash(runtime, D("100.00"))
    sale = _sell(runtime, card=True)
    context = till_ops.load_return(runtime, sale.number)
    assert [m.code for m in context.methods] == [ORIGINAL, "cash"]
    assert "Tarjeta" in context.methods[0].label
    back = till_ops.record_return(
        runtime, sale.number, {1: 3, 2: 1}, method=ORIGINAL, restock=False
    )
    assert [(p.method, p.amount) for p in back.payments] == [("card", D("14.89"))]
    assert till_ops.load_return(runtime, sale.number).fully_returned


def test_too_many_units_an_empty_return_or_an_unknown_ticket_are_refused(
    runtime: TillRuntime,
) -> None:
    till_ops.open_cash(runtime, D("100.00"))
    sale = _sell(runtime)
    with pytest.raises(TicketRefused, match="1 unit\\(s\\) can still be refunded, 2 asked"):
        till_ops.record_return(runtime, sale.number, {2: 2}, method="cash", restock=True)
    with pytest.raises(TicketRefused, match="at least one unit"):
        till_ops.record_return(runtime, sale.number, {1: 0}, method="cash", restock=True)
    with pytest.raises(TicketNotFound, match="no ticket T1-2020-000999"):
        till_ops.load_return(runtime, "T1-2020-000999")
