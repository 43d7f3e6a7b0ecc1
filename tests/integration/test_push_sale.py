"""Pushing a till sale: the rows PrestaShop would write, column by column (FACTS.md §16),
on MariaDB with the 1.7.8, 8.0 and 9.0 schemas and on SQLite."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal as D
from typing import Any

import pytest
from sqlalchemy import Engine

from app.sync.push import (
    PushRefused,
    PushStatus,
    RoundTripCounter,
    make_push_engine,
    prepare_shop,
    push_ticket,
)
from app.till.records import TicketCustomer
from connectors.prestashop.shop import ShopInfo, open_shop
from tests.support.push_tickets import (
    POLO_NAME,
    WHEN,
    fetch,
    sale_ticket,
    scalar,
    small_ticket,
    stock_of,
)
from tests.support.shop_db import ShopDb

WHEN_TEXT = "2025-03-14 11:22:33"


@pytest.fixture
def pushing(demo_shop_db: ShopDb) -> Iterator[tuple[Engine, ShopInfo]]:
    engine = make_push_engine(demo_shop_db.url)
    shop = open_shop(engine, "ps_", 1, "es")
    prepare_shop(engine, shop)
    yield engine, shop
    engine.dispose()


def norm(value: Any) -> Any:
    """Compare values read from MariaDB (Decimal, datetime) and SQLite (float, text) alike."""
    if isinstance(value, float | D) and not isinstance(value, bool):
        return D(str(value)).normalize()
    if hasattr(value, "strftime"):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, bool):
        return int(value)
    return value


def assert_row(actual: dict[str, Any], expected: dict[str, Any], table: str) -> None:
    wrong = {
        column: (actual.get(column), want)
        for column, want in expected.items()
        if norm(actual.get(column)) != norm(want)
    }
    assert not wrong, f"{table}: column (written, expected): {wrong}"


def test_a_sale_writes_what_prestashop_writes(pushing: tuple[Engine, ShopInfo]) -> None:
    engine, shop = pushing
    ticket = sale_ticket()
    before = {k: stock_of(engine, *k) for k in [(1, 0), (4, 0), (3, 4), (3, 0), (2, 0)]}
    next_invoice = (scalar(engine, "SELECT MAX(number) FROM {p}order_invoice") or 0) + 1
    next_delivery = (scalar(engine, "SELECT MAX(delivery_number) FROM {p}order_invoice") or 0) + 1
    sold_before = {r["id_product"]: r for r in fetch(engine, "SELECT * FROM {p}product_sale")}

    result = push_ticket(engine, shop, ticket)

    assert result.status is PushStatus.PUSHED
    id_order, ref = result.id_order, result.reference
    assert len(ref) == 9 and ref.isalpha() and ref.isupper()
    assert result.invoice_number == next_invoice
    order = fetch(engine, "SELECT * FROM {p}orders WHERE id_order = :o", o=id_order)[0]
    walk_in = fetch(engine, "SELECT * FROM {p}customer WHERE id_customer = 1")[0]
    assert_row(order, dict(
        reference=ref, id_shop_group=1, id_shop=1, id_carrier=1, id_lang=1, id_customer=1,
        id_currency=1, id_address_delivery=1, id_address_invoice=1, current_state=5,
        secure_key=walk_in["secure_key"], payment="Efectivo + Tarjeta", conversion_rate=1,
        module="mostrador", recyclable=0, gift=0, mobile_theme=0, total_discounts=0,
        total_discounts_tax_incl=0, total_discounts_tax_excl=0, total_paid=D("210.32"),
        total_paid_tax_incl=D("210.32"), total_paid_tax_excl=D("177.53"),
        total_paid_real=D("210.32"), total_products=D("177.53"),
        total_products_wt=D("210.32"), total_shipping=0, total_shipping_tax_incl=0,
        total_shipping_tax_excl=0, carrier_tax_rate=0, total_wrapping=0, round_mode=2,
        round_type=2, invoice_number=next_invoice, invoice_date=WHEN_TEXT,
        delivery_number=next_delivery, delivery_date=WHEN_TEXT, valid=1, date_add=WHEN_TEXT,
        date_upd=WHEN_TEXT,
    ), "orders")  # fmt: skip

    cart = fetch(engine, "SELECT * FROM {p}cart WHERE id_cart = :c", c=order["id_cart"])[0]
    assert_row(cart, dict(
        id_shop_group=1, id_shop=1, id_carrier=1, delivery_option='{"1":"1,"}', id_lang=1,
        id_address_delivery=1, id_address_invoice=1, id_currency=1, id_customer=1,
        id_guest=0, secure_key=walk_in["secure_key"], recyclable=0, gift=0, mobile_theme=0,
        allow_seperated_package=0, date_add=WHEN_TEXT, date_upd=WHEN_TEXT,
    ), "cart")  # fmt: skip
    cart_rows = fetch(engine, "SELECT * FROM {p}cart_product WHERE id_cart = :c "
                      "ORDER BY id_product, id_product_attribute", c=order["id_cart"])  # fmt: skip
    assert [(r["id_product"], r["id_product_attribute"], r["quantity"], r["id_shop"],
             r["id_address_delivery"], r["id_customization"]) for r in cart_rows] == [
        (1, 0, 2, 1, 1, 0), (2, 0, 1, 1, 1, 0), (3, 4, 1, 1, 1, 0), (4, 0, 3, 1, 1, 0)
    ]  # fmt: skip

    invoice = fetch(engine, "SELECT * FROM {p}order_invoice WHERE id_order = :o", o=id_order)
    assert len(invoice) == 1
    assert_row(invoice[0], dict(
        number=next_invoice, delivery_number=next_delivery, delivery_date=WHEN_TEXT,
        total_discount_tax_excl=0, total_discount_tax_incl=0,
        total_paid_tax_excl=D("177.53"), total_paid_tax_incl=D("210.32"),
        total_products=D("177.53"), total_products_wt=D("210.32"), total_shipping_tax_excl=0,
        total_shipping_tax_incl=0, shipping_tax_computation_method=0,
        total_wrapping_tax_excl=0, total_wrapping_tax_incl=0, note="", date_add=WHEN_TEXT,
        shop_address="Mostrador Demo<br />Calle Mayor, 12<br />28013 Madrid<br />España"
                     "<br />+34 910 000 000",
    ), "order_invoice")  # fmt: skip
    id_invoice = invoice[0]["id_order_invoice"]

    details = fetch(engine, "SELECT * FROM {p}order_detail WHERE id_order = :o "
                    "ORDER BY id_order_detail", o=id_order)  # fmt: skip
    common = dict(id_order_invoice=id_invoice, id_warehouse=0, id_shop=1, id_customization=0,
                  product_quantity_refunded=0, product_quantity_return=0,
                  product_quantity_reinjected=0, group_reduction=0, product_quantity_discount=0,
                  tax_computation_method=0, ecotax=0, ecotax_tax_rate=0,
                  discount_quantity_applied=0, total_shipping_price_tax_incl=0,
                  total_shipping_price_tax_excl=0, total_refunded_tax_excl=0,
                  total_refunded_tax_incl=0, reduction_percent=0, reduction_amount=0)  # fmt: skip
    expected_details = [
        dict(product_id=1, product_attribute_id=0, product_name="Vela aromática nórdica Lucero",
             product_quantity=2, product_quantity_in_stock=2, product_price=D("46.280992"),
             unit_price_tax_excl=D("46.280992"), unit_price_tax_incl=D("56"),
             total_price_tax_excl=D("92.56"), total_price_tax_incl=D("112"),
             original_product_price=D("46.280992"), product_reference="HOG-000001",
             product_ean13="2000000000015", product_weight=D("0.3"), id_tax_rules_group=1,
             tax_name="IVA ES 21%", tax_rate=21, purchase_supplier_price=D("17.12"),
             original_wholesale_price=D("17.12")),
        dict(product_id=4, product_attribute_id=0,
             product_name="Mermelada gran reserva Tramontana", product_quantity=3,
             product_quantity_in_stock=3, product_price=D("13.627273"),
             unit_price_tax_incl=D("14.99"), total_price_tax_excl=D("40.88"),
             total_price_tax_incl=D("44.97"), product_ean13=None, product_weight=D("0.3"),
             id_tax_rules_group=2, tax_name="IVA ES 10%", tax_rate=10),
        dict(product_id=3, product_attribute_id=4, product_name=POLO_NAME, product_quantity=1,
             product_quantity_in_stock=1, product_price=D("24.752067"),
             unit_price_tax_incl=D("29.950001"), total_price_tax_excl=D("24.75"),
             total_price_tax_incl=D("29.95"), original_product_price=D("24.752067"),
             product_reference="CAM-000003-XL-AZU", product_weight=D("0.8"),
             purchase_supplier_price=D("11.55")),
        dict(product_id=2, product_attribute_id=0, product_quantity=1,
             product_price=D("19.34"), unit_price_tax_excl=D("19.34"),
             unit_price_tax_incl=D("23.4"), total_price_tax_excl=D("19.34"),
             total_price_tax_incl=D("23.4"), original_product_price=D("21.487603"),
             product_weight=D("1.3")),
    ]  # fmt: skip
    assert len(details) == 4
    for detail, expected in zip(details, expected_details, strict=True):
        assert_row(detail, common | expected, "order_detail")
    assert [norm(d["download_deadline"]) in (None, "0000-00-00 00:00:00") for d in details]

    taxes = fetch(engine, "SELECT t.* FROM {p}order_detail_tax t JOIN {p}order_detail d "
                  "USING (id_order_detail) WHERE d.id_order = :o ORDER BY id_order_detail",
                  o=id_order)  # fmt: skip
    assert [(t["id_order_detail"], t["id_tax"], norm(t["unit_amount"]), norm(t["total_amount"]))
            for t in taxes] == [
        (details[0]["id_order_detail"], 1, norm(D("9.719008")), norm(D("19.44"))),
        (details[1]["id_order_detail"], 2, norm(D("1.362727")), norm(D("4.09"))),
        (details[2]["id_order_detail"], 1, norm(D("5.197934")), norm(D("5.2"))),
        (details[3]["id_order_detail"], 1, norm(D("4.06")), norm(D("4.06"))),
    ]  # fmt: skip

    history = fetch(engine, "SELECT * FROM {p}order_history WHERE id_order = :o", o=id_order)
    assert [(h["id_order_state"], h["id_employee"], norm(h["date_add"])) for h in history] == [
        (5, 2, WHEN_TEXT)
    ]
    payments = fetch(engine, "SELECT * FROM {p}order_payment WHERE order_reference = :r "
                     "ORDER BY id_order_payment", r=ref)  # fmt: skip
    assert len(payments) == 2
    for payment, (label, amount) in zip(payments, [("Efectivo", "110.32"), ("Tarjeta", "100")],
                                        strict=True):  # fmt: skip
        expected = dict(id_currency=1, amount=D(amount), payment_method=label,
                        conversion_rate=1, transaction_id=None, card_number=None,
                        date_add=WHEN_TEXT)  # fmt: skip
        if shop.models.has("order_payment", "id_employee"):
            expected["id_employee"] = 2
        assert_row(payment, expected, "order_payment")
    links = fetch(engine, "SELECT * FROM {p}order_invoice_payment WHERE id_order = :o "
                  "ORDER BY id_order_payment", o=id_order)  # fmt: skip
    assert [(x["id_order_invoice"], x["id_order_payment"]) for x in links] == [
        (id_invoice, p["id_order_payment"]) for p in payments
    ]
    carrier = fetch(engine, "SELECT * FROM {p}order_carrier WHERE id_order = :o", o=id_order)
    assert len(carrier) == 1
    assert_row(carrier[0], dict(id_carrier=1, id_order_invoice=id_invoice, weight=D("3.6"),
                                shipping_cost_tax_excl=0, shipping_cost_tax_incl=0,
                                date_add=WHEN_TEXT), "order_carrier")  # fmt: skip

    # Stock: relative decrement of quantity and physical (delivered: nothing reserved), the
    # parent row of the combination too; one stock_mvt per line.
    sold = {(1, 0): 2, (4, 0): 3, (3, 4): 1, (3, 0): 1, (2, 0): 1}
    for key, (quantity, physical, reserved) in before.items():
        assert stock_of(engine, *key) == (quantity - sold[key], physical - sold[key], reserved)
    reason = int(scalar(engine, "SELECT value FROM {p}configuration "
                        "WHERE name = 'PS_STOCK_CUSTOMER_ORDER_REASON'"))  # fmt: skip
    moves = fetch(engine, "SELECT m.*, s.id_product, s.id_product_attribute FROM {p}stock_mvt m "
                  "JOIN {p}stock_available s ON s.id_stock_available = m.id_stock "
                  "WHERE m.id_order = :o ORDER BY m.id_stock_mvt", o=id_order)  # fmt: skip
    assert [(m["id_product"], m["id_product_attribute"], m["physical_quantity"], m["sign"],
             m["id_stock_mvt_reason"], m["id_employee"], m["employee_firstname"],
             m["employee_lastname"], norm(m["date_add"])) for m in moves] == [
        (1, 0, 2, -1, reason, 2, "Lucía", "Martín", WHEN_TEXT),
        (4, 0, 3, -1, reason, 2, "Lucía", "Martín", WHEN_TEXT),
        (3, 4, 1, -1, reason, 2, "Lucía", "Martín", WHEN_TEXT),
        (2, 0, 1, -1, reason, 2, "Lucía", "Martín", WHEN_TEXT),
    ]  # fmt: skip

    sales = {r["id_product"]: r for r in fetch(engine, "SELECT * FROM {p}product_sale")}
    for product, quantity in {1: 2, 4: 3, 3: 1, 2: 1}.items():
        old = sold_before.get(product, {"quantity": 0, "sale_nbr": 0})
        assert sales[product]["quantity"] == old["quantity"] + quantity
        assert sales[product]["sale_nbr"] == old["sale_nbr"] + 1
        assert norm(sales[product]["date_upd"])[:10] == WHEN.date().isoformat()

    claim = fetch(engine, "SELECT * FROM {p}mostrador_sale WHERE uuid = :u", u=ticket.uuid)[0]
    assert_row(claim, dict(ticket_number=ticket.number, till="T1", kind="sale", id_shop=1,
                           id_order=id_order, reference=ref, invoice_number=next_invoice,
                           ticket_date=WHEN_TEXT), "mostrador_sale")  # fmt: skip


def test_pushing_twice_makes_one_order(pushing: tuple[Engine, ShopInfo]) -> None:
    engine, shop = pushing
    ticket = small_ticket("T1-2025-000002", quantity=2)
    before = stock_of(engine, 1)
    orders = scalar(engine, "SELECT COUNT(*) FROM {p}orders")
    first = push_ticket(engine, shop, ticket)
    again = push_ticket(engine, shop, ticket)
    assert again.status is PushStatus.ALREADY_PUSHED
    assert (again.id_order, again.reference, again.invoice_number) == (
        first.id_order, first.reference, first.invoice_number
    )  # fmt: skip
    assert scalar(engine, "SELECT COUNT(*) FROM {p}orders") == orders + 1
    assert stock_of(engine, 1)[0] == before[0] - 2


def test_round_trips_of_a_push(pushing: tuple[Engine, ShopInfo], demo_shop_db: ShopDb) -> None:
    engine, shop = pushing
    counter = RoundTripCounter(engine)
    push_ticket(engine, shop, sale_ticket())
    counter.close()
    if demo_shop_db.backend == "mariadb":  # claim + reads, writes, commit (+ pool ping)
        assert (counter.statements, counter.commits) == (2, 1)


def test_a_deleted_product_is_refused_and_nothing_written(
    pushing: tuple[Engine, ShopInfo],
) -> None:
    engine, shop = pushing
    with engine.begin() as conn:
        conn.exec_driver_sql("DELETE FROM ps_product WHERE id_product = 4")
    counts = {t: scalar(engine, f"SELECT COUNT(*) FROM {{p}}{t}") for t in
              ("orders", "cart", "order_detail", "stock_mvt", "mostrador_sale")}  # fmt: skip
    with pytest.raises(PushRefused) as refused:
        push_ticket(engine, shop, sale_ticket("T1-2025-000009"))
    assert "Product 4" in refused.value.reason
    assert "Mermelada gran reserva Tramontana" in refused.value.reason
    assert {t: scalar(engine, f"SELECT COUNT(*) FROM {{p}}{t}") for t in counts} == counts


def test_a_new_customer_is_created_like_prestashop(pushing: tuple[Engine, ShopInfo]) -> None:
    engine, shop = pushing
    person = TicketCustomer(None, "ana.nueva@example.com", "Ana", "Nueva", 3)
    result = push_ticket(engine, shop, small_ticket("T1-2025-000003", customer=person))
    order = fetch(engine, "SELECT * FROM {p}orders WHERE id_order = :o", o=result.id_order)[0]
    customer = fetch(engine, "SELECT * FROM {p}customer WHERE id_customer = :c",
                     c=order["id_customer"])[0]  # fmt: skip
    assert_row(customer, dict(
        id_shop_group=1, id_shop=1, id_gender=0, id_default_group=3, id_lang=1,
        firstname="Ana", lastname="Nueva", email="ana.nueva@example.com", newsletter=0,
        optin=0, secure_key=order["secure_key"], active=1, is_guest=0, deleted=0,
        date_add=WHEN_TEXT, date_upd=WHEN_TEXT, last_passwd_gen="2025-03-14 05:22:33",
    ), "customer")  # fmt: skip
    assert customer["passwd"].startswith("$2")
    assert len(customer["secure_key"]) == 32
    groups = fetch(engine, "SELECT id_group FROM {p}customer_group WHERE id_customer = :c",
                   c=customer["id_customer"])  # fmt: skip
    assert [g["id_group"] for g in groups] == [3]
    address = fetch(engine, "SELECT * FROM {p}address WHERE id_address = :a",
                    a=order["id_address_delivery"])[0]  # fmt: skip
    assert_row(address, dict(
        id_country=shop.id_country, id_customer=customer["id_customer"], alias="Mostrador",
        firstname="Ana", lastname="Nueva", address1="Calle Mayor, 12", postcode="28013",
        city="Madrid", active=1, deleted=0, date_add=WHEN_TEXT,
    ), "address")  # fmt: skip
    cart = fetch(engine, "SELECT * FROM {p}cart WHERE id_cart = :c", c=order["id_cart"])[0]
    assert cart["delivery_option"] == '{"%d":"1,"}' % address["id_address"]
    # The same person again: the customer now exists, no second one.
    again = push_ticket(engine, shop, small_ticket("T1-2025-000004", customer=person))
    second = fetch(engine, "SELECT id_customer FROM {p}orders WHERE id_order = :o",
                   o=again.id_order)[0]  # fmt: skip
    assert second["id_customer"] == customer["id_customer"]


def test_anonymous_walk_in_sales_go_to_one_counter_customer(
    pushing: tuple[Engine, ShopInfo],
) -> None:
    engine, shop = pushing
    nobody = TicketCustomer(None, "", "", "", 1, is_walk_in=True)
    first = push_ticket(engine, shop, small_ticket("T1-2025-000005", customer=nobody))
    second = push_ticket(engine, shop, small_ticket("T1-2025-000006", customer=nobody))
    orders = fetch(
        engine,
        "SELECT id_customer FROM {p}orders WHERE id_order IN (:a, :b)",
        a=first.id_order,
        b=second.id_order,
    )
    assert len({o["id_customer"] for o in orders}) == 1
    customer = fetch(
        engine, "SELECT * FROM {p}customer WHERE id_customer = :c", c=orders[0]["id_customer"]
    )[0]
    assert customer["email"] == "cliente.mostrador@mostrador.invalid"
    assert (customer["firstname"], customer["lastname"]) == ("Cliente", "de mostrador")
    assert customer["is_guest"] == 0
