"""Customers at the till: search the catalog's customers, and take a new one at the counter.

:func:`search_customers` looks in the customers the catalog pull brought (name, e-mail,
company) and in the customers taken at this till that the shop does not know yet (also by
phone and tax id). :func:`create_customer` takes a new customer: the till keeps it locally (a
``till.new_customer.<id>`` key of ``catalog_sync_state``, a till-owned key the pull leaves
alone) and a ticket sold to it carries it with ``id_customer`` None; the push creates it in
PrestaShop, or reuses the registered customer having its e-mail (FACTS.md §3). Once the pull
brings the shop's customer with that e-mail, the local one is no longer listed.

PrestaShop needs an e-mail on every customer: a customer taken without one gets a unique
address under ``.invalid`` (never delivered), so that a second sale to the same person finds
the customer the first push created instead of creating another.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterable
from dataclasses import asdict, dataclass, replace
from datetime import datetime

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from app.errors import UserFacingError
from app.i18n import _
from app.till.models_catalog import CatalogCustomer, CatalogSyncState
from app.till.records import TicketCustomer
from app.till.store import TillStore

LOCAL_PREFIX = "till.new_customer."
NO_EMAIL_DOMAIN = "sin-email.mostrador.invalid"
MAX_NAME = 255
MAX_PHONE = 32
MAX_TAX_ID = 16  # address.dni
_EMAIL = re.compile(r"^[^@\s<>()\[\],;:\"]+@[^@\s<>()\[\],;:\"]+\.[A-Za-z0-9-]{2,}$")
_PHONE = re.compile(r"^[+0-9. ()/-]*$")  # PrestaShop's Validate::isPhoneNumber
_NOT_IN_NAME = re.compile(r"[0-9!<>,;?=+()/\\@#\"°*`{}_^$%:¤\[\]|]")  # isCustomerName


class CustomerRefused(UserFacingError):
    """A new customer's details are not valid; nothing was recorded."""


@dataclass(frozen=True)
class CustomerEntry:
    """A customer the cashier can choose: one of the shop's, or one taken at this till."""

    id_customer: int | None  # None: taken at this till, created in the shop on push
    email: str
    firstname: str
    lastname: str
    company: str
    id_default_group: int
    phone: str = ""
    tax_id: str = ""
    local_id: str = ""  # the till's key of a customer taken here

    @property
    def name(self) -> str:
        return f"{self.firstname} {self.lastname}".strip()

    @property
    def has_real_email(self) -> bool:
        return not self.email.endswith("@" + NO_EMAIL_DOMAIN)

    def ticket_customer(self) -> TicketCustomer:
        return TicketCustomer(
            self.id_customer, self.email, self.firstname, self.lastname, self.id_default_group,
            phone=self.phone, tax_id=self.tax_id,
        )  # fmt: skip


@dataclass(frozen=True)
class NewCustomer:
    """What the cashier types for a new customer (only the name is required)."""

    firstname: str
    lastname: str
    email: str = ""
    phone: str = ""
    tax_id: str = ""


def checked(new: NewCustomer) -> NewCustomer:
    """``new`` with its fields trimmed; :class:`CustomerRefused` says what is wrong."""
    clean = NewCustomer(*(" ".join(value.split()) for value in asdict(new).values()))
    for value, label in ((clean.firstname, _("first name")), (clean.lastname, _("last name"))):
        if not value:
            raise CustomerRefused(_("Type the customer's {field}.").format(field=label))
        if len(value) > MAX_NAME or _NOT_IN_NAME.search(value):
            raise CustomerRefused(
                _("The {field} cannot hold digits or signs such as @ # ( ).").format(field=label)
            )
    if clean.email and (len(clean.email) > MAX_NAME or not _EMAIL.match(clean.email)):
        raise CustomerRefused(
            _("«{email}» is not an e-mail address (leave it empty if there is none).").format(
                email=clean.email
            )
        )
    if len(clean.phone) > MAX_PHONE or not _PHONE.match(clean.phone):
        raise CustomerRefused(_("A phone number holds digits, spaces and + ( ) . / - only."))
    if len(clean.tax_id) > MAX_TAX_ID:
        raise CustomerRefused(_("The tax id has at most {n} characters.").format(n=MAX_TAX_ID))
    return replace(clean, email=clean.email.lower(), tax_id=clean.tax_id.upper())


