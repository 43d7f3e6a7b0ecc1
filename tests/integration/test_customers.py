"""Customers at the till: search the pulled customers, take a new one at the counter, and the
push making exactly one PrestaShop customer of it however many sales it has."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from app.connection import ShopTarget, parse_url
from app.sync.catalog_pull import pull_catalog
from app.sync.push import prepare_shop, push_ticket
from app.till.customers import (
    NO_EMAIL_DOMAIN,
    CustomerRefused,
    NewCustomer,
    create_customer,
    local_customers,
    search_customers,
)
from app.till.models_catalog import CatalogCustomer
from app.till_runtime import TillRuntime, open_till
from connectors.prestashop.shop import open_shop
from tests.support.push_tickets import fetch, small_ticket
from tests.support.shop_db import ShopDb


@pytest.fixture
def runtime(demo_shop_db: ShopDb, tmp_path: Path) -> Iterator[TillRuntime]:
    target = ShopTarget(url=parse_url(demo_shop_db.url), prefix=demo_shop_db.prefix, demo=True)
    runtime = open_till(target, "T1", tmp_path / "till-T1.sqlite3")
    yield runtime
    runtime.close()


def _a_shop_customer(runtime: TillRuntime) -> CatalogCustomer:
    with runtime.store.read() as session:
        row = session.scalars(
            select(CatalogCustomer)
            .where(CatalogCustomer.active, CatalogCustomer.email.like("%@example.com"))
            .order_by(CatalogCustomer.id_customer.desc())
        ).first()
    assert row is not None
    return row


@pytest.mark.parametrize("demo_shop_db", ["sqlite"], indirect=True)
def test_search_finds_shop_customers_by_name_and_email(runtime: TillRuntime) -> None:
    known = _a_shop_customer(runtime)
    by_name = search_customers(runtime.store, f"{known.firstname[:3]} {known.lastname[:4]}")
    assert known.id_customer in [entry.id_customer for entry in by_name]
    by_email = search_customers(runtime.store, known.email.split("@")[0].upper())
    assert [entry.id_customer for entry in by_email] == [known.id_customer]
    assert search_customers(runtime.store, "zzqqxx") == []
    assert search_customers(runtime.store, "  ") == []


@pytest.mark.parametrize("demo_shop_db", ["sqlite"], indirect=True)
def test_a_new_customer_is_checked_kept_locally_and_found_by_phone(runtime: TillRuntime) -> None:
    store = runtime.store
    with pytest.raises(CustomerRefused, match="first name"):
        create_customer(store, NewCustomer(" ", "Pérez"), 3)
    with pytest.raises(CustomerRefused, match="not an e-mail"):
        create_customer(store, NewCustomer("Ana", "Pérez", email="ana@"), 3)
    with pytest.raises(CustomerRefused, match="phone"):
        create_customer(store, NewCustomer("Ana", "Pérez", phone="6x6"), 3)
    assert local_customers(store) == []
    entry = create_customer(
        store, NewCustomer(" Ana ", "Pérez  Gil", phone="+34 600 11 22 33", tax_id="12345678z"), 3
    )
    assert (entry.id_customer, entry.name, entry.tax_id) == (None, "Ana Pérez Gil", "12345678Z")
    assert entry.email.endswith("@" + NO_EMAIL_DOMAIN) and not entry.has_real_email
    assert search_customers(store, "600112233") == [entry]
    assert search_customers(store, "ana pérez")[0] == entry
    assert search_customers(store, "mostrador.invalid") == []  # the made-up e-mail is not text
    ticket_customer = entry.ticket_customer()
    assert ticket_customer.id_customer is None and ticket_customer.id_default_group == 3


@pytest.mark.parametrize("demo_shop_db", ["sqlite"], indirect=True)
def test_the_e_mail_of_a_known_customer_chooses_that_customer(runtime: TillRuntime) -> None:
    known = _a_shop_customer(runtime)
    entry = create_customer(runtime.store, NewCustomer("Otro", "Nombre", known.email.upper()), 3)
    assert entry.id_customer == known.id_customer
    assert local_customers(runtime.store) == []
    first = create_customer(runtime.store, NewCustomer("Eva", "Sanz", "eva@example.org"), 3)
    again = create_customer(runtime.store, NewCustomer("Eva", "Sanz", "EVA@example.org"), 3)
    assert again == first and len(local_customers(runtime.store)) == 1


@pytest.mark.parametrize("demo_shop_db", ["sqlite", "8.0"], indirect=True)
@pytest.mark.parametrize("email", ["", "luis.nuevo@example.org"])
def test_two_sales_to_a_new_customer_make_one_prestashop_customer(
    runtime: TillRuntime, email: str
) -> None:
    assert runtime.engine is not None and runtime.target is not None
    entry = create_customer(runtime.store, NewCustomer("Luis", "Nuevo", email, "600 000 001"), 3)
    engine, target = runtime.engine, runtime.target
    shop = open_shop(engine, target.prefix, target.id_shop, target.lang_iso)
    prepare_shop(engine, shop)
    customer = entry.ticket_customer()
    first = push_ticket(engine, shop, small_ticket("T1-2025-000101", customer=customer))
    second = push_ticket(engine, shop, small_ticket("T1-2025-000102", customer=customer))
    orders = fetch(
        engine,
        "SELECT o.id_customer, c.email, c.firstname, c.is_guest FROM {p}orders o"
        " JOIN {p}customer c ON c.id_customer = o.id_customer WHERE o.id_order IN (:a, :b)",
        a=first.id_order,
        b=second.id_order,
    )
    assert len({order["id_customer"] for order in orders}) == 1
    assert (orders[0]["email"], orders[0]["firstname"], orders[0]["is_guest"]) == (
        entry.email,
        "Luis",
        0,
    )
    assert [e.local_id for e in search_customers(runtime.store, "luis nuevo")] == [entry.local_id]
    pull_catalog(engine, shop, runtime.store)  # the shop's customer arrives: the local one goes
    found = search_customers(runtime.store, "luis nuevo")
    assert [e.id_customer for e in found] == [orders[0]["id_customer"]]
