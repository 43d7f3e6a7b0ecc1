"""Parking (F6) asks for an optional note; recalling (F7) lists the parked tickets (time,
lines, total, note) to take one back or throw one away."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from app.formatting import format_int, format_money
from app.i18n import _, ngettext
from app.till_runtime import ParkedSummary
from ui.errors import show_error
from ui.tasks import TaskManager
from ui.tpv.dialogs import LIST_STYLE, dialog_buttons
from ui.tpv.sale_panel import button

_ID_ROLE = Qt.ItemDataRole.UserRole
Delete = Callable[[str], bool]


class ParkNoteDialog(QDialog):
    """Accepted with :meth:`note` (may be empty: the time tells the tickets apart)."""

    def __init__(self, parent: QWidget | None, intro: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Park the ticket"))
        self.setMinimumWidth(480)
        note = _("A note to find it again (optional), e.g. the customer's name:")
        caption = QLabel(f"{intro}\n\n{note}" if intro else note)
        caption.setWordWrap(True)
        caption.setStyleSheet("font-size: 17px;")
        self.field = QLineEdit()
        self.field.setMaxLength(120)
        self.field.setMinimumHeight(50)
        self.field.setStyleSheet("font-size: 22px; padding: 2px 8px;")
        layout = QVBoxLayout(self)
        layout.addWidget(caption)
        layout.addWidget(self.field)
        layout.addWidget(dialog_buttons(self, _("Park (Enter)")))

    def note(self) -> str:
        return " ".join(self.field.text().split())


def describe(parked: ParkedSummary) -> str:
    lines = ngettext("{n} line", "{n} lines", parked.lines).format(n=format_int(parked.lines))
    parts = [parked.created_at.strftime("%H:%M"), lines, format_money(parked.total)]
    if parked.customer:
        parts.append(parked.customer)
    if parked.note:
        parts.append(f"«{parked.note}»")
    return "   ·   ".join(parts)


class ParkedDialog(QDialog):
    """Accepted with :attr:`chosen` the id of the parked ticket to recall."""

    def __init__(
        self,
        parent: QWidget | None,
        tasks: TaskManager,
        tickets: list[ParkedSummary],
        delete: Delete,
    ) -> None:
        super().__init__(parent)
        self.tasks, self._delete = tasks, delete
        self.chosen: str | None = None
        self.setWindowTitle(_("Parked tickets"))
        self.setMinimumSize(640, 460)
        self.list = QListWidget()
        self.list.setStyleSheet(LIST_STYLE)
        for parked in tickets:
            item = QListWidgetItem(describe(parked))
            item.setData(_ID_ROLE, parked.id)
            self.list.addItem(item)
        self.list.setCurrentRow(0)
        self.list.itemActivated.connect(lambda _item: self.accept())
        self.delete_button = button(_("Delete (Del)"), shortcut="Del")
        self.delete_button.clicked.connect(self.on_delete)
        row = QHBoxLayout()
        row.addWidget(self.delete_button)
        row.addStretch(1)
        row.addWidget(dialog_buttons(self, _("Recall (Enter)")))
        layout = QVBoxLayout(self)
        layout.addWidget(self.list, 1)
        layout.addLayout(row)

    def current_id(self) -> str | None:
        item = self.list.currentItem()
        return None if item is None else str(item.data(_ID_ROLE))

    def accept(self) -> None:
        self.chosen = self.current_id()
        if self.chosen is not None:
            super().accept()

    def on_delete(self) -> None:
        parked_id = self.current_id()
        if parked_id is None:
            return
        answer = QMessageBox.question(
            self, _("Delete"), _("Throw this parked ticket away? Its items are not sold.")
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.delete(parked_id)

    def delete(self, parked_id: str) -> None:
        """Delete without asking (the confirmation was given)."""
        self.tasks.run_write(
            lambda: self._delete(parked_id),
            lambda _gone: self.on_deleted(parked_id),
            lambda error: show_error(self, error),
        )

    def on_deleted(self, parked_id: str) -> None:
        for row in range(self.list.count()):
            if self.list.item(row).data(_ID_ROLE) == parked_id:
                self.list.takeItem(row)
                break
        if not self.list.count():
            self.reject()