def search_customers(store: TillStore, text: str, limit: int = 30) -> list[CustomerEntry]:
    """Customers having every word of ``text`` in their name, e-mail, company (phone and tax
    id too for those taken here): the till's own first, then the shop's by name."""
    words = [word.lower() for word in text.split() if word]
    if not words or limit <= 0:
        return []
    with store.read() as session:
        shop = _catalog_matches(session, words, limit)
        local = [
            entry
            for entry in _local_customers(session)
            if _matches_all(entry, words) and not _known_to_shop(session, entry.email)
        ]
    return (local + shop)[:limit]


def create_customer(
    store: TillStore, new: NewCustomer, id_default_group: int, now: datetime | None = None
) -> CustomerEntry:
    """Take a new customer (validated first); one with the e-mail of a known customer is
    that customer (the shop's, or one taken here before)."""
    person = checked(new)
    with store.write() as session:
        if person.email:
            known = _shop_customer(session, person.email) or next(
                (e for e in _local_customers(session) if e.email == person.email), None
            )
            if known is not None:
                return known
        local_id = uuid.uuid4().hex
        email = person.email or f"cliente-{local_id[:16]}@{NO_EMAIL_DOMAIN}"
        entry = CustomerEntry(
            None, email, person.firstname, person.lastname, "", id_default_group,
            person.phone, person.tax_id, local_id,
        )  # fmt: skip
        value = json.dumps(
            {**asdict(entry), "created_at": (now or datetime.now()).isoformat(timespec="seconds")}
        )
        session.add(CatalogSyncState(key=LOCAL_PREFIX + local_id, value=value))
        return entry


def local_customers(store: TillStore) -> list[CustomerEntry]:
    """The customers taken at this till, newest first (pushed ones included)."""
    with store.read() as session:
        return _local_customers(session)


# --------------------------------------------------------------------------- internals


def _catalog_matches(session: Session, words: list[str], limit: int) -> list[CustomerEntry]:
    c = CatalogCustomer
    query = select(c).where(c.active, ~c.deleted)
    for word in words:
        pattern = f"%{_escaped(word)}%"
        query = query.where(
            or_(
                *(
                    func.lower(column).like(pattern, escape="\\")
                    for column in (c.firstname, c.lastname, c.email, c.company)
                )
            )
        )
    rows = session.scalars(query.order_by(c.lastname, c.firstname, c.id_customer).limit(limit))
    return [_entry(row) for row in rows]


def _local_customers(session: Session) -> list[CustomerEntry]:
    rows = session.scalars(
        select(CatalogSyncState.value).where(CatalogSyncState.key.startswith(LOCAL_PREFIX))
    ).all()
    decoded = [json.loads(value) for value in rows]
    decoded.sort(key=lambda data: str(data.get("created_at", "")), reverse=True)
    fields = CustomerEntry.__dataclass_fields__
    return [CustomerEntry(**{k: v for k, v in d.items() if k in fields}) for d in decoded]


def _shop_customer(session: Session, email: str) -> CustomerEntry | None:
    c = CatalogCustomer
    row = session.scalars(
        select(c)
        .where(func.lower(c.email) == email.lower(), c.active, ~c.deleted)
        .order_by(c.id_customer)
        .limit(1)
    ).first()
    return None if row is None else _entry(row)


def _entry(row: CatalogCustomer) -> CustomerEntry:
    return CustomerEntry(
        row.id_customer, row.email, row.firstname, row.lastname, row.company, row.id_default_group
    )


def _known_to_shop(session: Session, email: str) -> bool:
    return _shop_customer(session, email) is not None


def _matches_all(entry: CustomerEntry, words: Iterable[str]) -> bool:
    text = " ".join(
        (entry.firstname, entry.lastname, entry.company, entry.tax_id, entry.phone)
    ).lower()
    if entry.has_real_email:
        text += " " + entry.email
    digits = re.sub(r"\D", "", entry.phone)
    return all(word in text or (word.isdigit() and word in digits) for word in words)


def _escaped(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
