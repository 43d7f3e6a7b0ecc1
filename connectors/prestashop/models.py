"""The typed mapping of a shop's PrestaShop tables, for a table prefix and a set of columns.

Columns are declared once, typed, in ``models_shop``, ``models_catalog`` and ``models_orders``
(classes deriving from ``types.PsTable``). :func:`build_models` maps a concrete class for each
of them, under the shop's table prefix and without the columns the shop's schema lacks, and
returns them as a :class:`ShopModels`::

    models = build_models(prefix="ps_", absent={"order_payment": {"id_employee"}})
    stmt = select(models.Product).where(models.Product.id_product == 1)

A column left out is not mapped at all (the ORM never selects or inserts it); reading it on the
class raises ``AttributeError`` and passing it to a constructor raises ``TypeError``. Builds are
cached per (prefix, absent). Nothing here creates a table: never ``create_all`` on a shop.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any, cast

from sqlalchemy import FetchedValue, MetaData, inspect
from sqlalchemy.orm import DeclarativeBase, MappedColumn, Mapper, mapped_column
from sqlalchemy.schema import Column

from connectors.prestashop import models_catalog as cat
from connectors.prestashop import models_orders as od
from connectors.prestashop import models_shop as sh
from connectors.prestashop.types import PsTable, exists_in

DEFAULT_PREFIX = "ps_"
DECLARATIONS: tuple[type[PsTable], ...] = sh.SHOP_TABLES + cat.CATALOG_TABLES + od.ORDER_TABLES
AbsentColumns = Mapping[str, Iterable[str]]
_BUILD_LOCK = threading.Lock()


@dataclass(frozen=True)
class ShopModels:
    """The mapped classes of one shop database (one attribute per table)."""

    prefix: str
    absent: Mapping[str, frozenset[str]]
    metadata: MetaData
    by_table: Mapping[str, type[PsTable]]
    # models_shop
    Shop: type[sh.Shop]
    ShopGroup: type[sh.ShopGroup]
    ShopUrl: type[sh.ShopUrl]
    Lang: type[sh.Lang]
    LangShop: type[sh.LangShop]
    Currency: type[sh.Currency]
    CurrencyShop: type[sh.CurrencyShop]
    CurrencyLang: type[sh.CurrencyLang]
    Zone: type[sh.Zone]
    Country: type[sh.Country]
    CountryLang: type[sh.CountryLang]
    CountryShop: type[sh.CountryShop]
    State: type[sh.State]
    Tax: type[sh.Tax]
    TaxLang: type[sh.TaxLang]
    TaxRulesGroup: type[sh.TaxRulesGroup]
    TaxRulesGroupShop: type[sh.TaxRulesGroupShop]
    TaxRule: type[sh.TaxRule]
    Configuration: type[sh.Configuration]
    ConfigurationLang: type[sh.ConfigurationLang]
    Group: type[sh.Group]
    GroupLang: type[sh.GroupLang]
    GroupShop: type[sh.GroupShop]
    GroupReduction: type[sh.GroupReduction]
    ProductGroupReductionCache: type[sh.ProductGroupReductionCache]
    Profile: type[sh.Profile]
    Employee: type[sh.Employee]
    EmployeeShop: type[sh.EmployeeShop]
    Carrier: type[sh.Carrier]
    CarrierLang: type[sh.CarrierLang]
    CarrierShop: type[sh.CarrierShop]
    OrderState: type[sh.OrderState]
    OrderStateLang: type[sh.OrderStateLang]
    StockMvtReason: type[sh.StockMvtReason]
    StockMvtReasonLang: type[sh.StockMvtReasonLang]
    # models_catalog
    Category: type[cat.Category]
    CategoryLang: type[cat.CategoryLang]
    CategoryShop: type[cat.CategoryShop]
    CategoryProduct: type[cat.CategoryProduct]
    Product: type[cat.Product]
    ProductShop: type[cat.ProductShop]
    ProductLang: type[cat.ProductLang]
    ProductAttribute: type[cat.ProductAttribute]
    ProductAttributeShop: type[cat.ProductAttributeShop]
    ProductAttributeCombination: type[cat.ProductAttributeCombination]
    AttributeGroup: type[cat.AttributeGroup]
    AttributeGroupLang: type[cat.AttributeGroupLang]
    AttributeGroupShop: type[cat.AttributeGroupShop]
    Attribute: type[cat.Attribute]
    AttributeLang: type[cat.AttributeLang]
    AttributeShop: type[cat.AttributeShop]
    Image: type[cat.Image]
    ImageShop: type[cat.ImageShop]
    ImageLang: type[cat.ImageLang]
    StockAvailable: type[cat.StockAvailable]
    StockMvt: type[cat.StockMvt]
    SpecificPrice: type[cat.SpecificPrice]
    SpecificPricePriority: type[cat.SpecificPricePriority]
    Supplier: type[cat.Supplier]
    SupplierLang: type[cat.SupplierLang]
    SupplierShop: type[cat.SupplierShop]
    ProductSupplier: type[cat.ProductSupplier]
    ProductSale: type[cat.ProductSale]
    # models_orders
    Customer: type[od.Customer]
    CustomerGroup: type[od.CustomerGroup]
    Address: type[od.Address]
    Cart: type[od.Cart]
    CartProduct: type[od.CartProduct]
    Orders: type[od.Orders]
    OrderDetail: type[od.OrderDetail]
    OrderDetailTax: type[od.OrderDetailTax]
    OrderHistory: type[od.OrderHistory]
    OrderPayment: type[od.OrderPayment]
    OrderInvoice: type[od.OrderInvoice]
    OrderInvoicePayment: type[od.OrderInvoicePayment]
    OrderInvoiceTax: type[od.OrderInvoiceTax]
    OrderCarrier: type[od.OrderCarrier]
    OrderCartRule: type[od.OrderCartRule]
    OrderSlip: type[od.OrderSlip]
    OrderSlipDetail: type[od.OrderSlipDetail]

    def table_name(self, table: str) -> str:
        """The real name of ``table`` (given without prefix) in this shop."""
        return self.prefix + table

    def has(self, table: str, column: str) -> bool:
        """Whether ``table.column`` is mapped (declared and present in this shop)."""
        return table in self.by_table and column not in self.absent.get(table, frozenset())


def build_models(prefix: str = DEFAULT_PREFIX, absent: AbsentColumns | None = None) -> ShopModels:
    """The mapped classes for tables named ``prefix + table``, without ``absent`` columns.

    ``absent`` maps a table (without prefix) to the names of declared columns the shop lacks.
    Columns that are not declared are ignored.
    """
    key = tuple(sorted((t, frozenset(cols)) for t, cols in (absent or {}).items() if cols))
    with _BUILD_LOCK:  # one ShopModels per key, even when worker threads race
        return _build_cached(prefix, key)


@cache
def _build_cached(prefix: str, absent: tuple[tuple[str, frozenset[str]], ...]) -> ShopModels:
    absent_map = dict(absent)

    class Base(DeclarativeBase):
        metadata = MetaData(info={"prefix": prefix})

    mapped: dict[str, type[PsTable]] = {}
    for declaration in DECLARATIONS:
        table = declaration.__ps_table__
        mapped[table] = _map_table(declaration, Base, prefix, absent_map.get(table, frozenset()))
    classes = {cls.__name__: cls for cls in mapped.values()}
    return ShopModels(
        prefix=prefix,
        absent={t: cols & declared_columns(t) for t, cols in absent_map.items()},
        metadata=Base.metadata,
        by_table=mapped,
        **cast(dict[str, Any], classes),
    )


def _map_table(
    declaration: type[PsTable], base: type[DeclarativeBase], prefix: str, absent: frozenset[str]
) -> type[PsTable]:
    namespace: dict[str, Any] = {
        "__tablename__": prefix + declaration.__ps_table__,
        "__module__": declaration.__module__,
        "__qualname__": declaration.__qualname__,
    }
    holes: list[_AbsentColumn] = []
    for attribute, column in _declared(declaration).items():
        if column.name in absent:
            holes.append(_AbsentColumn(declaration.__ps_table__, column.name))
            namespace[attribute] = holes[-1]
        else:
            namespace[attribute] = _concrete_column(column)
    mapped = type(declaration.__name__, (declaration, base), namespace)
    for hole in holes:
        hole.armed = True
    return cast(type[PsTable], mapped)


def _concrete_column(column: Column[Any]) -> MappedColumn[Any]:
    """The mapped column of a declared one.

    Non-key columns get a ``FetchedValue`` server default: a column left unset is left out
    of the INSERT, so the database fills it (its DEFAULT, or under PrestaShop's empty sql_mode
    the implicit 0 / '' / zero date), instead of the ORM sending an explicit NULL that a
    NOT NULL column refuses.
    """
    return mapped_column(
        column.name,
        column.type,
        primary_key=column.primary_key,
        nullable=column.nullable,
        autoincrement=column.autoincrement,
        server_default=None if column.primary_key else FetchedValue(),
        info=dict(column.info),
    )


class _AbsentColumn:
    """Stands for a declared column the shop's schema lacks: any access says so.

    While the class is being mapped it shows itself (declarative then sees the mixin's column
    as overridden and leaves it out); once ``armed`` reading or writing it raises.
    """

    def __init__(self, table: str, column: str) -> None:
        self.table = table
        self.column = column
        self.armed = False

    def __get__(self, instance: object, owner: type | None = None) -> Any:
        if not self.armed:
            return self
        raise AttributeError(self._message())

    def __set__(self, instance: object, value: object) -> None:
        raise AttributeError(self._message())

    def _message(self) -> str:
        return f"column {self.table}.{self.column} does not exist in this shop's schema"


# --------------------------------------------------------------------------- declared columns


def _declared(declaration: type[PsTable]) -> dict[str, Column[Any]]:
    return _declared_by_table(declaration.__ps_table__)


@cache
def _declared_by_table(table: str) -> dict[str, Column[Any]]:
    """``{attribute: Column}`` of a declaration, from a throwaway mapping of it."""

    class Probe(DeclarativeBase):
        pass

    declaration = declaration_for(table)
    namespace = {"__tablename__": table, "__module__": declaration.__module__}
    mapper: Mapper[Any] = inspect(type(declaration.__name__, (declaration, Probe), namespace))
    return {prop.key: cast(Column[Any], prop.columns[0]) for prop in mapper.column_attrs}


def declaration_for(table: str) -> type[PsTable]:
    """The declaration of ``table`` (without prefix)."""
    for declaration in DECLARATIONS:
        if declaration.__ps_table__ == table:
            return declaration
    raise KeyError(table)


def mapped_tables() -> tuple[str, ...]:
    """Names (without prefix) of every mapped table."""
    return tuple(d.__ps_table__ for d in DECLARATIONS)


def declared_columns(table: str) -> frozenset[str]:
    """Column names declared for ``table`` (in any version)."""
    return frozenset(c.name for c in _declared(declaration_for(table)).values())


def declared_table_columns(table: str) -> dict[str, Column[Any]]:
    """``{column name: Column}`` declared for ``table``, with type, nullability, version info."""
    return {c.name: c for c in _declared(declaration_for(table)).values()}


def absent_in_family(family: str) -> dict[str, frozenset[str]]:
    """Declared columns that schema ``family`` does not have: ``{table: {column, …}}``."""
    found: dict[str, frozenset[str]] = {}
    for table in mapped_tables():
        columns = declared_table_columns(table).items()
        missing = frozenset(name for name, col in columns if not exists_in(col, family))
        if missing:
            found[table] = missing
    return found
