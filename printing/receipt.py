"""Receipts built from a recorded ticket: sale, refund, gift ticket and reprint ("COPIA").

The ticket is the frozen snapshot the till recorded (``app.till.records``); nothing is read again
from the catalog. Amounts are shown as recorded, already rounded; the tax breakdown sums each
rate's lines and quantizes once, to cents, half up (as the Z report does).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from app.formatting import format_decimal, format_money
from app.i18n import _
from app.till.records import Ticket, TicketKind, TicketLine, TicketPayment
from printing.document import (
    Align,
    Blank,
    Block,
    Code,
    CodeKind,
    Columns,
    Cut,
    Document,
    DrawerPulse,
    Separator,
    Text,
)

_CENT = Decimal("0.01")


@dataclass(frozen=True)
class ShopHeader:
    """Who sells: printed at the top of every ticket."""

    name: str
    address: str = ""  # may hold several lines separated by "\n"
    nif: str = ""
    phone: str = ""
    footer: str = ""  # e.g. the returns policy; may hold several lines


@dataclass(frozen=True)
class ReceiptOptions:
    width: int = 48
    gift: bool = False  # no prices, no totals, no payments
    copy: bool = False  # a reprint: marked "COPIA"
    open_drawer: bool = False  # pulse the cash drawer before printing
    code: CodeKind | None = CodeKind.QR  # the ticket number for returns, or nothing
    fiscal_qr: str | None = None  # VERI*FACTU: the AEAT verification URL, printed at the top


@dataclass(frozen=True)
class TaxRow:
    rate: Decimal
    base: Decimal
    quota: Decimal


def build_receipt(ticket: Ticket, shop: ShopHeader, options: ReceiptOptions) -> Document:
    """The paper for ``ticket``: a sale or refund receipt, or a gift ticket."""
    blocks: list[Block] = [DrawerPulse()] if options.open_drawer else []
    if options.fiscal_qr and not options.gift:
        blocks += fiscal_qr(options.fiscal_qr)
    blocks += shop_header(shop)
    blocks += _title(ticket, options)
    blocks += _ticket_facts(ticket)
    blocks.append(Separator())
    for line in ticket.lines:
        blocks += _line_blocks(line, gift=options.gift)
    blocks.append(Separator())
    if not options.gift:
        blocks += _totals(ticket, options.width)
        blocks += _tax_breakdown(ticket)
        blocks += _payments(ticket)
    blocks += _footer(ticket, shop, options)
    return Document(options.width, tuple(blocks))


FISCAL_QR_MM = 35  # the Orden HAC/1177/2024 asks for 30 to 40 mm


def fiscal_qr(url: str) -> list[Block]:
    """The VERI*FACTU QR as the Orden HAC/1177/2024 lays it out (its wording is Spanish)."""
    return [
        Text("QR tributario:", Align.CENTER),
        Code(url, CodeKind.QR, caption=False, size_mm=FISCAL_QR_MM),
        Text("VERI*FACTU", Align.CENTER, bold=True),
        Blank(),
    ]


def shop_header(shop: ShopHeader) -> list[Block]:
    blocks: list[Block] = [Text(shop.name, Align.CENTER, bold=True, double=True)]
    if shop.address:
        blocks.append(Text(shop.address, Align.CENTER))
    if shop.nif:
        blocks.append(Text(_("Tax ID: {nif}").format(nif=shop.nif), Align.CENTER))
    if shop.phone:
        blocks.append(Text(_("Phone: {phone}").format(phone=shop.phone), Align.CENTER))
    blocks.append(Blank())
    return blocks


def _title(ticket: Ticket, options: ReceiptOptions) -> list[Block]:
    blocks: list[Block] = []
    if options.copy:
        blocks.append(Text(_("*** COPY ***"), Align.CENTER, bold=True, double=True))
    if options.gift:
        blocks.append(Text(_("GIFT TICKET"), Align.CENTER, bold=True))
    elif ticket.kind is TicketKind.REFUND:
        blocks.append(Text(_("REFUND"), Align.CENTER, bold=True))
    else:
        blocks.append(Text(_("SIMPLIFIED INVOICE"), Align.CENTER, bold=True))
    return blocks


def _ticket_facts(ticket: Ticket) -> list[Block]:
    blocks: list[Block] = [
        Columns(_("Ticket"), ticket.number),
        Columns(_("Date"), ticket.created_at.strftime("%d/%m/%Y %H:%M")),
        Columns(_("Till"), ticket.till),
        Columns(_("Served by"), ticket.employee_name),
    ]
    if ticket.kind is TicketKind.REFUND and ticket.original_ticket:
        blocks.append(Columns(_("Original ticket"), ticket.original_ticket))
    return blocks


def split_combination(line: TicketLine) -> tuple[str, str]:
    """The product name and its combination ("Talla: M, Color: Rojo"), if the line has one."""
    name = line.name
    start = name.rfind(" (")
    if line.id_product_attribute and start > 0 and name.endswith(")"):
        return name[:start], name[start + 2 : -1]
    return name, ""


def _line_blocks(line: TicketLine, gift: bool) -> list[Block]:
    name, combination = split_combination(line)
    blocks: list[Block] = [Text(name)]
    if combination:
        blocks.append(Text("  " + combination))
    if gift:
        blocks.append(Text("  " + _("Quantity: {qty}").format(qty=line.quantity)))
        return blocks
    unit = format_money(line.unit_price_tax_incl)
    discount = _line_discount(line)
    # The right-hand column adds up to the total: the gross amount, then the discount.
    gross = line.total_tax_incl + discount
    blocks.append(Columns(f"  {line.quantity} x {unit}", format_money(gross)))
    if discount:
        percent = format_percent(line.discount_percent or line.reduction_percent)
        label = "  " + _("Discount {percent}").format(percent=percent)
        blocks.append(Columns(label, format_money(-discount)))
    return blocks


def _line_discount(line: TicketLine) -> Decimal:
    """What the till's discount took off the line, tax included (0 without one)."""
    if line.discount_percent <= 0:
        return Decimal("0")
    gross = (line.unit_price_tax_incl * line.quantity).quantize(_CENT, ROUND_HALF_UP)
    return max(gross - line.total_tax_incl, Decimal("0"))


