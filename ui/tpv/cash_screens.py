"""Pieces shared by the cash-session screens: buttons, the message line, the amount field and
the count by note and coin.

The screens themselves live in their own modules:

* ``ui/tpv/cash_open.py`` — :class:`CashOpenDialog`: open the till with a float.
* ``ui/tpv/cash_move.py`` — :class:`CashMoveDialog`: cash in / cash out with a reason.
* ``ui/tpv/cash_close.py`` — :class:`CashCloseScreen`: count, close, Z report preview.
* ``ui/tpv/z_preview.py`` — :class:`ZPreview`: a Z report drawn as the paper, Print / Close.

:class:`DenominationGrid` lists the euro notes (left) and coins (right), each with − / + buttons,
a quantity and its subtotal; the total updates as the cashier types and :attr:`changed` carries it.
Enter in a quantity moves on to the next one, largest to smallest.
"""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from app.formatting import format_money
from app.i18n import _
from app.till.cash_session import DENOMINATIONS

TOUCH_HEIGHT = 48
MAX_PIECES = 9999
NOTES = tuple(value for value in DENOMINATIONS if value >= 5)
COINS = tuple(value for value in DENOMINATIONS if value < 5)
MESSAGE_STYLES = {
    "info": "color: #0b5d1e; background: #e6f4ea;",
    "warning": "color: #7a3e00; background: #fff1db;",
    "error": "color: #8c1d18; background: #fce8e6;",
}
PRIMARY_STYLE = "font-size: 22px; font-weight: 700; background: #1b7f3a; color: white;"
BIG_STYLE = "font-size: 30px; font-weight: 800;"


def touch_button(
    text: str, shortcut: str | None = None, *, height: int = TOUCH_HEIGHT, style: str = ""
) -> QPushButton:
    """A button a finger can hit; it never takes the focus from the field that has it."""
    button = QPushButton(text)
    button.setMinimumHeight(height)
    button.setStyleSheet(style or "font-size: 17px; padding: 0 14px;")
    button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    if shortcut:
        button.setShortcut(QKeySequence(shortcut))
    return button


class MessageLine(QLabel):
    """What happened or what is wrong, coloured by kind (info, warning, error)."""

    def __init__(self) -> None:
        super().__init__()
        self.setWordWrap(True)
        self.setMinimumHeight(44)
        self.show_message("info", "")

    def show_message(self, kind: str, text: str, *, big: bool = False) -> None:
        size = "24px; font-weight: 700" if big else "17px"
        self.setStyleSheet(f"{MESSAGE_STYLES[kind]} font-size: {size}; padding: 8px;")
        self.setText(text)


def amount_field(text: str = "") -> QLineEdit:
    field = QLineEdit(text)
    field.setMinimumHeight(56)
    field.setAlignment(Qt.AlignmentFlag.AlignRight)
    field.setStyleSheet("font-size: 28px; padding: 0 10px;")
    field.setPlaceholderText("0,00")
    return field


class _Row:
    """One denomination: − [quantity] + and the subtotal."""

    def __init__(self, grid: DenominationGrid, value: Decimal) -> None:
        self.value = value
        self.spin = QSpinBox()
        self.spin.setRange(0, MAX_PIECES)
        self.spin.setButtonSymbols(QSpinBox.ButtonSymbols.NoButtons)
        self.spin.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.spin.setMinimumHeight(44)
        self.spin.setMinimumWidth(80)
        self.spin.setStyleSheet("font-size: 20px;")
        self.spin.valueChanged.connect(grid.on_count_changed)
        self.spin.installEventFilter(grid)
        self.minus = touch_button("−", height=44, style="font-size: 22px; min-width: 44px;")
        self.minus.clicked.connect(lambda: self.spin.stepBy(-1))
        self.plus = touch_button("+", height=44, style="font-size: 22px; min-width: 44px;")
        self.plus.clicked.connect(lambda: self.spin.stepBy(1))
        self.label = QLabel(format_money(value))
        self.label.setStyleSheet("font-size: 18px; font-weight: 600;")
        self.label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.subtotal = QLabel()
        self.subtotal.setStyleSheet("font-size: 17px; color: #333;")
        self.subtotal.setMinimumWidth(110)
        self.subtotal.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

    def place(self, layout: QGridLayout, row: int, column: int) -> None:
        for offset, widget in enumerate(
            (self.label, self.minus, self.spin, self.plus, self.subtotal)
        ):
            layout.addWidget(widget, row, column + offset)

    def refresh(self) -> None:
        count = self.spin.value()
        self.subtotal.setText(format_money(self.value * count) if count else "")


class DenominationGrid(QWidget):
    """The count of the drawer by euro note and coin, with its live total."""

    changed = Signal(object)  # Decimal: the total counted

    def __init__(self) -> None:
        super().__init__()
        layout = QGridLayout(self)
        layout.setHorizontalSpacing(6)
        layout.setVerticalSpacing(4)
        self.rows = {value: _Row(self, value) for value in DENOMINATIONS}
        for position, value in enumerate(NOTES):
            self.rows[value].place(layout, position, 0)
        for position, value in enumerate(COINS):
            self.rows[value].place(layout, position, 6)
        layout.setColumnMinimumWidth(5, 24)
        self.on_count_changed()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        """Enter in a quantity goes on to the next one (the last lets the screen have it); a
        quantity is selected when it gets the focus, so typing replaces it."""
        spins = [row.spin for row in self.rows.values()]
        if event.type() is QEvent.Type.FocusIn and isinstance(watched, QSpinBox):
            QTimer.singleShot(0, watched.selectAll)
        if event.type() is QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and watched in spins[:-1]:
                following = spins[spins.index(watched) + 1]
                following.setFocus()
                following.selectAll()
                return True
        return super().eventFilter(watched, event)

    def spin(self, value: str) -> QSpinBox:
        """The quantity field of denomination ``value`` (e.g. ``"0.50"``)."""
        return self.rows[Decimal(value)].spin

    def counts(self) -> dict[Decimal, int]:
        return {value: row.spin.value() for value, row in self.rows.items()}

    def total(self) -> Decimal:
        return sum((value * count for value, count in self.counts().items()), Decimal("0.00"))

    def clear(self) -> None:
        for row in self.rows.values():
            row.spin.blockSignals(True)
            row.spin.setValue(0)
            row.spin.blockSignals(False)
        self.on_count_changed()

    def on_count_changed(self) -> None:
        for row in self.rows.values():
            row.refresh()
        self.changed.emit(self.total())


def mode_buttons(by_pieces_key: str, total_key: str) -> tuple[QPushButton, QPushButton]:
    """ "By note and coin" / "Total only" toggles (exclusive; the caller checks one)."""
    pieces = touch_button(_("By note and coin ({key})").format(key=by_pieces_key), by_pieces_key)
    total = touch_button(_("Total only ({key})").format(key=total_key), total_key)
    for button in (pieces, total):
        button.setCheckable(True)
        button.setAutoExclusive(True)
    return pieces, total


def button_row(*buttons: QPushButton) -> QHBoxLayout:
    """``buttons`` side by side, pushed to the right."""
    row = QHBoxLayout()
    row.addStretch(1)
    for button in buttons:
        row.addWidget(button)
    return row
