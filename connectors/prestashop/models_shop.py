"""Column declarations: shops, languages, currencies, countries, taxes, configuration, groups,
employees, carriers, order states and stock movement reasons.

Only the columns a till or a back office uses are declared; each matches the real schema of
every supported version (checked by tests/unit/test_mapping_facts.py). These classes are not
mapped by themselves: ``models.build_models`` maps them for a table prefix.
"""

from __future__ import annotations

from sqlalchemy.orm import Mapped, mapped_column

from connectors.prestashop.types import (
    ConversionRate,
    DateAdd,
    Flag,
    Fraction,
    Int,
    IntPK,
    LongText,
    Percent,
    Price,
    PsTable,
    SmallInt,
    TaxRate,
    Timestamp,
    TinyInt,
    UFlag,
    UInt,
    UIntPK,
    UMediumInt,
    until,
    varchar,
)

# --------------------------------------------------------------------------- multistore


class Shop(PsTable):
    __ps_table__ = "shop"
    id_shop: Mapped[IntPK]
    id_shop_group: Mapped[Int]
    name: Mapped[str] = mapped_column(varchar(64))
    id_category: Mapped[Int]
    active: Mapped[Flag]
    deleted: Mapped[Flag]


class ShopGroup(PsTable):
    __ps_table__ = "shop_group"
    id_shop_group: Mapped[IntPK]
    name: Mapped[str] = mapped_column(varchar(64))
    share_customer: Mapped[Flag]
    share_order: Mapped[Flag]
    share_stock: Mapped[Flag]
    active: Mapped[Flag]
    deleted: Mapped[Flag]


class ShopUrl(PsTable):
    __ps_table__ = "shop_url"
    id_shop_url: Mapped[UIntPK]
    id_shop: Mapped[UInt]
    domain: Mapped[str] = mapped_column(varchar(255), info=until("8.1", length=150))
    domain_ssl: Mapped[str] = mapped_column(varchar(255), info=until("8.1", length=150))
    physical_uri: Mapped[str] = mapped_column(varchar(64))
    virtual_uri: Mapped[str] = mapped_column(varchar(64))
    main: Mapped[Flag]
    active: Mapped[Flag]


# --------------------------------------------------------------------------- languages


class Lang(PsTable):
    __ps_table__ = "lang"
    id_lang: Mapped[IntPK]
    name: Mapped[str] = mapped_column(varchar(32))
    active: Mapped[Flag]
    iso_code: Mapped[str] = mapped_column(varchar(2))
    language_code: Mapped[str] = mapped_column(varchar(5))
    locale: Mapped[str] = mapped_column(varchar(5))
    date_format_lite: Mapped[str] = mapped_column(varchar(32))
    date_format_full: Mapped[str] = mapped_column(varchar(32))
    is_rtl: Mapped[Flag]


class LangShop(PsTable):
    __ps_table__ = "lang_shop"
    id_lang: Mapped[IntPK]
    id_shop: Mapped[IntPK]


# --------------------------------------------------------------------------- currencies


class Currency(PsTable):
    __ps_table__ = "currency"
    id_currency: Mapped[UIntPK]
    name: Mapped[str] = mapped_column(varchar(64))
    iso_code: Mapped[str] = mapped_column(varchar(3))
    numeric_iso_code: Mapped[str | None] = mapped_column(varchar(3))
    precision: Mapped[Int]
    conversion_rate: Mapped[ConversionRate]
    deleted: Mapped[UFlag]
    active: Mapped[UFlag]


class CurrencyShop(PsTable):
    __ps_table__ = "currency_shop"
    id_currency: Mapped[UIntPK]
    id_shop: Mapped[UIntPK]
    conversion_rate: Mapped[ConversionRate]


class CurrencyLang(PsTable):
    __ps_table__ = "currency_lang"
    id_currency: Mapped[UIntPK]
    id_lang: Mapped[UIntPK]
    name: Mapped[str] = mapped_column(varchar(255))
    symbol: Mapped[str] = mapped_column(varchar(255))
    pattern: Mapped[str | None] = mapped_column(varchar(255))


# --------------------------------------------------------------------------- geography


class Zone(PsTable):
    __ps_table__ = "zone"
    id_zone: Mapped[UIntPK]
    name: Mapped[str] = mapped_column(varchar(64))
    active: Mapped[UFlag]


class Country(PsTable):
    __ps_table__ = "country"
    id_country: Mapped[UIntPK]
    id_zone: Mapped[UInt]
    id_currency: Mapped[UInt]
    iso_code: Mapped[str] = mapped_column(varchar(3))
    call_prefix: Mapped[Int]
    active: Mapped[UFlag]
    contains_states: Mapped[Flag]
    need_identification_number: Mapped[Flag]
    need_zip_code: Mapped[Flag]
    zip_code_format: Mapped[str] = mapped_column(varchar(12))
    display_tax_label: Mapped[Flag]


