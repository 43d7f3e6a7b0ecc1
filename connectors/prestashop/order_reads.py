"""Everything a push must read from the shop, as one batch of selects (FACTS.md §16 step 1).

The selects run in the push's transaction right after the ``mostrador_sale`` row and the
invoice lock, so on a remote shop they share one round trip with them. Stock rows are read
``FOR UPDATE``: the quantity "in stock before the sale" is exact and no other writer changes
them before the relative decrement.
"""

from __future__ import annotations

import random
import string
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from sqlalchemy import String, and_, case, func, select, type_coerce

from app.till.records import Ticket
from connectors.prestashop.configuration import config_query, resolve
from connectors.prestashop.mostrador_tables import INVOICE_LOCK, lock_table
from connectors.prestashop.sale_types import PushOptions
from connectors.prestashop.shop import ShopInfo
from connectors.prestashop.write_batch import AnySelect

Row = Mapping[str, Any]
REFERENCE_CANDIDATES = 4
CONFIG_KEYS = (
    "PS_OS_CANCELED", "PS_OS_ERROR", "PS_STOCK_MANAGEMENT", "PS_STOCK_CUSTOMER_ORDER_REASON",
    "PS_STOCK_CUSTOMER_RETURN_REASON", "PS_INVOICE", "PS_INVOICE_START_NUMBER",
    "PS_INVOICE_RESET", "PS_DELIVERY_NUMBER", "PS_CARRIER_DEFAULT", "PS_CUSTOMER_GROUP",
    "PS_GUEST_GROUP", "PS_PASSWD_TIME_FRONT", "PS_SHOP_NAME", "PS_SHOP_ADDR1", "PS_SHOP_ADDR2",
    "PS_SHOP_CODE", "PS_SHOP_CITY", "PS_SHOP_PHONE", "PS_SHOP_STATE_ID",
)  # fmt: skip


@dataclass(frozen=True)
class StateFlags:
    id_order_state: int
    logable: bool
    invoice: bool
    shipped: bool
    delivery: bool
    paid: bool


@dataclass(frozen=True)
class ItemFacts:
    """Catalog facts of a product or combination a line sells (snapshots for order_detail)."""

    weight: Decimal
    isbn: str | None
    upc: str | None
    mpn: str | None
    supplier_reference: str | None


@dataclass(frozen=True)
class StockRow:
    id_stock_available: int
    quantity: int


@dataclass(frozen=True)
class CustomerFacts:
    id_customer: int
    secure_key: str
    id_address: int  # 0: the customer has no usable address, one is created


@dataclass(frozen=True)
class SaleContext:
    config: Mapping[str, str | None]
    state: StateFlags
    takes_stock: bool  # False for an initial canceled/error state or no stock management
    products: Mapping[int, ItemFacts]
    product_in_shop: frozenset[int]
    combinations: Mapping[int, tuple[int, ItemFacts]]  # id_pa -> (id_product, facts)
    stock: Mapping[tuple[int, int], StockRow]
    customer: CustomerFacts | None  # None: create it
    id_carrier: int  # 0: the shop has no usable default carrier
    conversion_rate: Decimal
    reference: str
    next_invoice: int
    next_delivery: int
    employee: tuple[str, str]  # firstname, lastname
    country_name: str

    def config_int(self, key: str, default: int = 0) -> int:
        return to_int(self.config.get(key), default)


def to_int(value: Any, default: int = 0) -> int:
    try:
        return int(value) if value not in (None, "") else default
    except (TypeError, ValueError):
        return default


def reference_candidates(rng: random.Random | None = None) -> list[str]:
    """Order references to try: 9 random uppercase letters, as PrestaShop makes them."""
    chooser = rng or random.SystemRandom()
    letters = string.ascii_uppercase
    return ["".join(chooser.choices(letters, k=9)) for _ in range(REFERENCE_CANDIDATES)]


# --------------------------------------------------------------------------- selects


