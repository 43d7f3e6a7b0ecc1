"""Demo shop, part 5: a year of orders written the way PrestaShop writes them (FACTS.md §2–§8).

Each order has its cart and cart lines, order_detail + order_detail_tax (Decimal, half up,
PS_ROUND_TYPE=2: every line rounded), the history of its states, a payment (two for some
split counter sales), an invoice and delivery number when its states say so, the carrier
row, stock movements when shipped, and its effect on stock_available (quantity, reserved,
physical). Counter sales (the walk-in customer) go straight to "Delivered", paid "Efectivo"
or "Tarjeta" through module ``mostrador``; web orders walk through the usual states.
Prices are the catalog prices (specific prices are not applied to the demo orders).
"""

from __future__ import annotations

import datetime
import string
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from sqlalchemy import Connection, bindparam, update

from connectors.prestashop import demo_words as w
from connectors.prestashop.demo_base import CASHIER_PROFILE, DEMO_EMPLOYEES
from connectors.prestashop.demo_catalog import Catalog, Combination, Product
from connectors.prestashop.demo_people import Customer
from connectors.prestashop.demo_util import ZERO_DATETIME, Context, Row, money, price6

WALK_IN_SHARE = 0.35
RESTOCK = 40  # units a "supplier delivery" adds when an order finds a product sold out
POS_MODULE = "mostrador"
WEB_PAYMENTS = (  # label, module, awaiting state, weight
    ("Transferencia bancaria", "ps_wirepayment", 10, 6),
    ("Cheque", "ps_checkpayment", 1, 1),
    ("Pago contra reembolso", "ps_cashondelivery", 13, 3),
)
WEB_FINAL_STATES = ((5, 80), (4, 5), (3, 3), (2, 4), (6, 5), (0, 3))  # 0 = still awaiting
SHOP_ADDRESS_TEXT = "{}\n{}\n{} {}\nEspaña".format(w.SHOP_NAME, *w.SHOP_ADDRESS[:3])


class Line(NamedTuple):
    product: Product
    combination: Combination | None
    quantity: int
    rate: Decimal  # tax rate, e.g. 21
    unit_excl: Decimal  # 6 decimals
    unit_incl: Decimal  # 6 decimals
    total_excl: Decimal  # rounded to cents (PS_ROUND_TYPE=2)
    total_incl: Decimal

    @property
    def key(self) -> tuple[int, int]:
        return self.product.id, self.combination.id if self.combination else 0


@dataclass
class Sale:
    """One order being generated."""

    id: int
    date: datetime.datetime
    customer: Customer
    walk_in: bool
    path: list[int]  # order states, oldest first
    dates: list[datetime.datetime]  # when each state was reached
    payment: str
    module: str
    employee: int  # cashier for counter sales, 0 for web orders
    reference: str
    lines: list[Line]
    invoice: int = 0  # id_order_invoice, 0 without invoice

    def reached(self, flag: str) -> datetime.datetime | None:
        """When the order first reached a state with ``flag`` (invoice, paid, …) set."""
        for state, date in zip(self.path, self.dates, strict=True):
            if getattr(w.STATES_BY_ID[state], flag):
                return date
        return None

    @property
    def final(self) -> w.OrderState:
        return w.STATES_BY_ID[self.path[-1]]

    @property
    def total_excl(self) -> Decimal:
        return sum((line.total_excl for line in self.lines), Decimal(0))

    @property
    def total_incl(self) -> Decimal:
        return sum((line.total_incl for line in self.lines), Decimal(0))


@dataclass
class ProductSale:
    """A product_sale row: units sold, number of orders, last sale."""

    quantity: int
    count: int
    last: datetime.datetime


@dataclass
class OrderBook:
    """Running state of the order generator (numbers, stock effects, sales)."""

    next_invoice: int = 1
    next_delivery: int = 1
    next_payment: int = 1
    next_detail: int = 1
    next_history: int = 1
    next_mvt: int = 1
    references: set[str] = field(default_factory=set)
    restocked: Counter[tuple[int, int]] = field(default_factory=Counter)
    sold: Counter[tuple[int, int]] = field(default_factory=Counter)  # quantity taken
    reserved: Counter[tuple[int, int]] = field(default_factory=Counter)
    sales: dict[int, ProductSale] = field(default_factory=dict)


