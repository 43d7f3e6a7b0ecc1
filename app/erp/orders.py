"""Orders in the ERP: the list (web and till orders together), one order's details, and the
change of state (history, stock, invoice… as PrestaShop's back office does it).

Every function runs on a worker and opens its own transaction. The list follows the ERP's
list protocol (:mod:`app.erp.listing`): ``list_orders(ctx, query, after, limit)``, keyset on
``(date_add, id_order)`` descending. ``query.text`` finds an order by number or reference;
``query.filters`` may hold ``date_from`` / ``date_to`` (dates, both included), ``id_state``,
``payment`` (label), ``id_employee`` and ``till`` (:data:`WEB` = web orders only).
"""

from __future__ import annotations

import threading
import weakref
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from app.erp.context import ErpContext
from app.erp.listing import Key, ListQuery, Page, page_of
from app.erp.order_states import StockRules, plan_state_change
from app.errors import UserFacingError
from app.i18n import _
from connectors.prestashop import erp_orders as reads
from connectors.prestashop.erp_orders import WEB, Choice, OrderFilter, OrderListRow, StateInfo
from connectors.prestashop.erp_orders_detail import (
    AddressInfo,
    HistoryInfo,
    InvoiceInfo,
    LineInfo,
    OrderInfo,
    PaymentInfo,
    SlipInfo,
    TaxLine,
    read_order,
)
from connectors.prestashop.erp_orders_state import (
    OrderChanged,
    read_order_facts,
    write_state_change,
)
from connectors.prestashop.mostrador_tables import ensure_tables

__all__ = [
    "WEB", "AddressInfo", "Choice", "HistoryInfo", "InvoiceInfo", "LineInfo", "OrderChoices",
    "OrderInfo", "OrderListRow", "PaymentInfo", "SlipInfo", "StateChanged", "StateInfo",
    "TaxLine", "change_order_state", "list_orders", "order_choices", "order_details",
]  # fmt: skip

_ENSURED: weakref.WeakSet[Engine] = weakref.WeakSet()  # engines whose tables exist
_ENSURE_LOCK = threading.Lock()


@dataclass(frozen=True)
class OrderChoices:
    """What the list's filters offer."""

    states: tuple[StateInfo, ...]
    payments: tuple[str, ...]
    employees: tuple[Choice, ...]
    tills: tuple[str, ...]


@dataclass(frozen=True)
class StateChanged:
    id_order: int
    state: StateInfo
    invoice_number: int  # a new invoice's number, 0 when none was made
    delivery_number: int
    stock_moves: int  # stock_mvt rows written
    units_back_in_stock: int  # available quantity given back (negative: taken)


def ensure_own_tables(ctx: ErpContext) -> None:
    """Mostrador's tables in the shop database exist (once per engine)."""
    with _ENSURE_LOCK:
        if ctx.engine in _ENSURED:
            return
        ensure_tables(ctx.engine, ctx.shop.prefix)
        _ENSURED.add(ctx.engine)


def list_orders(
    ctx: ErpContext, query: ListQuery, after: Key | None, limit: int
) -> Page[OrderListRow]:
    """One keyset page of orders, newest first (see the module docstring)."""
    ensure_own_tables(ctx)
    position = (after[0], int(after[1])) if after else None
    with Session(ctx.engine) as session:
        rows = reads.read_order_page(session, ctx.shop, order_filter(query), position, limit + 1)
    return page_of(rows, limit, lambda row: (row.date_add, row.id_order))


def order_filter(query: ListQuery) -> OrderFilter:
    """The list's query as the connector's filter (dates become [start, next day))."""
    text = query.text.strip()
    date_from, date_to = query.filters.get("date_from"), query.filters.get("date_to")
    return OrderFilter(
        date_from=_start_of(date_from) if isinstance(date_from, date) else None,
        date_to=_start_of(date_to) + timedelta(days=1) if isinstance(date_to, date) else None,
        id_state=_int_or_none(query.filter("id_state")),
        payment=str(query.filter("payment") or "") or None,
        id_employee=_int_or_none(query.filter("id_employee")),
        till=None if query.filter("till") is None else str(query.filter("till")),
        id_order=int(text) if text.isdigit() else None,
        reference=text.upper() if text and not text.isdigit() else None,
    )


