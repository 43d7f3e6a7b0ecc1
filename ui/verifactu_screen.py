"""The fiscal records screen (VERI*FACTU), for managers: the till's records, the chain's check,
the sending state and the errors the AEAT returned.

"To fix" lists the records the AEAT rejected or accepted with errors and not corrected yet: the
AEAT's code and message, and what it means in plain words. When the error is the customer's data
of a full or corrective invoice, "Correct customer (F6)" asks for the right data and records the
correction (a new chained record, ``app.verifactu.corrections``) on the till-store writer.

Constructor: ``VerifactuScreen(tasks, store, sender_config=None, parent=None)`` where
``sender_config`` is a plain callable giving the :class:`~app.verifactu.sender.SenderConfig`
(e.g. ``lambda: setup.sender_config(Settings.load(path))``); without it "Send now" is off.
Everything is read and sent through ``tasks``; the screen never waits.

"Certificate… (Ctrl+T)" sets the shop's .p12 and its password (:mod:`ui.verifactu_certificate`;
``load_settings`` gives the settings it is kept in). With ``events`` (the window's
:class:`~ui.qt_events.QtEventListener`) the screen says plainly when the till's clock is more
than a minute off the shop server's (:meth:`show_fiscal_status`).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.errors import UserFacingError
from app.i18n import _, ngettext
from app.till.store import TillStore
from app.till_ops import load_settings as default_settings
from app.verifactu.corrections import RecordToFix, correct_recipient
from app.verifactu.ledger import FiscalRecord
from app.verifactu.overview import Overview, load_overview
from app.verifactu.recipient import Recipient, RecipientRefused
from app.verifactu.sender import SenderConfig, SendReport, send_due
from app.verifactu.worker import FiscalStatus
from ui.qt_events import QtEventListener
from ui.tasks import TaskManager
from ui.tpv.invoice_form import InvoiceForm
from ui.verifactu_certificate import CertificateDialog, SettingsLoader

_STATUS = {
    "pending": lambda: _("Waiting to be sent"),
    "accepted": lambda: _("Accepted"),
    "accepted_with_errors": lambda: _("Accepted with errors"),
    "rejected": lambda: _("Rejected"),
}


class VerifactuScreen(QWidget):
    loaded = Signal(object)  # the Overview shown
    sent = Signal(object)  # the SendReport of "Send now"
    corrected = Signal(object)  # the FiscalRecord of a correction

    def __init__(
        self,
        tasks: TaskManager,
        store: TillStore,
        sender_config: Callable[[], SenderConfig] | None = None,
        parent: QWidget | None = None,
        *,
        events: QtEventListener | None = None,
        load_settings: SettingsLoader = default_settings,
    ) -> None:
        super().__init__(parent)
        self.tasks, self.store, self.sender_config = tasks, store, sender_config
        self.load_settings = load_settings
        self.clock_label = QLabel()
        self.clock_label.setWordWrap(True)
        self.clock_label.setStyleSheet("color: #b3261e; font-weight: bold; font-size: 16px;")
        self.clock_label.hide()
        if events is not None:
            events.fiscal_changed.connect(self.show_fiscal_status)
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
        self.to_fix: tuple[RecordToFix, ...] = ()
        self.fix_label = QLabel()
        self.fix_label.setWordWrap(True)
        self.fix_table = _fix_table()
        self.fix_table.currentCellChanged.connect(lambda *_args: self._enable_fix())
        self.fix_button = self._button(_("Correct customer (F6)"), "F6", self.correct_selected)
        self.fix_dialog: CorrectionDialog | None = None
        self.certificate_button = self._button(
            _("Certificate… (Ctrl+T)"), "Ctrl+T", self.choose_certificate
        )
        self.certificate_dialog: CertificateDialog | None = None
        buttons = QHBoxLayout()
        buttons.addWidget(self.refresh_button)
        buttons.addWidget(self.send_button)
        buttons.addWidget(self.fix_button)
        buttons.addStretch()
        buttons.addWidget(self.certificate_button)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("<b>" + _("Fiscal records (VERI*FACTU)") + "</b>"))
        layout.addWidget(self.clock_label)
        layout.addWidget(self.chain_label)
        layout.addWidget(self.queue_label)
        layout.addWidget(self.table, 3)
        layout.addWidget(self.fix_label)
        layout.addWidget(self.fix_table, 2)
        layout.addLayout(buttons)
        self._enable_fix()
        self.refresh()

    def _button(self, text: str, keys: str, slot: Callable[[], None]) -> QPushButton:
        button = QPushButton(text)
        button.setMinimumHeight(44)
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        button.clicked.connect(slot)
        QShortcut(QKeySequence(keys), self).activated.connect(slot)
        return button

    def refresh(self) -> None:
        store = self.store
        self.tasks.run(lambda: load_overview(store), self.on_loaded)

    def show_fiscal_status(self, status: FiscalStatus) -> None:
        """Say plainly when the till's clock is off: records carry the time they were made."""
        self.clock_label.setText(status.clock_text)
        self.clock_label.setVisible(bool(status.clock_minutes))

    def choose_certificate(self) -> None:
        dialog = self.certificate_dialog = CertificateDialog(self, self.tasks, self.load_settings)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda _result: setattr(self, "certificate_dialog", None))
        dialog.open()

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
        self._show_to_fix(overview.to_fix)
        self.loaded.emit(overview)

    # --- records to fix ---------------------------------------------------------------------

    def _show_to_fix(self, to_fix: tuple[RecordToFix, ...]) -> None:
        self.to_fix = to_fix
        self.fix_label.setText(
            "<b>"
            + ngettext("{count} record to fix", "{count} records to fix", len(to_fix)).format(
                count=len(to_fix)
            )
            + "</b>"
        )
        self.fix_table.setRowCount(len(to_fix))
        for index, fix in enumerate(to_fix):
            status = _STATUS[fix.status]() if fix.status in _STATUS else fix.status
            aeat = f"{status} {fix.code}: {fix.aeat_text}".strip()
            for column, value in enumerate((fix.number, fix.invoice_type, aeat, fix.explanation)):
                item = QTableWidgetItem(value)
                item.setToolTip(value)
                self.fix_table.setItem(index, column, item)
        if to_fix:
            self.fix_table.setCurrentCell(0, 0)
        self._enable_fix()

    def selected_fix(self) -> RecordToFix | None:
        row = self.fix_table.currentRow()
        return self.to_fix[row] if 0 <= row < len(self.to_fix) else None

    def _enable_fix(self) -> None:
        fix = self.selected_fix()
        self.fix_button.setEnabled(fix is not None and fix.recipient_error)

    def correct_selected(self) -> None:
        fix = self.selected_fix()
        if fix is None or not fix.recipient_error or not self.fix_button.isEnabled():
            return
        dialog = CorrectionDialog(self, fix)
        self.fix_dialog = dialog
        dialog.accepted.connect(lambda: self.save_correction(fix, dialog.recipient))
        dialog.open()

    def save_correction(self, fix: RecordToFix, recipient: Recipient | None) -> None:
        if recipient is None:
            return
        store = self.store
        self.fix_button.setEnabled(False)
        self.fix_label.setText(_("Recording the correction of {number}…").format(number=fix.number))
        self.tasks.run_write(
            lambda: correct_recipient(store, fix.id, recipient), self.on_corrected, self._fix_failed
        )

    def on_corrected(self, record: FiscalRecord) -> None:
        self.corrected.emit(record)
        self.refresh()

    def _fix_failed(self, error: BaseException) -> None:
        self._enable_fix()
        message = error.message if isinstance(error, UserFacingError) else str(error)
        self.fix_label.setText(message)


