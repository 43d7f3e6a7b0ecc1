"""Writing an order state change as PrestaShop's back office does (plan: app/erp/order_states).

In the caller's transaction: the order row is read ``FOR UPDATE`` with everything the change
needs (:func:`read_order_facts`), then :func:`write_state_change` writes history, order,
stock, movements, product sales, invoice / delivery slip and the payment of the rest. The
order's ``date_upd`` guards the write: ``UPDATE … WHERE date_upd = :loaded`` touching no row
means someone changed the order meanwhile (:class:`OrderChanged`), and nothing is written.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import String, Table, and_, case, func, insert, select, type_coerce, update
from sqlalchemy.orm import Session

from connectors.prestashop.erp_orders import StateInfo, read_config, read_states
from connectors.prestashop.mostrador_tables import INVOICE_LOCK, lock_table
from connectors.prestashop.order_lines import row as shop_row
from connectors.prestashop.order_lines import table_of
from connectors.prestashop.order_reads import to_int
from connectors.prestashop.shop import ShopInfo

CONFIG_KEYS = [
    "PS_OS_CANCELED", "PS_OS_ERROR", "PS_STOCK_MANAGEMENT", "PS_STOCK_CUSTOMER_ORDER_REASON",
    "PS_STOCK_CUSTOMER_ORDER_CANCEL_REASON", "PS_INVOICE", "PS_INVOICE_START_NUMBER",
    "PS_INVOICE_RESET", "PS_DELIVERY_NUMBER", "PS_SHOP_NAME", "PS_SHOP_ADDR1", "PS_SHOP_ADDR2",
    "PS_SHOP_CODE", "PS_SHOP_CITY", "PS_SHOP_PHONE",
]  # fmt: skip
ADDRESS_SEPARATOR = "<br />"


class OrderChanged(Exception):
    """The order's ``date_upd`` is not the one the screen loaded."""

    def __init__(self, date_upd: datetime | None) -> None:
        super().__init__(f"order changed at {date_upd}")
        self.date_upd = date_upd


@dataclass(frozen=True)
class OrderLineQty:
    id_product: int
    id_product_attribute: int
    quantity: int
    refunded: int
    returned: int
    is_pack: bool = False


@dataclass(frozen=True)
class StockMove:
    id_product: int
    id_product_attribute: int
    quantity: int  # positive
    sign: int  # +1 back into stock, −1 out of it
    reason: int  # stock_mvt_reason id


@dataclass(frozen=True)
class StatePlan:
    """What a state change writes (decided by app/erp/order_states.py)."""

    stock_deltas: tuple[tuple[int, int, int], ...]  # (id_product, id_product_attribute, Δ)
    movements: tuple[StockMove, ...]
    sales_sign: int  # +1 add to product_sale, −1 remove, 0 nothing
    create_invoice: bool
    create_delivery_slip: bool
    set_delivery: bool
    pay_rest: bool


@dataclass(frozen=True)
class OrderFacts:
    order: Mapping[str, Any]  # the orders row
    lines: tuple[OrderLineQty, ...]
    states: Mapping[int, StateInfo]
    config: Mapping[str, str | None]
    employee: tuple[str, str]
    country_name: str
    has_invoice: bool  # an order_invoice row exists

    def config_int(self, key: str, default: int = 0) -> int:
        return to_int(self.config.get(key), default)


@dataclass(frozen=True)
class StateWritten:
    invoice_number: int
    delivery_number: int
    rest_paid: Decimal


