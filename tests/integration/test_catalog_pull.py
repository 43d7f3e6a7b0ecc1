"""The catalog pull on real shops (MariaDB 1.7.8 / 8.0 / 9.0 and SQLite) into real till
store files: the full load, then increments that bring exactly what changed."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Iterator
from decimal import Decimal as D
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, func, select, text

from app.sync.catalog_pull import PullResult, lookup_live_barcode, pull_catalog, shop_config
from app.till import models_catalog as tm
from app.till.catalog import delete_products, find_by_barcode, search
from app.till.store import TillStore, open_store
from connectors.prestashop.shop import ShopInfo, open_shop
from tests.support.shop_db import ShopDb

Pulled = tuple[Engine, ShopInfo, TillStore]


@pytest.fixture
def pulled(demo_shop_db: ShopDb, tmp_path: Path) -> Iterator[Pulled]:
    """The demo shop, fully pulled into a fresh till store."""
    engine = demo_shop_db.engine()
    shop = open_shop(engine, "ps_", 1, "es")
    with open_store("T1", tmp_path / "till-T1.sqlite3") as store:
        first = pull_catalog(engine, shop, store)
        assert first.full
        yield engine, shop, store
    engine.dispose()


def rows(engine: Engine, sql: str, **params: Any) -> list[dict[str, Any]]:
    with engine.connect() as conn:
        return [dict(r) for r in conn.execute(text(sql.format(p="ps_")), params).mappings()]


def scalar(engine: Engine, sql: str, **params: Any) -> Any:
    with engine.connect() as conn:
        return conn.execute(text(sql.format(p="ps_")), params).scalar()


def execute(engine: Engine, sql: str, **params: Any) -> None:
    with engine.begin() as conn:
        conn.execute(text(sql.format(p="ps_")), params)


def clone_row(engine: Engine, table: str, where: str, **changes: Any) -> None:
    """Insert a copy of one row of ``table`` with ``changes`` (portable: every column named)."""
    source = rows(engine, f"SELECT * FROM {{p}}{table} WHERE {where} LIMIT 1")[0]
    source.update(changes)
    names = ", ".join(f"`{n}`" if n in ("from", "to") else n for n in source)
    values = ", ".join(f":{n}" for n in source)
    execute(engine, f"INSERT INTO {{p}}{table} ({names}) VALUES ({values})", **source)


def local_count(store: TillStore, model: type[Any]) -> int:
    with store.read() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_full_pull_loads_every_product_combination_price_and_stock(pulled: Pulled) -> None:
    engine, shop, store = pulled
    assert local_count(store, tm.CatalogProduct) == scalar(
        engine, "SELECT COUNT(*) FROM {p}product_shop WHERE id_shop = 1"
    )
    assert local_count(store, tm.CatalogCombination) == scalar(
        engine, "SELECT COUNT(*) FROM {p}product_attribute_shop WHERE id_shop = 1"
    )
    assert local_count(store, tm.CatalogStock) == scalar(
        engine, "SELECT COUNT(*) FROM {p}stock_available WHERE id_shop = 1 AND id_shop_group = 0"
    )
    assert local_count(store, tm.CatalogSpecificPrice) == scalar(
        engine, "SELECT COUNT(*) FROM {p}specific_price WHERE id_cart = 0"
    )
    assert local_count(store, tm.CatalogCustomer) == 11  # 10 + the walk-in customer
    assert local_count(store, tm.CatalogEmployee) == 3
    with store.read() as session:
        rates = sorted(session.scalars(select(tm.CatalogTax.rate)))
        assert rates == [D("4"), D("10"), D("21")]
        assert (session.scalar(select(func.count()).select_from(tm.CatalogTaxRule)) or 0) > 0


def test_names_codes_prices_and_stock_are_the_shops(pulled: Pulled) -> None:
    engine, shop, store = pulled
    product = rows(
        engine,
        "SELECT p.id_product, p.ean13, p.reference, ps.price, pl.name, sa.quantity "
        "FROM {p}product p JOIN {p}product_shop ps ON ps.id_product = p.id_product "
        "JOIN {p}product_lang pl ON pl.id_product = p.id_product AND pl.id_lang = :lang "
        "AND pl.id_shop = 1 JOIN {p}stock_available sa ON sa.id_product = p.id_product "
        "AND sa.id_product_attribute = 0 WHERE p.id_product = 1",
        lang=shop.id_lang,
    )[0]
    found = find_by_barcode(store, product["ean13"])
    assert [(i.id_product, i.id_product_attribute) for i in found] == [(1, 0)]
    item = found[0]
    assert item.name == product["name"]
    assert item.reference == product["reference"]
    assert item.price_tax_excl == D(str(product["price"])).quantize(D("0.000001"))
    assert item.quantity == product["quantity"]


def test_combinations_carry_their_spanish_attribute_labels(pulled: Pulled) -> None:
    engine, _shop, store = pulled
    combination = rows(
        engine, "SELECT id_product_attribute, ean13 FROM {p}product_attribute LIMIT 1"
    )[0]
    found = find_by_barcode(store, combination["ean13"])
    assert [i.id_product_attribute for i in found] == [combination["id_product_attribute"]]
    assert re.fullmatch(r"(Talla: (S|M|L|XL), )?Color: [\w ]+", found[0].attributes)
    assert search(store, found[0].attributes.split(": ")[-1])  # the label is searchable


def test_the_configuration_snapshot_is_stored(pulled: Pulled) -> None:
    _engine, shop, store = pulled
    config = shop_config(store)
    assert config["PS_ROUND_TYPE"] in {"1", "2", "3"}
    assert config["PS_PRICE_ROUND_MODE"].isdigit()
    assert config["currency_iso"] == "EUR"
    assert config["currency_precision"] == "2"
    assert config["id_shop"] == "1"
    assert config["id_lang"] == str(shop.id_lang)


def test_nothing_changed_writes_nothing_in_three_round_trips(pulled: Pulled) -> None:
    engine, shop, store = pulled
    result = pull_catalog(engine, shop, store)
    assert not result.full
    assert result.rows_written == 0
    assert not result.changes
    assert result.round_trips <= 3  # pool checkout, the fingerprint query, the rollback


def test_a_forced_full_pull_of_an_up_to_date_store_writes_nothing(pulled: Pulled) -> None:
    engine, shop, store = pulled
    result = pull_catalog(engine, shop, store, full=True)
    assert result.full
    assert result.rows_written == 0


def _change_the_shop(engine: Engine, now: dt.datetime) -> dict[str, Any]:
    """A price, a combination's EAN13, a stock quantity, a specific price, a deleted
    product and a new customer, written as PrestaShop (or a module) would."""
    combination = rows(
        engine, "SELECT id_product_attribute, id_product FROM {p}product_attribute LIMIT 1"
    )[0]
    execute(engine, "UPDATE {p}product_shop SET price = 99.5, date_upd = :now "
            "WHERE id_product = 2", now=now)  # fmt: skip
    execute(engine, "UPDATE {p}product SET price = 99.5, date_upd = :now WHERE id_product = 2",
            now=now)  # fmt: skip
    execute(engine, "UPDATE {p}product_attribute SET ean13 = '8412345678905' "
            "WHERE id_product_attribute = :pa", pa=combination["id_product_attribute"])  # fmt: skip
    execute(engine, "UPDATE {p}stock_available SET quantity = 777 WHERE id_product = 6 "
            "AND id_product_attribute = 0")  # fmt: skip
    clone_row(engine, "specific_price", "id_cart = 0", id_specific_price=900, id_product=7,
              reduction="0.250000", reduction_type="percentage")  # fmt: skip
    for table in ("product", "product_shop", "product_lang", "stock_available"):
        execute(engine, f"DELETE FROM {{p}}{table} WHERE id_product = 5")
    for table in ("product_attribute_shop", "product_attribute"):
        execute(engine, f"DELETE FROM {{p}}{table} WHERE id_product = 5")
    clone_row(engine, "customer", "id_customer = 2", id_customer=500,
              email="nueva.clienta500@example.com", firstname="Nueva", date_add=now,
              date_upd=now)  # fmt: skip
    clone_row(engine, "customer_group", "id_customer = 2", id_customer=500)
    return combination


def test_one_incremental_pull_brings_exactly_what_changed(pulled: Pulled) -> None:
    engine, shop, store = pulled
    now = dt.datetime.now().replace(microsecond=0)
    combination = _change_the_shop(engine, now)

    result = pull_catalog(engine, shop, store)

    assert not result.full
    assert dict(result.upserted) == {
        "products": 1, "combinations": 1, "stock": 1, "specific_prices": 1, "customers": 1,
        "customer_groups": 1,
    }  # fmt: skip
    assert dict(result.deleted) == {"products": 1}
    assert result.changes.catalog and result.changes.stock and result.changes.prices
    assert result.changes.customers and not result.changes.employees
    [polo] = find_by_barcode(store, "8412345678905")
    assert polo.id_product_attribute == combination["id_product_attribute"]
    with store.read() as session:
        assert session.get(tm.CatalogProduct, 2).price == D("99.500000")  # type: ignore[union-attr]
        assert session.get(tm.CatalogProduct, 5) is None
        assert session.get(tm.CatalogStock, (6, 0)).quantity == 777  # type: ignore[union-attr]
        assert session.get(tm.CatalogSpecificPrice, 900).id_product == 7  # type: ignore[union-attr]
        assert session.get(tm.CatalogCustomer, 500).firstname == "Nueva"  # type: ignore[union-attr]
        assert session.get(tm.CatalogCustomerGroup, (500, 3)) is not None
    again = pull_catalog(engine, shop, store)
    assert again.rows_written == 0
    assert again.round_trips <= 3


def test_a_deactivated_customer_leaves_the_till(pulled: Pulled) -> None:
    engine, shop, store = pulled
    execute(engine, "UPDATE {p}customer SET active = 0, date_upd = :now WHERE id_customer = 3",
            now=dt.datetime.now().replace(microsecond=0))  # fmt: skip
    result = pull_catalog(engine, shop, store)
    assert dict(result.deleted) == {"customers": 1, "customer_groups": 1, "addresses": 1}
    with store.read() as session:
        assert session.get(tm.CatalogCustomer, 3) is None


def test_an_unknown_barcode_is_looked_up_live_and_stored(pulled: Pulled) -> None:
    engine, shop, store = pulled
    ean = scalar(engine, "SELECT ean13 FROM {p}product WHERE id_product = 3")
    with store.write() as session:
        delete_products(session, [3])
    assert find_by_barcode(store, ean) == []
    found = lookup_live_barcode(engine, shop, store, ean)
    assert [(i.id_product, i.id_product_attribute) for i in found] == [(3, 0)]
    assert find_by_barcode(store, ean) == found
    assert lookup_live_barcode(engine, shop, store, "0000000000000") == []


def test_pull_result_is_a_frozen_summary(pulled: Pulled) -> None:
    engine, shop, store = pulled
    result = pull_catalog(engine, shop, store)
    assert isinstance(result, PullResult)
    with pytest.raises(AttributeError):
        result.full = True  # type: ignore[misc]
    assert result.seconds >= 0


def test_another_shop_makes_the_next_pull_a_full_one(pulled: Pulled) -> None:
    engine, shop, store = pulled
    other = dataclasses.replace(shop, name="Otra tienda")
    assert pull_catalog(engine, other, store).full
    assert not pull_catalog(engine, other, store).full
