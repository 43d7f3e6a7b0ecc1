"""Demo shop, part 4: customers (FACTS.md §3) with their group and a Spanish address.

Customer 1 is the walk-in customer "Cliente de mostrador", whose address is the shop's own.
Customers' passwords are bcrypt hashes of ``CUSTOMER_PASSWORD``; to keep large builds fast
they cycle through a small pool of hashes (each with its own salt, all deterministic).
"""

from __future__ import annotations

from typing import NamedTuple

from connectors.prestashop import demo_words as w
from connectors.prestashop.demo_util import (
    Context,
    Row,
    ascii_lower,
    bcrypt_hash,
    secure_key,
)

CUSTOMER_PASSWORD = "cliente1234"
WALK_IN_ID = 1
HASH_POOL = 8
CUSTOMER_GROUP = 3


class Customer(NamedTuple):
    id: int
    id_address: int
    secure_key: str
    firstname: str
    lastname: str


def add_customers(ctx: Context, count: int) -> list[Customer]:
    """The walk-in customer plus ``count`` registered customers; one address each."""
    hashes = [bcrypt_hash(CUSTOMER_PASSWORD, ctx.rng) for _ in range(min(HASH_POOL, count + 1))]
    customers = [_add_walk_in(ctx, hashes[0])]
    for id_customer in range(WALK_IN_ID + 1, count + 2):
        customers.append(_add_customer(ctx, id_customer, hashes[id_customer % len(hashes)]))
    return customers


def _add_walk_in(ctx: Context, passwd: str) -> Customer:
    key = secure_key(ctx.rng)
    row = _customer_row(ctx, WALK_IN_ID, ("Cliente", "de mostrador", 0), passwd, key)
    row.update(email="mostrador@example.com", birthday=None, newsletter=0)
    ctx.sink.add("customer", row)
    ctx.sink.add("customer_group", dict(id_customer=WALK_IN_ID, id_group=CUSTOMER_GROUP))
    address, postcode, city, phone = w.SHOP_ADDRESS
    ctx.sink.add(
        "address",
        _address_row(ctx, WALK_IN_ID, WALK_IN_ID, ("Cliente", "de mostrador"), "Mostrador")
        | dict(address1=address, postcode=postcode, city=city, phone=phone, dni="",
               id_state=ctx.state_ids.get("ES-M", 0)),
    )  # fmt: skip
    return Customer(WALK_IN_ID, WALK_IN_ID, key, "Cliente", "de mostrador")


def _add_customer(ctx: Context, id_customer: int, passwd: str) -> Customer:
    rng = ctx.rng
    first, gender = rng.choice(w.FIRST_NAMES)
    last = f"{rng.choice(w.LAST_NAMES)} {rng.choice(w.LAST_NAMES)}"
    key = secure_key(rng)
    row = _customer_row(ctx, id_customer, (first, last, gender), passwd, key)
    ctx.sink.add("customer", row)
    ctx.sink.add("customer_group", dict(id_customer=id_customer, id_group=CUSTOMER_GROUP))
    ctx.sink.add("address", _spanish_address(ctx, id_customer, (first, last)))
    return Customer(id_customer, id_customer, key, first, last)


def _customer_row(
    ctx: Context, id_customer: int, person: tuple[str, str, int], passwd: str, key: str
) -> Row:
    rng = ctx.rng
    first, last, gender = person
    since = ctx.ago(rng.uniform(400, 729))
    birthday = since.date().replace(year=since.year - rng.randint(18, 75), day=1)
    email = f"{ascii_lower(first)}.{ascii_lower(last.split()[0])}{id_customer}@example.com"
    return dict(
        id_customer=id_customer, id_shop_group=1, id_shop=1, id_gender=gender,
        id_default_group=CUSTOMER_GROUP, id_lang=1, id_risk=0, company="", siret="", ape="",
        firstname=first, lastname=last, email=email, passwd=passwd, last_passwd_gen=since,
        birthday=birthday, newsletter=int(rng.random() < 0.3), ip_registration_newsletter=None,
        newsletter_date_add=None, optin=0, website=None, outstanding_allow_amount=0,
        show_public_prices=0, max_payment_days=0, secure_key=key, note=None, active=1,
        is_guest=0, deleted=0, date_add=since, date_upd=since,
    )  # fmt: skip


def _spanish_address(ctx: Context, id_customer: int, person: tuple[str, str]) -> Row:
    rng = ctx.rng
    _, iso, prefix, cities = rng.choice(w.PROVINCES)
    number = rng.randint(10_000_000, 99_999_999)
    return _address_row(ctx, id_customer, id_customer, person, "Mi dirección") | dict(
        address1=f"{rng.choice(w.STREETS)}, {rng.randint(1, 120)}",
        postcode=f"{prefix}{rng.randint(1, 999):03d}",
        city=rng.choice(cities),
        phone=f"6{rng.randint(10, 99)} {rng.randint(100, 999)} {rng.randint(100, 999)}",
        dni=f"{number}{w.NIF_LETTERS[number % 23]}",
        id_state=ctx.state_ids.get(iso, 0),
    )


def _address_row(
    ctx: Context, id_address: int, id_customer: int, person: tuple[str, str], alias: str
) -> Row:
    return dict(
        id_address=id_address, id_country=w.SPAIN, id_customer=id_customer, id_manufacturer=0,
        id_supplier=0, id_warehouse=0, alias=alias, company="", lastname=person[1],
        firstname=person[0], address2="", other="", phone_mobile="", vat_number="",
        date_add=ctx.installed, date_upd=ctx.installed, active=1, deleted=0,
    )  # fmt: skip
