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


def _products(tasks: TaskManager, ctx: ErpContext) -> QWidget:
    from ui.erp.products import ProductsSection

    return ProductsSection(tasks, ctx)


def _stock(tasks: TaskManager, ctx: ErpContext) -> QWidget:
    from ui.erp.stock import StockSection

    return StockSection(tasks, ctx)


def _inventory(tasks: TaskManager, ctx: ErpContext) -> QWidget:
    from ui.erp.inventory import InventorySection

    return InventorySection(tasks, ctx)


def _orders(tasks: TaskManager, ctx: ErpContext) -> QWidget:
    from ui.erp.orders import OrdersSection

    return OrdersSection(tasks, ctx)


def _customers(tasks: TaskManager, ctx: ErpContext) -> QWidget:
    from ui.erp.customers import CustomersSection

    return CustomersSection(tasks, ctx)


def _suppliers(tasks: TaskManager, ctx: ErpContext) -> QWidget:
    from ui.erp.suppliers import SuppliersSection

    return SuppliersSection(tasks, ctx)


def _purchases(tasks: TaskManager, ctx: ErpContext) -> QWidget:
    from ui.erp.purchases import PurchasesSection

    return PurchasesSection(tasks, ctx)


def _reports(tasks: TaskManager, ctx: ErpContext) -> QWidget:
    from ui.erp.reports import ReportsSection

    return ReportsSection(tasks, ctx)


def _labels(tasks: TaskManager, ctx: ErpContext) -> QWidget:
    from ui.erp.labels import LabelsSection

    return LabelsSection(tasks, ctx)


def _cash_history(store: TillStore | None) -> SectionFactory:
    def build(tasks: TaskManager, ctx: ErpContext) -> QWidget:
        from ui.erp.cash_history import CashHistorySection

        return CashHistorySection(tasks, ctx, store=store)

    return build


def sections(store: TillStore | None = None) -> list[ErpSection]:
    """Every section of the ERP window, in sidebar order."""
    return [
        ErpSection("products", _("Products"), _products),
        ErpSection("stock", _("Stock"), _stock),
        ErpSection("inventory", _("Inventory"), _inventory),
        ErpSection("orders", _("Orders"), _orders),
        ErpSection("customers", _("Customers"), _customers),
        ErpSection("suppliers", _("Suppliers"), _suppliers),
        ErpSection("purchases", _("Purchases"), _purchases),
        ErpSection("reports", _("Reports"), _reports),
        ErpSection("cash", _("Cash sessions"), _cash_history(store)),
        ErpSection("labels", _("Labels"), _labels),
    ]
