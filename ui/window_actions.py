"""The main window's menus: every till action once, with its shortcut shown.

Window-wide shortcuts use Ctrl (or F1/F2): the screens keep the plain function keys for
their own buttons (the sale screen's F3–F12, the returns screen's F5–F12…). Actions that
need an open till and a signed-in employee are enabled by :meth:`WindowActions.set_state`;
manager actions ask a manager's approval when a cashier uses them (the window decides).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu

from app.i18n import _


@dataclass
class WindowActions:
    """The actions of the menu bar; ``till`` ones need a signed-in employee."""

    window: QMainWindow
    till: list[QAction] = field(default_factory=list)
    by_name: dict[str, QAction] = field(default_factory=dict)

    def add(
        self,
        menu: QMenu,
        name: str,
        text: str,
        slot: Callable[[], object],
        shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
        *,
        needs_till: bool = False,
    ) -> QAction:
        action = QAction(text, self.window)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
            # Works on every screen and while the menu bar is hidden.
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            self.window.addAction(action)
        action.triggered.connect(lambda _checked=False: slot())
        menu.addAction(action)
        self.by_name[name] = action
        if needs_till:
            self.till.append(action)
        return action

    def set_state(self, signed_in: bool) -> None:
        for action in self.till:
            action.setEnabled(signed_in)

    def __getitem__(self, name: str) -> QAction:
        return self.by_name[name]


class WindowSlots(Protocol):
    """What the menus call (implemented by the main window)."""

    def close(self) -> bool: ...
    def show_sale(self) -> None: ...
    def show_home(self) -> None: ...
    def show_returns(self) -> None: ...
    def cash_in(self) -> None: ...
    def cash_out(self) -> None: ...
    def show_cash_close(self) -> None: ...
    def show_last_z(self) -> None: ...
    def show_reprint(self) -> None: ...
    def show_back_office(self) -> None: ...
    def lock(self) -> None: ...
    def show_pins(self) -> None: ...
    def show_printer_settings(self) -> None: ...
    def show_fiscal_records(self) -> None: ...
    def switch_shop(self) -> None: ...
    def show_update_settings(self) -> None: ...
    def show_help(self) -> None: ...
    def report_problem(self) -> None: ...
    def open_log_folder(self) -> None: ...
    def restore_previous_version(self) -> None: ...
    def refresh_status(self) -> None: ...
    def show_about(self) -> None: ...


def build_menus(window: QMainWindow, slots: WindowSlots) -> WindowActions:
    actions = WindowActions(window)
    bar = window.menuBar()
    file_menu = bar.addMenu(_("&File"))
    actions.add(file_menu, "quit", _("&Quit"), slots.close, QKeySequence.StandardKey.Quit)
    _till_menu(actions, bar.addMenu(_("&Till")), slots)
    _cash_menu(actions, bar.addMenu(_("&Cash")), slots)
    _settings_menu(actions, bar.addMenu(_("&Settings")), slots)
    _help_menu(actions, bar.addMenu(_("&Help")), slots)
    return actions


def _till_menu(actions: WindowActions, menu: QMenu, slots: WindowSlots) -> None:
    actions.add(menu, "sell", _("&Sell"), slots.show_sale, "F2", needs_till=True)
    actions.add(menu, "returns", _("&Returns"), slots.show_returns, "Ctrl+R", needs_till=True)
    actions.add(
        menu, "reprint", _("Re&print a ticket…"), slots.show_reprint, "Ctrl+P", needs_till=True
    )
    actions.add(menu, "erp", _("&Back office…"), slots.show_back_office, "Ctrl+B", needs_till=True)
    menu.addSeparator()
    actions.add(menu, "lock", _("&Lock the till"), slots.lock, "Ctrl+L", needs_till=True)
    actions.add(menu, "home", _("Shop &status"), slots.show_home, "Ctrl+I")


def _cash_menu(actions: WindowActions, menu: QMenu, slots: WindowSlots) -> None:
    actions.add(menu, "cash_in", _("Cash &in…"), slots.cash_in, "Ctrl+E", needs_till=True)
    actions.add(menu, "cash_out", _("Cash &out…"), slots.cash_out, "Ctrl+O", needs_till=True)
    menu.addSeparator()
    actions.add(
        menu, "cash_close", _("&Close the till…"), slots.show_cash_close, "Ctrl+F12",
        needs_till=True,
    )  # fmt: skip
    actions.add(
        menu, "last_z", _("&Last Z report"), slots.show_last_z, "Ctrl+Shift+Z", needs_till=True
    )


def _settings_menu(actions: WindowActions, menu: QMenu, slots: WindowSlots) -> None:
    actions.add(
        menu, "printer", _("Ticket &printer…"), slots.show_printer_settings, "Ctrl+Shift+P",
        needs_till=True,
    )  # fmt: skip
    actions.add(
        menu, "pins", _("Employee &PINs…"), slots.show_pins, "Ctrl+Shift+E", needs_till=True
    )
    actions.add(
        menu, "fiscal", _("&Fiscal records (VERI*FACTU)…"), slots.show_fiscal_records,
        "Ctrl+Shift+V", needs_till=True,
    )  # fmt: skip
    menu.addSeparator()
    # A manager's; also while no till is open (not connected), to leave a shop that fails.
    actions.add(menu, "switch_shop", _("S&witch shop…"), slots.switch_shop, "Ctrl+Shift+T")
    actions.add(
        menu, "updates", _("&Updates…"), slots.show_update_settings, "Ctrl+Shift+U",
        needs_till=True,
    )  # fmt: skip


def _help_menu(actions: WindowActions, menu: QMenu, slots: WindowSlots) -> None:
    help_action = actions.add(menu, "help", _("&Help on this screen"), slots.show_help, "F1")
    help_action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)  # also in dialogs
    actions.add(menu, "report", _("&Report a problem…"), slots.report_problem, "Ctrl+Shift+F1")
    actions.add(menu, "logs", _("Open the &log folder"), slots.open_log_folder)
    actions.add(
        menu, "restore", _("Restore the &previous version…"), slots.restore_previous_version
    )
    actions.add(menu, "refresh", _("Check the &connection"), slots.refresh_status, "Ctrl+F5")
    menu.addSeparator()
    actions.add(menu, "about", _("&About Mostrador"), slots.show_about)