def sale_reads(
    shop: ShopInfo, ticket: Ticket, options: PushOptions, references: Sequence[str]
) -> list[AnySelect]:
    """The selects of a sale, in the order :func:`parse_sale_reads` expects."""
    m = shop.models
    lock = lock_table(shop.prefix)
    products = sorted({line.id_product for line in ticket.lines})
    keys = [*CONFIG_KEYS, options.order_state_key]
    year = ticket.created_at.strftime("%Y-01-01 00:00:00")
    oi = m.OrderInvoice
    return [
        select(lock.c.name).where(lock.c.name == INVOICE_LOCK).with_for_update(),
        config_query(m, keys, shop.id_shop, shop.id_shop_group, None),
        select(m.OrderState).where(m.OrderState.deleted == 0),
        _product_select(shop, products),
        _combination_select(shop, ticket),
        stock_select(shop, products),
        *_customer_selects(shop, ticket),
        select(m.Carrier.id_carrier).where(m.Carrier.deleted == 0),
        _currency_select(shop, ticket.id_currency),
        select(m.Orders.reference).where(m.Orders.reference.in_(references)),
        select(
            func.max(oi.number).label("n"),
            func.max(case((type_coerce(oi.date_add, String) >= year, oi.number))).label("ny"),
            func.max(oi.delivery_number).label("d"),
        ),
        select(m.Employee.firstname, m.Employee.lastname).where(
            m.Employee.id_employee == ticket.id_employee
        ),
        select(m.CountryLang.name).where(
            m.CountryLang.id_country == shop.id_country, m.CountryLang.id_lang == ticket.id_lang
        ),
    ]


def _product_select(shop: ShopInfo, products: list[int]) -> AnySelect:
    p, ps = shop.models.Product, shop.models.ProductShop
    joined = and_(ps.id_product == p.id_product, ps.id_shop == shop.id_shop)
    return (
        select(
            p.id_product,
            p.weight,
            p.isbn,
            p.upc,
            p.mpn,
            p.supplier_reference,
            ps.id_product.label("in_shop"),
        )  # fmt: skip
        .outerjoin(ps, joined)
        .where(p.id_product.in_(products))
    )


def _combination_select(shop: ShopInfo, ticket: Ticket) -> AnySelect:
    pa, pas = shop.models.ProductAttribute, shop.models.ProductAttributeShop
    ids = sorted({line.id_product_attribute for line in ticket.lines if line.id_product_attribute})
    joined = and_(pas.id_product_attribute == pa.id_product_attribute, pas.id_shop == shop.id_shop)
    return (
        select(
            pa.id_product_attribute,
            pa.id_product,
            pa.weight,
            pa.isbn,
            pa.upc,
            pa.mpn,
            pa.supplier_reference,
            pas.weight.label("shop_weight"),
        )  # fmt: skip
        .outerjoin(pas, joined)
        .where(pa.id_product_attribute.in_(ids))
    )


def stock_select(shop: ShopInfo, products: list[int]) -> AnySelect:
    sa = shop.models.StockAvailable
    id_shop, id_shop_group = shop.stock_scope
    return (
        select(sa.id_stock_available, sa.id_product, sa.id_product_attribute, sa.quantity)
        .where(sa.id_product.in_(products), sa.id_shop == id_shop)
        .where(sa.id_shop_group == id_shop_group)
        .order_by(sa.id_product, sa.id_product_attribute)
        .with_for_update()
    )


def _customer_selects(shop: ShopInfo, ticket: Ticket) -> list[AnySelect]:
    c, a = shop.models.Customer, shop.models.Address
    if ticket.customer.id_customer is not None:
        which = c.id_customer == ticket.customer.id_customer
    else:  # a customer taken at the till: reuse a registered one with that e-mail
        scope = (
            c.id_shop_group == shop.id_shop_group
            if shop.share_customer
            else c.id_shop == shop.id_shop
        )
        which = and_(c.email == ticket.customer.email, c.is_guest == 0, scope)
    found = select(c.id_customer, c.secure_key).where(which, c.deleted == 0)
    addresses = (
        select(a.id_address, a.id_customer)
        .join(c, c.id_customer == a.id_customer)
        .where(which, c.deleted == 0, a.deleted == 0, a.active == 1)
        .order_by(a.id_address)
    )
    return [found.order_by(c.id_customer), addresses]


def _currency_select(shop: ShopInfo, id_currency: int) -> AnySelect:
    cu, cs = shop.models.Currency, shop.models.CurrencyShop
    joined = and_(cs.id_currency == cu.id_currency, cs.id_shop == shop.id_shop)
    return (
        select(cu.conversion_rate, cs.conversion_rate.label("shop_rate"))
        .outerjoin(cs, joined)
        .where(cu.id_currency == id_currency)
    )


# --------------------------------------------------------------------------- parsing


