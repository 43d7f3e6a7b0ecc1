"""ERP orders on the demo shop (1.7.8, 8.0, 9.0 on MariaDB; SQLite): the keyset list with its
filters, and state changes writing the rows PrestaShop's back office writes — history, order,
stock_available, stock_mvt, product_sale, invoice, payment — and refusing a stale edit."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from decimal import Decimal

import pytest
from sqlalchemy import text

from app.connection import ShopTarget, parse_url
from app.erp.context import ErpContext, open_erp
from app.erp.invoices import invoice_pdf
from app.erp.listing import ListQuery, iter_rows
from app.erp.orders import WEB, change_order_state, list_orders, order_details
from app.errors import UserFacingError
from tests.support.shop_db import ShopDb

NOW = datetime(2030, 1, 2, 10, 11, 12)
CANCELED, PAYMENT_ACCEPTED, SHIPPED = 6, 2, 4


@pytest.fixture
def ctx(demo_shop_db: ShopDb) -> Iterator[ErpContext]:
    target = ShopTarget(url=parse_url(demo_shop_db.url), prefix=demo_shop_db.prefix)
    context = open_erp(target, id_employee=1)
    yield context
    context.close()


def _rows(ctx: ErpContext, sql: str, **params: object) -> list[dict[str, object]]:
    with ctx.engine.connect() as conn:
        return [dict(r) for r in conn.execute(text(sql), params).mappings()]


def _one(ctx: ErpContext, sql: str, **params: object) -> dict[str, object]:
    rows = _rows(ctx, sql, **params)
    assert len(rows) == 1, rows
    return rows[0]


def _config(ctx: ErpContext, name: str) -> int:
    return int(
        str(_rows(ctx, "SELECT value FROM ps_configuration WHERE name = :n", n=name)[0]["value"])
    )


def _order_in(ctx: ErpContext, states: tuple[int, ...]) -> dict[str, object]:
    found = _rows(
        ctx,
        "SELECT * FROM ps_orders WHERE current_state IN ("
        + ",".join(str(s) for s in states) + ") ORDER BY id_order DESC",
    )  # fmt: skip
    if not found:
        pytest.skip(f"the demo shop has no order in states {states}")
    return found[0]


def _loaded(ctx: ErpContext, order: dict[str, object]) -> datetime:
    """The order's date_upd as the detail screen loads it."""
    return order_details(ctx, int(str(order["id_order"]))).date_upd


def _stock(ctx: ErpContext, id_order: object) -> dict[tuple[int, int], dict[str, object]]:
    rows = _rows(
        ctx,
        "SELECT sa.* FROM ps_stock_available sa WHERE sa.id_shop = 1 AND sa.id_product IN "
        "(SELECT product_id FROM ps_order_detail WHERE id_order = :o)",
        o=id_order,
    )
    return {(int(str(r["id_product"])), int(str(r["id_product_attribute"]))): r for r in rows}


def _lines(ctx: ErpContext, id_order: object) -> list[dict[str, object]]:
    return _rows(ctx, "SELECT * FROM ps_order_detail WHERE id_order = :o", o=id_order)


# --------------------------------------------------------------------------- list


def test_the_list_walks_every_order_newest_first_without_repeats(ctx: ErpContext) -> None:
    walked = list(iter_rows(list_orders, ctx, ListQuery(), batch=7))
    expected = _rows(ctx, "SELECT id_order FROM ps_orders ORDER BY date_add DESC, id_order DESC")
    assert [r.id_order for r in walked] == [int(str(r["id_order"])) for r in expected]
    first = list_orders(ctx, ListQuery(), None, 5)
    assert len(first.rows) == 5 and first.next_key == (
        first.rows[-1].date_add,
        first.rows[-1].id_order,
    )
    assert all(r.customer and r.reference for r in walked)


