"""Purchase orders to suppliers, and receiving what they deliver.

An order moves draft → sent → partially received → received, or is cancelled (while nothing
has been received). Lines are edited while it is a draft. Receiving (whole or in part, any
number of times) is one transaction per delivery: stock_available and stock_mvt rows as the
back office writes them, the supplier's price in product_supplier, optionally the product's
wholesale price, and the order's received quantities and status
(``connectors/prestashop/erp_purchases.py``). Every function here is a plain worker function
taking an :class:`~app.erp.context.ErpContext`; results are frozen values.
"""

from __future__ import annotations

import datetime as dt
import enum
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import Connection

from app.erp import suppliers as sup_app
from app.erp.context import ErpContext
from app.erp.listing import Column, Key, ListQuery, Page
from app.erp.pdf import PdfColumn, PdfDocument, read_letterhead
from app.errors import UserFacingError
from app.formatting import format_decimal, format_money
from app.i18n import _
from app.sale.rounding import ps_round
from app.sale.taxes import TaxAddress, tax_calculator
from connectors.prestashop import erp_purchase_items as items_db
from connectors.prestashop import erp_purchases as db
from connectors.prestashop import erp_suppliers as sup
from connectors.prestashop.erp_purchase_items import PurchaseItem
from connectors.prestashop.erp_purchases import NewLine, StockMove

__all__ = ["NewLine", "PoStatus", "PurchaseItem", "PurchaseLine", "PurchaseOrder", "StockMove"]
ZERO = Decimal(0)
_ENSURED: set[tuple[str, str]] = set()
_ENSURE_LOCK = threading.Lock()


class PoStatus(enum.StrEnum):
    DRAFT = "draft"
    SENT = "sent"
    PARTIAL = "partial"
    RECEIVED = "received"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        return {
            PoStatus.DRAFT: _("Draft"),
            PoStatus.SENT: _("Sent"),
            PoStatus.PARTIAL: _("Partially received"),
            PoStatus.RECEIVED: _("Received"),
            PoStatus.CANCELLED: _("Cancelled"),
        }[self]


@dataclass(frozen=True)
class PurchaseLine:
    id_line: int
    id_product: int
    id_product_attribute: int
    name: str
    reference: str
    supplier_reference: str
    ean13: str
    quantity: int
    received: int
    unit_cost: Decimal  # tax excluded
    tax_rate: Decimal  # percent

    @property
    def remaining(self) -> int:
        return max(0, self.quantity - self.received)

    @property
    def total_te(self) -> Decimal:
        return ps_round(self.unit_cost * self.quantity, 2)

    @property
    def tax(self) -> Decimal:
        return ps_round(self.total_te * self.tax_rate / 100, 2)

    def as_input(self) -> NewLine:
        return NewLine(
            self.id_product, self.id_product_attribute, self.name, self.reference,
            self.supplier_reference, self.ean13, self.quantity, self.unit_cost, self.tax_rate,
        )  # fmt: skip


@dataclass(frozen=True)
class PurchaseOrder:
    id_order: int
    id_supplier: int
    supplier_name: str
    status: PoStatus
    note: str
    date_add: dt.datetime
    date_upd: dt.datetime
    date_sent: dt.datetime | None
    lines: tuple[PurchaseLine, ...]

    @property
    def number(self) -> str:
        return order_number(self.id_order)

    @property
    def total_te(self) -> Decimal:
        return sum((line.total_te for line in self.lines), ZERO)

    @property
    def total_tax(self) -> Decimal:
        return sum((line.tax for line in self.lines), ZERO)

    @property
    def total_ti(self) -> Decimal:
        return self.total_te + self.total_tax

    @property
    def units(self) -> int:
        return sum(line.quantity for line in self.lines)

    @property
    def received(self) -> int:
        return sum(min(line.received, line.quantity) for line in self.lines)

    @property
    def can_edit(self) -> bool:
        return self.status is PoStatus.DRAFT

    @property
    def can_receive(self) -> bool:
        return self.status in (PoStatus.SENT, PoStatus.PARTIAL)

    @property
    def can_cancel(self) -> bool:
        return self.status in (PoStatus.DRAFT, PoStatus.SENT)

    def line_for_code(self, code: str) -> PurchaseLine | None:
        """The line a scanned EAN13 (or typed reference) belongs to; open lines first."""
        code = code.strip()
        matches = [
            line for line in self.lines
            if code and code in (line.ean13, line.reference, line.supplier_reference)
        ]  # fmt: skip
        matches.sort(key=lambda line: line.remaining == 0)
        return matches[0] if matches else None


