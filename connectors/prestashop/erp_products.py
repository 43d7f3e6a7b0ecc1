"""Products for the back office: the keyset list, the edit form's rows, and product writes.

Reads are scoped to the ERP's shop (``product_shop``, ``product_lang`` of the shop and its
language, stock row of the shop's stock scope, FACTS.md §7.1, §13). The list is keyset-paginated
on ``id_product`` and a search is either an exact code (EAN13 / reference of a product or of a
combination, answered first) or words that must each appear in the name or start the
reference — no OFFSET, no count, so page one costs the same on 100,000 products.

Writes leave the rows PrestaShop's back office leaves (FACTS.md §13, §14, §14b): ``product`` and
``product_shop`` carry the same shop-scoped values, ``product_lang`` one row per (shop,
language) of every language, the default category has its ``category_product`` row, a product
has its ``stock_available`` row, and ``date_upd`` is now and ``indexed`` 0 on both main rows so
PrestaShop re-indexes the product for search. An edit checks in the same transaction that
``product_shop.date_upd`` is still the one the form loaded (``check_unchanged``).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, Connection, CursorResult, and_, func, or_, select, union

from connectors.prestashop import erp_product_search as search
from connectors.prestashop.erp_suppliers import check_unchanged, language_ids, shop_now, table
from connectors.prestashop.order_lines import row
from connectors.prestashop.shop import ShopInfo

CODE_MIN = 4  # a single search term this long may be an exact code
STOCK_FILTERS = ("in", "out", "low")


@dataclass(frozen=True)
class ProductFilter:
    text: str = ""
    id_category: int | None = None
    active: bool | None = None
    stock: str | None = None  # "in", "out", "low" (quantity ≤ the product's or this threshold)
    low_threshold: int = 3
    id_supplier: int | None = None


@dataclass(frozen=True)
class ProductListRow:
    id_product: int
    reference: str
    ean13: str
    name: str
    category: str
    price: Decimal  # tax excluded (product_shop.price)
    id_tax_rules_group: int
    wholesale_price: Decimal
    quantity: int
    active: bool
    date_upd: dt.datetime


@dataclass(frozen=True)
class ProductValues:
    """What the product form edits; ``names`` maps id_lang → name (missing: left as is)."""

    names: Mapping[int, str]
    reference: str
    ean13: str
    price: Decimal  # tax excluded, 6 decimals
    id_tax_rules_group: int
    id_category_default: int
    active: bool
    wholesale_price: Decimal


@dataclass(frozen=True)
class ProductRecord:
    id_product: int
    values: ProductValues
    date_upd: dt.datetime  # product_shop.date_upd, for the concurrent-edit check
    quantity: int
    combinations: int


# --------------------------------------------------------------------------- the list


def product_page(
    conn: Connection, shop: ShopInfo, flt: ProductFilter, after: int | None, limit: int,
    *, indexed: bool = False,
) -> list[ProductListRow]:  # fmt: skip
    """Up to ``limit`` products matching ``flt`` with ``id_product > after``, by id.

    A code (a term with a digit) is looked up first on its own (:func:`code_matches`); words
    filter the keyset walk, which stops as soon as the page is full. With ``indexed`` both go
    through our search tables (``erp_product_search``), which must be up to date."""
    id_product = _ps(shop).c.id_product
    stmt = _list_select(shop).where(*_filters(shop, flt)).order_by(id_product)
    if after is not None:
        stmt = stmt.where(id_product > after)
    text = flt.text.strip()
    if text:
        ids: list[int] = []
        if _looks_like_code(text):
            ids = (search.code_ids if indexed else code_matches)(conn, shop, text)
        if ids:
            stmt = stmt.where(id_product.in_(ids))
        elif indexed:
            stmt = stmt.where(search.words_match(shop, id_product, text))
        else:
            stmt = stmt.where(_words_match(shop, text))
    return [_list_row(r) for r in conn.execute(stmt.limit(limit))]


def _ps(shop: ShopInfo) -> Any:
    return table(shop, "product_shop")


def _list_select(shop: ShopInfo) -> Any:
    p, ps, pl, cl, sa = (
        table(shop, n)
        for n in ("product", "product_shop", "product_lang", "category_lang", "stock_available")
    )
    id_shop, id_group = shop.stock_scope
    lang = and_(pl.c.id_product == ps.c.id_product, pl.c.id_shop == shop.id_shop,
                pl.c.id_lang == shop.id_lang)  # fmt: skip
    cat = and_(cl.c.id_category == ps.c.id_category_default, cl.c.id_shop == shop.id_shop,
               cl.c.id_lang == shop.id_lang)  # fmt: skip
    stock = and_(sa.c.id_product == ps.c.id_product, sa.c.id_product_attribute == 0,
                 sa.c.id_shop == id_shop, sa.c.id_shop_group == id_group)  # fmt: skip
    return (
        select(
            ps.c.id_product,
            p.c.reference,
            p.c.ean13,
            pl.c.name,
            cl.c.name.label("category"),
            ps.c.price,
            ps.c.id_tax_rules_group,
            ps.c.wholesale_price,
            sa.c.quantity,
            ps.c.active,
            ps.c.date_upd,
        )  # fmt: skip
        .select_from(ps)
        .join(p, p.c.id_product == ps.c.id_product)
        .outerjoin(pl, lang)
        .outerjoin(cl, cat)
        .outerjoin(sa, stock)
        .where(ps.c.id_shop == shop.id_shop)
    )


def _filters(shop: ShopInfo, flt: ProductFilter) -> list[ColumnElement[bool]]:
    p, ps, sa = (table(shop, n) for n in ("product", "product_shop", "stock_available"))
    found: list[ColumnElement[bool]] = []
    if flt.active is not None:
        found.append(ps.c.active == int(flt.active))
    if flt.id_category:
        cp = table(shop, "category_product")
        found.append(
            select(cp.c.id_product)
            .where(cp.c.id_category == flt.id_category, cp.c.id_product == ps.c.id_product)
            .exists()
        )
    if flt.id_supplier:
        psup = table(shop, "product_supplier")
        linked = select(psup.c.id_product).where(
            psup.c.id_supplier == flt.id_supplier, psup.c.id_product == ps.c.id_product
        )
        found.append(or_(p.c.id_supplier == flt.id_supplier, linked.exists()))
    quantity = func.coalesce(sa.c.quantity, 0)
    if flt.stock == "in":
        found.append(quantity > 0)
    elif flt.stock == "out":
        found.append(quantity <= 0)
    elif flt.stock == "low":
        found.append(quantity <= func.coalesce(ps.c.low_stock_threshold, flt.low_threshold))
    return found


def _looks_like_code(text: str) -> bool:
    """One term holding a digit: an EAN13/UPC or a reference (words never are looked up)."""
    return len(text) >= CODE_MIN and " " not in text and any(c.isdigit() for c in text)


def code_matches(conn: Connection, shop: ShopInfo, code: str) -> list[int]:
    """Products whose reference or EAN13, or one of whose combinations', is exactly ``code``.

    References are indexed; EAN13 is not (PrestaShop indexes no barcode column), so only an
    all-digit code pays a scan of product and product_attribute."""
    p, pa = table(shop, "product"), table(shop, "product_attribute")
    by_product = [p.c.reference == code]
    by_combination = [pa.c.reference == code]
    if code.isdigit():
        by_product.append(p.c.ean13 == code)
        by_combination.append(pa.c.ean13 == code)
    stmt = union(
        select(p.c.id_product).where(or_(*by_product)),
        select(pa.c.id_product).where(or_(*by_combination)),
    )
    return sorted(int(i) for i in conn.execute(stmt).scalars())


def _words_match(shop: ShopInfo, text: str) -> ColumnElement[bool]:
    """Each word is in the name (shop language) or starts the reference."""
    p, pl = table(shop, "product"), table(shop, "product_lang")
    conditions = [
        or_(pl.c.name.like(f"%{_escape(word)}%", escape="\\"),
            p.c.reference.like(f"{_escape(word)}%", escape="\\"))
        for word in text.split()
    ]  # fmt: skip
    return and_(*conditions)


def _escape(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _list_row(r: Any) -> ProductListRow:
    return ProductListRow(
        id_product=int(r.id_product), reference=r.reference or "", ean13=r.ean13 or "",
        name=r.name or "", category=r.category or "", price=Decimal(r.price),
        id_tax_rules_group=int(r.id_tax_rules_group), wholesale_price=Decimal(r.wholesale_price),
        quantity=int(r.quantity or 0), active=bool(r.active), date_upd=r.date_upd,
    )  # fmt: skip


# --------------------------------------------------------------------------- one product


def read_product(conn: Connection, shop: ShopInfo, id_product: int) -> ProductRecord | None:
    p, ps, pl, pa = (
        table(shop, n) for n in ("product", "product_shop", "product_lang", "product_attribute")
    )
    head = conn.execute(
        select(ps, p.c.reference, p.c.ean13)
        .join(p, p.c.id_product == ps.c.id_product)
        .where(ps.c.id_product == id_product, ps.c.id_shop == shop.id_shop)
    ).first()
    if head is None:
        return None
    names = conn.execute(
        select(pl.c.id_lang, pl.c.name).where(
            pl.c.id_product == id_product, pl.c.id_shop == shop.id_shop
        )
    )
    combinations = conn.execute(
        select(func.count()).select_from(pa).where(pa.c.id_product == id_product)
    ).scalar_one()
    values = ProductValues(
        names={int(i): n for i, n in names}, reference=head.reference or "",
        ean13=head.ean13 or "", price=Decimal(head.price),
        id_tax_rules_group=int(head.id_tax_rules_group),
        id_category_default=int(head.id_category_default or 0), active=bool(head.active),
        wholesale_price=Decimal(head.wholesale_price),
    )  # fmt: skip
    quantity = stock_quantity(conn, shop, id_product, 0)
    return ProductRecord(id_product, values, head.date_upd, quantity, int(combinations))


def stock_quantity(conn: Connection, shop: ShopInfo, id_product: int, id_attribute: int) -> int:
    sa = table(shop, "stock_available")
    id_shop, id_group = shop.stock_scope
    found = conn.execute(
        select(sa.c.quantity).where(
            sa.c.id_product == id_product,
            sa.c.id_product_attribute == id_attribute,
            sa.c.id_shop == id_shop,
            sa.c.id_shop_group == id_group,
        )  # fmt: skip
    ).scalar()
    return int(found or 0)


def update_product(
    conn: Connection, shop: ShopInfo, id_product: int, values: ProductValues, loaded: dt.datetime
) -> dt.datetime:
    """Save the form's ``values``; refused when product_shop.date_upd is not ``loaded``."""
    check_unchanged(conn, shop, "product_shop", _shop_key(shop, id_product), loaded)
    now = shop_now(shop)
    shop_values = _shop_values(values, now)
    _update(conn, shop, "product_shop", _shop_key(shop, id_product), shop_values)
    product_values: dict[str, Any] = {"reference": values.reference, "ean13": values.ean13 or None}
    default_shop = conn.execute(
        select(table(shop, "product").c.id_shop_default).where(
            table(shop, "product").c.id_product == id_product
        )
    ).scalar()
    if default_shop == shop.id_shop:  # product holds the default shop's values (§13)
        product_values |= shop_values
    else:
        product_values |= {"date_upd": now, "indexed": 0}
    _update(conn, shop, "product", {"id_product": id_product}, product_values)
    _write_names(conn, shop, id_product, values.names)
    ensure_category(conn, shop, id_product, values.id_category_default)
    ensure_stock_row(conn, shop, id_product, 0)
    search.index_products(conn, shop, [id_product])
    return now