def add_orders(
    ctx: Context,
    catalog: Catalog,
    customers: list[Customer],
    count: int,
    flush: Callable[[int], None],
) -> OrderBook:
    """``count`` orders over the last 365 days, oldest first; ``flush(done)`` every batch."""
    book = OrderBook()
    days = sorted((ctx.rng.uniform(0.05, 365) for _ in range(count)), reverse=True)
    for id_order, days_ago in enumerate(days, start=1):
        date = _opening_hours(ctx, days_ago)
        sale = _new_sale(ctx, catalog, book, customers, id_order=id_order, date=date)
        _write_sale(ctx, catalog, book, sale)
        if id_order % 2000 == 0 or id_order == count:
            flush(id_order)
    _add_product_sales(ctx, book)
    return book


def _opening_hours(ctx: Context, days_ago: float) -> datetime.datetime:
    day = (ctx.now - datetime.timedelta(days=days_ago)).replace(hour=0, minute=0, second=0)
    moment = day + datetime.timedelta(seconds=ctx.rng.randint(9 * 3600, 21 * 3600))
    return min(moment, ctx.now - datetime.timedelta(minutes=5)).replace(microsecond=0)


def _new_sale(
    ctx: Context,
    catalog: Catalog,
    book: OrderBook,
    customers: list[Customer],
    *,
    id_order: int,
    date: datetime.datetime,
) -> Sale:
    rng = ctx.rng
    walk_in = len(customers) == 1 or rng.random() < WALK_IN_SHARE
    customer = customers[0] if walk_in else rng.choice(customers[1:])
    path, payment, module = _pos_path(ctx) if walk_in else _web_path(ctx)
    cashiers = [e.id for e in DEMO_EMPLOYEES if e.profile == CASHIER_PROFILE]
    sale = Sale(
        id=id_order, date=date, customer=customer, walk_in=walk_in, path=path,
        dates=_state_dates(ctx, date, len(path)), payment=payment, module=module,
        employee=rng.choice(cashiers) if walk_in else 0, reference=_reference(ctx, book),
        lines=_pick_lines(ctx, catalog, book),
    )  # fmt: skip
    if sale.reached("invoice"):
        sale.invoice = book.next_invoice
        book.next_invoice += 1
    return sale


def _pos_path(ctx: Context) -> tuple[list[int], str, str]:
    return [5], ctx.rng.choice(("Efectivo", "Efectivo", "Tarjeta")), POS_MODULE


def _web_path(ctx: Context) -> tuple[list[int], str, str]:
    rng = ctx.rng
    label, module, awaiting, _ = rng.choices(WEB_PAYMENTS, [p[3] for p in WEB_PAYMENTS])[0]
    final = rng.choices([s for s, _ in WEB_FINAL_STATES], [n for _, n in WEB_FINAL_STATES])[0]
    paths = {5: [2, 4, 5], 4: [2, 4], 3: [2, 3], 2: [2], 6: [6], 0: []}
    return [awaiting, *paths[final]], label, module


def _state_dates(ctx: Context, start: datetime.datetime, count: int) -> list[datetime.datetime]:
    dates, moment = [start], start
    for _ in range(count - 1):
        moment = min(moment + datetime.timedelta(hours=ctx.rng.uniform(2, 60)), ctx.now)
        dates.append(moment.replace(microsecond=0))
    return dates


def _reference(ctx: Context, book: OrderBook) -> str:
    while True:
        reference = "".join(ctx.rng.choices(string.ascii_uppercase, k=9))
        if reference not in book.references:
            book.references.add(reference)
            return reference


def _pick_lines(ctx: Context, catalog: Catalog, book: OrderBook) -> list[Line]:
    rng, lines, keys = ctx.rng, [], set()
    for _ in range(rng.choices((1, 2, 3, 4), (45, 30, 15, 10))[0]):
        product = rng.choice(catalog.products)
        combination = rng.choice(product.combinations) if product.combinations else None
        key = (product.id, combination.id if combination else 0)
        if key in keys:
            continue
        keys.add(key)
        quantity = rng.choices((1, 2, 3), (70, 20, 10))[0]
        _ensure_stock(catalog, book, key, quantity)
        lines.append(_priced_line(product, combination, quantity))
    return lines


def _ensure_stock(catalog: Catalog, book: OrderBook, key: tuple[int, int], quantity: int) -> None:
    """A sold-out product gets a supplier delivery first: stock never goes negative."""
    available = catalog.stock[key] + book.restocked[key] - book.sold[key]
    if available < quantity:
        book.restocked[key] += RESTOCK


