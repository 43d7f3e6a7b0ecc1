"""The ERP's order reads: the orders list (web and till orders together) and one order's
details, as frozen rows.

The list is keyset-paginated on ``(orders.date_add, orders.id_order)`` descending: it walks
PrestaShop's own ``date_add`` index of ``orders`` (InnoDB appends the primary key to it), so
the first page and page 1,000 cost the same on a million orders, and no index is added to a
PrestaShop table. Till orders are the ones with a ``<prefix>mostrador_sale`` row of kind
``sale`` (its ``id_order`` index); everything else is a web order.

Filters: date range (``date_add``), current state, payment label (``orders.payment``, which
holds the labels of a split tender joined), employee (an ``order_history`` row written by
them, through ``order_history``'s ``id_order`` index) and till (``""`` = web orders only).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from connectors.prestashop.configuration import config_query, resolve
from connectors.prestashop.mostrador_tables import sale_table
from connectors.prestashop.shop import ShopInfo

WEB = ""  # the till filter for "web orders only"
RECENT_SAMPLE = 5000  # orders looked at for the payment and till filter choices


@dataclass(frozen=True)
class OrderFilter:
    date_from: datetime | None = None  # inclusive
    date_to: datetime | None = None  # exclusive
    id_state: int | None = None
    payment: str | None = None
    id_employee: int | None = None
    till: str | None = None  # WEB: web orders only
    id_order: int | None = None  # one order (search by number)
    reference: str | None = None


@dataclass(frozen=True)
class OrderListRow:
    id_order: int
    reference: str
    date_add: datetime
    date_upd: datetime
    customer: str
    total_paid_tax_incl: Decimal
    payment: str
    id_state: int
    till: str  # "" for web orders
    ticket_number: str


@dataclass(frozen=True)
class StateInfo:
    id_order_state: int
    name: str
    color: str
    logable: bool
    invoice: bool
    paid: bool
    shipped: bool
    delivery: bool


@dataclass(frozen=True)
class Choice:
    value: Any
    label: str


def _scope(shop: ShopInfo) -> Any:
    o = shop.models.Orders
    if shop.share_order:
        return o.id_shop_group == shop.id_shop_group
    return o.id_shop == shop.id_shop


def read_order_page(
    session: Session,
    shop: ShopInfo,
    filters: OrderFilter,
    after: tuple[datetime, int] | None,
    limit: int,
) -> list[OrderListRow]:
    """Up to ``limit`` orders, newest first, strictly after the keyset position ``after``.

    The page's ids are chosen from ``orders`` alone (a derived table), so the planner walks
    the ``date_add`` index and stops after ``limit`` rows; names and tills are joined to
    those rows only. Filters that would tempt the planner into another plan (a semi-join of
    every till sale, an index on the state followed by a sort of a tenth of the table) are
    written as per-row tests instead.
    """
    m, sale = shop.models, sale_table(shop.prefix)
    o, c = m.Orders, m.Customer
    page = (
        select(o.id_order.label("id_order"), o.date_add.label("date_add"))
        .where(_scope(shop), *_conditions(shop, filters))
        .order_by(o.date_add.desc(), o.id_order.desc())
        .limit(limit)
    )
    if after is not None:
        moment, id_order = after
        page = page.where(o.date_add <= moment, or_(o.date_add < moment, o.id_order < id_order))
    chosen = page.subquery("page")
    stmt = (
        select(
            o.id_order,
            o.reference,
            o.date_add,
            o.date_upd,
            o.total_paid_tax_incl,
            o.payment,
            o.current_state,
            c.firstname,
            c.lastname,
            sale.c.till,
            sale.c.ticket_number,
        )  # fmt: skip
        .select_from(chosen)
        .join(o, o.id_order == chosen.c.id_order)
        .outerjoin(c, c.id_customer == o.id_customer)
        .outerjoin(sale, and_(sale.c.id_order == o.id_order, sale.c.kind == "sale"))
        .order_by(chosen.c.date_add.desc(), chosen.c.id_order.desc())
    )
    return [_list_row(row) for row in session.execute(stmt)]


def _conditions(shop: ShopInfo, f: OrderFilter) -> list[Any]:
    m, sale = shop.models, sale_table(shop.prefix)
    o, h = m.Orders, m.OrderHistory
    found: list[Any] = []
    if f.date_from is not None:
        found.append(o.date_add >= f.date_from)
    if f.date_to is not None:
        found.append(o.date_add < f.date_to)
    if f.id_state is not None:  # "+ 0": filter while walking date_add, no index on the state
        found.append(o.current_state + 0 == f.id_state)
    if f.payment:
        found.append(o.payment == f.payment)
    if f.id_order is not None:
        found.append(o.id_order == f.id_order)
    if f.reference:
        found.append(o.reference == f.reference)
    if f.id_employee is not None:
        wrote = select(h.id_order).where(h.id_order == o.id_order, h.id_employee == f.id_employee)
        found.append(wrote.limit(1).scalar_subquery().is_not(None))
    if f.till is not None:
        till = select(sale.c.till).where(sale.c.id_order == o.id_order, sale.c.kind == "sale")
        till_of = till.limit(1).scalar_subquery()
        found.append(till_of.is_(None) if f.till == WEB else till_of == f.till)
    return found


def _list_row(row: Any) -> OrderListRow:
    name = " ".join(part for part in (row.firstname, row.lastname) if part)
    return OrderListRow(
        id_order=int(row.id_order), reference=row.reference or "", date_add=row.date_add,
        date_upd=row.date_upd, customer=name, total_paid_tax_incl=row.total_paid_tax_incl,
        payment=row.payment or "", id_state=int(row.current_state or 0), till=row.till or "",
        ticket_number=row.ticket_number or "",
    )  # fmt: skip


# --------------------------------------------------------------------------- choices


def read_states(session: Session, shop: ShopInfo) -> list[StateInfo]:
    """Order states that are not deleted, with their name in the shop's language."""
    st, lang = shop.models.OrderState, shop.models.OrderStateLang
    joined = and_(lang.id_order_state == st.id_order_state, lang.id_lang == shop.id_lang)
    stmt = (
        select(st, lang.name)
        .outerjoin(lang, joined)
        .where(st.deleted == 0)
        .order_by(st.id_order_state)
    )
    return [
        StateInfo(
            s.id_order_state,
            name or f"#{s.id_order_state}",
            s.color or "",
            bool(s.logable),
            bool(s.invoice),
            bool(s.paid),
            bool(s.shipped),
            bool(s.delivery),
        )  # fmt: skip
        for s, name in session.execute(stmt)
    ]


