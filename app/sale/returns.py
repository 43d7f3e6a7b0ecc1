"""Returns: a REFUND ticket for (part of) a sale, priced exactly as it was sold.

The cashier scans or types the sale's number; the customer gives back all of it or some units
of some lines, each put back on the shelf (``restock``) or not, and is paid back in cash or by
the way they paid. The refund is a new ticket (``kind`` REFUND, series ``<till>-R``) pointing
to the sale and to each sold line.

Prices are never computed again: a refund line carries the sold line's unit prices,
reductions and discounts, and its share of the sold line's totals and taxes, proportional to
the units given back and rounded like the sale (its PS_PRICE_ROUND_MODE at the currency
precision; kept at 6 decimals under PS_ROUND_TYPE 3). The units that complete a line get
what is left of it, so the refunds of a line always add up to exactly what was paid for it.
Unknown numbers and more units than are left to give back are refused with clear messages;
the store checks the latter again inside its write transaction.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal

from sqlalchemy import select

from app.i18n import _
from app.sale.payment_methods import PaymentMethods, refund_payment
from app.sale.price_inputs import Employee
from app.sale.rounding import RoundType, ps_round
from app.till.errors import TicketRefused
from app.till.models import TicketRow
from app.till.records import LineTax, TenderKind, Ticket, TicketKind, TicketLine, TicketPayment
from app.till.store import TillStore
from app.till.ticket_rows import load_tickets
from app.till.tickets import find_ticket_for_return, record_refund

MICRO = Decimal("0.000001")
ORIGINAL = "original"  # refund method: the way the sale was paid


@dataclass(frozen=True)
class ReturnLine:
    line_no: int  # of the sale
    quantity: int
    restock: bool = True


@dataclass(frozen=True)
class Sold:
    """A sold line and what its earlier refunds already gave back (units and amounts)."""

    line: TicketLine
    units_left: int
    excl_left: Decimal
    incl_left: Decimal
    taxes_left: tuple[Decimal, ...]


def refund(
    store: TillStore,
    number: str,
    employee: Employee,
    lines: Sequence[ReturnLine] | None = None,
    *,
    method: str = ORIGINAL,
    methods: PaymentMethods | None = None,
    restock: bool = True,
    now: datetime | None = None,
) -> Ticket:
    """Record the refund of sale ``number`` (``lines`` None: everything left to give back)."""
    original = find_ticket_for_return(store, number)
    sold = sold_lines(original, _refunds_of(store, original.number))
    wanted = lines if lines is not None else whole_return(sold, restock)
    draft = build_refund(
        store.till,
        original,
        sold,
        wanted,
        employee=employee,
        method=method,
        methods=methods or PaymentMethods(),
        now=now or datetime.now(),
    )
    return record_refund(store, draft)


def whole_return(sold: Mapping[int, Sold], restock: bool = True) -> list[ReturnLine]:
    lines = [ReturnLine(n, s.units_left, restock) for n, s in sold.items() if s.units_left > 0]
    if not lines:
        raise TicketRefused(_("Everything on this ticket has already been refunded."))
    return lines


def sold_lines(original: Ticket, refunds: Iterable[Ticket]) -> dict[int, Sold]:
    """Each line of ``original`` with what its earlier ``refunds`` left to give back."""
    given: dict[tuple[int, str], Decimal] = defaultdict(Decimal)  # (line, what) → amount
    for ticket in refunds:
        for line in ticket.lines:
            n = line.original_line_no or 0
            given[n, "units"] += line.quantity
            given[n, "excl"] += line.total_tax_excl
            given[n, "incl"] += line.total_tax_incl
            for position, tax in enumerate(line.taxes):
                given[n, f"tax{position}"] += tax.total_amount
    return {
        line.line_no: Sold(
            line=line,
            units_left=line.quantity - int(given[line.line_no, "units"]),
            excl_left=line.total_tax_excl - given[line.line_no, "excl"],
            incl_left=line.total_tax_incl - given[line.line_no, "incl"],
            taxes_left=tuple(
                tax.total_amount - given[line.line_no, f"tax{position}"]
                for position, tax in enumerate(line.taxes)
            ),
        )
        for line in original.lines
    }


def build_refund(
    till: str,
    original: Ticket,
    sold: Mapping[int, Sold],
    wanted: Sequence[ReturnLine],
    *,
    employee: Employee,
    method: str,
    methods: PaymentMethods,
    now: datetime,
) -> Ticket:
    """The refund draft (pure): lines priced as sold, paid back by ``method``."""
    lines = tuple(
        _refund_line(n, sold, request, original) for n, request in enumerate(_merged(wanted), 1)
    )
    total_excl = _ticket_total(original, (line.total_tax_excl for line in lines))
    total_incl = _ticket_total(original, (line.total_tax_incl for line in lines))
    return replace(
        original,
        uuid=str(uuid.uuid4()),
        number="",
        kind=TicketKind.REFUND,
        till=till,
        created_at=now.replace(microsecond=0),
        id_employee=employee.id_employee,
        employee_name=employee.name,
        lines=lines,
        payments=_refund_payments(original, total_incl, method, methods),
        total_tax_excl=total_excl,
        total_tax_incl=total_incl,
        cash_session_id=None,
        original_ticket=original.number,
        note="",
    )


def _merged(wanted: Sequence[ReturnLine]) -> list[ReturnLine]:
    if not wanted:
        raise TicketRefused(_("Choose at least one line to refund."))
    by_line: dict[tuple[int, bool], int] = defaultdict(int)
    for request in wanted:
        if isinstance(request.quantity, bool) or not isinstance(request.quantity, int):
            raise TicketRefused(_("The quantity to refund must be a whole number."))
        if request.quantity < 1:
            raise TicketRefused(_("The quantity to refund must be at least 1."))
        by_line[(request.line_no, request.restock)] += request.quantity
    return [ReturnLine(n, q, restock) for (n, restock), q in by_line.items()]


def _refund_line(
    line_no: int, sold: Mapping[int, Sold], request: ReturnLine, original: Ticket
) -> TicketLine:
    found = sold.get(request.line_no)
    if found is None:
        raise TicketRefused(
            _("Ticket {number} has no line {n}.").format(number=original.number, n=request.line_no)
        )
    if request.quantity > found.units_left:
        raise TicketRefused(
            _("Line {n} of ticket {number}: {left} unit(s) can still be refunded, {asked} asked.")
            .format(n=request.line_no, number=original.number, left=found.units_left,
                    asked=request.quantity)
        )  # fmt: skip
    share = _Share(original, found, request.quantity)
    line = found.line
    return replace(
        line,
        line_no=line_no,
        quantity=request.quantity,
        total_tax_excl=share.of(line.total_tax_excl, found.excl_left),
        total_tax_incl=share.of(line.total_tax_incl, found.incl_left),
        taxes=tuple(
            _tax_share(tax, left, share)
            for tax, left in zip(line.taxes, found.taxes_left, strict=True)
        ),
        original_line_no=found.line.line_no,
        restock=request.restock,
    )


@dataclass(frozen=True)
class _Share:
    original: Ticket
    sold: Sold
    quantity: int

    def of(self, sold_amount: Decimal, left: Decimal) -> Decimal:
        """This refund's part of a line amount: what is left when it completes the line."""
        if self.quantity == self.sold.units_left:
            return left
        amount = sold_amount * self.quantity / self.sold.line.quantity
        return _round_like(self.original, amount)


