"""A fixed sample ticket and shop, for the printer settings' test print and for the tests.

It exercises what a receipt must get right: accented names, a combination, a till discount, two
VAT rates, a card and a cash payment with change. :func:`sample_invoice` is the same sale as a
full invoice (F1), or exchanged for one (F3).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from app.till.records import (
    LineTax,
    TenderKind,
    Ticket,
    TicketCustomer,
    TicketKind,
    TicketLine,
    TicketPayment,
)
from printing.invoice import FullInvoice, InvoiceLine, InvoiceParty
from printing.receipt import ShopHeader, split_combination, tax_breakdown

D = Decimal


def sample_shop() -> ShopHeader:
    return ShopHeader(
        name="Librería Ñandú",
        address="C/ Mayor 1, 28013 Madrid",
        nif="B12345678",
        footer="¡Gracias! ¿Dudas? Cambios en 30 días.",
    )


def _line(no: int, name: str, qty: int, unit_excl: str, rate: str, **kw: object) -> TicketLine:
    unit = D(unit_excl)
    incl = (unit * (1 + D(rate) / 100)).quantize(D("0.000001"))
    discount = D(str(kw.get("discount", "0")))
    total_excl = (unit * qty * (1 - discount / 100)).quantize(D("0.01"))
    total_incl = (incl * qty * (1 - discount / 100)).quantize(D("0.01"))
    tax = LineTax(1, f"IVA {rate}%", D(rate), incl - unit, total_incl - total_excl)
    return TicketLine(
        line_no=no,
        id_product=no,
        id_product_attribute=int(str(kw.get("attribute", 0))),
        name=name,
        reference=f"REF{no}",
        ean13="",
        quantity=qty,
        original_unit_price_tax_excl=unit,
        unit_price_tax_excl=unit,
        unit_price_tax_incl=incl,
        total_tax_excl=total_excl,
        total_tax_incl=total_incl,
        discount_percent=discount,
        taxes=(tax,),
    )


def sample_lines() -> tuple[TicketLine, ...]:
    return (
        _line(
            1,
            "Camiseta algodón orgánico (Talla: M, Color: Rojo)",
            2,
            "10.330579",
            "21",
            attribute=7,
            discount=10,
        ),
        _line(2, "Cuaderno pequeño", 1, "4.000000", "21"),
        _line(3, "El Quijote, edición anotada por el equipo de la librería", 1, "19.230769", "4"),
    )


def sample_ticket(kind: TicketKind = TicketKind.SALE, number: str = "T1-2026-000123") -> Ticket:
    lines = sample_lines()
    total_incl = sum((line.total_tax_incl for line in lines), D("0"))
    total_excl = sum((line.total_tax_excl for line in lines), D("0"))
    card = TicketPayment("card", "Tarjeta", TenderKind.CARD, D("20.00"))
    cash_amount = total_incl - card.amount
    cash = TicketPayment(
        "cash", "Efectivo", TenderKind.CASH, cash_amount, D("50.00"), D("50.00") - cash_amount
    )
    return Ticket(
        uuid="00000000-0000-4000-8000-000000000123",
        number=number,
        kind=kind,
        till="T1",
        created_at=datetime(2026, 3, 14, 18, 5),
        id_shop=1,
        id_currency=1,
        id_lang=1,
        id_employee=2,
        employee_name="María Pérez",
        customer=TicketCustomer(None, "", "", "", 1, is_walk_in=True),
        lines=lines,
        payments=(card, cash),
        total_tax_excl=total_excl,
        total_tax_incl=total_incl,
        original_ticket="T1-2026-000100" if kind is TicketKind.REFUND else None,
    )


def sample_invoice(kind: str = "F1") -> FullInvoice:
    """The sample ticket issued as a full invoice (F1), or exchanged for one later (F3)."""
    ticket = sample_ticket(number="T1-F-2026-000042" if kind == "F1" else "T1-2026-000123")
    lines = tuple(
        InvoiceLine(
            split_combination(line)[0] if kind == "F3" else line.name,
            line.quantity,
            line.unit_price_tax_excl,
            line.total_tax_excl,
            line.total_tax_incl,
            line.taxes[0].rate,
        )
        for line in ticket.lines
    )
    f3 = kind == "F3"
    return FullInvoice(
        kind=kind,
        number="T1-F-2026-000043" if f3 else ticket.number,
        issued_at=datetime(2026, 3, 20, 9, 30) if f3 else ticket.created_at,
        recipient=InvoiceParty(
            "Distribuciones Ñandú y Asociados, S.L.",
            "B12345674",
            ("Avda. de la Constitución 12, 3º B", "41001 Sevilla"),
        ),
        lines=lines,
        breakdown=tax_breakdown(ticket.lines),
        total_tax_excl=ticket.total_tax_excl,
        total_tax_incl=ticket.total_tax_incl,
        issuer_name="Librería Ñandú SL",
        replaces=(ticket.number,) if f3 else (),
        payments=() if f3 else ticket.payments,
        change=D(0) if f3 else ticket.change,
    )
