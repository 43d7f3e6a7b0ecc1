"""A till sale written into the shop database as PrestaShop's validateOrder writes an order
(FACTS.md §2, §16), in the caller's transaction, in two batches:

1. claim + reads: the ``mostrador_sale`` row (a duplicate key means an earlier attempt
   committed this ticket: nothing more is written), the invoice lock, and every select the
   push needs (:mod:`order_reads`);
2. writes: customer/address when new, cart + cart_product, orders, order_invoice,
   order_detail + order_detail_tax, order_carrier, order_payment + order_invoice_payment,
   order_history, stock_available (relative) + stock_mvt, product_sale, consumed one-shot
   numbering keys, and the ``mostrador_sale`` row completed with the order id.

Rows carry their final values (current_state, valid, invoice numbers, total_paid_real)
instead of PrestaShop's insert-then-update sequence; the end state is the same.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

import sqlalchemy.exc
from sqlalchemy import Connection, select
from sqlalchemy.orm import Session

from app.till.records import Ticket, TicketKind
from connectors.prestashop import order_lines as ol
from connectors.prestashop import order_parties as parties
from connectors.prestashop.mostrador_tables import sale_table
from connectors.prestashop.order_reads import (
    SaleContext,
    parse_sale_reads,
    reference_candidates,
    sale_reads,
)
from connectors.prestashop.sale_types import PushOptions, PushRefused, PushResult, PushStatus
from connectors.prestashop.shop import ShopInfo
from connectors.prestashop.write_batch import BatchResult, Insert, Ref, Statement, run_batch

logger = logging.getLogger(__name__)


def write_sale(
    session: Session, shop: ShopInfo, ticket: Ticket, options: PushOptions
) -> PushResult:
    """Write ``ticket`` (a SALE) as an order; the caller commits, or rolls back on error."""
    check_ticket(shop, ticket, TicketKind.SALE)
    conn = session.connection()
    references = reference_candidates()
    claimed = claim(conn, shop, ticket, sale_reads(shop, ticket, options, references))
    if isinstance(claimed, PushResult):
        return claimed
    ctx = parse_sale_reads(shop, options, references, claimed.reads)
    _check_context(ticket, ctx)
    plan = _SalePlan(shop, ticket, options, ctx)
    refs = run_batch(conn, plan.statements()).refs
    return PushResult(
        PushStatus.PUSHED, ticket.uuid, id_order=refs["order"], reference=ctx.reference,
        invoice_number=plan.invoice_number,
    )  # fmt: skip


def claim(
    conn: Connection, shop: ShopInfo, ticket: Ticket, reads: list[Any]
) -> BatchResult | PushResult:
    """Insert the ticket's ``mostrador_sale`` row and run ``reads`` in the same request.

    A duplicate key: an earlier attempt committed the ticket; its result is returned.
    """
    table = sale_table(shop.prefix)
    values = dict(
        uuid=ticket.uuid, ticket_number=ticket.number, till=ticket.till, kind=ticket.kind.value,
        id_shop=shop.id_shop, ticket_date=ticket.created_at,
        pushed_at=datetime.now().replace(microsecond=0),
    )  # fmt: skip
    try:
        return run_batch(conn, [Insert(table, (values,))], reads)
    except sqlalchemy.exc.IntegrityError:
        logger.info("ticket %s (%s) was already pushed", ticket.number, ticket.uuid)
    found = conn.execute(select(table).where(table.c.uuid == ticket.uuid)).mappings().one()
    return PushResult(
        PushStatus.ALREADY_PUSHED, ticket.uuid, id_order=found["id_order"],
        reference=found["reference"], id_order_slip=found["id_order_slip"],
        invoice_number=found["invoice_number"],
    )  # fmt: skip


def check_ticket(shop: ShopInfo, ticket: Ticket, kind: TicketKind) -> None:
    if ticket.kind is not kind:
        raise ValueError(f"ticket {ticket.number} is a {ticket.kind.value}, not a {kind.value}")
    if ticket.id_shop != shop.id_shop:
        raise PushRefused(
            f"Ticket {ticket.number} belongs to shop {ticket.id_shop}, not to shop {shop.id_shop}."
        )
    if not ticket.lines:
        raise PushRefused(f"Ticket {ticket.number} has no lines.")


def _check_context(ticket: Ticket, ctx: SaleContext) -> None:
    if not ctx.state.id_order_state:
        raise PushRefused("The order state configured for till sales does not exist in the shop.")
    if ticket.customer.id_customer is not None and ctx.customer is None:
        raise PushRefused(
            f"Customer {ticket.customer.id_customer} ({ticket.customer.email}) no longer exists "
            "in the shop."
        )


class _SalePlan:
    """The write batch of one sale, built from the ticket and what was read."""

    def __init__(self, shop: ShopInfo, ticket: Ticket, options: PushOptions, ctx: SaleContext):
        self.shop, self.ticket, self.options, self.ctx = shop, ticket, options, ctx
        self.lines = ol.line_facts(shop, ticket, ctx)
        state = ctx.state
        self.has_invoice = state.invoice or state.delivery
        self.invoice_number = _invoice_number(ctx) if state.invoice else 0
        self.delivery_number = _delivery_number(ctx) if state.delivery else 0
        self.invoice_ref: Any = Ref("invoice") if self.has_invoice else 0
        self.who = parties.parties_of(ctx)

    def statements(self) -> list[Statement]:
        shop, ticket, ctx = self.shop, self.ticket, self.ctx
        statements = parties.customer_statements(shop, ticket, ctx, self.who)
        statements.append(parties.cart_statement(shop, ticket, ctx, self.who))
        statements.append(ol.cart_products(shop, ticket, self.who.id_address))
        statements.append(self._order())
        if self.has_invoice:
            statements.append(self._invoice())
        statements += ol.detail_statements(shop, ticket, self.lines, self.invoice_ref)
        statements += parties.carrier_statements(shop, ticket, ctx, self.lines, self.invoice_ref)
        statements += self._payments()
        statements.append(parties.history(shop, ticket, ctx.state.id_order_state))
        statements += self._stock()
        if ctx.state.logable:
            statements.append(ol.product_sales(shop, ticket))
        statements += parties.consumed_keys(shop, ticket, ctx, self.invoice_number,
                                            self.delivery_number)  # fmt: skip
        statements.append(parties.complete_claim(shop, ticket, ctx, self.invoice_number))
        return statements

    def _order(self) -> Insert:
        values = parties.order_row(self.shop, self.ticket, self.ctx, self.options, self.who)
        if self.invoice_number:
            values.update(invoice_number=self.invoice_number, invoice_date=self.ticket.created_at)
        if self.delivery_number:
            values.update(
                delivery_number=self.delivery_number, delivery_date=self.ticket.created_at
            )
        return Insert(ol.table_of(self.shop, "orders"), (values,), ref="order")

    def _invoice(self) -> Insert:
        values = parties.invoice_row(self.shop, self.ticket, self.ctx, self.invoice_number)
        if self.delivery_number:
            values.update(
                delivery_number=self.delivery_number, delivery_date=self.ticket.created_at
            )
        return Insert(ol.table_of(self.shop, "order_invoice"), (values,), ref="invoice")

    def _payments(self) -> list[Statement]:
        if not self.ctx.state.logable:
            return []
        return parties.payment_statements(
            self.shop, self.ticket, self.ctx, self.invoice_ref if self.has_invoice else None
        )

    def _stock(self) -> list[Statement]:
        ctx, shipped = self.ctx, self.ctx.state.shipped
        if not ctx.takes_stock:
            return []
        statements = ol.stock_statements(self.shop, self.ticket, ctx, -1, shipped)
        if shipped:
            reason = ctx.config_int("PS_STOCK_CUSTOMER_ORDER_REASON")
            moved = [(line, line.quantity) for line in self.ticket.lines]
            statements += ol.stock_movements(
                self.shop, self.ticket, ctx.stock, reason=reason, sign=-1,
                employee=ctx.employee, quantities=moved,
            )  # fmt: skip
        return statements


def _invoice_number(ctx: SaleContext) -> int:
    """PS_INVOICE_START_NUMBER when set (consumed), else MAX+1; 0 when PS_INVOICE is off."""
    if ctx.config_int("PS_INVOICE", 1) != 1:
        return 0
    return ctx.config_int("PS_INVOICE_START_NUMBER") or ctx.next_invoice


def _delivery_number(ctx: SaleContext) -> int:
    return ctx.config_int("PS_DELIVERY_NUMBER") or ctx.next_delivery
