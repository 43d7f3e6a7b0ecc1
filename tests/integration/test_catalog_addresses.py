"""Customers' addresses at the till, on real shops (MariaDB 1.7.8 / 8.0 / 9.0 and SQLite): the
catalog pull brings them (full, then edits and deletions), and a full invoice is offered the
right one (``customer_invoice_address``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, delete, func, select, text

from app.sale.price_inputs import WALK_IN_KEY
from app.sync.catalog_pull import pull_catalog
from app.till import models_catalog as tm
from app.till.customer_addresses import customer_invoice_address
from app.till.store import TillStore, open_store
from app.verifactu.recipient import NIF, VAT, checked
from connectors.prestashop.shop import ShopInfo, open_shop
from tests.support.shop_db import ShopDb

Pulled = tuple[Engine, ShopInfo, TillStore]
WALK_IN = 1  # the demo shop's "Cliente de mostrador", whose address is the shop's
SHOP_STREET = ("Calle Mayor, 12", "28013", "Madrid")  # the demo shop's own address


@pytest.fixture
def pulled(demo_shop_db: ShopDb, tmp_path: Path) -> Iterator[Pulled]:
    """The demo shop fully pulled into a till whose walk-in customer is customer 1."""
    engine = demo_shop_db.engine()
    shop = open_shop(engine, "ps_", 1, "es")
    with open_store("T1", tmp_path / "till-T1.sqlite3") as store:
        set_state(store, WALK_IN_KEY, str(WALK_IN))
        assert pull_catalog(engine, shop, store).full
        yield engine, shop, store
    engine.dispose()


def set_state(store: TillStore, key: str, value: str) -> None:
    with store.write() as session:
        session.merge(tm.CatalogSyncState(key=key, value=value))


def rows(engine: Engine, sql: str, **params: Any) -> list[dict[str, Any]]:
    with engine.connect() as conn:
        return [dict(r) for r in conn.execute(text(sql.format(p="ps_")), params).mappings()]


def execute(engine: Engine, sql: str, **params: Any) -> None:
    with engine.begin() as conn:
        conn.execute(text(sql.format(p="ps_")), params)


def clone_address(engine: Engine, id_customer: int, **changes: Any) -> None:
    """A new address of ``id_customer``: a copy of their first one with ``changes``."""
    source = rows(engine, "SELECT * FROM {p}address WHERE id_customer = :c LIMIT 1", c=id_customer)
    row = {**source[0], **changes}
    names = ", ".join(row)
    values = ", ".join(f":{n}" for n in row)
    execute(engine, f"INSERT INTO {{p}}address ({names}) VALUES ({values})", **row)


def address_of(engine: Engine, id_customer: int) -> dict[str, Any]:
    return rows(engine, "SELECT * FROM {p}address WHERE id_customer = :c", c=id_customer)[0]


def till_address_ids(store: TillStore) -> set[int]:
    with store.read() as session:
        return set(session.scalars(select(tm.CatalogAddress.id_address)))


def moment(minutes: int = 0) -> dt.datetime:
    return dt.datetime.now().replace(microsecond=0) + dt.timedelta(minutes=minutes)


def test_a_full_pull_brings_each_customers_address_with_its_nif(pulled: Pulled) -> None:
    engine, _shop, store = pulled
    expected = rows(
        engine,
        "SELECT a.id_address FROM {p}address a JOIN {p}customer c ON c.id_customer = "
        "a.id_customer WHERE c.active = 1 AND c.deleted = 0 AND a.active = 1 AND a.deleted = 0 "
        "AND a.id_customer NOT IN (0, :walk_in)",
        walk_in=WALK_IN,
    )
    assert till_address_ids(store) == {r["id_address"] for r in expected}
    assert len(expected) == 10  # one per registered customer; not the walk-in's, nor suppliers'
    shop_row = address_of(engine, 2)
    found = customer_invoice_address(store, 2)
    assert found is not None
    assert (found.tax_id, found.id_type, found.country) == (shop_row["dni"], NIF, "ES")
    assert (found.address, found.postcode, found.city) == (
        shop_row["address1"], shop_row["postcode"], shop_row["city"],
    )  # fmt: skip
    assert found.name == f"{shop_row['firstname']} {shop_row['lastname']}"
    assert checked(found.recipient()).tax_id == shop_row["dni"]  # ready for a full invoice
    assert customer_invoice_address(store, WALK_IN) is None


def test_an_edited_address_reaches_the_till_in_the_next_incremental_pull(pulled: Pulled) -> None:
    engine, shop, store = pulled
    execute(
        engine,
        "UPDATE {p}address SET dni = '00000000T', company = 'Talleres Ruiz SL', "
        "address1 = 'Carrer Nou, 5', postcode = '08001', city = 'Barcelona', date_upd = :now "
        "WHERE id_customer = 3",
        now=moment(),
    )
    result = pull_catalog(engine, shop, store)
    assert not result.full
    assert dict(result.upserted) == {"addresses": 1} and not result.deleted
    assert result.changes.customers
    found = customer_invoice_address(store, 3)
    assert found is not None
    assert (found.name, found.tax_id, found.address, found.postcode, found.city) == (
        "Talleres Ruiz SL", "00000000T", "Carrer Nou, 5", "08001", "Barcelona",
    )  # fmt: skip
    again = pull_catalog(engine, shop, store)
    assert again.rows_written == 0 and again.round_trips <= 3


def test_deleted_addresses_leave_the_till(pulled: Pulled) -> None:
    engine, shop, store = pulled
    soft, hard = address_of(engine, 4)["id_address"], address_of(engine, 5)["id_address"]
    # PrestaShop flags an address used by orders as deleted, and removes an unused one.
    execute(engine, "UPDATE {p}address SET deleted = 1, date_upd = :now WHERE id_address = :a",
            now=moment(), a=soft)  # fmt: skip
    execute(engine, "DELETE FROM {p}address WHERE id_address = :a", a=hard)
    result = pull_catalog(engine, shop, store)
    assert dict(result.deleted) == {"addresses": 2} and not result.upserted
    assert not till_address_ids(store) & {soft, hard}
    assert customer_invoice_address(store, 4) is None
    assert customer_invoice_address(store, 5) is None


def test_the_address_with_a_tax_id_comes_first_then_the_newest(pulled: Pulled) -> None:
    engine, shop, store = pulled
    original = address_of(engine, 6)
    clone_address(engine, 6, id_address=901, dni="", address1="Calle Sin NIF, 1",
                  date_add=moment(), date_upd=moment())  # fmt: skip
    pull_catalog(engine, shop, store)
    found = customer_invoice_address(store, 6)
    assert found is not None and found.id_address == original["id_address"]

    clone_address(engine, 6, id_address=902, dni="12345678Z", company="Ferretería Gil SL",
                  address1="Avenida del Puerto, 40", date_add=moment(1),
                  date_upd=moment(1))  # fmt: skip
    pull_catalog(engine, shop, store)
    found = customer_invoice_address(store, 6)
    assert found is not None
    assert (found.id_address, found.name, found.tax_id) == (902, "Ferretería Gil SL", "12345678Z")


def test_a_foreign_address_offers_its_vat_number(pulled: Pulled) -> None:
    engine, shop, store = pulled
    france = rows(engine, "SELECT id_country FROM {p}country WHERE iso_code = 'FR'")[0]
    clone_address(engine, 7, id_address=903, id_country=france["id_country"], dni="",
                  vat_number="FR40303265045", address1="12 rue de la Paix", postcode="75002",
                  city="Paris", date_add=moment(), date_upd=moment())  # fmt: skip
    pull_catalog(engine, shop, store)
    found = customer_invoice_address(store, 7)
    assert found is not None
    assert (found.tax_id, found.id_type, found.country) == ("FR40303265045", VAT, "FR")
    assert checked(found.recipient()).address_lines() == ("12 rue de la Paix", "75002 Paris", "FR")


def test_the_shops_own_address_gives_its_tax_id_never_its_street(pulled: Pulled) -> None:
    """The address the push gives a customer taken at the counter is the shop's."""
    engine, shop, store = pulled
    street, postcode, city = SHOP_STREET
    execute(engine, "UPDATE {p}address SET address1 = :s, postcode = :z, city = :c, "
            "dni = '00000001R', date_upd = :now WHERE id_customer = 8",
            s=street, z=postcode, c=city, now=moment())  # fmt: skip
    execute(engine, "UPDATE {p}address SET dni = '', date_upd = :now WHERE id_customer = 9",
            now=moment())  # fmt: skip
    clone_address(engine, 9, id_address=904, address1=street, postcode=postcode, city=city,
                  dni="00000002W", date_add=moment(1), date_upd=moment(1))  # fmt: skip
    pull_catalog(engine, shop, store)

    only_shop = customer_invoice_address(store, 8)
    assert only_shop is not None
    assert (only_shop.tax_id, only_shop.address, only_shop.city) == ("00000001R", "", "")
    mixed = customer_invoice_address(store, 9)
    home = address_of(engine, 9)
    assert mixed is not None
    assert (mixed.tax_id, mixed.address, mixed.city) == ("00000002W", home["address1"],
                                                          home["city"])  # fmt: skip


