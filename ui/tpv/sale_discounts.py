"""Discounts: on the selected line (F8) or on the whole ticket (Shift+F8).

Above the till's limit the cart refuses without a manager's approval: a manager selling
approves their own discount; anyone else gets the manager approval dialog, and the discount
is applied again with the approving manager (kept in memory by the pricing source, so that the
cart checks the approval without reading the store on the GUI thread).
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING

from app.i18n import _
from app.sale.cart import Cart, ManagerApprovalRequired
from app.sale.price_inputs import Employee
from ui.tpv.cart_model import percent
from ui.tpv.discount_dialog import DiscountDialog
from ui.tpv.manager_approval import ask_manager_approval

if TYPE_CHECKING:
    from ui.tpv.sale_screen import SaleScreen

Verb = Callable[[Cart, int | None], object]  # the cart, the approving manager's id


class DiscountFlow:
    def __init__(self, screen: SaleScreen) -> None:
        self.screen = screen
        self.dialog: DiscountDialog | None = None

    def line_discount(self) -> None:
        screen, cart = self.screen, self.screen.cart
        line_id = screen.selected_line()
        if cart is None or screen.busy:
            return
        if line_id is None:
            screen.show_message("warning", _("Select a line first (arrows), then F8."))
            return
        line = cart.line(line_id)
        title = _("Discount on {name}").format(name=line.item.display_name)
        self._ask(title, line.discount_percent, lambda value: self.apply_line(line_id, value))

    def ticket_discount(self) -> None:
        cart = self.screen.cart
        if cart is None or self.screen.busy:
            return
        if cart.is_empty:
            self.screen.show_message("warning", _("The cart is empty: scan an item first."))
            return
        self._ask(_("Discount on the whole ticket"), cart.ticket_discount, self.apply_ticket)

    def _ask(self, title: str, current: Decimal, done: Callable[[Decimal], None]) -> None:
        dialog = DiscountDialog(self.screen, title, current)
        self.dialog = dialog
        dialog.accepted.connect(lambda: _call_with_value(dialog, done))
        dialog.finished.connect(lambda _result: self.screen.focus_scan())
        dialog.open()

    def apply_line(self, line_id: int, value: Decimal) -> None:
        self.apply(lambda cart, by: cart.set_line_discount(line_id, value, by), value)

    def apply_ticket(self, value: Decimal) -> None:
        self.apply(lambda cart, by: cart.set_ticket_discount(value, by), value)

    def apply(self, verb: Verb, value: Decimal) -> None:
        """Apply the discount; a refusal for lack of approval asks a manager."""
        done = self.screen.cart_action(
            lambda cart: verb(cart, None), on_approval=lambda error: self._approve(verb, error)
        )
        if done:
            self.screen.show_message(
                "info", _("Discount {percent} applied.").format(percent=percent(value))
            )

    def _approve(self, verb: Verb, error: ManagerApprovalRequired) -> None:
        screen, runtime, cart = self.screen, self.screen.runtime, self.screen.cart
        if runtime is None or cart is None:
            return
        if runtime.employee.id_profile in cart.policy.manager_profiles:
            self.retry(verb, runtime.employee)  # the manager selling approves it
            return
        screen.show_message("warning", error.message)
        ask_manager_approval(
            screen, screen.tasks, runtime.store, error.message, lambda m: self.retry(verb, m),
            managers=cart.policy.manager_profiles,
        )  # fmt: skip

    def retry(self, verb: Verb, manager: Employee) -> None:
        """Apply again, approved by ``manager`` (on the GUI thread, after the approval)."""
        runtime = self.screen.runtime
        if runtime is None:
            return
        runtime.source.remember_employee(manager)
        if self.screen.cart_action(lambda cart: verb(cart, manager.id_employee)):
            self.screen.show_message(
                "info", _("Discount applied, approved by {name}.").format(name=manager.name)
            )


def _call_with_value(dialog: DiscountDialog, done: Callable[[Decimal], None]) -> None:
    value = dialog.value()
    if value is not None:
        done(value)