def _priced_line(product: Product, combination: Combination | None, quantity: int) -> Line:
    rate = Decimal(w.TAX_RATES[product.tax_group])
    unit = product.price + (combination.impact if combination else Decimal(0))
    with_tax = unit * (100 + rate) / 100
    return Line(
        product, combination, quantity, rate, price6(unit), price6(with_tax),
        money(unit * quantity), money(with_tax * quantity),
    )  # fmt: skip


def _write_sale(ctx: Context, catalog: Catalog, book: OrderBook, sale: Sale) -> None:
    order = _order_row(sale)
    _add_cart(ctx, sale)
    _add_details(ctx, book, sale)
    _add_history(ctx, book, sale)
    _add_invoice(ctx, book, sale, order)
    _add_payments(ctx, book, sale, order)
    _apply_stock(ctx, catalog, book, sale)
    ctx.sink.add("orders", order)
    weight = sum((line.product.weight * line.quantity for line in sale.lines), Decimal(0))
    ctx.sink.add(
        "order_carrier",
        dict(id_order_carrier=sale.id, id_order=sale.id, id_carrier=1,
             id_order_invoice=sale.invoice, weight=weight, shipping_cost_tax_excl=0,
             shipping_cost_tax_incl=0, tracking_number="", date_add=sale.date),
    )  # fmt: skip


def _order_row(sale: Sale) -> Row:
    excl, incl, final = sale.total_excl, sale.total_incl, sale.final
    customer = sale.customer
    return dict(
        id_order=sale.id, reference=sale.reference, id_shop_group=1, id_shop=1, id_carrier=1,
        id_lang=1, id_customer=customer.id, id_cart=sale.id, id_currency=1,
        id_address_delivery=customer.id_address, id_address_invoice=customer.id_address,
        current_state=final.id, secure_key=customer.secure_key, payment=sale.payment,
        conversion_rate=1, module=sale.module, recyclable=0, gift=0, gift_message="",
        mobile_theme=0, total_discounts=0, total_discounts_tax_incl=0,
        total_discounts_tax_excl=0, total_paid=incl, total_paid_tax_incl=incl,
        total_paid_tax_excl=excl, total_paid_real=incl if sale.reached("paid") else 0,
        total_products=excl, total_products_wt=incl, total_shipping=0,
        total_shipping_tax_incl=0, total_shipping_tax_excl=0, carrier_tax_rate=0,
        total_wrapping=0, total_wrapping_tax_incl=0, total_wrapping_tax_excl=0, round_mode=2,
        round_type=2, invoice_number=0, delivery_number=0, invoice_date=ZERO_DATETIME,
        delivery_date=ZERO_DATETIME, valid=final.logable, date_add=sale.date,
        date_upd=sale.dates[-1], note="", shipping_number="",
    )  # fmt: skip


def _add_cart(ctx: Context, sale: Sale) -> None:
    customer, opened = sale.customer, sale.date - datetime.timedelta(minutes=4)
    ctx.sink.add(
        "cart",
        dict(id_cart=sale.id, id_shop_group=1, id_shop=1, id_carrier=1,
             delivery_option=f'{{"{customer.id_address}":"1,"}}', id_lang=1,
             id_address_delivery=customer.id_address, id_address_invoice=customer.id_address,
             id_currency=1, id_customer=customer.id, id_guest=0,
             secure_key=customer.secure_key, recyclable=0, gift=0, gift_message="",
             mobile_theme=0, allow_seperated_package=0, date_add=opened, date_upd=sale.date,
             checkout_session_data=None),
    )  # fmt: skip
    for line in sale.lines:
        ctx.sink.add(
            "cart_product",
            dict(id_cart=sale.id, id_product=line.key[0], id_address_delivery=customer.id_address,
                 id_shop=1, id_product_attribute=line.key[1], id_customization=0,
                 quantity=line.quantity, date_add=opened),
        )  # fmt: skip


def _add_details(ctx: Context, book: OrderBook, sale: Sale) -> None:
    for line in sale.lines:
        id_detail = book.next_detail
        book.next_detail += 1
        ctx.sink.add("order_detail", _detail_row(sale, line, id_detail))
        ctx.sink.add(
            "order_detail_tax",
            dict(id_order_detail=id_detail, id_tax=w.TAX_IDS[line.product.tax_group],
                 unit_amount=line.unit_incl - line.unit_excl,
                 total_amount=line.total_incl - line.total_excl),
        )  # fmt: skip


