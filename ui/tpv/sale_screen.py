"""The cashier's sale screen: scan or search, the cart (or the product grid, F3), the total,
and the sale's actions.

Every read of the till store runs on a worker through :class:`~ui.tasks.TaskManager` (the
lookup also reads the item's pricing rows ahead, so adding it to the cart here is pure
computation); writes go to the till-store writer. The cart lives on the GUI thread; the table
shows a priced snapshot of it. The flows live beside this module: charging
(``sale_payment.py``), the customer (``sale_customer.py``), parking (``sale_parking.py``) and
discounts (``sale_discounts.py``); the right-hand panel is ``sale_panel.py``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future
from decimal import Decimal
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QApplication, QHBoxLayout, QStackedWidget, QVBoxLayout, QWidget

from app.connection import ShopTarget
from app.errors import UserFacingError
from app.i18n import _
from app.sale.cart import Cart, CartRefused, ManagerApprovalRequired
from app.sale.price_inputs import Employee, customer_group
from app.till.catalog import CatalogItem, Category
from app.till_runtime import (
    ProductTile,
    TillRuntime,
    Variants,
    category_list,
    category_page,
    lookup_code,
    open_till,
    prepare_item,
    search_items,
    variants_of,
)
from ui.errors import show_error
from ui.tasks import TaskManager
from ui.tpv.cart_model import CartModel
from ui.tpv.dialogs import CombinationDialog
from ui.tpv.in_order import InOrder
from ui.tpv.payment_dialog import PaymentDialog
from ui.tpv.product_grid import ProductGrid
from ui.tpv.sale_customer import CustomerFlow
from ui.tpv.sale_discounts import DiscountFlow
from ui.tpv.sale_panel import SalePanel, button, cart_table
from ui.tpv.sale_parking import ParkingFlow
from ui.tpv.sale_payment import PaymentFlow
from ui.tpv.search_box import SearchBox

logger = logging.getLogger(__name__)

T = TypeVar("T")
ZERO = Decimal(0)
CART_PAGE, GRID_PAGE = 0, 1


class SaleScreen(QWidget):
    ticket_paid = Signal(object)  # Ticket

    def __init__(self, tasks: TaskManager) -> None:
        super().__init__()
        self.tasks = tasks
        self.runtime: TillRuntime | None = None
        self._opening: Future[TillRuntime] | None = None
        self.cart: Cart | None = None
        self.busy = False
        self._search_seq = 0
        self._in_order = InOrder()  # lookups applied in the order of the scans
        self.search = SearchBox()
        self.search.code_entered.connect(self.on_code_entered)
        self.search.item_chosen.connect(self.on_item_chosen)
        self.search.search_requested.connect(self.on_search_requested)
        self.search.quantity_stepped.connect(self.on_quantity_stepped)
        self.search.remove_requested.connect(self.on_remove_requested)
        self.search.line_moved.connect(self.on_line_moved)
        self.model = CartModel()
        self.table = cart_table(self.model)
        self.grid = ProductGrid(tasks, self._load_categories, self._load_page)
        self.grid.item_tapped.connect(self.on_item_chosen)
        self.panel = SalePanel()
        self.header, self.message = self.panel.header, self.panel.message
        self.total_label, self.count_label = self.panel.total_label, self.panel.count_label
        self.pay_button = self.panel.pay_button
        self.payment = PaymentFlow(self)
        self.customers = CustomerFlow(self)
        self.parking = ParkingFlow(self)
        self.discounts = DiscountFlow(self)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.setSpacing(12)
        layout.addLayout(self._build_left(), 1)
        layout.addWidget(self.panel)
        self._connect_panel()
        self.refresh()

    def _build_left(self) -> QVBoxLayout:
        self.plus_button = button(_("+1 (+)"))
        self.plus_button.clicked.connect(lambda: self.on_quantity_stepped(1))
        self.minus_button = button(_("−1 (-)"))
        self.minus_button.clicked.connect(lambda: self.on_quantity_stepped(-1))
        self.remove_button = button(_("Remove line (Del)"))
        self.remove_button.clicked.connect(self.on_remove_requested)
        line_buttons = QHBoxLayout()
        for made in (self.plus_button, self.minus_button, self.remove_button):
            line_buttons.addWidget(made)
        line_buttons.addStretch(1)
        self.left = QStackedWidget()
        self.left.addWidget(self.table)
        self.left.addWidget(self.grid)
        left = QVBoxLayout()
        left.addWidget(self.search)
        left.addWidget(self.left, 1)
        left.addLayout(line_buttons)
        return left

    def _connect_panel(self) -> None:
        panel = self.panel
        panel.pay_button.clicked.connect(self.on_pay_requested)
        panel.customer_button.clicked.connect(self.customers.start)
        panel.products_button.clicked.connect(self.toggle_products)
        panel.park_button.clicked.connect(self.parking.park)
        panel.recall_button.clicked.connect(self.parking.recall)
        panel.line_discount_button.clicked.connect(self.discounts.line_discount)
        panel.ticket_discount_button.clicked.connect(self.discounts.ticket_discount)

    @property
    def payment_dialog(self) -> PaymentDialog | None:
        return self.payment.dialog

    # --- opening the till ---------------------------------------------------------------

    def start(self, target: ShopTarget | None, till: str, store: Path | None = None) -> None:
        """Open the till on a worker (the first catalog pull may take a while)."""
        if self.runtime is not None or self.busy:
            return
        self.busy = True
        self.show_message("info", _("Opening the till… the first time, the catalog is loaded."))
        self._opening = self.tasks.run(
            lambda: open_till(target, till, store), self.on_till_opened, self.on_failed
        )

    def on_till_opened(self, runtime: TillRuntime) -> None:
        self.busy, self._opening = False, None
        self.attach(runtime)
        runtime.start_sync()

    def attach(self, runtime: TillRuntime) -> None:
        self.runtime = runtime
        self.cart = Cart(runtime.source, runtime.policy)
        self.set_employee(runtime.employee)
        self.show_message("info", _("Ready. Scan the first item."))
        self.refresh()

    def set_employee(self, employee: Employee) -> None:
        """Show who sells now (the owner sets ``runtime.employee``, recorded on tickets)."""
        till = self.runtime.till if self.runtime is not None else ""
        self.header.setText(_("Till {till} · {employee}").format(till=till, employee=employee.name))

    def close_till(self) -> None:
        """Stop the sync worker and close the store (the owner calls it on quit, after the
        task helper has shut down: a till opened meanwhile is closed here too)."""
        opening, self._opening = self._opening, None
        if self.runtime is None and opening is not None and opening.done():
            if not opening.cancelled() and opening.exception() is None:
                opening.result().close()
        if self.runtime is not None:
            self.runtime.close()
            self.runtime = None

    # --- adding items -------------------------------------------------------------------

    def on_code_entered(self, code: str) -> None:
        runtime, group = self.runtime, self._group()
        if runtime is None:
            return
        self.search.reset()
        if self.busy:
            self.show_message("warning", _("One moment: the sale is being recorded. Scan again."))
            return
        self._run_in_order(
            lambda: lookup_code(runtime, code, group),
            lambda items: self.on_code_found(code, items),
        )

    def on_code_found(self, code: str, items: list[CatalogItem]) -> None:
        if not items:
            self.show_message(
                "warning", _("No product has the code {code}. Nothing was added.").format(code=code)
            )
        elif items[0].has_combinations and not items[0].id_product_attribute:
            self.on_item_chosen(items[0])
        else:
            self.add_item(items[0])  # its pricing rows were read with the lookup

    def on_item_chosen(self, item: CatalogItem) -> None:
        runtime, group = self.runtime, self._group()
        if runtime is None:
            return
        self.search.reset()
        if item.has_combinations and not item.id_product_attribute:
            self._run_in_order(
                lambda: variants_of(runtime, item.id_product),
                lambda variants: self.on_combinations(item, variants),
            )
        else:
            self._run_in_order(lambda: prepare_item(runtime, item, group), self.add_item)

    def _run_in_order(self, work: Callable[[], T], done: Callable[[T], None]) -> None:
        """Run a lookup on a worker; results are applied in the order of the scans."""
        deliver = self._in_order.ticket()
        self.tasks.run(
            work,
            lambda result: deliver(lambda: done(result)),
            lambda error: deliver(lambda: self.on_failed(error)),
        )

    @property
    def lookups_pending(self) -> bool:
        return self._in_order.pending

    def when_lookups_done(self, callback: Callable[[], None]) -> None:
        self._in_order.when_idle(callback)

    def on_combinations(self, product: CatalogItem, variants: Variants) -> None:
        items = list(variants.items)
        dialog = CombinationDialog(self, product.name, items, variants.sell_out_of_stock)
        dialog.accepted.connect(lambda: self._chosen_combination(dialog))
        dialog.finished.connect(lambda _result: self.focus_scan())
        dialog.open()

    def _chosen_combination(self, dialog: CombinationDialog) -> None:
        chosen = dialog.chosen()
        if chosen is not None:
            self.on_item_chosen(chosen)

    def add_item(self, item: CatalogItem) -> None:
        if self.cart is None or self.busy:
            return
        if self.cart_action(lambda cart: cart.add(item)):
            line = next(
                line
                for line in self.cart.lines
                if line.key == (item.id_product, item.id_product_attribute)
            )
            self._select_line(line.id)
            if item.quantity > 0:
                self.show_message("info", _("Added: {name}").format(name=item.display_name))
            else:
                text = _("Added: {name} — the shop shows no stock of it.")
                self.show_message("warning", text.format(name=item.display_name))

    def on_search_requested(self, text: str) -> None:
        runtime = self.runtime
        if runtime is None:
            return
        self._search_seq += 1
        seq = self._search_seq
        self.tasks.run(
            lambda: search_items(runtime, text),
            lambda items: self.on_search_results(seq, text, items),
            self.on_failed,
        )

    def on_search_results(self, seq: int, text: str, items: list[CatalogItem]) -> None:
        if seq != self._search_seq or self.search.text() != text:
            return  # the cashier typed on: a newer search is coming
        self.search.show_results(items)
        if not items:
            self.show_message("warning", _("Nothing matches «{text}».").format(text=text))

    # --- the product grid ---------------------------------------------------------------

    def toggle_products(self) -> None:
        showing = self.left.currentIndex() == GRID_PAGE
        self.left.setCurrentIndex(CART_PAGE if showing else GRID_PAGE)
        if not showing and self.runtime is not None:
            self.grid.load()
        self.focus_scan()

    def _load_categories(self) -> list[Category]:
        runtime = self.runtime
        return category_list(runtime) if runtime is not None else []

    def _load_page(self, id_category: int, offset: int, limit: int) -> list[ProductTile]:
        runtime, cart = self.runtime, self.cart
        if runtime is None or cart is None:
            return []
        return category_page(runtime, id_category, cart.customer, offset, limit)

    # --- changing lines -----------------------------------------------------------------

    def on_quantity_stepped(self, step: int) -> None:
        line_id = self.selected_line()
        if self.cart is None or line_id is None:
            return
        quantity = self.cart.line(line_id).quantity + step
        if quantity < 1:
            self.show_message("warning", _("To take the line off, press Del."))
            return
        self.cart_action(lambda cart: cart.set_quantity(line_id, quantity))

    def on_remove_requested(self) -> None:
        line_id = self.selected_line()
        if self.cart is None or line_id is None:
            return
        row = self.model.row_of(line_id)
        if self.cart_action(lambda cart: cart.remove(line_id)):
            self._select_row(min(row, self.model.rowCount() - 1))

    def on_line_moved(self, step: int) -> None:
        rows = self.model.rowCount()
        if rows:
            current = self.table.currentIndex().row()
            self._select_row(min(max(current + step, 0), rows - 1))

    def cart_action(
        self,
        action: Callable[[Cart], object],
        on_approval: Callable[[ManagerApprovalRequired], None] | None = None,
    ) -> bool:
        """Apply a cart verb; a refusal is said calmly and changes nothing (one for lack of
        a manager's approval goes to ``on_approval`` when given)."""
        if self.cart is None or self.busy:
            return False
        selected = self.selected_line()
        try:
            action(self.cart)
        except ManagerApprovalRequired as error:
            (on_approval or self._refused)(error)
            return False
        except CartRefused as error:
            self._refused(error)
            return False
        self.refresh()
        if selected is not None and self.model.row_of(selected) >= 0:
            self._select_line(selected)
        return True

    def _refused(self, error: CartRefused) -> None:
        self.show_message("warning", error.message)

    def replace_cart(self, cart: Cart) -> None:
        """Sell ``cart`` now (a recalled ticket); the current one must be empty."""
        self.cart = cart
        self.refresh()
        self.on_customer_changed()
        if self.model.rowCount():
            self._select_row(0)

    def on_customer_changed(self) -> None:
        if self.left.currentIndex() == GRID_PAGE:
            self.grid.reload()  # the tiles' prices follow the customer's group

    # --- paying -------------------------------------------------------------------------

    def on_pay_requested(self) -> None:
        self.payment.start()

    # --- showing ------------------------------------------------------------------------

    def on_failed(self, error: BaseException) -> None:
        self.busy = False
        if isinstance(error, UserFacingError):
            self.show_message("error", error.message)
        else:
            show_error(self, error)

    def show_message(self, kind: str, text: str, big: bool = False) -> None:
        self.panel.show_message(kind, text, big)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt's name)
        super().showEvent(event)
        self.focus_scan()

    def focus_scan(self) -> None:
        """The scan field takes the focus back (after a dialog: its window too)."""
        if QApplication.activeModalWidget() is not None:
            return  # another dialog opened meanwhile (the manager's approval…): it keeps it
        if self.isVisible() and not self.isActiveWindow():
            self.activateWindow()
        self.search.field.setFocus()

    def refresh(self) -> None:
        cart = self.cart
        pricing = cart.priced() if cart is not None and not cart.is_empty else None
        self.model.set_pricing(pricing)
        self.panel.show_totals(pricing, cart.ticket_discount if cart is not None else ZERO)
        self.panel.show_customer(cart.customer if cart is not None else None)
        self.pay_button.setEnabled(cart is not None)

    def _group(self) -> int:
        return customer_group(self.cart.config, self.cart.customer) if self.cart else 0

    def selected_line(self) -> int | None:
        return self.model.line_id(self.table.currentIndex().row())

    def _select_line(self, line_id: int) -> None:
        self._select_row(self.model.row_of(line_id))

    def _select_row(self, row: int) -> None:
        if row >= 0:
            self.table.selectRow(row)
            self.table.scrollTo(self.model.index(row, 0))
