"""Line and ticket totals, the till's percentage discounts and the tax breakdown.

PS_ROUND_TYPE (src/Core/Cart/CartRow.php, Cart::getProducts, FACTS.md §11.4), with the
currency precision and PS_PRICE_ROUND_MODE:

* ITEM (1): unit price rounded, then × quantity;
* LINE (2): quantity × unit price, then rounded;
* TOTAL (3): lines left unrounded (stored with 6 decimals), only the ticket totals rounded.

Tax excl and tax incl are carried side by side and never derived from each other; each ticket
total is the rounded sum of its lines (orders.total_products, total_paid_tax_excl/incl).

The till's discounts (a percentage on a line, and one on the whole ticket, applied after the
line's) work like a PrestaShop percentage cart rule on products (CartRow::
applyPercentageDiscount): the percentage is taken from the tax-excl and from the tax-incl
amounts alike. Our choice, where PrestaShop leaves the discounted amount unrounded until the
order total: the discount is applied to the amount *before* the round-type step (ITEM: the
unit price, LINE: the line, TOTAL: nothing rounded), so each line's discounted total is
rounded like any line and the lines add up to the ticket total on the receipt. The gross
line totals (before the till's discounts) are what order_detail.total_price_* hold; the
discount of the ticket is then gross − net, in both columns.

Tax breakdown (Order::getProductTaxesDetails, the order_detail_tax rewrite): each line's
taxes are computed on its discounted tax-excl unit price, rounded per round type (ITEM: the
unit tax then × quantity, LINE: the line's tax, TOTAL: unrounded); the difference between the
ticket's tax (total incl − total excl) and the sum of the per-tax rounded amounts is spread
cent by cent over the largest rows (Tools::spreadAmount); bases likewise against the total
excl. Deviations, for a till receipt: lines without tax get a 0 % row (PrestaShop writes no
order_detail_tax row for them), and a line with several taxes counts its base once when the
bases are balanced (PrestaShop counts it once per tax).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from app.sale.rounding import PRICE_DECIMALS, ZERO, RoundMode, RoundType, ps_round, spread_amount
from app.sale.taxes import HUNDRED, NO_TAX, Tax, TaxCalculator
from app.till.records import LineTax

EXEMPT = Tax(0, "", ZERO)  # the breakdown row of lines without tax


@dataclass(frozen=True)
class Rounding:
    round_type: RoundType = RoundType.LINE  # PS_ROUND_TYPE
    round_mode: RoundMode = RoundMode.HALF_UP  # PS_PRICE_ROUND_MODE
    precision: int = 2  # currency.precision

    def round(self, value: Decimal) -> Decimal:
        return ps_round(value, self.precision, self.round_mode)


@dataclass(frozen=True)
class LineInput:
    unit_tax_excl: Decimal  # UnitPrice.tax_excl
    unit_tax_incl: Decimal  # UnitPrice.tax_incl
    quantity: int
    tax: TaxCalculator = NO_TAX
    discount_percent: Decimal = ZERO  # the till's discount on this line, 0-100


@dataclass(frozen=True)
class LineTotals:
    gross_tax_excl: Decimal  # before the till's discounts: order_detail.total_price_tax_excl
    gross_tax_incl: Decimal
    total_tax_excl: Decimal  # after the line's and the ticket's discounts
    total_tax_incl: Decimal
    taxes: tuple[LineTax, ...]  # order_detail_tax rows, on the discounted amounts

    @property
    def discount_tax_excl(self) -> Decimal:
        return self.gross_tax_excl - self.total_tax_excl

    @property
    def discount_tax_incl(self) -> Decimal:
        return self.gross_tax_incl - self.total_tax_incl


@dataclass(frozen=True)
class TaxBreakdownRow:
    id_tax: int  # 0: lines without tax
    name: str
    rate: Decimal
    base: Decimal
    quota: Decimal


@dataclass(frozen=True)
class TicketTotals:
    lines: tuple[LineTotals, ...]
    products_tax_excl: Decimal  # orders.total_products (before the till's discounts)
    products_tax_incl: Decimal  # orders.total_products_wt
    total_tax_excl: Decimal  # to pay
    total_tax_incl: Decimal
    breakdown: tuple[TaxBreakdownRow, ...]

    @property
    def discounts_tax_excl(self) -> Decimal:
        return self.products_tax_excl - self.total_tax_excl

    @property
    def discounts_tax_incl(self) -> Decimal:
        return self.products_tax_incl - self.total_tax_incl


@dataclass(frozen=True)
class _Line:
    """One line's amounts before storage rounding (TOTAL keeps every decimal)."""

    source: LineInput
    factor: Decimal  # what is left after the line's and the ticket's discounts
    gross: tuple[Decimal, Decimal]  # excl, incl
    net: tuple[Decimal, Decimal]


def ticket_totals(
    lines: Sequence[LineInput], rounding: Rounding, ticket_discount_percent: Decimal = ZERO
) -> TicketTotals:
    """Totals of a ticket whose unit prices are known."""
    ticket_factor = _factor(ticket_discount_percent)
    computed = [_line(line, ticket_factor, rounding) for line in lines]
    total_excl = rounding.round(sum((c.net[0] for c in computed), ZERO))
    total_incl = rounding.round(sum((c.net[1] for c in computed), ZERO))
    taxes = _spread_taxes(computed, total_incl - total_excl, rounding)
    bases = _spread_bases(computed, total_excl, rounding)
    return TicketTotals(
        lines=tuple(_line_totals(c, t) for c, t in zip(computed, taxes, strict=True)),
        products_tax_excl=rounding.round(sum((c.gross[0] for c in computed), ZERO)),
        products_tax_incl=rounding.round(sum((c.gross[1] for c in computed), ZERO)),
        total_tax_excl=total_excl,
        total_tax_incl=total_incl,
        breakdown=_breakdown(computed, taxes, bases, rounding),
    )


