"""The cashier's sale screen: scan or search, the cart, the total, and the payment.

Every read of the till store runs on a worker through :class:`~ui.tasks.TaskManager` (the
lookup also reads the item's pricing rows ahead, so adding it to the cart here is pure
computation); the sale is recorded on the till-store writer. The cart lives on the GUI thread;
the table shows a priced snapshot of it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.connection import ShopTarget
from app.errors import UserFacingError
from app.formatting import format_int, format_money
from app.i18n import _, ngettext
from app.sale.cart import Cart, CartRefused
from app.sale.checkout import build_sale
from app.sale.payment_methods import PaymentPlan
from app.sale.price_inputs import customer_group
from app.till.cash_session import CashSession
from app.till.catalog import CatalogItem
from app.till.errors import CashSessionRefused
from app.till.records import Ticket
from app.till_runtime import (
    TillRuntime,
    combinations_of,
    find_cash_session,
    lookup_code,
    open_session,
    open_till,
    prepare_item,
    record,
    search_items,
)
from ui.errors import show_error
from ui.tasks import TaskManager
from ui.tpv import cart_model
from ui.tpv.cart_model import CartModel
from ui.tpv.dialogs import CombinationDialog, OpenCashDialog
from ui.tpv.in_order import InOrder
from ui.tpv.payment_dialog import PaymentDialog
from ui.tpv.search_box import SearchBox

logger = logging.getLogger(__name__)

ZERO = Decimal(0)
T = TypeVar("T")

MESSAGE_STYLES = {
    "info": "color: #0b5d1e; background: #e6f4ea;",
    "warning": "color: #7a3e00; background: #fff1db;",
    "error": "color: #8c1d18; background: #fce8e6;",
}
TOTAL_STYLE = "background: #111; color: #fff; font-size: 52px; font-weight: 800; padding: 8px 16px;"

TOTAL_CAPTION_STYLE = "background: #111; color: #ddd; font-size: 18px; padding: 6px 16px 0;"
PAY_STYLE = "font-size: 26px; font-weight: 700; background: #1b7f3a; color: white;"


def _cart_table(model: CartModel) -> QTableView:
    table = QTableView()
    table.setModel(model)
    table.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the scan field keeps the focus
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.setStyleSheet("font-size: 18px;")
    table.verticalHeader().hide()
    table.verticalHeader().setDefaultSectionSize(46)
    header = table.horizontalHeader()
    header.setStyleSheet("font-size: 15px; font-weight: 600;")
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(cart_model.NAME, QHeaderView.ResizeMode.Stretch)
    return table


def _button(text: str, height: int = 52, style: str = "font-size: 18px;") -> QPushButton:
    button = QPushButton(text)
    button.setMinimumHeight(height)
    button.setStyleSheet(style)
    button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the scan field keeps the focus
    return button


class SaleScreen(QWidget):
    ticket_paid = Signal(object)  # Ticket

    def __init__(self, tasks: TaskManager) -> None:
        super().__init__()
        self.tasks = tasks
        self.runtime: TillRuntime | None = None
        self._opening: Future[TillRuntime] | None = None
        self.cart: Cart | None = None
        self.busy = False
        self.payment_dialog: PaymentDialog | None = None
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
        self.table = _cart_table(self.model)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.setSpacing(12)
        layout.addLayout(self._build_left(), 1)
        layout.addWidget(self._build_right())
        self._refresh()

    def _build_left(self) -> QVBoxLayout:
        self.plus_button = _button(_("+1 (+)"))
        self.plus_button.clicked.connect(lambda: self.on_quantity_stepped(1))
        self.minus_button = _button(_("−1 (-)"))
        self.minus_button.clicked.connect(lambda: self.on_quantity_stepped(-1))
        self.remove_button = _button(_("Remove line (Del)"))
        self.remove_button.clicked.connect(self.on_remove_requested)
        line_buttons = QHBoxLayout()
        for button in (self.plus_button, self.minus_button, self.remove_button):
            line_buttons.addWidget(button)
        line_buttons.addStretch(1)
        left = QVBoxLayout()
        left.addWidget(self.search)
        left.addWidget(self.table, 1)
        left.addLayout(line_buttons)
        return left

    def _build_right(self) -> QFrame:
        self.header = QLabel()
        self.header.setWordWrap(True)
        self.header.setStyleSheet("font-size: 15px; color: #333;")
        total_caption = QLabel(_("TOTAL"))
        total_caption.setStyleSheet(TOTAL_CAPTION_STYLE)
        self.total_label = QLabel(format_money(ZERO))
        self.total_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.total_label.setStyleSheet(TOTAL_STYLE)
        self.count_label = QLabel()
        self.count_label.setStyleSheet("font-size: 18px;")
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setMinimumHeight(90)
        self.message.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.pay_button = _button(_("Charge (F12)"), height=80, style=PAY_STYLE)
        self.pay_button.setShortcut("F12")
        self.pay_button.clicked.connect(self.on_pay_requested)
        frame = QFrame()
        frame.setFixedWidth(340)
        right = QVBoxLayout(frame)
        right.setContentsMargins(0, 0, 0, 0)
        right.addWidget(self.header)
        total_box = QVBoxLayout()
        total_box.setSpacing(0)
        total_box.addWidget(total_caption)
        total_box.addWidget(self.total_label)
        right.addLayout(total_box)
        right.addWidget(self.count_label)
        right.addWidget(self.message)
        right.addStretch(1)
        right.addWidget(self.pay_button)
        return frame

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
        self.cart = Cart(runtime.source)
        self.header.setText(
            _("Till {till} · {employee}").format(till=runtime.till, employee=runtime.employee.name)
        )
        self.show_message("info", _("Ready. Scan the first item."))
        self._refresh()

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
                lambda: combinations_of(runtime, item.id_product),
                lambda items: self.on_combinations(item, items),
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

    def on_combinations(self, product: CatalogItem, items: list[CatalogItem]) -> None:
        dialog = CombinationDialog(self, product.name, items)
        dialog.accepted.connect(lambda: self._chosen_combination(dialog))
        dialog.finished.connect(lambda _result: self.search.field.setFocus())
        dialog.open()

    def _chosen_combination(self, dialog: CombinationDialog) -> None:
        chosen = dialog.chosen()
        if chosen is not None:
            self.on_item_chosen(chosen)

    def add_item(self, item: CatalogItem) -> None:
        if self.cart is None or self.busy:
            return
        if self._cart_action(lambda cart: cart.add(item)):
            line = next(
                line
                for line in self.cart.lines
                if line.key == (item.id_product, item.id_product_attribute)
            )
            self._select_line(line.id)
            self.show_message("info", _("Added: {name}").format(name=item.display_name))

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

    # --- changing lines -----------------------------------------------------------------

    def on_quantity_stepped(self, step: int) -> None:
        line_id = self._selected_line()
        if self.cart is None or line_id is None:
            return
        quantity = self.cart.line(line_id).quantity + step
        if quantity < 1:
            self.show_message("warning", _("To take the line off, press Del."))
            return
        self._cart_action(lambda cart: cart.set_quantity(line_id, quantity))

    def on_remove_requested(self) -> None:
        line_id = self._selected_line()
        if self.cart is None or line_id is None:
            return
        row = self.model.row_of(line_id)
        if self._cart_action(lambda cart: cart.remove(line_id)):
            self._select_row(min(row, self.model.rowCount() - 1))

    def on_line_moved(self, step: int) -> None:
        rows = self.model.rowCount()
        if rows:
            current = self.table.currentIndex().row()
            self._select_row(min(max(current + step, 0), rows - 1))

    def _cart_action(self, action: Callable[[Cart], object]) -> bool:
        """Apply a cart verb; a refusal is said calmly and changes nothing."""
        if self.cart is None or self.busy:
            return False
        selected = self._selected_line()
        try:
            action(self.cart)
        except CartRefused as error:
            self.show_message("warning", error.message)
            return False
        self._refresh()
        if selected is not None and self.model.row_of(selected) >= 0:
            self._select_line(selected)
        return True

    # --- paying -------------------------------------------------------------------------

    def on_pay_requested(self) -> None:
        runtime = self.runtime
        if runtime is None or self.cart is None or self.busy:
            return
        if self.lookups_pending:  # F12 right after a scan: pay once the item is in
            self._in_order.when_idle(self.on_pay_requested)
            return
        if self.cart.is_empty:
            self.show_message("warning", _("The cart is empty: scan an item first."))
            return
        if runtime.cash_session is not None:
            self.open_payment()
            return
        self.tasks.run(lambda: find_cash_session(runtime), self.on_cash_session, self.on_failed)

    def on_cash_session(self, session: CashSession | None) -> None:
        if self.runtime is None:
            return
        if session is not None:
            self.runtime.cash_session = session
            self.open_payment()
            return
        dialog = OpenCashDialog(self)
        dialog.accepted.connect(lambda: self._open_cash(dialog))
        dialog.finished.connect(lambda _result: self.search.field.setFocus())
        dialog.open()

    def _open_cash(self, dialog: OpenCashDialog) -> None:
        runtime, amount = self.runtime, dialog.opening_float()
        if runtime is None or amount is None:
            return
        self.tasks.run_write(
            lambda: open_session(runtime, amount), self.on_cash_opened, self.on_failed
        )

    def on_cash_opened(self, session: CashSession) -> None:
        if self.runtime is not None:
            self.runtime.cash_session = session
            self.show_message("info", _("The till is open."))
            self.open_payment()

    def open_payment(self) -> None:
        if self.cart is None or self.cart.is_empty:
            return
        dialog = PaymentDialog(self, self.cart.totals.total_tax_incl)
        self.payment_dialog = dialog
        dialog.accepted.connect(lambda: self.on_payment_accepted(dialog.plan))
        dialog.finished.connect(lambda _result: self.search.field.setFocus())
        dialog.open()

    def on_payment_accepted(self, plan: PaymentPlan) -> None:
        runtime, cart = self.runtime, self.cart
        if runtime is None or cart is None:
            return
        try:
            draft = build_sale(
                runtime.till, cart, plan.payments(), runtime.employee, now=datetime.now()
            )
        except UserFacingError as error:
            self.show_message("error", error.message)
            return
        self.busy = True
        self.show_message("info", _("Recording the sale…"))
        self.tasks.run_write(
            lambda: record(runtime, draft), self.on_ticket_recorded, self.on_record_failed
        )

    def on_ticket_recorded(self, ticket: Ticket) -> None:
        self.busy = False
        if self.cart is not None:
            self.cart.clear()
        self._refresh()
        self.show_message(
            "info",
            _("Ticket {number} — change {change}").format(
                number=ticket.number, change=format_money(ticket.change)
            ),
            big=True,
        )
        self.ticket_paid.emit(ticket)

    def on_record_failed(self, error: BaseException) -> None:
        self.busy = False
        if isinstance(error, CashSessionRefused) and self.runtime is not None:
            self.runtime.cash_session = None
        self.on_failed(error)

    # --- showing ------------------------------------------------------------------------

    def on_failed(self, error: BaseException) -> None:
        self.busy = False
        if isinstance(error, UserFacingError):
            self.show_message("error", error.message)
        else:
            show_error(self, error)

    def show_message(self, kind: str, text: str, big: bool = False) -> None:
        size = "26px; font-weight: 700" if big else "18px"
        self.message.setStyleSheet(f"{MESSAGE_STYLES[kind]} font-size: {size}; padding: 10px;")
        self.message.setText(text)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt's name)
        super().showEvent(event)
        self.search.field.setFocus()

    def _refresh(self) -> None:
        pricing = self.cart.priced() if self.cart is not None and not self.cart.is_empty else None
        self.model.set_pricing(pricing)
        total = pricing.totals.total_tax_incl if pricing is not None else ZERO
        self.total_label.setText(format_money(total))
        lines = self.model.rowCount()
        units = sum(priced.line.quantity for priced in pricing.lines) if pricing else 0
        self.count_label.setText(
            ngettext("{n} line", "{n} lines", lines).format(n=format_int(lines))
            + " · "
            + ngettext("{n} item", "{n} items", units).format(n=format_int(units))
        )
        self.pay_button.setEnabled(self.cart is not None)

    def _group(self) -> int:
        return customer_group(self.cart.config, self.cart.customer) if self.cart else 0

    def _selected_line(self) -> int | None:
        return self.model.line_id(self.table.currentIndex().row())

    def _select_line(self, line_id: int) -> None:
        self._select_row(self.model.row_of(line_id))

    def _select_row(self, row: int) -> None:
        if row >= 0:
            self.table.selectRow(row)
            self.table.scrollTo(self.model.index(row, 0))
