"""Who a full invoice is for: the form in the payment dialog, and the dialog of an exchange.

:class:`InvoiceForm` holds the recipient's name, tax id (and its kind), country, address,
postcode and town; Enter moves to the next field. :meth:`InvoiceForm.checked_recipient` checks
what was typed (pure computation: ``app.verifactu.recipient.checked``) and raises
:class:`~app.verifactu.recipient.RecipientRefused` saying what is wrong.
:class:`InvoiceDialog` asks for the recipient of an invoice exchanging a ticket (F3):
"Issue invoice (F12)" accepts with :attr:`InvoiceDialog.recipient` set.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.i18n import _
from app.verifactu.recipient import (
    FOREIGN_ID,
    NIF,
    PASSPORT,
    VAT,
    Recipient,
    RecipientRefused,
    checked,
)

FIELD_STYLE = "font-size: 17px; padding: 0 6px;"
FIELD_HEIGHT = 44


def _kinds() -> tuple[tuple[str, str], ...]:
    return (
        (NIF, _("Spanish NIF / NIE")),
        (VAT, _("EU VAT number")),
        (PASSPORT, _("Passport")),
        (FOREIGN_ID, _("Foreign ID card")),
    )


class InvoiceForm(QWidget):
    submitted = Signal()  # Enter in the last field

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.name = self._field(_("Name or company"))
        self.tax_id = self._field(_("Tax ID (NIF)"))
        self.kind = QComboBox()
        self.kind.setMinimumHeight(FIELD_HEIGHT)
        self.kind.setStyleSheet(FIELD_STYLE)
        for code, label in _kinds():
            self.kind.addItem(label, code)
        self.country = self._field(_("Country"))
        self.country.setText("ES")
        self.country.setMaxLength(2)
        self.country.setMaximumWidth(90)
        self.address = self._field(_("Address"))
        self.postcode = self._field(_("Postcode"))
        self.postcode.setMaximumWidth(140)
        self.city = self._field(_("Town"))
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.addWidget(self.name, 0, 0, 1, 2)
        grid.addWidget(self.tax_id, 0, 2)
        grid.addWidget(self.kind, 0, 3)
        grid.addWidget(self.address, 1, 0, 1, 4)
        grid.addWidget(self.postcode, 2, 0)
        grid.addWidget(self.city, 2, 1, 1, 2)
        grid.addWidget(self.country, 2, 3)
        for column, stretch in enumerate((0, 3, 2, 0)):
            grid.setColumnStretch(column, stretch)
        order = (self.name, self.tax_id, self.address, self.postcode, self.city, self.country)
        for field, following in zip(order, order[1:], strict=False):
            field.returnPressed.connect(following.setFocus)
        self.country.returnPressed.connect(self.submitted.emit)

    @staticmethod
    def _field(placeholder: str) -> QLineEdit:
        field = QLineEdit()
        field.setPlaceholderText(placeholder)
        field.setMinimumHeight(FIELD_HEIGHT)
        field.setStyleSheet(FIELD_STYLE)
        field.setToolTip(placeholder)
        return field

    def set_recipient(self, recipient: Recipient) -> None:
        self.name.setText(recipient.name)
        self.tax_id.setText(recipient.tax_id)
        index = self.kind.findData(recipient.id_type)
        self.kind.setCurrentIndex(max(index, 0))
        self.country.setText(recipient.country or "ES")
        self.address.setText(recipient.address)
        self.postcode.setText(recipient.postcode)
        self.city.setText(recipient.city)

    def is_blank(self) -> bool:
        fields = (self.name, self.tax_id, self.address, self.postcode, self.city)
        return not any(field.text().strip() for field in fields)

    def typed(self) -> Recipient:
        return Recipient(
            name=self.name.text(),
            tax_id=self.tax_id.text(),
            address=self.address.text(),
            postcode=self.postcode.text(),
            city=self.city.text(),
            country=self.country.text(),
            id_type=str(self.kind.currentData()),
        )

    def checked_recipient(self) -> Recipient:
        """What was typed, checked; :class:`RecipientRefused` says what is wrong."""
        return checked(self.typed())

    def focus_first_empty(self) -> None:
        fields = (self.name, self.tax_id, self.address, self.postcode, self.city)
        empty = next((field for field in fields if not field.text().strip()), self.name)
        empty.setFocus()


def _button(text: str, shortcut: str) -> QPushButton:
    button = QPushButton(text)
    button.setMinimumHeight(56)
    button.setStyleSheet("font-size: 18px; padding: 0 16px;")
    button.setShortcut(QKeySequence(shortcut))
    button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    button.setAutoDefault(False)
    return button


class InvoiceDialog(QDialog):
    """The recipient of the full invoice exchanging ticket ``number``."""

    def __init__(self, parent: QWidget | None, number: str, known: Recipient | None = None) -> None:
        super().__init__(parent)
        self.recipient: Recipient | None = None
        self.setWindowTitle(_("Full invoice for ticket {number}").format(number=number))
        self.setMinimumWidth(720)
        intro = QLabel(
            _(
                "Ticket {number} will be replaced by a full invoice in the customer's name. "
                "Type the customer's data as on their tax card."
            ).format(number=number)
        )
        intro.setWordWrap(True)
        intro.setStyleSheet("font-size: 17px;")
        self.form = InvoiceForm()
        if known is not None:
            self.form.set_recipient(known)
        self.form.submitted.connect(self.on_issue)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet("font-size: 17px; color: #b3261e; font-weight: 600;")
        self.issue_button = _button(_("Issue invoice (F12)"), "F12")
        self.issue_button.clicked.connect(self.on_issue)
        back = _button(_("Back (Esc)"), "Esc")
        back.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(back)
        buttons.addWidget(self.issue_button, 2)
        layout = QVBoxLayout(self)
        for widget in (intro, self.form, self.message):
            layout.addWidget(widget)
        layout.addLayout(buttons)
        self.form.focus_first_empty()

    def on_issue(self) -> None:
        try:
            self.recipient = self.form.checked_recipient()
        except RecipientRefused as error:
            self.message.setText(str(error))
            return
        self.accept()
