"""An order's invoice as an A4 PDF, from the rows PrestaShop keeps (FACTS.md §8).

The number is the invoice's ``order_invoice.number`` printed as PrestaShop prints it: the
configured PS_INVOICE_PREFIX (in the order's language, "#IN" by default) and the number on
six digits (the yearly variants PS_INVOICE_USE_YEAR are not reproduced). The shop's address
is the one stored on the invoice when it was made (``order_invoice.shop_address``), else the
shop's configuration. Lines with their tax rate, the tax breakdown per rate from
``order_detail_tax``, and the totals of the order.

``invoice_pdf(ctx, id_order)`` runs on a worker and returns the file name and the bytes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy.orm import Session

from app.erp.context import ErpContext
from app.erp.orders import OrderInfo, ensure_own_tables
from app.erp.pdf import LETTERHEAD_KEYS, Letterhead, PdfColumn, PdfDocument, letterhead_from_config
from app.errors import UserFacingError
from app.formatting import format_decimal, format_money
from app.i18n import _
from connectors.prestashop.erp_orders import read_config
from connectors.prestashop.erp_orders_detail import read_order

DEFAULT_PREFIX = "#IN"
_SEPARATOR = re.compile(r"<br\s*/?>|\n")


@dataclass(frozen=True)
class InvoiceFile:
    filename: str
    number: str  # as printed, e.g. "#IN000123"
    data: bytes


def invoice_number_text(prefix: str | None, number: int) -> str:
    """PrestaShop's printed invoice number: prefix + the number on six digits."""
    return f"{prefix or ''}{number:06d}"


def invoice_pdf(ctx: ErpContext, id_order: int, *, compress: bool = True) -> InvoiceFile:
    """The invoice of ``id_order``; refused when the order has no invoice number yet."""
    ensure_own_tables(ctx)
    with Session(ctx.engine) as session:
        order = read_order(session, ctx.shop, id_order)
        if order is None:
            raise UserFacingError(_("Order {id_order} does not exist.").format(id_order=id_order))
        conf = read_config(session, ctx.shop, ["PS_INVOICE_PREFIX"], id_lang=order.id_lang)
        head_conf = read_config(session, ctx.shop, list(LETTERHEAD_KEYS))
    invoice = next((i for i in order.invoices if i.number), None)
    if invoice is None or not order.invoice_number:
        raise UserFacingError(
            _("Order {reference} has no invoice yet.").format(reference=order.reference),
            _("PrestaShop makes the invoice when the order reaches a state with an invoice "
              "(e.g. Payment accepted)."),
        )  # fmt: skip
    prefix = conf["PS_INVOICE_PREFIX"]
    number = invoice_number_text(DEFAULT_PREFIX if prefix is None else prefix, invoice.number)
    head = _letterhead(invoice.shop_address, letterhead_from_config(head_conf, ctx.shop.name))
    data = render_invoice(order, number, invoice.date_add.strftime("%d/%m/%Y"), head, compress)
    return InvoiceFile(f"{number.lstrip('#')}.pdf", number, data)


def _letterhead(stored: str, current: Letterhead) -> Letterhead:
    lines = [line.strip() for line in _SEPARATOR.split(stored or "") if line.strip()]
    if not lines:
        return current
    return Letterhead(lines[0], tuple(lines[1:]), current.tax_id)


def render_invoice(
    order: OrderInfo, number: str, when: str, head: Letterhead, compress: bool = True
) -> bytes:
    doc = PdfDocument(_("Invoice {number}").format(number=number), head, compress=compress)
    address = order.invoice_address
    lines = [address.name, address.company, *address.lines, address.vat_number] if address else []
    doc.party(_("Customer"), [order.customer, *lines[1:]] if lines else [order.customer])
    doc.facts([
        (_("Invoice"), number), (_("Date"), when), (_("Order"), order.reference),
        (_("Payment"), order.payment),
    ])  # fmt: skip
    doc.table(_LINE_COLUMNS(), [_line_cells(line) for line in order.lines])
    doc.heading(_("Taxes"))
    doc.table(_TAX_COLUMNS(), [
        [tax.name, f"{format_decimal(tax.rate, 2)} %", format_money(tax.base),
         format_money(tax.amount)]
        for tax in order.taxes
    ])  # fmt: skip
    doc.totals(_totals(order))
    return doc.output()


def _LINE_COLUMNS() -> list[PdfColumn]:  # noqa: N802
    return [
        PdfColumn(_("Reference"), 28), PdfColumn(_("Product"), 72),
        PdfColumn(_("Unit price (tax excl.)"), 26, "R"), PdfColumn(_("Qty"), 12, "R"),
        PdfColumn(_("Tax"), 14, "R"), PdfColumn(_("Total (tax excl.)"), 28, "R"),
    ]  # fmt: skip


def _TAX_COLUMNS() -> list[PdfColumn]:  # noqa: N802
    return [
        PdfColumn(_("Tax"), 70), PdfColumn(_("Rate"), 30, "R"),
        PdfColumn(_("Base"), 40, "R"), PdfColumn(_("Amount"), 40, "R"),
    ]  # fmt: skip


def _line_cells(line: object) -> list[str]:
    from app.erp.orders import LineInfo

    assert isinstance(line, LineInfo)
    return [
        line.reference, line.name, format_money(line.unit_price_tax_excl), str(line.quantity),
        f"{format_decimal(line.tax_rate, 0)} %", format_money(line.total_price_tax_excl),
    ]  # fmt: skip


def _totals(order: OrderInfo) -> list[tuple[str, str]]:
    taxes = order.total_paid_tax_incl - order.total_paid_tax_excl
    pairs = [(_("Products (tax excl.)"), format_money(order.total_products))]
    if order.total_discounts_tax_incl:
        pairs.append((_("Discounts"), "-" + format_money(order.total_discounts_tax_incl)))
    if order.total_shipping_tax_incl:
        pairs.append((_("Shipping"), format_money(order.total_shipping_tax_incl)))
    pairs += [
        (_("Total (tax excl.)"), format_money(order.total_paid_tax_excl)),
        (_("Taxes"), format_money(max(taxes, Decimal(0)))),
        (_("Total"), format_money(order.total_paid_tax_incl)),
    ]
    return pairs
