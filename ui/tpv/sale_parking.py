"""Parking the current ticket (F6) and recalling a parked one (F7).

A recall replaces an empty cart; with items in the cart, F7 first offers to park them. The
screen is busy while a park or a recall is written, so no scan lands in a cart being put away
or replaced.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.i18n import _
from app.sale.cart import Cart, CartRefused
from app.till.parked import ParkedTicket
from app.till_runtime import ParkedSummary, delete_parked, list_parked, park_cart, recall_parked
from ui.tpv.parked_dialog import ParkedDialog, ParkNoteDialog

if TYPE_CHECKING:
    from ui.tpv.sale_screen import SaleScreen


class ParkingFlow:
    def __init__(self, screen: SaleScreen) -> None:
        self.screen = screen
        self.note_dialog: ParkNoteDialog | None = None
        self.list_dialog: ParkedDialog | None = None

    def _ready(self) -> bool:
        screen = self.screen
        return screen.runtime is not None and screen.cart is not None and not screen.busy

    # --- parking ---------------------------------------------------------------------------

    def park(self, then_recall: bool = False) -> None:
        cart = self.screen.cart
        if not self._ready() or cart is None:
            return
        if cart.is_empty:
            self.screen.show_message("warning", _("The cart is empty: there is nothing to park."))
            return
        intro = _("The cart has items: park them before recalling another ticket?")
        dialog = ParkNoteDialog(self.screen, intro if then_recall else "")
        self.note_dialog = dialog
        dialog.accepted.connect(lambda: self.park_now(dialog.note(), then_recall))
        dialog.finished.connect(lambda _result: self.screen.focus_scan())
        dialog.open()

    def park_now(self, note: str, then_recall: bool = False) -> None:
        screen, runtime, cart = self.screen, self.screen.runtime, self.screen.cart
        if runtime is None or cart is None or cart.is_empty or screen.busy:
            return
        text = cart.to_json()
        screen.busy = True
        screen.tasks.run_write(
            lambda: park_cart(runtime, text, note),
            lambda parked: self.on_parked(parked, then_recall),
            screen.on_failed,
        )

    def on_parked(self, parked: ParkedTicket, then_recall: bool) -> None:
        screen = self.screen
        screen.busy = False
        if screen.cart is not None:
            screen.cart.clear()
        screen.refresh()
        screen.on_customer_changed()
        if parked.label:
            text = _("Ticket «{note}» parked. F7 recalls it.").format(note=parked.label)
        else:
            text = _("Ticket parked. F7 recalls it.")
        screen.show_message("info", text)
        if then_recall:
            self.recall()

    # --- recalling -------------------------------------------------------------------------

    def recall(self) -> None:
        screen, runtime, cart = self.screen, self.screen.runtime, self.screen.cart
        if not self._ready() or runtime is None or cart is None:
            return
        if not cart.is_empty:
            self.park(then_recall=True)
            return
        screen.tasks.run(lambda: list_parked(runtime), self.on_list, screen.on_failed)

    def on_list(self, tickets: list[ParkedSummary]) -> None:
        runtime = self.screen.runtime
        if runtime is None:
            return
        if not tickets:
            self.screen.show_message("info", _("There are no parked tickets."))
            return
        dialog = ParkedDialog(
            self.screen, self.screen.tasks, tickets, lambda id_: delete_parked(runtime, id_)
        )
        self.list_dialog = dialog
        dialog.accepted.connect(lambda: self.recall_now(dialog.chosen))
        dialog.finished.connect(lambda _result: self.screen.focus_scan())
        dialog.open()

    def recall_now(self, parked_id: str | None) -> None:
        screen, runtime, cart = self.screen, self.screen.runtime, self.screen.cart
        if parked_id is None or runtime is None or cart is None or screen.busy:
            return
        if not cart.is_empty:
            screen.show_message("warning", _("Park or charge the current ticket first."))
            return
        screen.busy = True
        screen.tasks.run_write(
            lambda: recall_parked(runtime, parked_id), self.on_recalled, screen.on_failed
        )

    def on_recalled(self, parked: ParkedTicket) -> None:
        screen, runtime = self.screen, self.screen.runtime
        screen.busy = False
        if runtime is None:
            return
        try:
            cart = Cart.from_json(parked.cart_json, runtime.source, runtime.policy)
        except CartRefused as error:
            screen.show_message("error", error.message)
            return
        screen.replace_cart(cart)
        if parked.label:
            text = _("Ticket «{note}» recalled.").format(note=parked.label)
        else:
            text = _("Ticket recalled.")
        screen.show_message("info", text)
