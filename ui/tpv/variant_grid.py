"""Sizes × colours: a product's combinations as a grid when they vary by two attributes.

Rows are the values of the attribute with more of them (sizes, usually), columns the other;
each cell shows the stock. An out-of-stock cell is greyed: still choosable when the shop
sells out of stock (PS_ORDER_OUT_OF_STOCK), disabled otherwise; a missing combination is an
empty disabled cell. Arrows move, Enter or a tap takes the cell.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem

from app.formatting import format_int
from app.till.catalog import CatalogItem

CELL = 64
_ITEM_ROLE = Qt.ItemDataRole.UserRole
_GREY = QColor("#d9d9d9")
_IN_STOCK = QColor("#e6f4ea")


def attribute_pairs(label: str) -> list[tuple[str, str]] | None:
    """``"Talla: M, Color: Rojo"`` → ``[("Talla", "M"), ("Color", "Rojo")]``; None if the
    label is not in that shape."""
    pairs = []
    for part in label.split(", "):
        group, sep, value = part.partition(": ")
        if not sep or not group.strip() or not value.strip():
            return None
        pairs.append((group.strip(), value.strip()))
    return pairs


@dataclass(frozen=True)
class Axes:
    row_group: str
    rows: tuple[str, ...]
    column_group: str
    columns: tuple[str, ...]
    cells: dict[tuple[str, str], CatalogItem]


def grid_axes(items: list[CatalogItem]) -> Axes | None:
    """The grid of ``items`` when every one has the same two attributes; else None."""
    parsed = [(item, attribute_pairs(item.attributes)) for item in items]
    if not parsed or any(pairs is None or len(pairs) != 2 for _item, pairs in parsed):
        return None
    groups = {tuple(group for group, _value in pairs or ()) for _item, pairs in parsed}
    if len(groups) != 1:
        return None
    first, second = groups.pop()
    cells: dict[tuple[str, str], CatalogItem] = {}
    for item, pairs in parsed:
        assert pairs is not None
        cells[(pairs[0][1], pairs[1][1])] = item
    a = tuple(dict.fromkeys(key[0] for key in cells))
    b = tuple(dict.fromkeys(key[1] for key in cells))
    if len(a) >= len(b):
        return Axes(first, a, second, b, cells)
    swapped = {(two, one): item for (one, two), item in cells.items()}
    return Axes(second, b, first, a, swapped)


def choosable(item: CatalogItem, sell_out_of_stock: bool) -> bool:
    return item.active and (item.quantity > 0 or sell_out_of_stock)


class VariantGrid(QTableWidget):
    picked = Signal(object)  # CatalogItem

    def __init__(self, axes: Axes, sell_out_of_stock: bool) -> None:
        super().__init__(len(axes.rows), len(axes.columns))
        self.axes = axes
        self.setHorizontalHeaderLabels(list(axes.columns))
        self.setVerticalHeaderLabels(list(axes.rows))
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setStyleSheet("font-size: 20px;")
        for header in (self.horizontalHeader(), self.verticalHeader()):
            header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
            header.setMinimumSectionSize(CELL)
            header.setStyleSheet("font-size: 17px; font-weight: 600;")
        first: tuple[int, int] | None = None
        for r, row_value in enumerate(axes.rows):
            for c, column_value in enumerate(axes.columns):
                item = axes.cells.get((row_value, column_value))
                self.setItem(r, c, _cell(item, sell_out_of_stock))
                if first is None and item is not None and item.quantity > 0:
                    first = (r, c) if choosable(item, sell_out_of_stock) else None
        self.setMinimumHeight(min(CELL * (len(axes.rows) + 1), 420))
        start = first or self._first_enabled()
        if start is not None:
            self.setCurrentCell(*start)
        self.cellClicked.connect(self._on_cell)
        self.cellActivated.connect(self._on_cell)

    def _first_enabled(self) -> tuple[int, int] | None:
        for r in range(self.rowCount()):
            for c in range(self.columnCount()):
                cell = self.item(r, c)
                if cell is not None and cell.flags() & Qt.ItemFlag.ItemIsEnabled:
                    return (r, c)
        return None

    def chosen(self) -> CatalogItem | None:
        cell = self.currentItem()
        if cell is None or not cell.flags() & Qt.ItemFlag.ItemIsEnabled:
            return None
        item = cell.data(_ITEM_ROLE)
        return item if isinstance(item, CatalogItem) else None

    def item_at(self, row_value: str, column_value: str) -> CatalogItem | None:
        return self.axes.cells.get((row_value, column_value))

    def select(self, item: CatalogItem) -> bool:
        """Make ``item``'s cell current (False if it is not choosable)."""
        for r in range(self.rowCount()):
            for c in range(self.columnCount()):
                cell = self.item(r, c)
                if cell is not None and cell.data(_ITEM_ROLE) == item:
                    if cell.flags() & Qt.ItemFlag.ItemIsEnabled:
                        self.setCurrentCell(r, c)
                        return True
        return False

    def _on_cell(self, row: int, column: int) -> None:
        self.setCurrentCell(row, column)
        chosen = self.chosen()
        if chosen is not None:
            self.picked.emit(chosen)


def _cell(item: CatalogItem | None, sell_out_of_stock: bool) -> QTableWidgetItem:
    if item is None:
        cell = QTableWidgetItem("")
        cell.setFlags(Qt.ItemFlag.NoItemFlags)
        return cell
    cell = QTableWidgetItem(format_int(item.quantity))
    cell.setData(_ITEM_ROLE, item)
    cell.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
    cell.setToolTip(item.display_name)
    if item.quantity > 0:
        cell.setBackground(QBrush(_IN_STOCK))
    else:
        cell.setBackground(QBrush(_GREY))
        cell.setForeground(QBrush(QColor("#777")))
    if not choosable(item, sell_out_of_stock):
        cell.setFlags(Qt.ItemFlag.NoItemFlags)
    else:
        cell.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
    return cell