@dataclass(frozen=True)
class ReceiveResult:
    order: PurchaseOrder
    units: int  # units put into stock by this delivery
    lines: int  # lines that received something


def order_number(id_order: int) -> str:
    return f"PO-{id_order:06d}"


# --------------------------------------------------------------------------- reads


def ensure_tables(ctx: ErpContext) -> None:
    """Create the purchase tables in the shop database the first time (once per database)."""
    key = (str(ctx.engine.url), ctx.shop.prefix)
    with _ENSURE_LOCK:
        if key in _ENSURED:
            return
        db.ensure_purchase_tables(ctx.engine, ctx.shop.prefix)
        _ENSURED.add(key)


def fetch_orders(
    ctx: ErpContext, query: ListQuery, after: Key | None, limit: int
) -> Page[PurchaseOrder]:
    """Newest first; filters ``status`` (a PoStatus value) and ``id_supplier``; the text finds a
    number (PO-000012 or 12) or a supplier name."""
    ensure_tables(ctx)
    filters = dict(query.filters, text=query.text)
    with ctx.engine.connect() as conn:
        heads, lines = db.list_orders(
            conn, ctx.shop, filters, after[0] if after else None, limit + 1
        )
    orders = [_order(head, lines[int(head.id_purchase_order)]) for head in heads]
    if len(orders) > limit:
        return Page(tuple(orders[:limit]), (orders[limit - 1].id_order,))
    return Page(tuple(orders))


def order_columns() -> tuple[Column[PurchaseOrder], ...]:
    return (
        Column(_("Number"), lambda o: o.number, width=110),
        Column(_("Supplier"), lambda o: o.supplier_name, width=220),
        Column(_("Status"), lambda o: o.status.label, width=150),
        Column(_("Date"), lambda o: o.date_add, "datetime", width=140),
        Column(_("Units"), lambda o: o.units, "int", width=70),
        Column(_("Received"), lambda o: o.received, "int", width=90),
        Column(_("Total (tax excl.)"), lambda o: o.total_te, "money", width=130),
    )


def load_order(ctx: ErpContext, id_order: int) -> PurchaseOrder:
    ensure_tables(ctx)
    with ctx.engine.connect() as conn:
        return _load(conn, ctx, id_order)


def _load(conn: Connection, ctx: ErpContext, id_order: int, *, lock: bool = False) -> PurchaseOrder:
    head = db.read_order(conn, ctx.shop, id_order, lock=lock)
    if head is None:
        raise UserFacingError(_("The purchase order {number} does not exist.").format(
            number=order_number(id_order)))  # fmt: skip
    return _order(head, db.order_lines(conn, ctx.shop, [id_order])[id_order])


def _order(head: Any, lines: Sequence[Any]) -> PurchaseOrder:
    return PurchaseOrder(
        int(head.id_purchase_order), int(head.id_supplier), head.supplier_name or "",
        PoStatus(head.status), head.note or "", head.date_add, head.date_upd, head.date_sent,
        tuple(_line(r) for r in lines),
    )  # fmt: skip


def _line(r: Any) -> PurchaseLine:
    return PurchaseLine(
        int(r.id_purchase_order_line), int(r.id_product), int(r.id_product_attribute), r.name,
        r.reference, r.supplier_reference, r.ean13, int(r.quantity), int(r.quantity_received),
        r.unit_cost, r.tax_rate,
    )  # fmt: skip


def find_items(ctx: ErpContext, text: str, id_supplier: int = 0) -> list[PurchaseItem]:
    """Products/combinations by EAN13, reference or name, with this supplier's cost."""
    with ctx.engine.connect() as conn:
        return items_db.find_items(conn, ctx.shop, text, id_supplier)


def new_line(ctx: ErpContext, item: PurchaseItem, quantity: int = 1) -> NewLine:
    """An order line for ``item`` with its tax rate in the shop's country (reads tax rules)."""
    rate = item_tax_rates(ctx, [item.id_tax_rules_group]).get(item.id_tax_rules_group, ZERO)
    return NewLine(
        item.id_product, item.id_product_attribute, item.name, item.reference,
        item.supplier_reference, item.ean13, quantity, item.cost, rate,
    )  # fmt: skip


