"""Signing in on the till, locking it, manager approval and PINs, on a till store filled from
the demo shop (employees Admin Demo / admin1234, Lucía Martín and Javier Ruiz / caja1234)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from app.sale.price_inputs import Employee, find_employee
from app.sync.catalog_pull import pull_catalog
from app.till import employees as signin
from app.till.store import TillStore, open_store
from connectors.prestashop.shop import open_shop
from tests.support.shop_db import ShopDb
from ui.tasks import TaskManager
from ui.tpv.login_screen import LoginScreen
from ui.tpv.manager_approval import ManagerApprovalDialog, ask_manager_approval
from ui.tpv.pin_dialog import SetPinDialog

ADMIN, LUCIA, JAVIER = 1, 2, 3


@pytest.fixture
def store(make_shop_db: Callable[..., ShopDb], tmp_path: Path) -> Iterator[TillStore]:
    engine = make_shop_db("sqlite", demo=True).engine()
    with open_store("T1", tmp_path / "till-T1.sqlite3") as till:
        pull_catalog(engine, open_shop(engine, "ps_", 1, "es"), till)
        engine.dispose()
        yield till


@pytest.fixture
def tasks() -> Iterator[TaskManager]:
    manager = TaskManager()
    yield manager
    manager.shutdown()


@pytest.fixture
def screen(qtbot: QtBot, tasks: TaskManager, store: TillStore) -> LoginScreen:
    signin.set_pin(store, find_employee(store, ADMIN), LUCIA, "4821")
    screen = LoginScreen(tasks)
    qtbot.addWidget(screen)
    screen.set_store(store)
    screen.resize(1024, 700)
    screen.show()
    qtbot.waitExposed(screen)
    screen.activateWindow()
    qtbot.waitActive(screen)
    qtbot.waitUntil(lambda: len(_employee_buttons(screen)) == 3)
    return screen


def _employee_buttons(screen: LoginScreen) -> list[QPushButton]:
    buttons = screen.grid_page.findChildren(QPushButton)
    return [b for b in buttons if b.isVisibleTo(screen.grid_page)]


def _button(screen: LoginScreen, name: str) -> QPushButton:
    [button] = [b for b in _employee_buttons(screen) if name in b.text()]
    return button


def _keypad(screen: LoginScreen, text: str) -> QPushButton:
    [key] = [b for b in screen.entry.keypad.findChildren(QPushButton) if b.text() == text]
    return key


def test_the_employees_are_big_buttons_with_their_role(screen: LoginScreen) -> None:
    texts = [b.text() for b in _employee_buttons(screen)]
    assert texts == [
        "1 · Admin Demo\nManager",
        "2 · Javier Ruiz\nCashier",
        "3 · Lucía Martín\nCashier",
    ]
    assert all(b.minimumHeight() >= 44 for b in _employee_buttons(screen))


def test_signing_in_with_the_pin_keypad(qtbot: QtBot, screen: LoginScreen) -> None:
    qtbot.mouseClick(_button(screen, "Lucía"), Qt.MouseButton.LeftButton)
    assert screen.who.text() == "Lucía Martín · Cashier"
    assert not screen.entry.password_mode  # she has a PIN
    for digit in "4821":
        qtbot.mouseClick(_keypad(screen, digit), Qt.MouseButton.LeftButton)
    assert screen.entry.field.text() == "4821"
    with qtbot.waitSignal(screen.signed_in) as signed:
        qtbot.mouseClick(screen.entry.ok, Qt.MouseButton.LeftButton)
    employee = signed.args[0]
    assert isinstance(employee, Employee)
    assert (employee.id_employee, employee.is_manager) == (LUCIA, False)
    assert screen.pages.currentWidget() is screen.grid_page  # ready for the next one


def test_typing_the_pin_on_the_keyboard_works_too(qtbot: QtBot, screen: LoginScreen) -> None:
    qtbot.keyClick(screen, Qt.Key.Key_3)  # the third button: Lucía (a shortcut: animated)
    qtbot.waitUntil(lambda: screen.chosen is not None and screen.chosen.id_employee == LUCIA)
    assert screen.entry.field.hasFocus()
    qtbot.keyClicks(screen.entry.field, "4821")
    with qtbot.waitSignal(screen.signed_in) as signed:
        qtbot.keyClick(screen.entry.field, Qt.Key.Key_Return)
    assert signed.args[0].id_employee == LUCIA


def test_signing_in_with_the_prestashop_password(qtbot: QtBot, screen: LoginScreen) -> None:
    qtbot.mouseClick(_button(screen, "Javier"), Qt.MouseButton.LeftButton)
    assert screen.entry.password_mode  # no PIN: the password field comes first
    assert screen.entry.keypad.isHidden()
    qtbot.keyClicks(screen.entry.field, "caja1234")
    with qtbot.waitSignal(screen.signed_in) as signed:
        qtbot.keyClick(screen.entry.field, Qt.Key.Key_Return)
    assert signed.args[0].id_employee == JAVIER


def test_a_wrong_pin_is_said_in_plain_words(qtbot: QtBot, screen: LoginScreen) -> None:
    received: list[object] = []
    screen.signed_in.connect(received.append)
    qtbot.mouseClick(_button(screen, "Lucía"), Qt.MouseButton.LeftButton)
    qtbot.keyClicks(screen.entry.field, "1111")
    qtbot.keyClick(screen.entry.field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "not right" in screen.error.text())
    assert screen.error.text() == "That PIN or password is not right. Try again."
    assert screen.entry.field.text() == "" and not screen.entry.field.isReadOnly()
    assert received == []


def test_the_password_toggle_switches_the_keypad_for_a_text_field(
    qtbot: QtBot, screen: LoginScreen
) -> None:
    qtbot.mouseClick(_button(screen, "Lucía"), Qt.MouseButton.LeftButton)
    qtbot.keyClick(screen.entry.field, Qt.Key.Key_F3)
    qtbot.waitUntil(lambda: screen.entry.password_mode)
    qtbot.keyClicks(screen.entry.field, "caja1234")
    assert screen.entry.field.text() == "caja1234"  # letters allowed now
    with qtbot.waitSignal(screen.signed_in) as signed:
        qtbot.keyClick(screen.entry.field, Qt.Key.Key_Return)
    assert signed.args[0].id_employee == LUCIA


def test_lock_then_another_employee_takes_over(qtbot: QtBot, screen: LoginScreen) -> None:
    lucia = find_employee(screen.store, LUCIA)  # type: ignore[arg-type]
    screen.lock_mode(lucia)
    assert screen.title.text() == "Locked by Lucía Martín"
    assert screen.chosen is not None and screen.chosen.id_employee == LUCIA
    qtbot.keyClick(screen.entry.field, Qt.Key.Key_Escape)  # "Other employee (Esc)"
    qtbot.waitUntil(lambda: screen.pages.currentWidget() is screen.grid_page)
    assert screen.title.text() == "Locked by Lucía Martín"
    qtbot.mouseClick(_button(screen, "Admin"), Qt.MouseButton.LeftButton)
    qtbot.keyClicks(screen.entry.field, "admin1234")
    with qtbot.waitSignal(screen.signed_in) as signed:
        qtbot.keyClick(screen.entry.field, Qt.Key.Key_Return)
    assert signed.args[0].id_employee == ADMIN and signed.args[0].is_manager
    assert screen.title.text() == "Who is selling?"


def test_manager_approval_refuses_a_wrong_secret_then_approves(
    qtbot: QtBot, tasks: TaskManager, store: TillStore, screen: LoginScreen
) -> None:
    approved: list[Employee] = []
    dialog = ask_manager_approval(
        screen, tasks, store, "A 25 % discount needs a manager.", approved.append
    )
    qtbot.waitUntil(lambda: dialog.list.count() == 1)
    assert dialog.isModal() and dialog.isVisible()
    assert dialog.list.item(0).text() == "Admin Demo"  # managers only
    assert dialog.entry.password_mode  # Admin has no PIN: the password field comes first
    qtbot.keyClicks(dialog.entry.field, "caja1234")
    qtbot.keyClick(dialog.entry.field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "not right" in dialog.error.text())
    assert approved == [] and dialog.isVisible()
    qtbot.keyClicks(dialog.entry.field, "admin1234")
    qtbot.keyClick(dialog.entry.field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(approved) == 1)
    assert approved[0].id_employee == ADMIN and approved[0].is_manager
    qtbot.waitUntil(lambda: not screen.findChildren(ManagerApprovalDialog))  # closed, deleted


def test_cancelling_the_approval_calls_nothing(
    qtbot: QtBot, tasks: TaskManager, store: TillStore, screen: LoginScreen
) -> None:
    approved: list[Employee] = []
    dialog = ask_manager_approval(screen, tasks, store, "Void the ticket?", approved.append)
    qtbot.waitUntil(lambda: dialog.list.count() == 1)
    qtbot.keyClick(dialog.entry.field, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not screen.findChildren(ManagerApprovalDialog))
    assert approved == []


def test_a_manager_sets_a_pin_that_signs_in(
    qtbot: QtBot, tasks: TaskManager, store: TillStore, screen: LoginScreen
) -> None:
    dialog = SetPinDialog(screen, tasks, store, find_employee(store, ADMIN))
    qtbot.addWidget(dialog)
    dialog.open()
    qtbot.waitUntil(lambda: dialog.list.count() == 3)
    [javier] = dialog.list.findItems("Javier Ruiz", Qt.MatchFlag.MatchStartsWith)
    assert javier.text().endswith("no PIN")
    dialog.list.setCurrentItem(javier)
    qtbot.keyClicks(dialog.pin, "1234")
    qtbot.keyClicks(dialog.again, "1243")
    qtbot.keyClick(dialog.again, Qt.Key.Key_Return)
    assert "different" in dialog.status.text()
    qtbot.keyClicks(dialog.pin, "2468")
    qtbot.keyClicks(dialog.again, "2468")
    with qtbot.waitSignal(dialog.pins_changed):
        qtbot.keyClick(dialog.again, Qt.Key.Key_Return)
    assert dialog.status.text() == "PIN set."
    assert signin.verify(store, JAVIER, "2468").id_employee == JAVIER


def test_a_cashier_cannot_set_pins(
    qtbot: QtBot, tasks: TaskManager, store: TillStore, screen: LoginScreen
) -> None:
    dialog = SetPinDialog(screen, tasks, store, find_employee(store, LUCIA))
    qtbot.addWidget(dialog)
    dialog.open()
    qtbot.waitUntil(lambda: dialog.list.count() == 3)
    qtbot.keyClicks(dialog.pin, "2468")
    qtbot.keyClicks(dialog.again, "2468")
    qtbot.mouseClick(dialog.set_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Only a manager" in dialog.status.text())
