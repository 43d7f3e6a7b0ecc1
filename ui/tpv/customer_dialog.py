"""The customer chooser (F4): search as you type, pick one, go back to the walk-in customer,
or take a new customer in a few fields.

The dialog does no I/O itself: the search and the creation are functions it runs through the
task helper (a read on the pool, the creation on the till-store writer).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.errors import UserFacingError
from app.i18n import _
from app.till.customers import CustomerEntry, NewCustomer, checked
from ui.errors import show_error
from ui.tasks import TaskManager
from ui.tpv.dialogs import LIST_STYLE, dialog_buttons
from ui.tpv.sale_panel import button

SEARCH_DELAY_MS = 150
FIELD_STYLE = "font-size: 20px; padding: 2px 8px;"
_ENTRY_ROLE = Qt.ItemDataRole.UserRole

Search = Callable[[str], list[CustomerEntry]]
Create = Callable[[NewCustomer], CustomerEntry]


class _SearchField(QLineEdit):
    """Up/Down move in the results while the typing stays here."""

    moved = Signal(int)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt's name)
        if event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            self.moved.emit(-1 if event.key() == Qt.Key.Key_Up else 1)
            return
        super().keyPressEvent(event)


def _field(placeholder: str = "") -> QLineEdit:
    field = QLineEdit()
    field.setMinimumHeight(46)
    field.setStyleSheet(FIELD_STYLE)
    field.setPlaceholderText(placeholder)
    return field


def describe(entry: CustomerEntry) -> str:
    parts = [entry.name or entry.email]
    if entry.company:
        parts.append(entry.company)
    if entry.has_real_email:
        parts.append(entry.email)
    if entry.phone:
        parts.append(entry.phone)
    if entry.id_customer is None:
        parts.append(_("new, not yet in the shop"))
    return "  ·  ".join(parts)


class CustomerDialog(QDialog):
    """Accepted with :attr:`chosen` set (None: back to the walk-in customer)."""

    def __init__(self, parent: QWidget | None, tasks: TaskManager, search: Search, create: Create):
        super().__init__(parent)
        self.tasks, self._search, self._create = tasks, search, create
        self.chosen: CustomerEntry | None = None
        self._seq = 0
        self.setWindowTitle(_("Customer"))
        self.setMinimumSize(640, 520)
        self.pages = QStackedWidget()
        self.pages.addWidget(self._build_search())
        self.pages.addWidget(self._build_form())
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.on_search_due)

    def _build_search(self) -> QWidget:
        self.field = _SearchField()
        self.field.setMinimumHeight(52)
        self.field.setStyleSheet("font-size: 22px; padding: 4px 10px;")
        self.field.setPlaceholderText(_("Name, e-mail, phone or company"))
        self.field.textEdited.connect(lambda _text: self._timer.start())
        self.field.returnPressed.connect(self.on_return)
        self.field.moved.connect(self._move)
        self.results = QListWidget()
        self.results.setStyleSheet(LIST_STYLE)
        self.results.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.results.itemActivated.connect(self.on_activated)
        self.status = QLabel(_("Type to search the shop's customers."))
        self.status.setStyleSheet("font-size: 16px; color: #555;")
        self.walk_in_button = button(_("Walk-in customer (F5)"), shortcut="F5")
        self.walk_in_button.clicked.connect(self.choose_walk_in)
        self.new_button = button(_("New customer (Ins)"), shortcut="Ins")
        self.new_button.clicked.connect(self.show_form)
        cancel = button(_("Cancel (Esc)"))
        cancel.clicked.connect(self.reject)
        row = QHBoxLayout()
        for made in (self.walk_in_button, self.new_button, cancel):
            row.addWidget(made)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(self.field)
        layout.addWidget(self.status)
        layout.addWidget(self.results, 1)
        layout.addLayout(row)
        return page

    def _build_form(self) -> QWidget:
        self.firstname, self.lastname = _field(), _field()
        self.email = _field(_("optional"))
        self.phone, self.tax_id = _field(), _field(_("optional"))
        self.form_error = QLabel()
        self.form_error.setWordWrap(True)
        self.form_error.setStyleSheet("color: #b3261e; font-size: 16px;")
        form = QFormLayout()
        labels = (_("First name"), _("Last name"), _("E-mail"), _("Phone"), _("Tax id"))
        fields = (self.firstname, self.lastname, self.email, self.phone, self.tax_id)
        for label, field in zip(labels, fields, strict=True):
            caption = QLabel(label)
            caption.setStyleSheet("font-size: 17px;")
            form.addRow(caption, field)
        buttons = dialog_buttons(self, _("Save and choose (Enter)"))
        buttons.accepted.disconnect()
        buttons.rejected.disconnect()
        buttons.accepted.connect(self.save_new)
        buttons.rejected.connect(self.show_search)
        page = QWidget()
        layout = QVBoxLayout(page)
        title = QLabel(_("New customer"))
        title.setStyleSheet("font-size: 20px; font-weight: 600;")
        layout.addWidget(title)
        layout.addLayout(form)
        layout.addWidget(self.form_error)
        layout.addStretch(1)
        layout.addWidget(buttons)
        return page

    # --- searching -------------------------------------------------------------------------

    def on_search_due(self) -> None:
        text = self.field.text().strip()
        self._seq += 1
        seq = self._seq
        if not text:
            self.show_results([])
            return
        self.tasks.run(
            lambda: self._search(text),
            lambda found: self.on_results(seq, found),
            lambda error: show_error(self, error),
        )

    def on_results(self, seq: int, found: list[CustomerEntry]) -> None:
        if seq == self._seq:  # an older answer to a shorter text is dropped
            self.show_results(found)

    def show_results(self, found: list[CustomerEntry]) -> None:
        self.results.clear()
        for entry in found:
            item = QListWidgetItem(describe(entry))
            item.setData(_ENTRY_ROLE, entry)
            self.results.addItem(item)
        if found:
            self.results.setCurrentRow(0)
        typed = bool(self.field.text().strip())
        self.status.setText(
            "" if found or not typed else _("Nobody matches: press Ins to take a new customer.")
        )

    def _move(self, step: int) -> None:
        if self.results.count():
            row = self.results.currentRow() + step
            self.results.setCurrentRow(min(max(row, 0), self.results.count() - 1))

    def on_return(self) -> None:
        if self._timer.isActive():  # Enter before the search ran: search now
            self._timer.stop()
            self.on_search_due()
            return
        current = self.results.currentItem()
        if current is not None:
            self.on_activated(current)

    def on_activated(self, item: QListWidgetItem) -> None:
        self.choose(item.data(_ENTRY_ROLE))

    def choose(self, entry: CustomerEntry | None) -> None:
        self.chosen = entry
        self.accept()

    def choose_walk_in(self) -> None:
        self.choose(None)

    # --- a new customer --------------------------------------------------------------------

    def show_form(self) -> None:
        words = self.field.text().split()
        if words and not any(ch.isdigit() or ch == "@" for ch in self.field.text()):
            self.firstname.setText(words[0])
            self.lastname.setText(" ".join(words[1:]))
        self.pages.setCurrentIndex(1)
        (self.lastname if self.firstname.text() else self.firstname).setFocus()

    def show_search(self) -> None:
        self.pages.setCurrentIndex(0)
        self.field.setFocus()

    def new_customer(self) -> NewCustomer:
        return NewCustomer(
            self.firstname.text(), self.lastname.text(), self.email.text(),
            self.phone.text(), self.tax_id.text(),
        )  # fmt: skip

    def save_new(self) -> None:
        try:
            new = checked(self.new_customer())  # said at once, before any I/O
        except UserFacingError as error:
            self.form_error.setText(error.message)
            return
        self.form_error.setText(_("Saving…"))
        self.tasks.run_write(lambda: self._create(new), self.choose, self.on_create_failed)

    def on_create_failed(self, error: BaseException) -> None:
        if isinstance(error, UserFacingError):
            self.form_error.setText(error.message)
        else:
            self.form_error.setText("")
            show_error(self, error)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt's name)
        if event.key() == Qt.Key.Key_Escape and self.pages.currentIndex() == 1:
            self.show_search()
            return
        super().keyPressEvent(event)
