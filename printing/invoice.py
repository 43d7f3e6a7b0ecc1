"""The full invoice ("FACTURA") on the ticket printer: an F1 sale, an F3 exchanging tickets, or
the rectifying invoice ("FACTURA RECTIFICATIVA", R1) of a refund of either.

Built from a :class:`FullInvoice` snapshot (``app.till.invoices`` makes it from the store):
the seller's and the recipient's name, tax id and address, the number and date, each line with
its unit price before tax, its discount, its VAT rate and its base (RD 1619/2012 art. 6.1.f), the
VAT breakdown (base, rate, quota per rate), the total, and for an F3 the simplified invoices it
replaces. The VERI*FACTU QR goes at the top, as on tickets.

An R1 (:mod:`printing.rectifying` makes it from the refund ticket) rectifies by differences: it
names the invoice it rectifies and its date (RD 1619/2012 art. 15), its lines, VAT breakdown and
totals are negative (what goes back), and its payments say how the money was refunded.
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
        """What discounts took off the line's base (0 without one); negative on a negative
        line (a rectifying invoice's), so that ``total_tax_excl + discount`` is the gross."""
        gross = (self.unit_price_tax_excl * self.quantity).quantize(_CENT, ROUND_HALF_UP)
        if abs(gross) <= abs(self.total_tax_excl):
            return Decimal("0")
        return gross - self.total_tax_excl


@dataclass(frozen=True)
class InvoiceParty:
    name: str
    tax_id: str
    address: tuple[str, ...] = ()


@dataclass(frozen=True)
class FullInvoice:
    kind: str  # "F1", "F3" or "R1"
    number: str
    issued_at: datetime
    recipient: InvoiceParty
    lines: tuple[InvoiceLine, ...]
    breakdown: tuple[TaxRow, ...]
    total_tax_excl: Decimal
    total_tax_incl: Decimal
    issuer_name: str = ""  # the shop's legal name, when it differs from its trade name
    replaces: tuple[str, ...] = ()  # F3: the simplified invoices (tickets) replaced
    payments: tuple[TicketPayment, ...] = ()  # F1: how the sale was paid; R1: refunded
    change: Decimal = Decimal("0")
    rectified: str = ""  # R1: the number of the invoice it rectifies
    rectified_at: datetime | None = None  # R1: that invoice's date

    @property
    def is_rectifying(self) -> bool:
        return self.kind.startswith("R")


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
    title = _("CORRECTIVE INVOICE") if invoice.is_rectifying else _("INVOICE")
    blocks.append(Text(title, Align.CENTER, bold=True, double=len(title) <= options.width // 2))
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
    if invoice.rectified:
        day = invoice.rectified_at.strftime("%d/%m/%Y") if invoice.rectified_at else ""
        label = _("Corrects invoice {number} of {date}")
        blocks.append(Text(label.format(number=invoice.rectified, date=day)))
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
        if invoice.is_rectifying:
            label = _("Refunded by {method}").format(method=payment.label)
            blocks.append(Columns(label, format_money(payment.amount)))
            continue
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


def build_invoice_gift(invoice: FullInvoice, shop: ShopHeader, width: int) -> Document:
    """A gift ticket of ``invoice`` (an F3 has no ticket of its own): its lines without prices,
    and the code of the first ticket it replaces, which returns start from."""
    blocks: list[Block] = shop_header(shop)
    blocks.append(Text(_("GIFT TICKET"), Align.CENTER, bold=True))
    blocks.append(Columns(_("Invoice"), invoice.number))
    blocks.append(Columns(_("Date"), invoice.issued_at.strftime("%d/%m/%Y %H:%M")))
    blocks.append(Separator())
    for line in invoice.lines:
        blocks.append(Text(line.name))
        blocks.append(Text("  " + _("Quantity: {qty}").format(qty=line.quantity)))
    blocks += [Separator(), Blank()]
    if shop.footer:
        blocks.append(Text(shop.footer, Align.CENTER))
    blocks.append(Text(_("Keep this ticket to exchange or return the items."), Align.CENTER))
    if invoice.replaces:
        blocks.append(Code(invoice.replaces[0], CodeKind.QR))
    blocks.append(Cut())
    return Document(width, tuple(blocks))
