"""Customers and their addresses as PrestaShop's back office writes them (FACTS.md §3).

* ``customer``: shop and shop group of the ERP's shop, secure_key (md5 of random), passwd
  (bcrypt, given by the caller), last_passwd_gen = now − PS_PASSWD_TIME_FRONT minutes,
  is_guest 0, deleted 0, date_add/date_upd; ``customer_group`` rows for every group, the
  default group among them (Customer::add / updateGroup).
* The e-mail is unique among registered (non-guest, not deleted) customers of the shop, or of
  the shop group when it shares customers (Customer::getByEmail).
* ``address``: an edit of an address already used by an order makes a new address and
  soft-deletes the old one (EditCustomerAddressHandler); a delete is soft when orders use it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, fields
from typing import Any

from sqlalchemy import ColumnElement, Connection, and_, delete, func, insert, or_, select, update

from connectors.prestashop.erp_suppliers import check_unchanged, table
from connectors.prestashop.order_lines import row
from connectors.prestashop.shop import ShopInfo


@dataclass(frozen=True)
class CustomerData:
    """What the customer form edits (the password is not part of it)."""

    firstname: str
    lastname: str
    email: str
    id_default_group: int
    groups: tuple[int, ...]
    id_gender: int = 0
    company: str = ""
    siret: str = ""
    birthday: dt.date | None = None
    newsletter: bool = False
    optin: bool = False
    active: bool = True
    note: str = ""
    id_lang: int = 0


@dataclass(frozen=True)
class CustomerSummary:
    id_customer: int
    firstname: str
    lastname: str
    email: str
    company: str
    active: bool
    is_guest: bool
    date_add: dt.datetime


@dataclass(frozen=True)
class CustomerRecord:
    id_customer: int
    data: CustomerData
    is_guest: bool
    date_add: dt.datetime
    date_upd: dt.datetime


@dataclass(frozen=True)
class AddressData:
    alias: str
    firstname: str
    lastname: str
    address1: str
    city: str
    id_country: int
    postcode: str = ""
    address2: str = ""
    id_state: int = 0
    company: str = ""
    phone: str = ""
    phone_mobile: str = ""
    vat_number: str = ""
    dni: str = ""
    other: str = ""


@dataclass(frozen=True)
class AddressRecord:
    id_address: int
    data: AddressData
    date_upd: dt.datetime
    used: bool  # orders point to it


@dataclass(frozen=True)
class Choice:
    id: int
    name: str


@dataclass(frozen=True)
class CountryChoice:
    id_country: int
    name: str
    iso_code: str
    need_dni: bool
    need_zip_code: bool
    zip_code_format: str
    contains_states: bool


# --------------------------------------------------------------------------- reads


def _scope(shop: ShopInfo) -> ColumnElement[bool]:
    c = table(shop, "customer")
    if shop.share_customer:
        return c.c.id_shop_group == shop.id_shop_group  # type: ignore[no-any-return]
    return c.c.id_shop == shop.id_shop  # type: ignore[no-any-return]


def list_customers(
    conn: Connection,
    shop: ShopInfo,
    text: str,
    after: int | None,
    limit: int,
    *,
    guests: bool = True,
) -> list[CustomerSummary]:
    """Newest first, below id ``after``; every word of ``text`` in a name, e-mail or company."""
    c = table(shop, "customer")
    stmt = select(c).where(_scope(shop), c.c.deleted == 0).order_by(c.c.id_customer.desc())
    for word in text.split():
        like = f"%{word}%"
        stmt = stmt.where(or_(c.c.firstname.like(like), c.c.lastname.like(like),
                              c.c.email.like(like), c.c.company.like(like)))  # fmt: skip
    if after is not None:
        stmt = stmt.where(c.c.id_customer < after)
    if not guests:
        stmt = stmt.where(c.c.is_guest == 0)
    return [
        CustomerSummary(
            int(r.id_customer),
            r.firstname,
            r.lastname,
            r.email,
            r.company or "",
            bool(r.active),
            bool(r.is_guest),
            r.date_add,
        )  # fmt: skip
        for r in conn.execute(stmt.limit(limit))
    ]


def read_customer(conn: Connection, shop: ShopInfo, id_customer: int) -> CustomerRecord | None:
    c, cg = table(shop, "customer"), table(shop, "customer_group")
    r = conn.execute(select(c).where(c.c.id_customer == id_customer)).first()
    if r is None:
        return None
    groups = conn.execute(
        select(cg.c.id_group).where(cg.c.id_customer == id_customer).order_by(cg.c.id_group)
    ).scalars()
    data = CustomerData(
        r.firstname, r.lastname, r.email, int(r.id_default_group), tuple(int(g) for g in groups),
        int(r.id_gender or 0), r.company or "", r.siret or "", r.birthday, bool(r.newsletter),
        bool(r.optin), bool(r.active), r.note or "", int(r.id_lang or 0),
    )  # fmt: skip
    return CustomerRecord(id_customer, data, bool(r.is_guest), r.date_add, r.date_upd)


def email_taken(conn: Connection, shop: ShopInfo, email: str, except_id: int = 0) -> bool:
    """Whether a registered customer of this shop (or shared group) has ``email``."""
    c = table(shop, "customer")
    stmt = select(c.c.id_customer).where(
        func.lower(c.c.email) == email.lower(), _scope(shop), c.c.is_guest == 0, c.c.deleted == 0,
        c.c.id_customer != except_id,
    )  # fmt: skip
    return conn.execute(stmt.limit(1)).first() is not None


def groups(conn: Connection, shop: ShopInfo) -> list[Choice]:
    g, gl = table(shop, "group"), table(shop, "group_lang")
    stmt = (
        select(g.c.id_group, gl.c.name)
        .outerjoin(gl, and_(gl.c.id_group == g.c.id_group, gl.c.id_lang == shop.id_lang))
        .order_by(g.c.id_group)
    )
    return [Choice(int(r.id_group), r.name or str(r.id_group)) for r in conn.execute(stmt)]


def countries(conn: Connection, shop: ShopInfo) -> list[CountryChoice]:
    """Active countries by name, in the ERP's language."""
    c, cl = table(shop, "country"), table(shop, "country_lang")
    stmt = (
        select(c, cl.c.name)
        .outerjoin(cl, and_(cl.c.id_country == c.c.id_country, cl.c.id_lang == shop.id_lang))
        .where(c.c.active != 0)
        .order_by(cl.c.name)
    )
    return [
        CountryChoice(
            int(r.id_country),
            r.name or r.iso_code,
            r.iso_code,
            bool(r.need_identification_number),
            bool(r.need_zip_code),
            r.zip_code_format or "",
            bool(r.contains_states),
        )  # fmt: skip
        for r in conn.execute(stmt)
    ]