def read_order_facts(
    session: Session, shop: ShopInfo, id_order: int, id_employee: int
) -> OrderFacts | None:
    """The order (locked ``FOR UPDATE``) and what a state change needs; None if missing."""
    m = shop.models
    orders = table_of(shop, "orders")
    order = session.execute(
        select(orders).where(orders.c.id_order == id_order).with_for_update()
    ).mappings().first()  # fmt: skip
    if order is None:
        return None
    od, p = m.OrderDetail, m.Product
    details = session.execute(
        select(od.product_id, od.product_attribute_id, od.product_quantity,
               od.product_quantity_refunded, od.product_quantity_return, p.cache_is_pack)
        .outerjoin(p, p.id_product == od.product_id)
        .where(od.id_order == id_order).order_by(od.id_order_detail)
    )  # fmt: skip
    lines = tuple(
        OrderLineQty(int(r[0]), int(r[1] or 0), int(r[2]), int(r[3]), int(r[4]), bool(r[5]))
        for r in details
    )
    oi = m.OrderInvoice
    invoices = session.execute(select(func.count()).where(oi.id_order == id_order)).scalar_one()
    return OrderFacts(
        order=dict(order), lines=lines,
        states={s.id_order_state: s for s in read_states(session, shop)},
        config=read_config(session, shop, CONFIG_KEYS),
        employee=_employee(session, shop, id_employee),
        country_name=_country_name(session, shop), has_invoice=invoices > 0,
    )  # fmt: skip


def _employee(session: Session, shop: ShopInfo, id_employee: int) -> tuple[str, str]:
    e = shop.models.Employee
    row = session.execute(
        select(e.firstname, e.lastname).where(e.id_employee == id_employee)
    ).first()
    return (row.firstname, row.lastname) if row else ("", "")


def _country_name(session: Session, shop: ShopInfo) -> str:
    cl = shop.models.CountryLang
    stmt = select(cl.name).where(cl.id_country == shop.id_country, cl.id_lang == shop.id_lang)
    return session.execute(stmt).scalar() or ""


def write_state_change(  # noqa: PLR0913
    session: Session,
    shop: ShopInfo,
    facts: OrderFacts,
    new: StateInfo,
    plan: StatePlan,
    *,
    loaded: datetime,
    id_employee: int,
    now: datetime,
) -> StateWritten:
    """Write ``plan`` (moving the order to ``new``); :class:`OrderChanged` if it changed."""
    id_order = int(facts.order["id_order"])
    orders = table_of(shop, "orders")
    values = {"current_state": new.id_order_state, "valid": int(new.logable), "date_upd": now}
    guard = and_(orders.c.id_order == id_order, orders.c.date_upd == loaded)
    if session.connection().execute(update(orders).where(guard).values(values)).rowcount != 1:
        raise OrderChanged(facts.order.get("date_upd"))
    history = dict(id_employee=id_employee, id_order=id_order,
                   id_order_state=new.id_order_state, date_add=now)  # fmt: skip
    session.execute(insert(table_of(shop, "order_history")).values(history))
    stock = _stock_rows(session, shop, facts)
    _write_stock(session, shop, plan, stock)
    _write_movements(session, shop, facts, plan.movements, stock, id_employee, now)
    _write_sales(session, shop, facts, plan.sales_sign, now)
    documents = _Documents(session, shop, facts, now)
    invoice = documents.invoice() if plan.create_invoice else 0
    if plan.create_delivery_slip:
        documents.delivery_slip()
    delivery = documents.delivery() if plan.set_delivery else 0
    rest = documents.pay_rest() if plan.pay_rest else Decimal(0)
    _recompute_reserved(session, shop, facts)
    return StateWritten(invoice, delivery, rest)


# --------------------------------------------------------------------------- stock


def _stock_rows(session: Session, shop: ShopInfo, facts: OrderFacts) -> dict[tuple[int, int], int]:
    sa = shop.models.StockAvailable
    id_shop, id_shop_group = shop.stock_scope
    products = sorted({line.id_product for line in facts.lines})
    if not products:
        return {}
    stmt = (
        select(sa.id_stock_available, sa.id_product, sa.id_product_attribute)
        .where(sa.id_product.in_(products), sa.id_shop == id_shop)
        .where(sa.id_shop_group == id_shop_group)
        .order_by(sa.id_stock_available)
        .with_for_update()
    )
    return {(int(r[1]), int(r[2])): int(r[0]) for r in session.execute(stmt)}


