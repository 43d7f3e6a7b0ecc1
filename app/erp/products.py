"""Products in the back office: the list, the edit form's data, validation, create and save.

Every function takes the :class:`~app.erp.context.ErpContext` first, opens its own
transaction and returns frozen values (run them on a worker). Prices: the shop keeps the price
tax excluded (``product_shop.price``, 6 decimals); the form lets the manager type either side
and computes the other through the tax rules group for the shop's tax address, with the
selling core's calculator (``app/sale/taxes.py``): tax excluded = tax included ÷ (1 + rate),
kept to 6 decimals as PrestaShop's product page does; the tax-included price shown is the
excluded one plus taxes, rounded to the currency's precision.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import DBAPIError

from app.erp.context import ErpContext
from app.erp.listing import Key, ListQuery, Page, page_of
from app.errors import UserFacingError
from app.i18n import _
from app.sale.rounding import PRICE_DECIMALS, ps_round
from app.sale.taxes import NO_TAX, TaxAddress, TaxCalculator, TaxRule, tax_calculator
from connectors.prestashop import erp_product_options as opt
from connectors.prestashop import erp_product_search as search
from connectors.prestashop import erp_products as ep
from connectors.prestashop.erp_products import ProductFilter, ProductRecord, ProductValues

__all__ = ["ProductRecord", "ProductValues"]

logger = logging.getLogger(__name__)
_SEARCH_LOCK = threading.Lock()
_SEARCHED: dict[tuple[Engine, int, int], float] = {}  # → monotonic time of the last refresh
_NO_SEARCH: set[tuple[Engine, int, int]] = set()  # the tables cannot be created there
EAN13_LENGTH = 13
REFERENCE_MAX = 64
NAME_MAX = 128


@dataclass(frozen=True)
class ProductItem:
    """One line of the products list."""

    id_product: int
    reference: str
    ean13: str
    name: str
    category: str
    price: Decimal  # tax excluded
    price_tax_incl: Decimal
    wholesale_price: Decimal
    quantity: int
    active: bool
    date_upd: dt.datetime


@dataclass(frozen=True)
class TaxBook:
    """The tax calculator of each tax rules group for the shop's tax address."""

    calculators: Mapping[int, TaxCalculator] = field(default_factory=dict)
    precision: int = 2

    def calculator(self, id_tax_rules_group: int) -> TaxCalculator:
        return self.calculators.get(id_tax_rules_group, NO_TAX)

    def with_tax(self, price: Decimal, id_tax_rules_group: int) -> Decimal:
        """The tax-included price shown for a tax-excluded one (currency precision)."""
        return ps_round(self.calculator(id_tax_rules_group).add_taxes(price), self.precision)

    def without_tax(self, price_tax_incl: Decimal, id_tax_rules_group: int) -> Decimal:
        """The tax-excluded price PrestaShop stores for a typed tax-included one."""
        excl = self.calculator(id_tax_rules_group).remove_taxes(price_tax_incl)
        return ps_round(excl, PRICE_DECIMALS)


@dataclass(frozen=True)
class ProductForm:
    """Everything the product form shows: the product (None for a new one) and the choices."""

    record: ProductRecord | None
    languages: tuple[opt.Choice, ...]
    tax_groups: tuple[opt.Choice, ...]
    categories: tuple[opt.Choice, ...]
    taxes: TaxBook
    id_lang: int  # the shop's language (its name is required)


# --------------------------------------------------------------------------- list


def product_filter(query: ListQuery) -> ProductFilter:
    active = query.filter("active")
    return ProductFilter(
        text=query.text,
        id_category=_int_or_none(query.filter("id_category")),
        active=None if active is None else bool(active),
        stock=str(query.filter("stock")) if query.filter("stock") in ep.STOCK_FILTERS else None,
        low_threshold=int(str(query.filter("low_threshold", 3))),
        id_supplier=_int_or_none(query.filter("id_supplier")),
    )


