"""From till-store rows to the pricing engine's inputs (``pricing.py``, ``totals.py``).

Two halves: pure builders (:func:`shop_config`, :func:`product_pricing`,
:func:`price_context`) that turn rows into frozen inputs, and :class:`StoreSource`, which reads
those rows from a :class:`~app.till.store.TillStore` in a handful of queries: one per kind of
row (tax rules, specific prices, group reductions, the group) for all the items of a cart at
once, never one per line.

The shop configuration is the snapshot the catalog pull stores in ``catalog_sync_state`` as
``config.<KEY>`` (``app/sync/catalog_pull.py``). A key that is missing (a store filled by hand,
a pull that has not run yet) takes the default of a Spanish PrestaShop shop out of the box
(:data:`CONFIG_DEFAULTS`):

=================================  ===========  ==========================================
``config.`` key                    default      meaning
=================================  ===========  ==========================================
``id_shop``                        1            the shop this till sells for
``id_lang``                        1            the ticket language
``currency_id``                    1            the ticket currency (the shop's default)
``currency_precision``             2            decimals of totals (currency.precision)
``currency_conversion_rate``       1            from the shop's default currency
``PS_CURRENCY_DEFAULT``            1            the shop's default currency
``id_country``                     (below)      country of the tax address (the shop's),
                                                else PS_SHOP_COUNTRY_ID, else
``PS_COUNTRY_DEFAULT``             6            Spain in a stock PrestaShop install
``PS_SHOP_STATE_ID``               0            state (province) of the shop
``PS_SHOP_CODE``                   ""           postcode of the shop
``PS_TAX``                         1            taxes enabled
``PS_ROUND_TYPE``                  2            round each line
``PS_PRICE_ROUND_MODE``            2            half up
``PS_SPECIFIC_PRICE_FEATURE_...``  1            specific prices active
``PS_GROUP_FEATURE_ACTIVE``        1            group reductions active
``PS_QTY_DISCOUNT_ON_COMBINATION`` 0            quantity steps count the product
``PS_SPECIFIC_PRICE_PRIORITIES``   8.x order    id_group;id_currency;id_country;id_shop
``PS_UNIDENTIFIED_GROUP``          1            group of an anonymous walk-in customer
``PS_CUSTOMER_GROUP``              3            default group of new customers
=================================  ===========  ==========================================

The walk-in customer is the till's choice, not PrestaShop's: the key
``till.walk_in_customer`` (an id_customer of the catalog cache) unless the caller gives one;
without it the walk-in customer is anonymous (``id_customer`` None, group
PS_UNIDENTIFIED_GROUP).

The tax address is the shop's own (a counter sale is delivered at the counter).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Protocol

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.errors import UserFacingError
from app.i18n import _
from app.sale.pricing import Currency, PriceContext, PricingSettings, ProductPricing
from app.sale.rounding import ZERO, RoundMode, RoundType, round_mode
from app.sale.specific_prices import PRIORITIES_8, SpecificPrice, parse_priorities
from app.sale.taxes import NO_TAX, TaxAddress, TaxCalculator, TaxRule, tax_calculator
from app.sale.totals import Rounding
from app.till.catalog import CatalogItem
from app.till.models_catalog import (
    CatalogCustomer,
    CatalogEmployee,
    CatalogGroup,
    CatalogGroupReduction,
    CatalogSpecificPrice,
    CatalogSyncState,
    CatalogTax,
    CatalogTaxRule,
    CatalogTaxRulesGroup,
)
from app.till.records import TicketCustomer
from app.till.store import TillStore

ItemKey = tuple[int, int]  # (id_product, id_product_attribute)

CONFIG_PREFIX = "config."  # as the catalog pull stores the shop configuration
WALK_IN_KEY = "till.walk_in_customer"
CONFIG_DEFAULTS: Mapping[str, str] = {
    "id_shop": "1",
    "id_lang": "1",
    "currency_id": "1",
    "currency_precision": "2",
    "currency_conversion_rate": "1",
    "PS_CURRENCY_DEFAULT": "1",
    "PS_COUNTRY_DEFAULT": "6",
    "PS_SHOP_STATE_ID": "0",
    "PS_SHOP_CODE": "",
    "PS_TAX": "1",
    "PS_ROUND_TYPE": "2",
    "PS_PRICE_ROUND_MODE": "2",
    "PS_SPECIFIC_PRICE_FEATURE_ACTIVE": "1",
    "PS_GROUP_FEATURE_ACTIVE": "1",
    "PS_QTY_DISCOUNT_ON_COMBINATION": "0",
    "PS_SPECIFIC_PRICE_PRIORITIES": ";".join(PRIORITIES_8),
    "PS_UNIDENTIFIED_GROUP": "1",
    "PS_CUSTOMER_GROUP": "3",
}
MANAGER_PROFILES = frozenset({1})  # PrestaShop's SuperAdmin profile


@dataclass(frozen=True)
class ShopConfig:
    """What the till needs to know about the shop to price and record a ticket."""

    id_shop: int = 1
    id_lang: int = 1
    currency: Currency = Currency(1)
    address: TaxAddress = TaxAddress(6)
    tax_enabled: bool = True
    pricing: PricingSettings = PricingSettings()
    rounding: Rounding = Rounding()
    unidentified_group: int = 1
    customer_group: int = 3
    id_customer_walk_in: int = 0  # 0: an anonymous walk-in customer


@dataclass(frozen=True)
class PricingRows:
    """The rows that price a set of items for one customer group."""

    tax_rules: Mapping[int, tuple[TaxRule, ...]] = field(default_factory=dict)  # by group
    specific_prices: Mapping[int, tuple[SpecificPrice, ...]] = field(default_factory=dict)
    category_reductions: Mapping[int, Decimal] = field(default_factory=dict)  # by id_product
    group_reduction: Decimal = ZERO  # group.reduction, percent


@dataclass(frozen=True)
class Employee:
    id_employee: int
    name: str
    id_profile: int
    active: bool = True
    is_manager: bool = False  # id_profile is a manager profile (``till.manager_profiles``)


class PricingSource(Protocol):
    """Where a cart gets its pricing inputs from (the till store, or memory in tests)."""

    @property
    def config(self) -> ShopConfig: ...

    def rows(self, items: Sequence[CatalogItem], id_group: int) -> PricingRows: ...

    def walk_in_customer(self) -> TicketCustomer: ...

    def employee(self, id_employee: int) -> Employee | None: ...


def shop_config(config: Mapping[str, str], walk_in: int = 0) -> ShopConfig:
    """The shop configuration from its snapshot (keys without ``config.``; missing: defaults)."""

    def get(key: str) -> str:
        value = config.get(key)
        return CONFIG_DEFAULTS.get(key, "") if value is None or value == "" else value

    def number(key: str) -> int:
        return _int(get(key), key)

    country_text = config.get("id_country") or config.get("PS_SHOP_COUNTRY_ID")
    country = _int(country_text or get("PS_COUNTRY_DEFAULT"), "id_country") or 6
    mode = round_mode(number("PS_PRICE_ROUND_MODE"))
    precision = number("currency_precision")
    return ShopConfig(
        id_shop=number("id_shop"),
        id_lang=number("id_lang"),
        currency=Currency(
            number("currency_id"), _decimal(get("currency_conversion_rate")), precision
        ),
        address=TaxAddress(country, number("PS_SHOP_STATE_ID"), get("PS_SHOP_CODE")),
        tax_enabled=get("PS_TAX") != "0",
        pricing=_pricing_settings(get, mode),
        rounding=Rounding(_round_type(number("PS_ROUND_TYPE")), mode, precision),
        unidentified_group=number("PS_UNIDENTIFIED_GROUP"),
        customer_group=number("PS_CUSTOMER_GROUP"),
        id_customer_walk_in=walk_in,
    )


def _pricing_settings(get: _Getter, mode: RoundMode) -> PricingSettings:
    priorities = parse_priorities(get("PS_SPECIFIC_PRICE_PRIORITIES")) or PRIORITIES_8
    return PricingSettings(
        default_currency_id=_int(get("PS_CURRENCY_DEFAULT"), "PS_CURRENCY_DEFAULT"),
        round_mode=mode,
        specific_prices_active=get("PS_SPECIFIC_PRICE_FEATURE_ACTIVE") != "0",
        group_feature_active=get("PS_GROUP_FEATURE_ACTIVE") != "0",
        qty_discount_on_combination=get("PS_QTY_DISCOUNT_ON_COMBINATION") == "1",
        specific_price_priorities=priorities,
    )


class _Getter(Protocol):
    def __call__(self, key: str) -> str: ...


def product_pricing(item: CatalogItem, rows: PricingRows, config: ShopConfig) -> ProductPricing:
    """The pricing inputs of one catalog item for the group ``rows`` were read for."""
    return ProductPricing(
        id_product=item.id_product,
        base_price=item.price_tax_excl,
        id_product_attribute=item.id_product_attribute,
        combination_impact=item.price_impact,
        tax=item_tax(item, rows, config),
        specific_prices=rows.specific_prices.get(item.id_product, ())
        + rows.specific_prices.get(0, ()),
        category_reduction=rows.category_reductions.get(item.id_product),
    )


def item_tax(item: CatalogItem, rows: PricingRows, config: ShopConfig) -> TaxCalculator:
    if not item.id_tax_rules_group:
        return NO_TAX
    rules = rows.tax_rules.get(item.id_tax_rules_group, ())
    return tax_calculator(rules, config.address, tax_enabled=config.tax_enabled)


def price_context(
    config: ShopConfig, customer: TicketCustomer, group_reduction: Decimal, now: datetime
) -> PriceContext:
    return PriceContext(
        id_shop=config.id_shop,
        currency=config.currency,
        id_country=config.address.id_country,
        id_group=customer_group(config, customer),
        now=now,
        id_customer=customer.id_customer or 0,
        group_reduction=group_reduction,
    )


def customer_group(config: ShopConfig, customer: TicketCustomer) -> int:
    return customer.id_default_group or config.unidentified_group


class StoreSource:
    """A :class:`PricingSource` reading the till store (one query per kind of row)."""

    def __init__(
        self, store: TillStore, config: ShopConfig | None = None, walk_in: int | None = None
    ) -> None:
        self.store = store
        self._config = config or load_shop_config(store, walk_in)

    @property
    def config(self) -> ShopConfig:
        return self._config

    def rows(self, items: Sequence[CatalogItem], id_group: int) -> PricingRows:
        with self.store.read() as session:
            return read_pricing_rows(session, items, id_group, self._config)

    def walk_in_customer(self) -> TicketCustomer:
        with self.store.read() as session:
            return read_walk_in(session, self._config)

    def employee(self, id_employee: int) -> Employee | None:
        with self.store.read() as session:
            row = session.get(CatalogEmployee, id_employee)
            return None if row is None else to_employee(row)


def load_shop_config(store: TillStore, walk_in: int | None = None) -> ShopConfig:
    """The configuration the last catalog pull stored (one query); ``walk_in`` overrides
    the ``till.walk_in_customer`` key."""
    with store.read() as session:
        rows = session.execute(select(CatalogSyncState.key, CatalogSyncState.value)).all()
    state = {key: value for key, value in rows}
    config = {
        k.removeprefix(CONFIG_PREFIX): v for k, v in state.items() if k.startswith(CONFIG_PREFIX)
    }
    if walk_in is None:
        walk_in = _int(state.get(WALK_IN_KEY) or "0", WALK_IN_KEY)
    return shop_config(config, walk_in)


def read_pricing_rows(
    session: Session, items: Sequence[CatalogItem], id_group: int, config: ShopConfig
) -> PricingRows:
    products = sorted({item.id_product for item in items})
    groups = sorted({item.id_tax_rules_group for item in items if item.id_tax_rules_group})
    return PricingRows(
        tax_rules=_tax_rules(session, groups, config.address.id_country),
        specific_prices=_specific_prices(session, products),
        category_reductions=_category_reductions(session, products, id_group),
        group_reduction=session.scalar(
            select(CatalogGroup.reduction).where(CatalogGroup.id_group == id_group)
        )
        or ZERO,
    )


def _tax_rules(
    session: Session, groups: list[int], id_country: int
) -> dict[int, tuple[TaxRule, ...]]:
    if not groups:
        return {}
    rule, tax, group = CatalogTaxRule, CatalogTax, CatalogTaxRulesGroup
    rows = session.execute(
        select(
            rule.id_tax_rules_group,
            rule.id_country,
            rule.id_state,
            rule.zipcode_from,
            rule.zipcode_to,
            rule.behavior,
            rule.id_tax,
            tax.rate,
            tax.name,
        )
        .join(tax, tax.id_tax == rule.id_tax)
        .join(group, group.id_tax_rules_group == rule.id_tax_rules_group)
        .where(rule.id_tax_rules_group.in_(groups), rule.id_country == id_country, group.active)
        .order_by(rule.id_tax_rule)
    )
    found: dict[int, list[TaxRule]] = defaultdict(list)
    for r in rows:
        found[r.id_tax_rules_group].append(
            TaxRule(r.id_country, r.id_state, r.zipcode_from, r.zipcode_to, r.behavior, r.id_tax,
                    r.rate, r.name)
        )  # fmt: skip
    return {key: tuple(value) for key, value in found.items()}


def _specific_prices(session: Session, products: list[int]) -> dict[int, tuple[SpecificPrice, ...]]:
    found: dict[int, list[SpecificPrice]] = defaultdict(list)
    rows = session.scalars(
        select(CatalogSpecificPrice)
        .where(CatalogSpecificPrice.id_product.in_([0, *products]))
        .order_by(CatalogSpecificPrice.id_specific_price)
    )
    for r in rows:
        found[r.id_product].append(_specific_price(r))
    return {key: tuple(value) for key, value in found.items()}


def _specific_price(r: CatalogSpecificPrice) -> SpecificPrice:
    return SpecificPrice(
        id_specific_price=r.id_specific_price,
        id_product=r.id_product,
        id_product_attribute=r.id_product_attribute,
        id_shop=r.id_shop,
        id_currency=r.id_currency,
        id_country=r.id_country,
        id_group=r.id_group,
        id_customer=r.id_customer,
        id_specific_price_rule=r.id_specific_price_rule,
        from_quantity=r.from_quantity,
        price=r.price,
        reduction=r.reduction,
        reduction_type=r.reduction_type,
        reduction_tax=r.reduction_tax,
        date_from=r.date_from,
        date_to=r.date_to,
    )


def _category_reductions(
    session: Session, products: list[int], id_group: int
) -> dict[int, Decimal]:
    rows = session.execute(
        select(CatalogGroupReduction.id_product, CatalogGroupReduction.reduction).where(
            CatalogGroupReduction.id_product.in_(products),
            CatalogGroupReduction.id_group == id_group,
        )
    )
    return {id_product: reduction for id_product, reduction in rows}


def read_walk_in(session: Session, config: ShopConfig) -> TicketCustomer:
    """The shop's walk-in customer; an anonymous one when none is configured or known."""
    row = (
        session.get(CatalogCustomer, config.id_customer_walk_in)
        if config.id_customer_walk_in
        else None
    )
    if row is None:
        return TicketCustomer(None, "", "", "", config.unidentified_group, is_walk_in=True)
    return replace_walk_in(to_customer(row))


