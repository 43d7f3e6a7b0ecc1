"""Pushing a recorded till ticket into the shop database, exactly once.

:func:`push_ticket` runs one database transaction: the ticket's ``mostrador_sale`` row first
(keyed by the ticket uuid), then every row of the order (or credit slip), then the commit.
A replay after a crash, a timeout or a lost commit reply meets the committed row and writes
nothing (:attr:`PushStatus.ALREADY_PUSHED`); an attempt that never committed left nothing
behind. Errors are triaged for the outbox:

* :class:`~app.errors.ShopUnreachable` (and :class:`ShopBusy` for deadlocks and lock
  timeouts): transient, retry later;
* :class:`PushRefused`: the shop cannot take the ticket as it is (a deleted product, a
  schema problem); permanent, shown to a manager with its reason; the ticket is kept.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field, replace
from typing import Any

import sqlalchemy.exc
from sqlalchemy import Engine, event
from sqlalchemy.engine import URL
from sqlalchemy.orm import Session

from app.errors import ShopUnreachable
from app.i18n import _
from app.till.customers import local_customers
from app.till.records import Ticket, TicketKind
from app.till.store import TillStore
from connectors.prestashop.engine import make_engine
from connectors.prestashop.mostrador_tables import ensure_tables
from connectors.prestashop.order_writer import write_sale
from connectors.prestashop.refund_writer import write_refund
from connectors.prestashop.sale_types import (
    PushOptions,
    PushRefused,
    PushResult,
    PushStatus,
    ShopBusy,
)
from connectors.prestashop.shop import ShopInfo
from connectors.prestashop.write_batch import MULTI_STATEMENT_CONNECT_ARGS

__all__ = [
    "PushOptions",
    "PushRefused",
    "PushResult",
    "PushStatus",
    "RoundTripCounter",
    "ShopBusy",
    "make_push_engine",
    "prepare_shop",
    "push_ticket",
]

logger = logging.getLogger(__name__)

COUNTER_CUSTOMER_EMAIL = "cliente.mostrador@mostrador.invalid"
COUNTER_CUSTOMER_NAME = ("Cliente", "de mostrador")

# MySQL error numbers: lock wait timeout, deadlock; table / column missing, bad field.
_BUSY_ERRORS = {1205, 1213}
_SCHEMA_ERRORS = {1146, 1054, 1364, 1406, 1264}


def make_push_engine(url: str | URL, password: str | None = None, **kwargs: Any) -> Engine:
    """An engine for pushes: like ``make_engine``, with multi-statement requests on MySQL
    so that a push costs a handful of round trips (``write_batch``)."""
    if sqlalchemy.engine.make_url(url).get_backend_name() in ("mysql", "mariadb"):
        kwargs["connect_args"] = {**MULTI_STATEMENT_CONNECT_ARGS, **kwargs.get("connect_args", {})}
    return make_engine(url, password, **kwargs)


def prepare_shop(engine: Engine, shop: ShopInfo) -> None:
    """Create Mostrador's own tables in the shop database if missing (idempotent)."""
    try:
        ensure_tables(engine, shop.prefix)
    except sqlalchemy.exc.DBAPIError as error:
        raise _triaged(error) from error


def push_ticket(
    engine: Engine, shop: ShopInfo, ticket: Ticket, options: PushOptions | None = None
) -> PushResult:
    """Write ``ticket`` into the shop in one transaction; see the module docstring."""
    chosen = options or PushOptions()
    writer = write_sale if ticket.kind is TicketKind.SALE else write_refund
    ticket = with_counter_customer(ticket)
    try:
        with Session(engine) as session:
            result = _write(session, writer, shop, ticket, chosen)
    except PushRefused:
        logger.warning("ticket %s refused by the shop", ticket.number, exc_info=True)
        raise
    except sqlalchemy.exc.DBAPIError as error:
        raise _triaged(error) from error
    if result.status is not PushStatus.PUSHED:
        logger.info("ticket %s: %s %s", ticket.number, result.status.value, result.reason)
        return result
    logger.info("ticket %s pushed as order %s", ticket.number, result.id_order)
    return result


