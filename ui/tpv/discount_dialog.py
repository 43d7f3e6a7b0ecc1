"""The discount dialog (F8 on a line, Shift+F8 on the ticket): a percentage typed, tapped on
the keypad, or one of the quick ones (5, 10, 15, 20, 50 %, which take it at once)."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.i18n import _
from ui.tpv.cart_model import percent
from ui.tpv.dialogs import dialog_buttons, parse_amount
from ui.tpv.sale_panel import button

QUICK = (Decimal(5), Decimal(10), Decimal(15), Decimal(20), Decimal(50))
KEYS = ("7", "8", "9", "4", "5", "6", "1", "2", "3", ",", "0", "⌫")
HUNDRED = Decimal(100)
KEY_STYLE = "font-size: 24px; font-weight: 600;"


class DiscountDialog(QDialog):
    """Accepted with :meth:`value` a percentage from 0 to 100."""

    def __init__(self, parent: QWidget | None, title: str, current: Decimal) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Discount"))
        self.setMinimumWidth(460)
        caption = QLabel(title)
        caption.setWordWrap(True)
        caption.setStyleSheet("font-size: 19px; font-weight: 600;")
        self.amount = QLineEdit(percent(current).removesuffix(" %") if current else "")
        self.amount.setPlaceholderText("0")
        self.amount.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.amount.setMinimumHeight(60)
        self.amount.setStyleSheet("font-size: 32px; padding: 0 10px;")
        self.amount.selectAll()
        suffix = QLabel("%")
        suffix.setStyleSheet("font-size: 32px;")
        self.error = QLabel()
        self.error.setStyleSheet("color: #b3261e; font-size: 16px;")
        entry = QHBoxLayout()
        entry.addWidget(self.amount, 1)
        entry.addWidget(suffix)
        layout = QVBoxLayout(self)
        layout.addWidget(caption)
        layout.addLayout(entry)
        layout.addLayout(self._quick_row())
        layout.addLayout(self._keypad())
        layout.addWidget(self.error)
        layout.addWidget(dialog_buttons(self, _("Apply (Enter)")))

    def _quick_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        for value in QUICK:
            quick = button(percent(value), height=56, style=KEY_STYLE)
            quick.clicked.connect(lambda _checked=False, v=value: self.take(v))
            row.addWidget(quick)
        none = button(_("None"), height=56, style=KEY_STYLE)
        none.clicked.connect(lambda: self.take(Decimal(0)))
        row.addWidget(none)
        return row

    def _keypad(self) -> QGridLayout:
        grid = QGridLayout()
        for index, key in enumerate(KEYS):
            made = button(key, height=56, style=KEY_STYLE)
            made.clicked.connect(lambda _checked=False, k=key: self.press(k))
            grid.addWidget(made, index // 3, index % 3)
        return grid

    def press(self, key: str) -> None:
        text = self.amount.text() if not self.amount.hasSelectedText() else ""
        self.amount.setText(text[:-1] if key == "⌫" else text + key)

    def take(self, value: Decimal) -> None:
        self.amount.setText(percent(value).removesuffix(" %"))
        self.accept()

    def value(self) -> Decimal | None:
        text = self.amount.text().strip() or "0"
        value = parse_amount(text)
        return value if value is not None and 0 <= value <= HUNDRED else None

    def accept(self) -> None:
        if self.value() is None:
            self.error.setText(_("Type a percentage from 0 to 100, e.g. 10 or 12,5."))
            return
        super().accept()
