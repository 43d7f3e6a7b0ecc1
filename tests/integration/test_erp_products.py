"""ERP products on real shops (MariaDB 1.7.8 / 8.0 / 9.0 and SQLite): the keyset list and its
search and filters, and edits/creations leaving the rows PrestaShop's back office leaves."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import text

from app.erp.context import ErpContext
from app.erp.listing import ListQuery, iter_rows
from app.erp.products import (
    create_product,
    ean13_check_digit,
    ean13_ok,
    load_form,
    product_page,
    save_product,
)
from app.errors import UserFacingError
from connectors.prestashop.erp_products import ProductValues
from connectors.prestashop.erp_suppliers import ChangedElsewhere
from connectors.prestashop.shop import open_shop
from tests.support.shop_db import ShopDb


@pytest.fixture
def ctx(demo_shop_db: ShopDb) -> Iterator[ErpContext]:
    engine = demo_shop_db.engine()
    context = ErpContext(engine, open_shop(engine, "ps_", 1, "es"), id_employee=1)
    yield context
    context.close()


def rows(ctx: ErpContext, sql: str, **params: Any) -> list[dict[str, Any]]:
    with ctx.engine.connect() as conn:
        result = conn.execute(text(sql.replace("{p}", "ps_")), params)
        return [dict(r._mapping) for r in result]


def dec(value: object) -> Decimal:
    """A stored decimal (SQLite answers raw SQL with floats) to PrestaShop's 6 places."""
    return Decimal(str(value)).quantize(Decimal("0.000001"))


def when(value: object) -> dt.datetime:
    """A stored datetime (SQLite answers raw SQL with text)."""
    return value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value))


def one(ctx: ErpContext, sql: str, **params: Any) -> dict[str, Any]:
    found = rows(ctx, sql, **params)
    assert len(found) == 1, found
    return found[0]


def test_the_list_walks_every_product_by_keyset_pages(ctx: ErpContext) -> None:
    first = product_page(ctx, ListQuery(), None, 15)
    assert len(first.rows) == 15 and first.next_key == (first.rows[-1].id_product,)
    second = product_page(ctx, ListQuery(), first.next_key, 15)
    assert second.rows[0].id_product > first.rows[-1].id_product
    every = list(iter_rows(product_page, ctx, ListQuery(), batch=7))
    assert [p.id_product for p in every] == list(range(1, 41))
    item = every[0]
    shop = one(ctx, "SELECT price FROM {p}product_shop WHERE id_product = 1 AND id_shop = 1")
    assert item.price == dec(shop["price"])
    assert item.price_tax_incl > item.price and item.name and item.category


def test_search_by_code_by_words_and_filters(ctx: ErpContext) -> None:
    target = one(
        ctx, "SELECT p.id_product, p.reference, p.ean13, pl.name FROM {p}product p "
        "JOIN {p}product_lang pl ON pl.id_product = p.id_product AND pl.id_lang = 1 "
        "WHERE p.id_product = 7",
    )  # fmt: skip
    by_ean = product_page(ctx, ListQuery(target["ean13"]), None, 50).rows
    assert [p.id_product for p in by_ean] == [7]
    by_ref = product_page(ctx, ListQuery(target["reference"]), None, 50).rows
    assert [p.id_product for p in by_ref] == [7]
    words = target["name"].lower().split()[:2]
    found = product_page(ctx, ListQuery(" ".join(words)), None, 50).rows
    assert 7 in [p.id_product for p in found]
    assert all(all(w in p.name.lower() for w in words) for p in found)
    combo = one(ctx, "SELECT id_product, ean13 FROM {p}product_attribute "
                     "ORDER BY id_product_attribute LIMIT 1")  # fmt: skip
    assert [p.id_product for p in product_page(ctx, ListQuery(combo["ean13"]), None, 9).rows] == [
        combo["id_product"]
    ]
    out = product_page(ctx, ListQuery(filters={"stock": "out"}), None, 50).rows
    assert out and all(p.quantity <= 0 for p in out)
    category = out[0].category
    in_cat = product_page(
        ctx, ListQuery(filters={"id_category": _category_id(ctx, category)}), None, 50
    ).rows
    assert in_cat and all(p.category == category for p in in_cat)


def _category_id(ctx: ErpContext, name: str) -> int:
    return int(one(ctx, "SELECT id_category FROM {p}category_lang WHERE name = :n AND id_lang = 1",
                   n=name)["id_category"])  # fmt: skip


