"""The cart table: a snapshot of the priced cart (name, quantity, unit price, discount, total).

The model holds a frozen :class:`~app.sale.cart.CartPricing`, never the live cart: the screen
hands it a new snapshot after each change.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont

from app.formatting import format_decimal, format_int, format_money
from app.i18n import _
from app.sale.cart import CartPricing, PricedLine

Index = QModelIndex | QPersistentModelIndex
NAME, QUANTITY, UNIT_PRICE, DISCOUNT, TOTAL = range(5)
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter


class CartModel(QAbstractTableModel):
    def __init__(self) -> None:
        super().__init__()
        self._lines: tuple[PricedLine, ...] = ()
        self._headers = [_("Product"), _("Qty"), _("Price"), _("Discount"), _("Total")]
        self._bold = QFont()
        self._bold.setBold(True)

    def set_pricing(self, pricing: CartPricing | None) -> None:
        self.beginResetModel()
        self._lines = pricing.lines if pricing is not None else ()
        self.endResetModel()

    def line_id(self, row: int) -> int | None:
        return self._lines[row].line.id if 0 <= row < len(self._lines) else None

    def row_of(self, line_id: int) -> int:
        ids = [priced.line.id for priced in self._lines]
        return ids.index(line_id) if line_id in ids else -1

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._lines)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._headers)

    def headerData(  # noqa: N802 (Qt's name)
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._headers[section]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _LEFT if section == NAME else _RIGHT
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        priced = self._lines[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return _cell(priced, column)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _LEFT if column == NAME else _RIGHT
        if role == Qt.ItemDataRole.FontRole and column in (QUANTITY, TOTAL):
            return self._bold
        return None


def _cell(priced: PricedLine, column: int) -> str:
    line = priced.line
    if column == NAME:
        return line.item.display_name
    if column == QUANTITY:
        return format_int(line.quantity)
    if column == UNIT_PRICE:
        return format_money(priced.price.tax_incl)
    if column == DISCOUNT:
        return percent(line.discount_percent) if line.discount_percent else ""
    return format_money(priced.totals.total_tax_incl)


def percent(value: Decimal) -> str:
    places = 0 if value == value.to_integral_value() else 2
    return f"{format_decimal(value, places)} %"
