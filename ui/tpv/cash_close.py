"""Close the till: count the drawer, confirm, then the Z report preview.

``CashCloseScreen(tasks)`` is a QWidget for the main window's screen stack:

* ``show_for(runtime)`` moves the cash session to "closing" (no sale meanwhile; a session
  already being closed, e.g. after a crash, is taken as it is) and shows the count page.
* The cashier counts by note and coin (F3: a grid, the total updating live) or types the total
  (F4), may add a note, and presses "Close the till (F12)" twice: the first press says what will
  be recorded, the second records it. "Back to selling (Esc)" resumes the session instead.
* Then the Z report preview (:class:`~ui.tpv.z_preview.ZPreview`) with "Print (F9)" and
  "Close (Esc)".

Signals: :attr:`closed` (an ``app.till_ops.ClosingResult``) once recorded;
:attr:`print_requested` (an ``app.till_ops.ZPrintRequest``, printed by the owner with
``app.till_ops.print_z_report``); :attr:`done` when the cashier leaves the screen. The screen keeps
``runtime.cash_session`` up to date (None once closed, so the next sale asks for a float).

Blind closing: a cashier who is not a manager counts without seeing what the drawer should
hold, the count is recorded as entered (nothing can be changed afterwards), and what they see
afterwards is "Counted X" and the Z report without the cash-drawer figures. A manager sees the
expected cash and the difference live while counting, in the result, and in the full Z report
(``ZPreview.show_last_closed`` lets a manager review a cashier's closing).
"""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QLabel, QLineEdit, QStackedWidget, QVBoxLayout, QWidget

from app.errors import UserFacingError
from app.formatting import format_money
from app.i18n import _
from app.till.cash_session import CashSession, Denominations
from app.till_ops import (
    ClosingResult,
    ClosingStart,
    begin_closing,
    check_cash,
    close_session,
    resume_selling,
)
from app.till_runtime import TillRuntime
from ui.errors import show_error
from ui.tasks import TaskManager
from ui.tpv.cash_screens import (
    BIG_STYLE,
    PRIMARY_STYLE,
    DenominationGrid,
    MessageLine,
    amount_field,
    button_row,
    mode_buttons,
    touch_button,
)
from ui.tpv.dialogs import parse_amount
from ui.tpv.z_preview import ZPreview

TITLE_STYLE = "font-size: 22px; font-weight: 700;"


def _label(style: str = "font-size: 18px;") -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setStyleSheet(style)
    return label


def difference_text(expected: Decimal, counted: Decimal) -> str:
    difference = counted - expected
    if difference > 0:
        what = _("over")
    elif difference < 0:
        what = _("short")
    else:
        what = _("exact")
    return _("Expected {expected} · Difference {difference} ({what})").format(
        expected=format_money(expected), difference=format_money(difference), what=what
    )


