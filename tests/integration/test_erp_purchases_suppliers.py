"""Suppliers written as PrestaShop's back office writes them (supplier, supplier_lang for every
language, supplier_shop, the supplier's address) and product_supplier prices."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import pytest
from sqlalchemy import text

from app.connection import ShopTarget, parse_url
from app.erp import suppliers
from app.erp.context import ErpContext, open_erp
from app.errors import UserFacingError
from connectors.prestashop.erp_suppliers import ChangedElsewhere, SupplierData
from tests.support.shop_db import ShopDb


@pytest.fixture
def ctx(demo_shop_db: ShopDb) -> Iterator[ErpContext]:
    target = ShopTarget(url=parse_url(demo_shop_db.url), prefix=demo_shop_db.prefix)
    context = open_erp(target, id_employee=1)
    yield context
    context.close()


def _rows(ctx: ErpContext, sql: str, **params: object) -> list[dict[str, object]]:
    with ctx.engine.connect() as conn:
        return [dict(r) for r in conn.execute(text(sql), params).mappings()]


DATA = SupplierData(
    name="Distribuciones Núñez",
    description="Tornillería",
    address1="Calle Mayor 1",
    postcode="28001",
    city="Madrid",
    phone="910000000",
    dni="B12345678",
)


def test_a_new_supplier_has_every_row_prestashop_keeps(ctx: ErpContext) -> None:
    record = suppliers.create_supplier(ctx, DATA)
    sid = record.id_supplier
    (head,) = _rows(ctx, "SELECT * FROM ps_supplier WHERE id_supplier = :i", i=sid)
    assert head["name"] == "Distribuciones Núñez" and head["active"] == 1
    assert str(head["date_add"]) == str(head["date_upd"]) == str(record.date_upd)
    langs = _rows(ctx, "SELECT id_lang FROM ps_lang ORDER BY id_lang")
    lang_rows = _rows(ctx, "SELECT * FROM ps_supplier_lang WHERE id_supplier = :i", i=sid)
    assert sorted(r["id_lang"] for r in lang_rows) == [r["id_lang"] for r in langs]
    assert {r["description"] for r in lang_rows} == {"Tornillería"}
    shops = _rows(ctx, "SELECT id_shop FROM ps_supplier_shop WHERE id_supplier = :i", i=sid)
    assert shops == [{"id_shop": ctx.shop.id_shop}]
    (address,) = _rows(ctx, "SELECT * FROM ps_address WHERE id_supplier = :i", i=sid)
    assert (address["alias"], address["firstname"], address["lastname"]) == ("supplier",) * 3
    assert (address["id_customer"], address["id_manufacturer"], address["deleted"]) == (0, 0, 0)
    assert (address["address1"], address["city"], address["dni"]) == (
        "Calle Mayor 1",
        "Madrid",
        "B12345678",
    )
    assert address["id_country"] == ctx.shop.id_country
    listed = suppliers.list_suppliers(ctx, "núñez")
    assert [(s.id_supplier, s.city, s.products) for s in listed] == [(sid, "Madrid", 0)]


def test_an_edit_saves_and_a_concurrent_one_is_refused(ctx: ErpContext) -> None:
    record = suppliers.create_supplier(ctx, DATA)
    with ctx.engine.begin() as conn:  # someone saves it in PrestaShop meanwhile
        conn.execute(
            text("UPDATE ps_supplier SET date_upd = '2030-01-02 09:41:00' WHERE id_supplier = :i"),
            {"i": record.id_supplier},
        )
    changed = SupplierData(**{**vars(DATA), "city": "Sevilla"})
    with pytest.raises(ChangedElsewhere, match="09:41"):
        suppliers.save_supplier(ctx, record.id_supplier, changed, record.date_upd)
    fresh = suppliers.load_supplier(ctx, record.id_supplier)
    assert fresh.data.city == "Madrid"
    saved = suppliers.save_supplier(ctx, record.id_supplier, changed, fresh.date_upd)
    assert saved.data.city == "Sevilla" and saved.date_upd != fresh.date_upd
    assert (
        len(_rows(ctx, "SELECT 1 FROM ps_address WHERE id_supplier = :i", i=record.id_supplier))
        == 1
    )
    with pytest.raises(UserFacingError):
        suppliers.create_supplier(ctx, SupplierData(name=" "))


def _product_without_combinations(ctx: ErpContext) -> int:
    (found,) = _rows(
        ctx,
        "SELECT MIN(p.id_product) AS id FROM ps_product p WHERE NOT EXISTS "
        "(SELECT 1 FROM ps_product_attribute pa WHERE pa.id_product = p.id_product)",
    )
    return int(found["id"])


def _without_suppliers(ctx: ErpContext, pid: int) -> None:
    """As the back office leaves a product whose suppliers were all removed (the demo shop
    gives every product its category's wholesaler)."""
    with ctx.engine.begin() as conn:
        conn.execute(text("DELETE FROM ps_product_supplier WHERE id_product = :i"), {"i": pid})
        conn.execute(
            text("UPDATE ps_product SET id_supplier = 0, supplier_reference = '' "
                 "WHERE id_product = :i"),
            {"i": pid},
        )  # fmt: skip


def test_a_product_price_makes_it_the_default_supplier(ctx: ErpContext) -> None:
    sid = suppliers.create_supplier(ctx, DATA).id_supplier
    pid = _product_without_combinations(ctx)
    _without_suppliers(ctx, pid)
    suppliers.save_product_supplier(ctx, (pid, 0), sid, "NU-77", Decimal("3.25"))
    suppliers.save_product_supplier(ctx, (pid, 0), sid, "NU-78", Decimal("3.40"))
    (ps,) = _rows(ctx, "SELECT * FROM ps_product_supplier WHERE id_supplier = :i", i=sid)
    assert (ps["id_product"], ps["id_product_attribute"], ps["product_supplier_reference"]) == (
        pid,
        0,
        "NU-78",
    )
    assert Decimal(str(ps["product_supplier_price_te"])) == Decimal("3.40")
    assert ps["id_currency"] == ctx.shop.id_currency
    (product,) = _rows(ctx, "SELECT * FROM ps_product WHERE id_product = :i", i=pid)
    assert (product["id_supplier"], product["supplier_reference"], product["indexed"]) == (
        sid,
        "NU-78",
        0,
    )
    assert Decimal(str(product["wholesale_price"])) == Decimal("3.40")
    (shop_row,) = _rows(
        ctx, "SELECT * FROM ps_product_shop WHERE id_product = :i AND id_shop = 1", i=pid
    )
    assert Decimal(str(shop_row["wholesale_price"])) == Decimal("3.40")
    assert str(shop_row["date_upd"]) == str(product["date_upd"])
    assert [s.products for s in suppliers.list_suppliers(ctx, "núñez")] == [1]
    rows = suppliers.product_suppliers(ctx, id_supplier=sid)
    assert [(r.id_product, r.reference, r.price_te) for r in rows] == [
        (pid, "NU-78", Decimal("3.4"))
    ]


def test_a_second_supplier_price_leaves_the_default_supplier_alone(ctx: ErpContext) -> None:
    sid = suppliers.create_supplier(ctx, DATA).id_supplier
    pid = _product_without_combinations(ctx)
    query = (
        "SELECT id_supplier, supplier_reference, wholesale_price FROM ps_product"
        " WHERE id_product = :i"
    )
    (before,) = _rows(ctx, query, i=pid)
    assert before["id_supplier"] not in (0, sid)  # the demo's wholesaler
    suppliers.save_product_supplier(ctx, (pid, 0), sid, "NU-90", Decimal("0.10"))
    assert _rows(ctx, query, i=pid) == [before]
    prices = {r.id_supplier: r.price_te for r in suppliers.product_suppliers(ctx, id_product=pid)}
    assert prices[sid] == Decimal("0.1")
    assert prices[int(str(before["id_supplier"]))] == Decimal(str(before["wholesale_price"]))
