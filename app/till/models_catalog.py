"""Typed mapping of the till's catalog cache (DDL: ``migration_catalog.py``, ``_signin.py``
and ``_addresses.py``).

Keys are PrestaShop ids; prices are PrestaShop's 6-decimal values (tax excluded, default
currency) stored as micro-units. The FTS5 ``catalog_search`` table is not mapped: triggers keep
it in step and ``catalog.py`` queries it in SQL.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, Integer
from sqlalchemy.orm import Mapped, mapped_column

from app.till.models import TillBase
from app.till.types import Moment, Price6, Str


class CatalogProduct(TillBase):
    __tablename__ = "catalog_products"
    id_product: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    reference: Mapped[Str]
    ean13: Mapped[Str]
    upc: Mapped[Str]
    name: Mapped[Str]
    price: Mapped[Price6]
    wholesale_price: Mapped[Price6]
    ecotax: Mapped[Price6]
    id_tax_rules_group: Mapped[int]
    id_category_default: Mapped[int]
    has_combinations: Mapped[bool] = mapped_column(Boolean)
    active: Mapped[bool] = mapped_column(Boolean)
    date_upd: Mapped[datetime | None] = mapped_column(DateTime)


class CatalogCombination(TillBase):
    __tablename__ = "catalog_combinations"
    id_product_attribute: Mapped[int] = mapped_column(
        Integer, primary_key=True, autoincrement=False
    )
    id_product: Mapped[int]
    reference: Mapped[Str]
    ean13: Mapped[Str]
    upc: Mapped[Str]
    attributes: Mapped[Str]  # "Talla: M, Color: Rojo" in the till's language
    price_impact: Mapped[Price6]
    wholesale_price: Mapped[Price6]
    default_on: Mapped[bool] = mapped_column(Boolean)


class CatalogStock(TillBase):
    __tablename__ = "catalog_stock"
    id_product: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    id_product_attribute: Mapped[int] = mapped_column(
        Integer, primary_key=True, autoincrement=False
    )
    quantity: Mapped[int]


class CatalogTax(TillBase):
    __tablename__ = "catalog_taxes"
    id_tax: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    name: Mapped[Str]
    rate: Mapped[Price6]
    active: Mapped[bool] = mapped_column(Boolean)


class CatalogTaxRulesGroup(TillBase):
    __tablename__ = "catalog_tax_rules_groups"
    id_tax_rules_group: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    name: Mapped[Str]
    active: Mapped[bool] = mapped_column(Boolean)
    deleted: Mapped[bool] = mapped_column(Boolean)


class CatalogTaxRule(TillBase):
    __tablename__ = "catalog_tax_rules"
    id_tax_rule: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    id_tax_rules_group: Mapped[int]
    id_country: Mapped[int]
    id_state: Mapped[int]
    zipcode_from: Mapped[Str]
    zipcode_to: Mapped[Str]
    id_tax: Mapped[int]
    behavior: Mapped[int]


class CatalogSpecificPrice(TillBase):
    __tablename__ = "catalog_specific_prices"
    id_specific_price: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    id_specific_price_rule: Mapped[int]
    id_product: Mapped[int]
    id_product_attribute: Mapped[int]
    id_shop: Mapped[int]
    id_currency: Mapped[int]
    id_country: Mapped[int]
    id_group: Mapped[int]
    id_customer: Mapped[int]
    price: Mapped[Price6]  # −1: keep the base price
    from_quantity: Mapped[int]
    reduction: Mapped[Price6]  # a fraction for 'percentage' (0.1 = 10 %), else an amount
    reduction_tax: Mapped[bool] = mapped_column(Boolean)
    reduction_type: Mapped[Str]
    date_from: Mapped[datetime | None] = mapped_column(DateTime)  # None: no lower bound
    date_to: Mapped[datetime | None] = mapped_column(DateTime)


class CatalogGroup(TillBase):
    __tablename__ = "catalog_groups"
    id_group: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    name: Mapped[Str]
    reduction: Mapped[Price6]  # percent
    price_display_method: Mapped[int]


class CatalogGroupReduction(TillBase):
    __tablename__ = "catalog_group_reductions"
    id_product: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    id_group: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    reduction: Mapped[Price6]  # fraction, as product_group_reduction_cache


class CatalogCustomer(TillBase):
    __tablename__ = "catalog_customers"
    id_customer: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    email: Mapped[Str]
    firstname: Mapped[Str]
    lastname: Mapped[Str]
    company: Mapped[Str]
    id_default_group: Mapped[int]
    active: Mapped[bool] = mapped_column(Boolean)
    deleted: Mapped[bool] = mapped_column(Boolean)
    date_upd: Mapped[datetime | None] = mapped_column(DateTime)


class CatalogAddress(TillBase):
    """A customer's address as PrestaShop holds it (DDL: ``migration_addresses.py``)."""

    __tablename__ = "catalog_addresses"
    id_address: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    id_customer: Mapped[int]
    company: Mapped[Str]
    firstname: Mapped[Str]
    lastname: Mapped[Str]
    dni: Mapped[Str]  # PrestaShop's "identification number" (a Spanish NIF / NIE)
    vat_number: Mapped[Str]
    address1: Mapped[Str]
    address2: Mapped[Str]
    postcode: Mapped[Str]
    city: Mapped[Str]
    country_iso: Mapped[Str]  # ISO 3166-1 alpha-2, '' if the country is unknown
    date_upd: Mapped[datetime | None] = mapped_column(DateTime)


class CatalogCustomerGroup(TillBase):
    __tablename__ = "catalog_customer_groups"
    id_customer: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    id_group: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)


class CatalogEmployee(TillBase):
    __tablename__ = "catalog_employees"
    id_employee: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    firstname: Mapped[Str]
    lastname: Mapped[Str]
    email: Mapped[Str]
    id_profile: Mapped[int]
    id_lang: Mapped[int]
    active: Mapped[bool] = mapped_column(Boolean)
    passwd: Mapped[Str]  # PrestaShop's back-office hash: bcrypt "$2y$…" or a legacy md5


class CatalogCategory(TillBase):
    __tablename__ = "catalog_categories"
    id_category: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    id_parent: Mapped[int]
    name: Mapped[Str]  # in the till's language
    position: Mapped[int]  # category_shop.position: order among its siblings
    active: Mapped[bool] = mapped_column(Boolean)
    level_depth: Mapped[int]


class CatalogSyncState(TillBase):
    __tablename__ = "catalog_sync_state"
    key: Mapped[str] = mapped_column(primary_key=True)
    value: Mapped[Str]


# --------------------------------------------------------------------------- till-local sign-in
# Not from the shop: never pulled, never pushed (``migration_signin.py``).


class EmployeePin(TillBase):
    __tablename__ = "employee_pins"
    id_employee: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    pin_hash: Mapped[Str]  # bcrypt of the digits
    set_by: Mapped[int]  # the manager's id_employee
    set_at: Mapped[Moment]


class SigninAttempt(TillBase):
    __tablename__ = "signin_attempts"
    id_employee: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    failures: Mapped[int]  # consecutive wrong secrets
    locked_until: Mapped[datetime | None] = mapped_column(DateTime)
