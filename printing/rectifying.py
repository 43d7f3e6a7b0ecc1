"""The rectifying invoice (R1, "FACTURA RECTIFICATIVA") of a refund of a full invoice.

A refund of a sale issued as a full invoice (F1), or of a sale later exchanged for one (F3), is
a rectifying invoice by differences: its number and date are the refund ticket's, it names the
invoice it rectifies and that invoice's date, and its lines, VAT breakdown and totals are the
refund's amounts, negative (what the customer gets back). :func:`rectifying_invoice` makes the
:class:`~printing.invoice.FullInvoice` that :func:`~printing.invoice.build_invoice` prints.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from app.till.records import Ticket, TicketLine
from printing.invoice import FullInvoice, InvoiceLine, InvoiceParty
from printing.receipt import TaxRow, tax_breakdown

R1 = "R1"


def rectifying_invoice(
    refund: Ticket,
    recipient: InvoiceParty,
    rectified: str,
    rectified_at: datetime,
    issuer_name: str = "",
) -> FullInvoice:
    """Refund ticket ``refund`` as the R1 rectifying invoice ``rectified`` (dated
    ``rectified_at``), issued to ``recipient``."""
    breakdown = tuple(TaxRow(r.rate, -r.base, -r.quota) for r in tax_breakdown(refund.lines))
    return FullInvoice(
        kind=R1,
        number=refund.number,
        issued_at=refund.created_at,
        recipient=recipient,
        lines=tuple(_negative(line) for line in refund.lines),
        breakdown=breakdown,
        total_tax_excl=-refund.total_tax_excl,
        total_tax_incl=-refund.total_tax_incl,
        issuer_name=issuer_name,
        payments=refund.payments,
        rectified=rectified,
        rectified_at=rectified_at,
    )


def _negative(line: TicketLine) -> InvoiceLine:
    rate = sum((tax.rate for tax in line.taxes), Decimal("0")).normalize()
    return InvoiceLine(
        line.name,
        -line.quantity,
        line.unit_price_tax_excl,
        -line.total_tax_excl,
        -line.total_tax_incl,
        rate,
    )