def line_amount(unit: Decimal, quantity: int, rounding: Rounding) -> Decimal:
    """A line total per PS_ROUND_TYPE (unrounded under TOTAL)."""
    if rounding.round_type is RoundType.ITEM:
        return rounding.round(unit) * quantity
    if rounding.round_type is RoundType.LINE:
        return rounding.round(unit * quantity)
    return unit * quantity


def _factor(percent: Decimal) -> Decimal:
    if not ZERO <= percent <= HUNDRED:
        raise ValueError(f"a discount is a percentage from 0 to 100, not {percent}")
    return 1 - percent / HUNDRED


def _line(line: LineInput, ticket_factor: Decimal, rounding: Rounding) -> _Line:
    factor = _factor(line.discount_percent) * ticket_factor
    units = (line.unit_tax_excl, line.unit_tax_incl)
    return _Line(
        source=line,
        factor=factor,
        gross=(
            line_amount(units[0], line.quantity, rounding),
            line_amount(units[1], line.quantity, rounding),
        ),
        net=(
            line_amount(units[0] * factor, line.quantity, rounding),
            line_amount(units[1] * factor, line.quantity, rounding),
        ),
    )


def _stored(value: Decimal) -> Decimal:
    """As a decimal(20,6) column keeps it (MySQL rounds half away from zero)."""
    return value.quantize(Decimal(1).scaleb(-PRICE_DECIMALS), rounding=ROUND_HALF_UP)


_TaxRows = list[list[tuple[Tax, Decimal, Decimal]]]  # per line: (tax, unit amount, total)


def _tax_rows(computed: Sequence[_Line], rounding: Rounding) -> _TaxRows:
    rows: _TaxRows = []
    for c in computed:
        base = c.source.unit_tax_excl * c.factor
        line_rows = []
        for tax, amount in c.source.tax.tax_amounts(base):
            unit = rounding.round(amount) if rounding.round_type is RoundType.ITEM else amount
            line_rows.append((tax, unit, line_amount(amount, c.source.quantity, rounding)))
        rows.append(line_rows)
    return rows


def _spread_taxes(computed: Sequence[_Line], expected: Decimal, rounding: Rounding) -> _TaxRows:
    rows = _tax_rows(computed, rounding)
    flat = [(i, j) for i, line_rows in enumerate(rows) for j in range(len(line_rows))]
    totals = [rows[i][j][2] for i, j in flat]
    keys = [rows[i][j][0].id_tax for i, j in flat]
    error = expected - _sum_rounded_by_key(keys, totals, rounding)
    if error and flat:
        totals = spread_amount(error, rounding.precision, totals)
    for (i, j), total in zip(flat, totals, strict=True):
        tax, unit, _ = rows[i][j]
        rows[i][j] = (tax, unit, total)
    return rows


def _spread_bases(
    computed: Sequence[_Line], expected: Decimal, rounding: Rounding
) -> list[Decimal]:
    """Each line's tax base, balanced against the ticket's total excl."""
    bases = [c.net[0] for c in computed]
    keys = [c.source.tax.taxes[0].id_tax if c.source.tax.taxes else 0 for c in computed]
    error = expected - _sum_rounded_by_key(keys, bases, rounding)
    return spread_amount(error, rounding.precision, bases) if error and bases else bases


def _sum_rounded_by_key(
    keys: Sequence[int], values: Sequence[Decimal], rounding: Rounding
) -> Decimal:
    sums: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for key, value in zip(keys, values, strict=True):
        sums[key] += value
    return sum((rounding.round(v) for v in sums.values()), ZERO)


def _line_totals(c: _Line, taxes: list[tuple[Tax, Decimal, Decimal]]) -> LineTotals:
    return LineTotals(
        gross_tax_excl=_stored(c.gross[0]),
        gross_tax_incl=_stored(c.gross[1]),
        total_tax_excl=_stored(c.net[0]),
        total_tax_incl=_stored(c.net[1]),
        taxes=tuple(
            LineTax(tax.id_tax, tax.name, tax.rate, _stored(unit), _stored(total))
            for tax, unit, total in taxes
        ),
    )


def _breakdown(
    computed: Sequence[_Line], taxes: _TaxRows, bases: Sequence[Decimal], rounding: Rounding
) -> tuple[TaxBreakdownRow, ...]:
    base_of: dict[Tax, Decimal] = defaultdict(lambda: ZERO)
    quota_of: dict[Tax, Decimal] = defaultdict(lambda: ZERO)
    for c, line_taxes, base in zip(computed, taxes, bases, strict=True):
        for tax in c.source.tax.taxes or (EXEMPT,):
            base_of[tax] += base
        for tax, _, total in line_taxes:
            quota_of[tax] += total
    rows = [
        TaxBreakdownRow(t.id_tax, t.name, t.rate, rounding.round(b), rounding.round(quota_of[t]))
        for t, b in base_of.items()
    ]
    return tuple(sorted(rows, key=lambda r: (r.id_tax == 0, -r.rate, r.id_tax)))
