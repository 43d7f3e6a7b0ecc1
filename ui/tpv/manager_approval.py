"""A manager approves something the cashier may not do alone (a big discount…).

``ask_manager_approval(parent, tasks, store, reason, on_approved)`` opens a modal dialog
(``open()``: the GUI never waits) saying why approval is needed and listing the managers; the
manager picks their name and types their PIN or PrestaShop password. On success the dialog
closes and ``on_approved(manager)`` runs on the GUI thread with the manager's
:class:`~app.sale.price_inputs.Employee` (pass its ``id_employee`` as ``approved_by`` to the
cart). A wrong secret is said on the dialog and counted like a sign-in; Cancel (Esc) closes it
and nothing is called.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.i18n import _
from app.sale.price_inputs import MANAGER_PROFILES, Employee
from app.till.employees import EmployeeChoice, approve, sign_in_choices
from app.till.store import TillStore
from ui.errors import show_error
from ui.tasks import TaskManager
from ui.tpv.pin_dialog import (
    LIST_STYLE,
    SecretEntry,
    error_label,
    message_of,
    say,
    touch_button,
)

_ID_ROLE = Qt.ItemDataRole.UserRole
_PIN_ROLE = Qt.ItemDataRole.UserRole + 1


def ask_manager_approval(
    parent: QWidget,
    tasks: TaskManager,
    store: TillStore,
    reason: str,
    on_approved: Callable[[Employee], None],
    *,
    managers: frozenset[int] = MANAGER_PROFILES,
) -> ManagerApprovalDialog:
    """Open the approval dialog (modal, not blocking); ``on_approved`` runs on success."""
    dialog = ManagerApprovalDialog(parent, tasks, store, reason, managers)
    dialog.approved.connect(on_approved)
    dialog.open()
    return dialog


class ManagerApprovalDialog(QDialog):
    approved = Signal(object)  # the approving manager's Employee

    def __init__(
        self,
        parent: QWidget,
        tasks: TaskManager,
        store: TillStore,
        reason: str,
        managers: frozenset[int] = MANAGER_PROFILES,
    ) -> None:
        super().__init__(parent)
        self.tasks, self.store, self.managers = tasks, store, managers
        self._busy = self._closed = False
        self.setWindowTitle(_("Manager approval"))
        self.setMinimumWidth(520)
        why = QLabel(reason)
        why.setWordWrap(True)
        why.setStyleSheet("font-size: 20px; font-weight: 600;")
        self.list = QListWidget()
        self.list.setStyleSheet(LIST_STYLE)
        self.list.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.list.currentItemChanged.connect(self.on_manager_chosen)
        self.entry = SecretEntry()
        self.entry.submitted.connect(self.on_secret)
        self.password_toggle = touch_button(_("Use the PrestaShop password (F3)"), "F3")
        self.password_toggle.setCheckable(True)
        self.password_toggle.toggled.connect(self.entry.set_password_mode)
        cancel = touch_button(_("Cancel (Esc)"))
        cancel.clicked.connect(self.reject)
        self.error = error_label()
        buttons = QHBoxLayout()
        buttons.addWidget(cancel)
        buttons.addWidget(self.password_toggle)
        layout = QVBoxLayout(self)
        for widget in (why, QLabel(_("Manager:")), self.list, self.entry, self.error):
            layout.addWidget(widget)
        layout.addLayout(buttons)
        self.finished.connect(self._on_finished)
        self.tasks.run(lambda: sign_in_choices(store, managers), self.on_choices)

    def on_choices(self, choices: list[EmployeeChoice]) -> None:
        if self._closed:
            return
        for choice in (c for c in choices if c.is_manager):
            item = QListWidgetItem(choice.name)
            item.setData(_ID_ROLE, choice.id_employee)
            item.setData(_PIN_ROLE, choice.has_pin)
            self.list.addItem(item)
        self.list.setCurrentRow(0)
        if not self.list.count():
            say(self.error, _("No manager can sign in on this till."))
        self.entry.field.setFocus()

    def on_manager_chosen(self, item: QListWidgetItem | None) -> None:
        """A manager without a PIN types their PrestaShop password."""
        if item is not None:
            self.password_toggle.setChecked(not item.data(_PIN_ROLE))
            self.entry.set_password_mode(not item.data(_PIN_ROLE))

    def on_secret(self, secret: str) -> None:
        item = self.list.currentItem()
        if self._busy:
            return
        if item is None:
            say(self.error, _("Choose the manager who approves."))
            return
        id_employee, store, managers = int(item.data(_ID_ROLE)), self.store, self.managers
        self._busy = True
        self.entry.set_busy(True)
        say(self.error, _("Checking…"), error=False)
        self.tasks.run_write(
            lambda: approve(store, id_employee, secret, managers), self.on_approved, self.on_refused
        )

    def on_approved(self, manager: Employee) -> None:
        if self._done_busy():
            return
        self.approved.emit(manager)
        self.accept()

    def on_refused(self, error: BaseException) -> None:
        if self._done_busy():
            return
        self.entry.set_busy(False)
        self.entry.clear()
        message = message_of(error)
        say(self.error, message or "")
        if message is None:
            show_error(self, error)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt's name)
        """Up and Down choose the manager while the secret field keeps the focus."""
        step = {Qt.Key.Key_Up: -1, Qt.Key.Key_Down: 1}.get(Qt.Key(event.key()), 0)
        if step and self.list.count():
            row = min(max(self.list.currentRow() + step, 0), self.list.count() - 1)
            self.list.setCurrentRow(row)
            return
        super().keyPressEvent(event)

    def _done_busy(self) -> bool:
        """End of a check; True when the dialog was closed meanwhile (it is deleted now)."""
        self._busy = False
        if self._closed:
            self.deleteLater()
        return self._closed

    def _on_finished(self, _result: int) -> None:
        self._closed = True
        if not self._busy:
            self.deleteLater()