def _write_stock(
    session: Session, shop: ShopInfo, plan: StatePlan, stock: Mapping[tuple[int, int], int]
) -> None:
    deltas: Counter[tuple[int, int]] = Counter()
    for id_product, id_pa, delta in plan.stock_deltas:
        deltas[(id_product, id_pa)] += delta
        if id_pa:
            deltas[(id_product, 0)] += delta
    table = table_of(shop, "stock_available")
    for key, delta in sorted(deltas.items(), key=lambda item: stock.get(item[0], 0)):
        if key in stock and delta:
            session.execute(
                update(table)
                .where(table.c.id_stock_available == stock[key])
                .values(quantity=table.c.quantity + delta)
            )


def _write_movements(  # noqa: PLR0913, PLR0917
    session: Session,
    shop: ShopInfo,
    facts: OrderFacts,
    moves: tuple[StockMove, ...],
    stock: Mapping[tuple[int, int], int],
    id_employee: int,
    now: datetime,
) -> None:
    rows = [
        shop_row(
            shop,
            "stock_mvt",
            id_stock=stock[(m.id_product, m.id_product_attribute)],
            id_order=int(facts.order["id_order"]),
            id_supply_order=0,
            id_stock_mvt_reason=m.reason,
            id_employee=id_employee,
            employee_firstname=facts.employee[0],
            employee_lastname=facts.employee[1],
            physical_quantity=m.quantity,
            date_add=now,
            sign=m.sign,
            price_te=0,
            last_wa=0,
            current_wa=0,
            referer=None,
        )  # fmt: skip
        for m in moves
        if (m.id_product, m.id_product_attribute) in stock
    ]
    if rows:
        session.execute(insert(table_of(shop, "stock_mvt")), rows)


def _write_sales(
    session: Session, shop: ShopInfo, facts: OrderFacts, sign: int, now: datetime
) -> None:
    """ProductSale::addProductSale / removeProductSale, once per order line."""
    if not sign:
        return
    table = table_of(shop, "product_sale")
    for line in facts.lines:
        where = table.c.id_product == line.id_product
        if sign < 0:
            quantity = case((table.c.quantity > line.quantity,
                             table.c.quantity - line.quantity), else_=0)  # fmt: skip
            count = case((table.c.sale_nbr > 1, table.c.sale_nbr - 1), else_=0)
            session.execute(update(table).where(where).values(quantity=quantity, sale_nbr=count))
            continue
        changed = session.connection().execute(
            update(table).where(where).values(
                quantity=table.c.quantity + line.quantity, sale_nbr=table.c.sale_nbr + 1,
                date_upd=now.date(),
            )
        ).rowcount  # fmt: skip
        if not changed:
            values = dict(id_product=line.id_product, quantity=line.quantity, sale_nbr=1,
                          date_upd=now.date())  # fmt: skip
            session.execute(insert(table).values(values))


def _recompute_reserved(session: Session, shop: ShopInfo, facts: OrderFacts) -> None:
    """StockManager::updatePhysicalProductQuantity for the order's products (FACTS.md §7.1):
    reserved = units of this shop's orders not shipped and not voided; physical = quantity +
    reserved. Shared-stock rows (id_shop 0) are left alone, as PrestaShop does."""
    if shop.share_stock or not facts.lines:
        return
    m, sa = shop.models, table_of(shop, "stock_available")
    o, od, st = m.Orders, m.OrderDetail, m.OrderState
    voided = [facts.config_int("PS_OS_ERROR"), facts.config_int("PS_OS_CANCELED")]
    keys = sorted({(line.id_product, line.id_product_attribute) for line in facts.lines})
    products = sorted({key[0] for key in keys})
    stmt = (
        select(od.product_id, od.product_attribute_id,
               func.sum(od.product_quantity - od.product_quantity_refunded))
        .join(o, o.id_order == od.id_order).join(st, st.id_order_state == o.current_state)
        .where(o.id_shop == shop.id_shop, st.shipped != 1, od.product_id.in_(products))
        .where((o.valid == 1) | st.id_order_state.not_in(voided))
        .group_by(od.product_id, od.product_attribute_id)
    )  # fmt: skip
    reserved = {(int(r[0]), int(r[1] or 0)): int(r[2] or 0) for r in session.execute(stmt)}
    for id_product, id_pa in keys:
        session.execute(
            update(sa).where(sa.c.id_shop == shop.id_shop, sa.c.id_product == id_product,
                             sa.c.id_product_attribute == id_pa)
            .values(reserved_quantity=reserved.get((id_product, id_pa), 0))
        )  # fmt: skip
    session.execute(
        update(sa).where(sa.c.id_shop == shop.id_shop, sa.c.id_product.in_(products))
        .values(physical_quantity=sa.c.quantity + sa.c.reserved_quantity)
    )  # fmt: skip


