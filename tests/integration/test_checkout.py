"""Checkout on a real till store file filled by hand: cart → paid → recorded ticket.

``fill_shop`` (used by the returns and command tests too) writes a small Spanish shop into the
catalog cache, the way the catalog pull does: VAT 21 % and 10 %, a two-for-less price, a product
with sizes, an inactive product, the walk-in customer, a customer, a manager and a cashier.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import datetime
from decimal import Decimal as D
from pathlib import Path

import pytest

from app.sale.cart import Cart
from app.sale.checkout import checkout
from app.sale.payment_methods import PaymentPlan, Underpaid
from app.sale.price_inputs import StoreSource, find_customer, find_employee
from app.till.cash_drawer import open_cash_session
from app.till.catalog import find_by_barcode, upsert
from app.till.errors import CashSessionRefused
from app.till.models_catalog import (
    CatalogCombination,
    CatalogCustomer,
    CatalogEmployee,
    CatalogGroup,
    CatalogProduct,
    CatalogSpecificPrice,
    CatalogSyncState,
    CatalogTax,
    CatalogTaxRule,
    CatalogTaxRulesGroup,
)
from app.till.outbox import entries
from app.till.parked import park, recall
from app.till.records import TenderKind, TicketKind
from app.till.store import TillStore, open_store
from app.till.tickets import get_ticket
from connectors.prestashop.shop import open_shop
from tests.support.shop_db import ShopDb

TODAY = datetime.now()


def _product(
    id_product: int, name: str, price: str, ean13: str, **extra: object
) -> dict[str, object]:
    row: dict[str, object] = dict(
        id_product=id_product, name=name, price=D(price), ean13=ean13, reference=f"REF-{id_product}",  # noqa: E501
        upc="", wholesale_price=D("1.000000"), ecotax=D(0), id_tax_rules_group=1,
        id_category_default=2, has_combinations=False, active=True,
    )  # fmt: skip
    row.update(extra)
    return row


def fill_shop(store: TillStore, state: dict[str, str] | None = None) -> None:
    """A small shop in the catalog cache of ``store``."""
    config = {"config.PS_ROUND_TYPE": "2", "till.walk_in_customer": "1", **(state or {})}
    with store.write() as s:
        upsert(s, CatalogSyncState, [{"key": k, "value": v} for k, v in config.items()])
        upsert(
            s,
            CatalogTax,
            [
                dict(id_tax=1, name="IVA ES 21%", rate=D("21.000"), active=True),
                dict(id_tax=2, name="IVA ES 10%", rate=D("10.000"), active=True),
            ],
        )
        upsert(
            s,
            CatalogTaxRulesGroup,
            [
                dict(id_tax_rules_group=g, name=n, active=True, deleted=False)
                for g, n in ((1, "ES 21"), (2, "ES 10"))
            ],
        )
        upsert(
            s,
            CatalogTaxRule,
            [
                dict(
                    id_tax_rule=1,
                    id_tax_rules_group=1,
                    id_country=6,
                    id_state=0,
                    zipcode_from="",
                    zipcode_to="",
                    id_tax=1,
                    behavior=0,
                ),
                dict(
                    id_tax_rule=2,
                    id_tax_rules_group=2,
                    id_country=6,
                    id_state=0,
                    zipcode_from="",
                    zipcode_to="",
                    id_tax=2,
                    behavior=0,
                ),
            ],
        )
        upsert(
            s,
            CatalogProduct,
            [
                _product(1, "Camiseta básica", "10.000000", "8400000000011"),
                _product(2, "Taza", "0.950413", "8400000000028"),
                _product(3, "Pantalón", "20.000000", "8400000000035", has_combinations=True),
                _product(4, "Libro", "9.615385", "8400000000042", id_tax_rules_group=2),
                _product(5, "Gorra antigua", "5.000000", "8400000000059", active=False),
            ],
        )
        upsert(
            s,
            CatalogCombination,
            [
                dict(
                    id_product_attribute=31,
                    id_product=3,
                    reference="PAN-M",
                    ean13="8400000000318",
                    upc="",
                    attributes="Talla: M",
                    price_impact=D("2.000000"),
                    wholesale_price=D("0"),
                    default_on=True,
                )
            ],
        )
        upsert(
            s,
            CatalogSpecificPrice,
            [
                dict(
                    id_specific_price=9,
                    id_specific_price_rule=0,
                    id_product=2,
                    id_product_attribute=0,
                    id_shop=0,
                    id_currency=0,
                    id_country=0,
                    id_group=0,
                    id_customer=0,
                    price=D("-1"),
                    from_quantity=3,
                    reduction=D("0.100000"),
                    reduction_tax=True,
                    reduction_type="percentage",
                    date_from=None,
                    date_to=None,
                )
            ],
        )
        upsert(
            s,
            CatalogGroup,
            [
                dict(id_group=g, name=n, reduction=D(r), price_display_method=0)
                for g, n, r in (
                    (1, "Visitante", "0"),
                    (2, "Invitado", "0"),
                    (3, "Cliente", "0"),
                    (4, "Profesional", "5"),
                )
            ],
        )
        upsert(
            s,
            CatalogCustomer,
            [
                dict(
                    id_customer=1,
                    email="mostrador@example.com",
                    firstname="Cliente",
                    lastname="de mostrador",
                    company="",
                    id_default_group=3,
                    active=True,
                    deleted=False,
                    date_upd=None,
                ),
                dict(
                    id_customer=2,
                    email="ana.pro@example.com",
                    firstname="Ana",
                    lastname="Profesional",
                    company="",
                    id_default_group=4,
                    active=True,
                    deleted=False,
                    date_upd=None,
                ),
            ],
        )
        upsert(s, CatalogEmployee, [
            dict(id_employee=1, firstname="Marta", lastname="Jefa", email="m@example.com",
                 id_profile=1, id_lang=1, active=True),
            dict(id_employee=2, firstname="Luis", lastname="Cajero", email="l@example.com",
                 id_profile=4, id_lang=1, active=True)])  # fmt: skip


def scan(store: TillStore, code: str):  # noqa: ANN201 - a CatalogItem
    [found] = find_by_barcode(store, code)
    return found


@pytest.fixture
def store(tmp_path: Path) -> Iterator[TillStore]:
    with open_store("T1", tmp_path / "till-T1.sqlite3") as till:
        fill_shop(till)
        open_cash_session(till, D("100.00"), 1)
        yield till


def test_a_paid_cart_is_recorded_as_the_first_ticket_of_the_year(store: TillStore) -> None:
    cart = Cart(StoreSource(store))
    cart.add(scan(store, "8400000000011"), 2)  # 2 × 12,10
    cart.add(scan(store, "8400000000318"))  # Pantalón M: (20 + 2) × 1,21 = 26,62
    cart.add(scan(store, "8400000000042"))  # 9,615385 × 1,10 = 10,58
    assert cart.totals.total_tax_incl == D("61.40")
    plan = PaymentPlan(cart.totals.total_tax_incl)
    plan.add("card", D("11.40"))
    plan.add("cash", D("100.00"))
    ticket = checkout(store, cart, plan, find_employee(store, 2))
    assert ticket.number == f"T1-{TODAY.year}-000001"
    assert get_ticket(store, ticket.number) == ticket
    assert cart.is_empty and ticket.change == D("50.00")
    assert ticket.customer.id_customer == 1 and ticket.customer.is_walk_in
    assert (ticket.id_employee, ticket.employee_name) == (2, "Luis Cajero")
    trousers = ticket.lines[1]
    assert trousers.name == "Pantalón (Talla: M)" and trousers.reference == "PAN-M"
    assert trousers.ean13 == "8400000000318" and trousers.id_product_attribute == 31
    assert trousers.unit_price_tax_excl == D("22.000000")
    assert trousers.unit_price_tax_incl == D("26.620000")
    assert [t.name for t in ticket.lines[2].taxes] == ["IVA ES 10%"]
    assert ticket.lines[2].total_tax_incl == D("10.580000")
    assert (ticket.round_type, ticket.round_mode, ticket.currency_precision) == (2, 2, 2)
    [cash] = [p for p in ticket.payments if p.tender is TenderKind.CASH]
    assert (cash.amount, cash.given, cash.change) == (D("50.00"), D("100.00"), D("50.00"))
    assert [e.ticket_number for e in entries(store)] == [ticket.number]


def test_a_customer_group_reduction_and_a_quantity_price_reach_the_ticket(
    store: TillStore,
) -> None:
    cart = Cart(StoreSource(store))
    cart.set_customer(find_customer(store, "ANA.PRO@example.com"))
    cart.add(scan(store, "8400000000028"), 3)  # from 3 units: −10 %, then group 4: −5 %
    [line] = checkout(store, cart, [_cash_exact(cart)], find_employee(store)).lines
    assert line.id_specific_price == 9 and line.reduction_percent == D("10")
    assert line.group_reduction == D("5")
    assert line.unit_price_tax_incl == D("0.983250")  # 1,15 × 0,9 × 0,95
    assert line.original_unit_price_tax_excl == D("0.902892")


def test_nothing_is_recorded_without_payment_or_an_open_session(tmp_path: Path) -> None:
    with open_store("T1", tmp_path / "till.sqlite3") as till:
        fill_shop(till)
        cart = Cart(StoreSource(till))
        cart.add(scan(till, "8400000000011"))
        with pytest.raises(CashSessionRefused, match="open the till"):
            checkout(till, cart, [_cash_exact(cart)], find_employee(till))
        open_cash_session(till, D("0.00"), 1)
        plan = PaymentPlan(cart.totals.total_tax_incl)
        plan.add("cash", D("10.00"))
        with pytest.raises(Underpaid):
            checkout(till, cart, plan, find_employee(till))
        assert not cart.is_empty and entries(till) == []


def test_a_parked_cart_is_recalled_and_sold_at_the_same_price(store: TillStore) -> None:
    cart = Cart(StoreSource(store))
    cart.add(scan(store, "8400000000028"), 2)
    cart.set_line_discount(cart.lines[0], D("20"), approved_by=1)
    parked = park(store, cart.to_json(), "señora del abrigo", 2)
    back = Cart.from_json(recall(store, parked.id).cart_json, StoreSource(store))
    assert back.to_json() == cart.to_json() and back.totals == cart.totals
    ticket = checkout(store, back, [_cash_exact(back)], find_employee(store))
    assert ticket.kind is TicketKind.SALE and ticket.lines[0].discount_percent == D("20")
    assert ticket.total_tax_incl == D("1.84")  # 2 × 1,15 − 20 %


def _cash_exact(cart: Cart):  # noqa: ANN202 - a TicketPayment
    plan = PaymentPlan(cart.totals.total_tax_incl)
    plan.add("cash", cart.totals.total_tax_incl)
    return plan.payments()[0]


@pytest.mark.parametrize("demo_shop_db", ["sqlite"], indirect=True)
def test_a_sale_on_the_catalog_pulled_from_the_demo_shop(
    demo_shop_db: ShopDb, tmp_path: Path
) -> None:
    from app.sync.catalog_pull import pull_catalog

    engine = demo_shop_db.engine()
    try:
        shop = open_shop(engine, "ps_", 1, "es")
        with open_store("T1", tmp_path / "till.sqlite3") as till:
            pull_catalog(engine, shop, till)
            open_cash_session(till, D("50.00"), 1)
            source = StoreSource(till, walk_in=1)
            assert source.config.address.id_country == shop.id_country
            cart = Cart(source)
            for code in _some_barcodes(till, 3):
                cart.add(scan(till, code), 2)
            ticket = checkout(till, cart, [_cash_exact(cart)], find_employee(till))
    finally:
        engine.dispose()
    assert ticket.number == f"T1-{TODAY.year}-000001" and len(ticket.lines) == 3
    assert ticket.customer.id_customer == 1
    assert all(line.taxes and line.taxes[0].rate in (D(21), D(10), D(4)) for line in ticket.lines)
    assert sum(line.total_tax_incl for line in ticket.lines) == ticket.total_tax_incl


def _some_barcodes(store: TillStore, count: int) -> list[str]:
    """EAN13s of sellable items: combinations, and products without combinations."""
    with sqlite3.connect(store.path) as db:
        rows = db.execute(
            "SELECT c.ean13 FROM catalog_combinations c JOIN catalog_products p USING (id_product) "
            "WHERE p.active AND c.ean13 <> '' UNION ALL SELECT ean13 FROM catalog_products "
            "WHERE active AND NOT has_combinations AND ean13 <> '' ORDER BY 1 LIMIT ?",
            (count,),
        ).fetchall()
    return [code for (code,) in rows]
