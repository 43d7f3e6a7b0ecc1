"""The payment dialog: cash with quick amounts, card, or both; the change shown large.

The tenders go into a :class:`~app.sale.payment_methods.PaymentPlan`; the dialog accepts only
when the plan covers the total (the core's message says what is missing otherwise). Enter
takes the typed amount in cash and finishes when the total is covered; the field starts with
what is left to pay, so Enter alone is "exact change".

"Full invoice (F10)" issues the sale as a full invoice: the recipient's form shows (filled with
what the till knows of the customer, :meth:`PaymentDialog.set_known_recipient`) and the dialog
accepts only when the data are complete and the tax id is valid; :attr:`PaymentDialog.recipient`
is then set (None for a simplified invoice, the ordinary ticket).
"""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.errors import UserFacingError
from app.formatting import format_decimal, format_money
from app.i18n import _
from app.sale.payment_methods import PaymentPlan
from app.verifactu.recipient import Recipient, RecipientRefused
from ui.tpv.dialogs import parse_amount
from ui.tpv.invoice_form import InvoiceForm

QUICK_CASH = (Decimal(5), Decimal(10), Decimal(20), Decimal(50))
BIG = "font-size: 34px; font-weight: 700;"
BUTTON_STYLE = "font-size: 18px; padding: 0 14px;"


def _button(text: str, shortcut: str | None = None, height: int = 56) -> QPushButton:
    button = QPushButton(text)
    button.setMinimumHeight(height)
    button.setStyleSheet(BUTTON_STYLE)
    button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    if shortcut:
        button.setShortcut(QKeySequence(shortcut))
    return button


