"""The PrestaShop connector against real databases: MariaDB with the 1.7.8, 8.0 and 9.0 schemas
and the SQLite demo schema (fixtures in tests/conftest.py).

Tests on ``ps_schema_db`` seed the few rows they need through the mapping itself; tests on
``demo_shop_db`` read the demo shop built by ``connectors.prestashop.demo_shop``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal

import pytest
from sqlalchemy import Engine, func, select, text
from sqlalchemy.orm import Session

from app.errors import ShopSchemaError
from connectors.prestashop import ddl
from connectors.prestashop.configuration import get, get_many
from connectors.prestashop.models import ShopModels, build_models
from connectors.prestashop.schema_check import (
    check_schema,
    find_prefixes,
    reflect_columns,
)
from connectors.prestashop.shop import ShopInfo, absent_columns, count_products, open_shop
from connectors.prestashop.types import unset_date
from connectors.prestashop.version import classify
from tests.support.shop_db import ShopDb

NOW = dt.datetime(2024, 3, 1, 12, 0, 0)


@contextmanager
def engine_of(db: ShopDb) -> Iterator[Engine]:
    engine = db.engine()
    try:
        yield engine
    finally:
        engine.dispose()


def family_of(db: ShopDb) -> str:
    family = classify(db.version).family
    assert family is not None
    return family


def live_models(engine: Engine, prefix: str) -> ShopModels:
    """The models for what the database really has, as open_shop builds them."""
    from connectors.prestashop.models import mapped_tables

    with engine.connect() as connection:
        live = reflect_columns(connection, [prefix + t for t in mapped_tables()])
    return build_models(prefix, absent_columns(prefix, live))


def seed_shop(engine: Engine, db: ShopDb, ps_version: str | None = None) -> ShopModels:
    """A minimal shop: group, shop, es/en, EUR, Spain, configuration keys, one product."""
    m = live_models(engine, db.prefix)
    with Session(engine) as s, s.begin():
        s.add(m.ShopGroup(id_shop_group=1, name="Default", share_stock=False))
        s.add(m.Shop(id_shop=1, id_shop_group=1, name="Shop row name", id_category=2))
        s.add_all([_lang(m, 1, "es", "Español"), _lang(m, 2, "en", "English")])
        s.add(m.Currency(id_currency=1, name="Euro", iso_code="EUR", precision=2))
        s.add(m.Country(id_country=6, id_zone=1, iso_code="ES", call_prefix=34))
        s.add_all(_product_rows(m))
        version = _full_version(db) if ps_version is None else ps_version
        config = {"PS_VERSION_DB": version, "PS_LANG_DEFAULT": "1", "PS_CURRENCY_DEFAULT": "1"}
        config |= {"PS_COUNTRY_DEFAULT": "6", "PS_SHOP_NAME": "Global name"}
        for number, (name, value) in enumerate(config.items(), start=1):
            s.add(_config(m, number, name, value))
        s.add(_config(m, 90, "PS_SHOP_NAME", "Mostrador Demo", id_shop=1, id_shop_group=1))
    return m


def _full_version(db: ShopDb) -> str:
    return {"1.7.8": "1.7.8.11", "8.0": "8.0.4", "8.2": "8.2.1", "9.0": "9.0.1"}[db.version]


def _lang(m: ShopModels, id_lang: int, iso: str, name: str) -> object:
    return m.Lang(id_lang=id_lang, name=name, iso_code=iso, active=True, language_code=iso)


def _config(
    m: ShopModels,
    number: int,
    name: str,
    value: str | None,
    *,
    id_shop: int | None = None,
    id_shop_group: int | None = None,
) -> object:
    return m.Configuration(
        id_configuration=number, name=name, value=value, id_shop=id_shop,
        id_shop_group=id_shop_group, date_add=NOW, date_upd=NOW,
    )  # fmt: skip


def _product_rows(m: ShopModels) -> list[object]:
    common = {"id_tax_rules_group": 1, "price": Decimal("10.5"), "date_add": NOW, "date_upd": NOW}
    return [
        m.Product(id_product=1, reference="REF1", ean13="2000000000015", **common),
        m.ProductShop(id_product=1, id_shop=1, **common),
        m.ProductShop(id_product=1, id_shop=2, **common),
    ]


# --------------------------------------------------------------------------- open_shop


def test_open_shop_discovers_the_shop(ps_schema_db: ShopDb) -> None:
    with engine_of(ps_schema_db) as engine:
        seed_shop(engine, ps_schema_db)
        shop = open_shop(engine, prefix="ps_", id_shop=1, lang_iso="es")
        assert shop.family == family_of(ps_schema_db)
        assert shop.version.raw == _full_version(ps_schema_db)
        assert shop.name == "Mostrador Demo"  # the shop's own row beats the global one
        assert (shop.id_shop, shop.id_shop_group) == (1, 1)
        assert (shop.id_lang, shop.lang_iso) == (1, "es")
        assert (shop.currency_iso, shop.currency_precision) == ("EUR", 2)
        assert (shop.id_country, shop.country_iso) == (6, "ES")
        assert shop.stock_scope == (1, 0)
        assert open_shop(engine, lang_iso="en").id_lang == 2
        assert open_shop(engine, lang_iso="fr").id_lang == 1  # PS_LANG_DEFAULT
        with Session(engine) as session:
            assert count_products(session, shop) == 1


def test_optional_columns_follow_the_version(ps_schema_db: ShopDb) -> None:
    with engine_of(ps_schema_db) as engine:
        seed_shop(engine, ps_schema_db)
        models = open_shop(engine).models
    family = family_of(ps_schema_db)
    assert models.has("order_payment", "id_employee") is (family not in ("1.7.8", "8.0"))
    assert models.has("product", "unit_price") is (family != "1.7.8")
    assert models.has("category", "redirect_type") is (family == "9.0")


def test_wrong_prefix_names_the_prefixes_found(ps_schema_db: ShopDb) -> None:
    with engine_of(ps_schema_db) as engine:
        with pytest.raises(ShopSchemaError) as raised:
            open_shop(engine, prefix="xx_")
        assert "«ps_»" in raised.value.hint
        assert find_prefixes(engine) == ["ps_"]


def test_a_second_prefix_is_found(make_shop_db: Callable[..., ShopDb]) -> None:
    db = make_shop_db("sqlite")
    with engine_of(db) as engine:
        ddl.create_schema(engine, db.version, "alt_")
        assert find_prefixes(engine) == ["alt_", "ps_"]


@pytest.mark.parametrize("raw", ["1.6.1.24", "10.0.0", ""])
def test_unsupported_versions_are_refused(make_shop_db: Callable[..., ShopDb], raw: str) -> None:
    db = make_shop_db("sqlite")
    with engine_of(db) as engine:
        seed_shop(engine, db, ps_version=raw)
        with pytest.raises(ShopSchemaError) as raised:
            open_shop(engine)
    if raw:
        assert raw in raised.value.message


def test_unknown_shop_is_refused(make_shop_db: Callable[..., ShopDb]) -> None:
    db = make_shop_db("sqlite")
    with engine_of(db) as engine:
        seed_shop(engine, db)
        with pytest.raises(ShopSchemaError, match="7"):
            open_shop(engine, id_shop=7)


# --------------------------------------------------------------------------- configuration


def test_configuration_precedence(ps_schema_db: ShopDb) -> None:
    with engine_of(ps_schema_db) as engine:
        m = seed_shop(engine, ps_schema_db)
        with Session(engine) as s, s.begin():
            s.add_all(
                [
                    _config(m, 100, "K_ALL", "global"),
                    _config(m, 101, "K_ALL", "group", id_shop_group=1, id_shop=0),
                    _config(m, 102, "K_ALL", "shop", id_shop_group=1, id_shop=1),
                    _config(m, 103, "K_ALL", "other shop", id_shop_group=1, id_shop=2),
                    _config(m, 104, "K_GROUP", "global"),
                    _config(m, 105, "K_GROUP", "group", id_shop_group=1),
                    _config(m, 106, "K_GROUP", "other group", id_shop_group=2),
                    _config(m, 107, "K_NULL_SHOP", "global"),
                    _config(m, 108, "K_NULL_SHOP", None, id_shop_group=1, id_shop=1),
                    _config(m, 109, "K_TWICE", "older"),
                    _config(m, 110, "K_TWICE", "newer"),
                    _config(m, 111, "K_LANG", None),
                ]
            )
            s.add(m.ConfigurationLang(id_configuration=111, id_lang=2, value="Invoice #"))
        keys = ["K_ALL", "K_GROUP", "K_NULL_SHOP", "K_TWICE", "K_LANG", "K_MISSING"]
        with Session(engine) as s:
            assert get_many(s, m, keys, id_shop=1, id_shop_group=1) == {
                "K_ALL": "shop",
                "K_GROUP": "group",
                "K_NULL_SHOP": "global",
                "K_TWICE": "newer",
                "K_LANG": None,
                "K_MISSING": None,
            }
            assert get(s, m, "K_ALL", 3, 2) == "global"
            assert get(s, m, "K_GROUP", 3, 2) == "other group"
            assert get(s, m, "K_LANG", 1, 1, id_lang=2) == "Invoice #"
            assert get(s, m, "K_ALL", 1, 1, id_lang=2) == "shop"


# --------------------------------------------------------------------------- writes and dates


def test_order_payment_insert(ps_schema_db: ShopDb) -> None:
    with engine_of(ps_schema_db) as engine:
        seed_shop(engine, ps_schema_db)
        m = open_shop(engine).models
        extra = {"id_employee": 4} if m.has("order_payment", "id_employee") else {}
        payment = m.OrderPayment(
            order_reference="ABCDEFGHI",
            id_currency=1,
            amount=Decimal("12.34"),
            payment_method="Efectivo",
            conversion_rate=Decimal(1),
            date_add=NOW,
            **extra,
        )
        with Session(engine) as s, s.begin():
            s.add(payment)
        with Session(engine) as s:
            row = s.execute(select(m.OrderPayment)).scalar_one()
            assert (row.amount, row.payment_method, row.date_add) == (
                Decimal("12.340000"),
                "Efectivo",
                NOW,
            )
            assert row.id_order_payment >= 1
            if extra:
                assert row.id_employee == 4


@pytest.mark.parametrize("ps_schema_db", ["8.2"], indirect=True)
def test_prestashop_8_2_on_mariadb(ps_schema_db: ShopDb) -> None:
    """8.2 (family 8.1) on MariaDB: order_payment.id_employee exists, the schema checks out."""
    test_order_payment_insert(ps_schema_db)
    with engine_of(ps_schema_db) as engine:
        assert check_schema(engine, "ps_", "8.1").ok
        assert open_shop(engine).models.has("order_payment", "id_employee")


def test_zero_dates_read_as_none(ps_schema_db: ShopDb) -> None:
    with engine_of(ps_schema_db) as engine:
        m = seed_shop(engine, ps_schema_db)
        with Session(engine) as s, s.begin():
            s.add(_order(m, 1, invoice_date=None))
            s.add(_order(m, 2, invoice_date=NOW))
        with engine.connect() as conn:
            raw = conn.execute(text("SELECT invoice_date FROM ps_orders WHERE id_order = 1"))
            assert str(raw.scalar_one()).startswith("0000-00-00")
            conn.execute(text("UPDATE ps_orders SET delivery_date = '0000-00-00 00:00:00'"))
            conn.commit()
        with Session(engine) as s:
            orders = s.execute(select(m.Orders).order_by(m.Orders.id_order)).scalars().all()
            assert [o.invoice_date for o in orders] == [None, NOW]
            assert [o.delivery_date for o in orders] == [None, None]
            assert isinstance(orders[0].total_paid, Decimal)
            unset = select(m.Orders.id_order).where(unset_date(m.Orders.invoice_date))
            assert s.execute(unset).scalars().all() == [1]


def _order(m: ShopModels, id_order: int, invoice_date: dt.datetime | None) -> object:
    return m.Orders(
        id_order=id_order, reference=f"REF{id_order:06d}", id_carrier=1, id_lang=1,
        id_customer=1, id_cart=id_order, id_currency=1, id_address_delivery=1,
        id_address_invoice=1, current_state=5, secure_key="k", payment="Efectivo",
        conversion_rate=Decimal(1), total_paid=Decimal("12.10"), invoice_date=invoice_date,
        delivery_date=None, date_add=NOW, date_upd=NOW,
    )  # fmt: skip


# --------------------------------------------------------------------------- schema check


def test_check_schema_accepts_every_version(ps_schema_db: ShopDb) -> None:
    with engine_of(ps_schema_db) as engine:
        report = check_schema(engine, "ps_", family_of(ps_schema_db))
    assert report.ok, report
    assert report.family == family_of(ps_schema_db)


def test_check_schema_names_dropped_and_retyped_columns(ps_schema_db: ShopDb) -> None:
    sqlite = ps_schema_db.backend == "sqlite"
    with engine_of(ps_schema_db) as engine:
        with engine.begin() as conn:
            conn.execute(text("ALTER TABLE ps_orders DROP COLUMN note"))
            if sqlite:
                conn.execute(text("ALTER TABLE ps_product_shop DROP COLUMN wholesale_price"))
                conn.execute(text("ALTER TABLE ps_product_shop ADD wholesale_price VARCHAR(32)"))
            else:
                conn.execute(
                    text("ALTER TABLE ps_product_shop MODIFY wholesale_price VARCHAR(32) NOT NULL")
                )
        report = check_schema(engine, "ps_", family_of(ps_schema_db))
    assert not report.ok
    assert report.missing_columns == ("ps_orders.note",)
    assert report.missing_tables == ()
    [problem] = report.mismatched_columns
    assert problem.name == "ps_product_shop.wholesale_price"
    assert problem.expected == "decimal(20,6) NOT NULL"
    assert problem.found.lower().startswith("varchar(32)")


def test_an_older_schema_narrower_than_expected_is_reported(
    make_shop_db: Callable[..., ShopDb],
) -> None:
    """A 9.0 shop whose orders.reference is still varchar(9) cannot take 9.0 references."""
    db = make_shop_db("sqlite")
    with engine_of(db) as engine:
        report_81 = check_schema(engine, "ps_", "8.1")
        report_90 = check_schema(engine, "ps_", "9.0")
    assert report_81.ok
    names = {p.name for p in report_90.mismatched_columns}
    assert "ps_orders.reference" in names
    assert "ps_product.ean13" in names


def test_a_missing_column_is_unmapped_by_open_shop(ps_schema_db: ShopDb) -> None:
    with engine_of(ps_schema_db) as engine:
        seed_shop(engine, ps_schema_db)
        with engine.begin() as conn:
            conn.execute(text("ALTER TABLE ps_orders DROP COLUMN note"))
        m = open_shop(engine).models
        assert not m.has("orders", "note")
        with Session(engine) as s:
            assert s.execute(select(func.count()).select_from(m.Orders)).scalar_one() == 0
            assert s.execute(select(m.Orders)).first() is None


# --------------------------------------------------------------------------- the demo shop


def open_demo(engine: Engine, db: ShopDb) -> ShopInfo:
    shop = open_shop(engine, prefix=db.prefix, id_shop=1, lang_iso="es")
    assert shop.family == family_of(db)
    assert shop.name == "Mostrador Demo"
    assert shop.lang_iso == "es" and shop.currency_iso == "EUR" and shop.country_iso == "ES"
    return shop


def test_demo_shop_catalog(demo_shop_db: ShopDb) -> None:
    with engine_of(demo_shop_db) as engine:
        shop = open_demo(engine, demo_shop_db)
        m = shop.models
        with Session(engine) as s:
            assert count_products(s, shop) > 0
            names = s.execute(
                select(m.ProductLang.name, m.ProductShop.price)
                .join(m.ProductShop, m.ProductShop.id_product == m.ProductLang.id_product)
                .where(m.ProductShop.id_shop == shop.id_shop, m.ProductLang.id_lang == shop.id_lang)
                .where(m.ProductLang.id_shop == shop.id_shop)
            ).all()
            assert names and all(isinstance(price, Decimal) for _, price in names)
            combos = s.execute(
                select(m.ProductAttribute.id_product_attribute, m.AttributeLang.name)
                .join(
                    m.ProductAttributeCombination,
                    m.ProductAttributeCombination.id_product_attribute
                    == m.ProductAttribute.id_product_attribute,
                )
                .join(
                    m.AttributeLang,
                    m.AttributeLang.id_attribute == m.ProductAttributeCombination.id_attribute,
                )
                .where(m.AttributeLang.id_lang == shop.id_lang)
            ).all()
            assert combos
            id_shop, id_group = shop.stock_scope
            stock = (
                s.execute(
                    select(m.StockAvailable).where(
                        m.StockAvailable.id_shop == id_shop,
                        m.StockAvailable.id_shop_group == id_group,
                    )
                )
                .scalars()
                .all()
            )
            assert stock and all(isinstance(row.quantity, int) for row in stock)


def test_demo_shop_orders_and_zero_dates(demo_shop_db: ShopDb) -> None:
    with engine_of(demo_shop_db) as engine:
        shop = open_demo(engine, demo_shop_db)
        m = shop.models
        with engine.connect() as conn:
            query = text(f"SELECT id_order, invoice_date FROM {shop.prefix}orders")
            raw: dict[int, object] = {row[0]: row[1] for row in conn.execute(query)}
        with Session(engine) as s:
            orders = s.execute(select(m.Orders)).scalars().all()
            assert orders
            for order in orders:
                zero = raw[order.id_order] is None or str(raw[order.id_order]).startswith("0000")
                assert (order.invoice_date is None) is zero
                assert order.reference
            details = (
                s.execute(select(m.OrderDetail).where(m.OrderDetail.id_order == orders[0].id_order))
                .scalars()
                .all()
            )
            assert details and all(isinstance(d.unit_price_tax_incl, Decimal) for d in details)
            employees = s.execute(select(m.Employee.email)).scalars().all()
            assert employees


def test_demo_shop_schema_is_clean(demo_shop_db: ShopDb) -> None:
    with engine_of(demo_shop_db) as engine:
        report = check_schema(engine, demo_shop_db.prefix, family_of(demo_shop_db))
    assert report.ok, report


def test_demo_shop_under_another_prefix(make_shop_db: Callable[..., ShopDb]) -> None:
    db = make_shop_db("sqlite", prefix="tienda_", demo=True)
    with engine_of(db) as engine:
        shop = open_shop(engine, prefix="tienda_")
        assert shop.models.Product.__table__.name == "tienda_product"  # type: ignore[attr-defined]
        with pytest.raises(ShopSchemaError) as raised:
            open_shop(engine, prefix="ps_")
        assert "«tienda_»" in raised.value.hint