def test_filters_by_state_payment_search_and_till(ctx: ErpContext) -> None:
    delivered = list(iter_rows(list_orders, ctx, ListQuery(filters={"id_state": 5})))
    count = _one(ctx, "SELECT COUNT(*) AS n FROM ps_orders WHERE current_state = 5")["n"]
    assert len(delivered) == count and all(r.id_state == 5 for r in delivered)
    cash = list(iter_rows(list_orders, ctx, ListQuery(filters={"payment": "Efectivo"})))
    assert cash and all(r.payment == "Efectivo" for r in cash)
    one = delivered[0]
    assert [r.id_order for r in list_orders(ctx, ListQuery(str(one.id_order)), None, 10).rows] == [
        one.id_order
    ]
    assert (
        list_orders(ctx, ListQuery(one.reference.lower()), None, 10).rows[0].reference
        == one.reference
    )
    with ctx.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO ps_mostrador_sale (uuid, ticket_number, till, kind, id_shop, id_order,"
                " id_order_slip, reference, invoice_number, ticket_date, pushed_at) VALUES "
                "('u-1', 'T9-000001', 'T9', 'sale', 1, :o, 0, '', 0, :d, :d)"
            ),
            {"o": one.id_order, "d": NOW},
        )
    till = list_orders(ctx, ListQuery(filters={"till": "T9"}), None, 50).rows
    assert [(r.id_order, r.till, r.ticket_number) for r in till] == [
        (one.id_order, "T9", "T9-000001")
    ]
    web = list(iter_rows(list_orders, ctx, ListQuery(filters={"till": WEB})))
    assert (
        one.id_order not in {r.id_order for r in web}
        and len(web) == len(list(iter_rows(list_orders, ctx, ListQuery()))) - 1
    )


# --------------------------------------------------------------------------- state changes


def test_cancelling_a_delivered_order_restocks_with_movements(ctx: ErpContext) -> None:
    order = _order_in(ctx, (5,))
    id_order = order["id_order"]
    lines, before = _lines(ctx, id_order), _stock(ctx, id_order)
    sales_before = {r["id_product"]: r for r in _rows(ctx, "SELECT * FROM ps_product_sale")}
    changed = change_order_state(ctx, int(str(id_order)), CANCELED, _loaded(ctx, order), NOW)
    assert changed.state.id_order_state == CANCELED and changed.stock_moves == len(lines)
    after = _one(ctx, "SELECT * FROM ps_orders WHERE id_order = :o", o=id_order)
    assert (after["current_state"], after["valid"]) == (CANCELED, 0)
    assert str(after["date_upd"])[:19] == "2030-01-02 10:11:12"
    history = _rows(
        ctx,
        "SELECT * FROM ps_order_history WHERE id_order = :o ORDER BY id_order_history DESC",
        o=id_order,
    )
    assert (history[0]["id_order_state"], history[0]["id_employee"]) == (CANCELED, 1)
    stock = _stock(ctx, id_order)
    cancel_reason = _config(ctx, "PS_STOCK_CUSTOMER_ORDER_CANCEL_REASON")
    moves = _rows(ctx, "SELECT * FROM ps_stock_mvt WHERE id_order = :o AND sign = 1", o=id_order)
    assert len(moves) == len(lines)
    for line in lines:
        key = (int(str(line["product_id"])), int(str(line["product_attribute_id"])))
        qty = int(str(line["product_quantity"]))
        assert stock[key]["quantity"] == int(str(before[key]["quantity"])) + qty
        if key[1]:
            parent = (key[0], 0)
            assert int(str(stock[parent]["quantity"])) >= int(str(before[parent]["quantity"])) + qty
        move = next(m for m in moves if m["id_stock"] == stock[key]["id_stock_available"])
        assert (move["physical_quantity"], move["id_stock_mvt_reason"], move["id_employee"]) == (
            qty,
            cancel_reason,
            1,
        )
        assert (
            stock[key]["physical_quantity"]
            == stock[key]["quantity"] + stock[key]["reserved_quantity"]
        )
        sale = _one(ctx, "SELECT * FROM ps_product_sale WHERE id_product = :p", p=key[0])
        assert int(str(sale["quantity"])) < int(str(sales_before[key[0]]["quantity"]))


def test_shipping_a_paid_order_writes_history_movement_and_delivery_slip(ctx: ErpContext) -> None:
    order = _order_in(ctx, (PAYMENT_ACCEPTED,))
    id_order, lines = order["id_order"], _lines(ctx, order["id_order"])
    before = _stock(ctx, id_order)
    top = int(str(_one(ctx, "SELECT MAX(delivery_number) AS n FROM ps_order_invoice")["n"] or 0))
    change_order_state(ctx, int(str(id_order)), SHIPPED, _loaded(ctx, order), NOW)
    after = _one(ctx, "SELECT * FROM ps_orders WHERE id_order = :o", o=id_order)
    assert (after["current_state"], after["valid"], after["delivery_number"]) == (
        SHIPPED,
        1,
        top + 1,
    )
    invoice = _one(ctx, "SELECT * FROM ps_order_invoice WHERE id_order = :o", o=id_order)
    assert invoice["delivery_number"] == top + 1
    last = "SELECT id_order_state FROM ps_order_history WHERE id_order = :o ORDER BY "
    history = _rows(ctx, last + "id_order_history DESC", o=id_order)
    assert history[0]["id_order_state"] == SHIPPED
    reason = _config(ctx, "PS_STOCK_CUSTOMER_ORDER_REASON")
    moves = _rows(ctx, "SELECT * FROM ps_stock_mvt WHERE id_order = :o", o=id_order)
    assert sorted(
        (m["sign"], m["id_stock_mvt_reason"], m["physical_quantity"]) for m in moves
    ) == sorted((-1, reason, line["product_quantity"]) for line in lines)
    stock = _stock(ctx, id_order)
    for line in lines:
        key = (int(str(line["product_id"])), int(str(line["product_attribute_id"])))
        assert stock[key]["quantity"] == before[key]["quantity"]  # taken when ordered
        assert (
            stock[key]["physical_quantity"]
            == stock[key]["quantity"] + stock[key]["reserved_quantity"]
        )


