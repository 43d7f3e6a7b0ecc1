"""One order as the ERP's detail screen and the invoice PDF show it: the order, its customer
and addresses, lines with their taxes, payments (they belong to the reference, FACTS.md §8),
state history, invoices, credit slips and the till ticket it came from.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from connectors.prestashop.erp_orders import StateInfo, read_states
from connectors.prestashop.mostrador_tables import sale_table
from connectors.prestashop.shop import ShopInfo


@dataclass(frozen=True)
class AddressInfo:
    name: str
    company: str
    lines: tuple[str, ...]  # address1, address2, postcode + city, country
    phone: str
    vat_number: str


@dataclass(frozen=True)
class LineInfo:
    id_order_detail: int
    id_product: int
    id_product_attribute: int
    name: str
    reference: str
    ean13: str
    quantity: int
    quantity_refunded: int
    quantity_returned: int
    unit_price_tax_excl: Decimal
    unit_price_tax_incl: Decimal
    total_price_tax_excl: Decimal
    total_price_tax_incl: Decimal
    tax_rate: Decimal
    tax_name: str
    wholesale_price: Decimal  # purchase_supplier_price, else original_wholesale_price


@dataclass(frozen=True)
class TaxLine:
    """The tax breakdown per rate, from order_detail_tax (what invoices print)."""

    name: str
    rate: Decimal
    base: Decimal  # tax-excluded amount of the lines bearing this tax
    amount: Decimal


@dataclass(frozen=True)
class PaymentInfo:
    id_order_payment: int
    date_add: datetime
    method: str
    amount: Decimal
    transaction_id: str


@dataclass(frozen=True)
class HistoryInfo:
    date_add: datetime
    id_state: int
    state: str
    employee: str


@dataclass(frozen=True)
class InvoiceInfo:
    id_order_invoice: int
    number: int
    date_add: datetime
    delivery_number: int
    delivery_date: datetime | None
    total_paid_tax_incl: Decimal
    shop_address: str


@dataclass(frozen=True)
class SlipInfo:
    id_order_slip: int
    date_add: datetime
    total_products_tax_incl: Decimal
    amount: Decimal


@dataclass(frozen=True)
class OrderInfo:
    id_order: int
    reference: str
    id_shop: int
    id_lang: int
    id_currency: int
    date_add: datetime
    date_upd: datetime
    state: StateInfo | None
    payment: str
    module: str
    customer: str
    email: str
    total_products: Decimal
    total_products_wt: Decimal
    total_discounts_tax_incl: Decimal
    total_shipping_tax_incl: Decimal
    total_paid_tax_excl: Decimal
    total_paid_tax_incl: Decimal
    total_paid_real: Decimal
    invoice_number: int
    invoice_date: datetime | None
    delivery_number: int
    delivery: AddressInfo | None
    invoice_address: AddressInfo | None
    lines: tuple[LineInfo, ...]
    taxes: tuple[TaxLine, ...]
    payments: tuple[PaymentInfo, ...]
    history: tuple[HistoryInfo, ...]
    invoices: tuple[InvoiceInfo, ...]
    slips: tuple[SlipInfo, ...]
    till: str
    ticket_number: str


def read_order(session: Session, shop: ShopInfo, id_order: int) -> OrderInfo | None:
    """Everything about one order of this shop; ``None`` when there is no such order."""
    m = shop.models
    o, c = m.Orders, m.Customer
    stmt = (
        select(o, c.firstname, c.lastname, c.email)
        .outerjoin(c, c.id_customer == o.id_customer)
        .where(o.id_order == id_order)
    )
    found = session.execute(stmt).first()
    if found is None:
        return None
    order = found[0]
    states = {s.id_order_state: s for s in read_states(session, shop)}
    lines = _lines(session, shop, id_order)
    sale = sale_table(shop.prefix)
    till = session.execute(
        select(sale.c.till, sale.c.ticket_number).where(
            sale.c.id_order == id_order, sale.c.kind == "sale"
        )
    ).first()
    return OrderInfo(
        id_order=id_order, reference=order.reference or "", id_shop=order.id_shop,
        id_lang=order.id_lang, id_currency=order.id_currency, date_add=order.date_add,
        date_upd=order.date_upd, state=states.get(order.current_state),
        payment=order.payment or "", module=order.module or "",
        customer=" ".join(p for p in (found.firstname, found.lastname) if p),
        email=found.email or "", total_products=order.total_products,
        total_products_wt=order.total_products_wt,
        total_discounts_tax_incl=order.total_discounts_tax_incl,
        total_shipping_tax_incl=order.total_shipping_tax_incl,
        total_paid_tax_excl=order.total_paid_tax_excl,
        total_paid_tax_incl=order.total_paid_tax_incl, total_paid_real=order.total_paid_real,
        invoice_number=order.invoice_number, invoice_date=order.invoice_date,
        delivery_number=order.delivery_number,
        delivery=_address(session, shop, order.id_address_delivery),
        invoice_address=_address(session, shop, order.id_address_invoice), lines=tuple(lines),
        taxes=tuple(_taxes(session, shop, lines)),
        payments=tuple(_payments(session, shop, order.reference)),
        history=tuple(_history(session, shop, id_order, states)),
        invoices=tuple(_invoices(session, shop, id_order)),
        slips=tuple(_slips(session, shop, id_order)),
        till=till.till if till else "", ticket_number=till.ticket_number if till else "",
    )  # fmt: skip


def _address(session: Session, shop: ShopInfo, id_address: int) -> AddressInfo | None:
    a, cl = shop.models.Address, shop.models.CountryLang
    joined = and_(cl.id_country == a.id_country, cl.id_lang == shop.id_lang)
    row = session.execute(
        select(a, cl.name).outerjoin(cl, joined).where(a.id_address == id_address)
    ).first()
    if row is None:
        return None
    address, country = row[0], row[1]
    city = " ".join(p for p in (address.postcode, address.city) if p)
    parts = (address.address1, address.address2, city, country)
    return AddressInfo(
        name=f"{address.firstname} {address.lastname}".strip(), company=address.company or "",
        lines=tuple(p for p in parts if p), phone=address.phone or address.phone_mobile or "",
        vat_number=address.vat_number or address.dni or "",
    )  # fmt: skip


def _lines(session: Session, shop: ShopInfo, id_order: int) -> list[LineInfo]:
    od = shop.models.OrderDetail
    stmt = select(od).where(od.id_order == id_order).order_by(od.id_order_detail)
    return [
        LineInfo(
            id_order_detail=d.id_order_detail,
            id_product=d.product_id,
            id_product_attribute=d.product_attribute_id or 0,
            name=d.product_name,
            reference=d.product_reference or "",
            ean13=d.product_ean13 or "",
            quantity=d.product_quantity,
            quantity_refunded=d.product_quantity_refunded,
            quantity_returned=d.product_quantity_return,
            unit_price_tax_excl=d.unit_price_tax_excl,
            unit_price_tax_incl=d.unit_price_tax_incl,
            total_price_tax_excl=d.total_price_tax_excl,
            total_price_tax_incl=d.total_price_tax_incl,
            tax_rate=d.tax_rate,
            tax_name=d.tax_name or "",
            wholesale_price=d.purchase_supplier_price or d.original_wholesale_price,
        )  # fmt: skip
        for d in session.scalars(stmt)
    ]


def _taxes(session: Session, shop: ShopInfo, lines: list[LineInfo]) -> list[TaxLine]:
    if not lines:
        return []
    m = shop.models
    odt, tax, tl = m.OrderDetailTax, m.Tax, m.TaxLang
    ids = {line.id_order_detail: line for line in lines}
    joined = and_(tl.id_tax == odt.id_tax, tl.id_lang == shop.id_lang)
    stmt = (
        select(odt.id_order_detail, odt.id_tax, odt.total_amount, tax.rate, tl.name)
        .outerjoin(tax, tax.id_tax == odt.id_tax)
        .outerjoin(tl, joined)
        .where(odt.id_order_detail.in_(sorted(ids)))
    )
    base: dict[tuple[str, Decimal], Decimal] = defaultdict(Decimal)
    amount: dict[tuple[str, Decimal], Decimal] = defaultdict(Decimal)
    for row in session.execute(stmt):
        key = (row.name or f"#{row.id_tax}", Decimal(row.rate or 0))
        base[key] += ids[row.id_order_detail].total_price_tax_excl
        amount[key] += row.total_amount
    return [TaxLine(name, rate, base[(name, rate)], amount[(name, rate)]) for name, rate in base]


def _payments(session: Session, shop: ShopInfo, reference: str | None) -> list[PaymentInfo]:
    if not reference:
        return []
    p = shop.models.OrderPayment
    stmt = select(p).where(p.order_reference == reference).order_by(p.id_order_payment)
    return [
        PaymentInfo(
            row.id_order_payment,
            row.date_add,
            row.payment_method,
            row.amount,
            row.transaction_id or "",
        )  # fmt: skip
        for row in session.scalars(stmt)
    ]


def _history(
    session: Session, shop: ShopInfo, id_order: int, states: dict[int, StateInfo]
) -> list[HistoryInfo]:
    h, e = shop.models.OrderHistory, shop.models.Employee
    stmt = (
        select(h.date_add, h.id_order_state, e.firstname, e.lastname)
        .outerjoin(e, e.id_employee == h.id_employee)
        .where(h.id_order == id_order)
        .order_by(h.date_add, h.id_order_history)
    )
    found = []
    for row in session.execute(stmt):
        state = states.get(row.id_order_state)
        who = " ".join(p for p in (row.firstname, row.lastname) if p)
        name = state.name if state else f"#{row.id_order_state}"
        found.append(HistoryInfo(row.date_add, int(row.id_order_state), name, who))
    return found


def _invoices(session: Session, shop: ShopInfo, id_order: int) -> list[InvoiceInfo]:
    oi = shop.models.OrderInvoice
    stmt = select(oi).where(oi.id_order == id_order).order_by(oi.id_order_invoice)
    return [
        InvoiceInfo(
            row.id_order_invoice,
            row.number,
            row.date_add,
            row.delivery_number,
            row.delivery_date,
            row.total_paid_tax_incl,
            row.shop_address or "",
        )  # fmt: skip
        for row in session.scalars(stmt)
    ]


def _slips(session: Session, shop: ShopInfo, id_order: int) -> list[SlipInfo]:
    os_ = shop.models.OrderSlip
    stmt = select(os_).where(os_.id_order == id_order).order_by(os_.id_order_slip)
    return [
        SlipInfo(
            row.id_order_slip,
            row.date_add,
            row.total_products_tax_incl or Decimal(0),
            row.amount,
        )  # fmt: skip
        for row in session.scalars(stmt)
    ]
