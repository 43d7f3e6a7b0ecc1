"""The fiscal records screen (VERI*FACTU), for managers: the till's records, the chain's check,
the sending state and the errors the AEAT returned.

Constructor: ``VerifactuScreen(tasks, store, sender_config=None, parent=None)`` where
``sender_config`` is a plain callable giving the :class:`~app.verifactu.sender.SenderConfig`
(e.g. ``lambda: setup.sender_config(Settings.load(path))``); without it "Send now" is off.
Everything is read and sent through ``tasks``; the screen never waits.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.i18n import _, ngettext
from app.till.store import TillStore
from app.verifactu.overview import Overview, load_overview
from app.verifactu.sender import SenderConfig, SendReport, send_due
from ui.tasks import TaskManager

_STATUS = {
    "pending": lambda: _("Waiting to be sent"),
    "accepted": lambda: _("Accepted"),
    "accepted_with_errors": lambda: _("Accepted with errors"),
    "rejected": lambda: _("Rejected"),
}


class VerifactuScreen(QWidget):
    loaded = Signal(object)  # the Overview shown
    sent = Signal(object)  # the SendReport of "Send now"

    def __init__(
        self,
        tasks: TaskManager,
        store: TillStore,
        sender_config: Callable[[], SenderConfig] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.tasks, self.store, self.sender_config = tasks, store, sender_config
        self.chain_label = QLabel()
        self.queue_label = QLabel()
        self.queue_label.setWordWrap(True)
        self.table = QTableWidget(0, 7)
        self.table.setHorizontalHeaderLabels(
            [
                _("Number"),
                _("Type"),
                _("Date"),
                _("Total"),
                _("Fingerprint"),
                _("Sending"),
                _("Error"),
            ]
        )
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.refresh_button = self._button(_("Refresh (F5)"), "F5", self.refresh)
        self.send_button = self._button(_("Send now (Ctrl+E)"), "Ctrl+E", self.send_now)
        self.send_button.setEnabled(sender_config is not None)
        buttons = QHBoxLayout()
        buttons.addWidget(self.refresh_button)
        buttons.addWidget(self.send_button)
        buttons.addStretch()
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("<b>" + _("Fiscal records (VERI*FACTU)") + "</b>"))
        layout.addWidget(self.chain_label)
        layout.addWidget(self.queue_label)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        self.refresh()

    def _button(self, text: str, keys: str, slot: Callable[[], None]) -> QPushButton:
        button = QPushButton(text)
        button.setMinimumHeight(44)
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        button.clicked.connect(slot)
        QShortcut(QKeySequence(keys), self, activated=slot)
        return button

    def refresh(self) -> None:
        store = self.store
        self.tasks.run(lambda: load_overview(store), self.on_loaded)

    def send_now(self) -> None:
        if self.sender_config is None or not self.send_button.isEnabled():
            return
        store, config = self.store, self.sender_config()
        self.send_button.setEnabled(False)
        self.tasks.run(lambda: send_due(store, config, force=True), self.on_sent, self._failed)

    def _failed(self, error: BaseException) -> None:
        self.send_button.setEnabled(True)
        self.queue_label.setText(str(error))

    def on_sent(self, report: SendReport) -> None:
        self.send_button.setEnabled(True)
        self.sent.emit(report)
        self.refresh()

    def on_loaded(self, overview: Overview) -> None:
        self.chain_label.setText(_chain_text(overview))
        self.queue_label.setText(_queue_text(overview))
        self.table.setRowCount(len(overview.rows))
        for index, row in enumerate(overview.rows):
            status = _STATUS[row.status]() if row.status in _STATUS else row.status
            values = (
                row.number,
                row.kind,
                row.issued_on,
                row.total,
                row.hash[:16] + "…",
                status,
                row.error,
            )
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                if column == 4:
                    item.setToolTip(row.hash)
                self.table.setItem(index, column, item)
        self.loaded.emit(overview)


def _chain_text(overview: Overview) -> str:
    chain = overview.chain
    if not chain.ok:
        return _("Chain BROKEN at record {number}: ask for help.").format(number=chain.broken_at)
    text = ngettext(
        "Chain verified: {count} record, every fingerprint correct.",
        "Chain verified: {count} records, every fingerprint correct.",
        chain.checked,
    ).format(count=chain.checked)
    if chain.tickets_without_record:
        missing = chain.tickets_without_record
        text += " " + ngettext(
            "{count} ticket has no fiscal record.",
            "{count} tickets have no fiscal record.",
            missing,
        ).format(count=missing)
    return text


def _queue_text(overview: Overview) -> str:
    queue = overview.queue
    parts = [
        ngettext(
            "{count} record waiting to be sent.",
            "{count} records waiting to be sent.",
            queue.pending,
        ).format(count=queue.pending),
        _("Accepted: {accepted}. With errors: {errors}. Rejected: {rejected}.").format(
            accepted=queue.accepted, errors=queue.accepted_with_errors, rejected=queue.rejected
        ),
    ]
    if queue.incident:
        parts.append(_("Incident: {error}").format(error=queue.last_error))
    return " ".join(parts)
