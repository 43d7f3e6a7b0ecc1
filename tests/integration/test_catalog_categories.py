"""Categories pulled from real shops (MariaDB 1.7.8 / 8.0 / 9.0 and SQLite) into a till store,
and the catalog browsed by category: the products of a category, the combinations of one."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from app.sync.catalog_pull import pull_catalog
from app.till.catalog import categories, combinations, products_in_category
from app.till.store import TillStore, open_store
from connectors.prestashop.demo_words import CATEGORIES
from connectors.prestashop.shop import ShopInfo, open_shop
from tests.integration.test_catalog_pull import execute, rows
from tests.support.shop_db import ShopDb

Pulled = tuple[Engine, ShopInfo, TillStore]
HOME = 2  # the demo shop's home category (shop.id_category)


@pytest.fixture
def pulled(demo_shop_db: ShopDb, tmp_path: Path) -> Iterator[Pulled]:
    engine = demo_shop_db.engine()
    shop = open_shop(engine, "ps_", 1, "es")
    with open_store("T1", tmp_path / "till-T1.sqlite3") as store:
        pull_catalog(engine, shop, store)
        yield engine, shop, store
    engine.dispose()


def test_the_shops_active_categories_under_home_are_pulled_in_spanish(pulled: Pulled) -> None:
    engine, _shop, store = pulled
    found = categories(store)
    assert [c.name for c in found] == [c.es for c in CATEGORIES]  # not Root nor Home
    assert {c.id_parent for c in found} == {HOME}
    assert [c.position for c in found] == sorted(c.position for c in found)
    counted = rows(
        engine,
        "SELECT id_category_default AS c, COUNT(*) AS n FROM {p}product_shop "
        "WHERE id_shop = 1 AND active = 1 GROUP BY id_category_default",
    )
    assert {c.id_category: c.product_count for c in found if c.product_count} == {
        int(r["c"]): int(r["n"]) for r in counted
    }


def test_a_renamed_hidden_or_new_category_comes_with_the_next_pull(pulled: Pulled) -> None:
    engine, shop, store = pulled
    first, second = categories(store)[:2]
    execute(engine, "UPDATE {p}category_lang SET name = 'Ofertas' WHERE id_category = :c "
            "AND id_lang = :lang", c=first.id_category, lang=shop.id_lang)  # fmt: skip
    execute(engine, "UPDATE {p}category SET active = 0 WHERE id_category = :c",
            c=second.id_category)  # fmt: skip

    result = pull_catalog(engine, shop, store)

    assert not result.full
    assert result.upserted.get("categories") == 1
    assert result.deleted.get("categories") == 1
    assert result.changes.catalog
    names = {c.id_category: c.name for c in categories(store)}
    assert names[first.id_category] == "Ofertas"
    assert second.id_category not in names
    assert pull_catalog(engine, shop, store).rows_written == 0


def test_a_category_lists_its_active_products_by_name_a_page_at_a_time(pulled: Pulled) -> None:
    engine, shop, store = pulled
    biggest = max(categories(store), key=lambda c: c.product_count)
    listed = products_in_category(store, biggest.id_category)
    assert len(listed) == biggest.product_count
    assert [i.name.lower() for i in listed] == sorted(i.name.lower() for i in listed)
    assert all(i.id_product_attribute == 0 and i.active for i in listed)
    page = products_in_category(store, biggest.id_category, limit=2, offset=1)
    assert [i.id_product for i in page] == [i.id_product for i in listed[1:3]]
    hidden = listed[0].id_product
    now = dt.datetime.now().replace(microsecond=0)
    execute(engine, "UPDATE {p}product_shop SET active = 0, date_upd = :now "
            "WHERE id_product = :p", p=hidden, now=now)  # fmt: skip
    pull_catalog(engine, shop, store)
    assert [i.id_product for i in products_in_category(store, biggest.id_category)] == [
        i.id_product for i in listed[1:]
    ]
    [after] = [c for c in categories(store) if c.id_category == biggest.id_category]
    assert after.product_count == biggest.product_count - 1


def test_the_combinations_of_a_product_come_with_their_stock(pulled: Pulled) -> None:
    engine, _shop, store = pulled
    product = rows(
        engine,
        "SELECT id_product, COUNT(*) AS n FROM {p}product_attribute GROUP BY id_product "
        "ORDER BY id_product LIMIT 1",
    )[0]
    found = combinations(store, product["id_product"])
    assert len(found) == product["n"]
    assert all(i.id_product == product["id_product"] and i.id_product_attribute for i in found)
    stock = rows(
        engine,
        "SELECT id_product_attribute AS pa, quantity FROM {p}stock_available "
        "WHERE id_product = :p AND id_product_attribute <> 0",
        p=product["id_product"],
    )
    assert {i.id_product_attribute: i.quantity for i in found} == {
        r["pa"]: r["quantity"] for r in stock
    }
    assert all(i.attributes and i.display_name.startswith(i.name) for i in found)
    assert combinations(store, 999999) == []
