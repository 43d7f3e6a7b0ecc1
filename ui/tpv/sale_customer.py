"""Choosing the sale's customer (F4): the chooser dialog, then the cart repriced for the
customer's group with the pricing rows read ahead on a worker."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from app.i18n import _
from app.till.catalog import CatalogItem
from app.till.customers import CustomerEntry
from app.till.records import TicketCustomer
from app.till_runtime import find_customers, prepare_customer, take_customer
from ui.tpv.customer_dialog import CustomerDialog

if TYPE_CHECKING:
    from ui.tpv.sale_screen import SaleScreen

MAX_TRIES = 3  # the cart changed while the rows were read: read again, this many times


class CustomerFlow:
    def __init__(self, screen: SaleScreen) -> None:
        self.screen = screen
        self.dialog: CustomerDialog | None = None

    def start(self) -> None:
        screen, runtime = self.screen, self.screen.runtime
        if runtime is None or screen.cart is None or screen.busy:
            return
        dialog = CustomerDialog(
            screen,
            screen.tasks,
            lambda text: find_customers(runtime, text),
            lambda new: take_customer(runtime, new),
        )
        self.dialog = dialog
        dialog.accepted.connect(lambda: self.choose(dialog.chosen))
        dialog.finished.connect(lambda _result: screen.focus_scan())
        dialog.open()
        dialog.field.setFocus()

    def choose(self, entry: CustomerEntry | None) -> None:
        """Sell to ``entry`` (None: the walk-in customer)."""
        self._prepare(entry.ticket_customer() if entry is not None else None, MAX_TRIES)

    def _prepare(self, customer: TicketCustomer | None, tries: int) -> None:
        screen, runtime, cart = self.screen, self.screen.runtime, self.screen.cart
        if runtime is None or cart is None:
            return
        items = tuple(line.item for line in cart.lines)
        screen.tasks.run(
            lambda: prepare_customer(runtime, customer, items),
            lambda chosen: self._apply(chosen, items, tries),
            screen.on_failed,
        )

    def _apply(self, chosen: TicketCustomer, items: Sequence[CatalogItem], tries: int) -> None:
        cart = self.screen.cart
        if cart is None:
            return
        if tuple(line.item for line in cart.lines) != tuple(items) and tries > 1:
            self._prepare(chosen, tries - 1)  # a scan landed meanwhile
            return
        if self.screen.cart_action(lambda c: c.set_customer(chosen)):
            self.screen.on_customer_changed()
            if chosen.is_walk_in:
                self.screen.show_message("info", _("Selling to the walk-in customer."))
            else:
                name = f"{chosen.firstname} {chosen.lastname}".strip()
                self.screen.show_message(
                    "info", _("Selling to {name}: prices of their group.").format(name=name)
                )