def states(conn: Connection, shop: ShopInfo, id_country: int) -> list[Choice]:
    s = table(shop, "state")
    stmt = select(s.c.id_state, s.c.name).where(s.c.id_country == id_country, s.c.active != 0)
    return [Choice(int(r.id_state), r.name) for r in conn.execute(stmt.order_by(s.c.name))]


def addresses(conn: Connection, shop: ShopInfo, id_customer: int) -> list[AddressRecord]:
    a, o = table(shop, "address"), table(shop, "orders")
    used = (
        select(func.count(o.c.id_order))
        .where(
            or_(o.c.id_address_delivery == a.c.id_address, o.c.id_address_invoice == a.c.id_address)
        )
        .scalar_subquery()
    )
    stmt = (
        select(a, used.label("used"))
        .where(a.c.id_customer == id_customer, a.c.deleted == 0)
        .order_by(a.c.id_address)
    )
    names = [f.name for f in fields(AddressData)]
    return [
        AddressRecord(
            int(r.id_address),
            AddressData(**{n: _plain(getattr(r, n)) for n in names}),
            r.date_upd,
            bool(r.used),
        )  # fmt: skip
        for r in conn.execute(stmt)
    ]


def _plain(value: Any) -> Any:
    return "" if value is None else value


# --------------------------------------------------------------------------- customer writes


def new_secure_key() -> str:
    return hashlib.md5(secrets.token_bytes(16), usedforsecurity=False).hexdigest()


def insert_customer(
    conn: Connection, shop: ShopInfo, data: CustomerData, *, passwd: str, now: dt.datetime,
    passwd_minutes: int,
) -> int:  # fmt: skip
    values = row(
        shop, "customer", **_customer_values(data, shop), id_shop_group=shop.id_shop_group,
        id_shop=shop.id_shop, id_risk=0, passwd=passwd,
        last_passwd_gen=now - dt.timedelta(minutes=passwd_minutes), outstanding_allow_amount=0,
        secure_key=new_secure_key(), is_guest=False, deleted=False, date_add=now, date_upd=now,
    )  # fmt: skip
    id_customer = int(conn.execute(insert(table(shop, "customer")).values(values)).lastrowid)
    _write_groups(conn, shop, id_customer, data.groups)
    return id_customer


