"""Small dialogs of the sale screen: pick a product's version, open the cash session."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.formatting import format_int
from app.i18n import _
from app.till.catalog import CatalogItem
from ui.tpv.variant_grid import VariantGrid, choosable, grid_axes

BUTTON_HEIGHT = 48
LIST_STYLE = "QListWidget { font-size: 18px; } QListWidget::item { min-height: 44px; }"
_ITEM_ROLE = Qt.ItemDataRole.UserRole


def parse_amount(text: str) -> Decimal | None:
    """An amount as a cashier types it: ``12,50``, ``12.50``, ``1.234,50``, ``20 €``."""
    cleaned = text.replace("€", "").replace(" ", "").strip()
    if "," in cleaned:
        cleaned = cleaned.replace(".", "").replace(",", ".")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def dialog_buttons(dialog: QDialog, ok_text: str) -> QDialogButtonBox:
    """OK / Cancel with our labels and the shortcuts written on them."""
    box = QDialogButtonBox()
    ok = QPushButton(ok_text)
    cancel = QPushButton(_("Cancel (Esc)"))
    for button in (ok, cancel):
        button.setMinimumHeight(BUTTON_HEIGHT)
        button.setStyleSheet("font-size: 17px; padding: 0 18px;")
    ok.setDefault(True)
    box.addButton(ok, QDialogButtonBox.ButtonRole.AcceptRole)
    box.addButton(cancel, QDialogButtonBox.ButtonRole.RejectRole)
    box.accepted.connect(dialog.accept)
    box.rejected.connect(dialog.reject)
    return box


class CombinationDialog(QDialog):
    """Which size/colour of ``product``: a sizes × colours grid when the combinations vary by
    two attributes, else a list, each with its stock; Enter or a tap takes it.

    Out of stock is greyed, and choosable only when the shop sells out of stock.
    """

    def __init__(
        self,
        parent: QWidget | None,
        name: str,
        items: list[CatalogItem],
        sell_out_of_stock: bool = True,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Choose a version"))
        self.setMinimumSize(560, 440)
        title = QLabel(_("{name}: which one?").format(name=name))
        title.setWordWrap(True)
        title.setStyleSheet("font-size: 20px; font-weight: 600;")
        axes = grid_axes(items)
        self.grid = VariantGrid(axes, sell_out_of_stock) if axes is not None else None
        self.list = None if self.grid is not None else _version_list(items, sell_out_of_stock)
        picker: QWidget = self.grid or self.list or QListWidget()
        if self.grid is not None:
            self.grid.picked.connect(lambda _item: self.accept())
            caption = _("Stock by {rows} (rows) and {columns} (columns)").format(
                rows=self.grid.axes.row_group, columns=self.grid.axes.column_group
            )
            title.setText(title.text() + "\n" + caption)
        elif self.list is not None:
            self.list.itemActivated.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(picker, 1)
        layout.addWidget(dialog_buttons(self, _("Add (Enter)")))
        picker.setFocus()

    def chosen(self) -> CatalogItem | None:
        if self.grid is not None:
            return self.grid.chosen()
        entry = self.list.currentItem() if self.list is not None else None
        if entry is None or not entry.flags() & Qt.ItemFlag.ItemIsEnabled:
            return None
        item = entry.data(_ITEM_ROLE)
        return item if isinstance(item, CatalogItem) else None


def _version_list(items: list[CatalogItem], sell_out_of_stock: bool) -> QListWidget:
    versions = QListWidget()
    versions.setStyleSheet(LIST_STYLE)
    current = -1
    for row, item in enumerate(items):
        stock = _("stock {n}").format(n=format_int(item.quantity))
        entry = QListWidgetItem(f"{item.attributes or item.name}   ·   {stock}")
        entry.setData(_ITEM_ROLE, item)
        if not choosable(item, sell_out_of_stock):
            entry.setFlags(Qt.ItemFlag.NoItemFlags)
        elif item.quantity <= 0:
            entry.setForeground(QBrush(QColor("#777")))
        if current < 0 and choosable(item, sell_out_of_stock):
            current = row
        versions.addItem(entry)
    versions.setCurrentRow(max(current, 0))
    return versions
