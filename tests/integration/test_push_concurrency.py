"""Eight tills pushing sales of the same products at once, and a refund after its sale."""

from __future__ import annotations

import multiprocessing
from decimal import Decimal as D

import pytest

from app.sync.push import PushStatus, make_push_engine, prepare_shop, push_ticket
from connectors.prestashop.shop import open_shop
from tests.support.push_tickets import fetch, refund_ticket, sale_ticket, scalar, stock_of
from tests.support.shop_db import ShopDb

TILLS = 8
SALES_PER_TILL = 4


def _till(url: str, till: int) -> list[int]:
    engine = make_push_engine(url)
    shop = open_shop(engine, "ps_", 1, "es")
    ids = []
    for n in range(SALES_PER_TILL):
        ticket = sale_ticket(f"T{till}-C{n:04d}", till=f"T{till}")
        for _attempt in range(20):  # ShopBusy (deadlock with another till): retry
            try:
                ids.append(push_ticket(engine, shop, ticket).id_order)
                break
            except Exception as error:  # noqa: BLE001 - the outbox's retry, in short
                if "busy" not in str(error):
                    raise
    engine.dispose()
    return ids


@pytest.mark.parametrize("demo_shop_db", ["8.0", "sqlite"], indirect=True)
def test_eight_tills_at_once(demo_shop_db: ShopDb) -> None:
    engine = make_push_engine(demo_shop_db.url)
    prepare_shop(engine, open_shop(engine, "ps_", 1, "es"))
    keys = [(1, 0), (4, 0), (3, 4), (3, 0), (2, 0)]
    before = {k: stock_of(engine, *k) for k in keys}
    sold = {(1, 0): 2, (4, 0): 3, (3, 4): 1, (3, 0): 1, (2, 0): 1}
    with multiprocessing.get_context("spawn").Pool(TILLS) as pool:
        results = pool.starmap(_till, [(demo_shop_db.url, t) for t in range(1, TILLS + 1)])
    ids = [i for r in results for i in r]
    total = TILLS * SALES_PER_TILL
    assert len(set(ids)) == total
    for key in keys:
        quantity, physical, reserved = before[key]
        taken = sold[key] * total
        assert stock_of(engine, *key) == (quantity - taken, physical - taken, reserved)
    rows = fetch(engine, "SELECT o.reference, o.invoice_number, i.number FROM {p}orders o "
                 "JOIN {p}order_invoice i ON i.id_order = o.id_order "
                 "WHERE o.id_order IN (SELECT id_order FROM {p}mostrador_sale)")  # fmt: skip
    assert len(rows) == total
    assert len({r["reference"] for r in rows}) == total
    numbers = [r["number"] for r in rows]
    assert len(set(numbers)) == total and all(r["invoice_number"] == r["number"] for r in rows)
    every = [r["number"] for r in fetch(engine, "SELECT number FROM {p}order_invoice")]
    assert len(every) == len(set(every))
    engine.dispose()


def test_a_refund_writes_a_credit_slip_and_restocks(demo_shop_db: ShopDb) -> None:
    engine = make_push_engine(demo_shop_db.url)
    shop = open_shop(engine, "ps_", 1, "es")
    prepare_shop(engine, shop)
    sale = sale_ticket("T1-R-0001")
    refund = refund_ticket(sale, "T1-R-0002")
    waiting = push_ticket(engine, shop, refund)
    assert waiting.status is PushStatus.WAITING and sale.number in waiting.reason
    assert scalar(engine, "SELECT COUNT(*) FROM {p}mostrador_sale WHERE uuid = :u",
                  u=refund.uuid) == 0  # fmt: skip
    order = push_ticket(engine, shop, sale)
    after_sale = {k: stock_of(engine, *k) for k in [(1, 0), (3, 4), (3, 0)]}
    result = push_ticket(engine, shop, refund)
    assert result.status is PushStatus.PUSHED and result.id_order == order.id_order
    assert push_ticket(engine, shop, refund).status is PushStatus.ALREADY_PUSHED
    slip = fetch(engine, "SELECT * FROM {p}order_slip WHERE id_order_slip = :s",
                 s=result.id_order_slip)[0]  # fmt: skip
    assert (slip["id_order"], slip["id_customer"], D(str(slip["amount"])),
            D(str(slip["total_products_tax_excl"])), D(str(slip["total_products_tax_incl"])),
            slip["partial"], slip["order_slip_type"]) == (
        order.id_order, 1, D("85.95"), D("71.03"), D("85.95"), 0, 0)  # fmt: skip
    lines = fetch(engine, "SELECT d.product_id, s.product_quantity, s.total_price_tax_incl, "
                  "s.amount_tax_excl, d.product_quantity_refunded, d.product_quantity_reinjected,"
                  " d.total_refunded_tax_incl FROM {p}order_slip_detail s JOIN {p}order_detail d"
                  " USING (id_order_detail) WHERE s.id_order_slip = :s ORDER BY d.product_id",
                  s=result.id_order_slip)  # fmt: skip
    assert [(r["product_id"], r["product_quantity"], D(str(r["total_price_tax_incl"])),
             D(str(r["amount_tax_excl"])), r["product_quantity_refunded"],
             r["product_quantity_reinjected"], D(str(r["total_refunded_tax_incl"])))
            for r in lines] == [
        (1, 1, D("56"), D("46.28"), 1, 1, D("56")),
        (3, 1, D("29.95"), D("24.75"), 1, 0, D("29.95")),
    ]  # fmt: skip
    q, p, r = after_sale[(1, 0)]
    assert stock_of(engine, 1) == (q + 1, p + 1, r)
    assert stock_of(engine, 3, 4) == after_sale[(3, 4)]  # not restocked
    reason = int(scalar(engine, "SELECT value FROM {p}configuration "
                        "WHERE name = 'PS_STOCK_CUSTOMER_RETURN_REASON'"))  # fmt: skip
    moves = fetch(engine, "SELECT * FROM {p}stock_mvt WHERE id_order = :o AND sign = 1",
                  o=order.id_order)  # fmt: skip
    assert [(m["physical_quantity"], m["id_stock_mvt_reason"]) for m in moves] == [(1, reason)]
    engine.dispose()
