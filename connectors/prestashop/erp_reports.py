"""Sales figures for the ERP's reports, aggregated in the database (one query per figure).

What counts as a sale: an order of this shop (or of its group when orders are shared) whose
``valid`` is 1 — PrestaShop's own rule (``valid`` is the current state's ``logable`` flag,
FACTS.md §5) — dated by ``orders.date_add``, in the order's amounts (``total_paid_tax_excl`` /
``total_paid_tax_incl``: products, shipping and wrapping, less vouchers). Refunds are the
credit slips (``order_slip``: products + shipping, tax incl. and excl.) of this shop's orders,
dated by the slip. Product and category figures are line amounts (``order_detail``), less
what was refunded of each line, before order-level vouchers; their cost is the line's
``purchase_supplier_price`` (else ``original_wholesale_price``) × the units kept.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, case, func, literal, or_, select, true
from sqlalchemy.orm import Session

from connectors.prestashop.mostrador_tables import sale_table
from connectors.prestashop.shop import ShopInfo

ZERO = Decimal(0)


@dataclass(frozen=True)
class Figure:
    """One group of a report: its key and label, and what was sold in it."""

    key: str
    label: str
    orders: int = 0
    quantity: int = 0
    tax_excl: Decimal = ZERO
    tax_incl: Decimal = ZERO
    refunds_tax_excl: Decimal = ZERO
    refunds_tax_incl: Decimal = ZERO
    cost: Decimal = ZERO


def _money(value: Any) -> Decimal:
    return ZERO if value is None else Decimal(str(value))


def _scope(shop: ShopInfo) -> Any:
    """The shop's orders. "+ 0": never read through the id_shop index, which holds one value
    on most shops (the planner would fetch every order through it one by one)."""
    o = shop.models.Orders
    if shop.share_order:
        return o.id_shop_group + 0 == shop.id_shop_group
    return o.id_shop + 0 == shop.id_shop


def _sold(shop: ShopInfo, start: datetime, end: datetime) -> list[Any]:
    o = shop.models.Orders
    return [_scope(shop), o.valid == 1, o.date_add >= start, o.date_add < end]


def _day(session: Session, column: Any) -> Any:
    if session.get_bind().dialect.name == "sqlite":
        return func.substr(column, 1, 10)
    return func.date(column)


def _hour(session: Session, column: Any) -> Any:
    if session.get_bind().dialect.name == "sqlite":
        return func.substr(column, 12, 2)
    return func.hour(column)


def by_period(
    session: Session, shop: ShopInfo, start: datetime, end: datetime, unit: str
) -> list[Figure]:
    """Sales and refunds per day (``unit`` "day", key ``YYYY-MM-DD``) or hour ("hour", "09")."""
    return period_figures(session, shop, [(start, end)], unit)


def period_figures(
    session: Session, shop: ShopInfo, ranges: Sequence[tuple[datetime, datetime]] | None, unit: str
) -> list[Figure]:
    """:func:`by_period` over several ``[start, end)`` ranges (None: every order ever)."""
    o, slip = shop.models.Orders, shop.models.OrderSlip
    group = _day if unit == "day" else _hour
    when = group(session, o.date_add).label("k")
    sales = (
        select(when, func.count(), func.sum(o.total_paid_tax_excl), func.sum(o.total_paid_tax_incl))
        .where(_scope(shop), o.valid == 1, _within(o.date_add, ranges))
        .group_by(when)
    )
    found: dict[str, Figure] = {}
    for key, count, excl, incl in session.execute(sales):
        name = _key(key, unit)
        found[name] = Figure(name, name, int(count), 0, _money(excl), _money(incl))
    slip_when = group(session, slip.date_add).label("k")
    refunds = (
        select(slip_when, *_slip_sums(slip))
        .join(o, o.id_order == slip.id_order)
        .where(_scope(shop), _within(slip.date_add, ranges))
        .group_by(slip_when)
    )
    for key, excl, incl in session.execute(refunds):
        name = _key(key, unit)
        base = found.get(name, Figure(name, name))
        found[name] = _with_refunds(base, excl, incl)
    return [found[k] for k in sorted(found)]


def _within(column: Any, ranges: Sequence[tuple[datetime, datetime]] | None) -> Any:
    if ranges is None:
        return true()
    return or_(*(and_(column >= start, column < end) for start, end in ranges))


def _key(value: Any, unit: str) -> str:
    if unit == "hour":
        return f"{int(value):02d}"
    return str(value)[:10]


def _slip_sums(slip: Any) -> list[Any]:
    excl = func.coalesce(slip.total_products_tax_excl, 0) + func.coalesce(
        slip.total_shipping_tax_excl, 0
    )
    incl = func.coalesce(slip.total_products_tax_incl, 0) + func.coalesce(
        slip.total_shipping_tax_incl, 0
    )
    return [func.sum(excl), func.sum(incl)]


def _with_refunds(base: Figure, excl: Any, incl: Any) -> Figure:
    return Figure(
        base.key, base.label, base.orders, base.quantity, base.tax_excl, base.tax_incl,
        base.refunds_tax_excl + _money(excl), base.refunds_tax_incl + _money(incl), base.cost,
    )  # fmt: skip


def by_line_group(
    session: Session, shop: ShopInfo, start: datetime, end: datetime, unit: str
) -> list[Figure]:
    """Line figures per product (``unit`` "product") or default category ("category")."""
    m = shop.models
    o, od = m.Orders, m.OrderDetail
    kept = od.product_quantity - od.product_quantity_refunded - od.product_quantity_return
    cost_unit = case(
        (od.purchase_supplier_price > 0, od.purchase_supplier_price),
        else_=od.original_wholesale_price,
    )
    refund_excl, refund_incl = _line_refunds(shop)
    key, label, joins = _line_key(shop, unit)
    stmt = select(
        key.label("k"), label.label("l"), func.count(func.distinct(od.id_order)), func.sum(kept),
        func.sum(od.total_price_tax_excl), func.sum(od.total_price_tax_incl),
        func.sum(refund_excl), func.sum(refund_incl), func.sum(cost_unit * kept),
    ).select_from(od).join(o, o.id_order == od.id_order)  # fmt: skip
    for target, condition in joins:
        stmt = stmt.outerjoin(target, condition)
    stmt = stmt.where(*_sold(shop, start, end)).group_by(key)
    return [
        Figure(
            str(k),
            str(name or k),
            int(n),
            int(q or 0),
            _money(ex),
            _money(inc),
            _money(rex),
            _money(rin),
            _money(cost),
        )  # fmt: skip
        for k, name, n, q, ex, inc, rex, rin, cost in session.execute(stmt)
    ]


def _line_refunds(shop: ShopInfo) -> tuple[Any, Any]:
    od = shop.models.OrderDetail
    if shop.models.has("order_detail", "total_refunded_tax_incl"):
        return od.total_refunded_tax_excl, od.total_refunded_tax_incl
    return literal(0), literal(0)


def _line_key(shop: ShopInfo, unit: str) -> tuple[Any, Any, list[tuple[Any, Any]]]:
    m = shop.models
    od = m.OrderDetail
    if unit == "product":
        return od.product_id, func.max(od.product_name), []
    ps, cl = m.ProductShop, m.CategoryLang
    joins = [
        (ps, and_(ps.id_product == od.product_id, ps.id_shop == shop.id_shop)),
        (cl, and_(cl.id_category == ps.id_category_default, cl.id_lang == shop.id_lang,
                  cl.id_shop == shop.id_shop)),
    ]  # fmt: skip
    return func.coalesce(ps.id_category_default, 0), func.max(cl.name), joins


def by_order_group(
    session: Session, shop: ShopInfo, start: datetime, end: datetime, unit: str
) -> list[Figure]:
    """Order figures per till ("till": ticket's till, "" for web orders) or employee
    ("employee": who wrote the order's first history row, 0 for the customer)."""
    m = shop.models
    o, h = m.Orders, m.OrderHistory
    if unit == "till":
        sale = sale_table(shop.prefix)
        key: Any = func.coalesce(sale.c.till, "")
        base = select(o).join(
            sale, and_(sale.c.id_order == o.id_order, sale.c.kind == "sale"), isouter=True
        )
    else:
        first = (
            select(h.id_employee).where(h.id_order == o.id_order)
            .order_by(h.id_order_history).limit(1).scalar_subquery()
        )  # fmt: skip
        key = func.coalesce(first, 0)
        base = select(o)
    stmt = (
        base.with_only_columns(
            key.label("k"),
            func.count(),
            func.sum(o.total_paid_tax_excl),
            func.sum(o.total_paid_tax_incl),
        )  # fmt: skip
        .where(*_sold(shop, start, end))
        .group_by(key)
    )
    return [
        Figure(str(k), str(k), int(n), 0, _money(ex), _money(inc))
        for k, n, ex, inc in session.execute(stmt)
    ]


def by_payment(session: Session, shop: ShopInfo, start: datetime, end: datetime) -> list[Figure]:
    """Money received per payment method: the payments of the sold orders (by reference)."""
    o, p = shop.models.Orders, shop.models.OrderPayment
    stmt = (
        select(p.payment_method, func.count(func.distinct(o.id_order)), func.sum(p.amount))
        .join(o, o.reference == p.order_reference)
        .where(*_sold(shop, start, end))
        .group_by(p.payment_method)
    )
    return [
        Figure(str(method), str(method), int(n), 0, ZERO, _money(amount))
        for method, n, amount in session.execute(stmt)
    ]
