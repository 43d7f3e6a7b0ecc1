"""The demo shop's suppliers: held together as PrestaShop keeps them, and found by the ERP."""

from __future__ import annotations

import contextlib
import datetime
import sqlite3
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from app import connection
from app.connection import ShopTarget, parse_url
from app.erp import products, purchases, suppliers
from app.erp.context import ErpContext, open_erp
from app.erp.listing import ListQuery, iter_rows
from connectors.prestashop.demo_shop import build_demo_shop
from connectors.prestashop.demo_suppliers import cif
from connectors.prestashop.engine import make_engine
from tests.support.shop_db import ShopDb


@pytest.fixture
def ctx(demo_shop_db: ShopDb) -> Iterator[ErpContext]:
    target = ShopTarget(url=parse_url(demo_shop_db.url), prefix=demo_shop_db.prefix)
    context = open_erp(target, id_employee=1)
    yield context
    context.close()


def _rows(ctx: ErpContext, sql: str) -> list[dict[str, Any]]:
    with ctx.engine.connect() as conn:
        return [dict(r) for r in conn.execute(text(sql)).mappings()]


def _price(value: Any) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.000001"))


def test_every_supplier_has_the_rows_prestashop_keeps(ctx: ErpContext) -> None:
    heads = _rows(ctx, "SELECT * FROM ps_supplier ORDER BY id_supplier")
    assert len(heads) == 6 and all(h["active"] == 1 for h in heads)
    assert all(h["date_add"] == h["date_upd"] for h in heads)
    langs = sorted(r["id_lang"] for r in _rows(ctx, "SELECT id_lang FROM ps_lang"))
    lang_rows = _rows(ctx, "SELECT id_supplier, id_lang, description FROM ps_supplier_lang")
    shop_rows = _rows(ctx, "SELECT id_supplier, id_shop FROM ps_supplier_shop")
    addresses = _rows(ctx, "SELECT * FROM ps_address WHERE id_supplier > 0")
    for head in heads:
        sid = head["id_supplier"]
        mine = [r for r in lang_rows if r["id_supplier"] == sid]
        assert sorted(r["id_lang"] for r in mine) == langs
        assert all(r["description"] for r in mine)
        assert [r["id_shop"] for r in shop_rows if r["id_supplier"] == sid] == [1]
        (address,) = [a for a in addresses if a["id_supplier"] == sid]
        assert (address["alias"], address["firstname"], address["lastname"]) == ("supplier",) * 3
        assert (address["id_customer"], address["id_manufacturer"], address["deleted"]) == (0, 0, 0)
        assert address["address1"] and address["city"] and address["postcode"]
        assert address["dni"] == cif(address["dni"][:8])
    assert len({a["id_address"] for a in addresses}) == 6


def test_every_product_and_combination_has_its_supplier_row(ctx: ErpContext) -> None:
    heads = _rows(
        ctx,
        "SELECT p.id_product, p.id_supplier, p.supplier_reference, ps.wholesale_price,"
        " ps.cache_default_attribute FROM ps_product p JOIN ps_product_shop ps"
        " ON ps.id_product = p.id_product AND ps.id_shop = 1",
    )
    combos = _rows(ctx, "SELECT * FROM ps_product_attribute")
    links = {
        (r["id_product"], r["id_product_attribute"], r["id_supplier"]): r
        for r in _rows(ctx, "SELECT * FROM ps_product_supplier")
    }
    assert len(links) == len(heads) + len(combos)  # no orphan, no duplicate
    for head in heads:
        own = links[(head["id_product"], 0, head["id_supplier"])]
        assert _price(own["product_supplier_price_te"]) == _price(head["wholesale_price"])
        assert own["id_currency"] == 1 and own["product_supplier_reference"]
        if not head["cache_default_attribute"]:
            assert head["supplier_reference"] == own["product_supplier_reference"]
    for combo in combos:
        key = combo["id_product"], combo["id_product_attribute"]
        head = next(h for h in heads if h["id_product"] == key[0])
        link = links[(*key, head["id_supplier"])]
        assert combo["supplier_reference"] == link["product_supplier_reference"]
        assert _price(link["product_supplier_price_te"]) == _price(combo["wholesale_price"])
        if head["cache_default_attribute"] == key[1]:
            assert head["supplier_reference"] == combo["supplier_reference"]
    assert {h["id_supplier"] for h in heads} <= {1, 2, 3, 4, 5, 6}


