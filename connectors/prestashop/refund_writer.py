"""A till refund written as PrestaShop's back office writes a refund (FACTS.md §9).

The refund ticket points to the sale it gives back (``original_ticket``, a ticket number);
``mostrador_sale`` says which order that sale became. One credit slip (``order_slip`` +
``order_slip_detail``) is written, the refunded amounts and quantities are added to the
order's ``order_detail`` rows, and the lines marked ``restock`` go back to stock with a
relative increment and a ``stock_mvt`` (reason PS_STOCK_CUSTOMER_RETURN_REASON). The order
state is not changed and no negative payment is written, as in PrestaShop.

A refund whose sale is not in the shop yet waits (:attr:`PushStatus.WAITING`): nothing is
kept, the outbox tries again after the sale.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from app.till.records import Ticket, TicketKind, TicketLine
from connectors.prestashop import order_lines as ol
from connectors.prestashop.configuration import config_query
from connectors.prestashop.mostrador_tables import sale_table
from connectors.prestashop.order_reads import Row, StockRow, resolve_config, stock_select, to_int
from connectors.prestashop.order_writer import check_ticket, claim
from connectors.prestashop.sale_types import PushOptions, PushRefused, PushResult, PushStatus
from connectors.prestashop.shop import ShopInfo
from connectors.prestashop.write_batch import (
    Add,
    AnySelect,
    Insert,
    Ref,
    Statement,
    Update,
    run_batch,
)

CONFIG_KEYS = ("PS_STOCK_CUSTOMER_RETURN_REASON", "PS_ORDER_RETURN", "PS_STOCK_MANAGEMENT")


@dataclass(frozen=True)
class RefundContext:
    id_order: int
    order: Row  # id_customer, conversion_rate, shipped, delivery of its current state
    details: list[Row]  # order_detail rows of the order, oldest first
    config: Mapping[str, str | None]
    stock: Mapping[tuple[int, int], StockRow]
    employee: tuple[str, str]


def write_refund(
    session: Session, shop: ShopInfo, ticket: Ticket, options: PushOptions
) -> PushResult:
    """Write ``ticket`` (a REFUND) as a credit slip of its sale's order; caller commits."""
    check_ticket(shop, ticket, TicketKind.REFUND)
    conn = session.connection()
    claimed = claim(conn, shop, ticket, _reads(shop, ticket))
    if isinstance(claimed, PushResult):
        return claimed
    original, order, details, conf, stock, emp = claimed.reads
    if not original or not order:
        reason = f"The sale {ticket.original_ticket} is not in the shop yet."
        return PushResult(PushStatus.WAITING, ticket.uuid, reason=reason)
    ctx = RefundContext(
        id_order=int(original[0]["id_order"]), order=order[0], details=details,
        config=resolve_config(conf, shop, list(CONFIG_KEYS)),
        stock={(r["id_product"], r["id_product_attribute"]):
               StockRow(r["id_stock_available"], int(r["quantity"])) for r in stock},
        employee=(emp[0]["firstname"], emp[0]["lastname"]) if emp else ("", ""),
    )  # fmt: skip
    matched = _match_lines(ticket, ctx.details)
    refs = run_batch(conn, _statements(shop, ticket, ctx, matched)).refs
    return PushResult(
        PushStatus.PUSHED, ticket.uuid, id_order=ctx.id_order, id_order_slip=refs["slip"]
    )


def _reads(shop: ShopInfo, ticket: Ticket) -> list[AnySelect]:
    m, sale = shop.models, sale_table(shop.prefix)
    which = and_(sale.c.ticket_number == (ticket.original_ticket or ""), sale.c.kind == "sale")
    id_order = select(sale.c.id_order).where(which).scalar_subquery()
    o, st, od = m.Orders, m.OrderState, m.OrderDetail
    products = sorted({line.id_product for line in ticket.lines})
    return [
        select(sale.c.id_order).where(which, sale.c.id_order > 0),
        select(o.id_order, o.id_customer, o.conversion_rate, st.shipped, st.delivery)
        .outerjoin(st, st.id_order_state == o.current_state)
        .where(o.id_order == id_order),
        select(od).where(od.id_order == id_order).order_by(od.id_order_detail),
        config_query(m, list(CONFIG_KEYS), shop.id_shop, shop.id_shop_group, None),
        stock_select(shop, products),
        select(m.Employee.firstname, m.Employee.lastname).where(
            m.Employee.id_employee == ticket.id_employee
        ),
    ]