def test_price_typed_with_tax_is_stored_without_tax_on_every_row(ctx: ErpContext) -> None:
    form = load_form(ctx, 3)
    assert form.record is not None
    record = form.record
    group = record.values.id_tax_rules_group
    excl = form.taxes.without_tax(Decimal("24.20"), group)
    rate = form.taxes.calculator(group).total_rate
    assert excl == (Decimal("24.20") / (1 + rate / 100)).quantize(Decimal("0.000001"))
    names = dict(record.values.names)
    names[1] = "Camiseta editada"
    values = ProductValues(
        names=names, reference="EDIT-3", ean13="8412345678905", price=excl,
        id_tax_rules_group=group, id_category_default=record.values.id_category_default,
        active=False, wholesale_price=Decimal("7.5"),
    )  # fmt: skip
    saved = save_product(ctx, 3, values, record.date_upd)
    assert saved.values.price == excl and saved.values.names[1] == "Camiseta editada"
    for table in ("product", "product_shop"):
        stored = one(ctx, f"SELECT price, wholesale_price, active, indexed, date_upd "
                     f"FROM {{p}}{table} WHERE id_product = 3")  # fmt: skip
        assert dec(stored["price"]) == excl
        assert dec(stored["wholesale_price"]) == Decimal("7.5")
        assert (stored["active"], stored["indexed"]) == (0, 0)
        assert when(stored["date_upd"]) == saved.date_upd
    product = one(ctx, "SELECT reference, ean13 FROM {p}product WHERE id_product = 3")
    assert product == {"reference": "EDIT-3", "ean13": "8412345678905"}
    langs = rows(ctx, "SELECT id_lang, name FROM {p}product_lang WHERE id_product = 3 "
                 "ORDER BY id_lang")  # fmt: skip
    assert [r["name"] for r in langs] == ["Camiseta editada", names[2]]


def test_an_edit_over_someone_elses_save_is_refused(ctx: ErpContext) -> None:
    form = load_form(ctx, 5)
    assert form.record is not None
    later = form.record.date_upd + dt.timedelta(minutes=3)
    with ctx.engine.begin() as conn:
        conn.execute(text("UPDATE ps_product_shop SET date_upd = :d, price = 1 "
                          "WHERE id_product = 5"), {"d": later})  # fmt: skip
    values = ProductValues(**{**form.record.values.__dict__, "reference": "MINE"})
    with pytest.raises(ChangedElsewhere, match=later.strftime("%H:%M")):
        save_product(ctx, 5, values, form.record.date_upd)
    assert one(ctx, "SELECT reference FROM {p}product WHERE id_product = 5")["reference"] != "MINE"
    assert dec(one(ctx, "SELECT price FROM {p}product_shop WHERE id_product = 5")["price"]) == 1


def test_a_new_product_gets_every_row_prestashop_keeps(ctx: ErpContext) -> None:
    form = load_form(ctx, None)
    category = form.categories[-1].id
    group = form.tax_groups[0].id
    values = ProductValues(
        names={1: "Gorra de lana"}, reference="GOR-1", ean13="", price=Decimal("10.000000"),
        id_tax_rules_group=group, id_category_default=category, active=True,
        wholesale_price=Decimal("4"),
    )  # fmt: skip
    record = create_product(ctx, values)
    new = record.id_product
    product = one(ctx, "SELECT * FROM {p}product WHERE id_product = :i", i=new)
    shop = one(ctx, "SELECT * FROM {p}product_shop WHERE id_product = :i", i=new)
    for stored in (product, shop):
        assert dec(stored["price"]) == Decimal(10)
        assert stored["id_tax_rules_group"] == group
        assert stored["id_category_default"] == category
        assert (stored["active"], stored["indexed"], stored["visibility"]) == (1, 0, "both")
        assert when(stored["date_add"]) == when(stored["date_upd"]) == record.date_upd
    assert (product["id_shop_default"], product["product_type"]) == (1, "standard")
    assert shop["id_shop"] == 1
    langs = rows(ctx, "SELECT id_lang, name, link_rewrite FROM {p}product_lang "
                 "WHERE id_product = :i AND id_shop = 1 ORDER BY id_lang", i=new)  # fmt: skip
    assert langs == [
        {"id_lang": 1, "name": "Gorra de lana", "link_rewrite": "gorra-de-lana"},
        {"id_lang": 2, "name": "Gorra de lana", "link_rewrite": "gorra-de-lana"},
    ]
    assert rows(ctx, "SELECT id_category FROM {p}category_product WHERE id_product = :i",
                i=new) == [{"id_category": category}]  # fmt: skip
    stock = one(ctx, "SELECT * FROM {p}stock_available WHERE id_product = :i", i=new)
    assert (stock["id_product_attribute"], stock["id_shop"], stock["id_shop_group"]) == (0, 1, 0)
    assert (stock["quantity"], stock["physical_quantity"], stock["out_of_stock"]) == (0, 0, 2)
    found = product_page(ctx, ListQuery("GOR-1"), None, 5).rows
    assert [p.name for p in found] == ["Gorra de lana"]


def test_ean13_check_digit() -> None:
    assert ean13_check_digit("841234567890") == 5
    assert ean13_ok("8412345678905") and not ean13_ok("8412345678904")
    with pytest.raises(UserFacingError, match="EAN13"):
        from app.erp.products import check_values

        check_values(
            ProductValues({1: "x"}, "", "8412345678904", Decimal(1), 1, 3, True, Decimal(0)), 1
        )