def with_counter_customer(ticket: Ticket) -> Ticket:
    """An anonymous walk-in ticket is ordered by the shop's counter customer.

    PrestaShop needs a customer and an address on every order (FACTS.md §3). A till that has
    no walk-in customer configured sells to nobody in particular; those orders all go to one
    registered customer, created on the first such push and found again by its e-mail after
    that (``.invalid`` never receives mail).
    """
    customer = ticket.customer
    if customer.id_customer is not None or customer.email or not customer.is_walk_in:
        return ticket
    counter = replace(
        customer,
        email=COUNTER_CUSTOMER_EMAIL,
        firstname=COUNTER_CUSTOMER_NAME[0],
        lastname=COUNTER_CUSTOMER_NAME[1],
    )
    return replace(ticket, customer=counter)


def with_local_contact(store: TillStore, ticket: object) -> object:
    """``ticket`` with the phone and tax id of its customer when it is one taken at this till
    (the ticket keeps only the name and e-mail; ``app.till.customers`` keeps the rest), for the
    address the push creates for it."""
    if not isinstance(ticket, Ticket):
        return ticket
    person = ticket.customer
    if person.id_customer is not None or person.is_walk_in or not person.email:
        return ticket
    taken = [e for e in local_customers(store) if e.email == person.email]
    if not taken or (person.phone, person.tax_id) == (taken[0].phone, taken[0].tax_id):
        return ticket
    contact = replace(person, phone=taken[0].phone, tax_id=taken[0].tax_id)
    return replace(ticket, customer=contact)


def _write(
    session: Session, writer: Any, shop: ShopInfo, ticket: Ticket, options: PushOptions
) -> PushResult:
    """Commit what ``writer`` wrote, or roll it all back (already pushed, waiting, error)."""
    try:
        result: PushResult = writer(session, shop, ticket, options)
    except BaseException:
        session.rollback()
        raise
    if result.status is PushStatus.PUSHED:
        session.commit()
    else:
        session.rollback()  # the claim row of a waiting refund must not stay
    return result


def _triaged(error: sqlalchemy.exc.DBAPIError) -> Exception:
    code = _error_code(error)
    if code in _BUSY_ERRORS or "database is locked" in str(error.orig):
        return ShopBusy(_("The shop database is busy; the sale will be sent again shortly."))
    if code in _SCHEMA_ERRORS or isinstance(error, sqlalchemy.exc.ProgrammingError):
        return PushRefused(
            _("The shop database refused the sale: {detail}").format(detail=str(error.orig))
        )
    if isinstance(error, sqlalchemy.exc.IntegrityError | sqlalchemy.exc.DataError):
        return PushRefused(
            _("The shop database refused the sale: {detail}").format(detail=str(error.orig))
        )
    return ShopUnreachable(
        _("The shop database cannot be reached; the sale will be sent later."), str(error.orig)
    )


def _error_code(error: sqlalchemy.exc.DBAPIError) -> int | None:
    args = getattr(error.orig, "args", ())
    return args[0] if args and isinstance(args[0], int) else None


@dataclass
class RoundTripCounter:
    """Counts requests sent to the database through ``engine``: statements (one per
    ``before_cursor_execute``, a multi-statement batch counting once), commits, rollbacks
    and connection checkouts (each costs a ping with ``pool_pre_ping``)."""

    engine: Engine
    statements: int = 0
    commits: int = 0
    rollbacks: int = 0
    checkouts: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def __post_init__(self) -> None:
        event.listen(self.engine, "before_cursor_execute", self._on_statement)
        event.listen(self.engine, "commit", self._on_commit)
        event.listen(self.engine, "rollback", self._on_rollback)
        event.listen(self.engine.pool, "checkout", self._on_checkout)

    def close(self) -> None:
        event.remove(self.engine, "before_cursor_execute", self._on_statement)
        event.remove(self.engine, "commit", self._on_commit)
        event.remove(self.engine, "rollback", self._on_rollback)
        event.remove(self.engine.pool, "checkout", self._on_checkout)

    @property
    def total(self) -> int:
        return self.statements + self.commits + self.rollbacks + self.checkouts

    def reset(self) -> None:
        with self._lock:
            self.statements = self.commits = self.rollbacks = self.checkouts = 0

    def _on_statement(self, *_args: Any) -> None:
        with self._lock:
            self.statements += 1

    def _on_commit(self, *_args: Any) -> None:
        with self._lock:
            self.commits += 1

    def _on_rollback(self, *_args: Any) -> None:
        with self._lock:
            self.rollbacks += 1

    def _on_checkout(self, *_args: Any) -> None:
        with self._lock:
            self.checkouts += 1
