"""Products section of the ERP window: the list, its filters, and the product screens."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QVBoxLayout, QWidget

from app.erp.context import ErpContext
from app.erp.listing import Column
from app.erp.products import (
    ListOptions,
    ProductItem,
    list_options,
    product_page,
    search_ready,
)
from app.i18n import _
from ui.erp.product_form import ProductFormDialog
from ui.erp.table_view import TOUCH, ListView, erp_button
from ui.tasks import TaskManager


def product_columns() -> list[Column[ProductItem]]:
    return [
        Column(_("Id"), lambda p: p.id_product, "int", 60),
        Column(_("Reference"), lambda p: p.reference, width=130),
        Column(_("EAN13"), lambda p: p.ean13, width=130),
        Column(_("Name"), lambda p: p.name, width=260),
        Column(_("Category"), lambda p: p.category, width=130),
        Column(_("Price"), lambda p: p.price, "money", 90),
        Column(_("Price with tax"), lambda p: p.price_tax_incl, "money", 100),
        Column(_("Wholesale"), lambda p: p.wholesale_price, "money", 90),
        Column(_("Stock"), lambda p: p.quantity, "int", 60),
        Column(_("Active"), lambda p: p.active, "bool", 60),
    ]


def _combo(*items: tuple[str, object]) -> QComboBox:
    combo = QComboBox()
    combo.setMinimumHeight(TOUCH)
    for text, data in items:
        combo.addItem(text, data)
    return combo


class ProductsSection(QWidget):
    """Products"""

    def __init__(self, tasks: TaskManager, ctx: ErpContext) -> None:
        super().__init__()
        self.tasks, self.ctx = tasks, ctx
        self.list = ListView(
            tasks, ctx, product_page, product_columns(), title=_("Products"),
            placeholder=_("Search by name, reference or EAN13 (Ctrl+F)"),
        )  # fmt: skip
        self.category = _combo((_("All categories"), None))
        self.supplier = _combo((_("All suppliers"), None))
        self.active = _combo((_("Active and inactive"), None), (_("Active"), True),
                             (_("Inactive"), False))  # fmt: skip
        self.stock = _combo((_("Any stock"), None), (_("In stock"), "in"),
                            (_("Out of stock"), "out"), (_("Low stock"), "low"))  # fmt: skip
        for name, widget in (("id_category", self.category), ("id_supplier", self.supplier),
                             ("active", self.active), ("stock", self.stock)):  # fmt: skip
            self.list.add_filter(name, widget)
        self.new_button = erp_button(_("New product (Ctrl+N)"), "Ctrl+N")
        self.edit_button = erp_button(_("Edit (Enter)"))
        self.combinations_button = erp_button(_("Combinations (Ctrl+K)"), "Ctrl+K")
        for button in (self.combinations_button, self.edit_button, self.new_button):
            self.list.add_button(button)
        self.new_button.clicked.connect(lambda: self.open_product(None))
        self.edit_button.clicked.connect(self.edit_selected)
        self.combinations_button.clicked.connect(self.open_combinations)
        self.list.row_activated.connect(lambda item: self.open_product(item.id_product))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.list)
        self.dialog: QWidget | None = None
        tasks.run(lambda: list_options(ctx), self.on_options)
        tasks.run(lambda: search_ready(ctx), lambda _ready: None, lambda _error: None)
        self.list.reload()

    def on_options(self, options: ListOptions) -> None:
        for combo, choices in ((self.category, options.categories),
                               (self.supplier, options.suppliers)):  # fmt: skip
            combo.blockSignals(True)
            for choice in choices:
                combo.addItem(choice.name, choice.id)
            combo.blockSignals(False)

    def edit_selected(self) -> None:
        item = self.list.selected_row()
        if item is not None:
            self.open_product(item.id_product)

    def open_product(self, id_product: int | None) -> ProductFormDialog:
        dialog = ProductFormDialog(self.tasks, self.ctx, id_product, self)
        dialog.saved.connect(lambda _record: self.list.refresh())
        dialog.open()
        self.dialog = dialog
        return dialog

    def open_combinations(self) -> QWidget | None:
        item = self.list.selected_row()
        if item is None:
            return None
        from ui.erp.combinations import CombinationsDialog

        dialog = CombinationsDialog(self.tasks, self.ctx, item.id_product, item.name, self)
        dialog.changed.connect(self.list.refresh)
        dialog.open()
        self.dialog = dialog
        return dialog