def replace_walk_in(customer: TicketCustomer) -> TicketCustomer:
    return TicketCustomer(
        customer.id_customer,
        customer.email,
        customer.firstname,
        customer.lastname,
        customer.id_default_group,
        is_walk_in=True,
    )


def to_customer(row: CatalogCustomer) -> TicketCustomer:
    return TicketCustomer(
        row.id_customer, row.email, row.firstname, row.lastname, row.id_default_group
    )


def find_customer(store: TillStore, email: str) -> TicketCustomer:
    """The active customer with that e-mail; a clear error when there is none."""
    wanted = email.strip()
    with store.read() as session:
        row = session.scalars(
            select(CatalogCustomer)
            .where(
                func.lower(CatalogCustomer.email) == wanted.lower(),
                CatalogCustomer.active,
                ~CatalogCustomer.deleted,
            )
            .order_by(CatalogCustomer.id_customer)
            .limit(1)
        ).first()
    if row is None:
        raise UserFacingError(
            _("There is no customer with the e-mail {email}.").format(email=wanted)
        )
    return to_customer(row)


def find_employee(
    store: TillStore,
    id_employee: int | None = None,
    managers: frozenset[int] = MANAGER_PROFILES,
) -> Employee:
    """Employee ``id_employee`` (default: the first active one); refused if unknown or inactive.

    ``managers``: the profiles whose employees are managers (SuperAdmin by default)."""
    with store.read() as session:
        query = select(CatalogEmployee).where(CatalogEmployee.active)
        if id_employee is not None:
            query = query.where(CatalogEmployee.id_employee == id_employee)
        row = session.scalars(query.order_by(CatalogEmployee.id_employee).limit(1)).first()
    if row is None:
        if id_employee is None:
            raise UserFacingError(_("There is no active employee in this till's catalog."))
        raise UserFacingError(_("There is no active employee {id}.").format(id=id_employee))
    return to_employee(row, managers)


def to_employee(row: CatalogEmployee, managers: frozenset[int] = MANAGER_PROFILES) -> Employee:
    name = f"{row.firstname} {row.lastname}".strip()
    return Employee(row.id_employee, name, row.id_profile, row.active, row.id_profile in managers)


def _int(value: str, key: str) -> int:
    try:
        return int(value.strip())
    except ValueError as error:
        raise UserFacingError(
            _("The shop setting {key} is not a whole number: {value!r}.").format(
                key=key, value=value
            )
        ) from error


def _decimal(value: str) -> Decimal:
    try:
        result = Decimal(value.strip())
    except InvalidOperation as error:
        raise UserFacingError(
            _("The currency conversion rate is not a number: {value!r}.").format(value=value)
        ) from error
    return result if result.is_finite() and result > 0 else Decimal(1)


def _round_type(value: int) -> RoundType:
    try:
        return RoundType(value)
    except ValueError:
        return RoundType.LINE