def create_product(conn: Connection, shop: ShopInfo, values: ProductValues) -> int:
    """A new standard product in the shop, with every row PrestaShop's Product::add writes."""
    now = shop_now(shop)
    common = _new_shop_values(values, now)
    product = table(shop, "product")
    product_row = row(
        shop, "product", **common, reference=values.reference, ean13=values.ean13 or None,
        id_supplier=0, id_manufacturer=0, id_shop_default=shop.id_shop, location="",
        width=0, height=0, depth=0, weight=0, out_of_stock=2, cache_is_pack=0, is_virtual=0,
        state=1, product_type="standard", supplier_reference="", isbn="", upc="", mpn="",
    )  # fmt: skip
    id_product = new_id(conn.execute(product.insert().values(product_row)))
    shop_row = row(shop, "product_shop", **common, id_product=id_product, id_shop=shop.id_shop)
    conn.execute(table(shop, "product_shop").insert().values(shop_row))
    names = dict(values.names)
    fallback = names.get(shop.id_lang) or next(iter(names.values()), "")
    for id_lang in language_ids(conn, shop):
        names.setdefault(id_lang, fallback)
    _write_names(conn, shop, id_product, names)
    ensure_category(conn, shop, id_product, values.id_category_default)
    ensure_stock_row(conn, shop, id_product, 0)
    search.index_products(conn, shop, [id_product])
    return id_product