class CashCloseScreen(QWidget):
    closed = Signal(object)  # ClosingResult
    print_requested = Signal(object)  # ZPrintRequest
    done = Signal()

    def __init__(self, tasks: TaskManager) -> None:
        super().__init__()
        self.tasks = tasks
        self.runtime: TillRuntime | None = None
        self.start: ClosingStart | None = None
        self.result: ClosingResult | None = None
        self.busy = False
        self.armed = False
        self.pages = QStackedWidget()
        self.pages.addWidget(self._build_count_page())
        self.pages.addWidget(self._build_result_page())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.addWidget(self.pages)

    def _build_count_page(self) -> QWidget:
        page = QWidget()
        title = _label(TITLE_STYLE)
        title.setText(_("Close the till: count the cash in the drawer"))
        self.pieces_button, self.total_button = mode_buttons("F3", "F4")
        self.pieces_button.setChecked(True)
        self.pieces_button.clicked.connect(lambda: self.set_by_pieces(True))
        self.total_button.clicked.connect(lambda: self.set_by_pieces(False))
        self.grid = DenominationGrid()
        self.grid.changed.connect(self.on_count_changed)
        self.total_field = amount_field()
        self.total_field.textEdited.connect(lambda _text: self.on_count_changed())
        self.count_pages = QStackedWidget()
        self.count_pages.addWidget(self.grid)
        self.count_pages.addWidget(self.total_field)
        self.counted_label = _label(BIG_STYLE)
        self.expected_label = _label()
        self.note = QLineEdit()
        self.note.setMinimumHeight(44)
        self.note.setStyleSheet("font-size: 17px;")
        self.note.setPlaceholderText(_("Note for the manager (optional)"))
        self.message = MessageLine()
        self.back_button = touch_button(_("Back to selling (Esc)"), "Esc", height=60)
        self.back_button.clicked.connect(self.on_back_requested)
        self.close_button = touch_button(_("Close the till (F12)"), "F12", height=60)
        self.close_button.setStyleSheet(PRIMARY_STYLE)
        self.close_button.clicked.connect(self.on_close_requested)
        layout = QVBoxLayout(page)
        layout.addWidget(title)
        layout.addLayout(button_row(self.pieces_button, self.total_button))
        layout.addWidget(self.count_pages)
        layout.addWidget(self.counted_label)
        layout.addWidget(self.expected_label)
        layout.addWidget(self.note)
        layout.addWidget(self.message)
        layout.addStretch(1)
        layout.addLayout(button_row(self.back_button, self.close_button))
        return page

    def _build_result_page(self) -> QWidget:
        page = QWidget()
        self.result_title = _label(TITLE_STYLE)
        self.result_detail = _label("font-size: 20px; font-weight: 600;")
        self.preview = ZPreview(self.tasks)
        self.preview.print_requested.connect(self.print_requested.emit)
        self.preview.done.connect(self.done.emit)
        layout = QVBoxLayout(page)
        layout.addWidget(self.result_title)
        layout.addWidget(self.result_detail)
        layout.addWidget(self.preview, 1)
        return page

    # --- starting -----------------------------------------------------------------------

    def show_for(self, runtime: TillRuntime) -> None:
        """Start closing ``runtime``'s cash session and show the count."""
        self.runtime, self.start, self.result = runtime, None, None
        self.grid.clear()
        self.total_field.clear()
        self.note.clear()
        self.pages.setCurrentIndex(0)
        self.set_by_pieces(True)
        self.busy = True
        self.message.show_message("info", _("Preparing the closing…"))
        self.tasks.run_write(
            lambda: begin_closing(runtime), self.on_closing_started, self.on_failed
        )

    def on_closing_started(self, start: ClosingStart) -> None:
        self.busy, self.start = False, start
        if self.runtime is not None:
            self.runtime.cash_session = start.session
        self.message.show_message("info", _("Sales are paused while you count."))
        self.on_count_changed()

    # --- counting -----------------------------------------------------------------------

    def set_by_pieces(self, by_pieces: bool) -> None:
        self.count_pages.setCurrentWidget(self.grid if by_pieces else self.total_field)
        (self.pieces_button if by_pieces else self.total_button).setChecked(True)
        (self.grid.spin("50") if by_pieces else self.total_field).setFocus()
        self.on_count_changed()

    @property
    def by_pieces(self) -> bool:
        return self.count_pages.currentWidget() is self.grid

    def counted(self) -> Decimal | None:
        """The total counted (None: the typed total is not an amount)."""
        return self.grid.total() if self.by_pieces else parse_amount(self.total_field.text())

    def on_count_changed(self, _total: object = None) -> None:
        self._disarm()
        counted = self.counted()
        shown = format_money(counted) if counted is not None else "—"
        self.counted_label.setText(_("Counted: {amount}").format(amount=shown))
        start = self.start
        if start is not None and start.manager and counted is not None:
            self.expected_label.setText(difference_text(start.expected, counted))
        elif start is not None and not start.manager:
            self.expected_label.setText(_("Blind count: a manager sees the difference."))

    # --- closing ------------------------------------------------------------------------

    def on_back_requested(self) -> None:
        runtime = self.runtime
        if runtime is None or self.busy or self.pages.currentIndex() != 0:
            return
        if self.start is None:
            self.done.emit()
            return
        self.busy = True
        self.tasks.run_write(lambda: resume_selling(runtime), self.on_resumed, self.on_failed)

    def on_resumed(self, session: CashSession) -> None:
        self.busy, self.start = False, None
        if self.runtime is not None:
            self.runtime.cash_session = session
        self.done.emit()

    def on_close_requested(self) -> None:
        runtime = self.runtime
        if runtime is None or self.start is None or self.busy or self.pages.currentIndex() != 0:
            return
        try:
            amount = check_cash(self.counted(), _("The counted cash"), allow_zero=True)
        except UserFacingError as error:
            self.message.show_message("error", error.message)
            return
        if not self.armed:
            self._arm(amount)
            return
        counted: Decimal | Denominations = self.grid.counts() if self.by_pieces else amount
        note = self.note.text()
        self.busy = True
        self.message.show_message("info", _("Closing the till…"))
        self.tasks.run_write(
            lambda: close_session(runtime, counted, note), self.on_closed, self.on_failed
        )

    def _arm(self, amount: Decimal) -> None:
        self.armed = True
        self._close_text(_("Confirm: close with {amount} (F12)").format(
            amount=format_money(amount)))  # fmt: skip
        self.message.show_message(
            "warning",
            _("Press F12 again to close the till with {amount} counted. It cannot be changed "
              "afterwards.").format(amount=format_money(amount)),
        )  # fmt: skip

    def _disarm(self) -> None:
        if self.armed:
            self.armed = False
            self._close_text(_("Close the till (F12)"))
            self.message.show_message("info", "")

    def _close_text(self, text: str) -> None:
        self.close_button.setText(text)
        self.close_button.setShortcut(QKeySequence("F12"))  # setText drops the shortcut

    def on_closed(self, result: ClosingResult) -> None:
        self.busy, self.result = False, result
        self._disarm()
        manager = self.start is not None and self.start.manager
        if self.runtime is not None:
            self.runtime.cash_session = None
        session = result.session
        counted = session.counted or Decimal("0.00")
        self.result_title.setText(_("The till is closed. Counted: {amount}").format(
            amount=format_money(counted)))  # fmt: skip
        self.result_detail.setText(
            difference_text(result.report.expected, counted) if manager else ""
        )
        self.pages.setCurrentIndex(1)
        if self.runtime is not None:
            self.preview.show_session(self.runtime, session.id, blind=not manager)
        self.closed.emit(result)

    def on_failed(self, error: BaseException) -> None:
        self.busy = False
        self._disarm()
        if isinstance(error, UserFacingError):
            self.message.show_message("error", error.message)
        else:
            show_error(self, error)
