"""The full invoice ("FACTURA") on the ticket printer: an F1 sale, or an F3 exchanging tickets.

Built from a :class:`FullInvoice` snapshot (``app.till.invoices`` makes it from the store):
the seller's and the recipient's name, tax id and address, the number and date, each line with
its unit price before tax, its discount, its VAT rate and its base (RD 1619/2012 art. 6.1.f), the
VAT breakdown (base, rate, quota per rate), the total, and for an F3 the simplified invoices it
replaces. The VERI*FACTU QR goes at the top, as on tickets.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from app.formatting import format_money
from app.i18n import _, ngettext
from app.till.records import TicketPayment
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
from printing.receipt import ShopHeader, TaxRow, fiscal_qr, format_percent, shop_header

_CENT = Decimal("0.01")


@dataclass(frozen=True)
class InvoiceLine:
    name: str
    quantity: int
    unit_price_tax_excl: Decimal
    total_tax_excl: Decimal  # after every discount: the line's base
    total_tax_incl: Decimal
    rate: Decimal  # VAT percent

    @property
    def discount(self) -> Decimal:
        """What discounts took off the line's base (0 without one)."""
        gross = (self.unit_price_tax_excl * self.quantity).quantize(_CENT, ROUND_HALF_UP)
        return max(gross - self.total_tax_excl, Decimal("0"))


@dataclass(frozen=True)
class InvoiceParty:
    name: str
    tax_id: str
    address: tuple[str, ...] = ()


@dataclass(frozen=True)
class FullInvoice:
    kind: str  # "F1" or "F3"
    number: str
    issued_at: datetime
    recipient: InvoiceParty
    lines: tuple[InvoiceLine, ...]
    breakdown: tuple[TaxRow, ...]
    total_tax_excl: Decimal
    total_tax_incl: Decimal
    issuer_name: str = ""  # the shop's legal name, when it differs from its trade name
    replaces: tuple[str, ...] = ()  # F3: the simplified invoices (tickets) replaced
    payments: tuple[TicketPayment, ...] = ()  # F1: how the sale was paid
    change: Decimal = Decimal("0")


@dataclass(frozen=True)
class InvoiceOptions:
    width: int = 48
    copy: bool = False
    open_drawer: bool = False
    fiscal_qr: str | None = None
    code: CodeKind | None = CodeKind.QR  # F1: the ticket number, for returns


def build_invoice(invoice: FullInvoice, shop: ShopHeader, options: InvoiceOptions) -> Document:
    blocks: list[Block] = [DrawerPulse()] if options.open_drawer else []
    if options.fiscal_qr:
        blocks += fiscal_qr(options.fiscal_qr)
    seller = shop_header(shop)
    if invoice.issuer_name and invoice.issuer_name != shop.name:
        seller.insert(1, Text(invoice.issuer_name, Align.CENTER))  # the legal name
    blocks += seller
    if options.copy:
        blocks.append(Text(_("*** COPY ***"), Align.CENTER, bold=True, double=True))
    blocks.append(Text(_("INVOICE"), Align.CENTER, bold=True, double=True))
    blocks += _facts(invoice)
    blocks += _recipient(invoice.recipient)
    for line in invoice.lines:
        blocks += _line(line)
    blocks.append(Separator())
    blocks += _totals(invoice, options.width)
    blocks += _payments(invoice)
    blocks += _footer(invoice, shop, options)
    return Document(options.width, tuple(blocks))


def _facts(invoice: FullInvoice) -> list[Block]:
    blocks: list[Block] = [
        Columns(_("Invoice"), invoice.number),
        Columns(_("Date"), invoice.issued_at.strftime("%d/%m/%Y %H:%M")),
    ]
    if invoice.replaces:
        label = ngettext(
            "Replaces simplified invoice {numbers}",
            "Replaces simplified invoices {numbers}",
            len(invoice.replaces),
        )
        blocks.append(Text(label.format(numbers=", ".join(invoice.replaces))))
    blocks.append(Separator())
    return blocks


def _recipient(party: InvoiceParty) -> list[Block]:
    blocks: list[Block] = [
        Text(_("Customer"), bold=True),
        Text(party.name),
        Text(_("Tax ID: {nif}").format(nif=party.tax_id)),
    ]
    blocks += [Text(line) for line in party.address]
    blocks.append(Separator())
    return blocks


def _line(line: InvoiceLine) -> list[Block]:
    """Name; quantity × unit price before tax, VAT rate, gross base; the discount, if any."""
    unit = format_money(line.unit_price_tax_excl)
    rate = _("VAT {rate}").format(rate=format_percent(line.rate))
    discount = line.discount
    blocks: list[Block] = [
        Text(line.name),
        Columns(
            f"  {line.quantity} x {unit}  {rate}", format_money(line.total_tax_excl + discount)
        ),
    ]
    if discount:
        blocks.append(Columns("  " + _("Discount"), format_money(-discount)))
    return blocks


def _totals(invoice: FullInvoice, width: int) -> list[Block]:
    rate, base = _("Rate"), _("Base")
    blocks: list[Block] = [
        Columns(_("Total before tax"), format_money(invoice.total_tax_excl)),
        Columns(f"{rate:>7} {base:>12}", _("Quota")),
    ]
    for row in invoice.breakdown:
        left = f"{format_percent(row.rate):>7} {format_money(row.base):>12}"
        blocks.append(Columns(left, format_money(row.quota)))
    quota = sum((row.quota for row in invoice.breakdown), Decimal("0"))
    blocks.append(Columns(_("Total VAT"), format_money(quota)))
    label, amount = _("TOTAL"), format_money(invoice.total_tax_incl)
    double = len(label) + len(amount) < width // 2
    blocks.append(Columns(label, amount, bold=True, double=double))
    blocks.append(Separator())
    return blocks


def _payments(invoice: FullInvoice) -> list[Block]:
    blocks: list[Block] = []
    for payment in invoice.payments:
        shown = payment.given if payment.given is not None else payment.amount
        blocks.append(Columns(payment.label, format_money(shown)))
    if invoice.change:
        blocks.append(Columns(_("Change"), format_money(invoice.change), bold=True))
    return blocks


def _footer(invoice: FullInvoice, shop: ShopHeader, options: InvoiceOptions) -> list[Block]:
    blocks: list[Block] = [Blank()]
    if shop.footer:
        blocks.append(Text(shop.footer, Align.CENTER))
    if options.code is not None and invoice.kind == "F1":
        blocks.append(Code(invoice.number, options.code))
    if options.copy:
        blocks.append(Text(_("*** COPY ***"), Align.CENTER, bold=True))
    blocks.append(Cut())
    return blocks