class CountryLang(PsTable):
    __ps_table__ = "country_lang"
    id_country: Mapped[UIntPK]
    id_lang: Mapped[UIntPK]
    name: Mapped[str] = mapped_column(varchar(64))


class CountryShop(PsTable):
    __ps_table__ = "country_shop"
    id_country: Mapped[UIntPK]
    id_shop: Mapped[UIntPK]


class State(PsTable):
    __ps_table__ = "state"
    id_state: Mapped[UIntPK]
    id_country: Mapped[UInt]
    id_zone: Mapped[UInt]
    name: Mapped[str] = mapped_column(varchar(80))
    iso_code: Mapped[str] = mapped_column(varchar(7))
    tax_behavior: Mapped[SmallInt]
    active: Mapped[Flag]


# --------------------------------------------------------------------------- taxes


class Tax(PsTable):
    __ps_table__ = "tax"
    id_tax: Mapped[UIntPK]
    rate: Mapped[TaxRate]
    active: Mapped[UFlag]
    deleted: Mapped[UFlag]


class TaxLang(PsTable):
    __ps_table__ = "tax_lang"
    id_tax: Mapped[UIntPK]
    id_lang: Mapped[UIntPK]
    name: Mapped[str] = mapped_column(varchar(32))


class TaxRulesGroup(PsTable):
    __ps_table__ = "tax_rules_group"
    id_tax_rules_group: Mapped[IntPK]
    name: Mapped[str] = mapped_column(varchar(64), info=until("8.1", length=50))
    active: Mapped[Int]  # int, not tinyint(1), in every version
    deleted: Mapped[UFlag]
    date_add: Mapped[DateAdd]
    date_upd: Mapped[DateAdd]


class TaxRulesGroupShop(PsTable):
    __ps_table__ = "tax_rules_group_shop"
    id_tax_rules_group: Mapped[UIntPK]
    id_shop: Mapped[UIntPK]


class TaxRule(PsTable):
    __ps_table__ = "tax_rule"
    id_tax_rule: Mapped[IntPK]
    id_tax_rules_group: Mapped[Int]
    id_country: Mapped[Int]
    id_state: Mapped[Int]
    zipcode_from: Mapped[str] = mapped_column(varchar(12))
    zipcode_to: Mapped[str] = mapped_column(varchar(12))
    id_tax: Mapped[Int]
    behavior: Mapped[Int]
    description: Mapped[str] = mapped_column(varchar(100))


# --------------------------------------------------------------------------- configuration


class Configuration(PsTable):
    __ps_table__ = "configuration"
    id_configuration: Mapped[UIntPK]
    id_shop_group: Mapped[UInt | None]
    id_shop: Mapped[UInt | None]
    name: Mapped[str] = mapped_column(varchar(254))
    value: Mapped[LongText | None]
    date_add: Mapped[DateAdd]
    date_upd: Mapped[DateAdd]


class ConfigurationLang(PsTable):
    __ps_table__ = "configuration_lang"
    id_configuration: Mapped[UIntPK]
    id_lang: Mapped[UIntPK]
    value: Mapped[LongText | None]


# --------------------------------------------------------------------------- customer groups


class Group(PsTable):
    __ps_table__ = "group"
    id_group: Mapped[UIntPK]
    reduction: Mapped[Percent]
    price_display_method: Mapped[TinyInt]  # 0 = prices shown tax incl., 1 = tax excl.
    show_prices: Mapped[UFlag]
    date_add: Mapped[DateAdd]
    date_upd: Mapped[DateAdd]


class GroupLang(PsTable):
    __ps_table__ = "group_lang"
    id_group: Mapped[UIntPK]
    id_lang: Mapped[UIntPK]
    name: Mapped[str] = mapped_column(varchar(32))


class GroupShop(PsTable):
    __ps_table__ = "group_shop"
    id_group: Mapped[UIntPK]
    id_shop: Mapped[UIntPK]


class GroupReduction(PsTable):
    __ps_table__ = "group_reduction"
    id_group_reduction: Mapped[UMediumInt] = mapped_column(primary_key=True)
    id_group: Mapped[UInt]
    id_category: Mapped[UInt]
    reduction: Mapped[Fraction]  # a fraction: 0.1000 = 10 %


class ProductGroupReductionCache(PsTable):
    __ps_table__ = "product_group_reduction_cache"
    id_product: Mapped[UIntPK]
    id_group: Mapped[UIntPK]
    reduction: Mapped[Fraction]


