"""Charging the sale (F12): the cash session opened when needed, the payment dialog, the
ticket recorded on the till-store writer — as a full invoice (F1) when the cashier asked for one
in the payment dialog (F10), the customer's known data offered there, read on a worker."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import TYPE_CHECKING

from app.errors import UserFacingError
from app.formatting import format_money
from app.i18n import _
from app.sale.checkout import build_sale
from app.sale.payment_methods import PaymentPlan
from app.till.cash_session import CashSession
from app.till.errors import CashSessionRefused
from app.till.invoices import prefill_recipient
from app.till.records import Ticket
from app.till.tickets import record_sale
from app.till_runtime import TillRuntime, find_cash_session, record
from app.verifactu.recipient import Recipient
from ui.tpv.cash_open import CashOpenDialog
from ui.tpv.payment_dialog import PaymentDialog

if TYPE_CHECKING:
    from ui.tpv.sale_screen import SaleScreen

logger = logging.getLogger(__name__)


def record_paid(runtime: TillRuntime, draft: Ticket, recipient: Recipient | None) -> Ticket:
    """On the store writer: record the sale (a full invoice to ``recipient`` if given)."""
    if recipient is None:
        return record(runtime, draft)
    ticket = record_sale(runtime.store, draft, recipient)
    runtime.wake()
    return ticket


class PaymentFlow:
    """F12 on the sale screen, up to the ticket recorded (``screen.ticket_paid``)."""

    def __init__(self, screen: SaleScreen) -> None:
        self.screen = screen
        self.dialog: PaymentDialog | None = None
        self.invoiced = False  # the sale being recorded is a full invoice

    def start(self) -> None:
        screen, runtime, cart = self.screen, self.screen.runtime, self.screen.cart
        if runtime is None or cart is None or screen.busy:
            return
        if screen.lookups_pending:  # F12 right after a scan: pay once the item is in
            screen.when_lookups_done(self.start)
            return
        if cart.is_empty:
            screen.show_message("warning", _("The cart is empty: scan an item first."))
            return
        if runtime.cash_session is not None:
            self.open_payment()
            return
        screen.tasks.run(lambda: find_cash_session(runtime), self.on_cash_session, screen.on_failed)

    def on_cash_session(self, session: CashSession | None) -> None:
        runtime = self.screen.runtime
        if runtime is None:
            return
        if session is not None:
            runtime.cash_session = session
            self.open_payment()
            return
        dialog = CashOpenDialog(self.screen, self.screen.tasks, runtime)
        dialog.opened.connect(self.on_cash_opened)  # the float is recorded by the dialog
        dialog.finished.connect(lambda _result: self.screen.focus_scan())
        dialog.open()

    def on_cash_opened(self, session: CashSession) -> None:
        if self.screen.runtime is not None:
            self.screen.runtime.cash_session = session
            self.screen.show_message("info", _("The till is open."))
            self.open_payment()

    def open_payment(self) -> None:
        cart = self.screen.cart
        if cart is None or cart.is_empty:
            return
        dialog = PaymentDialog(self.screen, cart.totals.total_tax_incl)
        self.dialog = dialog
        dialog.accepted.connect(lambda: self.on_payment_accepted(dialog.plan, dialog.recipient))
        dialog.finished.connect(lambda _result: self.screen.focus_scan())
        dialog.open()
        runtime, customer = self.screen.runtime, cart.customer
        if runtime is not None and not customer.is_walk_in:
            self.screen.tasks.run(
                lambda: prefill_recipient(runtime.store, customer),
                dialog.set_known_recipient,
                lambda error: logger.warning("customer's invoice data not read: %s", error),
            )

    def on_payment_accepted(self, plan: PaymentPlan, recipient: Recipient | None = None) -> None:
        screen, runtime, cart = self.screen, self.screen.runtime, self.screen.cart
        if runtime is None or cart is None:
            return
        try:
            draft = build_sale(
                runtime.till, cart, plan.payments(), runtime.employee, now=datetime.now()
            )
        except UserFacingError as error:
            screen.show_message("error", error.message)
            return
        screen.busy = True
        self.invoiced = recipient is not None
        screen.show_message("info", _("Recording the sale…"))
        screen.tasks.run_write(
            lambda: record_paid(runtime, draft, recipient),
            self.on_ticket_recorded,
            self.on_record_failed,
        )

    def on_ticket_recorded(self, ticket: Ticket) -> None:
        screen = self.screen
        screen.busy = False
        if screen.cart is not None:
            screen.cart.clear()
        screen.refresh()
        said = _("Invoice {number} — change {change}") if self.invoiced else None
        screen.show_message(
            "info",
            (said or _("Ticket {number} — change {change}")).format(
                number=ticket.number, change=format_money(ticket.change)
            ),
            big=True,
        )
        screen.ticket_paid.emit(ticket)

    def on_record_failed(self, error: BaseException) -> None:
        self.screen.busy = False
        if isinstance(error, CashSessionRefused) and self.screen.runtime is not None:
            self.screen.runtime.cash_session = None
        self.screen.on_failed(error)