def item_tax_rates(ctx: ErpContext, groups: Sequence[int]) -> dict[int, Decimal]:
    """The total tax rate (percent) of each tax rules group for the shop's own country."""
    with ctx.engine.connect() as conn:
        rules = items_db.tax_rules(conn, ctx.shop, groups)
    address = TaxAddress(ctx.shop.id_country)
    return {group: tax_calculator(found, address).total_rate for group, found in rules.items()}


# --------------------------------------------------------------------------- writes


def create_order(ctx: ErpContext, id_supplier: int, note: str = "") -> PurchaseOrder:
    if not id_supplier:
        raise UserFacingError(_("Choose the supplier of the order."))
    ensure_tables(ctx)
    with ctx.engine.begin() as conn:
        now = sup.shop_now(ctx.shop)
        id_order = db.insert_order(
            conn, ctx.shop, id_supplier, note, id_employee=ctx.id_employee, now=now
        )
        return _load(conn, ctx, id_order)


def save_lines(
    ctx: ErpContext,
    id_order: int,
    lines: Sequence[NewLine],
    loaded: dt.datetime,
    note: str | None = None,
) -> PurchaseOrder:
    """Replace the lines of a draft (quantities ≥ 1, costs ≥ 0)."""
    for line in lines:
        if line.quantity < 1 or line.unit_cost < 0:
            raise UserFacingError(
                _("«{name}»: the quantity must be at least 1 and the cost not negative.").format(
                    name=line.name))  # fmt: skip
    with ctx.engine.begin() as conn:
        order = _locked(conn, ctx, id_order, loaded)
        _require(order.can_edit, _("Only a draft order can be changed."))
        now = sup.shop_now(ctx.shop)
        db.replace_lines(conn, ctx.shop, id_order, lines, now)
        if note is not None:
            db.touch_order(conn, ctx.shop, id_order, now, note=note)
        return _load(conn, ctx, id_order)


def send_order(ctx: ErpContext, id_order: int, loaded: dt.datetime) -> PurchaseOrder:
    """Draft → sent (the order went to the supplier; its lines are fixed from now on)."""
    with ctx.engine.begin() as conn:
        order = _locked(conn, ctx, id_order, loaded)
        _require(order.can_edit, _("Only a draft order can be sent."))
        _require(bool(order.lines), _("Add at least one line before sending the order."))
        now = sup.shop_now(ctx.shop)
        db.touch_order(conn, ctx.shop, id_order, now, status=PoStatus.SENT.value, date_sent=now)
        return _load(conn, ctx, id_order)


def cancel_order(ctx: ErpContext, id_order: int, loaded: dt.datetime) -> PurchaseOrder:
    with ctx.engine.begin() as conn:
        order = _locked(conn, ctx, id_order, loaded)
        _require(order.can_cancel, _("An order with goods received cannot be cancelled."))
        now = sup.shop_now(ctx.shop)
        db.touch_order(conn, ctx.shop, id_order, now, status=PoStatus.CANCELLED.value)
        return _load(conn, ctx, id_order)


def _locked(conn: Connection, ctx: ErpContext, id_order: int, loaded: dt.datetime) -> PurchaseOrder:
    order = _load(conn, ctx, id_order, lock=True)
    if order.date_upd.replace(microsecond=0) != loaded.replace(microsecond=0):
        raise sup.ChangedElsewhere(
            _("Changed by someone else at {time} — reload.").format(
                time=order.date_upd.strftime("%H:%M")),
            _("Your changes were not saved; reload to see the other changes first."),
        )  # fmt: skip
    return order


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise UserFacingError(message)


def receive(
    ctx: ErpContext,
    id_order: int,
    quantities: Mapping[int, int],
    *,
    costs: Mapping[int, Decimal] | None = None,
    update_wholesale: bool = False,
) -> ReceiveResult:
    """Put a delivery into stock: ``quantities`` (and optionally new unit ``costs``) by line id.

    One transaction: stock, movements, supplier prices, received quantities and the status.
    """
    costs = costs or {}
    with ctx.engine.begin() as conn:
        order = _load(conn, ctx, id_order, lock=True)
        _require(order.can_receive, _("Only a sent order can be received."))
        moves = _moves(order, quantities, costs)
        _put_away(conn, ctx, order, moves, update_wholesale)
        fresh = _load(conn, ctx, id_order)
        status = (
            PoStatus.RECEIVED if all(x.remaining == 0 for x in fresh.lines) else PoStatus.PARTIAL
        )
        db.touch_order(conn, ctx.shop, id_order, sup.shop_now(ctx.shop), status=status.value)
        done = _load(conn, ctx, id_order)
    units = sum(move.quantity for _line, move in moves)
    return ReceiveResult(done, units, len(moves))


