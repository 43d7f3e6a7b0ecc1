"""The returns screen on a till filled from the small demo shop, with a real sold ticket."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import ROUND_HALF_UP, Decimal

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.formatting import format_money
from app.till.cash_drawer import open_cash_session
from app.till.records import TenderKind, Ticket
from app.till.tickets import get_ticket
from app.till_runtime import TillRuntime
from tests.ui.test_tpv_cash import runtime, sell, tasks  # noqa: F401  (fixtures)
from ui.tasks import TaskManager
from ui.tpv.returns_screen import ReturnsScreen

pytestmark = pytest.mark.parametrize("demo_shop_db", ["sqlite"], indirect=True)


@pytest.fixture
def screen(
    qtbot: QtBot,
    tasks: TaskManager,  # noqa: F811
    runtime: TillRuntime,  # noqa: F811
) -> Iterator[ReturnsScreen]:
    open_cash_session(runtime.store, Decimal("100.00"), runtime.employee.id_employee)
    screen = ReturnsScreen(tasks)
    qtbot.addWidget(screen)
    screen.resize(1024, 700)
    screen.show()
    screen.activateWindow()
    qtbot.waitUntil(screen.isActiveWindow)
    screen.show_for(runtime)
    yield screen


def _scan(qtbot: QtBot, screen: ReturnsScreen, number: str) -> None:
    qtbot.keyClicks(screen.number, number)
    qtbot.keyClick(screen.number, Qt.Key.Key_Return)


def _loaded(qtbot: QtBot, screen: ReturnsScreen, sale: Ticket) -> None:
    _scan(qtbot, screen, sale.number)
    qtbot.waitUntil(lambda: screen.context is not None)
    assert sale.number in screen.ticket_label.text()
    assert screen.number.hasFocus() and screen.number.text() == ""


def test_one_of_two_units_comes_back_to_the_shelf_in_cash(
    qtbot: QtBot,
    screen: ReturnsScreen,
    runtime: TillRuntime,  # noqa: F811
) -> None:
    sale = sell(runtime, 2)
    _loaded(qtbot, screen, sale)
    assert screen.table.rowCount() == 1
    assert [screen.table.item(0, c).text() for c in (2, 3, 4)] == ["2", "0", "2"]
    assert not screen.refund_button.isEnabled()
    assert screen.restock.isChecked()
    screen.cell(1).plus.click()
    half = (sale.lines[0].total_tax_incl / 2).quantize(Decimal("0.01"), ROUND_HALF_UP)
    assert format_money(half) in screen.total_label.text()
    with qtbot.waitSignal(screen.refund_recorded) as recorded:
        qtbot.keyClick(screen.number, Qt.Key.Key_F12)
    back: Ticket = recorded.args[0]
    assert back.number in screen.message.text()
    stored = get_ticket(runtime.store, back.number)
    assert stored is not None and stored.original_ticket == sale.number
    assert stored.total_tax_incl == half
    assert [(line.quantity, line.restock) for line in stored.lines] == [(1, True)]
    assert [(p.tender, p.amount) for p in stored.payments] == [(TenderKind.CASH, half)]
    _loaded(qtbot, screen, sale)
    assert [screen.table.item(0, c).text() for c in (2, 3, 4)] == ["2", "1", "1"]


def test_more_units_than_are_left_are_refused(
    qtbot: QtBot,
    screen: ReturnsScreen,
    runtime: TillRuntime,  # noqa: F811
) -> None:
    sale = sell(runtime, 2)
    _loaded(qtbot, screen, sale)
    cell = screen.cell(1)
    for _ in range(3):
        cell.plus.click()
    assert cell.quantity == 2
    assert "only 2 units can be returned" in screen.message.text()
    cell.spin.setValue(5)  # typed: the field keeps what can be returned
    assert cell.quantity == 2


def test_return_all_without_restock_then_the_ticket_is_fully_refunded(
    qtbot: QtBot,
    screen: ReturnsScreen,
    runtime: TillRuntime,  # noqa: F811
) -> None:
    sale = sell(runtime, 2)
    _loaded(qtbot, screen, sale)
    qtbot.keyClick(screen.number, Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: screen.cell(1).quantity == 2)
    qtbot.keyClick(screen.number, Qt.Key.Key_F6)
    qtbot.waitUntil(lambda: not screen.restock.isChecked())
    assert format_money(sale.total_tax_incl) in screen.total_label.text()
    with qtbot.waitSignal(screen.refund_recorded) as recorded:
        screen.refund_button.click()
    assert [line.restock for line in recorded.args[0].lines] == [False]
    _scan(qtbot, screen, sale.number)
    qtbot.waitUntil(lambda: "already been refunded" in screen.message.text())
    assert not screen.refund_button.isEnabled() and not screen.all_button.isEnabled()


def test_a_card_sale_can_be_refunded_to_the_card(
    qtbot: QtBot,
    screen: ReturnsScreen,
    runtime: TillRuntime,  # noqa: F811
) -> None:
    sale = sell(runtime, 1, method="card")
    _loaded(qtbot, screen, sale)
    labels = [button.text() for button in screen.methods.buttons()]
    assert labels[0].startswith("As paid") and "(F7)" in labels[0] and "(F8)" in labels[1]
    screen.cell(1).plus.click()
    with qtbot.waitSignal(screen.refund_recorded) as recorded:
        screen.refund_button.click()
    assert [p.method for p in recorded.args[0].payments] == ["card"]


def test_an_unknown_number_is_said_and_nothing_is_shown(
    qtbot: QtBot, screen: ReturnsScreen
) -> None:
    _scan(qtbot, screen, "T1-2020-000999")
    qtbot.waitUntil(lambda: "There is no ticket T1-2020-000999" in screen.message.text())
    assert screen.table.rowCount() == 0 and not screen.refund_button.isEnabled()
    assert screen.number.hasFocus()
