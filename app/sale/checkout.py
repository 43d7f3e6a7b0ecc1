"""Checkout: the paid cart becomes a frozen :class:`~app.till.records.Ticket`, recorded locally.

:func:`build_sale` is pure: the cart priced at ``now`` (every :class:`TicketLine` field from
the pricing engine: names with their attributes, codes, unit prices at 6 decimals, totals after
the till's discounts, the specific price and group reductions, the taxes, the wholesale price),
the payments of the plan, the customer, the employee and the shop's rounding settings at sale
time. :func:`checkout` then records it through :func:`app.till.tickets.record_sale`, in one
till-store transaction that also takes the number from the till's series, moves the cash and
queues the push. Nothing here touches the network.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from app.events import Changes
from app.i18n import _
from app.sale.cart import Cart, CartPricing, CartRefused, PricedLine
from app.sale.payment_methods import PaymentPlan
from app.sale.price_inputs import Employee
from app.till.records import Ticket, TicketKind, TicketLine, TicketPayment
from app.till.store import TillStore
from app.till.tickets import record_sale

# What a recorded sale changes for the screens (STYLE rule 5): the outbox has a new entry, the
# cash session's totals moved; the cart itself was emptied (CartChange of ``cart.clear()``).
SALE_CHANGES = Changes(outbox=True, cash_session=True)


def checkout(
    store: TillStore,
    cart: Cart,
    payments: PaymentPlan | Sequence[TicketPayment],
    employee: Employee,
    *,
    now: datetime | None = None,
    note: str = "",
) -> Ticket:
    """Record the sale of ``cart`` paid by ``payments``; the cart is emptied on success.

    Raises a :class:`~app.errors.UserFacingError` (nothing recorded, cart unchanged) for an
    empty cart, an under-payment, no open cash session, …
    """
    moment = now or cart.clock()
    paid = payments.payments() if isinstance(payments, PaymentPlan) else tuple(payments)
    draft = build_sale(store.till, cart, paid, employee, now=moment, note=note)
    ticket = record_sale(store, draft)
    cart.clear()
    return ticket


def build_sale(
    till: str,
    cart: Cart,
    payments: Sequence[TicketPayment],
    employee: Employee,
    *,
    now: datetime,
    note: str = "",
) -> Ticket:
    """The draft of the sale (number and cash session left for the store to fill)."""
    if cart.is_empty:
        raise CartRefused(_("The cart is empty."))
    priced = cart.priced(now)
    config = cart.config
    return Ticket(
        uuid=str(uuid.uuid4()),
        number="",
        kind=TicketKind.SALE,
        till=till,
        created_at=now.replace(microsecond=0),
        id_shop=config.id_shop,
        id_currency=config.currency.id_currency,
        id_lang=config.id_lang,
        id_employee=employee.id_employee,
        employee_name=employee.name,
        customer=cart.customer,
        lines=ticket_lines(priced),
        payments=tuple(payments),
        total_tax_excl=priced.totals.total_tax_excl,
        total_tax_incl=priced.totals.total_tax_incl,
        ticket_discount_percent=cart.ticket_discount,
        ticket_discount_approved_by=cart.ticket_discount_approved_by,
        round_mode=int(config.rounding.round_mode),
        round_type=int(config.rounding.round_type),
        currency_precision=config.rounding.precision,
        note=note,
    )


def ticket_lines(priced: CartPricing) -> tuple[TicketLine, ...]:
    return tuple(_ticket_line(n, line) for n, line in enumerate(priced.lines, start=1))


def _ticket_line(line_no: int, priced: PricedLine) -> TicketLine:
    item, price, totals = priced.line.item, priced.price, priced.totals
    return TicketLine(
        line_no=line_no,
        id_product=item.id_product,
        id_product_attribute=item.id_product_attribute,
        name=item.display_name,
        reference=item.reference,
        ean13=item.ean13,
        quantity=priced.line.quantity,
        original_unit_price_tax_excl=price.original_tax_excl,
        unit_price_tax_excl=price.tax_excl,
        unit_price_tax_incl=price.tax_incl,
        total_tax_excl=totals.total_tax_excl,
        total_tax_incl=totals.total_tax_incl,
        reduction_percent=price.reduction_percent,
        reduction_amount_tax_excl=price.reduction_amount_tax_excl,
        reduction_amount_tax_incl=price.reduction_amount_tax_incl,
        group_reduction=price.group_reduction,
        id_specific_price=price.id_specific_price,
        discount_percent=priced.line.discount_percent,
        discount_approved_by=priced.line.discount_approved_by,
        id_tax_rules_group=item.id_tax_rules_group,
        tax_computation_method=int(priced.pricing.tax.method),
        taxes=totals.taxes,
        wholesale_price=item.wholesale_price,
    )