def _fix_table() -> QTableWidget:
    table = QTableWidget(0, 4)
    table.setHorizontalHeaderLabels([_("Number"), _("Type"), _("AEAT answer"), _("What it means")])
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
    table.setWordWrap(True)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
    return table


class CorrectionDialog(QDialog):
    """The customer's right data for record ``fix``: "Save correction (F12)" accepts with
    :attr:`recipient` set (checked; what is wrong is said under the form)."""

    def __init__(self, parent: QWidget | None, fix: RecordToFix) -> None:
        super().__init__(parent)
        self.recipient: Recipient | None = None
        self.setWindowTitle(_("Correct the customer of {number}").format(number=fix.number))
        self.form = InvoiceForm(self)
        if fix.recipient is not None:
            self.form.set_recipient(fix.recipient)
        self.form.submitted.connect(self.on_save)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020; font-size: 16px;")
        intro = QLabel(fix.explanation)
        intro.setWordWrap(True)
        save = self.save_button = _dialog_button(_("Save correction (F12)"))
        save.clicked.connect(self.on_save)
        QShortcut(QKeySequence("F12"), self).activated.connect(self.on_save)
        cancel = _dialog_button(_("Cancel (Esc)"))
        cancel.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(cancel)
        buttons.addStretch()
        buttons.addWidget(save)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.form)
        layout.addWidget(self.error)
        layout.addLayout(buttons)
        self.resize(760, 320)

    def on_save(self) -> None:
        try:
            self.recipient = self.form.checked_recipient()
        except RecipientRefused as error:
            self.error.setText(error.message)
            return
        self.accept()


def _dialog_button(text: str) -> QPushButton:
    button = QPushButton(text)
    button.setMinimumHeight(44)
    button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    button.setAutoDefault(False)  # Esc is the dialog's own reject
    return button


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
