"""Combinations for the back office: the grid's rows, edits and new combinations, with the rows
PrestaShop keeps for them (FACTS.md §7.1, §13, §14b).

A combination is ``product_attribute`` + ``product_attribute_shop`` (same shop-scoped values;
``default_on`` 1 for exactly one combination of a product and shop, NULL for the others),
its ``product_attribute_combination`` rows (one per attribute value), ``product_attribute_lang``
rows from 8.1 on, and a ``stock_available`` row; the product's own stock row stays the sum of
its combinations. The first combination makes the product a ``combinations`` product and its
``cache_default_attribute``. Quantities typed in the grid move stock with movements
(``erp_stock``). Any write bumps the product's ``date_upd`` (and ``indexed`` = 0) after checking
it is still the one the grid loaded: combinations have no date of their own (§14).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import Connection, and_, column, select
from sqlalchemy import table as sql_table

from connectors.prestashop import erp_product_search as search
from connectors.prestashop.erp_products import ensure_stock_row, new_id, touch_product
from connectors.prestashop.erp_stock import (
    attribute_labels,
    quantities,
    set_quantities,
    sync_parent,
)
from connectors.prestashop.erp_suppliers import check_unchanged, language_ids, table
from connectors.prestashop.order_lines import row
from connectors.prestashop.shop import ShopInfo

LANG_TABLE_FAMILIES = ("8.1", "9.0", "9.1")  # product_attribute_lang exists (8.1.0+)


@dataclass(frozen=True)
class CombinationRow:
    id_product_attribute: int
    label: str  # "Talla: M, Color: Rojo"
    reference: str
    ean13: str
    price_impact: Decimal  # tax excluded
    quantity: int
    default: bool


@dataclass(frozen=True)
class CombinationEdit:
    id_product_attribute: int
    reference: str
    ean13: str
    price_impact: Decimal
    quantity: int


def list_combinations(conn: Connection, shop: ShopInfo, id_product: int) -> list[CombinationRow]:
    pa, pas = table(shop, "product_attribute"), table(shop, "product_attribute_shop")
    rows = conn.execute(
        select(
            pa.c.id_product_attribute, pa.c.reference, pa.c.ean13, pas.c.price, pas.c.default_on
        )  # fmt: skip
        .join(
            pas,
            and_(
                pas.c.id_product_attribute == pa.c.id_product_attribute,
                pas.c.id_shop == shop.id_shop,
            ),
        )  # fmt: skip
        .where(pa.c.id_product == id_product)
        .order_by(pa.c.id_product_attribute)
    ).all()
    ids = [int(r.id_product_attribute) for r in rows]
    labels = attribute_labels(conn, shop, ids)
    stock = quantities(conn, shop, [(id_product, i) for i in ids])
    return [
        CombinationRow(int(r.id_product_attribute), labels.get(int(r.id_product_attribute), ""),
                       r.reference or "", r.ean13 or "", Decimal(r.price),
                       stock[(id_product, int(r.id_product_attribute))], bool(r.default_on))
        for r in rows
    ]  # fmt: skip


def update_combinations(
    conn: Connection, shop: ShopInfo, id_product: int, edits: Sequence[CombinationEdit],
    *,
    loaded: dt.datetime, id_employee: int,
) -> dt.datetime:  # fmt: skip
    """Save the grid's rows; stock moved to the typed quantities with movements."""
    check_unchanged(conn, shop, "product_shop", {"id_product": id_product,
                                                 "id_shop": shop.id_shop}, loaded)  # fmt: skip
    pa, pas = table(shop, "product_attribute"), table(shop, "product_attribute_shop")
    for edit in edits:
        key = edit.id_product_attribute
        conn.execute(
            pa.update().where(pa.c.id_product_attribute == key, pa.c.id_product == id_product)
            .values(reference=edit.reference, ean13=edit.ean13 or None, price=edit.price_impact)
        )  # fmt: skip
        conn.execute(
            pas.update().where(pas.c.id_product_attribute == key, pas.c.id_shop == shop.id_shop)
            .values(price=edit.price_impact)
        )  # fmt: skip
    targets = {(id_product, e.id_product_attribute): e.quantity for e in edits}
    set_quantities(conn, shop, targets, id_employee)
    search.index_products(conn, shop, [id_product])
    return touch_product(conn, shop, id_product)


def create_combination(
    conn: Connection, shop: ShopInfo, id_product: int, attributes: Sequence[int],
    values: CombinationEdit, *, loaded: dt.datetime,
) -> int:  # fmt: skip
    """A new combination of ``attributes`` (one value per group); its id."""
    check_unchanged(conn, shop, "product_shop", {"id_product": id_product,
                                                 "id_shop": shop.id_shop}, loaded)  # fmt: skip
    ps = table(shop, "product_shop")
    head = conn.execute(
        select(ps.c.wholesale_price).where(
            ps.c.id_product == id_product, ps.c.id_shop == shop.id_shop
        )  # fmt: skip
    ).one()
    first = not list_combinations(conn, shop, id_product)
    common = dict(
        id_product=id_product, price=values.price_impact, wholesale_price=head.wholesale_price,
        ecotax=0, weight=0, unit_price_impact=0, default_on=1 if first else None,
        minimal_quantity=1, low_stock_threshold=None, low_stock_alert=0, available_date=None,
    )  # fmt: skip
    pa_row = row(
        shop,
        "product_attribute",
        **common,
        reference=values.reference,
        ean13=values.ean13 or None,
        supplier_reference="",
        isbn="",
        upc="",
        mpn="",
    )
    id_pa = new_id(conn.execute(table(shop, "product_attribute").insert().values(pa_row)))
    pas_row = row(shop, "product_attribute_shop", **common, id_product_attribute=id_pa,
                  id_shop=shop.id_shop)  # fmt: skip
    conn.execute(table(shop, "product_attribute_shop").insert().values(pas_row))
    pac = table(shop, "product_attribute_combination")
    for id_attribute in sorted(set(attributes)):
        conn.execute(pac.insert().values(id_attribute=id_attribute, id_product_attribute=id_pa))
    _lang_rows(conn, shop, id_pa)
    ensure_stock_row(conn, shop, id_product, id_pa)
    if first:
        _became_combinations(conn, shop, id_product, id_pa)
    sync_parent(conn, shop, id_product)
    touch_product(conn, shop, id_product)
    search.index_products(conn, shop, [id_product])
    return id_pa


def _lang_rows(conn: Connection, shop: ShopInfo, id_pa: int) -> None:
    if shop.family not in LANG_TABLE_FAMILIES:
        return
    lang_table = sql_table(
        f"{shop.prefix}product_attribute_lang", column("id_product_attribute"),
        column("id_lang"), column("available_now"), column("available_later"),
    )  # fmt: skip
    for id_lang in language_ids(conn, shop):
        conn.execute(
            lang_table.insert().values(
                id_product_attribute=id_pa, id_lang=id_lang, available_now="", available_later=""
            )
        )


def _became_combinations(conn: Connection, shop: ShopInfo, id_product: int, id_pa: int) -> None:
    p, ps = table(shop, "product"), table(shop, "product_shop")
    conn.execute(
        p.update()
        .where(p.c.id_product == id_product)
        .values(cache_default_attribute=id_pa, product_type="combinations")
    )
    conn.execute(ps.update().where(ps.c.id_product == id_product, ps.c.id_shop == shop.id_shop)
                 .values(cache_default_attribute=id_pa))  # fmt: skip
