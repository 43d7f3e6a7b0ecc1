"""Settings → Switch shop (Ctrl+Shift+T): the demo shop and the real shops this till knows.

:func:`ask_switch_shop` ``(parent, host)`` refuses while a ticket is open or while sales are
still waiting to be sent to the shop in use (it says how many, and where); otherwise it shows
:class:`ProfileSwitchDialog`: the profiles with the one in use marked, "New connection…" (the
setup wizard), and the export/import of the settings without secrets (to set up the next till).
Switching hands the open till over (:meth:`SwitchHost.take_till`), closes it and its SSH
tunnel on a worker, puts the new profile in force and has the window open the till on it.
"""

from __future__ import annotations

import gc
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, cast

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app import paths
from app.config import settings as cfg
from app.connection import ShopTarget
from app.errors import UserFacingError
from app.i18n import _, ngettext
from app.sale.price_inputs import Employee
from app.setup.profiles import (
    Profile,
    SwitchState,
    check_export,
    export_settings,
    import_settings,
    switch_state,
    use_profile,
)
from app.setup.runtime import Reopen, ShopStarted, reopen_on_settings
from app.shop_status import ShopStatus
from app.till.store import TillStore
from app.till_ops import load_settings
from app.till_runtime import TillRuntime
from ui.errors import show_error
from ui.home_screen import HomeScreen
from ui.qt_events import QtEventListener
from ui.tasks import TaskManager
from ui.window_actions import WindowActions

if TYPE_CHECKING:
    from ui.main_window import MainWindow

TITLE = "font-size: 20px; font-weight: 600;"
LIST_STYLE = "QListWidget { font-size: 18px; } QListWidget::item { min-height: 44px; }"
Apply = Callable[[cfg.Settings], object]


class SwitchHost(Protocol):
    """What the switcher needs from the main window."""

    tasks: TaskManager
    till: str

    def ticket_open(self) -> bool: ...
    def till_store(self) -> TillStore | None: ...
    def take_till(self) -> ShopStarted | None: ...
    def open_shop(self, target: ShopTarget | None, till: str) -> None: ...


def waiting_message(state: SwitchState) -> str:
    return ngettext(
        "{n} sale is still waiting to be sent to {shop}; switch when it is sent.",
        "{n} sales are still waiting to be sent to {shop}; switch when they are sent.",
        state.pending,
    ).format(n=state.pending, shop=state.shop)


def ask_switch_shop(parent: QWidget, host: SwitchHost) -> None:
    """Open the switcher, unless a ticket is open or sales are waiting for the shop in use."""
    if _refused_for_ticket(parent, host):
        return
    store = host.till_store()

    def show(state: SwitchState) -> None:
        if state.pending:
            tell(parent, waiting_message(state))
            return
        dialog = ProfileSwitchDialog(parent, host.tasks, state)
        dialog.switch_requested.connect(lambda apply: switch_now(parent, host, apply))
        dialog.new_connection.connect(lambda: _run_wizard(parent, host))
        dialog.open()

    host.tasks.run(lambda: switch_state(load_settings(), store), show)


def _refused_for_ticket(parent: QWidget, host: SwitchHost) -> bool:
    if host.ticket_open():
        tell(parent, _("A ticket is open: finish or cancel it, then switch shop."))
    return host.ticket_open()


def tell(parent: QWidget, text: str) -> QMessageBox:
    """Why the shop cannot be switched now (a message, not a wait: the till goes on)."""
    box = QMessageBox(QMessageBox.Icon.Information, _("Switch shop"), text, parent=parent)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box


def switch_now(parent: QWidget, host: SwitchHost, apply: Apply | None) -> None:
    """Check once more that nothing waits, then close the till and reopen it on the new shop."""
    if _refused_for_ticket(parent, host):
        return
    store = host.till_store()

    def checked(state: SwitchState) -> None:
        if state.pending:
            tell(parent, waiting_message(state))
            return
        started, till = host.take_till(), host.till
        settings_path = paths.config_dir() / cfg.FILE_NAME
        host.tasks.run(
            lambda: reopen_on_settings(started, settings_path, till, apply),
            lambda reopen: host.open_shop(reopen.target, reopen.till),
            lambda error: _reopen_failed(parent, host, error),
        )

    host.tasks.run(lambda: switch_state(load_settings(), store), checked)


def _reopen_failed(parent: QWidget, host: SwitchHost, error: BaseException) -> None:
    show_error(parent, error)
    host.tasks.run(
        lambda: reopen_on_settings(None, paths.config_dir() / cfg.FILE_NAME, host.till),
        lambda reopen: _reopen(host, reopen),
    )


def _reopen(host: SwitchHost, reopen: Reopen) -> None:
    host.open_shop(reopen.target, reopen.till)


def _run_wizard(parent: QWidget, host: SwitchHost) -> None:
    """The setup wizard on top of the window; once it has saved, the till reopens on it."""
    from ui.setup_wizard import SetupWizard

    wizard = SetupWizard(parent, host.tasks)
    wizard.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    wizard.finished_with.connect(lambda _target: switch_now(parent, host, None))
    wizard.open()