def _moves(
    order: PurchaseOrder, quantities: Mapping[int, int], costs: Mapping[int, Decimal]
) -> list[tuple[PurchaseLine, StockMove]]:
    moves = []
    for line in order.lines:
        quantity = quantities.get(line.id_line, 0)
        if quantity < 0 or quantity > line.remaining:
            raise UserFacingError(
                _("«{name}»: {count} can be received at most.").format(
                    name=line.name, count=line.remaining))  # fmt: skip
        cost = costs.get(line.id_line, line.unit_cost)
        if cost < 0:
            raise UserFacingError(
                _("«{name}»: the cost cannot be negative.").format(name=line.name)
            )
        if quantity:
            moves.append(
                (line, StockMove(line.id_product, line.id_product_attribute, quantity, cost))
            )
    if not moves:
        raise UserFacingError(_("Type the quantities received first."))
    return moves


def _put_away(
    conn: Connection,
    ctx: ErpContext,
    order: PurchaseOrder,
    moves: Sequence[tuple[PurchaseLine, StockMove]],
    update_wholesale: bool,
) -> None:
    shop, now = ctx.shop, sup.shop_now(ctx.shop)
    reason = db.receive_reason(conn, shop)
    employee = db.employee_names(conn, shop, ctx.id_employee)
    for line, move in moves:
        id_mvt = db.raise_stock(conn, shop, move, reason=reason, employee=employee, now=now)
        ids = (order.id_order, line.id_line)
        db.record_receipt(
            conn, shop, ids, move, id_stock_mvt=id_mvt, id_employee=ctx.id_employee, now=now
        )
        key = (move.id_product, move.id_product_attribute, order.id_supplier)
        reference = line.supplier_reference or None
        sup.set_product_supplier(
            conn, shop, key, reference=reference, price_te=move.unit_cost, now=now,
            follow_default=False,
        )  # fmt: skip
        if update_wholesale:
            item = (move.id_product, move.id_product_attribute)
            sup.set_wholesale_price(conn, shop, item, move.unit_cost, now=now)


# --------------------------------------------------------------------------- PDF


def order_pdf(ctx: ErpContext, id_order: int, *, compress: bool = True) -> bytes:
    """The order as an A4 PDF to send to the supplier (reads the shop's letterhead)."""
    order = load_order(ctx, id_order)
    supplier = sup_app.load_supplier(ctx, order.id_supplier).data
    doc = PdfDocument(_("Purchase order {number}").format(number=order.number),
                      read_letterhead(ctx), compress=compress)  # fmt: skip
    city = " ".join(v for v in (supplier.postcode, supplier.city) if v)
    doc.party(_("Supplier"), [supplier.name, supplier.address1, supplier.address2, city,
                              supplier.dni, supplier.phone])  # fmt: skip
    facts = [(_("Date"), order.date_add.strftime("%d/%m/%Y")), (_("Status"), order.status.label)]
    doc.facts(facts)
    doc.table(_pdf_columns(), [_pdf_row(line) for line in order.lines])
    doc.totals([
        (_("Total (tax excl.)"), format_money(order.total_te)),
        (_("Taxes"), format_money(order.total_tax)),
        (_("Total"), format_money(order.total_ti)),
    ])  # fmt: skip
    if order.note:
        doc.paragraph(order.note)
    return doc.output()


def _pdf_columns() -> list[PdfColumn]:
    return [
        PdfColumn(_("Reference"), 30), PdfColumn(_("Product"), 70), PdfColumn(_("Qty"), 15, "R"),
        PdfColumn(_("Unit cost"), 25, "R"), PdfColumn(_("VAT"), 13, "R"),
        PdfColumn(_("Total"), 27, "R"),
    ]  # fmt: skip


def _pdf_row(line: PurchaseLine) -> list[str]:
    return [
        line.supplier_reference or line.reference, line.name, str(line.quantity),
        format_money(line.unit_cost), f"{format_decimal(line.tax_rate, 0)} %",
        format_money(line.total_te),
    ]  # fmt: skip


def write_order_pdf(ctx: ErpContext, id_order: int, path: Path) -> Path:
    path.write_bytes(order_pdf(ctx, id_order))
    return path


def with_quantity(line: NewLine, quantity: int) -> NewLine:
    return replace(line, quantity=quantity)
