"""PINs on the till: the PIN entry of the sign-in screens, and the dialog where a manager
sets or removes an employee's PIN.

* :class:`SecretEntry`: a field (PIN or password, shown as dots) with a keypad under it (big
  0–9, ⌫, OK); the keypad buttons never take the focus, so typing on the keyboard goes on
  working. ``submitted`` carries the text on OK or Enter.
* :class:`SetPinDialog` ``(parent, tasks, store, manager)``: the employees (with "PIN set"
  or not); the manager picks one, types the new PIN twice and sets it (F2), or removes it
  (F8). Open it with ``open()`` once a manager is signed in or has approved
  (``ui/tpv/manager_approval.py``); ``pins_changed`` tells the sign-in screen to reload.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QRegularExpression, Qt, Signal
from PySide6.QtGui import QKeySequence, QRegularExpressionValidator
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.errors import UserFacingError
from app.i18n import _
from app.sale.price_inputs import Employee
from app.till.employees import EmployeeChoice, clear_pin, set_pin, sign_in_choices
from app.till.store import TillStore
from ui.errors import show_error
from ui.tasks import TaskManager

KEY_SIZE = 72
ERROR_STYLE = "color: #b3261e; font-size: 18px; font-weight: 600;"
DONE_STYLE = "color: #0b5d1e; font-size: 18px; font-weight: 600;"
OK_STYLE = "font-size: 20px; font-weight: 700; background: #1b7f3a; color: white;"
LIST_STYLE = "QListWidget { font-size: 19px; } QListWidget::item { min-height: 44px; }"
_PIN_TEXT = QRegularExpression("[0-9]{0,8}")


def touch_button(text: str, shortcut: str | None = None, height: int = 56) -> QPushButton:
    button = QPushButton(text)
    button.setMinimumHeight(height)
    button.setStyleSheet("font-size: 18px; padding: 0 14px;")
    button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    if shortcut:
        button.setShortcut(QKeySequence(shortcut))
    return button


def error_label() -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setStyleSheet(ERROR_STYLE)
    return label


def say(label: QLabel, text: str, *, error: bool = True) -> None:
    """Show ``text`` on ``label``: in red for a refusal, in green otherwise."""
    label.setStyleSheet(ERROR_STYLE if error else DONE_STYLE)
    label.setText(text)


def message_of(error: BaseException) -> str | None:
    """The words to show for a refused sign-in; None for an unexpected error (triage)."""
    if isinstance(error, UserFacingError):
        return f"{error.message} {error.hint}".strip()
    return None


class SecretEntry(QWidget):
    """A PIN (digits, keypad shown) or password (any text, keypad hidden) field."""

    submitted = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.field = QLineEdit()
        self.field.setEchoMode(QLineEdit.EchoMode.Password)
        self.field.setMinimumHeight(56)
        self.field.setMinimumWidth(420)  # "PrestaShop password" shows whole
        self.field.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.field.setStyleSheet("font-size: 28px;")
        self.field.returnPressed.connect(self.submit)
        self._pin_rule = QRegularExpressionValidator(_PIN_TEXT, self)
        self._no_rule = QRegularExpressionValidator(QRegularExpression(".*"), self)
        self.keypad = QWidget()
        self._build_keypad()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.field)
        layout.addWidget(self.keypad, 0, Qt.AlignmentFlag.AlignHCenter)
        self.set_password_mode(False)

    def _build_keypad(self) -> None:
        grid = QGridLayout(self.keypad)
        for digit in range(10):
            key = touch_button(str(digit), height=KEY_SIZE)
            key.setMinimumWidth(KEY_SIZE + 24)
            key.setStyleSheet("font-size: 26px; font-weight: 600;")
            key.clicked.connect(lambda _checked=False, d=str(digit): self.type_digit(d))
            row, column = (3, 1) if digit == 0 else ((digit - 1) // 3, (digit - 1) % 3)
            grid.addWidget(key, row, column)
        self.backspace = touch_button("⌫", height=KEY_SIZE)
        self.backspace.setToolTip(_("Delete the last digit (Backspace)"))
        self.backspace.clicked.connect(self.field.backspace)
        grid.addWidget(self.backspace, 3, 0)
        self.ok = touch_button(_("OK (Enter)"), height=KEY_SIZE)
        self.ok.setStyleSheet(
            "font-size: 20px; font-weight: 700; background: #1b7f3a; color: white;"
        )
        self.ok.clicked.connect(self.submit)
        grid.addWidget(self.ok, 3, 2)

    @property
    def password_mode(self) -> bool:
        return self.keypad.isHidden()

    def set_password_mode(self, password: bool) -> None:
        self.field.clear()
        self.field.setValidator(self._no_rule if password else self._pin_rule)
        self.field.setPlaceholderText(_("PrestaShop password") if password else _("PIN"))
        self.keypad.setHidden(password)
        self.field.setFocus()

    def type_digit(self, digit: str) -> None:
        if not self.password_mode:
            self.field.insert(digit)
        self.field.setFocus()

    def submit(self) -> None:
        if self.field.text():
            self.submitted.emit(self.field.text())

    def set_busy(self, busy: bool) -> None:
        self.field.setReadOnly(busy)
        self.ok.setEnabled(not busy)

    def clear(self) -> None:
        self.field.clear()
        self.field.setFocus()


def _pin_field() -> QLineEdit:
    field = QLineEdit()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setValidator(QRegularExpressionValidator(_PIN_TEXT))
    field.setMinimumHeight(48)
    field.setStyleSheet("font-size: 22px;")
    return field


class SetPinDialog(QDialog):
    """A manager sets or removes the PIN of an employee of this till."""

    pins_changed = Signal()

    def __init__(
        self, parent: QWidget | None, tasks: TaskManager, store: TillStore, manager: Employee
    ) -> None:
        super().__init__(parent)
        self.tasks, self.store, self.manager = tasks, store, manager
        self.setWindowTitle(_("Employee PINs"))
        self.setMinimumSize(560, 520)
        self.list = QListWidget()
        self.list.setStyleSheet(
            "QListWidget { font-size: 19px; } QListWidget::item { min-height: 44px; }"
        )
        self.pin, self.again = _pin_field(), _pin_field()
        self.pin.returnPressed.connect(self.again.setFocus)
        self.again.returnPressed.connect(self.on_set)
        form = QFormLayout()
        form.addRow(_("New PIN (4 to 8 digits)"), self.pin)
        form.addRow(_("The PIN again"), self.again)
        self.status = error_label()
        self.set_button = touch_button(_("Set PIN (F2)"), "F2")
        self.set_button.clicked.connect(self.on_set)
        self.clear_button = touch_button(_("Remove PIN (F8)"), "F8")
        self.clear_button.clicked.connect(self.on_clear)
        close = touch_button(_("Close (Esc)"))
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        for button in (close, self.clear_button, self.set_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.list, 1)
        layout.addLayout(form)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        self.reload()

    def reload(self) -> None:
        store = self.store
        self.tasks.run(lambda: sign_in_choices(store), self.on_choices)

    def on_choices(self, choices: list[EmployeeChoice]) -> None:
        current = self.list.currentRow()
        self.list.clear()
        for choice in choices:
            state = _("PIN set") if choice.has_pin else _("no PIN")
            item = QListWidgetItem(f"{choice.name}   ·   {state}")
            item.setData(Qt.ItemDataRole.UserRole, choice.id_employee)
            self.list.addItem(item)
        self.list.setCurrentRow(max(current, 0))
        self.pin.setFocus()

    def chosen(self) -> int | None:
        item = self.list.currentItem()
        return None if item is None else int(item.data(Qt.ItemDataRole.UserRole))

    def on_set(self) -> None:
        id_employee, pin = self.chosen(), self.pin.text()
        if id_employee is None:
            say(self.status, _("Choose an employee first."))
            return
        if pin != self.again.text():
            say(self.status, _("The two PINs are different: type them again."))
            self._clear_fields()
            return
        store, manager = self.store, self.manager
        self._run(lambda: set_pin(store, manager, id_employee, pin), _("PIN set."))

    def on_clear(self) -> None:
        id_employee, store, manager = self.chosen(), self.store, self.manager
        if id_employee is not None:
            self._run(lambda: clear_pin(store, manager, id_employee), _("PIN removed."))

    def _run(self, work: Callable[[], None], done: str) -> None:
        say(self.status, _("Saving…"), error=False)
        for button in (self.set_button, self.clear_button):
            button.setEnabled(False)
        self.tasks.run_write(work, lambda _none: self._saved(done), self._failed)

    def _saved(self, done: str) -> None:
        self._ready()
        say(self.status, done, error=False)
        self.pins_changed.emit()
        self.reload()

    def _failed(self, error: BaseException) -> None:
        self._ready()
        message = message_of(error)
        say(self.status, message or "")
        if message is None:
            show_error(self, error)

    def _ready(self) -> None:
        self._clear_fields()
        for button in (self.set_button, self.clear_button):
            button.setEnabled(True)

    def _clear_fields(self) -> None:
        self.pin.clear()
        self.again.clear()
        self.pin.setFocus()