def _start_of(day: date) -> datetime:
    return datetime.combine(day if not isinstance(day, datetime) else day.date(), time())


def _int_or_none(value: object) -> int | None:
    return None if value is None else int(str(value))


def order_choices(ctx: ErpContext) -> OrderChoices:
    ensure_own_tables(ctx)
    with Session(ctx.engine) as session:
        return OrderChoices(
            states=tuple(reads.read_states(session, ctx.shop)),
            payments=tuple(reads.read_payment_choices(session, ctx.shop)),
            employees=tuple(reads.read_employee_choices(session, ctx.shop)),
            tills=tuple(reads.read_till_choices(session, ctx.shop)),
        )


def order_details(ctx: ErpContext, id_order: int) -> OrderInfo:
    ensure_own_tables(ctx)
    with Session(ctx.engine) as session:
        found = read_order(session, ctx.shop, id_order)
    if found is None:
        raise UserFacingError(_("Order {id_order} does not exist.").format(id_order=id_order))
    return found


def change_order_state(
    ctx: ErpContext,
    id_order: int,
    id_state: int,
    loaded_date_upd: datetime,
    now: datetime | None = None,
) -> StateChanged:
    """Move the order to ``id_state`` in one transaction, refused if the order changed since
    the screen loaded it (its ``date_upd``) or is already in that state."""
    ensure_own_tables(ctx)
    moment = (now or datetime.now()).replace(microsecond=0)
    with Session(ctx.engine) as session, session.begin():
        facts = read_order_facts(session, ctx.shop, id_order, ctx.id_employee)
        if facts is None:
            raise UserFacingError(_("Order {id_order} does not exist.").format(id_order=id_order))
        new = _target_state(facts.states, id_state, int(facts.order["current_state"] or 0))
        _check_unchanged(facts.order, loaded_date_upd)
        old = facts.states.get(int(facts.order["current_state"] or 0))
        plan = plan_state_change(
            old, new, facts.lines, _rules(facts), has_invoice=facts.has_invoice,
            has_delivery=bool(facts.order["delivery_number"]),
        )  # fmt: skip
        try:
            written = write_state_change(
                session, ctx.shop, facts, new, plan, loaded=loaded_date_upd,
                id_employee=ctx.id_employee, now=moment,
            )  # fmt: skip
        except OrderChanged as changed:
            raise _changed_error(changed.date_upd) from changed
    back = sum(delta for _p, _a, delta in plan.stock_deltas)
    return StateChanged(
        id_order, new, written.invoice_number, written.delivery_number, len(plan.movements), back
    )


def _target_state(states: dict[int, StateInfo] | Any, id_state: int, current: int) -> StateInfo:
    new = states.get(id_state)
    if new is None:
        raise UserFacingError(_("That order state does not exist any more."))
    if id_state == current:
        raise UserFacingError(_("The order is already in the state «{state}».").format(
            state=new.name))  # fmt: skip
    return new


def _check_unchanged(order: Any, loaded: datetime) -> None:
    current = order["date_upd"]
    if current is not None and current.replace(microsecond=0) != loaded.replace(microsecond=0):
        raise _changed_error(current)


def _changed_error(when: datetime | None) -> UserFacingError:
    at = when.strftime("%H:%M") if when else "?"
    return UserFacingError(
        _("This order was changed in PrestaShop by someone else at {time} — reload.").format(
            time=at
        ),
        _("Nothing was written. Reload the order to see the change, then try again."),
    )


def _rules(facts: Any) -> StockRules:
    return StockRules(
        managed=facts.config_int("PS_STOCK_MANAGEMENT", 1) == 1,
        voided=frozenset({facts.config_int("PS_OS_CANCELED"), facts.config_int("PS_OS_ERROR")}),
        order_reason=facts.config_int("PS_STOCK_CUSTOMER_ORDER_REASON"),
        cancel_reason=facts.config_int("PS_STOCK_CUSTOMER_ORDER_CANCEL_REASON"),
    )
