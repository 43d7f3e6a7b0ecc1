"""The "Report a problem" dialog: what happened, steps, priority, contact, screenshot, and a
"What will be sent" tab holding exactly the bytes that are sent.

The report is built on the GUI thread from values already in memory (scrubbing a few hundred
log lines takes milliseconds); the facts that need I/O (log tail, keyring for scrubbing) come
from ``context_provider`` on a worker, and saving to the outbox is a task too. The sender
thread posts it; the dialog never waits on the network.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt, Signal
from PySide6.QtGui import QFont, QKeySequence, QPixmap, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.bugreport.outbox import QueuedReport
from app.bugreport.report import (
    CrashInfo,
    Priority,
    Report,
    ReportContext,
    UserInput,
    basic_context,
    build_report,
    new_report_id,
    valid_email,
)
from app.bugreport.service import BugReporter
from app.i18n import _, ngettext
from ui.tasks import TaskManager

logger = logging.getLogger(__name__)

ContextProvider = Callable[[], ReportContext]
TOUCH = 44


def grab_png(widget: QWidget) -> bytes:
    """A PNG picture of ``widget``'s window (rendered by Qt: only Mostrador, not the desktop)."""
    pixmap = widget.window().grab()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    pixmap.save(buffer, "PNG")
    buffer.close()
    return bytes(data.data())


