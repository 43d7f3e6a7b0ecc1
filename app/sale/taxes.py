"""Taxes of a product for an address, as PrestaShop computes them (FACTS.md §11.3).

PrestaShop (classes/tax/TaxRulesTaxManager.php, classes/tax/TaxCalculator.php):

* the candidate ``tax_rule`` rows of the product's tax rules group are those of the address'
  country, with ``id_state`` 0 or the address' state, and a postcode inside
  [zipcode_from, zipcode_to] (or no range: zipcode_to 0 and zipcode_from 0 or the postcode);
* they are taken most specific first (zipcode_from, zipcode_to, id_state descending); the
  first row's ``behavior`` is the computation method, and taxes are collected until a row with
  behavior 0 ("this tax only") has been added;
* method 1 (combine) adds the rates; method 2 (one after another) compounds them; method 0
  with its single tax is computed like a combination;
* rates are used as absolute values; PS_TAX = 0 gives a calculator without taxes.

Postcodes are compared as trimmed, upper-cased strings, as MySQL compares the varchar columns
(Spanish 5-digit postcodes compare the same as numbers). The caller gives the rows of one
active tax rules group (``tax_rules_group.active``; ``deleted`` groups still count).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from app.sale.rounding import ZERO

HUNDRED = Decimal(100)
ONE = Decimal(1)


class TaxMethod(enum.IntEnum):
    """tax_rule.behavior / order_detail.tax_computation_method."""

    ONE_TAX_ONLY = 0
    COMBINE = 1
    ONE_AFTER_ANOTHER = 2


@dataclass(frozen=True)
class Tax:
    id_tax: int
    name: str  # tax_lang.name in the ticket language
    rate: Decimal  # percent, tax.rate


@dataclass(frozen=True)
class TaxRule:
    """One tax_rule row joined with its tax."""

    id_country: int
    id_state: int
    zipcode_from: str
    zipcode_to: str
    behavior: int
    id_tax: int
    rate: Decimal
    name: str = ""

    @property
    def tax(self) -> Tax:
        return Tax(self.id_tax, self.name, self.rate)


@dataclass(frozen=True)
class TaxAddress:
    """The tax address (PS_TAX_ADDRESS_TYPE; the shop's country when there is none)."""

    id_country: int
    id_state: int = 0
    postcode: str = ""


@dataclass(frozen=True)
class TaxCalculator:
    taxes: tuple[Tax, ...] = ()
    method: TaxMethod = TaxMethod.COMBINE  # PrestaShop's default for an empty calculator

    @property
    def total_rate(self) -> Decimal:
        """The rate of all taxes together, percent (order_detail.tax_rate)."""
        if self.method is TaxMethod.ONE_AFTER_ANOTHER:
            factor = ONE
            for tax in self.taxes:
                factor *= ONE + abs(tax.rate) / HUNDRED
            return (factor - ONE) * HUNDRED
        return sum((abs(tax.rate) for tax in self.taxes), ZERO)

    @property
    def name(self) -> str:
        """order_detail.tax_name: the tax names joined with " - "."""
        return " - ".join(tax.name for tax in self.taxes)

    def add_taxes(self, price_tax_excl: Decimal) -> Decimal:
        return price_tax_excl * (ONE + self.total_rate / HUNDRED)

    def remove_taxes(self, price_tax_incl: Decimal) -> Decimal:
        return price_tax_incl / (ONE + self.total_rate / HUNDRED)

    def tax_amounts(self, base_tax_excl: Decimal) -> tuple[tuple[Tax, Decimal], ...]:
        """The amount of each tax on a tax-excluded base (unrounded)."""
        amounts: list[tuple[Tax, Decimal]] = []
        base = base_tax_excl
        for tax in self.taxes:
            amount = base * abs(tax.rate) / HUNDRED
            amounts.append((tax, amount))
            if self.method is TaxMethod.ONE_AFTER_ANOTHER:
                base += amount
        return tuple(amounts)


# No tax: no rule for the address (PrestaShop then builds an empty calculator with behavior 0)
# or PS_TAX = 0 (no calculator stored; order_detail.tax_computation_method stays 0).
NO_TAX = TaxCalculator((), TaxMethod.ONE_TAX_ONLY)


def tax_calculator(
    rules: Iterable[TaxRule], address: TaxAddress, *, tax_enabled: bool = True
) -> TaxCalculator:
    """The calculator of a tax rules group for an address (PS_TAX is ``tax_enabled``)."""
    if not tax_enabled:
        return NO_TAX
    matching = matching_rules(rules, address)
    if not matching:
        return NO_TAX
    taxes: list[Tax] = []
    for rule in matching:
        taxes.append(rule.tax)
        if rule.behavior == TaxMethod.ONE_TAX_ONLY:
            break
    return TaxCalculator(tuple(taxes), _method(matching[0].behavior))


def matching_rules(rules: Iterable[TaxRule], address: TaxAddress) -> list[TaxRule]:
    """The rules that apply to an address, most specific first."""
    postcode = _zip(address.postcode) or "0"
    found = [
        rule
        for rule in rules
        if rule.id_country == address.id_country
        and rule.id_state in (0, address.id_state)
        and _zip_matches(rule, postcode)
    ]
    return sorted(
        found,
        key=lambda r: (_zip(r.zipcode_from), _zip(r.zipcode_to), r.id_state, r.id_country),
        reverse=True,
    )


def _zip(value: str) -> str:
    return value.strip().upper()


def _zip_matches(rule: TaxRule, postcode: str) -> bool:
    low, high = _zip(rule.zipcode_from), _zip(rule.zipcode_to)
    if low <= postcode <= high:
        return True
    return high in ("", "0") and low in ("", "0", postcode)


def _method(behavior: int) -> TaxMethod:
    try:
        return TaxMethod(behavior)
    except ValueError:
        return TaxMethod.COMBINE