def _detail_row(sale: Sale, line: Line, id_detail: int) -> Row:
    product, combination = line.product, line.combination
    return dict(
        id_order_detail=id_detail, id_order=sale.id, id_order_invoice=sale.invoice,
        id_warehouse=0, id_shop=1, product_id=product.id, product_attribute_id=line.key[1],
        id_customization=0,
        product_name=product.name + (combination.suffix if combination else ""),
        product_quantity=line.quantity, product_quantity_in_stock=line.quantity,
        product_quantity_refunded=0, product_quantity_return=0, product_quantity_reinjected=0,
        product_price=line.unit_excl, reduction_percent=0, reduction_amount=0,
        reduction_amount_tax_incl=0, reduction_amount_tax_excl=0, group_reduction=0,
        product_quantity_discount=0,
        product_ean13=combination.ean13 if combination else product.ean13, product_isbn=None,
        product_upc=None, product_mpn=None,
        product_reference=combination.reference if combination else product.reference,
        product_supplier_reference=None, product_weight=product.weight,
        id_tax_rules_group=product.tax_group, tax_computation_method=0,
        tax_name=w.TAX_NAMES[w.TAX_IDS[product.tax_group]][:16], tax_rate=line.rate,
        ecotax=0, ecotax_tax_rate=0, discount_quantity_applied=0, download_hash="",
        download_nb=0, download_deadline=ZERO_DATETIME, total_price_tax_incl=line.total_incl,
        total_price_tax_excl=line.total_excl, unit_price_tax_incl=line.unit_incl,
        unit_price_tax_excl=line.unit_excl, total_shipping_price_tax_incl=0,
        total_shipping_price_tax_excl=0, purchase_supplier_price=product.wholesale,
        original_product_price=line.unit_excl, original_wholesale_price=product.wholesale,
        total_refunded_tax_excl=0, total_refunded_tax_incl=0,
    )  # fmt: skip


def _add_history(ctx: Context, book: OrderBook, sale: Sale) -> None:
    for position, (state, date) in enumerate(zip(sale.path, sale.dates, strict=True)):
        employee = sale.employee if sale.walk_in else (1 if position else 0)
        ctx.sink.add(
            "order_history",
            dict(id_order_history=book.next_history, id_employee=employee, id_order=sale.id,
                 id_order_state=state, date_add=date),
        )  # fmt: skip
        book.next_history += 1


def _add_invoice(ctx: Context, book: OrderBook, sale: Sale, order: Row) -> None:
    invoiced, delivered = sale.reached("invoice"), sale.reached("delivery")
    if not invoiced:
        return
    delivery_number = 0
    if delivered:
        delivery_number = book.next_delivery
        book.next_delivery += 1
        order.update(delivery_number=delivery_number, delivery_date=delivered)
    order.update(invoice_number=sale.invoice, invoice_date=invoiced)
    excl, incl = sale.total_excl, sale.total_incl
    ctx.sink.add(
        "order_invoice",
        dict(id_order_invoice=sale.invoice, id_order=sale.id, number=sale.invoice,
             delivery_number=delivery_number, delivery_date=delivered or ZERO_DATETIME,
             total_discount_tax_excl=0, total_discount_tax_incl=0, total_paid_tax_excl=excl,
             total_paid_tax_incl=incl, total_products=excl, total_products_wt=incl,
             total_shipping_tax_excl=0, total_shipping_tax_incl=0,
             shipping_tax_computation_method=0, total_wrapping_tax_excl=0,
             total_wrapping_tax_incl=0, shop_address=SHOP_ADDRESS_TEXT, note="",
             date_add=invoiced),
    )  # fmt: skip


def _add_payments(ctx: Context, book: OrderBook, sale: Sale, order: Row) -> None:
    paid = sale.reached("paid")
    if not paid:
        return
    total = sale.total_incl
    amounts = [(sale.payment, total)]
    if sale.walk_in and total > 20 and ctx.rng.random() < 0.1:  # split tender
        cash = money(total * Decimal(ctx.rng.randint(20, 80)) / 100)
        amounts = [("Efectivo", cash), ("Tarjeta", total - cash)]
    for method, amount in amounts:
        ctx.sink.add(
            "order_payment",
            dict(id_order_payment=book.next_payment, order_reference=sale.reference,
                 id_currency=1, amount=amount, payment_method=method, conversion_rate=1,
                 transaction_id="", card_number=None, card_brand=None, card_expiration=None,
                 card_holder=None, date_add=paid, id_employee=sale.employee or None),
        )  # fmt: skip
        if sale.invoice:
            ctx.sink.add(
                "order_invoice_payment",
                dict(id_order_invoice=sale.invoice, id_order_payment=book.next_payment,
                     id_order=sale.id),
            )  # fmt: skip
        book.next_payment += 1