# --------------------------------------------------------------------------- documents


class _Documents:
    """Invoice, delivery slip and payment of the rest (Order::setInvoice, setDeliverySlip,
    setDelivery; OrderHistory's "set orders as paid")."""

    def __init__(self, session: Session, shop: ShopInfo, facts: OrderFacts, now: datetime):
        self.session, self.shop, self.facts, self.now = session, shop, facts, now
        self.order = facts.order
        self.id_order = int(self.order["id_order"])
        self.orders = table_of(shop, "orders")
        self.invoices = table_of(shop, "order_invoice")

    def _lock(self) -> None:
        lock = lock_table(self.shop.prefix)
        self.session.execute(
            select(lock.c.name).where(lock.c.name == INVOICE_LOCK).with_for_update()
        )

    def _new_invoice_row(self, number: int) -> int:
        o = self.order
        values = shop_row(
            self.shop, "order_invoice", id_order=self.id_order, number=number,
            delivery_number=0, delivery_date=None,
            total_discount_tax_excl=o["total_discounts_tax_excl"],
            total_discount_tax_incl=o["total_discounts_tax_incl"],
            total_paid_tax_excl=o["total_paid_tax_excl"],
            total_paid_tax_incl=o["total_paid_tax_incl"], total_products=o["total_products"],
            total_products_wt=o["total_products_wt"],
            total_shipping_tax_excl=o["total_shipping_tax_excl"],
            total_shipping_tax_incl=o["total_shipping_tax_incl"],
            shipping_tax_computation_method=0,
            total_wrapping_tax_excl=o["total_wrapping_tax_excl"],
            total_wrapping_tax_incl=o["total_wrapping_tax_incl"],
            shop_address=self._shop_address(), note="", date_add=self.now,
        )  # fmt: skip
        result = self.session.connection().execute(insert(self.invoices).values(values))
        return int(result.inserted_primary_key[0])  # type: ignore[index]

    def invoice(self) -> int:
        """A new invoice (numbered when PS_INVOICE=1); lines, carrier and payments linked."""
        self._lock()
        number = self._next_invoice_number() if self.facts.config_int("PS_INVOICE", 1) else 0
        id_invoice = self._new_invoice_row(number)
        if number:
            self.session.execute(
                update(self.orders).where(self.orders.c.id_order == self.id_order)
                .values(invoice_number=number, invoice_date=self.now)
            )  # fmt: skip
            self._consume("PS_INVOICE_START_NUMBER", number)
        for name in ("order_detail", "order_carrier"):
            table = table_of(self.shop, name)
            self.session.execute(
                update(table).where(table.c.id_order == self.id_order)
                .values(id_order_invoice=id_invoice)
            )  # fmt: skip
        self._link_payments(id_invoice)
        return number

    def _next_invoice_number(self) -> int:
        start = self.facts.config_int("PS_INVOICE_START_NUMBER")
        if start:
            return start
        number = self.invoices.c.number
        stmt = select(func.max(number))
        if self.facts.config_int("PS_INVOICE_RESET") == 1:
            year = self.now.strftime("%Y-01-01 00:00:00")
            stmt = stmt.where(type_coerce(self.invoices.c.date_add, String) >= year)
        return int(self.session.execute(stmt).scalar() or 0) + 1

    def _consume(self, key: str, number: int) -> None:
        if number and self.facts.config_int(key) == number:
            conf = table_of(self.shop, "configuration")
            self.session.execute(
                update(conf).where(conf.c.name == key).values(value="", date_upd=self.now)
            )

    def _link_payments(self, id_invoice: int) -> None:
        p = table_of(self.shop, "order_payment")
        ids = self.session.execute(
            select(p.c.id_order_payment).where(p.c.order_reference == self.order["reference"])
        ).scalars().all()  # fmt: skip
        rows = [dict(id_order_invoice=id_invoice, id_order_payment=i, id_order=self.id_order)
                for i in ids]  # fmt: skip
        if rows:
            self.session.execute(insert(table_of(self.shop, "order_invoice_payment")), rows)

    def delivery_slip(self) -> None:
        """An order without invoice gets an unnumbered order_invoice row for its slip."""
        if not self.facts.has_invoice:
            self._new_invoice_row(0)

    def delivery(self) -> int:
        """Delivery number (once) and date, on the order and its invoices."""
        number = int(self.order["delivery_number"] or 0)
        values: dict[str, Any] = {"delivery_date": self.now}
        if not number:
            self._lock()
            number = self.facts.config_int("PS_DELIVERY_NUMBER") or self._max_delivery() + 1
            values["delivery_number"] = number
            self._consume("PS_DELIVERY_NUMBER", number)
        self.session.execute(
            update(self.orders).where(self.orders.c.id_order == self.id_order).values(values)
        )
        self.session.execute(
            update(self.invoices).where(self.invoices.c.id_order == self.id_order)
            .values(delivery_number=number, delivery_date=self.now)
        )  # fmt: skip
        return number

    def _max_delivery(self) -> int:
        stmt = select(func.max(self.invoices.c.delivery_number))
        return int(self.session.execute(stmt).scalar() or 0)

    def pay_rest(self) -> Decimal:
        """A payment for what each invoice still lacks (labelled with the order's payment)."""
        total = Decimal(0)
        link = table_of(self.shop, "order_invoice_payment")
        payment = table_of(self.shop, "order_payment")
        for id_invoice, due in self._invoice_dues(link, payment):
            if due <= 0:
                continue
            values = shop_row(
                self.shop, "order_payment", order_reference=(self.order["reference"] or "")[:9],
                id_currency=self.order["id_currency"], amount=due,
                payment_method=self.order["payment"] or "", conversion_rate=self.order[
                    "conversion_rate"], transaction_id="", card_number=None, card_brand=None,
                card_expiration=None, card_holder=None, date_add=self.now, id_employee=None,
            )  # fmt: skip
            result = self.session.connection().execute(insert(payment).values(values))
            id_payment = int(result.inserted_primary_key[0])  # type: ignore[index]
            link_row = dict(id_order_invoice=id_invoice, id_order_payment=id_payment,
                            id_order=self.id_order)  # fmt: skip
            self.session.execute(insert(link).values(link_row))
            total += due
        if total:
            self.session.execute(
                update(self.orders).where(self.orders.c.id_order == self.id_order)
                .values(total_paid_real=self.orders.c.total_paid_real + total)
            )  # fmt: skip
        return total

    def _invoice_dues(self, link: Table, payment: Table) -> list[tuple[int, Decimal]]:
        paid = (
            select(func.coalesce(func.sum(payment.c.amount), 0))
            .join(link, link.c.id_order_payment == payment.c.id_order_payment)
            .where(link.c.id_order_invoice == self.invoices.c.id_order_invoice)
            .scalar_subquery()
        )
        stmt = select(self.invoices.c.id_order_invoice, self.invoices.c.total_paid_tax_incl, paid)
        stmt = stmt.where(self.invoices.c.id_order == self.id_order, self.invoices.c.number > 0)
        return [
            (int(r[0]), Decimal(str(r[1])) - Decimal(str(r[2] or 0)))
            for r in self.session.execute(stmt)
        ]

    def _shop_address(self) -> str:
        config = self.facts.config
        city = " ".join(v for v in (config.get("PS_SHOP_CODE"), config.get("PS_SHOP_CITY")) if v)
        parts = (
            config.get("PS_SHOP_NAME"), config.get("PS_SHOP_ADDR1"), config.get("PS_SHOP_ADDR2"),
            city, self.facts.country_name, config.get("PS_SHOP_PHONE"),
        )  # fmt: skip
        return ADDRESS_SEPARATOR.join(p for p in parts if p)