def test_the_erp_lists_the_suppliers_with_their_products(ctx: ErpContext) -> None:
    listed = suppliers.list_suppliers(ctx)
    assert [s.name for s in listed] == sorted(s.name for s in listed)
    assert len(listed) == 6
    assert all(s.active and s.city and s.phone for s in listed)
    count = _rows(ctx, "SELECT COUNT(*) AS n FROM ps_product")[0]["n"]
    assert sum(s.products for s in listed) == count
    (books,) = suppliers.list_suppliers(ctx, "Editoriales")
    record = suppliers.load_supplier(ctx, books.id_supplier)
    assert record.data.city == "Sevilla" and record.data.dni.startswith("B41")
    assert record.data.description == "Distribuidora de libros y papelería"


def test_the_products_list_filters_by_supplier(ctx: ErpContext) -> None:
    choices = products.list_options(ctx).suppliers
    assert len(choices) == 6
    seen: set[int] = set()
    for choice in choices:
        query = ListQuery(filters={"id_supplier": choice.id})
        found = {p.id_product for p in iter_rows(products.product_page, ctx, query, batch=50)}
        expected = _rows(ctx, f"SELECT id_product FROM ps_product WHERE id_supplier = {choice.id}")
        assert found == {r["id_product"] for r in expected}
        seen |= found
    assert len(seen) == _rows(ctx, "SELECT COUNT(*) AS n FROM ps_product")[0]["n"]


def test_the_purchase_item_finder_offers_the_supplier_price(ctx: ErpContext) -> None:
    (combo,) = _rows(
        ctx,
        "SELECT pa.ean13, pa.supplier_reference, pa.wholesale_price, p.id_supplier"
        " FROM ps_product_attribute pa JOIN ps_product p ON p.id_product = pa.id_product"
        " ORDER BY pa.id_product_attribute LIMIT 1",
    )
    (item,) = purchases.find_items(ctx, combo["ean13"], combo["id_supplier"])
    assert item.supplier_reference == combo["supplier_reference"]
    assert _price(item.cost) == _price(combo["wholesale_price"])


def test_same_seed_same_supplier_rows(tmp_path: Path) -> None:
    tables = ("supplier", "supplier_lang", "address", "product_supplier", "product")
    dumps = []
    for name in ("a", "b"):
        engine = make_engine(f"sqlite:///{tmp_path / name}.sqlite3")
        try:
            build_demo_shop(engine, products=30, seed=5, today=datetime.date(2024, 6, 15))
            with engine.connect() as conn:
                dumps.append(
                    [list(conn.execute(text(f"SELECT * FROM ps_{t} ORDER BY 1"))) for t in tables]
                )
        finally:
            engine.dispose()
    assert dumps[0] == dumps[1]


@pytest.mark.parametrize(
    ("body", "expected"), [("A5881850", "A58818501"), ("B4621873", "B46218731")]
)
def test_cif_control_digit(body: str, expected: str) -> None:
    assert cif(body) == expected


def test_a_demo_shop_built_before_suppliers_is_rebuilt_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(connection, "DEMO_PRODUCTS", 20)
    monkeypatch.setattr(connection, "DEMO_ORDERS", 5)
    path = tmp_path / "demo-shop.sqlite3"
    with contextlib.closing(sqlite3.connect(path)) as old:  # an older demo: no format stamp
        old.execute("CREATE TABLE ps_product (id_product INTEGER PRIMARY KEY)")
        old.commit()
    assert connection.demo_format(path) == 0
    assert connection.ensure_demo_shop(path) == path
    assert connection.demo_format(path) == connection.DEMO_FORMAT

    def suppliers_in(file: Path) -> int:
        with contextlib.closing(sqlite3.connect(file)) as db:
            return int(db.execute("SELECT COUNT(*) FROM ps_supplier").fetchone()[0])

    assert suppliers_in(path) == 6
    with contextlib.closing(sqlite3.connect(path)) as db:  # what the user did is kept from now on
        db.execute("DELETE FROM ps_supplier WHERE id_supplier = 6")
        db.commit()
    connection.ensure_demo_shop(path)
    assert suppliers_in(path) == 5
