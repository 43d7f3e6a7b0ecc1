"""Small, valid ticket drafts built by hand: for tests, the benchmark and demos.

Not a pricing engine: each line is "unit price × quantity" at one VAT rate, rounded per line
(PS_ROUND_TYPE 2, half up), which is enough to exercise the till store.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from app.till.records import (
    LineTax,
    TenderKind,
    Ticket,
    TicketCustomer,
    TicketKind,
    TicketLine,
    TicketPayment,
)

WALK_IN = TicketCustomer(None, "", "", "", 1, is_walk_in=True)
_CENT = Decimal("0.01")
_MICRO = Decimal("0.000001")


@dataclass(frozen=True)
class Item:
    """One line to sell: product, quantity, unit price tax incl. and VAT rate (percent)."""

    id_product: int
    quantity: int
    unit_incl: Decimal
    rate: Decimal = Decimal("21")
    id_product_attribute: int = 0
    name: str = ""


def sample_line(line_no: int, item: Item, original_line_no: int | None = None) -> TicketLine:
    factor = 1 + item.rate / 100
    unit_excl = (item.unit_incl / factor).quantize(_MICRO, ROUND_HALF_UP)
    total_incl = (item.unit_incl * item.quantity).quantize(_CENT, ROUND_HALF_UP)
    total_excl = (total_incl / factor).quantize(_CENT, ROUND_HALF_UP)
    tax = LineTax(
        id_tax=1,
        name=f"IVA {item.rate}%",
        rate=item.rate,
        unit_amount=item.unit_incl - unit_excl,
        total_amount=total_incl - total_excl,
    )
    return TicketLine(
        line_no=line_no,
        id_product=item.id_product,
        id_product_attribute=item.id_product_attribute,
        name=item.name or f"Product {item.id_product}",
        reference=f"REF-{item.id_product}",
        ean13="",
        quantity=item.quantity,
        original_unit_price_tax_excl=unit_excl,
        unit_price_tax_excl=unit_excl,
        unit_price_tax_incl=item.unit_incl,
        total_tax_excl=total_excl,
        total_tax_incl=total_incl,
        taxes=(tax,),
        original_line_no=original_line_no,
    )


def cash(amount: Decimal, given: Decimal | None = None) -> TicketPayment:
    given = amount if given is None else given
    return TicketPayment("cash", "Efectivo", TenderKind.CASH, amount, given, given - amount)


def card(amount: Decimal) -> TicketPayment:
    return TicketPayment("card", "Tarjeta", TenderKind.CARD, amount)


def sample_ticket(
    till: str,
    items: list[Item],
    payments: list[TicketPayment] | None = None,
    *,
    kind: TicketKind = TicketKind.SALE,
    original: Ticket | None = None,
    original_lines: list[int] | None = None,
    created_at: datetime | None = None,
) -> Ticket:
    """A draft for ``items``; paid in exact cash unless ``payments`` are given."""
    lines = tuple(
        sample_line(n, item, original_lines[n - 1] if original_lines else None)
        for n, item in enumerate(items, start=1)
    )
    total_incl = sum((line.total_tax_incl for line in lines), Decimal("0.00"))
    total_excl = sum((line.total_tax_excl for line in lines), Decimal("0.00"))
    return Ticket(
        uuid=str(uuid.uuid4()),
        number="",
        kind=kind,
        till=till,
        created_at=created_at or datetime.now(),
        id_shop=1,
        id_currency=1,
        id_lang=1,
        id_employee=1,
        employee_name="Ana",
        customer=WALK_IN,
        lines=lines,
        payments=tuple(payments if payments is not None else [cash(total_incl)]),
        total_tax_excl=total_excl,
        total_tax_incl=total_incl,
        original_ticket=original.number if original else None,
    )
