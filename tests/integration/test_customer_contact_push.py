"""A customer taken at the till with a phone and a tax id: the push puts them on the address
it creates in PrestaShop, and the pull brings the tax id back for a full invoice."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal as D
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from app.connection import ShopTarget
from app.events import EventBus
from app.sync.push import make_push_engine
from app.sync.worker import SyncWorker
from app.till.cash_drawer import open_cash_session
from app.till.customer_addresses import customer_invoice_address
from app.till.customers import NewCustomer, create_customer
from app.till.store import TillStore, open_store
from app.till.tickets import record_sale
from tests.support.push_tickets import fetch, small_ticket
from tests.support.shop_db import ShopDb


@pytest.fixture
def store(tmp_path: Path) -> Iterator[TillStore]:
    with open_store("T1", tmp_path / "till-T1.sqlite3") as till:
        open_cash_session(till, D("100.00"), 1)
        yield till


def test_phone_and_tax_id_reach_the_shop_and_come_back(
    demo_shop_db: ShopDb, store: TillStore
) -> None:
    person = NewCustomer("Marta", "Ríos", "", "611 222 333", "00000000t")
    entry = create_customer(store, person, 3)
    ticket = record_sale(store, small_ticket("draft", customer=entry.ticket_customer()))
    engine = make_push_engine(demo_shop_db.url)
    worker = SyncWorker(engine, store, ShopTarget(url=make_url(demo_shop_db.url)), EventBus())
    try:
        result = worker.run_once()
    finally:
        engine.dispose()
    assert result.pushed == 1
    [address] = fetch(
        make_push_engine(demo_shop_db.url),
        "SELECT a.phone, a.dni, c.id_customer FROM {p}mostrador_sale s JOIN {p}orders o"
        " ON o.id_order = s.id_order JOIN {p}address a ON a.id_address = o.id_address_invoice"
        " JOIN {p}customer c ON c.id_customer = o.id_customer WHERE s.uuid = :u",
        u=ticket.uuid,
    )
    assert (address["phone"], address["dni"]) == ("611 222 333", "00000000T")
    found = customer_invoice_address(store, address["id_customer"])
    assert found is not None and (found.tax_id, found.address) == ("00000000T", "")