def product_page(
    ctx: ErpContext, query: ListQuery, after: Key | None, limit: int
) -> Page[ProductItem]:
    """A keyset page of the products list (``app/erp/listing.py`` protocol); a search goes
    through the search tables when they can be kept (:func:`search_ready`)."""
    indexed = bool(query.text.strip()) and search_ready(ctx, wait=False)
    with ctx.engine.begin() as conn:
        rows = ep.product_page(
            conn, ctx.shop, product_filter(query), int(after[0]) if after else None, limit + 1,
            indexed=indexed,
        )  # fmt: skip
        book = _tax_book(conn, ctx)
    items = [_item(r, book) for r in rows]
    return page_of(items, limit, lambda item: (item.id_product,))


def search_ready(ctx: ErpContext, *, full: bool = False, wait: bool = True) -> bool:
    """The search tables exist and were refreshed within the last ``REFRESH_SECONDS`` (a
    refresh runs now when due: the first one builds them). False, logged, when the database
    user may not create them or the refresh failed: the search then reads PrestaShop's tables.

    ``wait=False`` (a search typed by the manager): while another worker builds or refreshes
    the tables, do not queue behind it — use them if they were ready before, else read
    PrestaShop's tables (the first build takes tens of seconds on 100,000 products)."""
    key = (ctx.engine, ctx.shop.id_shop, ctx.shop.id_lang)
    if not _SEARCH_LOCK.acquire(blocking=wait):
        return key in _SEARCHED and key not in _NO_SEARCH
    try:
        if key in _NO_SEARCH:
            return False
        if not full and time.monotonic() - _SEARCHED.get(key, -1e9) < search.REFRESH_SECONDS:
            return True
        done = _refresh_search(ctx, key, full)
    finally:
        _SEARCH_LOCK.release()
    if done is None:
        return False
    if done.full or done.seconds > 1:
        logger.info("product search tables: %d products in %.1f s (full: %s)", done.products,
                    done.seconds, done.full)  # fmt: skip
    return True


def _refresh_search(
    ctx: ErpContext, key: tuple[Engine, int, int], full: bool
) -> search.SearchRefresh | None:
    """Under the lock: create the tables if need be and refresh them; None when not possible."""
    try:
        search.ensure_product_search(ctx.engine, ctx.shop.prefix)
    except DBAPIError as error:
        logger.warning("no product search tables (%s): searches read the catalog", error.orig)
        _NO_SEARCH.add(key)
        return None
    try:
        done = search.refresh(ctx.engine, ctx.shop, full=full)
    except DBAPIError as error:
        logger.warning("product search tables not refreshed, reading the catalog: %s",
                       error.orig)  # fmt: skip
        return None
    _SEARCHED[key] = time.monotonic()
    return done


def _item(r: ep.ProductListRow, book: TaxBook) -> ProductItem:
    return ProductItem(
        r.id_product, r.reference, r.ean13, r.name, r.category, r.price,
        book.with_tax(r.price, r.id_tax_rules_group), r.wholesale_price, r.quantity, r.active,
        r.date_upd,
    )  # fmt: skip


def _tax_book(conn: Connection, ctx: ErpContext) -> TaxBook:
    setting = opt.tax_setting(conn, ctx.shop)
    address = TaxAddress(setting.id_country, setting.id_state, setting.postcode)
    grouped: dict[int, list[TaxRule]] = {}
    for r in opt.tax_rules(conn, ctx.shop, setting.id_country):
        grouped.setdefault(r.id_tax_rules_group, []).append(
            TaxRule(r.id_country, r.id_state, r.zipcode_from, r.zipcode_to, r.behavior,
                    r.id_tax, r.rate, r.name)
        )  # fmt: skip
    calculators = {
        group: tax_calculator(rules, address, tax_enabled=setting.tax_enabled)
        for group, rules in grouped.items()
    }
    return TaxBook(calculators, ctx.shop.currency_precision)


def _int_or_none(value: object) -> int | None:
    return int(str(value)) if value not in (None, "", 0) else None


# --------------------------------------------------------------------------- form


