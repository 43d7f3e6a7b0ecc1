"""Full invoices: earlier tickets exchanged for one (F3), and any full invoice read for printing.

A customer who paid with a simplified invoice (a ticket) may ask for a full invoice later.
:func:`exchange_tickets` issues it, in ONE write transaction: its number from the till's
full-invoice series (``T1-F-2026-000007``, shared with the F1 sales: gapless, never reused),
the ``invoices`` row with what it invoices, the tickets it replaces
(``invoice_substitutions``) and its VERI*FACTU F3 record listing them (``FacturasSustituidas``).

What an exchange may take (:func:`check_exchangeable` says why not, before the cashier types):

* sales of this till only; not a refund, not a sale already issued as a full invoice (F1), not
  a ticket already exchanged (a ticket is replaced once), not an annulled one;
* a partly refunded sale is invoiced for what the customer kept: each line's quantity and
  amounts minus what its refunds gave back, and the invoice replaces the sale AND its refund
  tickets (all listed as substituted), so that the AEAT counts the net once; a sale refunded
  in full has nothing left to invoice and is refused;
* a refund made after the exchange rectifies the full invoice (R1, ``app.verifactu.records``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from app.i18n import _
from app.till.customer_addresses import invoice_address
from app.till.customers import local_customers
from app.till.errors import TicketNotFound, TicketRefused
from app.till.invoice_rows import (
    F1,
    F3,
    InvoiceRow,
    current_recipient,
    insert_invoice,
    insert_substitutions,
    invoice_by_number,
    invoice_of_ticket,
    last_recipient,
)
from app.till.models import TicketRow
from app.till.models_catalog import CatalogCustomer
from app.till.records import Ticket, TicketCustomer, TicketKind, TicketLine
from app.till.series import invoice_series, take_number
from app.till.store import TillStore
from app.till.ticket_rows import load_tickets
from app.verifactu.ledger import corrected_recipient, current_identity
from app.verifactu.recipient import Recipient, checked
from app.verifactu.records import exchange_draft, record_exchange
from printing.invoice import FullInvoice, InvoiceLine, InvoiceParty
from printing.receipt import TaxRow, tax_breakdown
from printing.rectifying import rectifying_invoice

_CENT = Decimal("0.01")


@dataclass(frozen=True)
class IssuedInvoice:
    number: str
    kind: str  # F1 or F3
    total: Decimal
    replaces: tuple[str, ...] = ()


def check_exchangeable(store: TillStore, number: str) -> Ticket:
    """Sale ``number``, if it can still be exchanged for a full invoice; else why not."""
    with store.read() as session:
        return _exchangeable(session, number)


def exchange_tickets(
    store: TillStore,
    numbers: Sequence[str],
    recipient: Recipient,
    issued_at: datetime | None = None,
) -> IssuedInvoice:
    """Issue a full invoice (F3) to ``recipient`` replacing the sale tickets ``numbers``
    (dated ``issued_at``, now by default: tests date it)."""
    person = checked(recipient)
    now = datetime.now()
    moment = (issued_at or now).replace(microsecond=0)
    if not numbers:
        raise TicketRefused(_("Choose the ticket to exchange for an invoice."))
    with store.write() as session:
        sales = [_exchangeable(session, number) for number in dict.fromkeys(numbers)]
        refunds = _refunds_of(session, [sale.number for sale in sales])
        lines = _kept_lines(sales, refunds)
        rows = tax_breakdown(lines)
        number = str(take_number(session, invoice_series(store.till), moment.year))
        replaced = [t.number for t in sales] + [t.number for t in refunds]
        content = _content(lines, rows, replaced)
        row = InvoiceRow(0, number, F3, None, moment, person, content)
        invoice_id = insert_invoice(session, row, _customer(sales))
        insert_substitutions(session, invoice_id, _ticket_ids(session, replaced))
        draft = exchange_draft(
            session, number=number, issued=moment, rows=rows, recipient=person, replaced=replaced
        )
        record_exchange(session, draft, now)
    return IssuedInvoice(number, F3, Decimal(content["total_tax_incl"]), tuple(replaced))


def known_recipient(store: TillStore, customer: TicketCustomer) -> Recipient | None:
    """The data of the last invoice issued to ``customer`` at this till, to offer them again."""
    with store.read() as session:
        return last_recipient(session, customer)


def prefill_recipient(store: TillStore, customer: TicketCustomer) -> Recipient | None:
    """What the till knows of ``customer`` for an invoice: their last invoice's data, else
    their PrestaShop address with a tax id (pulled with the catalog), else their company (or
    name) and the tax id taken at the counter, the address then typed. None for the walk-in
    customer."""
    if customer.is_walk_in:
        return None
    with store.read() as session:
        last = last_recipient(session, customer)
        if last is not None:
            return last
        company = ""
        if customer.id_customer is not None:
            address = invoice_address(session, customer.id_customer)
            if address is not None:
                return address.recipient()
            found = session.get(CatalogCustomer, customer.id_customer)
            company = found.company if found is not None else ""
    name = company or f"{customer.firstname} {customer.lastname}".strip()
    taken = [e for e in local_customers(store) if e.email == customer.email and e.tax_id]
    return Recipient(name, taken[0].tax_id if taken else "", "", "", "")


def invoice_for(store: TillStore, number: str) -> FullInvoice | None:
    """Full invoice ``number`` (an F1 sale, an F3, or the R1 of a refund of either) as printed;
    None if it is not one."""
    with store.read() as session:
        identity = current_identity(session)
        issuer = identity.name if identity is not None else ""
        row = invoice_by_number(session, number)
        if row is None:
            return _r1(session, number, issuer)
        row = replace(row, recipient=current_recipient(session, row))
        if row.kind == F1 and row.ticket_id is not None:
            sale = load_tickets(session, [session.get_one(TicketRow, row.ticket_id)])[0]
            return _f1(row, sale, issuer)
    return _f3(row, issuer)


# --------------------------------------------------------------------------- internals


def _exchangeable(session: Session, number: str) -> Ticket:
    wanted = number.strip()
    found = session.scalars(select(TicketRow).where(TicketRow.number == wanted)).one_or_none()
    if found is None:
        raise TicketNotFound(_("There is no ticket {number} in this till.").format(number=wanted))
    if found.kind != TicketKind.SALE.value:
        raise TicketRefused(
            _("Ticket {number} is a refund: exchange the sale ticket.").format(number=wanted)
        )
    invoice = invoice_of_ticket(session, found.id)
    if invoice is not None and invoice.kind == F1:
        raise TicketRefused(_("Ticket {number} is already a full invoice.").format(number=wanted))
    if invoice is not None:
        raise TicketRefused(
            _("Ticket {number} was already exchanged for invoice {invoice}.").format(
                number=wanted, invoice=invoice.number
            ),
            _("Reprint invoice {invoice} instead.").format(invoice=invoice.number),
        )
    if _annulled(session, wanted):
        raise TicketRefused(
            _("Ticket {number} was annulled: it cannot be invoiced.").format(number=wanted)
        )
    sale = load_tickets(session, [found])[0]
    if not _kept_lines([sale], _refunds_of(session, [wanted])):
        raise TicketRefused(
            _("Ticket {number} was refunded in full: there is nothing left to invoice.").format(
                number=wanted
            )
        )
    return sale


def _annulled(session: Session, number: str) -> bool:
    found = session.execute(
        text("SELECT 1 FROM verifactu_records WHERE kind = 'anulacion' AND number = :n"),
        {"n": number},
    ).first()
    return found is not None


def _refunds_of(session: Session, numbers: list[str]) -> list[Ticket]:
    rows = session.scalars(
        select(TicketRow).where(TicketRow.original_ticket.in_(numbers)).order_by(TicketRow.id)
    ).all()
    return load_tickets(session, rows)


def _kept_lines(sales: list[Ticket], refunds: list[Ticket]) -> tuple[TicketLine, ...]:
    """Each sale line minus what its refunds gave back; lines given back in full left out."""
    back: dict[tuple[str, int], list[TicketLine]] = {}
    for refund in refunds:
        for line in refund.lines:
            back.setdefault((refund.original_ticket or "", line.original_line_no or 0), []).append(
                line
            )
    kept: list[TicketLine] = []
    for sale in sales:
        for line in sale.lines:
            returned = back.get((sale.number, line.line_no), [])
            left = _line_left(line, returned)
            if left is not None:
                kept.append(left)
    return tuple(kept)


def _line_left(line: TicketLine, returned: list[TicketLine]) -> TicketLine | None:
    quantity = line.quantity - sum(r.quantity for r in returned)
    if quantity <= 0:
        return None
    if not returned:
        return line
    incl = line.total_tax_incl - sum((r.total_tax_incl for r in returned), Decimal("0"))
    excl = line.total_tax_excl - sum((r.total_tax_excl for r in returned), Decimal("0"))
    share = Decimal(quantity) / Decimal(line.quantity)
    taxes = tuple(
        replace(tax, total_amount=(tax.total_amount * share).quantize(_CENT, ROUND_HALF_UP))
        for tax in line.taxes
    )
    return replace(line, quantity=quantity, total_tax_incl=incl, total_tax_excl=excl, taxes=taxes)


def _content(
    lines: tuple[TicketLine, ...], rows: tuple[TaxRow, ...], replaced: list[str]
) -> dict[str, Any]:
    return {
        "lines": [
            {
                "name": line.name,
                "quantity": line.quantity,
                "unit_price_tax_excl": str(line.unit_price_tax_excl),
                "total_tax_excl": _cents(line.total_tax_excl),
                "total_tax_incl": _cents(line.total_tax_incl),
                "rate": str(_rate(line)),
            }
            for line in lines
        ],
        "breakdown": [
            {"rate": str(r.rate), "base": _cents(r.base), "quota": _cents(r.quota)} for r in rows
        ],
        "total_tax_excl": _cents(sum((line.total_tax_excl for line in lines), Decimal(0))),
        "total_tax_incl": _cents(sum((line.total_tax_incl for line in lines), Decimal(0))),
        "replaces": replaced,
    }


def _cents(value: Decimal) -> str:
    return str(value.quantize(_CENT, ROUND_HALF_UP))


def _rate(line: TicketLine) -> Decimal:
    return sum((tax.rate for tax in line.taxes), Decimal("0")).normalize()


def _customer(sales: list[Ticket]) -> TicketCustomer | None:
    known = [sale.customer for sale in sales if not sale.customer.is_walk_in]
    return known[0] if known else None


def _ticket_ids(session: Session, numbers: list[str]) -> list[int]:
    rows = session.execute(select(TicketRow.id).where(TicketRow.number.in_(numbers)))
    return [int(row[0]) for row in rows]


def _party(recipient: Recipient) -> InvoiceParty:
    return InvoiceParty(recipient.name, recipient.tax_id, recipient.address_lines())


def _f1(row: InvoiceRow, sale: Ticket, issuer: str) -> FullInvoice:
    lines = tuple(
        InvoiceLine(
            line.name,
            line.quantity,
            line.unit_price_tax_excl,
            line.total_tax_excl,
            line.total_tax_incl,
            _rate(line),
        )
        for line in sale.lines
    )
    return FullInvoice(
        kind=F1,
        number=row.number,
        issued_at=sale.created_at,
        recipient=_party(row.recipient),
        lines=lines,
        breakdown=tax_breakdown(sale.lines),
        total_tax_excl=sale.total_tax_excl,
        total_tax_incl=sale.total_tax_incl,
        issuer_name=issuer,
        payments=sale.payments,
        change=sale.change,
    )


def rectified_invoice(session: Session, refund: TicketRow) -> InvoiceRow | None:
    """The full invoice refund ``refund`` rectifies (R1): its sale's F1, or the F3 that
    replaced its sale before it; None when it refunds a simplified invoice (R5) — also for a
    refund made before the exchange, which the F3 itself replaced."""
    if refund.kind != TicketKind.REFUND.value or not refund.original_ticket:
        return None
    if invoice_of_ticket(session, refund.id) is not None:  # netted by the F3
        return None
    sale = session.scalars(
        select(TicketRow).where(TicketRow.number == refund.original_ticket)
    ).one_or_none()
    return None if sale is None else invoice_of_ticket(session, sale.id)


def _r1(session: Session, number: str, issuer: str) -> FullInvoice | None:
    found = session.scalars(select(TicketRow).where(TicketRow.number == number.strip()))
    refund = found.one_or_none()
    invoice = None if refund is None else rectified_invoice(session, refund)
    if refund is None or invoice is None:
        return None
    ticket = load_tickets(session, [refund])[0]
    corrected = corrected_recipient(session, ticket.number)  # the R1's own record corrected
    party = _party(corrected or current_recipient(session, invoice))
    return rectifying_invoice(ticket, party, invoice.number, invoice.issued_at, issuer)


def _f3(row: InvoiceRow, issuer: str) -> FullInvoice:
    data = row.content
    lines = tuple(
        InvoiceLine(
            str(line["name"]),
            int(line["quantity"]),
            Decimal(line["unit_price_tax_excl"]),
            Decimal(line["total_tax_excl"]),
            Decimal(line["total_tax_incl"]),
            Decimal(line["rate"]),
        )
        for line in data["lines"]
    )
    breakdown = tuple(
        TaxRow(Decimal(r["rate"]), Decimal(r["base"]), Decimal(r["quota"]))
        for r in data["breakdown"]
    )
    return FullInvoice(
        kind=F3,
        number=row.number,
        issued_at=row.issued_at,
        recipient=_party(row.recipient),
        lines=lines,
        breakdown=breakdown,
        total_tax_excl=Decimal(data["total_tax_excl"]),
        total_tax_incl=Decimal(data["total_tax_incl"]),
        issuer_name=issuer,
        replaces=tuple(data["replaces"]),
    )
