"""Pricing as PrestaShop computes it: the scenario table, rounding, tax rules, properties."""

from __future__ import annotations

import random
from datetime import datetime
from decimal import Decimal as D

import pytest

from app.sale.pricing import (
    PriceContext,
    PricingSettings,
    ProductPricing,
    UnitPrice,
    unit_price,
    unit_prices,
)
from app.sale.rounding import RoundMode, RoundType, ps_round, spread_amount
from app.sale.specific_prices import parse_priorities
from app.sale.taxes import NO_TAX, TaxAddress, TaxMethod, TaxRule, tax_calculator
from app.sale.totals import LineInput, Rounding, TicketTotals, ticket_totals
from tests.unit.pricing_cases import (
    CASES,
    CONTEXT,
    ES,
    IVA4,
    IVA10,
    IVA21,
    RE_COMBINED,
    RE_COMPOUND,
    ROUNDING_CASES,
    Case,
    prod,
    sp,
)


def run(c: Case) -> tuple[tuple[UnitPrice, ...], TicketTotals]:
    units = unit_prices([(ln.product, ln.quantity) for ln in c.lines], c.context, c.settings)
    inputs = [
        LineInput(u.tax_excl, u.tax_incl, ln.quantity, ln.product.tax, D(ln.discount))
        for u, ln in zip(units, c.lines, strict=True)
    ]
    return units, ticket_totals(inputs, c.rounding, D(c.ticket_discount))


def test_the_table_is_big_enough() -> None:
    assert len(CASES) >= 30
    assert len({c.description for c in CASES}) == len(CASES)


@pytest.mark.parametrize("c", CASES, ids=[c.description for c in CASES])
def test_case(c: Case) -> None:
    units, totals = run(c)
    assert [(u.tax_excl, u.tax_incl) for u in units] == [(D(a), D(b)) for a, b in c.units]
    got_lines = [(ln.total_tax_excl, ln.total_tax_incl) for ln in totals.lines]
    assert got_lines == [(D(a), D(b)) for a, b in c.line_totals]
    assert (totals.total_tax_excl, totals.total_tax_incl) == (D(c.totals[0]), D(c.totals[1]))
    got_breakdown = [(r.rate, r.base, r.quota) for r in totals.breakdown]
    assert got_breakdown == [(D(a), D(b), D(q)) for a, b, q in c.breakdown]
    for name, expected in c.fields.items():
        assert str(getattr(units[0], name)) == expected or getattr(units[0], name) == D(expected)


@pytest.mark.parametrize(("value", "mode", "expected"), ROUNDING_CASES)
def test_ps_round(value: str, mode: RoundMode, expected: str) -> None:
    result = ps_round(D(value), 2, mode)
    assert result == D(expected)
    assert str(result) == expected  # two places, never "-0.00"


def test_unknown_round_mode_is_half_up() -> None:
    assert ps_round(D("1.005"), 2, 9) == D("1.01")


def test_spread_amount_gives_the_remainder_to_the_largest_rows() -> None:
    # 5 cents over 3 rows: 1 each, and the remaining 2 to the two largest.
    assert spread_amount(D("0.05"), 2, [D("1"), D("3"), D("2")]) == [
        D("1.01"),
        D("3.02"),
        D("2.02"),
    ]
    # PHP's % keeps the sign: −5 = 3 × (−1) − 2.
    assert spread_amount(D("-0.05"), 2, [D("1"), D("3"), D("2")]) == [
        D("0.99"),
        D("2.98"),
        D("1.98"),
    ]


# -- tax rules ------------------------------------------------------------------------------


def _rule(id_tax: int, rate: str, state: int = 0, zips: tuple[str, str] = ("0", "0"), b: int = 0):  # type: ignore[no-untyped-def]
    return TaxRule(ES, state, zips[0], zips[1], b, id_tax, D(rate), f"T{id_tax}")


def test_state_rule_beats_country_rule() -> None:
    rules = [_rule(1, "21"), _rule(9, "7", state=35)]
    assert tax_calculator(rules, TaxAddress(ES, 35, "35001")).total_rate == D("7")
    assert tax_calculator(rules, TaxAddress(ES, 28, "28001")).total_rate == D("21")


def test_rules_of_other_countries_do_not_apply() -> None:
    assert tax_calculator([_rule(1, "21")], TaxAddress(8, 0, "75001")) == NO_TAX


def test_single_postcode_rule() -> None:
    rules = [_rule(1, "21"), _rule(2, "10", zips=("28001", "0"))]
    assert tax_calculator(rules, TaxAddress(ES, 0, "28001")).total_rate == D("10")
    assert tax_calculator(rules, TaxAddress(ES, 0, "28002")).total_rate == D("21")


def test_combining_stops_after_a_this_tax_only_rule() -> None:
    # Most specific first: zip rule (combine), state rule (this tax only), country rule.
    rules = [_rule(1, "21"), _rule(2, "1", zips=("28000", "28999"), b=1), _rule(3, "2", 28)]
    calc = tax_calculator(rules, TaxAddress(ES, 28, "28001"))
    assert [t.id_tax for t in calc.taxes] == [2, 3]
    assert calc.method is TaxMethod.COMBINE
    assert calc.total_rate == D("3")


def test_calculator_amounts() -> None:
    assert RE_COMPOUND.total_rate == D("27.292")
    assert [a for _, a in RE_COMPOUND.tax_amounts(D("100"))] == [D("21"), D("6.292")]
    assert RE_COMBINED.name == "IVA 21% - IVA 5.2%"
    assert IVA21.remove_taxes(D("12.10")) == D("10")


# -- specific prices ----------------------------------------------------------------------


