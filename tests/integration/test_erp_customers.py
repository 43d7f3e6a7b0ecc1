"""Customers and addresses written as PrestaShop's back office writes them: customer with
secure key, bcrypt password and dates, customer_group rows, the e-mail unique per shop,
concurrent edits refused, addresses used by orders copied instead of changed."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import bcrypt
import pytest
from sqlalchemy import text

from app.connection import ShopTarget, parse_url
from app.erp import customers
from app.erp.context import ErpContext, open_erp
from app.erp.customers import AddressData, CustomerData
from app.erp.listing import ListQuery
from app.errors import UserFacingError
from connectors.prestashop.erp_suppliers import ChangedElsewhere
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


def _new(ctx: ErpContext, email: str = "lucia.nunez@example.org") -> CustomerData:
    base = customers.default_customer(ctx)
    return CustomerData(
        " Lucía ",
        "Núñez  Ortega",
        email,
        base.id_default_group,
        base.groups,
        company="Ferretería Lucía",
        id_lang=ctx.shop.id_lang,
    )


def test_a_new_customer_has_the_rows_prestashop_keeps(ctx: ErpContext) -> None:
    record = customers.create_customer(ctx, _new(ctx), password="secreto-largo")
    (c,) = _rows(ctx, "SELECT * FROM ps_customer WHERE id_customer = :i", i=record.id_customer)
    assert (c["firstname"], c["lastname"], c["email"]) == (
        "Lucía",
        "Núñez Ortega",
        "lucia.nunez@example.org",
    )
    assert (c["id_shop"], c["id_shop_group"], c["is_guest"], c["deleted"], c["active"]) == (
        1,
        1,
        0,
        0,
        1,
    )
    assert c["id_default_group"] == 3 and c["id_lang"] == ctx.shop.id_lang
    assert len(str(c["secure_key"])) == 32 and str(c["passwd"]).startswith("$2y$10$")
    assert bcrypt.checkpw(b"secreto-largo", ("$2b$" + str(c["passwd"])[4:]).encode())
    added = record.date_add
    assert str(c["date_add"]) == str(c["date_upd"]) == str(added)
    assert str(c["last_passwd_gen"])[:16] == str(added - timedelta(minutes=360))[:16]
    groups = _rows(
        ctx, "SELECT id_group FROM ps_customer_group WHERE id_customer = :i", i=record.id_customer
    )
    assert groups == [{"id_group": 3}]
    found = customers.fetch_customers(ctx, ListQuery("núñez lucía"), None, 10).rows
    assert [f.id_customer for f in found] == [record.id_customer]


def test_a_duplicate_email_is_refused_but_a_guest_does_not_count(ctx: ErpContext) -> None:
    (taken,) = _rows(
        ctx,
        "SELECT email FROM ps_customer WHERE is_guest = 0 AND deleted = 0 "
        "AND email LIKE '%@example.com' ORDER BY id_customer LIMIT 1",
    )
    with pytest.raises(UserFacingError, match="already exists"):
        customers.create_customer(ctx, _new(ctx, str(taken["email"]).upper()))
    with ctx.engine.begin() as conn:
        conn.execute(text("UPDATE ps_customer SET is_guest = 1 WHERE email = :email"), taken)
    assert customers.create_customer(ctx, _new(ctx, str(taken["email"]))).id_customer
    with pytest.raises(UserFacingError, match="e-mail address"):
        customers.create_customer(ctx, _new(ctx, "lucia@"))
    with pytest.raises(UserFacingError, match="default group"):
        customers.create_customer(ctx, CustomerData("Ana", "Gil", "ana@example.org", 3, (1,)))
    with pytest.raises(UserFacingError, match="first name"):
        customers.create_customer(ctx, CustomerData("An4", "Gil", "ana@example.org", 3, (3,)))


def test_an_edit_changes_groups_keeps_the_password_and_refuses_stale_forms(ctx: ErpContext) -> None:
    record = customers.create_customer(ctx, _new(ctx), password="secreto-largo")
    (before,) = _rows(
        ctx, "SELECT passwd FROM ps_customer WHERE id_customer = :i", i=record.id_customer
    )
    with ctx.engine.begin() as conn:
        conn.execute(
            text("UPDATE ps_customer SET date_upd = '2031-03-04 17:05:00' WHERE id_customer = :i"),
            {"i": record.id_customer},
        )
    edited = CustomerData(
        **{**vars(record.data), "groups": (1, 3), "id_default_group": 1, "lastname": "Núñez"}
    )
    with pytest.raises(ChangedElsewhere, match="17:05"):
        customers.save_customer(ctx, record.id_customer, edited, record.date_upd)
    fresh = customers.load_customer(ctx, record.id_customer)
    saved = customers.save_customer(ctx, record.id_customer, edited, fresh.date_upd)
    assert (saved.data.lastname, saved.data.groups, saved.data.id_default_group) == (
        "Núñez",
        (1, 3),
        1,
    )
    (after,) = _rows(
        ctx, "SELECT passwd FROM ps_customer WHERE id_customer = :i", i=record.id_customer
    )
    assert after == before


def _address(ctx: ErpContext, **changes: object) -> AddressData:
    values: dict[str, object] = dict(
        alias="Casa",
        firstname="Lucía",
        lastname="Núñez",
        address1="Calle Mayor 1",
        city="Madrid",
        id_country=ctx.shop.id_country,
        postcode="28001",
        dni="12345678z",
    )
    provinces = customers.states(ctx, ctx.shop.id_country)
    values["id_state"] = provinces[0].id if provinces else 0
    values.update(changes)
    return AddressData(**values)  # type: ignore[arg-type]


def test_addresses_follow_the_country_rules_and_used_ones_are_copied(ctx: ErpContext) -> None:
    record = customers.create_customer(ctx, _new(ctx))
    cid = record.id_customer
    with pytest.raises(UserFacingError, match="ID number"):
        customers.create_address(ctx, cid, _address(ctx, dni=""))
    with pytest.raises(UserFacingError, match="postcode"):
        customers.create_address(ctx, cid, _address(ctx, postcode="2800"))
    (address,) = customers.create_address(ctx, cid, _address(ctx))
    (row,) = _rows(ctx, "SELECT * FROM ps_address WHERE id_address = :i", i=address.id_address)
    assert (row["id_customer"], row["dni"], row["deleted"], row["active"]) == (
        cid,
        "12345678Z",
        0,
        1,
    )
    assert str(row["date_add"]) == str(row["date_upd"])
    (edited,) = customers.save_address(
        ctx, cid, address.id_address, _address(ctx, city="Alcalá"), address.date_upd
    )
    assert edited.id_address == address.id_address and edited.data.city == "Alcalá"
    with ctx.engine.begin() as conn:  # an order now uses it
        conn.execute(
            text("UPDATE ps_orders SET id_address_delivery = :a WHERE id_order = 1"),
            {"a": address.id_address},
        )
    (copy,) = customers.save_address(
        ctx, cid, address.id_address, _address(ctx, address1="Calle Nueva 2"), edited.date_upd
    )
    assert copy.id_address != address.id_address and copy.data.address1 == "Calle Nueva 2"
    (old,) = _rows(
        ctx, "SELECT deleted, address1 FROM ps_address WHERE id_address = :i", i=address.id_address
    )
    assert old == {"deleted": 1, "address1": "Calle Mayor 1"}
    assert customers.delete_address(ctx, cid, copy.id_address) == []
    assert _rows(ctx, "SELECT 1 FROM ps_address WHERE id_address = :i", i=copy.id_address) == []