def test_accepting_payment_makes_the_invoice_and_the_payment(ctx: ErpContext) -> None:
    order = _order_in(ctx, (1, 10, 13))
    id_order = order["id_order"]
    top = int(str(_one(ctx, "SELECT MAX(number) AS n FROM ps_order_invoice")["n"] or 0))
    changed = change_order_state(
        ctx, int(str(id_order)), PAYMENT_ACCEPTED, _loaded(ctx, order), NOW
    )
    assert changed.invoice_number == top + 1
    after = _one(ctx, "SELECT * FROM ps_orders WHERE id_order = :o", o=id_order)
    assert (after["invoice_number"], after["valid"]) == (top + 1, 1)
    assert Decimal(str(after["total_paid_real"])) == Decimal(str(order["total_paid_tax_incl"]))
    invoice = _one(ctx, "SELECT * FROM ps_order_invoice WHERE id_order = :o", o=id_order)
    assert (invoice["number"], Decimal(str(invoice["total_paid_tax_incl"]))) == (
        top + 1,
        Decimal(str(order["total_paid_tax_incl"])),
    )
    assert "Mostrador Demo" in str(invoice["shop_address"])
    assert {r["id_order_invoice"] for r in _lines(ctx, id_order)} == {invoice["id_order_invoice"]}
    payment = _one(
        ctx, "SELECT * FROM ps_order_payment WHERE order_reference = :r", r=order["reference"]
    )
    assert Decimal(str(payment["amount"])) == Decimal(str(order["total_paid_tax_incl"]))
    link = _one(ctx, "SELECT * FROM ps_order_invoice_payment WHERE id_order = :o", o=id_order)
    assert (link["id_order_invoice"], link["id_order_payment"]) == (
        invoice["id_order_invoice"],
        payment["id_order_payment"],
    )
    pdf = invoice_pdf(ctx, int(str(id_order)), compress=False)
    assert pdf.number == f"#IN{top + 1:06d}" and pdf.number.encode() in pdf.data
    first_line = _lines(ctx, id_order)[0]
    assert str(first_line["product_name"])[:20].encode("cp1252") in pdf.data
    assert b"Mostrador Demo" in pdf.data  # the shop address kept on the invoice
    assert re.search(rb"\((21|10|4)[.,]00 %\)", pdf.data)  # the tax breakdown per rate


def test_a_stale_edit_is_refused_and_writes_nothing(ctx: ErpContext) -> None:
    order = _order_in(ctx, (5,))
    id_order = int(str(order["id_order"]))
    loaded = order_details(ctx, id_order).date_upd
    with ctx.engine.begin() as conn:  # someone saves the order in PrestaShop meanwhile
        conn.execute(text("UPDATE ps_orders SET date_upd = :d WHERE id_order = :o"),
                     {"d": datetime(2029, 5, 6, 7, 8, 9), "o": id_order})  # fmt: skip
    history = len(_rows(ctx, "SELECT * FROM ps_order_history WHERE id_order = :o", o=id_order))
    with pytest.raises(UserFacingError, match="07:08 — reload"):
        change_order_state(ctx, id_order, CANCELED, loaded, NOW)
    assert (
        len(_rows(ctx, "SELECT * FROM ps_order_history WHERE id_order = :o", o=id_order)) == history
    )
    assert (
        _one(ctx, "SELECT current_state FROM ps_orders WHERE id_order = :o", o=id_order)[
            "current_state"
        ]
        == 5
    )
    with pytest.raises(UserFacingError, match="already"):
        change_order_state(ctx, id_order, 5, datetime(2029, 5, 6, 7, 8, 9), NOW)
