"""Cash in / cash out of the drawer, with a reason.

``CashMoveDialog(parent, tasks, runtime, kind=MovementKind.CASH_OUT)``, shown with ``open()``:
in (F3) or out (F4), the amount, a reason picked from the common ones or typed; Enter records
the movement on the till-store writer, then the dialog emits :attr:`moved` (the
``CashMovement``, its amount signed) and closes. A refusal (no amount, negative, huge, no
reason, no open session) is said in the dialog, which stays open; nothing is recorded.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QGridLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from app.errors import UserFacingError
from app.i18n import _
from app.till.cash_drawer import CashMovement
from app.till.cash_session import MovementKind
from app.till_ops import check_cash, move_cash
from app.till_runtime import TillRuntime
from ui.errors import show_error
from ui.tasks import TaskManager
from ui.tpv.cash_screens import (
    PRIMARY_STYLE,
    MessageLine,
    amount_field,
    button_row,
    touch_button,
)
from ui.tpv.dialogs import parse_amount


def common_reasons(kind: MovementKind) -> tuple[str, ...]:
    if kind is MovementKind.CASH_IN:
        return (_("Change fund"), _("Float top-up"), _("Correction"))
    return (_("Bank deposit"), _("Supplier paid"), _("Shop expense"), _("Correction"))


class CashMoveDialog(QDialog):
    moved = Signal(object)  # CashMovement

    def __init__(
        self,
        parent: QWidget | None,
        tasks: TaskManager,
        runtime: TillRuntime,
        kind: MovementKind = MovementKind.CASH_OUT,
    ) -> None:
        super().__init__(parent)
        self.tasks, self.runtime, self.kind = tasks, runtime, kind
        self.busy = False
        self.setWindowTitle(_("Cash in / cash out"))
        self.setMinimumWidth(560)
        self.in_button = touch_button(_("Cash in (F3)"), "F3")
        self.out_button = touch_button(_("Cash out (F4)"), "F4")
        for button, direction in ((self.in_button, MovementKind.CASH_IN),
                                  (self.out_button, MovementKind.CASH_OUT)):  # fmt: skip
            button.setCheckable(True)
            button.setAutoExclusive(True)
            button.clicked.connect(lambda _c=False, d=direction: self.set_kind(d))
        self.amount = amount_field()
        self.reason = QLineEdit()
        self.reason.setMinimumHeight(48)
        self.reason.setStyleSheet("font-size: 20px; padding: 0 8px;")
        self.reason.setPlaceholderText(_("Why the cash goes in or out"))
        self.reasons = QGridLayout()
        self.message = MessageLine()
        self.save_button = touch_button(_("Record (Enter)"), height=56, style=PRIMARY_STYLE)
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.on_save_requested)
        cancel = touch_button(_("Cancel (Esc)"), height=56)
        cancel.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(button_row(self.in_button, self.out_button))
        layout.addWidget(_caption(_("Amount (€)")))
        layout.addWidget(self.amount)
        layout.addWidget(_caption(_("Reason")))
        layout.addLayout(self.reasons)
        layout.addWidget(self.reason)
        layout.addWidget(self.message)
        layout.addLayout(button_row(cancel, self.save_button))
        self.set_kind(kind)

    def set_kind(self, kind: MovementKind) -> None:
        self.kind = kind
        (self.in_button if kind is MovementKind.CASH_IN else self.out_button).setChecked(True)
        while (item := self.reasons.takeAt(0)) is not None:
            if (widget := item.widget()) is not None:
                widget.deleteLater()
        for position, reason in enumerate(common_reasons(kind)):
            button = touch_button(reason)
            button.clicked.connect(lambda _c=False, r=reason: self.reason.setText(r))
            self.reasons.addWidget(button, position // 3, position % 3)
        self.amount.setFocus()

    def on_save_requested(self) -> None:
        if self.busy:
            return
        try:
            amount = check_cash(parse_amount(self.amount.text()), _("The amount"))
        except UserFacingError as error:
            self.message.show_message("error", error.message)
            return
        if not self.reason.text().strip():
            self.message.show_message("error", _("Say why the cash goes in or out."))
            self.reason.setFocus()
            return
        runtime, kind, reason = self.runtime, self.kind, self.reason.text()
        self.busy = True
        self.tasks.run_write(
            lambda: move_cash(runtime, kind, amount, reason), self.on_moved, self.on_failed
        )

    def on_moved(self, movement: CashMovement) -> None:
        self.busy = False
        self.moved.emit(movement)
        self.accept()

    def on_failed(self, error: BaseException) -> None:
        self.busy = False
        if isinstance(error, UserFacingError):
            self.message.show_message("error", error.message)
        else:
            show_error(self, error)


def _caption(text: str) -> QLabel:
    label = QLabel(text)
    label.setStyleSheet("font-size: 16px;")
    return label