def format_percent(rate: Decimal) -> str:
    places = 0 if rate == rate.to_integral_value() else 2
    return f"{format_decimal(rate, places)} %"


def _totals(ticket: Ticket, width: int) -> list[Block]:
    label = _("TOTAL REFUNDED") if ticket.kind is TicketKind.REFUND else _("TOTAL")
    amount = format_money(ticket.total_tax_incl)
    double = len(label) + len(amount) < width // 2  # double size only when it fits one line
    return [Columns(label, amount, bold=True, double=double)]


def tax_breakdown(lines: Iterable[TicketLine]) -> tuple[TaxRow, ...]:
    """Base and quota per tax rate, highest rate first, quantized to cents."""
    sums: dict[Decimal, tuple[Decimal, Decimal]] = {}
    for rate, base, quota in _line_taxes(lines):
        old_base, old_quota = sums.get(rate, (Decimal("0"), Decimal("0")))
        sums[rate] = (old_base + base, old_quota + quota)
    return tuple(
        TaxRow(rate, base.quantize(_CENT, ROUND_HALF_UP), quota.quantize(_CENT, ROUND_HALF_UP))
        for rate, (base, quota) in sorted(sums.items(), reverse=True)
    )


def _line_taxes(lines: Iterable[TicketLine]) -> Iterator[tuple[Decimal, Decimal, Decimal]]:
    for line in lines:
        quota = line.total_tax_incl - line.total_tax_excl
        if not line.taxes:
            yield Decimal("0"), line.total_tax_excl, quota
        elif len(line.taxes) == 1:
            yield line.taxes[0].rate.normalize(), line.total_tax_excl, quota
        else:
            for tax in line.taxes:
                yield tax.rate.normalize(), line.total_tax_excl, tax.total_amount


def _tax_breakdown(ticket: Ticket) -> list[Block]:
    blocks: list[Block] = [Text(_("VAT included"), Align.CENTER)]
    rate, base = _("Rate"), _("Base")
    blocks.append(Columns(f"{rate:>7} {base:>12}", _("Quota")))
    for row in tax_breakdown(ticket.lines):
        left = f"{format_percent(row.rate):>7} {format_money(row.base):>12}"
        blocks.append(Columns(left, format_money(row.quota)))
    blocks.append(Columns(_("Total before tax"), format_money(ticket.total_tax_excl)))
    blocks.append(Separator())
    return blocks


def _payments(ticket: Ticket) -> list[Block]:
    blocks: list[Block] = []
    for payment in ticket.payments:
        blocks += _payment(payment, refund=ticket.kind is TicketKind.REFUND)
    if ticket.change and ticket.kind is TicketKind.SALE:
        blocks.append(Columns(_("Change"), format_money(ticket.change), bold=True))
    return blocks


def _payment(payment: TicketPayment, refund: bool) -> list[Block]:
    label = _("Refunded by {method}") if refund else "{method}"
    shown = payment.given if payment.given is not None and not refund else payment.amount
    return [Columns(label.format(method=payment.label), format_money(shown))]


def _footer(ticket: Ticket, shop: ShopHeader, options: ReceiptOptions) -> list[Block]:
    blocks: list[Block] = [Blank()]
    if shop.footer:
        blocks.append(Text(shop.footer, Align.CENTER))
    if options.gift:
        blocks.append(Text(_("Keep this ticket to exchange or return the items."), Align.CENTER))
    else:
        blocks.append(Text(_("Thank you for your visit"), Align.CENTER))
    if options.code is not None:
        blocks.append(Code(ticket.number, options.code))
    if options.copy:
        blocks.append(Text(_("*** COPY ***"), Align.CENTER, bold=True))
    blocks.append(Cut())
    return blocks
