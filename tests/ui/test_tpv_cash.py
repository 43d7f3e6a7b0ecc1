"""The cash-session screens on a till filled from the small demo shop: open, move, close, Z."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.connection import ShopTarget, parse_url
from app.formatting import format_money
from app.sale.cart import Cart
from app.sale.checkout import checkout
from app.sale.payment_methods import PaymentPlan
from app.till.cash_drawer import current_cash_session, get_cash_session, open_cash_session
from app.till.cash_session import CashSessionState, MovementKind
from app.till.catalog import find_by_barcode
from app.till.models_catalog import CatalogProduct
from app.till.records import Ticket
from app.till.z_report import z_report
from app.till_ops import ClosingResult, ZPrintRequest
from app.till_runtime import TillRuntime, open_till
from ui.tasks import TaskManager
from ui.tpv.cash_close import CashCloseScreen
from ui.tpv.cash_move import CashMoveDialog
from ui.tpv.cash_open import CashOpenDialog

pytestmark = pytest.mark.parametrize("demo_shop_db", ["sqlite"], indirect=True)


@pytest.fixture
def runtime(demo_shop_db: Any, tmp_path: Path) -> Iterator[TillRuntime]:
    target = ShopTarget(url=parse_url(demo_shop_db.url), prefix=demo_shop_db.prefix, demo=True)
    runtime = open_till(target, "T1", tmp_path / "till-T1.sqlite3")
    runtime.employee = replace(runtime.employee, is_manager=False)  # a cashier
    yield runtime
    runtime.close()


@pytest.fixture
def tasks() -> Iterator[TaskManager]:
    manager = TaskManager()
    yield manager
    manager.shutdown()


def sell(runtime: TillRuntime, quantity: int = 2, method: str = "cash") -> Ticket:
    """A sale of ``quantity`` units of a product without combinations, paid by ``method``."""
    with runtime.store.read() as session:
        codes = session.scalars(
            select(CatalogProduct.ean13).where(
                CatalogProduct.ean13 != "",
                CatalogProduct.active,
                CatalogProduct.has_combinations.is_(False),
            )
        ).all()
    item = next(i for code in codes for i in find_by_barcode(runtime.store, code))
    cart = Cart(runtime.source.inner)
    cart.add(item, quantity)
    plan = PaymentPlan(cart.totals.total_tax_incl)
    plan.add(method, cart.totals.total_tax_incl)
    return checkout(runtime.store, cart, plan, runtime.employee)


def test_the_till_opens_with_the_float_typed(
    qtbot: QtBot, tasks: TaskManager, runtime: TillRuntime
) -> None:
    dialog = CashOpenDialog(None, tasks, runtime)
    qtbot.addWidget(dialog)
    dialog.open()
    dialog.amount.setText("abc")
    qtbot.keyClick(dialog.amount, Qt.Key.Key_Return)
    assert "type an amount" in dialog.message.text()
    dialog.amount.setText("-5")
    qtbot.keyClick(dialog.amount, Qt.Key.Key_Return)
    assert "cannot be" in dialog.message.text()
    dialog.amount.setText("2400000000013")
    qtbot.keyClick(dialog.amount, Qt.Key.Key_Return)
    assert "more than" in dialog.message.text()
    assert current_cash_session(runtime.store) is None
    dialog.amount.setText("150,00")
    with qtbot.waitSignal(dialog.opened) as opened:
        qtbot.keyClick(dialog.amount, Qt.Key.Key_Return)
    assert opened.args[0].opening_float == Decimal("150.00")
    assert runtime.cash_session == current_cash_session(runtime.store) == opened.args[0]
    assert not dialog.isVisible()


def test_the_float_can_be_counted_by_note_and_coin(
    qtbot: QtBot, tasks: TaskManager, runtime: TillRuntime
) -> None:
    dialog = CashOpenDialog(None, tasks, runtime)
    qtbot.addWidget(dialog)
    dialog.open()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    qtbot.keyClick(dialog.amount, Qt.Key.Key_F3)  # a shortcut animates the click: wait for it
    qtbot.waitUntil(lambda: dialog.by_pieces)
    qtbot.waitUntil(dialog.grid.spin("50").hasFocus)
    qtbot.keyClick(dialog.grid.spin("50"), Qt.Key.Key_Return)  # 50 €: none
    qtbot.waitUntil(dialog.grid.spin("20").hasFocus)
    qtbot.keyClicks(dialog.grid.spin("20"), "4")  # typing replaces the 0
    qtbot.keyClick(dialog.grid.spin("20"), Qt.Key.Key_Return)  # on to the next quantity
    assert dialog.grid.spin("10").hasFocus() and dialog.isVisible()
    dialog.grid.rows[Decimal("0.50")].plus.click()
    dialog.grid.rows[Decimal("0.50")].plus.click()
    assert format_money(Decimal("81.00")) in dialog.counted.text()
    with qtbot.waitSignal(dialog.opened):
        dialog.open_button.click()
    session = current_cash_session(runtime.store)
    assert session is not None and session.opening_float == Decimal("81.00")


def test_cash_goes_in_and_out_with_a_reason(
    qtbot: QtBot, tasks: TaskManager, runtime: TillRuntime
) -> None:
    open_cash_session(runtime.store, Decimal("100.00"), runtime.employee.id_employee)
    dialog = CashMoveDialog(None, tasks, runtime, MovementKind.CASH_IN)
    qtbot.addWidget(dialog)
    dialog.open()
    qtbot.keyClicks(dialog.amount, "50")
    qtbot.keyClick(dialog.amount, Qt.Key.Key_Return)
    assert "Say why" in dialog.message.text()
    reason = dialog.reasons.itemAt(0).widget()
    assert reason is not None
    qtbot.mouseClick(reason, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(dialog.moved) as moved:
        qtbot.keyClick(dialog.amount, Qt.Key.Key_Return)
    assert moved.args[0].amount == Decimal("50.00")
    out = CashMoveDialog(None, tasks, runtime)
    qtbot.addWidget(out)
    out.open()
    assert out.out_button.isChecked()
    out.amount.setText("-20")
    out.reason.setText("Taxi")
    out.save_button.click()
    assert "cannot be" in out.message.text()
    out.amount.setText("20,00")
    with qtbot.waitSignal(out.moved):
        out.save_button.click()
    report = z_report(runtime.store)
    assert (report.cash.cash_in, report.cash.cash_out) == (Decimal("50.00"), Decimal("20.00"))
    assert [m.reason for m in report.movements] == ["Change fund", "Taxi"]
    assert report.expected == Decimal("130.00")


@pytest.fixture
def closing(
    qtbot: QtBot, tasks: TaskManager, runtime: TillRuntime
) -> Iterator[tuple[CashCloseScreen, Ticket]]:
    open_cash_session(runtime.store, Decimal("100.00"), runtime.employee.id_employee)
    sale = sell(runtime)
    screen = CashCloseScreen(tasks)
    qtbot.addWidget(screen)
    screen.resize(1024, 700)
    screen.show()
    screen.activateWindow()
    qtbot.waitUntil(screen.isActiveWindow)
    yield screen, sale


def _count_short_by(screen: CashCloseScreen, expected: Decimal) -> Decimal:
    """Count the drawer by note and coin: the expected amount less 0,10 € (or + 0,10 €)."""
    counted = expected - Decimal("0.10") if expected >= Decimal("0.10") else Decimal("0.10")
    left = counted
    for value, row in screen.grid.rows.items():
        row.spin.setValue(int(left // value))
        left -= value * row.spin.value()
    assert screen.grid.total() == counted
    return counted


def test_a_blind_closing_by_note_and_coin_records_the_difference(
    qtbot: QtBot, closing: tuple[CashCloseScreen, Ticket], runtime: TillRuntime
) -> None:
    screen, sale = closing
    expected = Decimal("100.00") + sale.total_tax_incl
    screen.show_for(runtime)
    qtbot.waitUntil(lambda: screen.start is not None)
    assert screen.start is not None and screen.start.session.state is CashSessionState.CLOSING
    counted = _count_short_by(screen, expected)
    assert format_money(counted) in screen.counted_label.text()
    assert "Expected" not in screen.expected_label.text()
    assert not any(format_money(expected) in label.text() for label in screen.findChildren(QLabel))
    qtbot.keyClick(screen, Qt.Key.Key_F12)
    qtbot.waitUntil(lambda: "F12 again" in screen.message.text())
    with qtbot.waitSignal(screen.closed) as closed:
        qtbot.keyClick(screen, Qt.Key.Key_F12)
    result: ClosingResult = closed.args[0]
    stored = get_cash_session(runtime.store, result.session.id)
    assert stored is not None and stored.state is CashSessionState.CLOSED
    assert (stored.counted, stored.expected) == (counted, expected)
    assert stored.difference == counted - expected
    assert runtime.cash_session is None
    assert format_money(counted) in screen.result_title.text()
    assert screen.result_detail.text() == ""  # the cashier does not see the difference
    qtbot.waitUntil(lambda: screen.preview.image_shown)
    with qtbot.waitSignal(screen.print_requested) as printed:
        qtbot.keyClick(screen, Qt.Key.Key_F9)
    assert printed.args[0] == ZPrintRequest(result.session.id, blind=True)
    with qtbot.waitSignal(screen.done):
        qtbot.keyClick(screen, Qt.Key.Key_Escape)


def test_a_manager_sees_the_expected_cash_and_the_difference(
    qtbot: QtBot, closing: tuple[CashCloseScreen, Ticket], runtime: TillRuntime
) -> None:
    screen, sale = closing
    expected = Decimal("100.00") + sale.total_tax_incl
    runtime.employee = replace(runtime.employee, is_manager=True)
    screen.show_for(runtime)
    qtbot.waitUntil(lambda: screen.start is not None)
    qtbot.keyClick(screen, Qt.Key.Key_F4)
    qtbot.waitUntil(lambda: not screen.by_pieces)
    screen.total_field.setText("500")
    screen.total_field.textEdited.emit("500")
    difference = format_money(Decimal("400.00") - sale.total_tax_incl)
    assert format_money(expected) in screen.expected_label.text()
    assert difference in screen.expected_label.text() and "over" in screen.expected_label.text()
    screen.close_button.click()
    with qtbot.waitSignal(screen.closed):
        screen.close_button.click()
    assert difference in screen.result_detail.text()
    qtbot.waitUntil(lambda: screen.preview.image_shown)
    request = screen.preview.request
    assert request is not None and not request.blind


def test_back_to_selling_resumes_the_session(
    qtbot: QtBot, closing: tuple[CashCloseScreen, Ticket], runtime: TillRuntime
) -> None:
    screen, _sale = closing
    screen.show_for(runtime)
    qtbot.waitUntil(lambda: screen.start is not None)
    with qtbot.waitSignal(screen.done):
        qtbot.keyClick(screen, Qt.Key.Key_Escape)
    session = current_cash_session(runtime.store)
    assert session is not None and session.state is CashSessionState.OPEN
    assert runtime.cash_session == session
