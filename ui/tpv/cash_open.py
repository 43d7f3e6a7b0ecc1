"""Open the till: the float in the drawer, typed as a total or counted by note and coin.

``CashOpenDialog(parent, tasks, runtime)``, shown with ``open()``: the cashier types the float
(or counts it, F3), Enter opens the cash session on the till-store writer; on success the
dialog sets ``runtime.cash_session``, emits :attr:`opened` (the ``CashSession``) and closes. A
refusal (not a number, negative, huge, a session already open) is said in the dialog, which
stays open; nothing is recorded. The sale screen opens it when F12 finds no open session.
"""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QLabel, QStackedWidget, QVBoxLayout, QWidget

from app.errors import UserFacingError
from app.formatting import format_money
from app.i18n import _
from app.till.cash_session import CashSession
from app.till_ops import check_cash, open_cash
from app.till_runtime import TillRuntime
from ui.errors import show_error
from ui.tasks import TaskManager
from ui.tpv.cash_screens import (
    PRIMARY_STYLE,
    DenominationGrid,
    MessageLine,
    amount_field,
    button_row,
    mode_buttons,
    touch_button,
)
from ui.tpv.dialogs import parse_amount

GRID_WIDTH = 900  # the notes and the coins side by side


class CashOpenDialog(QDialog):
    opened = Signal(object)  # CashSession

    def __init__(self, parent: QWidget | None, tasks: TaskManager, runtime: TillRuntime) -> None:
        super().__init__(parent)
        self.tasks, self.runtime = tasks, runtime
        self.busy = False
        self.setWindowTitle(_("Open the till"))
        self.setMinimumWidth(520)
        intro = QLabel(_("Count the change in the drawer to open the cash session."))
        intro.setWordWrap(True)
        intro.setStyleSheet("font-size: 17px;")
        self.amount = amount_field("0,00")
        self.grid = DenominationGrid()
        self.grid.changed.connect(self.on_count_changed)
        self.pages = QStackedWidget()
        self.pages.addWidget(self.amount)
        self.pages.addWidget(self.grid)
        self.pieces_button, self.total_button = mode_buttons("F3", "F4")
        self.total_button.setChecked(True)
        self.total_button.clicked.connect(lambda: self.set_by_pieces(False))
        self.pieces_button.clicked.connect(lambda: self.set_by_pieces(True))
        self.counted = QLabel()
        self.counted.setStyleSheet("font-size: 22px; font-weight: 700;")
        self.message = MessageLine()
        self.open_button = touch_button(_("Open the till (Enter)"), height=56, style=PRIMARY_STYLE)
        self.open_button.clicked.connect(self.on_open_requested)
        cancel = touch_button(_("Cancel (Esc)"), height=56)
        cancel.clicked.connect(self.reject)
        self.open_button.setDefault(True)  # Enter, from the field or a quantity
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(button_row(self.total_button, self.pieces_button))
        layout.addWidget(self.pages)
        layout.addWidget(self.counted)
        layout.addWidget(self.message)
        layout.addLayout(button_row(cancel, self.open_button))
        self.amount.selectAll()
        self.amount.setFocus()

    def set_by_pieces(self, by_pieces: bool) -> None:
        self.pages.setCurrentWidget(self.grid if by_pieces else self.amount)
        self.setMinimumWidth(GRID_WIDTH if by_pieces else 520)
        (self.pieces_button if by_pieces else self.total_button).setChecked(True)
        self.on_count_changed(self.grid.total())
        (self.grid.spin("50") if by_pieces else self.amount).setFocus()

    @property
    def by_pieces(self) -> bool:
        return self.pages.currentWidget() is self.grid

    def on_count_changed(self, total: Decimal) -> None:
        text = _("Float: {amount}").format(amount=format_money(total)) if self.by_pieces else ""
        self.counted.setText(text)

    def opening_float(self) -> Decimal | None:
        """The float as typed or counted; None when the typed text is not an amount."""
        return self.grid.total() if self.by_pieces else parse_amount(self.amount.text())

    def on_open_requested(self) -> None:
        if self.busy:
            return
        try:
            amount = check_cash(self.opening_float(), _("The opening float"), allow_zero=True)
        except UserFacingError as error:
            self.message.show_message("error", error.message)
            return
        runtime, counted = self.runtime, self.grid.counts() if self.by_pieces else amount
        self.busy = True
        self.message.show_message("info", _("Opening the till…"))
        self.tasks.run_write(lambda: open_cash(runtime, counted), self.on_opened, self.on_failed)

    def on_opened(self, session: CashSession) -> None:
        self.busy = False
        self.runtime.cash_session = session
        self.opened.emit(session)
        self.accept()

    def on_failed(self, error: BaseException) -> None:
        self.busy = False
        if isinstance(error, UserFacingError):
            self.message.show_message("error", error.message)
        else:
            show_error(self, error)