def _tax_share(tax: LineTax, left: Decimal, share: _Share) -> LineTax:
    return replace(tax, total_amount=share.of(tax.total_amount, left))


def _round_like(original: Ticket, amount: Decimal) -> Decimal:
    if original.round_type == RoundType.TOTAL:
        return ps_round(amount, 6, original.round_mode)
    return ps_round(amount, original.currency_precision, original.round_mode).quantize(MICRO)


def _ticket_total(original: Ticket, amounts: Iterable[Decimal]) -> Decimal:
    total = sum(amounts, Decimal(0))
    return ps_round(total, original.currency_precision, original.round_mode)


def _refund_payments(
    original: Ticket, total: Decimal, method: str, methods: PaymentMethods
) -> tuple[TicketPayment, ...]:
    """``cash``/another code: all of it that way; ``original``: back the way it was paid."""
    if not total:
        return ()
    if method != ORIGINAL:
        return (refund_payment(methods.get(method), total),)
    payments: list[TicketPayment] = []
    left = total
    for paid in sorted(original.payments, key=lambda p: p.tender is TenderKind.CASH):
        part = min(paid.amount, left)
        if part > 0:
            payments.append(replace(paid, amount=part, given=None, change=Decimal("0.00")))
            left -= part
    if left > 0:
        payments.append(refund_payment(methods.cash, left))
    return tuple(payments)


def _refunds_of(store: TillStore, number: str) -> list[Ticket]:
    """The refunds already recorded for sale ``number``."""
    with store.read() as session:
        rows = session.scalars(
            select(TicketRow).where(TicketRow.original_ticket == number).order_by(TicketRow.id)
        ).all()
        return load_tickets(session, rows)
