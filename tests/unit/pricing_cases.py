"""Pricing scenarios with figures worked out by hand from PrestaShop's rules.

Each case is a ticket: products (with their specific prices and taxes) in a customer context,
quantities, the till's discounts, and the expected unit prices (tax excl, tax incl, 6 decimals),
line totals after discounts, ticket totals and tax breakdown (rate, base, quota). The comment
above each case shows the arithmetic (FACTS.md §11, see app/sale/pricing.py and totals.py).
Conventions: "excl"/"incl" = tax excluded/included; unit prices round to 6 decimals with the
shop's mode; default context: shop 1, EUR (precision 2), Spain, customer 42 in group 3, now =
2026-03-15 12:30, PS 8 priorities, round mode half up, round type LINE.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal as D

from app.sale.pricing import Currency, PriceContext, PricingSettings, ProductPricing
from app.sale.rounding import RoundMode, RoundType
from app.sale.specific_prices import PRIORITIES_1_7, SpecificPrice
from app.sale.taxes import TaxAddress, TaxCalculator, TaxRule, tax_calculator
from app.sale.totals import Rounding

ES = 6
MADRID = TaxAddress(ES, 0, "28001")
NOW = datetime(2026, 3, 15, 12, 30)
EUR = Currency(1)
USD = Currency(2, D("1.08"), 2)
CONTEXT = PriceContext(id_shop=1, currency=EUR, id_country=ES, id_group=3, now=NOW, id_customer=42)
SETTINGS = PricingSettings()


def rule(
    rate: str, id_tax: int, behavior: int = 0, zip_from: str = "0", zip_to: str = "0"
) -> TaxRule:
    return TaxRule(ES, 0, zip_from, zip_to, behavior, id_tax, D(rate), f"IVA {rate}%")


IVA21 = tax_calculator([rule("21", 1)], MADRID)
IVA10 = tax_calculator([rule("10", 2)], MADRID)
IVA4 = tax_calculator([rule("4", 3)], MADRID)
EXEMPT = tax_calculator([], MADRID)
RE_COMPOUND = tax_calculator([rule("21", 1, 2), rule("5.2", 4, 2)], MADRID)
RE_COMBINED = tax_calculator([rule("21", 1, 1), rule("5.2", 4, 1)], MADRID)
# Postcodes 28000-28999 at 10 % (only that tax), the rest of Spain at 21 %.
ZONE_RULES = [rule("21", 1), rule("10", 2, 0, "28000", "28999")]


def sp(
    id_sp: int, *, price: str = "-1", pct: str = "", amount: str = "", **kw: object
) -> SpecificPrice:
    """A specific price: a fixed ``price``, a percentage ``pct`` or an ``amount``."""
    kind = "percentage" if pct else "amount"
    return SpecificPrice(
        id_sp,
        price=D(price),
        reduction=D(pct or amount or "0"),
        reduction_type=kind,
        **kw,  # type: ignore[arg-type]
    )


def prod(
    base: str,
    tax: TaxCalculator = IVA21,
    *,
    impact: str = "0",
    pa: int = 0,
    pid: int = 1,
    sps: tuple[SpecificPrice, ...] = (),
    **kw: object,
) -> ProductPricing:
    return ProductPricing(pid, D(base), pa, D(impact), tax, sps, **kw)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Line:
    product: ProductPricing
    quantity: int = 1
    discount: str = "0"


@dataclass(frozen=True)
class Case:
    description: str
    lines: tuple[Line, ...]
    units: tuple[tuple[str, str], ...]  # (excl, incl) per line
    line_totals: tuple[tuple[str, str], ...]  # after the till's discounts
    totals: tuple[str, str]
    breakdown: tuple[tuple[str, str, str], ...]  # (rate, base, quota)
    context: PriceContext = CONTEXT
    settings: PricingSettings = SETTINGS
    rounding: Rounding = Rounding()
    ticket_discount: str = "0"
    fields: dict[str, str] = field(default_factory=dict)  # UnitPrice fields of line 1


# fmt: off
def case(description: str, lines: list[Line], units: list[tuple[str, str]],  # noqa: PLR0917
         line_totals: list[tuple[str, str]], totals: tuple[str, str],
         breakdown: list[tuple[str, str, str]], **kw: object) -> Case:
    return Case(description, tuple(lines), tuple(units), tuple(line_totals), totals,
                tuple(breakdown), **kw)  # type: ignore[arg-type]
# fmt: on


ITEM, LINE, TOTAL = (Rounding(round_type=t) for t in RoundType)


def mode(m: RoundMode) -> tuple[Rounding, PricingSettings]:
    return Rounding(round_mode=m), PricingSettings(round_mode=m)


# Specific prices for the priority cases: customer 42, group 3, Spain (6), shop 1, EUR (1).
BY_GROUP = sp(21, price="8", id_group=3)
BY_COUNTRY = sp(22, price="7", id_country=ES)
BY_SHOP = sp(23, price="9", id_shop=1)
BY_CUSTOMER = sp(24, price="6", id_customer=42)
PRIORITY_ROWS = (BY_SHOP, BY_COUNTRY, BY_GROUP)

# fmt: off
CASES: list[Case] = [
    # 10 × 1,21 = 12,10. Tax 10 × 0,21 = 2,10 = 12,10 − 10,00.
    case("plain 21 %", [Line(prod("10"))], [("10", "12.10")], [("10.00", "12.10")],
         ("10.00", "12.10"), [("21", "10.00", "2.10")]),
    # 0,99 − 0,99 × 0,33 = 0,99 − 0,3267 = 0,6633 → line 0,66. No tax: a 0 % row.
    case("33 % specific price on 0,99 € without tax",
         [Line(prod("0.99", EXEMPT, sps=(sp(1, pct="0.33"),)))], [("0.6633", "0.6633")],
         [("0.66", "0.66")], ("0.66", "0.66"), [("0", "0.66", "0.00")],
         fields={"reduction_percent": "33", "id_specific_price": "1"}),
    # Shelf price 0,99 € incl = 0,818182 excl. excl 0,818182 × 0,67 = 0,54818194 → 0,548182;
    # incl 0,818182 × 1,21 = 0,99000022, × 0,67 = 0,66330015 → 0,663300. Lines 0,55 / 0,66.
    # Tax 0,548182 × 0,21 = 0,11511822 → 0,12, but 0,66 − 0,55 = 0,11: −0,01 spread → 0,11.
    case("33 % specific price on 0,99 € tax incl: tax spread down a cent",
         [Line(prod("0.818182", sps=(sp(1, pct="0.33"),)))], [("0.548182", "0.6633")],
         [("0.55", "0.66")], ("0.55", "0.66"), [("21", "0.55", "0.11")]),
    # 1,15 × 1,21 = 1,3915. ITEM: 1,39 × 3 = 4,17; excl 3,45; tax 0,2415 → 0,24 × 3 = 0,72.
    # The remainder 0,0015 × 3 = 0,0045 stays under half a cent: all round types say 4,17.
    case("3 × 1,15 € at 21 %, round each item", [Line(prod("1.15"), 3)], [("1.15", "1.3915")],
         [("3.45", "4.17")], ("3.45", "4.17"), [("21", "3.45", "0.72")], rounding=ITEM),
    # LINE: 1,3915 × 3 = 4,1745 → 4,17; tax 0,2415 × 3 = 0,7245 → 0,72.
    case("3 × 1,15 € at 21 %, round each line", [Line(prod("1.15"), 3)], [("1.15", "1.3915")],
         [("3.45", "4.17")], ("3.45", "4.17"), [("21", "3.45", "0.72")], rounding=LINE),
    # TOTAL: line kept as 4,1745; total 4,17; tax 0,7245 → 0,72.
    case("3 × 1,15 € at 21 %, round the total", [Line(prod("1.15"), 3)], [("1.15", "1.3915")],
         [("3.45", "4.1745")], ("3.45", "4.17"), [("21", "3.45", "0.72")], rounding=TOTAL),
    # 1,17 × 1,21 = 1,4157. ITEM: 1,42 × 3 = 4,26 (remainder 0,0043 × 3 rounds up three times);
    # tax 1,17 × 0,21 = 0,2457 → 0,25 × 3 = 0,75 = 4,26 − 3,51.
    case("3 × 1,17 € at 21 %, round each item: 4,26", [Line(prod("1.17"), 3)],
         [("1.17", "1.4157")], [("3.51", "4.26")], ("3.51", "4.26"), [("21", "3.51", "0.75")],
         rounding=ITEM),
    # LINE: 1,4157 × 3 = 4,2471 → 4,25; tax 0,2457 × 3 = 0,7371 → 0,74 = 4,25 − 3,51.
    case("3 × 1,17 € at 21 %, round each line: 4,25", [Line(prod("1.17"), 3)],
         [("1.17", "1.4157")], [("3.51", "4.25")], ("3.51", "4.25"), [("21", "3.51", "0.74")],
         rounding=LINE),
    # Three lines of 1: LINE rounds each 1,4157 → 1,42: 4,26; tax 0,25 × 3 = 0,75.
    case("three lines of 1,17 € at 21 %, round each line: 4,26",
         [Line(prod("1.17", pid=n)) for n in (1, 2, 3)], [("1.17", "1.4157")] * 3,
         [("1.17", "1.42")] * 3, ("3.51", "4.26"), [("21", "3.51", "0.75")], rounding=LINE),
    # TOTAL: 1,4157 × 3 = 4,2471 → 4,25; tax 0,2457 × 3 = 0,7371 → 0,74.
    case("three lines of 1,17 € at 21 %, round the total: 4,25",
         [Line(prod("1.17", pid=n)) for n in (1, 2, 3)], [("1.17", "1.4157")] * 3,
         [("1.17", "1.4157")] * 3, ("3.51", "4.25"), [("21", "3.51", "0.74")], rounding=TOTAL),
    # from_quantity 2 > 1 unit: no specific price; 10 / 12,10.
    case("10 % from 2 units: 1 unit pays full price",
         [Line(prod("10", sps=(sp(11, pct="0.1", from_quantity=2),)))], [("10", "12.10")],
         [("10.00", "12.10")], ("10.00", "12.10"), [("21", "10.00", "2.10")],
         fields={"id_specific_price": "0"}),
    # 2 units: 10 × 0,9 = 9; 12,10 × 0,9 = 10,89; lines 18,00 / 21,78; tax 1,89 × 2 = 3,78.
    # original_product_price is priced for 1 unit: no specific price, 10.
    case("10 % from 2 units: 2 units",
         [Line(prod("10", sps=(sp(11, pct="0.1", from_quantity=2),)), 2)], [("9", "10.89")],
         [("18.00", "21.78")], ("18.00", "21.78"), [("21", "18.00", "3.78")],
         fields={"id_specific_price": "11", "reduction_percent": "10",
                 "quantity_discount_applied": "True", "original_tax_excl": "10"}),
    # Two combinations of the same product, 1 unit each: the product counts 2 → both 9 / 10,89.
    case("10 % from 2 units counted over the product's combinations",
         [Line(prod("10", pa=a, sps=(sp(11, pct="0.1", from_quantity=2),))) for a in (7, 8)],
         [("9", "10.89")] * 2, [("9.00", "10.89")] * 2, ("18.00", "21.78"),
         [("21", "18.00", "3.78")]),
    # PS_QTY_DISCOUNT_ON_COMBINATION: each combination counts 1 → 10 / 12,10 each.
    case("10 % from 2 units counted per combination",
         [Line(prod("10", pa=a, sps=(sp(11, pct="0.1", from_quantity=2),))) for a in (7, 8)],
         [("10", "12.10")] * 2, [("10.00", "12.10")] * 2, ("20.00", "24.20"),
         [("21", "20.00", "4.20")], settings=PricingSettings(qty_discount_on_combination=True)),
    # Fixed 18 for combination 7: impact +5 not added; 18 × 1,21 = 21,78; tax 3,78.
    case("fixed price on the combination: impact not added",
         [Line(prod("20", impact="5", pa=7, sps=(sp(2, price="18", id_product_attribute=7),)))],
         [("18", "21.78")], [("18.00", "21.78")], ("18.00", "21.78"), [("21", "18.00", "3.78")],
         fields={"original_tax_excl": "18"}),
    # Fixed 18 for all combinations: 18 + 5 = 23; 23 × 1,21 = 27,83; tax 4,83.
    case("fixed price for all combinations: impact added",
         [Line(prod("20", impact="5", pa=7, sps=(sp(2, price="18"),)))], [("23", "27.83")],
         [("23.00", "27.83")], ("23.00", "27.83"), [("21", "23.00", "4.83")]),
    # 20 − 3,50 = 16,50; × 1,21 = 19,965 → 19,97 (half up); tax 3,465 → 3,47 = 19,97 − 16,50.
    case("combination with a negative impact", [Line(prod("20", impact="-3.5", pa=7))],
         [("16.5", "19.965")], [("16.50", "19.97")], ("16.50", "19.97"), [("21", "16.50", "3.47")]),
    # Same, half even: 19,965 → 19,96 (6 is even); tax 3,465 → 3,46 = 19,96 − 16,50.
    case("combination with a negative impact, half even", [Line(prod("20", impact="-3.5", pa=7))],
         [("16.5", "19.965")], [("16.50", "19.96")], ("16.50", "19.96"), [("21", "16.50", "3.46")],
         rounding=mode(RoundMode.HALF_EVEN)[0], settings=mode(RoundMode.HALF_EVEN)[1]),
    # Amount 1,00 tax incl: incl 12,10 − 1 = 11,10; excl 10 − 1 / 1,21 = 10 − 0,82644628
    # = 9,17355372 → 9,173554; line 9,17; tax 9,173554 × 0,21 = 1,92644634 → 1,93 = 11,10 − 9,17.
    # order_detail: reduction_amount_tax_excl = 0,826446 → 0,83.
    case("1 € off, tax included", [Line(prod("10", sps=(sp(3, amount="1", reduction_tax=True),)))],
         [("9.173554", "11.10")], [("9.17", "11.10")], ("9.17", "11.10"), [("21", "9.17", "1.93")],
         fields={"reduction_amount": "1", "reduction_amount_tax_incl": "1",
                 "reduction_amount_tax_excl": "0.83"}),
    # Amount 1,00 tax excl: excl 10 − 1 = 9; incl 12,10 − 1 × 1,21 = 10,89; tax 1,89.
    case("1 € off, tax excluded", [Line(prod("10", sps=(sp(3, amount="1", reduction_tax=False),)))],
         [("9", "10.89")], [("9.00", "10.89")], ("9.00", "10.89"), [("21", "9.00", "1.89")],
         fields={"reduction_amount_tax_incl": "1.21", "reduction_amount_tax_excl": "1"}),
    # Scores (PS 8: customer 32, group 16, currency 8, country 4, shop 2): group row 16,
    # country row 4, shop row 2 → group's 8; 8 × 1,21 = 9,68; tax 1,68.
    case("priority PS 8: group beats country and shop",
         [Line(prod("10", sps=PRIORITY_ROWS))], [("8", "9.68")], [("8.00", "9.68")],
         ("8.00", "9.68"), [("21", "8.00", "1.68")], fields={"id_specific_price": "21"}),
    # PS 1.7 priorities (shop 16, currency 8, country 4, group 2): shop's 9; 10,89; tax 1,89.
    case("priority PS 1.7: shop beats country and group",
         [Line(prod("10", sps=PRIORITY_ROWS))], [("9", "10.89")], [("9.00", "10.89")],
         ("9.00", "10.89"), [("21", "9.00", "1.89")],
         settings=PricingSettings(specific_price_priorities=PRIORITIES_1_7)),
    # The product's own priority list puts the country first (16): country's 7; 8,47; 1,47.
    case("product priority: country first",
         [Line(prod("10", sps=PRIORITY_ROWS,
                    priorities=("id_country", "id_shop", "id_currency", "id_group")))],
         [("7", "8.47")], [("7.00", "8.47")], ("7.00", "8.47"), [("21", "7.00", "1.47")]),
    # The customer's own price scores 32, more than any other match: 6; 7,26; tax 1,26.
    case("customer's own price beats group, country and shop",
         [Line(prod("10", sps=(*PRIORITY_ROWS, BY_CUSTOMER)))], [("6", "7.26")],
         [("6.00", "7.26")], ("6.00", "7.26"), [("21", "6.00", "1.26")]),
    # Rows for the exact combination sort first, before any score: 10 × 0,9 = 9 beats the
    # customer's 6; 12,10 × 0,9 = 10,89.
    case("a combination's row beats even the customer's price",
         [Line(prod("10", pa=7, sps=(BY_CUSTOMER, sp(25, pct="0.1", id_product_attribute=7))))],
         [("9", "10.89")], [("9.00", "10.89")], ("9.00", "10.89"), [("21", "9.00", "1.89")]),
    # from_quantity sorts before the score: at 2 units the all-groups 8,50 beats the group's 8.
    # 8,50 × 1,21 = 10,285; × 2 = 20,57; tax 1,785 × 2 = 3,57.
    case("quantity step beats a better score",
         [Line(prod("10", sps=(BY_GROUP, sp(26, price="8.5", from_quantity=2))), 2)],
         [("8.5", "10.285")], [("17.00", "20.57")], ("17.00", "20.57"), [("21", "17.00", "3.57")]),
    # A manual row (rule 0) sorts before a catalog price rule's row: 10 % beats 20 %.
    case("manual specific price beats a catalog price rule",
         [Line(prod("10", sps=(sp(31, pct="0.2", id_specific_price_rule=5), sp(32, pct="0.1"))))],
         [("9", "10.89")], [("9.00", "10.89")], ("9.00", "10.89"), [("21", "9.00", "1.89")]),
    # Ended 12:29 and starting tomorrow: neither applies at 12:30 → 10 / 12,10.
    case("expired and future specific prices are ignored",
         [Line(prod("10", sps=(sp(27, price="5", date_to=datetime(2026, 3, 15, 12, 29)),
                               sp(28, price="4", date_from=datetime(2026, 3, 16)))))],
         [("10", "12.10")], [("10.00", "12.10")], ("10.00", "12.10"), [("21", "10.00", "2.10")]),
    # At 12:30:45 (compared as 12:30) a row ending 12:30 still applies, and sorts before an
    # open-ended one ("to" descending, zero date last): 7; 8,47; tax 1,47.
    case("specific price ending this minute beats an open-ended one",
         [Line(prod("10", sps=(sp(29, price="9", date_from=datetime(2026, 3, 1)),
                               sp(30, price="7", date_to=datetime(2026, 3, 15, 12, 30)))))],
         [("7", "8.47")], [("7.00", "8.47")], ("7.00", "8.47"), [("21", "7.00", "1.47")],
         context=PriceContext(1, EUR, ES, 3, datetime(2026, 3, 15, 12, 30, 45), 42)),
    # Category reduction 5 % beats the group's 10 %: 20 × 0,95 = 19; 24,20 × 0,95 = 22,99.
    # order_detail.group_reduction stores group.reduction (10); original price 19 (it
    # includes the group reduction, as OrderDetail computes it).
    case("group reduction of the category beats the group's",
         [Line(prod("20", category_reduction=D("0.05")))], [("19", "22.99")],
         [("19.00", "22.99")], ("19.00", "22.99"), [("21", "19.00", "3.99")],
         context=PriceContext(1, EUR, ES, 3, NOW, 42, D("10")),
         fields={"group_reduction": "10", "original_tax_excl": "19"}),
    # Group 10 %: 20 × 0,9 = 18; 24,20 × 0,9 = 21,78; tax 3,78.
    case("group reduction of the group", [Line(prod("20"))], [("18", "21.78")],
         [("18.00", "21.78")], ("18.00", "21.78"), [("21", "18.00", "3.78")],
         context=PriceContext(1, EUR, ES, 3, NOW, 42, D("10"))),
    # PS_GROUP_FEATURE_ACTIVE = 0: no group reduction at all: 20 / 24,20.
    case("group feature off: no group reduction", [Line(prod("20", category_reduction=D("0.05")))],
         [("20", "24.20")], [("20.00", "24.20")], ("20.00", "24.20"), [("21", "20.00", "4.20")],
         context=PriceContext(1, EUR, ES, 3, NOW, 42, D("10")),
         settings=PricingSettings(group_feature_active=False)),
    # Bread 0,96 @4 % × 3: incl 0,9984; lines 2,88 / 2,9952 → 3,00; tax 0,0384 × 3 = 0,1152 → 0,12.
    # Coffee 4,50 @10 % × 2: 4,95; lines 9,00 / 9,90; tax 0,90.
    # Wine 8,26 @21 %: 9,9946; lines 8,26 / 9,99; tax 1,7346 → 1,73.
    # Totals 20,14 / 22,89; taxes 0,12 + 0,90 + 1,73 = 2,75 = 22,89 − 20,14.
    case("mixed 4 %, 10 % and 21 % ticket",
         [Line(prod("0.96", IVA4, pid=1), 3), Line(prod("4.5", IVA10, pid=2), 2),
          Line(prod("8.26", pid=3))],
         [("0.96", "0.9984"), ("4.5", "4.95"), ("8.26", "9.9946")],
         [("2.88", "3.00"), ("9.00", "9.90"), ("8.26", "9.99")], ("20.14", "22.89"),
         [("21", "8.26", "1.73"), ("10", "9.00", "0.90"), ("4", "2.88", "0.12")]),
    # PS_TAX = 0: the calculator is empty; incl = excl = 10; a 0 % row.
    case("taxes disabled (PS_TAX = 0)",
         [Line(prod("10", tax_calculator([rule("21", 1)], MADRID, tax_enabled=False)))],
         [("10", "10")], [("10.00", "10.00")], ("10.00", "10.00"), [("0", "10.00", "0.00")]),
    # One after another: (1,21 × 1,052 − 1) = 27,292 %: 127,292 → 127,29; taxes 21,00 and
    # 121 × 0,052 = 6,292 → 6,29; 27,29 = 127,29 − 100.
    case("compound taxes (behavior 2)", [Line(prod("100", RE_COMPOUND))], [("100", "127.292")],
         [("100.00", "127.29")], ("100.00", "127.29"),
         [("21", "100.00", "21.00"), ("5.2", "100.00", "6.29")]),
    # Combined: 21 + 5,2 = 26,2 %: 126,20; taxes 21,00 and 5,20.
    case("combined taxes (behavior 1)", [Line(prod("100", RE_COMBINED))], [("100", "126.2")],
         [("100.00", "126.20")], ("100.00", "126.20"),
         [("21", "100.00", "21.00"), ("5.2", "100.00", "5.20")]),
    # Postcode 28001 is in the 28000-28999 rule (more specific, behavior 0): 10 % only: 11,00.
    case("postcode range rule wins over the country rule",
         [Line(prod("10", tax_calculator(ZONE_RULES, MADRID)))], [("10", "11")],
         [("10.00", "11.00")], ("10.00", "11.00"), [("10", "10.00", "1.00")]),
    # Postcode 08001 is outside the range: the country rule, 21 %: 12,10.
    case("postcode outside the range gets the country rule",
         [Line(prod("10", tax_calculator(ZONE_RULES, TaxAddress(ES, 0, "08001"))))],
         [("10", "12.10")], [("10.00", "12.10")], ("10.00", "12.10"), [("21", "10.00", "2.10")]),
    # USD at 1,08: 10 × 1,08 = 10,80; × 1,21 = 13,068 → 13,07; tax 2,268 → 2,27.
    case("currency conversion", [Line(prod("10"))], [("10.8", "13.068")], [("10.80", "13.07")],
         ("10.80", "13.07"), [("21", "10.80", "2.27")],
         context=PriceContext(1, USD, ES, 3, NOW, 42)),
    # Fixed 11 in USD itself: not converted; 11 × 1,21 = 13,31; tax 2,31.
    case("fixed price in the ticket's currency is not converted",
         [Line(prod("10", sps=(sp(5, price="11", id_currency=2),)))], [("11", "13.31")],
         [("11.00", "13.31")], ("11.00", "13.31"), [("21", "11.00", "2.31")],
         context=PriceContext(1, USD, ES, 3, NOW, 42)),
    # 1 € excl off for any currency: converted 1,08. excl 10,80 − 1,08 = 9,72; incl 13,068 −
    # 1,08 × 1,21 (1,3068) = 11,7612 → 11,76; tax 9,72 × 0,21 = 2,0412 → 2,04 = 11,76 − 9,72.
    case("amount off in all currencies is converted",
         [Line(prod("10", sps=(sp(6, amount="1", reduction_tax=False),)))], [("9.72", "11.7612")],
         [("9.72", "11.76")], ("9.72", "11.76"), [("21", "9.72", "2.04")],
         context=PriceContext(1, USD, ES, 3, NOW, 42),
         fields={"reduction_amount": "1.08", "reduction_amount_tax_incl": "1.31"}),
    # 15 € incl off 10 €: incl 12,10 − 15 < 0 → 0; excl 10 − 12,396694 < 0 → 0.
    case("price below zero is clamped to 0",
         [Line(prod("10", sps=(sp(7, amount="15"),)))], [("0", "0")], [("0.00", "0.00")],
         ("0.00", "0.00"), [("21", "0.00", "0.00")]),
    # 100 %: 10 − 10 = 0.
    case("100 % specific price", [Line(prod("10", sps=(sp(8, pct="1"),)))], [("0", "0")],
         [("0.00", "0.00")], ("0.00", "0.00"), [("21", "0.00", "0.00")],
         fields={"reduction_percent": "100"}),
    # The till's 100 % line discount: unit stays 10 / 12,10, the line is 0 (gross 10 / 12,10).
    case("100 % till discount on a line", [Line(prod("10"), 1, "100")], [("10", "12.10")],
         [("0.00", "0.00")], ("0.00", "0.00"), [("21", "0.00", "0.00")]),
    # Line 1: 10 @21 % × 3, −10 % then −5 % (ticket): factor 0,855: 30 × 0,855 = 25,65;
    # 36,30 × 0,855 = 31,0365 → 31,04. Line 2: 4,50 @10 %, −5 %: 4,275 → 4,28; 4,95 × 0,95
    # = 4,7025 → 4,70. Totals 29,93 / 35,74. Taxes: 8,55 × 0,21 × 3 = 5,3865 → 5,39;
    # 4,275 × 0,10 = 0,4275 → 0,43; 5,82 vs 35,74 − 29,93 = 5,81: −0,01 to the largest → 5,38.
    case("line and ticket discounts, round each line",
         [Line(prod("10", pid=1), 3, "10"), Line(prod("4.5", IVA10, pid=2))],
         [("10", "12.10"), ("4.5", "4.95")], [("25.65", "31.04"), ("4.28", "4.70")],
         ("29.93", "35.74"), [("21", "25.65", "5.38"), ("10", "4.28", "0.43")],
         ticket_discount="5"),
    # ITEM, −10 %: unit 1,17 × 0,9 = 1,053 → 1,05 × 3 = 3,15; 1,4157 × 0,9 = 1,27413 → 1,27
    # × 3 = 3,81; tax 1,053 × 0,21 = 0,22113 → 0,22 × 3 = 0,66 = 3,81 − 3,15.
    case("line discount, round each item", [Line(prod("1.17"), 3, "10")], [("1.17", "1.4157")],
         [("3.15", "3.81")], ("3.15", "3.81"), [("21", "3.15", "0.66")], rounding=ITEM),
    # TOTAL, ticket −15 % (factor 0,85): 1,17 × 3 × 0,85 = 2,9835 / 4,2471 × 0,85 = 3,610035;
    # 0,96 × 3 × 0,85 = 2,448 / 2,9952 × 0,85 = 2,54592. Totals 5,4315 → 5,43 / 6,155955 → 6,16.
    # Taxes 0,9945 × 0,21 × 3 = 0,626535 → 0,63; 0,816 × 0,04 × 3 = 0,09792 → 0,10; 0,73 =
    # 6,16 − 5,43. Bases 2,9835 → 2,98 and 2,448 → 2,45: 5,43.
    case("ticket discount, round the total",
         [Line(prod("1.17", pid=1), 3), Line(prod("0.96", IVA4, pid=2), 3)],
         [("1.17", "1.4157"), ("0.96", "0.9984")], [("2.9835", "3.610035"), ("2.448", "2.54592")],
         ("5.43", "6.16"), [("21", "2.98", "0.63"), ("4", "2.45", "0.10")],
         rounding=TOTAL, ticket_discount="15"),
    # PS_SPECIFIC_PRICE_FEATURE_ACTIVE = 0: the 50 % row is ignored: 10 / 12,10.
    case("specific prices disabled", [Line(prod("10", sps=(sp(9, pct="0.5"),)))],
         [("10", "12.10")], [("10.00", "12.10")], ("10.00", "12.10"), [("21", "10.00", "2.10")],
         settings=PricingSettings(specific_prices_active=False)),
    # Round up also applies at 6 decimals: 0,818182 × 1,21 = 0,99000022 → 0,990001; the line
    # → 1,00 (and excl 0,818182 → 0,82): a 0,99 € shelf price sells at 1,00 €. Tax 0,17181822
    # → 0,18 = 1,00 − 0,82.
    case("round up: 0,99 € incl becomes 1,00 €", [Line(prod("0.818182"))],
         [("0.818182", "0.990001")], [("0.82", "1.00")], ("0.82", "1.00"),
         [("21", "0.82", "0.18")], rounding=mode(RoundMode.UP)[0], settings=mode(RoundMode.UP)[1]),
]

# 2,50 @21 % = 3,025 exactly, tax 0,525: each PS_PRICE_ROUND_MODE on the tie.
#   up 3,03 / 0,53; down 3,02 / 0,52; half up 3,03 / 0,53; half down 3,02 / 0,52;
#   half even 3,02 / 0,52 (2 is even); half odd 3,03 / 0,53 (2 is even → 3).
for _mode, _incl, _tax in [
    (RoundMode.UP, "3.03", "0.53"),
    (RoundMode.DOWN, "3.02", "0.52"),
    (RoundMode.HALF_UP, "3.03", "0.53"),
    (RoundMode.HALF_DOWN, "3.02", "0.52"),
    (RoundMode.HALF_EVEN, "3.02", "0.52"),
    (RoundMode.HALF_ODD, "3.03", "0.53"),
]:
    CASES.append(
        case(f"2,50 € at 21 % = 3,025, {_mode.name.lower().replace('_', ' ')}",
             [Line(prod("2.5"))], [("2.5", "3.025")], [("2.50", _incl)], ("2.50", _incl),
             [("21", "2.50", _tax)], rounding=mode(_mode)[0], settings=mode(_mode)[1])
    )

# ps_round(value, 2, mode) on ties, negatives and a non-tie (Tools::ps_round):
# up = ceil (towards +∞), down = floor (towards −∞), half modes symmetric around zero.
ROUNDING_CASES: list[tuple[str, RoundMode, str]] = [
    ("1.005", RoundMode.UP, "1.01"), ("1.015", RoundMode.UP, "1.02"),
    ("-1.005", RoundMode.UP, "-1.00"), ("-1.015", RoundMode.UP, "-1.01"),
    ("1.0049", RoundMode.UP, "1.01"), ("1.1", RoundMode.UP, "1.10"),
    ("1.005", RoundMode.DOWN, "1.00"), ("1.015", RoundMode.DOWN, "1.01"),
    ("-1.005", RoundMode.DOWN, "-1.01"), ("-1.015", RoundMode.DOWN, "-1.02"),
    ("1.0049", RoundMode.DOWN, "1.00"), ("-0.001", RoundMode.UP, "0.00"),
    ("1.005", RoundMode.HALF_UP, "1.01"), ("1.015", RoundMode.HALF_UP, "1.02"),
    ("-1.005", RoundMode.HALF_UP, "-1.01"), ("-1.015", RoundMode.HALF_UP, "-1.02"),
    ("1.0049", RoundMode.HALF_UP, "1.00"), ("2.675", RoundMode.HALF_UP, "2.68"),
    ("1.005", RoundMode.HALF_DOWN, "1.00"), ("1.015", RoundMode.HALF_DOWN, "1.01"),
    ("-1.005", RoundMode.HALF_DOWN, "-1.00"), ("-1.015", RoundMode.HALF_DOWN, "-1.01"),
    ("1.0051", RoundMode.HALF_DOWN, "1.01"), ("1.0049", RoundMode.HALF_DOWN, "1.00"),
    ("1.005", RoundMode.HALF_EVEN, "1.00"), ("1.015", RoundMode.HALF_EVEN, "1.02"),
    ("-1.005", RoundMode.HALF_EVEN, "-1.00"), ("-1.015", RoundMode.HALF_EVEN, "-1.02"),
    ("1.005", RoundMode.HALF_ODD, "1.01"), ("1.015", RoundMode.HALF_ODD, "1.01"),
    ("-1.005", RoundMode.HALF_ODD, "-1.01"), ("-1.015", RoundMode.HALF_ODD, "-1.01"),
    ("1.0151", RoundMode.HALF_ODD, "1.02"), ("1.0149", RoundMode.HALF_ODD, "1.01"),
]
# fmt: on