def _match_lines(ticket: Ticket, details: list[Row]) -> list[tuple[TicketLine, Row]]:
    """The order_detail each refund line gives back; refused when none fits."""
    left = {int(d["id_order_detail"]): _refundable(d) for d in details}
    matched = []
    for line in ticket.lines:
        same = [
            (position, d)
            for position, d in enumerate(details, start=1)
            if d["product_id"] == line.id_product
            and (d["product_attribute_id"] or 0) == line.id_product_attribute
        ]
        same.sort(key=lambda pair: pair[0] != line.original_line_no)
        chosen = next(
            (d for _, d in same if left[int(d["id_order_detail"])] >= line.quantity), None
        )
        if chosen is None:
            raise PushRefused(
                f"Refund line {line.line_no} «{line.name}»: the sale {ticket.original_ticket} "
                f"has no {line.quantity} unit(s) of it left to refund."
            )
        left[int(chosen["id_order_detail"])] -= line.quantity
        matched.append((line, chosen))
    return matched


def _refundable(detail: Row) -> int:
    return (
        int(detail["product_quantity"])
        - int(detail["product_quantity_refunded"])
        - int(detail["product_quantity_return"])
    )


def _statements(
    shop: ShopInfo, ticket: Ticket, ctx: RefundContext, matched: list[tuple[TicketLine, Row]]
) -> list[Statement]:
    statements: list[Statement] = [_slip(shop, ticket, ctx)]
    statements.append(_slip_details(shop, matched))
    statements += _detail_updates(shop, ctx, matched)
    statements += _restock(shop, ticket, ctx, matched)
    values = {"id_order": ctx.id_order, "id_order_slip": Ref("slip")}
    statements.append(Update(sale_table(shop.prefix), values, {"uuid": ticket.uuid}))
    return statements


def _slip(shop: ShopInfo, ticket: Ticket, ctx: RefundContext) -> Insert:
    excl = sum((abs(line.total_tax_excl) for line in ticket.lines), Decimal(0))
    incl = sum((abs(line.total_tax_incl) for line in ticket.lines), Decimal(0))
    values = ol.row(
        shop, "order_slip", conversion_rate=ctx.order["conversion_rate"],
        id_customer=ctx.order["id_customer"], id_order=ctx.id_order,
        total_products_tax_excl=excl, total_products_tax_incl=incl,
        total_shipping_tax_excl=0, total_shipping_tax_incl=0, shipping_cost=0, amount=incl,
        shipping_cost_amount=0, partial=False, order_slip_type=0,
        date_add=ticket.created_at, date_upd=ticket.created_at,
    )  # fmt: skip
    return Insert(ol.table_of(shop, "order_slip"), (values,), ref="slip")


def _per_detail(matched: list[tuple[TicketLine, Row]]) -> dict[int, list[TicketLine]]:
    grouped: dict[int, list[TicketLine]] = {}
    for line, detail in matched:
        grouped.setdefault(int(detail["id_order_detail"]), []).append(line)
    return grouped


def _slip_details(shop: ShopInfo, matched: list[tuple[TicketLine, Row]]) -> Insert:
    rows = []
    for id_detail, lines in _per_detail(matched).items():
        quantity = sum(line.quantity for line in lines)
        excl = sum((abs(line.total_tax_excl) for line in lines), Decimal(0))
        incl = sum((abs(line.total_tax_incl) for line in lines), Decimal(0))
        rows.append(dict(
            id_order_slip=Ref("slip"), id_order_detail=id_detail, product_quantity=quantity,
            unit_price_tax_excl=abs(lines[0].unit_price_tax_excl),
            unit_price_tax_incl=abs(lines[0].unit_price_tax_incl), total_price_tax_excl=excl,
            total_price_tax_incl=incl, amount_tax_excl=excl, amount_tax_incl=incl,
        ))  # fmt: skip
    return Insert(ol.table_of(shop, "order_slip_detail"), tuple(rows))