def new_id(result: CursorResult[Any]) -> int:
    """The auto-increment id an INSERT got."""
    key = result.inserted_primary_key
    if key is None:
        raise RuntimeError("the insert returned no id")
    return int(key[0])


def _shop_key(shop: ShopInfo, id_product: int) -> dict[str, int]:
    return {"id_product": id_product, "id_shop": shop.id_shop}


def _shop_values(values: ProductValues, now: dt.datetime) -> dict[str, Any]:
    return {
        "price": values.price, "wholesale_price": values.wholesale_price,
        "id_tax_rules_group": values.id_tax_rules_group,
        "id_category_default": values.id_category_default, "active": int(values.active),
        "date_upd": now, "indexed": 0,
    }  # fmt: skip


def _new_shop_values(values: ProductValues, now: dt.datetime) -> dict[str, Any]:
    return _shop_values(values, now) | {
        "on_sale": 0, "online_only": 0, "ecotax": 0, "minimal_quantity": 1,
        "low_stock_threshold": None, "low_stock_alert": 0, "unity": "", "unit_price_ratio": 0,
        "unit_price": 0, "additional_shipping_cost": 0, "customizable": 0,
        "available_for_order": 1, "available_date": None, "show_price": 1, "condition": "new",
        "visibility": "both", "cache_default_attribute": 0, "advanced_stock_management": 0,
        "pack_stock_type": 3, "date_add": now,
    }  # fmt: skip


