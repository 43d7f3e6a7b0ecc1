"""Customers and addresses in the back office, with PrestaShop's rules.

* Names: letters, spaces and ``. ' -`` only (PrestaShop's isCustomerName refuses digits and
  most symbols); a valid e-mail, unique among the registered customers of the shop (or of the
  shop group sharing customers); groups with the default group among them.
* Password: a customer created here gets the password typed (8 to 72 characters), stored as
  PrestaShop stores it (bcrypt); left empty, a random one that nobody knows, so the customer
  sets their own with "forgot your password" on the web shop. An edit keeps the password
  unless a new one is typed.
* Addresses: country and, when the country has states, a state; the postcode in the
  country's format; the ID number when the country asks for it (Spain does).
* An edit carries the ``date_upd`` it loaded and is refused when someone saved meanwhile.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from dataclasses import replace
from typing import Any

import bcrypt
from sqlalchemy import Connection
from sqlalchemy.orm import Session

from app.erp.context import ErpContext
from app.erp.listing import Column, Key, ListQuery, Page
from app.errors import UserFacingError
from app.i18n import _
from connectors.prestashop import erp_customers as db
from connectors.prestashop.configuration import get_int
from connectors.prestashop.erp_customers import (
    AddressData,
    AddressRecord,
    Choice,
    CountryChoice,
    CustomerData,
    CustomerRecord,
    CustomerSummary,
)
from connectors.prestashop.erp_suppliers import shop_now

__all__ = [
    "AddressData", "AddressRecord", "Choice", "CountryChoice", "CustomerData",
    "CustomerRecord", "CustomerSummary",
]  # fmt: skip
PASSWORD_MIN, PASSWORD_MAX = 8, 72  # bcrypt reads 72 bytes
_NAME = re.compile(r"^[^0-9!<>,;?=+()@#\"°{}_$%:¤|]*$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def fetch_customers(
    ctx: ErpContext, query: ListQuery, after: Key | None, limit: int
) -> Page[CustomerSummary]:
    """Newest first; the text searches names, e-mail and company; filter ``registered``."""
    guests = not query.filter("registered", False)
    with ctx.engine.connect() as conn:
        rows = db.list_customers(
            conn, ctx.shop, query.text, after[0] if after else None, limit + 1, guests=guests
        )
    if len(rows) > limit:
        return Page(tuple(rows[:limit]), (rows[limit - 1].id_customer,))
    return Page(tuple(rows))


def customer_columns() -> tuple[Column[CustomerSummary], ...]:
    return (
        Column(_("Id"), lambda c: c.id_customer, "int", width=70),
        Column(_("First name"), lambda c: c.firstname, width=150),
        Column(_("Last name"), lambda c: c.lastname, width=180),
        Column(_("E-mail"), lambda c: c.email, width=240),
        Column(_("Company"), lambda c: c.company, width=150),
        Column(_("Guest"), lambda c: c.is_guest, "bool", width=70),
        Column(_("Active"), lambda c: c.active, "bool", width=70),
        Column(_("Since"), lambda c: c.date_add, "date", width=100),
    )


def load_customer(ctx: ErpContext, id_customer: int) -> CustomerRecord:
    with ctx.engine.connect() as conn:
        record = db.read_customer(conn, ctx.shop, id_customer)
    if record is None:
        raise UserFacingError(_("The customer no longer exists in the shop."))
    return record


def customer_groups(ctx: ErpContext) -> list[Choice]:
    with ctx.engine.connect() as conn:
        return db.groups(conn, ctx.shop)


def default_customer(ctx: ErpContext) -> CustomerData:
    """An empty form: the shop's customer group (PS_CUSTOMER_GROUP) as default and only group."""
    with ctx.engine.connect() as conn:
        with Session(bind=conn) as session:
            shop = ctx.shop
            group = get_int(
                session, shop.models, "PS_CUSTOMER_GROUP", shop.id_shop, shop.id_shop_group
            )
    group = group or 3
    return CustomerData("", "", "", group, (group,), id_lang=ctx.shop.id_lang)


def create_customer(ctx: ErpContext, data: CustomerData, password: str = "") -> CustomerRecord:
    data = _checked(data, password)
    passwd = _hash(password or secrets.token_urlsafe(24))
    with ctx.engine.begin() as conn:
        _refuse_taken(conn, ctx, data.email, 0)
        minutes = _passwd_minutes(conn, ctx)
        id_customer = db.insert_customer(
            conn, ctx.shop, data, passwd=passwd, now=shop_now(ctx.shop), passwd_minutes=minutes
        )
    return load_customer(ctx, id_customer)


def save_customer(
    ctx: ErpContext, id_customer: int, data: CustomerData, loaded: dt.datetime, password: str = ""
) -> CustomerRecord:
    data = _checked(data, password)
    passwd = _hash(password) if password else None
    with ctx.engine.begin() as conn:
        _refuse_taken(conn, ctx, data.email, id_customer)
        db.update_customer(conn, ctx.shop, id_customer, data, loaded=loaded,
                           now=shop_now(ctx.shop), passwd=passwd)  # fmt: skip
    return load_customer(ctx, id_customer)


def _refuse_taken(conn: Connection, ctx: ErpContext, email: str, except_id: int) -> None:
    if db.email_taken(conn, ctx.shop, email, except_id):
        raise UserFacingError(
            _("A customer with the e-mail {email} already exists in this shop.").format(
                email=email
            ),
            _("Search for that customer instead of creating another one."),
        )