class BugReportDialog(QDialog):
    report_queued = Signal(str)  # report id, once saved to the outbox

    def __init__(
        self,
        reporter: BugReporter,
        context_provider: ContextProvider,
        tasks: TaskManager,
        *,
        crash: CrashInfo | None = None,
        screenshot_png: bytes | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.reporter = reporter
        self.tasks = tasks
        self.crash = crash
        self.screenshot_png = screenshot_png
        self.report_id = new_report_id()
        self.created_at = datetime.now(UTC).replace(microsecond=0)
        self.context = basic_context("")
        self.context_loaded = False
        self.previewed_body = b""
        self.setWindowTitle(_("Report a problem"))
        self.resize(760, 660)
        self._build()
        self.tasks.run(context_provider, self.on_context_loaded, self.on_context_failed)

    # ------------------------------------------------------------------ layout

    def _build(self) -> None:
        self.tabs = QTabWidget()
        self.tabs.addTab(self._form(), _("Report"))
        self.tabs.addTab(self._preview_tab(), _("What will be sent (F4)"))
        self.tabs.currentChanged.connect(self._on_tab_changed)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.send_button = QPushButton(_("Send (Ctrl+Enter)"))
        self.send_button.setDefault(True)
        self.send_button.setEnabled(False)
        self.send_button.clicked.connect(self.send)
        self.cancel_button = QPushButton(_("Cancel (Esc)"))
        self.cancel_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        for button in (self.cancel_button, self.send_button):
            button.setMinimumHeight(TOUCH)
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(self._intro())
        layout.addWidget(self.tabs, 1)
        layout.addLayout(buttons)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, self.send)
        QShortcut(QKeySequence("F4"), self, self.show_preview)

    def _intro(self) -> QLabel:
        if self.crash is not None:
            text = _(
                "Mostrador ran into an unexpected problem. Nothing you recorded has been lost. "
                "Tell us what you were doing and send this report: it helps us fix it."
            )
        else:
            text = _(
                "Tell us what went wrong. Passwords, card numbers and customers' details are "
                "removed; the «What will be sent» tab shows exactly what leaves this computer."
            )
        label = QLabel(text)
        label.setWordWrap(True)
        return label

    def _form(self) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        self.what_edit = QPlainTextEdit()
        self.what_edit.setPlaceholderText(_("What were you doing, and what did you see?"))
        self.steps_edit = QPlainTextEdit()
        self.steps_edit.setPlaceholderText(_("1. Open the sale screen\n2. Scan…"))
        for edit in (self.what_edit, self.steps_edit):
            edit.setTabChangesFocus(True)
            edit.setMinimumHeight(70)
        form.addRow(_("What happened:"), self.what_edit)
        form.addRow(_("Steps (optional):"), self.steps_edit)
        form.addRow(_("Priority:"), self._priority_box())
        self.email_edit = QLineEdit()
        self.email_edit.setPlaceholderText(_("Only if you want an answer"))
        self.email_edit.setMinimumHeight(TOUCH)
        form.addRow(_("Your e-mail (optional):"), self.email_edit)
        form.addRow(self._screenshot_box())
        self.log_check = QCheckBox(_("Include the last lines of the log"))
        self.log_check.setChecked(True)
        self.log_check.setMinimumHeight(TOUCH)
        form.addRow(self.log_check)
        self.details = QLabel(_("Collecting details…"))
        self.details.setWordWrap(True)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form.addRow(_("Also sent:"), self.details)
        return page

    def _priority_box(self) -> QWidget:
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        self.normal_radio = QRadioButton(_("Normal: something is wrong, but the till can sell"))
        self.urgent_radio = QRadioButton(
            _("Urgent: the till cannot sell, or money or stock is wrong — looked at first")
        )
        self.priority_group = QButtonGroup(box)
        for radio in (self.normal_radio, self.urgent_radio):
            radio.setMinimumHeight(TOUCH)
            self.priority_group.addButton(radio)
            layout.addWidget(radio)
        self.normal_radio.setChecked(True)
        return box

    def _screenshot_box(self) -> QWidget:
        box = QWidget()
        layout = QHBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        self.screenshot_check = QCheckBox(_("Include a picture of the Mostrador window"))
        self.screenshot_check.setMinimumHeight(TOUCH)
        self.screenshot_check.setEnabled(self.screenshot_png is not None)
        self.screenshot_preview = QLabel()
        self.screenshot_preview.setVisible(False)
        if self.screenshot_png:
            pixmap = QPixmap()
            pixmap.loadFromData(self.screenshot_png, "PNG")
            self.screenshot_preview.setPixmap(
                pixmap.scaled(240, 150, Qt.AspectRatioMode.KeepAspectRatio,
                              Qt.TransformationMode.SmoothTransformation)
            )  # fmt: skip
        self.screenshot_check.toggled.connect(self.screenshot_preview.setVisible)
        layout.addWidget(self.screenshot_check)
        layout.addWidget(self.screenshot_preview)
        layout.addStretch(1)
        return box

    def _preview_tab(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        target = QLabel(
            _("These bytes are posted to {endpoint}:").format(endpoint=self.reporter.endpoint)
        )
        target.setWordWrap(True)
        self.preview_edit = QPlainTextEdit()
        self.preview_edit.setReadOnly(True)
        self.preview_edit.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.preview_edit.setFont(QFont("monospace"))
        layout.addWidget(target)
        layout.addWidget(self.preview_edit, 1)
        return page

    # ------------------------------------------------------------------ behaviour

    def on_context_loaded(self, context: ReportContext) -> None:
        self.context = context
        self._context_ready()

    def on_context_failed(self, error: BaseException) -> None:
        logger.warning("bug report details not collected: %s", error)
        self._context_ready()

    def _context_ready(self) -> None:
        self.context_loaded = True
        self.details.setText(describe_context(self.context, self.crash))
        self.send_button.setEnabled(True)
        if self.tabs.currentIndex() == 1:
            self.show_preview()

    def user_input(self) -> UserInput:
        urgent = self.urgent_radio.isChecked()
        return UserInput(
            what_happened=self.what_edit.toPlainText(),
            steps=self.steps_edit.toPlainText(),
            priority=Priority.URGENT if urgent else Priority.NORMAL,
            contact_email=self.email_edit.text().strip(),
            screenshot_png=self.screenshot_png if self.screenshot_check.isChecked() else None,
            include_log=self.log_check.isChecked(),
        )

    def build(self) -> Report:
        """The report as the form stands; the same form always gives the same bytes."""
        return build_report(
            self.user_input(),
            self.context,
            self.crash,
            report_id=self.report_id,
            created_at=self.created_at,
        )

    def show_preview(self) -> None:
        if self.tabs.currentIndex() != 1:
            self.tabs.setCurrentIndex(1)  # comes back here through _on_tab_changed
            return
        report = self.build()
        self.previewed_body = report.body  # what the view shows (its line ends drawn as breaks)
        self.preview_edit.setPlainText(report.preview())

    def _on_tab_changed(self, index: int) -> None:
        if index == 1:
            self.show_preview()

    def problem(self) -> str:
        """Why the form cannot be sent yet ('' when it can)."""
        if not self.context_loaded:
            return _("Still collecting details…")
        if self.crash is None and not self.what_edit.toPlainText().strip():
            return _("Please say what happened.")
        email = self.email_edit.text().strip()
        if email and not valid_email(email):
            return _("The e-mail address does not look right.")
        return ""

    def send(self) -> None:
        problem = self.problem()
        if problem:
            self.status.setText(problem)
            return
        report = self.build()
        self.send_button.setEnabled(False)
        self.status.setText(_("Saving the report…"))
        reporter = self.reporter
        self.tasks.run(lambda: reporter.submit(report), self.on_queued, self.on_queue_failed)

    def on_queued(self, queued: QueuedReport) -> None:
        self.report_queued.emit(queued.report_id)
        self.accept()

    def on_queue_failed(self, error: BaseException) -> None:
        logger.error("bug report not saved: %s", error)
        self.status.setText(
            _("The report could not be saved: {error}").format(error=error)
        )  # fmt: skip
        self.send_button.setEnabled(True)


def describe_context(context: ReportContext, crash: CrashInfo | None) -> str:
    """One paragraph saying which facts go with the report."""
    shop = context.shop
    parts = [
        _("Mostrador {version}").format(version=context.app_version),
        context.os_name,
        _("till {till}").format(till=context.till_id or "?"),
    ]
    if shop.prestashop_version:
        parts.append(_("PrestaShop {version}").format(version=shop.prestashop_version))
    if shop.latency_ms is not None:
        parts.append(_("{ms} ms to the shop").format(ms=round(shop.latency_ms)))
    if shop.pending_sales is not None:
        parts.append(
            ngettext("{n} sale waiting", "{n} sales waiting", shop.pending_sales).format(
                n=shop.pending_sales
            )
        )
    count = len(context.log_lines)
    parts.append(ngettext("{n} log line", "{n} log lines", count).format(n=count))
    if crash is not None:
        parts.append(_("the error: {type} in {where}").format(type=crash.type_name,
                                                               where=crash.where))  # fmt: skip
    return " · ".join(parts)
