"""Driving the real main window in UI tests: sign in, find the dialog that opened."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QPushButton
from pytestqt.qtbot import QtBot

from ui.main_window import MainWindow
from ui.tpv.login_screen import LoginScreen


def employee_buttons(login: LoginScreen, name: str) -> list[QPushButton]:
    buttons = login.grid_page.findChildren(QPushButton)
    return [b for b in buttons if name in b.text() and b.isVisibleTo(login.grid_page)]


def sign_in(qtbot: QtBot, window: MainWindow, name: str, password: str) -> None:
    """Sign in on the window's sign-in screen with the PrestaShop back-office password."""
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.login, timeout=30_000)
    login = window.login
    qtbot.waitUntil(lambda: len(employee_buttons(login, name)) == 1)
    qtbot.mouseClick(employee_buttons(login, name)[0], Qt.MouseButton.LeftButton)
    if not login.entry.password_mode:
        qtbot.keyClick(login.entry.field, Qt.Key.Key_F3)
        qtbot.waitUntil(lambda: login.entry.password_mode)
    qtbot.keyClicks(login.entry.field, password)
    qtbot.keyClick(login.entry.field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.sale, timeout=10_000)


def wait_dialog(qtbot: QtBot, kind: type[QDialog], timeout: int = 10_000) -> Any:
    """The visible dialog of ``kind`` once it is the active window (its shortcuts work)."""

    def visible() -> list[QDialog]:
        return [w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()]

    qtbot.waitUntil(lambda: len(visible()) == 1, timeout=timeout)
    dialog = visible()[0]
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    return dialog
