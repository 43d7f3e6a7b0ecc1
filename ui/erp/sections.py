"""The ERP window's sections: id, title and factory, in sidebar order.

A section is a QWidget built as ``factory(tasks, ctx)`` (``ui.tasks.TaskManager``,
``app.erp.context.ErpContext``) the first time the manager opens it. :func:`sections` is
called once the interface language is set, so titles are translated; ``store`` is the till
store of the till the window was opened from (its cash-session history), if any. To add
one, append an ``ErpSection`` to the list in :func:`sections`; the window gives the n-th
section the shortcut Ctrl+n (n ≤ 9).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module

from PySide6.QtWidgets import QWidget

from app.erp.context import ErpContext
from app.i18n import _
from app.till.store import TillStore
from ui.tasks import TaskManager

SectionFactory = Callable[[TaskManager, ErpContext], QWidget]


@dataclass(frozen=True)
class ErpSection:
    id: str
    title: str
    factory: SectionFactory


def _lazy(module: str, name: str) -> SectionFactory:
    """A factory importing its section's module only when the manager first opens it."""

    def build(tasks: TaskManager, ctx: ErpContext) -> QWidget:
        section = getattr(import_module(module), name)
        widget = section(tasks, ctx)
        assert isinstance(widget, QWidget)
        return widget

    return build


def _cash_history(store: TillStore | None) -> SectionFactory:
    def build(tasks: TaskManager, ctx: ErpContext) -> QWidget:
        from ui.erp.cash_history import CashHistorySection

        return CashHistorySection(tasks, ctx, store=store)

    return build


def sections(store: TillStore | None = None) -> list[ErpSection]:
    """Every section of the ERP window, in sidebar order."""
    return [
        ErpSection("products", _("Products"), _lazy("ui.erp.products", "ProductsSection")),
        ErpSection("stock", _("Stock"), _lazy("ui.erp.stock", "StockSection")),
        ErpSection("inventory", _("Inventory"), _lazy("ui.erp.inventory", "InventorySection")),
        ErpSection("orders", _("Orders"), _lazy("ui.erp.orders", "OrdersSection")),
        ErpSection("customers", _("Customers"), _lazy("ui.erp.customers", "CustomersSection")),
        ErpSection("suppliers", _("Suppliers"), _lazy("ui.erp.suppliers", "SuppliersSection")),
        ErpSection("purchases", _("Purchases"), _lazy("ui.erp.purchases", "PurchasesSection")),
        ErpSection("reports", _("Reports"), _lazy("ui.erp.reports", "ReportsSection")),
        ErpSection("cash", _("Cash sessions"), _cash_history(store)),
        ErpSection("labels", _("Labels"), _lazy("ui.erp.labels", "LabelsSection")),
    ]