def _apply_stock(ctx: Context, catalog: Catalog, book: OrderBook, sale: Sale) -> None:
    """Quantity taken unless canceled; reserved until shipped; a movement once shipped."""
    final, shipped = sale.final, sale.reached("shipped")
    if final.id == 6:
        return
    for line in sale.lines:
        book.sold[line.key] += line.quantity
        if not final.shipped:
            book.reserved[line.key] += line.quantity
        if shipped:
            _add_stock_movement(ctx, catalog, book, sale, line=line, date=shipped)
        if final.logable:
            stats = book.sales.setdefault(line.product.id, ProductSale(0, 0, sale.date))
            stats.quantity += line.quantity
            stats.count += 1
            stats.last = sale.date


def _add_stock_movement(
    ctx: Context,
    catalog: Catalog,
    book: OrderBook,
    sale: Sale,
    *,
    line: Line,
    date: datetime.datetime,
) -> None:
    employee = next((e for e in DEMO_EMPLOYEES if e.id == sale.employee), None)
    reason = 1 if ctx.is_9 else 3  # PS_STOCK_CUSTOMER_ORDER_REASON
    ctx.sink.add(
        "stock_mvt",
        dict(id_stock_mvt=book.next_mvt, id_stock=catalog.stock_ids[line.key],
             id_order=sale.id, id_supply_order=0, id_stock_mvt_reason=reason,
             id_employee=sale.employee, employee_lastname=employee.lastname if employee else "",
             employee_firstname=employee.firstname if employee else "",
             physical_quantity=line.quantity, date_add=date, sign=-1, price_te=0, last_wa=0,
             current_wa=0, referer=None),
    )  # fmt: skip
    book.next_mvt += 1


def _add_product_sales(ctx: Context, book: OrderBook) -> None:
    for id_product in sorted(book.sales):
        stats = book.sales[id_product]
        ctx.sink.add(
            "product_sale",
            dict(id_product=id_product, quantity=stats.quantity, sale_nbr=stats.count,
                 date_upd=stats.last.date()),
        )  # fmt: skip


def update_stock(conn: Connection, ctx: Context, catalog: Catalog, book: OrderBook) -> int:
    """Write the stock effects of the orders: combination rows, then their parents' sums."""
    changed: dict[tuple[int, int], tuple[int, int]] = {}
    for key in set(book.sold) | set(book.restocked):
        quantity = catalog.stock[key] + book.restocked[key] - book.sold[key]
        changed[key] = (quantity, book.reserved[key])
    parents = {id_product: [0, 0] for id_product, id_pa in changed if id_pa}
    for id_product, sums in parents.items():
        product = catalog.products[id_product - 1]
        for combination in product.combinations:
            quantity, reserved = changed.get(
                (id_product, combination.id), (catalog.stock[(id_product, combination.id)], 0)
            )
            sums[0] += quantity
            sums[1] += reserved
        changed[(id_product, 0)] = (sums[0], sums[1])
    return _write_stock(conn, ctx, catalog, changed)


def _write_stock(
    conn: Connection,
    ctx: Context,
    catalog: Catalog,
    changed: dict[tuple[int, int], tuple[int, int]],
) -> int:
    table = ctx.sink.metadata.tables[ctx.sink.prefix + "stock_available"]
    statement = (
        update(table)
        .where(table.c.id_stock_available == bindparam("b_id"))
        .values(
            quantity=bindparam("b_quantity"),
            reserved_quantity=bindparam("b_reserved"),
            physical_quantity=bindparam("b_physical"),
        )
    )
    rows = [
        {"b_id": catalog.stock_ids[key], "b_quantity": quantity, "b_reserved": reserved,
         "b_physical": quantity + reserved}
        for key, (quantity, reserved) in sorted(changed.items())
    ]  # fmt: skip
    if rows:
        conn.execute(statement, rows)
    return len(rows)
