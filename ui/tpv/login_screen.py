"""The sign-in screen: who is selling, checked by PIN or PrestaShop password; also the lock.

Use::

    login = LoginScreen(tasks)
    login.signed_in.connect(on_signed_in)   # an app.sale.price_inputs.Employee
    login.set_store(store, managers)        # reads the employees (on a worker)
    login.lock_mode(current_employee)       # "Locked by NAME"; anyone may sign in again

First a grid of large buttons, one per active employee (name and role; keys 1–9 pick them),
then a PIN keypad for that employee, with "Use my PrestaShop password (F3)" switching to a
password field (an employee without a PIN starts there). "Other employee (Esc)" goes back
to the grid. Refusals (wrong PIN, locked out for N seconds, a password the till cannot check)
are shown on the screen in plain words. Every read and check runs through the task helper
(bcrypt takes tens of milliseconds: never on the GUI thread); the checks go through
``run_write`` because a wrong secret is counted in the till store.

In lock mode the employee who locked is preselected; ``signed_in`` carries whoever signs in,
so another employee signing in switches the active cashier (the caller decides what to do).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.i18n import _
from app.sale.price_inputs import MANAGER_PROFILES, Employee
from app.till.employees import EmployeeChoice, sign_in_choices, verify
from app.till.store import TillStore
from ui.errors import show_error
from ui.tasks import TaskManager
from ui.tpv.pin_dialog import SecretEntry, error_label, message_of, say, touch_button

COLUMNS = 3
TITLE_STYLE = "font-size: 26px; font-weight: 700;"


def role_text(choice: EmployeeChoice | Employee) -> str:
    return _("Manager") if choice.is_manager else _("Cashier")


class LoginScreen(QWidget):
    signed_in = Signal(object)  # Employee

    def __init__(self, tasks: TaskManager, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tasks = tasks
        self.store: TillStore | None = None
        self.managers = MANAGER_PROFILES
        self.choices: list[EmployeeChoice] = []
        self.chosen: EmployeeChoice | None = None
        self.locked_by: Employee | None = None
        self._attempt = 0  # answers of older checks are ignored
        self.title = QLabel(_("Who is selling?"))
        self.title.setStyleSheet(TITLE_STYLE)
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.error = error_label()
        self.error.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.pages = QStackedWidget()
        self.grid_page = QWidget()
        self.grid = QGridLayout(self.grid_page)
        self.pages.addWidget(self.grid_page)
        self.pages.addWidget(self._secret_page())
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.error)
        layout.addWidget(self.pages, 1)

    def _secret_page(self) -> QWidget:
        page = QWidget()
        self.who = QLabel()
        self.who.setStyleSheet("font-size: 22px; font-weight: 600;")
        self.who.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.entry = SecretEntry()
        self.entry.submitted.connect(self.on_secret)
        self.password_toggle = touch_button(_("Use my PrestaShop password (F3)"), "F3")
        self.password_toggle.setCheckable(True)
        self.password_toggle.toggled.connect(self.entry.set_password_mode)
        self.back = touch_button(_("Other employee (Esc)"))  # Esc: keyPressEvent
        self.back.clicked.connect(self.show_employees)
        buttons = QHBoxLayout()
        buttons.addWidget(self.back)
        buttons.addWidget(self.password_toggle)
        layout = QVBoxLayout(page)
        layout.addWidget(self.who)
        layout.addWidget(self.entry, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addLayout(buttons)
        layout.addStretch(1)
        return page

    # ------------------------------------------------------------------ public API

    def set_store(self, store: TillStore, managers: frozenset[int] = MANAGER_PROFILES) -> None:
        """The till store to sign in against; ``managers``: the manager profile ids."""
        self.store, self.managers = store, managers
        self.reload()

    def reload(self) -> None:
        """Read the employees again (after a catalog pull or a PIN change)."""
        store, managers = self.store, self.managers
        if store is not None:
            self.tasks.run(lambda: sign_in_choices(store, managers), self.on_choices)

    def lock_mode(self, employee: Employee) -> None:
        """Lock the till: "Locked by NAME"; that employee (or another) signs in again."""
        self.locked_by = employee
        self.title.setText(_("Locked by {name}").format(name=employee.name))
        chosen = next((c for c in self.choices if c.id_employee == employee.id_employee), None)
        if chosen is not None:
            self.choose(chosen)
        else:
            self.show_employees()

    def show_employees(self) -> None:
        self._attempt += 1
        self.chosen = None
        self.error.clear()
        self.entry.set_busy(False)
        self.pages.setCurrentWidget(self.grid_page)

    def choose(self, choice: EmployeeChoice) -> None:
        """Ask ``choice`` for their PIN (or their password when they have no PIN)."""
        self._attempt += 1
        self.chosen = choice
        self.error.clear()
        self.who.setText(f"{choice.name} · {role_text(choice)}")
        self.entry.set_busy(False)
        self.password_toggle.setChecked(not choice.has_pin)
        self.entry.set_password_mode(not choice.has_pin)
        self.pages.setCurrentIndex(1)
        self.entry.field.setFocus()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt's name)
        """Esc goes back to the employees at once (not an animated shortcut click)."""
        if event.key() == Qt.Key.Key_Escape and self.pages.currentIndex() == 1:
            self.show_employees()
            return
        super().keyPressEvent(event)

    # ------------------------------------------------------------------ answers

    def on_choices(self, choices: list[EmployeeChoice]) -> None:
        self.choices = choices
        self._fill_grid(choices)
        if not choices:
            say(self.error, _("There is no active employee yet: connect to the shop to load them."))
        if self.locked_by is not None and self.chosen is None:
            self.lock_mode(self.locked_by)

    def on_secret(self, secret: str) -> None:
        store, chosen = self.store, self.chosen
        if store is None or chosen is None:
            return
        self._attempt += 1
        attempt, managers = self._attempt, self.managers
        self.entry.set_busy(True)
        say(self.error, _("Checking…"), error=False)
        self.tasks.run_write(
            lambda: verify(store, chosen.id_employee, secret, managers),
            self._answer(attempt, self.on_verified),
            self._answer(attempt, self.on_refused),
        )

    def _answer(self, attempt: int, handler: Callable[[object], None]) -> Callable[[object], None]:
        def call(value: object) -> None:
            if attempt == self._attempt:
                handler(value)

        return call

    def on_verified(self, employee: object) -> None:
        self.locked_by = None
        self.title.setText(_("Who is selling?"))
        self.entry.clear()
        self.show_employees()
        self.signed_in.emit(employee)

    def on_refused(self, error: object) -> None:
        self.entry.set_busy(False)
        self.entry.clear()
        assert isinstance(error, BaseException)
        message = message_of(error)
        if message is None:
            self.error.clear()
            show_error(self, error)
            return
        say(self.error, message)

    def _fill_grid(self, choices: list[EmployeeChoice]) -> None:
        while self.grid.count():
            item = self.grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        for index, choice in enumerate(choices):
            self.grid.addWidget(self._employee_button(index, choice), *divmod(index, COLUMNS))

    def _employee_button(self, index: int, choice: EmployeeChoice) -> QPushButton:
        key = str(index + 1) if index < 9 else None
        label = f"{choice.name}\n{role_text(choice)}"
        button = touch_button(f"{key} · {label}" if key else label, key, height=96)
        button.setStyleSheet("font-size: 20px; padding: 8px 16px;")
        button.clicked.connect(lambda _checked=False, c=choice: self.choose(c))
        return button