def load_form(ctx: ErpContext, id_product: int | None) -> ProductForm:
    """The product (or None for a new one) and the form's choices, in one transaction."""
    with ctx.engine.begin() as conn:
        record = None
        if id_product is not None:
            record = ep.read_product(conn, ctx.shop, id_product)
            if record is None:
                raise UserFacingError(_("This product no longer exists in the shop."))
        return ProductForm(
            record, tuple(opt.languages(conn, ctx.shop)), tuple(opt.tax_groups(conn, ctx.shop)),
            tuple(opt.categories(conn, ctx.shop)), _tax_book(conn, ctx), ctx.shop.id_lang,
        )  # fmt: skip


def save_product(
    ctx: ErpContext, id_product: int, values: ProductValues, loaded: dt.datetime
) -> ProductRecord:
    """Save an edited product; refused if someone saved it since ``loaded``."""
    check_values(values, ctx.shop.id_lang)
    with ctx.engine.begin() as conn:
        ep.update_product(conn, ctx.shop, id_product, values, loaded)
        record = ep.read_product(conn, ctx.shop, id_product)
    assert record is not None
    return record


def create_product(ctx: ErpContext, values: ProductValues) -> ProductRecord:
    check_values(values, ctx.shop.id_lang)
    with ctx.engine.begin() as conn:
        id_product = ep.create_product(conn, ctx.shop, values)
        record = ep.read_product(conn, ctx.shop, id_product)
    assert record is not None
    return record


# --------------------------------------------------------------------------- validation


def ean13_ok(code: str) -> bool:
    """An EAN13 whose last digit is the GS1 check digit of the first twelve."""
    if len(code) != EAN13_LENGTH or not code.isdigit():
        return False
    return int(code[-1]) == ean13_check_digit(code[:12])


def ean13_check_digit(first12: str) -> int:
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(first12))
    return (10 - total % 10) % 10


def check_values(values: ProductValues, id_lang: int) -> None:
    """Refuse what PrestaShop's product page refuses, in the manager's words."""
    name = values.names.get(id_lang, "").strip()
    if not name:
        raise UserFacingError(_("The product needs a name."))
    if any(len(n) > NAME_MAX for n in values.names.values()):
        raise UserFacingError(_("A name may have at most {n} characters.").format(n=NAME_MAX))
    if values.ean13 and not ean13_ok(values.ean13):
        raise UserFacingError(
            _("{code} is not a valid EAN13: check the digits.").format(code=values.ean13)
        )
    if len(values.reference) > REFERENCE_MAX:
        raise UserFacingError(
            _("The reference may have at most {n} characters.").format(n=REFERENCE_MAX)
        )
    if values.price < 0 or values.wholesale_price < 0:
        raise UserFacingError(_("Prices cannot be negative."))
    if not values.id_category_default:
        raise UserFacingError(_("Choose the product's category."))


# --------------------------------------------------------------------------- typing


def parse_amount(text: str) -> Decimal:
    """A typed amount: ``24,20``, ``1.234,50``, ``24.20`` or ``1,234.50`` (a trailing € ok)."""
    clean = text.replace("€", "").replace(" ", "").strip()
    if not clean:
        return Decimal(0)
    if "," in clean and "." in clean:
        thousands = "." if clean.rfind(",") > clean.rfind(".") else ","
        clean = clean.replace(thousands, "")
    clean = clean.replace(",", ".")
    try:
        return Decimal(clean)
    except ArithmeticError as error:
        raise UserFacingError(_("{text} is not an amount.").format(text=text)) from error


def plain_amount(value: Decimal, places: int = 2) -> str:
    """An amount for an edit field: decimal comma, at least ``places`` decimals, no zeros
    beyond them (``20,661157``, ``24,20``)."""
    text = format(value.normalize(), "f")
    whole, _dot, decimals = text.partition(".")
    decimals = decimals.rstrip("0").ljust(places, "0")
    return f"{whole},{decimals}" if decimals else whole


@dataclass(frozen=True)
class ListOptions:
    categories: tuple[opt.Choice, ...]
    suppliers: tuple[opt.Choice, ...]


def list_options(ctx: ErpContext) -> ListOptions:
    """The choices of the products list's filters."""
    with ctx.engine.begin() as conn:
        return ListOptions(
            tuple(opt.categories(conn, ctx.shop)), tuple(opt.suppliers(conn, ctx.shop))
        )