def read_payment_choices(session: Session, shop: ShopInfo) -> list[str]:
    """Payment labels of the most recent orders (a sample: ``orders.payment`` has no index)."""
    o = shop.models.Orders
    recent = (
        select(o.payment).where(_scope(shop)).order_by(o.id_order.desc()).limit(RECENT_SAMPLE)
    ).subquery()
    stmt = select(recent.c.payment).distinct()
    return sorted({str(p) for p in session.execute(stmt).scalars() if p})


def read_till_choices(session: Session, shop: ShopInfo) -> list[str]:
    sale = sale_table(shop.prefix)
    recent = (
        select(sale.c.till)
        .where(sale.c.id_shop == shop.id_shop, sale.c.id_order > 0)
        .order_by(sale.c.id_order.desc())
        .limit(RECENT_SAMPLE)
    ).subquery()
    return sorted({str(t) for t in session.execute(select(recent.c.till).distinct()).scalars()})


def read_employee_choices(session: Session, shop: ShopInfo) -> list[Choice]:
    e = shop.models.Employee
    stmt = select(e.id_employee, e.firstname, e.lastname).order_by(e.firstname, e.lastname)
    rows = session.execute(stmt)
    return [Choice(int(r.id_employee), f"{r.firstname} {r.lastname}") for r in rows]


def read_config(
    session: Session, shop: ShopInfo, keys: list[str], id_lang: int | None = None
) -> dict[str, str | None]:
    """Configuration values as PrestaShop resolves them for this shop (see configuration.py)."""
    query = config_query(shop.models, keys, shop.id_shop, shop.id_shop_group, id_lang)
    rows = session.execute(query)
    return resolve(rows, keys, shop.id_shop, shop.id_shop_group, id_lang=id_lang)


def employee_names(session: Session, shop: ShopInfo, ids: set[int]) -> Mapping[int, str]:
    if not ids:
        return {}
    e = shop.models.Employee
    stmt = select(e.id_employee, e.firstname, e.lastname).where(e.id_employee.in_(sorted(ids)))
    return {int(r.id_employee): f"{r.firstname} {r.lastname}" for r in session.execute(stmt)}
