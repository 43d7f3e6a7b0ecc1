"""Small dialogs of the sale screen: pick a product's version, open the cash session."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.formatting import format_int
from app.i18n import _
from app.till.catalog import CatalogItem

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
    """Which size/colour of ``product``: a list with the stock of each; Enter takes it."""

    def __init__(self, parent: QWidget | None, name: str, items: list[CatalogItem]) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Choose a version"))
        self.setMinimumSize(520, 420)
        title = QLabel(_("{name}: which one?").format(name=name))
        title.setWordWrap(True)
        title.setStyleSheet("font-size: 20px; font-weight: 600;")
        self.list = QListWidget()
        self.list.setStyleSheet(LIST_STYLE)
        for item in items:
            stock = _("stock {n}").format(n=format_int(item.quantity))
            entry = QListWidgetItem(f"{item.attributes or item.name}   ·   {stock}")
            entry.setData(_ITEM_ROLE, item)
            self.list.addItem(entry)
        self.list.setCurrentRow(0)
        self.list.itemActivated.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(self.list, 1)
        layout.addWidget(dialog_buttons(self, _("Add (Enter)")))

    def chosen(self) -> CatalogItem | None:
        entry = self.list.currentItem()
        return None if entry is None else entry.data(_ITEM_ROLE)


class OpenCashDialog(QDialog):
    """No cash session is open: the float counted in the drawer opens one."""

    def __init__(self, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Open the till"))
        text = QLabel(_("The cash session is not open. Count the change in the drawer to open it."))
        text.setWordWrap(True)
        text.setStyleSheet("font-size: 17px;")
        self.amount = QLineEdit("0,00")
        self.amount.setMinimumHeight(BUTTON_HEIGHT)
        self.amount.setStyleSheet("font-size: 24px;")
        self.amount.selectAll()
        self.error = QLabel()
        self.error.setStyleSheet("color: #b3261e; font-size: 16px;")
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        caption = QLabel(_("Opening float (€)"))
        caption.setStyleSheet("font-size: 16px;")
        layout.addWidget(caption)
        layout.addWidget(self.amount)
        layout.addWidget(self.error)
        layout.addWidget(dialog_buttons(self, _("Open the till (Enter)")))
        self.setMinimumWidth(460)

    def opening_float(self) -> Decimal | None:
        return parse_amount(self.amount.text())

    def accept(self) -> None:
        value = self.opening_float()
        if value is None or value < 0:
            self.error.setText(_("Type the amount in the drawer, e.g. 100,00."))
            return
        super().accept()
