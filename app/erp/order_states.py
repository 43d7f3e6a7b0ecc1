"""What moving an order to another state does, decided the way PrestaShop's back office
decides it (``OrderHistory::changeIdOrderState``, FACTS.md §7.2, §8), as a plain plan.

:func:`plan_state_change` looks only at the old and new state's flags, the order's lines and
a few settings; ``connectors.prestashop.erp_orders_state`` writes the plan. Implemented:

* ``order_history`` row (the signed-in employee), ``orders.current_state``, ``orders.valid`` =
  the new state's ``logable``, ``orders.date_upd``;
* product sales: becoming logable adds the lines to ``product_sale``, becoming unlogable
  removes them;
* available stock (``stock_available.quantity``, combination and its product row): given back
  when the order goes into Canceled / Payment error (from a logable state, or from a waiting
  state), taken again when it leaves Canceled / Payment error for a logable state. Packs are
  left alone, as PrestaShop does in that step;
* stock movements when the ``shipped`` flag changes: −(ordered − refunded − returned) with
  PS_STOCK_CUSTOMER_ORDER_REASON when it becomes shipped, + the same with
  PS_STOCK_CUSTOMER_ORDER_CANCEL_REASON when it stops being shipped;
* an invoice when the new state has ``invoice`` and the order has none, else a delivery slip
  when it has ``delivery`` and none; the delivery number and date when it has ``delivery``;
* when the new state has ``paid``: a payment for what the invoices still lack;
* reserved and physical quantities recomputed for the order's products (shop's own stock).

Not done (PrestaShop modules/PHP only): e-mails, hooks, PDFs attached to mails, virtual
product download links, advanced stock management (warehouses), pack item stock, the 8.1+
"On backorder" switch.
"""

from __future__ import annotations

from dataclasses import dataclass

from connectors.prestashop.erp_orders import StateInfo
from connectors.prestashop.erp_orders_state import OrderLineQty, StatePlan, StockMove


@dataclass(frozen=True)
class StockRules:
    managed: bool  # PS_STOCK_MANAGEMENT
    voided: frozenset[int]  # PS_OS_CANCELED, PS_OS_ERROR
    order_reason: int  # PS_STOCK_CUSTOMER_ORDER_REASON
    cancel_reason: int  # PS_STOCK_CUSTOMER_ORDER_CANCEL_REASON


def plan_state_change(
    old: StateInfo | None,
    new: StateInfo,
    lines: tuple[OrderLineQty, ...],
    rules: StockRules,
    *,
    has_invoice: bool,
    has_delivery: bool,
) -> StatePlan:
    """The effects of moving an order from ``old`` to ``new`` (see the module docstring)."""
    sign = _availability_sign(old, new, rules.voided) if rules.managed else 0
    deltas = tuple(
        (line.id_product, line.id_product_attribute, sign * line.quantity)
        for line in lines
        if sign and not line.is_pack and line.quantity
    )
    return StatePlan(
        stock_deltas=deltas,
        movements=_movements(old, new, lines, rules) if rules.managed else (),
        sales_sign=_sales_sign(old, new),
        create_invoice=new.invoice and not has_invoice,
        create_delivery_slip=new.delivery and not new.invoice and not has_delivery,
        set_delivery=new.delivery,
        pay_rest=new.paid,
    )


def _sales_sign(old: StateInfo | None, new: StateInfo) -> int:
    if old is None:
        return 0
    if new.logable and not old.logable:
        return 1
    if old.logable and not new.logable:
        return -1
    return 0


def _availability_sign(old: StateInfo | None, new: StateInfo, voided: frozenset[int]) -> int:
    """+1: units go back to available stock; −1: they are taken again; 0: untouched."""
    if old is None:
        return 0
    old_void, new_void = old.id_order_state in voided, new.id_order_state in voided
    if new.logable and not old.logable:
        return -1 if old_void else 0
    if old.logable and not new.logable:
        return 1 if new_void else 0
    if not new.logable and not old.logable and new_void and not old_void:
        return 1
    return 0


def _movements(
    old: StateInfo | None, new: StateInfo, lines: tuple[OrderLineQty, ...], rules: StockRules
) -> tuple[StockMove, ...]:
    if old is None or old.shipped == new.shipped:
        return ()
    sign = -1 if new.shipped else 1
    reason = rules.order_reason if new.shipped else rules.cancel_reason
    moves = []
    for line in lines:
        quantity = line.quantity - line.refunded - line.returned
        if quantity > 0:
            moves.append(
                StockMove(line.id_product, line.id_product_attribute, quantity, sign, reason)
            )
    return tuple(moves)
