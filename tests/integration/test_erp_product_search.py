"""The products list's search through our own search tables: codes of products and
combinations found exactly, name words by their start (accents and case folded), ERP writes
indexed in their own transaction, PrestaShop's own changes and deletions picked up by the
refresh, and the catalog searched directly when the database user may not create tables."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterator
from decimal import Decimal

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from app.erp import products as app_products
from app.erp.context import ErpContext
from app.erp.listing import ListQuery
from app.erp.product_combinations import CombinationEdit, add_combination, load_grid, save_grid
from app.erp.products import create_product, load_form, product_page, save_product
from connectors.prestashop import erp_product_search as search
from connectors.prestashop.engine import make_engine
from connectors.prestashop.erp_products import ProductValues
from connectors.prestashop.erp_suppliers import ChangedElsewhere
from connectors.prestashop.shop import open_shop
from tests.integration.test_erp_products import ctx, one, rows
from tests.support.shop_db import ShopDb

__all__ = ["ctx"]


@pytest.fixture(autouse=True)
def _fresh_refresh_clock() -> Iterator[None]:
    """Each test starts as if no search had been made in this process."""
    app_products._SEARCHED.clear()
    yield
    app_products._SEARCHED.clear()


def found(ctx: ErpContext, typed: str, limit: int = 100) -> list[int]:
    return [p.id_product for p in product_page(ctx, ListQuery(typed), None, limit).rows]


def _later(monkeypatch: pytest.MonkeyPatch) -> None:
    """The next searches refresh the tables and count the products (as minutes later)."""
    monkeypatch.setattr(search, "REFRESH_SECONDS", 0.0)
    monkeypatch.setattr(search, "COUNT_EVERY", dt.timedelta(0))


def _index_rows(ctx: ErpContext, id_product: int) -> int:
    return sum(
        len(rows(ctx, f"SELECT id_product FROM {{p}}mostrador_product_{name} "
                      "WHERE id_product = :i", i=id_product))
        for name in ("word", "search")
    )  # fmt: skip


def test_codes_and_words_are_found_through_the_search_tables(ctx: ErpContext) -> None:
    target = one(
        ctx, "SELECT p.id_product, p.reference, p.ean13, pl.name FROM {p}product p "
        "JOIN {p}product_lang pl ON pl.id_product = p.id_product AND pl.id_lang = 1 "
        "AND pl.id_shop = 1 WHERE p.id_product = 7",
    )  # fmt: skip
    assert found(ctx, target["ean13"]) == [7]  # the first search builds the tables
    assert one(ctx, "SELECT COUNT(*) AS n FROM {p}mostrador_product_search_state")["n"] == 1
    assert found(ctx, target["reference"].lower()) == [7]
    combo = one(ctx, "SELECT id_product, ean13 FROM {p}product_attribute "
                     "ORDER BY id_product_attribute DESC LIMIT 1")  # fmt: skip
    assert found(ctx, combo["ean13"]) == [combo["id_product"]]
    words = target["name"].split()
    typed = " ".join(w[:4].upper() for w in words[:2])  # starts of two words, any case
    hits = found(ctx, typed)
    assert 7 in hits
    folded = [search.terms(w[:4])[0] for w in words[:2]]
    for name in (one(ctx, "SELECT name FROM {p}product_lang WHERE id_product = :i AND "
                          "id_lang = 1 AND id_shop = 1", i=i)["name"] for i in hits):  # fmt: skip
        assert all(any(w.startswith(t) for w in search.terms(name)) for t in folded)
    assert found(ctx, "zzzqx") == []
    assert found(ctx, target["reference"][:3]) != []  # a reference by its start


def test_erp_writes_are_searchable_at_once_and_a_refused_write_leaves_nothing(
    ctx: ErpContext,
) -> None:
    found(ctx, "build")  # tables built; no refresh for the next minute
    form = load_form(ctx, None)
    values = ProductValues(
        names={1: "Zapatilla Ñandú trail"}, reference="ZAP-77", ean13="8412345678905",
        price=Decimal(30), id_tax_rules_group=form.tax_groups[0].id,
        id_category_default=form.categories[-1].id, active=True, wholesale_price=Decimal(12),
    )  # fmt: skip
    record = create_product(ctx, values)
    new = record.id_product
    assert found(ctx, "nandu") == [new] and found(ctx, "zapat TRAIL") == [new]
    assert found(ctx, "8412345678905") == [new] and found(ctx, "zap-77") == [new]
    renamed = ProductValues({1: "Bota xilófona"}, "BOT-78", "", values.price,
                            values.id_tax_rules_group, values.id_category_default, True,
                            values.wholesale_price)  # fmt: skip
    saved = save_product(ctx, new, renamed, record.date_upd)
    assert found(ctx, "nandu") == [] and found(ctx, "ZAP-77") == []
    assert found(ctx, "xilofona") == [new] and found(ctx, "bot-78") == [new]
    stale = ProductValues({1: "Quetzalcoatl"}, "SAN-1", "", values.price, values.id_tax_rules_group,
                          values.id_category_default, True, values.wholesale_price)  # fmt: skip
    with pytest.raises(ChangedElsewhere):  # the form was loaded before the last save
        save_product(ctx, new, stale, saved.date_upd - dt.timedelta(minutes=1))
    assert found(ctx, "quetzal") == [] and found(ctx, "xilofona") == [new]
    group = load_grid(ctx, new).groups[0]
    grid = add_combination(ctx, new, [group.values[0].id], CombinationEdit(0, "BOT-78-A",
                           "8412345678912", Decimal(0), 0), saved.date_upd)  # fmt: skip
    assert found(ctx, "8412345678912") == [new] and found(ctx, "BOT-78-A") == [new]
    edit = grid.rows[0]
    save_grid(ctx, new, [CombinationEdit(edit.id_product_attribute, "BOT-78-B", "", Decimal(0),
                                         0)], grid.date_upd)  # fmt: skip
    assert found(ctx, "BOT-78-A") == [] and found(ctx, "bot-78-b") == [new]


def test_prestashop_changes_and_deletions_reach_the_tables(
    ctx: ErpContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    found(ctx, "build")
    later = (dt.datetime.now() + dt.timedelta(seconds=5)).replace(microsecond=0)
    with ctx.engine.begin() as conn:  # as PrestaShop's back office saves product 9
        conn.execute(text("UPDATE ps_product_lang SET name = 'Chaqueta impermeable' "
                          "WHERE id_product = 9"))  # fmt: skip
        conn.execute(text("UPDATE ps_product SET reference = 'CHQ-9', date_upd = :d "
                          "WHERE id_product = 9"), {"d": later})  # fmt: skip
    assert found(ctx, "impermeable") == []  # not refreshed within the minute
    _later(monkeypatch)
    assert found(ctx, "impermeable") == [9] and found(ctx, "chq-9") == [9]
    assert _index_rows(ctx, 11) > 0
    with ctx.engine.begin() as conn:  # deleted in PrestaShop
        for name in ("product", "product_shop", "product_lang"):
            conn.execute(text(f"DELETE FROM ps_{name} WHERE id_product = 11"))
    found(ctx, "anything")
    assert _index_rows(ctx, 11) == 0


def test_without_create_privilege_the_search_reads_the_catalog(
    ctx: ErpContext, demo_shop_db: ShopDb, request: pytest.FixtureRequest,
    caplog: pytest.LogCaptureFixture,
) -> None:  # fmt: skip
    if demo_shop_db.backend != "mariadb":
        pytest.skip("privileges are MariaDB's")
    server = request.getfixturevalue("mariadb")
    database = make_url(demo_shop_db.url).database
    with server.connection() as conn, conn.cursor() as cur:
        cur.execute("DROP USER IF EXISTS 'no_create_p'@'%'")
        cur.execute("CREATE USER 'no_create_p'@'%' IDENTIFIED BY 'pw'")
        cur.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON `{database}`.* TO 'no_create_p'@'%'")
    engine = make_engine(make_url(demo_shop_db.url).set(username="no_create_p", password="pw"))
    limited = ErpContext(engine, open_shop(engine, "ps_", 1, "es"), 1)
    try:
        ean = one(ctx, "SELECT ean13 FROM {p}product WHERE id_product = 7")["ean13"]
        with caplog.at_level(logging.WARNING):
            assert found(limited, ean) == [7]
        assert "no product search tables" in caplog.text
    finally:
        limited.close()