def parse_sale_reads(
    shop: ShopInfo,
    options: PushOptions,
    references: Sequence[str],
    reads: list[list[Row]],
) -> SaleContext:
    """The :class:`SaleContext` from the rows of :func:`sale_reads` (lock row first)."""
    (_lock, conf, states, prods, combos, stock, custs, addrs, carriers, cur, refs, nums, emp,
     country) = reads  # fmt: skip
    config = resolve_config(conf, shop, [*CONFIG_KEYS, options.order_state_key])
    state = _state(states, options, config)
    used = {r["reference"] for r in refs}
    numbers = nums[0] if nums else {}
    reset = to_int(config.get("PS_INVOICE_RESET")) == 1
    return SaleContext(
        config=config,
        state=state,
        takes_stock=_takes_stock(state, config),
        products={r["id_product"]: _product_facts(r) for r in prods},
        product_in_shop=frozenset(r["id_product"] for r in prods if r["in_shop"]),
        combinations={r["id_product_attribute"]: _combination_facts(r) for r in combos},
        stock={
            (r["id_product"], r["id_product_attribute"]): StockRow(
                r["id_stock_available"], int(r["quantity"])
            )
            for r in stock
        },
        customer=_customer(custs, addrs),
        id_carrier=_carrier(carriers, config),
        conversion_rate=_rate(cur),
        reference=next(r for r in references if r not in used),
        next_invoice=to_int(numbers.get("ny" if reset else "n")) + 1,
        next_delivery=to_int(numbers.get("d")) + 1,
        employee=(emp[0]["firstname"], emp[0]["lastname"]) if emp else ("", ""),
        country_name=country[0]["name"] if country else "",
    )


def resolve_config(rows: list[Row], shop: ShopInfo, keys: list[str]) -> dict[str, str | None]:
    """PrestaShop's precedence (shop, group, global; newest row) as ``get_many`` applies it."""
    return resolve((SimpleNamespace(**row) for row in rows), keys, shop.id_shop, shop.id_shop_group)


def _state(states: list[Row], options: PushOptions, config: Mapping[str, Any]) -> StateFlags:
    wanted = options.id_order_state or to_int(config.get(options.order_state_key))
    for row in states:
        if int(row["id_order_state"]) == wanted:
            return StateFlags(
                wanted, bool(row["logable"]), bool(row["invoice"]), bool(row["shipped"]),
                bool(row["delivery"]), bool(row["paid"]),
            )  # fmt: skip
    return StateFlags(0, False, False, False, False, False)


def _takes_stock(state: StateFlags, config: Mapping[str, Any]) -> bool:
    voided = {to_int(config.get("PS_OS_CANCELED")), to_int(config.get("PS_OS_ERROR"))}
    managed = to_int(config.get("PS_STOCK_MANAGEMENT"), 1) == 1
    return managed and state.id_order_state not in voided


def _product_facts(row: Row) -> ItemFacts:
    return ItemFacts(
        weight=Decimal(str(row["weight"] or 0)),
        isbn=row["isbn"] or None,
        upc=row["upc"] or None,
        mpn=row["mpn"] or None,
        supplier_reference=row["supplier_reference"] or None,
    )


def _combination_facts(row: Row) -> tuple[int, ItemFacts]:
    weight = row["shop_weight"] if row["shop_weight"] is not None else row["weight"]
    facts = ItemFacts(
        weight=Decimal(str(weight or 0)),
        isbn=row["isbn"] or None,
        upc=row["upc"] or None,
        mpn=row["mpn"] or None,
        supplier_reference=row["supplier_reference"] or None,
    )
    return int(row["id_product"]), facts


def _customer(customers: list[Row], addresses: list[Row]) -> CustomerFacts | None:
    if not customers:
        return None
    first = customers[0]
    id_customer = int(first["id_customer"])
    address = next((a for a in addresses if int(a["id_customer"]) == id_customer), None)
    id_address = int(address["id_address"]) if address else 0
    return CustomerFacts(id_customer, str(first["secure_key"]), id_address)


def _carrier(carriers: list[Row], config: Mapping[str, Any]) -> int:
    wanted = to_int(config.get("PS_CARRIER_DEFAULT"))
    return wanted if any(int(r["id_carrier"]) == wanted for r in carriers) else 0


def _rate(rows: list[Row]) -> Decimal:
    if not rows:
        return Decimal("1")
    rate = rows[0]["shop_rate"] if rows[0]["shop_rate"] is not None else rows[0]["conversion_rate"]
    return Decimal(str(rate or 1))
