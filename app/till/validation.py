"""Checks a ticket draft must pass before the till records it (pure: no store, no clock).

Every refusal is a :class:`TicketRefused` whose message tells the cashier what is wrong.
What is checked:

* identity: a UUID, the kind's shape (a refund points to its original ticket and lines);
* lines: at least one, numbers unique, quantities whole, 1 to 9,999;
* amounts: ``Decimal``; totals and payments with at most 2 decimals (the store keeps cents),
  line amounts with at most 6 (PrestaShop's precision); nothing negative;
* the lines add up to the total, within one currency step per line (ROUND_TYPE 3 rounds only
  the total);
* payments: each positive; only cash gives change; ``given`` = amount + change; their sum is
  exactly the total (under-payment and over-payment refused; the excess of cash is change).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from decimal import Decimal

from app.formatting import format_money
from app.i18n import _
from app.till.errors import TicketRefused
from app.till.records import TenderKind, Ticket, TicketKind, TicketLine, TicketPayment

MAX_QUANTITY = 9999
CENTS = 2
MICROS = 6
_ZERO = Decimal("0")


def validate_draft(ticket: Ticket) -> None:
    """Raise :class:`TicketRefused` unless ``ticket`` can be recorded as it is."""
    _check_identity(ticket)
    _check_lines(ticket.lines, ticket.kind)
    _check_totals(ticket)
    _check_payments(ticket)


def decimals_ok(value: object, places: int) -> bool:
    """``value`` is a finite Decimal with at most ``places`` decimals."""
    if not isinstance(value, Decimal) or not value.is_finite():
        return False
    return value == value.quantize(Decimal(1).scaleb(-places)) if value else True


def _check_identity(ticket: Ticket) -> None:
    try:
        uuid.UUID(ticket.uuid)
    except (ValueError, TypeError, AttributeError) as error:
        raise TicketRefused(_("The ticket has no valid identifier.")) from error
    if ticket.kind is TicketKind.REFUND and not ticket.original_ticket:
        raise TicketRefused(_("A refund must name the ticket it refunds."))
    if ticket.kind is TicketKind.SALE and ticket.original_ticket:
        raise TicketRefused(_("A sale cannot point to an original ticket; record a refund."))
    if ticket.currency_precision > CENTS:
        raise TicketRefused(
            _("Currencies with more than {n} decimals are not supported.").format(n=CENTS)
        )


def _check_lines(lines: tuple[TicketLine, ...], kind: TicketKind) -> None:
    if not lines:
        raise TicketRefused(_("The ticket has no lines."))
    numbers = [line.line_no for line in lines]
    if len(set(numbers)) != len(numbers) or min(numbers) < 1:
        raise TicketRefused(_("The ticket's lines are not numbered one by one."))
    for line in lines:
        _check_line(line, kind)


def _check_line(line: TicketLine, kind: TicketKind) -> None:
    quantity = line.quantity
    if isinstance(quantity, bool) or not isinstance(quantity, int):
        raise TicketRefused(
            _("Line {n}: the quantity must be a whole number.").format(n=line.line_no)
        )
    if not 1 <= quantity <= MAX_QUANTITY:
        raise TicketRefused(
            _("Line {n}: the quantity must be between 1 and {max}.").format(
                n=line.line_no, max=MAX_QUANTITY
            )
        )
    if kind is TicketKind.REFUND and line.original_line_no is None:
        raise TicketRefused(
            _("Line {n}: a refund line must name the line it gives back.").format(n=line.line_no)
        )
    amounts = _line_amounts(line)
    if not all(decimals_ok(value, MICROS) for value in amounts):
        raise TicketRefused(
            _("Line {n}: an amount is not a number with at most 6 decimals.").format(n=line.line_no)
        )
    if line.total_tax_incl < _ZERO or line.total_tax_excl < _ZERO:
        raise TicketRefused(_("Line {n}: negative totals are not allowed.").format(n=line.line_no))


def _line_amounts(line: TicketLine) -> Iterable[Decimal]:
    yield from (
        line.original_unit_price_tax_excl,
        line.unit_price_tax_excl,
        line.unit_price_tax_incl,
        line.total_tax_excl,
        line.total_tax_incl,
        line.reduction_percent,
        line.reduction_amount_tax_excl,
        line.reduction_amount_tax_incl,
        line.group_reduction,
        line.discount_percent,
        line.wholesale_price,
    )
    for tax in line.taxes:
        yield from (tax.rate, tax.unit_amount, tax.total_amount)


def _check_totals(ticket: Ticket) -> None:
    totals = (ticket.total_tax_excl, ticket.total_tax_incl)
    if not all(decimals_ok(value, CENTS) for value in totals):
        raise TicketRefused(_("The ticket's totals must be amounts with at most 2 decimals."))
    if not decimals_ok(ticket.ticket_discount_percent, MICROS):
        raise TicketRefused(_("The ticket's discount is not a valid percentage."))
    if min(totals) < _ZERO:
        raise TicketRefused(_("The ticket's totals cannot be negative."))
    lines_total = sum((line.total_tax_incl for line in ticket.lines), _ZERO)
    tolerance = Decimal(1).scaleb(-ticket.currency_precision) * len(ticket.lines)
    if abs(lines_total - ticket.total_tax_incl) > tolerance:
        raise TicketRefused(
            _("The ticket's total ({total}) does not match its lines ({lines}).").format(
                total=format_money(ticket.total_tax_incl), lines=format_money(lines_total)
            )
        )


def _check_payments(ticket: Ticket) -> None:
    for payment in ticket.payments:
        _check_payment(payment, ticket.kind)
    paid = ticket.total_paid
    total = ticket.total_tax_incl
    if paid < total:
        raise TicketRefused(
            _("The payments ({paid}) do not cover the total ({total}): {missing} missing.").format(
                paid=format_money(paid),
                total=format_money(total),
                missing=format_money(total - paid),
            )
        )
    if paid > total:
        raise TicketRefused(
            _("The payments ({paid}) exceed the total ({total}); cash beyond it is change.").format(
                paid=format_money(paid), total=format_money(total)
            )
        )


def _check_payment(payment: TicketPayment, kind: TicketKind) -> None:
    amounts = (payment.amount, payment.change, payment.given or _ZERO)
    if not all(decimals_ok(value, CENTS) for value in amounts):
        raise TicketRefused(
            _("Payment {label}: amounts must have at most 2 decimals.").format(label=payment.label)
        )
    if payment.amount <= _ZERO or payment.change < _ZERO:
        raise TicketRefused(
            _("Payment {label}: the amount must be positive.").format(label=payment.label)
        )
    if payment.change > _ZERO and payment.tender is not TenderKind.CASH:
        raise TicketRefused(
            _("Payment {label}: only cash can give change.").format(label=payment.label)
        )
    if payment.change > _ZERO and kind is TicketKind.REFUND:
        raise TicketRefused(_("A refund gives no change: pay back the exact amount."))
    if payment.given is not None and payment.given != payment.amount + payment.change:
        raise TicketRefused(
            _("Payment {label}: the amount given does not match amount plus change.").format(
                label=payment.label
            )
        )