class PaymentDialog(QDialog):
    def __init__(self, parent: QWidget | None, total: Decimal) -> None:
        super().__init__(parent)
        self.plan = PaymentPlan(total)
        self.recipient: Recipient | None = None
        self.setWindowTitle(_("Payment"))
        self.setMinimumWidth(720)
        total_label = QLabel(_("Total: {total}").format(total=format_money(total)))
        total_label.setStyleSheet(BIG)
        self.amount = QLineEdit()
        self.amount.setMinimumHeight(60)
        self.amount.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.amount.setStyleSheet("font-size: 30px; padding: 0 10px;")
        self.amount.returnPressed.connect(self.on_cash_entered)
        self.tenders = QLabel()
        self.tenders.setWordWrap(True)
        self.tenders.setStyleSheet("font-size: 17px; color: #333;")
        self.remaining = QLabel()
        self.remaining.setStyleSheet("font-size: 24px; font-weight: 600;")
        self.change = QLabel()
        self.change.setStyleSheet(BIG + "color: #0b5d1e;")
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet("font-size: 18px; color: #b3261e; font-weight: 600;")
        layout = QVBoxLayout(self)
        layout.setSpacing(12)
        layout.addWidget(total_label)
        caption = QLabel(_("Amount handed over"))
        caption.setStyleSheet("font-size: 17px;")
        layout.addWidget(caption)
        layout.addWidget(self.amount)
        layout.addLayout(self._build_quick())
        layout.addLayout(self._build_methods())
        layout.addWidget(self._build_invoice_form())
        layout.addWidget(self.tenders)
        layout.addWidget(self.remaining)
        layout.addWidget(self.change)
        layout.addWidget(self.message)
        layout.addLayout(self._build_bottom())
        finish_shortcut = QShortcut(QKeySequence("Ctrl+Return"), self)
        finish_shortcut.activated.connect(self.finish)
        self._refresh()

    def _build_bottom(self) -> QHBoxLayout:
        finish = _button(_("Charge (F12)"), "F12", height=64)
        finish.setStyleSheet(
            "font-size: 22px; font-weight: 700; background: #1b7f3a; color: white;"
        )
        finish.clicked.connect(self.finish)
        cancel = _button(_("Back (Esc)"), height=64)
        cancel.clicked.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.addWidget(cancel)
        bottom.addWidget(self.invoice_button)
        bottom.addWidget(finish, 2)
        return bottom

    def _build_invoice_form(self) -> InvoiceForm:
        self.invoice_form = InvoiceForm()
        self.invoice_form.hide()
        self.invoice_form.submitted.connect(self.amount.setFocus)
        return self.invoice_form

    def _build_quick(self) -> QGridLayout:
        quick = QGridLayout()
        exact = _button(_("Exact (F5)"), "F5")
        exact.clicked.connect(lambda: self.take_cash(self.plan.remaining))
        quick.addWidget(exact, 0, 0)
        for column, value in enumerate(QUICK_CASH, start=1):
            key = f"F{5 + column}"
            button = _button(f"{format_money(value, places=0)} ({key})", key)
            button.clicked.connect(lambda _checked=False, v=value: self.take_cash(v))
            quick.addWidget(button, 0, column)
        return quick

    def _build_methods(self) -> QHBoxLayout:
        cash = _button(_("Cash (Enter)"))
        cash.clicked.connect(self.on_cash_entered)
        card = _button(_("Card (F3)"), "F3")
        card.clicked.connect(self.on_card)
        clear = _button(_("Clear payments (F4)"), "F4")
        clear.clicked.connect(self.on_clear)
        self.invoice_button = _button(_("Full invoice (F10)"), "F10", height=64)
        self.invoice_button.setCheckable(True)
        self.invoice_button.setStyleSheet(
            f"QPushButton {{ {BUTTON_STYLE} }} "
            "QPushButton:checked { background: #0b57d0; color: white; }"
        )
        self.invoice_button.setMinimumWidth(self.invoice_button.sizeHint().width() + 24)
        self.invoice_button.toggled.connect(self.on_invoice_toggled)
        methods = QHBoxLayout()
        for button in (cash, card, clear):
            methods.addWidget(button)
        return methods

    # --- full invoice -------------------------------------------------------------------

    def on_invoice_toggled(self, on: bool) -> None:
        self.invoice_form.setVisible(on)
        self.message.clear()
        if on:
            self.invoice_form.focus_first_empty()
        else:
            self.amount.setFocus()

    def help_id(self) -> str:
        """F1's page: the full invoice's while its form is shown."""
        return "invoice" if self.invoice_button.isChecked() else "payment"

    def set_known_recipient(self, recipient: Recipient | None) -> None:
        """What the till knows of the customer, offered unless the cashier typed already."""
        if recipient is not None and self.invoice_form.is_blank():
            self.invoice_form.set_recipient(recipient)

    def _recipient_ready(self) -> bool:
        if not self.invoice_button.isChecked():
            self.recipient = None
            return True
        try:
            self.recipient = self.invoice_form.checked_recipient()
        except RecipientRefused as error:
            self.message.setText(str(error))
            self.invoice_form.focus_first_empty()
            return False
        return True

    # --- tenders ------------------------------------------------------------------------

    def on_cash_entered(self) -> None:
        """Enter: the typed amount in cash, then finish if the total is covered."""
        typed = self._typed()
        if typed is None:
            return
        if typed > 0 and not self._add("cash", typed):
            return
        self.finish()

    def take_cash(self, amount: Decimal) -> None:
        if amount > 0 and self._add("cash", amount):
            self.finish()

    def on_card(self) -> None:
        typed = self._typed()
        amount = min(typed, self.plan.remaining) if typed else self.plan.remaining
        if amount > 0:
            self._add("card", amount)
        if not self.plan.remaining:
            self.finish()

    def on_clear(self) -> None:
        for tender in self.plan.tenders:
            self.plan.remove(tender)
        self.message.clear()
        self._refresh()

    def finish(self) -> None:
        """Accept when the tenders cover the total; else say what is missing."""
        try:
            self.plan.payments()
        except UserFacingError as error:
            self.message.setText(error.message)
            return
        if self._recipient_ready():
            self.accept()

    # --- helpers ------------------------------------------------------------------------

    def _typed(self) -> Decimal | None:
        text = self.amount.text().strip()
        if not text:
            return Decimal(0)
        value = parse_amount(text)
        if value is None:
            self.message.setText(_("{text} is not an amount.").format(text=text))
        return value

    def _add(self, method: str, amount: Decimal) -> bool:
        try:
            self.plan.add(method, amount)
        except UserFacingError as error:
            self.message.setText(error.message)
            return False
        self.message.clear()
        self._refresh()
        return True

    def _refresh(self) -> None:
        plan = self.plan
        self.tenders.setText(
            "   ·   ".join(f"{t.method.label} {format_money(t.amount)}" for t in plan.tenders)
        )
        self.remaining.setText(
            _("Left to pay: {amount}").format(amount=format_money(plan.remaining))
            if plan.remaining
            else ""
        )
        self.change.setText(
            _("Change: {amount}").format(amount=format_money(plan.change)) if plan.change else ""
        )
        self.amount.setText(format_decimal(plan.remaining) if plan.remaining else "")
        self.amount.selectAll()
        self.amount.setFocus()
