"""The unit price of a product for a customer, exactly as PrestaShop computes it.

Pure functions on frozen dataclasses, ``Decimal`` only, no I/O: the catalog pull fills the
inputs from the shop database (FACTS.md §11). The pieces:

* ``app/sale/rounding.py``: PS_PRICE_ROUND_MODE / PS_ROUND_TYPE, ``ps_round``;
* ``app/sale/taxes.py``: tax rules of an address → tax calculator;
* ``app/sale/specific_prices.py``: which specific_price row wins;
* this module: ``unit_price`` (Product::priceCalculation and what OrderDetail stores);
* ``app/sale/totals.py``: line and ticket totals per PS_ROUND_TYPE, the till's percentage
  discounts and the tax breakdown (order_detail_tax).

``price_calculation`` follows classes/Product.php ``priceCalculation``: the base price
(product_shop.price) or the specific price's fixed price; converted with the currency's rate
unless that fixed price is in the ticket's currency; plus the combination impact unless a
fixed price targets this very combination; taxes added (for the tax-incl price); minus the
specific price reduction (percentage of the price so far, or an amount with or without tax,
converted when the row has no currency); minus the group reduction (the product's
default-category reduction for the group if there is one, else group.reduction; none when
PS_GROUP_FEATURE_ACTIVE is 0); rounded to 6 decimals with the shop's mode; negative → 0.
The tax-excl and tax-incl prices are computed separately, never one from the other.

``unit_price`` also gives the order_detail snapshot fields: original_product_price (computed
as OrderDetail does: the same calculation for 1 unit without the specific price reduction,
so a fixed specific price and the group reduction are in it), reduction_percent (×100),
reduction_amount tax incl/excl (rounded to the currency precision), group_reduction
(group.reduction of the customer's group), the id of the specific price applied.

Covered: specific prices of every kind, including catalog price rules (PrestaShop
materialises them as specific_price rows with id_specific_price_rule ≠ 0, so the same
logic picks them), quantity steps, customer and group prices, combinations, currencies,
group and category reductions, PS_TAX, PS_SPECIFIC_PRICE_FEATURE_ACTIVE.
Not covered: ecotax (PS_USE_ECOTAX; assumed 0), customizations' prices, packs (a pack is
priced as its own product row, which is what PrestaShop charges unless the pack is priced from
its items), the actionProductPriceCalculation hook (8.1+) and modules overriding prices, VAT
exemption by VAT number (VATNUMBER_MANAGEMENT), cart rules other than the till's percentages.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from app.sale.rounding import PRICE_DECIMALS, ZERO, RoundMode, ps_round
from app.sale.specific_prices import (
    PRIORITIES_8,
    SpecificPrice,
    SpecificPriceQuery,
    select_specific_price,
)
from app.sale.taxes import HUNDRED, NO_TAX, TaxCalculator


@dataclass(frozen=True)
class Currency:
    id_currency: int
    conversion_rate: Decimal = Decimal("1")  # from the shop's default currency
    precision: int = 2  # currency.precision: the computing precision of totals


@dataclass(frozen=True)
class PricingSettings:
    """The shop configuration that prices depend on (FACTS.md §10)."""

    default_currency_id: int = 1  # PS_CURRENCY_DEFAULT
    round_mode: RoundMode = RoundMode.HALF_UP  # PS_PRICE_ROUND_MODE
    specific_prices_active: bool = True  # PS_SPECIFIC_PRICE_FEATURE_ACTIVE
    group_feature_active: bool = True  # PS_GROUP_FEATURE_ACTIVE
    qty_discount_on_combination: bool = False  # PS_QTY_DISCOUNT_ON_COMBINATION
    specific_price_priorities: tuple[str, ...] = PRIORITIES_8  # PS_SPECIFIC_PRICE_PRIORITIES


@dataclass(frozen=True)
class PriceContext:
    """Where, when and for whom the ticket is priced."""

    id_shop: int
    currency: Currency
    id_country: int  # of the tax address
    id_group: int  # the customer's default group
    now: datetime  # shop local time
    id_customer: int = 0
    group_reduction: Decimal = ZERO  # group.reduction of id_group, percent


@dataclass(frozen=True)
class ProductPricing:
    """What the catalog knows about the price of one product or combination."""

    id_product: int
    base_price: Decimal  # product_shop.price, tax excl, default currency
    id_product_attribute: int = 0
    combination_impact: Decimal = ZERO  # product_attribute_shop.price
    tax: TaxCalculator = NO_TAX  # for the context's tax address
    specific_prices: tuple[SpecificPrice, ...] = ()  # rows of this product (and id_product 0)
    priorities: tuple[str, ...] | None = None  # specific_price_priority of the product
    category_reduction: Decimal | None = None  # product_group_reduction_cache (fraction)


@dataclass(frozen=True)
class UnitPrice:
    tax_excl: Decimal  # order_detail.unit_price_tax_excl (6 decimals)
    tax_incl: Decimal  # order_detail.unit_price_tax_incl (6 decimals)
    original_tax_excl: Decimal  # order_detail.original_product_price
    reduction_percent: Decimal = ZERO  # 10.00 for 10 %
    reduction_amount: Decimal = ZERO
    reduction_amount_tax_incl: Decimal = ZERO
    reduction_amount_tax_excl: Decimal = ZERO
    group_reduction: Decimal = ZERO  # percent
    id_specific_price: int = 0
    quantity_discount_applied: bool = False  # order_detail.discount_quantity_applied


def unit_price(
    product: ProductPricing,
    context: PriceContext,
    settings: PricingSettings,
    quantity: int = 1,
    product_quantity: int | None = None,
) -> UnitPrice:
    """Price ``quantity`` units of a line; ``product_quantity``: the product in all lines."""
    counted = quantity
    if not settings.qty_discount_on_combination and product_quantity is not None:
        counted = max(1, product_quantity)
    sp = find_specific_price(product, context, settings, counted)
    original_sp = find_specific_price(product, context, settings, 1)
    excl = price_calculation(product, context, settings, sp, with_tax=False)
    incl = price_calculation(product, context, settings, sp, with_tax=True)
    original = price_calculation(product, context, settings, original_sp, with_reduction=False)
    percent, amount, amount_incl, amount_excl = _reduction_fields(product, context, settings, sp)
    return UnitPrice(
        tax_excl=excl,
        tax_incl=incl,
        original_tax_excl=original,
        reduction_percent=percent,
        reduction_amount=amount,
        reduction_amount_tax_incl=amount_incl,
        reduction_amount_tax_excl=amount_excl,
        group_reduction=context.group_reduction,
        id_specific_price=sp.id_specific_price if sp else 0,
        quantity_discount_applied=bool(sp and sp.from_quantity > 1),
    )


def unit_prices(
    lines: Sequence[tuple[ProductPricing, int]], context: PriceContext, settings: PricingSettings
) -> tuple[UnitPrice, ...]:
    """Price the (product, quantity) lines of a ticket; quantity steps count the product's
    units over all its lines, as a cart does (unless PS_QTY_DISCOUNT_ON_COMBINATION)."""
    per_product: Counter[int] = Counter()
    for product, quantity in lines:
        per_product[product.id_product] += quantity
    return tuple(
        unit_price(product, context, settings, quantity, per_product[product.id_product])
        for product, quantity in lines
    )


def find_specific_price(
    product: ProductPricing, context: PriceContext, settings: PricingSettings, quantity: int
) -> SpecificPrice | None:
    if not settings.specific_prices_active:
        return None
    query = SpecificPriceQuery(
        id_product=product.id_product,
        id_product_attribute=product.id_product_attribute,
        id_shop=context.id_shop,
        id_currency=context.currency.id_currency,
        id_country=context.id_country,
        id_group=context.id_group,
        id_customer=context.id_customer,
        quantity=quantity,
        now=context.now,
    )
    priorities = product.priorities or settings.specific_price_priorities
    return select_specific_price(product.specific_prices, query, priorities)


def price_calculation(
    product: ProductPricing,
    context: PriceContext,
    settings: PricingSettings,
    sp: SpecificPrice | None,
    *,
    with_tax: bool = False,
    with_reduction: bool = True,
) -> Decimal:
    """One unit price, tax excl or incl, at 6 decimals (Product::priceCalculation)."""
    price = _before_reductions(product, context, settings, sp)
    if with_tax:
        price = product.tax.add_taxes(price)
    if with_reduction and sp is not None:
        price -= _specific_reduction(price, product, context, settings, sp, with_tax=with_tax)
    price -= _group_reduction(price, product, context, settings)
    price = ps_round(price, PRICE_DECIMALS, settings.round_mode)
    return max(price, ZERO)


def _convert(amount: Decimal, context: PriceContext, settings: PricingSettings) -> Decimal:
    """Tools::convertPrice: from the default currency to the ticket's."""
    if context.currency.id_currency == settings.default_currency_id:
        return amount
    return amount * context.currency.conversion_rate


