"""The demo shop generator: deterministic, and its rows hold together like a real shop's."""

from __future__ import annotations

import datetime
import hashlib
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

import bcrypt
import pytest
from sqlalchemy import Connection, MetaData, func, select

from connectors.prestashop import ddl
from connectors.prestashop.demo_base import DEMO_EMPLOYEES
from connectors.prestashop.demo_shop import build_demo_shop
from connectors.prestashop.demo_util import ean13_check_digit
from connectors.prestashop.demo_words import FULL_VERSIONS
from tests.conftest import SHOP_IDS, SHOP_PARAMS
from tests.support.shop_db import ShopDb

TODAY = datetime.date(2024, 6, 15)
HASHED_TABLES = ("product", "product_attribute", "product_lang", "stock_available", "orders",
                 "order_detail", "customer")  # fmt: skip


@contextmanager
def shop_connection(shop: ShopDb) -> Iterator[tuple[Connection, MetaData]]:
    engine = shop.engine()
    try:
        with engine.connect() as conn:
            yield conn, ddl.build_metadata(shop.version, shop.prefix)
    finally:
        engine.dispose()


def rows(conn: Connection, metadata: MetaData, name: str) -> list[dict[str, Any]]:
    table = ddl.get_table(metadata, name)
    order = list(table.primary_key.columns) or list(table.c)
    return [dict(r) for r in conn.execute(select(table).order_by(*order)).mappings()]


def content_hash(conn: Connection, metadata: MetaData) -> str:
    digest = hashlib.sha256()
    for name in HASHED_TABLES:
        for row in rows(conn, metadata, name):
            values = [_canonical(v) for v in row.values()]
            digest.update(repr(values).encode())
    return digest.hexdigest()


def _canonical(value: Any) -> Any:
    if isinstance(value, Decimal | float):
        return str(Decimal(str(value)).quantize(Decimal("0.000001")))
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


@pytest.mark.parametrize("backend", SHOP_PARAMS, ids=SHOP_IDS)
def test_same_seed_same_rows(backend: str, make_shop_db: Callable[..., ShopDb]) -> None:
    hashes = []
    for seed in (3, 3, 4):
        shop = make_shop_db(backend)
        engine = shop.engine()
        try:
            build_demo_shop(engine, version=shop.version, products=25, orders=15, seed=seed,
                            today=TODAY)  # fmt: skip
        finally:
            engine.dispose()
        with shop_connection(shop) as (conn, metadata):
            hashes.append(content_hash(conn, metadata))
    assert hashes[0] == hashes[1]
    assert hashes[0] != hashes[2]


def test_ean13_valid_and_unique(demo_shop_db: ShopDb) -> None:
    with shop_connection(demo_shop_db) as (conn, metadata):
        codes = [r["ean13"] for r in rows(conn, metadata, "product")]
        codes += [r["ean13"] for r in rows(conn, metadata, "product_attribute")]
    assert len(codes) > 40
    assert len(set(codes)) == len(codes)
    for code in codes:
        assert len(code) == 13 and code.isdigit() and code[:1] == "2"
        assert int(code[12]) == ean13_check_digit(code[:12]), code


def test_one_default_combination_per_product_and_shop(demo_shop_db: ShopDb) -> None:
    with shop_connection(demo_shop_db) as (conn, metadata):
        shop_rows = rows(conn, metadata, "product_attribute_shop")
        products = {r["id_product"]: r for r in rows(conn, metadata, "product_shop")}
    defaults: dict[tuple[int, int], list[int]] = defaultdict(list)
    for row in shop_rows:
        defaults.setdefault((row["id_product"], row["id_shop"]), [])
        if row["default_on"] == 1:
            defaults[(row["id_product"], row["id_shop"])].append(row["id_product_attribute"])
        else:
            assert row["default_on"] is None
    assert defaults, "some products must have combinations"
    for (id_product, _), chosen in defaults.items():
        assert len(chosen) == 1
        assert products[id_product]["cache_default_attribute"] == chosen[0]
    share = len({p for p, _ in defaults}) / len(products)
    assert 0.1 < share < 0.6


def test_parent_stock_is_sum_of_combinations(demo_shop_db: ShopDb) -> None:
    with shop_connection(demo_shop_db) as (conn, metadata):
        stock = rows(conn, metadata, "stock_available")
    parents = {r["id_product"]: r for r in stock if r["id_product_attribute"] == 0}
    sums: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for row in stock:
        assert (row["id_shop"], row["id_shop_group"]) == (1, 0)
        assert row["physical_quantity"] == row["quantity"] + row["reserved_quantity"]
        assert row["quantity"] >= 0
        if row["id_product_attribute"]:
            sums[row["id_product"]][0] += row["quantity"]
            sums[row["id_product"]][1] += row["reserved_quantity"]
    assert sums
    for id_product, (quantity, reserved) in sums.items():
        assert parents[id_product]["quantity"] == quantity
        assert parents[id_product]["reserved_quantity"] == reserved