def update_customer(
    conn: Connection, shop: ShopInfo, id_customer: int, data: CustomerData, *,
    loaded: dt.datetime, now: dt.datetime, passwd: str | None = None,
) -> None:  # fmt: skip
    check_unchanged(conn, shop, "customer", {"id_customer": id_customer}, loaded)
    values = dict(_customer_values(data, shop), date_upd=now)
    if passwd is not None:
        values["passwd"] = passwd
    c = table(shop, "customer")
    conn.execute(
        update(c).where(c.c.id_customer == id_customer).values(row(shop, "customer", **values))
    )
    _write_groups(conn, shop, id_customer, data.groups)


def _customer_values(data: CustomerData, shop: ShopInfo) -> dict[str, Any]:
    return dict(
        id_gender=data.id_gender, id_default_group=data.id_default_group,
        id_lang=data.id_lang or shop.id_lang, company=data.company, siret=data.siret,
        firstname=data.firstname, lastname=data.lastname, email=data.email,
        birthday=data.birthday, newsletter=data.newsletter, optin=data.optin,
        note=data.note, active=data.active,
    )  # fmt: skip


def _write_groups(conn: Connection, shop: ShopInfo, id_customer: int, ids: Sequence[int]) -> None:
    """customer_group = exactly ``ids`` (Customer::updateGroup: clean, then add)."""
    cg = table(shop, "customer_group")
    conn.execute(delete(cg).where(cg.c.id_customer == id_customer))
    rows = [{"id_customer": id_customer, "id_group": g} for g in sorted(set(ids))]
    conn.execute(insert(cg), rows)


# --------------------------------------------------------------------------- address writes


def insert_address(
    conn: Connection, shop: ShopInfo, id_customer: int, data: AddressData, now: dt.datetime
) -> int:
    values = row(shop, "address", **_address_values(data), id_customer=id_customer,
                 id_manufacturer=0, id_supplier=0, id_warehouse=0, date_add=now, date_upd=now,
                 active=True, deleted=False)  # fmt: skip
    return int(conn.execute(insert(table(shop, "address")).values(values)).lastrowid)


def update_address(
    conn: Connection, shop: ShopInfo, id_address: int, data: AddressData, *,
    loaded: dt.datetime, now: dt.datetime,
) -> int:  # fmt: skip
    """Save an edited address; the id it has afterwards (a new one when orders used it)."""
    check_unchanged(conn, shop, "address", {"id_address": id_address}, loaded)
    a = table(shop, "address")
    current = conn.execute(select(a.c.id_customer).where(a.c.id_address == id_address)).one()
    if address_used(conn, shop, id_address):
        new_id = insert_address(conn, shop, int(current.id_customer), data, now)
        conn.execute(
            update(a).where(a.c.id_address == id_address).values(deleted=True, date_upd=now)
        )
        return new_id
    values = dict(_address_values(data), date_upd=now)
    conn.execute(
        update(a).where(a.c.id_address == id_address).values(row(shop, "address", **values))
    )
    return id_address


def delete_address(conn: Connection, shop: ShopInfo, id_address: int, now: dt.datetime) -> None:
    """Soft delete when orders use it, else remove the row (Address::delete)."""
    a = table(shop, "address")
    where = a.c.id_address == id_address
    if address_used(conn, shop, id_address):
        conn.execute(update(a).where(where).values(deleted=True, date_upd=now))
    else:
        conn.execute(delete(a).where(where))


def address_used(conn: Connection, shop: ShopInfo, id_address: int) -> bool:
    o = table(shop, "orders")
    stmt = select(o.c.id_order).where(
        or_(o.c.id_address_delivery == id_address, o.c.id_address_invoice == id_address)
    )
    return conn.execute(stmt.limit(1)).first() is not None


def _address_values(data: AddressData) -> dict[str, Any]:
    values = {f.name: getattr(data, f.name) for f in fields(AddressData)}
    values["id_state"] = data.id_state or 0
    return values