def _before_reductions(
    product: ProductPricing,
    context: PriceContext,
    settings: PricingSettings,
    sp: SpecificPrice | None,
) -> Decimal:
    fixed = sp is not None and sp.sets_price
    price = sp.price if sp is not None and fixed else product.base_price
    in_ticket_currency = (
        sp is not None and fixed and sp.id_currency == context.currency.id_currency != 0
    )
    if not in_ticket_currency:
        price = _convert(price, context, settings)
    if not (fixed and sp is not None and sp.id_product_attribute):
        price += _convert(product.combination_impact, context, settings)
    return price


def _specific_reduction(
    price: Decimal,
    product: ProductPricing,
    context: PriceContext,
    settings: PricingSettings,
    sp: SpecificPrice,
    *,
    with_tax: bool,
) -> Decimal:
    if sp.reduction_type != "amount":
        return price * sp.reduction
    amount = sp.reduction if sp.id_currency else _convert(sp.reduction, context, settings)
    if sp.reduction_tax and not with_tax:
        return product.tax.remove_taxes(amount)
    if with_tax and not sp.reduction_tax:
        return product.tax.add_taxes(amount)
    return amount


def _group_reduction(
    price: Decimal, product: ProductPricing, context: PriceContext, settings: PricingSettings
) -> Decimal:
    if not settings.group_feature_active:
        return ZERO
    if product.category_reduction is not None:
        return price * product.category_reduction
    return price * context.group_reduction / HUNDRED


def _reduction_fields(
    product: ProductPricing,
    context: PriceContext,
    settings: PricingSettings,
    sp: SpecificPrice | None,
) -> tuple[Decimal, Decimal, Decimal, Decimal]:
    """OrderDetail::setSpecificPrice: reduction percent, amount, amount incl, amount excl."""
    if sp is None:
        return ZERO, ZERO, ZERO, ZERO
    if sp.reduction_type == "percentage":
        return sp.reduction * HUNDRED, ZERO, ZERO, ZERO
    amount = sp.reduction if sp.id_currency else _convert(sp.reduction, context, settings)
    precision, mode = context.currency.precision, settings.round_mode
    if sp.reduction_tax:
        incl, excl = amount, ps_round(product.tax.remove_taxes(amount), precision, mode)
    else:
        incl, excl = ps_round(product.tax.add_taxes(amount), precision, mode), amount
    return ZERO, amount, incl, excl