def test_order_totals_match_details_and_taxes(demo_shop_db: ShopDb) -> None:
    with shop_connection(demo_shop_db) as (conn, metadata):
        orders = rows(conn, metadata, "orders")
        details = rows(conn, metadata, "order_detail")
        taxes = {r["id_order_detail"]: r for r in rows(conn, metadata, "order_detail_tax")}
    assert len(orders) == 30
    by_order: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for detail in details:
        by_order[detail["id_order"]].append(detail)
    for order in orders:
        lines = by_order[order["id_order"]]
        assert lines, order["id_order"]
        excl = sum(Decimal(str(d["total_price_tax_excl"])) for d in lines)
        incl = sum(Decimal(str(d["total_price_tax_incl"])) for d in lines)
        tax = sum(Decimal(str(taxes[d["id_order_detail"]]["total_amount"])) for d in lines)
        assert _money(order["total_products"]) == excl
        assert _money(order["total_products_wt"]) == incl
        assert _money(order["total_paid_tax_incl"]) == incl
        assert _money(order["total_paid_tax_excl"]) == excl
        assert tax == incl - excl


def _money(value: Any) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"))


def test_payments_invoices_and_history(demo_shop_db: ShopDb) -> None:
    with shop_connection(demo_shop_db) as (conn, metadata):
        orders = rows(conn, metadata, "orders")
        payments = rows(conn, metadata, "order_payment")
        invoices = rows(conn, metadata, "order_invoice")
        history = rows(conn, metadata, "order_history")
    paid: dict[str, Decimal] = defaultdict(Decimal)
    for payment in payments:
        paid[payment["order_reference"]] += Decimal(str(payment["amount"]))
    last_state = {h["id_order"]: h["id_order_state"] for h in history}
    for order in orders:
        assert len(order["reference"]) == 9 and order["reference"].isupper()
        assert _money(order["total_paid_real"]) == _money(paid[order["reference"]])
        assert last_state[order["id_order"]] == order["current_state"]
        assert (order["invoice_number"] == 0) == (order["invoice_date"] is None)
    numbers = [i["number"] for i in invoices]
    assert len(numbers) == len(set(numbers)) and numbers


def test_version_configuration_and_reasons(demo_shop_db: ShopDb) -> None:
    with shop_connection(demo_shop_db) as (conn, metadata):
        config = {r["name"]: r["value"] for r in rows(conn, metadata, "configuration")}
        reasons = conn.execute(
            select(func.count()).select_from(ddl.get_table(metadata, "stock_mvt_reason"))
        ).scalar_one()
    version = demo_shop_db.version
    assert config["PS_VERSION_DB"] == FULL_VERSIONS[version]
    assert config["PS_INSTALL_VERSION"] == FULL_VERSIONS[version]
    assert config["PS_COUNTRY_DEFAULT"] == "6"
    assert config["PS_OS_DELIVERED"] == "5"
    expected_reasons, customer_order = (5, "1") if version.startswith("9") else (12, "3")
    assert reasons == expected_reasons
    assert config["PS_STOCK_CUSTOMER_ORDER_REASON"] == customer_order


def test_employee_passwords_verify(demo_shop_db: ShopDb) -> None:
    with shop_connection(demo_shop_db) as (conn, metadata):
        employees = {r["email"]: r for r in rows(conn, metadata, "employee")}
    assert len(employees) == len(DEMO_EMPLOYEES) == 3
    for demo in DEMO_EMPLOYEES:
        stored = employees[demo.email]["passwd"]
        assert stored.startswith("$2y$10$")
        assert bcrypt.checkpw(demo.password.encode(), ("$2b$" + stored[4:]).encode())
        assert not bcrypt.checkpw(b"wrong", ("$2b$" + stored[4:]).encode())


def test_walk_in_customer_and_prefix(make_shop_db: Callable[..., ShopDb]) -> None:
    shop = make_shop_db("sqlite", prefix="shop7_", demo=True)
    with shop_connection(shop) as (conn, metadata):
        customers = rows(conn, metadata, "customer")
        addresses = {a["id_customer"]: a for a in rows(conn, metadata, "address")}
    walk_in = customers[0]
    assert (walk_in["firstname"], walk_in["lastname"]) == ("Cliente", "de mostrador")
    assert addresses[walk_in["id_customer"]]["id_country"] == 6
    emails = [c["email"] for c in customers]
    assert len(emails) == len(set(emails)) == 11
    assert all(e.endswith("@example.com") for e in emails)
    assert all(len(c["secure_key"]) == 32 for c in customers)