class ProfileSwitchDialog(QDialog):
    """The profiles; Switch (Enter), New connection (Ctrl+N), Export (Ctrl+S), Import (Ctrl+I)."""

    switch_requested = Signal(object)  # Apply: the change to the settings to put in force
    new_connection = Signal()

    def __init__(self, parent: QWidget | None, tasks: TaskManager, state: SwitchState) -> None:
        super().__init__(parent)
        self.tasks = tasks
        self.state = state
        self.setWindowTitle(_("Switch shop"))
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.resize(640, 480)
        title = QLabel(_("Which shop does this till sell for?"))
        title.setStyleSheet(TITLE)
        self.list = QListWidget()
        self.list.setStyleSheet(LIST_STYLE)
        self.list.itemActivated.connect(lambda _item: self.switch())
        self.list.currentRowChanged.connect(lambda _row: self._update_buttons())
        self.status = QLabel()
        self.status.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.status)
        layout.addLayout(self._buttons())
        self._fill()

    def _buttons(self) -> QHBoxLayout:
        self.switch_button = self._button(_("Switch (Enter)"), "Return", self.switch)
        self.new_button = self._button(
            _("New connection… (Ctrl+N)"), "Ctrl+N", self._new_connection
        )
        self.export_button = self._button(
            _("Export settings… (Ctrl+S)"), "Ctrl+S", self._choose_export
        )
        self.import_button = self._button(
            _("Import settings… (Ctrl+I)"), "Ctrl+I", self._choose_import
        )
        self.cancel_button = self._button(_("Cancel (Esc)"), None, self.reject)
        row = QHBoxLayout()
        for button in (
            self.switch_button, self.new_button, self.export_button, self.import_button,
            self.cancel_button,
        ):  # fmt: skip
            row.addWidget(button)
        return row

    def _button(self, text: str, key: str | None, slot: Callable[[], object]) -> QPushButton:
        button = QPushButton(text)
        button.setMinimumHeight(44)
        button.setAutoDefault(False)
        button.clicked.connect(lambda _checked=False: slot())
        if key is not None:
            QShortcut(QKeySequence(key), self, slot)
        return button

    def _fill(self) -> None:
        choices = self.state.choices
        for profile in choices.profiles:
            text = profile.name
            if choices.is_active(profile):
                text = _("✔ {name} (in use)").format(name=profile.name)
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, profile)
            self.list.addItem(item)
            if choices.is_active(profile):
                self.list.setCurrentItem(item)
        if self.list.currentRow() < 0:
            self.list.setCurrentRow(0)
        self._update_buttons()

    def chosen(self) -> Profile | None:
        item = self.list.currentItem()
        profile = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        return profile if isinstance(profile, Profile) else None

    def _update_buttons(self) -> None:
        profile = self.chosen()
        self.switch_button.setEnabled(
            profile is not None and not self.state.choices.is_active(profile)
        )

    def switch(self) -> None:
        profile = self.chosen()
        if profile is None or self.state.choices.is_active(profile) or not self.isVisible():
            return
        self.accept()
        self.switch_requested.emit(lambda settings: use_profile(settings, profile))

    def _new_connection(self) -> None:
        self.accept()
        self.new_connection.emit()

    def _choose_export(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(
            self, _("Export settings"), "mostrador-settings.json", _("Settings (*.json)")
        )
        if path:
            self.export_to(Path(path))

    def export_to(self, path: Path) -> None:
        """Save the settings another till can reuse: no password, not this till's series."""
        self.tasks.run(
            lambda: export_settings(load_settings(), path),
            lambda _keys: self.status.setText(
                _("Settings saved in {path}, without passwords.").format(path=path)
            ),
            self._on_failed,
        )

    def _choose_import(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self, _("Import settings"), "", _("Settings (*.json)")
        )
        if path:
            self.import_from(Path(path))

    def import_from(self, path: Path) -> None:
        """Take another till's settings (once the file is read) and reopen on their shop."""
        self.tasks.run(lambda: check_export(path), lambda _ok: self._import(path), self._on_failed)

    def _import(self, path: Path) -> None:
        self.accept()
        self.switch_requested.emit(lambda settings: import_settings(settings, path))

    def _on_failed(self, error: BaseException) -> None:
        if isinstance(error, UserFacingError):
            self.status.setText(f"{error.message} {error.hint}".strip())
        else:
            show_error(self, error)


class ShopSwitching:
    """The main window's side of switching shop (mixed into it: Settings → Switch shop)."""

    tasks: TaskManager
    till: str
    requested: ShopTarget | None
    target: ShopTarget | None
    started: ShopStarted | None
    runtime: TillRuntime | None
    employee: Employee | None
    erp_window: QWidget | None
    last_status: ShopStatus | None
    events: QtEventListener
    actions_: WindowActions
    employee_label: QLabel
    stack: QStackedWidget
    home: HomeScreen

    def switch_shop(self) -> None:
        """A manager's (nothing to protect while no till is open, e.g. not connected)."""
        window = cast("MainWindow", self)
        if _refused_for_ticket(window, window):
            return
        if self.runtime is not None and self.employee is None:
            window.statusBar().showMessage(_("Sign in as a manager to switch shop."), 8000)
        elif self.runtime is None:
            ask_switch_shop(window, window)
        else:
            window._as_manager(_("Switch shop"), lambda _manager: ask_switch_shop(window, window))

    def till_store(self) -> TillStore | None:
        return self.runtime.store if self.runtime is not None else None

    def take_till(self) -> ShopStarted | None:
        """Hand the open till over (closed on a worker); the window waits for the next one."""
        started, self.started, self.runtime, self.employee = self.started, None, None, None
        self.target, self.last_status = None, None
        self.events.detach()
        self.actions_.set_state(False)
        self.employee_label.clear()
        self.stack.setCurrentWidget(self.home)
        if self.erp_window is not None:
            self.erp_window.close()
            self.erp_window = None
        self.home.show_till_opening()
        gc.unfreeze()  # the old till's objects may go (the window froze them once opened)
        return started

    def open_shop(self, requested: ShopTarget | None, till: str) -> None:
        window = cast("MainWindow", self)
        self.requested, self.till = requested, till
        window.setWindowTitle(_("Mostrador — {till}").format(till=till))
        window.open_till()