def _passwd_minutes(conn: Connection, ctx: ErpContext) -> int:
    shop = ctx.shop
    with Session(bind=conn) as session:
        value = get_int(
            session, shop.models, "PS_PASSWD_TIME_FRONT", shop.id_shop, shop.id_shop_group
        )
    return 360 if value is None else value


def _hash(password: str) -> str:
    """PHP's password_hash(PASSWORD_BCRYPT): ``$2y$10$…``."""
    hashed = bcrypt.hashpw(password.encode(), bcrypt.gensalt(rounds=10)).decode()
    return "$2y$" + hashed[4:]


def _checked(data: CustomerData, password: str) -> CustomerData:
    data = replace(
        data, firstname=" ".join(data.firstname.split()), lastname=" ".join(data.lastname.split()),
        email=data.email.strip(), company=data.company.strip(),
    )  # fmt: skip
    for value, label in ((data.firstname, _("first name")), (data.lastname, _("last name"))):
        if not value or not _NAME.match(value) or len(value) > 255:
            message = _("The {field} is missing or has characters that are not allowed.")
            raise UserFacingError(message.format(field=label))
    if not _EMAIL.match(data.email) or len(data.email) > 255:
        raise UserFacingError(_("«{email}» is not an e-mail address.").format(email=data.email))
    if not data.groups or data.id_default_group not in data.groups:
        raise UserFacingError(_("The default group must be one of the customer's groups."))
    if password and not PASSWORD_MIN <= len(password.encode()) <= PASSWORD_MAX:
        raise UserFacingError(
            _("The password must have {low} to {high} characters.").format(
                low=PASSWORD_MIN, high=PASSWORD_MAX))  # fmt: skip
    return data


# --------------------------------------------------------------------------- addresses


def customer_addresses(ctx: ErpContext, id_customer: int) -> list[AddressRecord]:
    with ctx.engine.connect() as conn:
        return db.addresses(conn, ctx.shop, id_customer)


def countries(ctx: ErpContext) -> list[CountryChoice]:
    with ctx.engine.connect() as conn:
        return db.countries(conn, ctx.shop)


def states(ctx: ErpContext, id_country: int) -> list[Choice]:
    with ctx.engine.connect() as conn:
        return db.states(conn, ctx.shop, id_country)


def create_address(ctx: ErpContext, id_customer: int, data: AddressData) -> list[AddressRecord]:
    """Add an address; the customer's addresses afterwards."""
    with ctx.engine.begin() as conn:
        data = _checked_address(conn, ctx, data)
        db.insert_address(conn, ctx.shop, id_customer, data, shop_now(ctx.shop))
        return db.addresses(conn, ctx.shop, id_customer)


def save_address(
    ctx: ErpContext, id_customer: int, id_address: int, data: AddressData, loaded: dt.datetime
) -> list[AddressRecord]:
    """Save an edited address (a copy when orders used it, as PrestaShop does)."""
    with ctx.engine.begin() as conn:
        data = _checked_address(conn, ctx, data)
        db.update_address(conn, ctx.shop, id_address, data, loaded=loaded, now=shop_now(ctx.shop))
        return db.addresses(conn, ctx.shop, id_customer)


def delete_address(ctx: ErpContext, id_customer: int, id_address: int) -> list[AddressRecord]:
    with ctx.engine.begin() as conn:
        db.delete_address(conn, ctx.shop, id_address, shop_now(ctx.shop))
        return db.addresses(conn, ctx.shop, id_customer)


def _checked_address(conn: Connection, ctx: ErpContext, data: AddressData) -> AddressData:
    cleaned: dict[str, Any] = {k: " ".join(str(getattr(data, k)).split()) for k in _TEXT_FIELDS}
    data = replace(data, **cleaned)
    country = next(
        (c for c in db.countries(conn, ctx.shop) if c.id_country == data.id_country), None
    )
    if country is None:
        raise UserFacingError(_("Choose the country of the address."))
    missing = [label for value, label in _required(data) if not value]
    if missing:
        raise UserFacingError(_("Fill in: {fields}.").format(fields=", ".join(missing)))
    if country.need_dni and not data.dni:
        raise UserFacingError(
            _("Addresses in {country} need an ID number.").format(country=country.name)
        )
    if country.contains_states and not data.id_state:
        if db.states(conn, ctx.shop, country.id_country):
            raise UserFacingError(_("Choose the state or province."))
    if not postcode_ok(data.postcode, country):
        message = _("The postcode does not look like one of {country} ({format}).")
        raise UserFacingError(message.format(country=country.name, format=country.zip_code_format))
    return replace(data, postcode=data.postcode.upper(), dni=data.dni.upper())


_TEXT_FIELDS = ("alias", "firstname", "lastname", "address1", "address2", "city", "postcode",
                "company", "phone", "phone_mobile", "vat_number", "dni")  # fmt: skip


def _required(data: AddressData) -> list[tuple[str, str]]:
    return [
        (data.alias, _("alias")), (data.firstname, _("first name")),
        (data.lastname, _("last name")), (data.address1, _("address")), (data.city, _("city")),
    ]  # fmt: skip


def postcode_ok(postcode: str, country: CountryChoice) -> bool:
    """PrestaShop's zip_code_format: N a digit, L a letter, C the country's ISO code."""
    if not postcode:
        return not country.need_zip_code
    if not country.zip_code_format:
        return True
    pattern = "".join(
        r"\d" if ch == "N" else "[A-Za-z]" if ch == "L" else re.escape(country.iso_code)
        if ch == "C" else re.escape(ch)
        for ch in country.zip_code_format
    )  # fmt: skip
    return re.fullmatch(pattern, postcode.strip()) is not None