def _detail_updates(
    shop: ShopInfo, ctx: RefundContext, matched: list[tuple[TicketLine, Row]]
) -> list[Statement]:
    returns = bool(ctx.order["delivery"]) and to_int(ctx.config.get("PS_ORDER_RETURN")) == 1
    counter = "product_quantity_return" if returns else "product_quantity_refunded"
    table = ol.table_of(shop, "order_detail")
    statements: list[Statement] = []
    details = {int(d["id_order_detail"]): d for d in ctx.details}
    for id_detail, lines in _per_detail(matched).items():
        restocked = _reinjected(details[id_detail], lines)
        values: dict[str, Any] = {
            counter: Add(sum(line.quantity for line in lines)),
            "total_refunded_tax_excl": Add(sum((abs(x.total_tax_excl) for x in lines), Decimal(0))),
            "total_refunded_tax_incl": Add(sum((abs(x.total_tax_incl) for x in lines), Decimal(0))),
        }
        if restocked:
            values["product_quantity_reinjected"] = Add(restocked)
        statements.append(Update(table, values, {"id_order_detail": id_detail}))
    return statements


def _reinjected(detail: Row, lines: list[TicketLine]) -> int:
    """Units put back in stock: capped at product_quantity − product_quantity_reinjected."""
    wanted = sum(line.quantity for line in lines if line.restock)
    room = int(detail["product_quantity"]) - int(detail["product_quantity_reinjected"])
    return max(0, min(wanted, room))


def _restock(
    shop: ShopInfo, ticket: Ticket, ctx: RefundContext, matched: list[tuple[TicketLine, Row]]
) -> list[Statement]:
    if to_int(ctx.config.get("PS_STOCK_MANAGEMENT"), 1) != 1:
        return []
    details = {int(d["id_order_detail"]): d for d in ctx.details}
    moved: list[tuple[TicketLine, int]] = []
    deltas: Counter[tuple[int, int]] = Counter()
    for id_detail, lines in _per_detail(matched).items():
        room = _reinjected(details[id_detail], lines)
        for line in (x for x in lines if x.restock):
            units = min(line.quantity, room)
            room -= units
            moved.append((line, units))
            deltas[(line.id_product, line.id_product_attribute)] += units
    shipped = bool(ctx.order["shipped"])
    statements = _stock_increments(shop, ctx, deltas, shipped)
    reason = to_int(ctx.config.get("PS_STOCK_CUSTOMER_RETURN_REASON"))
    statements += ol.stock_movements(
        shop, ticket, ctx.stock, reason=reason, sign=1, employee=ctx.employee,
        quantities=moved, id_order=ctx.id_order,
    )  # fmt: skip
    return statements


def _stock_increments(
    shop: ShopInfo, ctx: RefundContext, deltas: Counter[tuple[int, int]], shipped: bool
) -> list[Statement]:
    parents: Counter[tuple[int, int]] = Counter()
    for (id_product, id_pa), units in deltas.items():
        if id_pa:
            parents[(id_product, 0)] += units
    table, found = ol.table_of(shop, "stock_available"), []
    for key, units in sorted((deltas + parents).items()):
        stock = ctx.stock.get(key)
        if stock is None or not units:
            continue
        values = {"quantity": Add(units)}
        values["physical_quantity" if shipped else "reserved_quantity"] = Add(
            units if shipped else -units
        )
        found.append((stock.id_stock_available, Update(table, values, {
            "id_stock_available": stock.id_stock_available})))  # fmt: skip
    return [statement for _, statement in sorted(found, key=lambda pair: pair[0])]