def test_a_till_upgraded_to_addresses_loads_them_and_then_follows_edits(pulled: Pulled) -> None:
    """A store migrated to step 9 after its full load: the next (incremental) pull brings
    every address and starts following their date_upd."""
    engine, shop, store = pulled
    with store.write() as session:
        session.execute(delete(tm.CatalogAddress))
        session.execute(
            delete(tm.CatalogSyncState).where(tm.CatalogSyncState.key == "pull.recent.addresses")
        )
    first = pull_catalog(engine, shop, store)
    assert not first.full and dict(first.upserted) == {"addresses": 10}
    execute(engine, "UPDATE {p}address SET dni = '00000000T', date_upd = :now "
            "WHERE id_customer = 10", now=moment())  # fmt: skip
    assert dict(pull_catalog(engine, shop, store).upserted) == {"addresses": 1}
    found = customer_invoice_address(store, 10)
    assert found is not None and found.tax_id == "00000000T"


def test_choosing_another_walk_in_customer_swaps_whose_address_is_kept(pulled: Pulled) -> None:
    engine, shop, store = pulled
    set_state(store, WALK_IN_KEY, "2")
    result = pull_catalog(engine, shop, store)
    assert dict(result.upserted) == {"addresses": 1} and dict(result.deleted) == {"addresses": 1}
    assert customer_invoice_address(store, 2) is None
    with store.read() as session:
        kept = session.scalar(
            select(func.count())
            .select_from(tm.CatalogAddress)
            .where(tm.CatalogAddress.id_customer == WALK_IN)
        )
    assert kept == 1