def _update(
    conn: Connection, shop: ShopInfo, name: str, key: Mapping[str, int], values: dict[str, Any]
) -> None:
    t = table(shop, name)
    where = and_(*(t.c[column] == value for column, value in key.items()))
    conn.execute(t.update().where(where).values(row(shop, name, **values)))


def _write_names(
    conn: Connection, shop: ShopInfo, id_product: int, names: Mapping[int, str]
) -> None:
    """product_lang for each (this shop, language) named; a new row gets its link_rewrite."""
    pl = table(shop, "product_lang")
    key = and_(pl.c.id_product == id_product, pl.c.id_shop == shop.id_shop)
    present = set(conn.execute(select(pl.c.id_lang).where(key)).scalars())
    for id_lang, name in names.items():
        if id_lang in present:
            conn.execute(pl.update().where(key, pl.c.id_lang == id_lang).values(name=name))
            continue
        values = row(
            shop, "product_lang", id_product=id_product, id_shop=shop.id_shop, id_lang=id_lang,
            name=name, link_rewrite=link_rewrite(name), description="", description_short="",
            meta_title="", meta_description="", available_now="", available_later="",
        )  # fmt: skip
        conn.execute(pl.insert().values(values))


def link_rewrite(name: str) -> str:
    """A URL slug as PrestaShop's Tools::str2url makes it: ascii, lower case, dashes."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")
    return slug[:128] or "product"


def ensure_category(conn: Connection, shop: ShopInfo, id_product: int, id_category: int) -> None:
    """The product is in its default category (category_product, at the end of it)."""
    if not id_category:
        return
    cp = table(shop, "category_product")
    where = and_(cp.c.id_category == id_category, cp.c.id_product == id_product)
    if conn.execute(select(cp.c.id_product).where(where)).first() is not None:
        return
    last = conn.execute(
        select(func.max(cp.c.position)).where(cp.c.id_category == id_category)
    ).scalar()
    position = 0 if last is None else int(last) + 1
    conn.execute(cp.insert().values(id_category=id_category, id_product=id_product,
                                    position=position))  # fmt: skip


def ensure_stock_row(conn: Connection, shop: ShopInfo, id_product: int, id_attribute: int) -> int:
    """The stock_available row of (product, combination) in the shop's scope; its id."""
    sa = table(shop, "stock_available")
    id_shop, id_group = shop.stock_scope
    key = {"id_product": id_product, "id_product_attribute": id_attribute,
           "id_shop": id_shop, "id_shop_group": id_group}  # fmt: skip
    where = and_(*(sa.c[c] == v for c, v in key.items()))
    found = conn.execute(select(sa.c.id_stock_available).where(where)).scalar()
    if found is not None:
        return int(found)
    values = row(shop, "stock_available", **key, quantity=0, physical_quantity=0,
                 reserved_quantity=0, depends_on_stock=0, out_of_stock=2, location="")  # fmt: skip
    return new_id(conn.execute(sa.insert().values(values)))


def touch_product(conn: Connection, shop: ShopInfo, id_product: int) -> dt.datetime:
    """date_upd = now and indexed = 0 on product and product_shop (after a combination write)."""
    now = shop_now(shop)
    values = {"date_upd": now, "indexed": 0}
    _update(conn, shop, "product_shop", _shop_key(shop, id_product), values)
    _update(conn, shop, "product", {"id_product": id_product}, values)
    return now


def products_by_ids(
    conn: Connection, shop: ShopInfo, ids: Sequence[int]
) -> dict[int, ProductListRow]:
    """List rows of some products (labels for other screens)."""
    if not ids:
        return {}
    stmt = _list_select(shop).where(_ps(shop).c.id_product.in_(list(ids)))
    return {r.id_product: r for r in map(_list_row, conn.execute(stmt))}