# --------------------------------------------------------------------------- employees


class Profile(PsTable):
    __ps_table__ = "profile"
    id_profile: Mapped[UIntPK]


class Employee(PsTable):
    __ps_table__ = "employee"
    id_employee: Mapped[UIntPK]
    id_profile: Mapped[UInt]
    id_lang: Mapped[UInt]
    lastname: Mapped[str] = mapped_column(varchar(255))
    firstname: Mapped[str] = mapped_column(varchar(255))
    email: Mapped[str] = mapped_column(varchar(255))
    passwd: Mapped[str] = mapped_column(varchar(255))
    last_passwd_gen: Mapped[Timestamp]
    active: Mapped[UFlag]


class EmployeeShop(PsTable):
    __ps_table__ = "employee_shop"
    id_employee: Mapped[UIntPK]
    id_shop: Mapped[UIntPK]


# --------------------------------------------------------------------------- carriers


class Carrier(PsTable):
    __ps_table__ = "carrier"
    id_carrier: Mapped[UIntPK]
    id_reference: Mapped[UInt]
    name: Mapped[str] = mapped_column(varchar(64))
    url: Mapped[str | None] = mapped_column(varchar(255))
    active: Mapped[UFlag]
    deleted: Mapped[UFlag]
    shipping_handling: Mapped[UFlag]
    is_module: Mapped[UFlag]
    is_free: Mapped[UFlag]
    need_range: Mapped[UFlag]
    external_module_name: Mapped[str | None] = mapped_column(varchar(64))
    shipping_method: Mapped[Int]
    position: Mapped[UInt]
    max_weight: Mapped[Price | None]


class CarrierLang(PsTable):
    __ps_table__ = "carrier_lang"
    id_carrier: Mapped[UIntPK]
    id_shop: Mapped[UIntPK]
    id_lang: Mapped[UIntPK]
    delay: Mapped[str | None] = mapped_column(varchar(512))


class CarrierShop(PsTable):
    __ps_table__ = "carrier_shop"
    id_carrier: Mapped[UIntPK]
    id_shop: Mapped[UIntPK]


# --------------------------------------------------------------------------- order states


class OrderState(PsTable):
    __ps_table__ = "order_state"
    id_order_state: Mapped[UIntPK]
    invoice: Mapped[UFlag | None]
    send_email: Mapped[UFlag]
    module_name: Mapped[str | None] = mapped_column(varchar(255))
    color: Mapped[str | None] = mapped_column(varchar(32))
    unremovable: Mapped[UFlag]
    hidden: Mapped[UFlag]
    logable: Mapped[Flag]
    delivery: Mapped[UFlag]
    shipped: Mapped[UFlag]
    paid: Mapped[UFlag]
    pdf_invoice: Mapped[UFlag]
    pdf_delivery: Mapped[UFlag]
    deleted: Mapped[UFlag]


class OrderStateLang(PsTable):
    __ps_table__ = "order_state_lang"
    id_order_state: Mapped[UIntPK]
    id_lang: Mapped[UIntPK]
    name: Mapped[str] = mapped_column(varchar(64))
    template: Mapped[str] = mapped_column(varchar(64))


# --------------------------------------------------------------------------- stock reasons


class StockMvtReason(PsTable):
    __ps_table__ = "stock_mvt_reason"
    id_stock_mvt_reason: Mapped[UIntPK]
    sign: Mapped[TinyInt]  # +1 / -1 in a tinyint(1)
    date_add: Mapped[DateAdd]
    date_upd: Mapped[DateAdd]
    deleted: Mapped[UFlag]


class StockMvtReasonLang(PsTable):
    __ps_table__ = "stock_mvt_reason_lang"
    id_stock_mvt_reason: Mapped[UIntPK]
    id_lang: Mapped[UIntPK]
    name: Mapped[str] = mapped_column(varchar(255))


SHOP_TABLES: tuple[type[PsTable], ...] = (
    Shop,
    ShopGroup,
    ShopUrl,
    Lang,
    LangShop,
    Currency,
    CurrencyShop,
    CurrencyLang,
    Zone,
    Country,
    CountryLang,
    CountryShop,
    State,
    Tax,
    TaxLang,
    TaxRulesGroup,
    TaxRulesGroupShop,
    TaxRule,
    Configuration,
    ConfigurationLang,
    Group,
    GroupLang,
    GroupShop,
    GroupReduction,
    ProductGroupReductionCache,
    Profile,
    Employee,
    EmployeeShop,
    Carrier,
    CarrierLang,
    CarrierShop,
    OrderState,
    OrderStateLang,
    StockMvtReason,
    StockMvtReasonLang,
)