def test_priorities_parse() -> None:
    assert parse_priorities("id_group;id_currency;id_country;id_shop") == (
        "id_group",
        "id_currency",
        "id_country",
        "id_shop",
    )
    assert parse_priorities("") is None
    with pytest.raises(ValueError, match="unknown"):
        parse_priorities("id_group;price")


def test_other_customer_group_shop_or_product_rows_never_apply() -> None:
    rows = (
        sp(1, price="1", id_customer=7),
        sp(2, price="1", id_group=4),
        sp(3, price="1", id_shop=2),
        sp(4, price="1", id_product=99),
        sp(5, price="1", id_product_attribute=8),
        sp(6, price="1", id_currency=2),
        sp(7, price="1", id_cart=5),
    )
    result = unit_price(prod("10", pa=7, sps=rows), CONTEXT, PricingSettings())
    assert (result.tax_excl, result.id_specific_price) == (D("10"), 0)


def test_invalid_discount_is_refused() -> None:
    with pytest.raises(ValueError, match="percentage"):
        ticket_totals([LineInput(D("1"), D("1"), 1, NO_TAX, D("101"))], Rounding())


# -- properties over seeded random tickets ------------------------------------------------


def _random_product(rnd: random.Random, pid: int) -> ProductPricing:
    tax = rnd.choice([IVA4, IVA10, IVA21, RE_COMPOUND, RE_COMBINED, NO_TAX])
    rows = []
    if rnd.random() < 0.5:
        kind = rnd.choice(["pct", "amount", "price"])
        value = str(D(rnd.randint(1, 99)) / (100 if kind == "pct" else 10))
        rows.append(sp(pid, **{kind: value}, reduction_tax=rnd.random() < 0.5))  # type: ignore[arg-type]
    price = str(D(rnd.randint(1, 50000)) / 1000)
    impact = str(D(rnd.randint(-500, 500)) / 1000) if rnd.random() < 0.3 else "0"
    return prod(price, tax, impact=impact, pa=1 if impact != "0" else 0, pid=pid, sps=tuple(rows))


def _random_ticket(rnd: random.Random) -> tuple[list[LineInput], Rounding, D, list[UnitPrice]]:
    mode = rnd.choice(list(RoundMode))
    rounding = Rounding(rnd.choice(list(RoundType)), mode, rnd.choice([0, 2, 3]))
    context = PriceContext(
        1, CONTEXT.currency, ES, 3, datetime(2026, 1, 1), 42, D(rnd.randint(0, 3))
    )
    products = [_random_product(rnd, pid) for pid in range(1, rnd.randint(1, 6) + 1)]
    lines = [(p, rnd.randint(1, 12)) for p in products]
    units = list(unit_prices(lines, context, PricingSettings(round_mode=mode)))
    inputs = [
        LineInput(u.tax_excl, u.tax_incl, q, p.tax, D(rnd.choice([0, 0, 5, 10, 33, 100])))
        for u, (p, q) in zip(units, lines, strict=True)
    ]
    return inputs, rounding, D(rnd.choice([0, 0, 3, 7.5, 50])), units


def test_properties_of_random_tickets() -> None:
    rnd = random.Random(20260315)
    for _ in range(600):
        inputs, rounding, discount, units = _random_ticket(rnd)
        totals = ticket_totals(inputs, rounding, discount)
        for u in units:
            assert u.tax_incl >= u.tax_excl >= 0
        for line in totals.lines:
            assert line.total_tax_incl >= line.total_tax_excl >= 0
            assert line.gross_tax_excl >= line.total_tax_excl
        quotas = sum((r.quota for r in totals.breakdown), D(0))
        assert quotas == totals.total_tax_incl - totals.total_tax_excl
        per_tax: dict[int, D] = {}
        for tax in (t for ln in totals.lines for t in ln.taxes):
            per_tax[tax.id_tax] = per_tax.get(tax.id_tax, D(0)) + tax.total_amount
        assert sum((rounding.round(v) for v in per_tax.values()), D(0)) == quotas
        single_tax = all(len(i.tax.taxes) <= 1 for i in inputs)
        if single_tax:
            assert sum((r.base for r in totals.breakdown), D(0)) == totals.total_tax_excl
        if rounding.round_type is not RoundType.TOTAL:
            assert totals.total_tax_excl == sum((ln.total_tax_excl for ln in totals.lines), D(0))
            assert totals.total_tax_incl == sum((ln.total_tax_incl for ln in totals.lines), D(0))
            assert totals.products_tax_incl == sum((ln.gross_tax_incl for ln in totals.lines), D(0))


def test_round_type_line_totals_are_the_sum_of_rounded_lines() -> None:
    rnd = random.Random(7)
    for _ in range(300):
        inputs, _, discount, _ = _random_ticket(rnd)
        totals = ticket_totals(inputs, Rounding(RoundType.LINE), discount)
        for line_input, line in zip(inputs, totals.lines, strict=True):
            factor = (1 - line_input.discount_percent / 100) * (1 - discount / 100)
            raw = line_input.unit_tax_incl * line_input.quantity * factor
            assert line.total_tax_incl == ps_round(raw, 2)
        assert totals.total_tax_incl == sum((ln.total_tax_incl for ln in totals.lines), D(0))


def test_item_rounding_multiplies_the_rounded_unit() -> None:
    totals = ticket_totals([LineInput(D("1.15"), D("1.3915"), 3, IVA21)], Rounding(RoundType.ITEM))
    assert totals.lines[0].total_tax_incl == D("1.39") * 3
    assert totals.lines[0].taxes[0].unit_amount == D("0.24")
    assert totals.lines[0].taxes[0].total_amount == D("0.72")
