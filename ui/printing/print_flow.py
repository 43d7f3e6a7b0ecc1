"""Printing a ticket after it is recorded, off the GUI thread, with Retry when the printer fails.

API (the main window connects the screens to it)::

    flow = PrintFlow(parent_widget, tasks)            # settings file: the user's, or settings_path
    sale_screen.ticket_paid.connect(lambda t: flow.print_ticket(runtime, t))
    returns_screen.refund_recorded.connect(lambda t: flow.print_ticket(runtime, t))
    flow.print_ticket(store_or_runtime, ticket_or_number, gift=False, copy=False)
    flow.printed.connect(...)        # str: the ticket number, printed
    flow.print_failed.connect(...)   # str: why not (already shown to the cashier)

:meth:`PrintFlow.print_ticket` returns at once: :func:`app.till.invoice_print.print_document_file`
(a full invoice as the invoice, any other ticket as :mod:`app.print_service` prints it) runs
on ``tasks.run`` (the pool, never the store writer nor the GUI thread) and reads the printer
settings from the settings file there, so a change saved in the printer settings applies to the
next ticket. The ticket is already recorded: a printer that is off, out of paper or silent opens a
non-modal :class:`PrintProblemDialog` saying so, with the reason, "Retry (R)" and "Skip (Esc)";
the sale stays done whatever the cashier chooses. A reprint (``copy``) is marked COPY and never
opens the drawer; nor does a gift ticket.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app import paths
from app.config import settings as cfg
from app.i18n import _
from app.till.invoice_print import print_document_file
from app.till.records import Ticket
from app.till.store import TillStore
from app.till_runtime import TillRuntime
from printing.backends import PrintResult
from ui.tasks import TaskManager

logger = logging.getLogger(__name__)

BUTTON_HEIGHT = 56
PROBLEM_STYLE = "font-size: 20px; font-weight: 700; color: #8c1d18;"


def default_settings_path() -> Path:
    return paths.config_dir() / cfg.FILE_NAME


@dataclass(frozen=True)
class PrintJob:
    store: TillStore
    number: str
    gift: bool = False
    copy: bool = False

    def run(self, settings_path: Path) -> PrintResult:
        """On a worker: print, never raise."""
        return print_document_file(
            self.store, self.number, settings_path, copy=self.copy, gift=self.gift
        )


def _button(text: str, shortcut: str) -> QPushButton:
    button = QPushButton(text)
    button.setMinimumHeight(BUTTON_HEIGHT)
    button.setStyleSheet("font-size: 18px; padding: 0 18px;")
    button.setShortcut(QKeySequence(shortcut))
    button.setAutoDefault(False)  # Enter (a scanner's) must not retry or skip
    return button


class PrintProblemDialog(QDialog):
    """Says a ticket did not print and why; Retry (R) prints it again, Skip (Esc) closes."""

    retry_requested = Signal()

    def __init__(self, parent: QWidget | None, number: str) -> None:
        super().__init__(parent)
        self.number = number
        self.setWindowTitle(_("Ticket not printed"))
        self.setModal(False)
        self.setMinimumWidth(560)
        headline = QLabel(_("Ticket {number} was not printed.").format(number=number))
        headline.setStyleSheet(PROBLEM_STYLE)
        self.advice = advice = QLabel(
            _(
                "The printer did not answer: check it is on, has paper and the cable. "
                "The sale is recorded."
            )
        )
        advice.setWordWrap(True)
        advice.setStyleSheet("font-size: 17px;")
        self.reason = QLabel()
        self.reason.setWordWrap(True)
        self.reason.setStyleSheet("font-size: 16px; color: #444;")
        self.retry_button = _button(_("Retry (R)"), "R")
        self.retry_button.clicked.connect(self.on_retry)
        self.skip_button = _button(_("Skip (Esc)"), "Esc")
        self.skip_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.skip_button)
        buttons.addWidget(self.retry_button, 2)
        layout = QVBoxLayout(self)
        for widget in (headline, advice, self.reason):
            layout.addWidget(widget)
        layout.addLayout(buttons)

    def show_reason(self, reason: str) -> None:
        self.reason.setText(reason)
        self.retry_button.setEnabled(True)
        self.retry_button.setText(_("Retry (R)"))

    def on_retry(self) -> None:
        self.retry_button.setEnabled(False)
        self.reason.setText(_("Printing again…"))
        self.retry_requested.emit()


class PrintFlow(QObject):
    printed = Signal(str)  # the ticket number
    print_failed = Signal(str)  # the reason, as shown to the cashier

    def __init__(
        self, parent: QWidget, tasks: TaskManager, settings_path: Path | None = None
    ) -> None:
        super().__init__(parent)
        self.parent_widget = parent
        self.tasks = tasks
        self.settings_path = settings_path or default_settings_path()
        self.problems: dict[str, PrintProblemDialog] = {}

    def print_ticket(
        self,
        store: TillStore | TillRuntime,
        ticket: Ticket | str,
        gift: bool = False,
        copy: bool = False,
    ) -> None:
        """Print ``ticket`` (recorded already) in the background; a failure offers Retry."""
        till_store = store.store if isinstance(store, TillRuntime) else store
        number = ticket.number if isinstance(ticket, Ticket) else ticket
        self.run(PrintJob(till_store, number, gift=gift, copy=copy))

    def run(self, job: PrintJob) -> None:
        path = self.settings_path
        self.tasks.run(
            lambda: job.run(path),
            lambda result: self.on_result(job, result),
            lambda error: self.on_error(job, error),
        )

    def on_result(self, job: PrintJob, result: PrintResult) -> None:
        if result.ok:
            dialog = self.problems.pop(job.number, None)
            if dialog is not None:
                dialog.accept()
            self.printed.emit(job.number)
        elif result.no_printer:  # a till without a printer sells on: said, never a dialog
            self.print_failed.emit(result.message)
        else:
            self.show_problem(job, result.message)

    def on_error(self, job: PrintJob, error: BaseException) -> None:
        """The print itself never raises; the till store can (a locked or closed file)."""
        logger.error("printing %s failed", job.number, exc_info=error)
        self.show_problem(job, str(error) or type(error).__name__)

    def show_problem(self, job: PrintJob, reason: str) -> None:
        dialog = self.problems.get(job.number)
        if dialog is None:
            dialog = PrintProblemDialog(self.parent_widget, job.number)
            dialog.retry_requested.connect(lambda: self.run(job))
            dialog.finished.connect(lambda _code: self._forget(job.number, dialog))
            self.problems[job.number] = dialog
        dialog.show_reason(reason)
        dialog.show()
        dialog.raise_()
        self.print_failed.emit(reason)

    def problem_dialog(self, number: str) -> PrintProblemDialog | None:
        return self.problems.get(number)

    def _forget(self, number: str, dialog: PrintProblemDialog) -> None:
        if self.problems.get(number) is dialog:
            del self.problems[number]
        dialog.deleteLater()
