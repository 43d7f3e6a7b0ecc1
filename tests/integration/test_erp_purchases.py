"""Purchase orders: draft → sent → partially received → received, each delivery raising
stock as the back office does (stock_available, stock_mvt), the supplier's price kept in
product_supplier and, when asked, the product's wholesale price; the order as a PDF."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import pytest
from sqlalchemy import text

from app.connection import ShopTarget, parse_url
from app.erp import purchases, suppliers
from app.erp.context import ErpContext, open_erp
from app.erp.listing import ListQuery
from app.erp.purchases import PoStatus
from app.errors import UserFacingError
from connectors.prestashop.erp_suppliers import ChangedElsewhere, SupplierData
from tests.support.shop_db import ShopDb


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
    (found,) = _rows(ctx, sql, **params)
    return found


def _dec(value: object) -> Decimal:
    return Decimal(str(value))


def _stock(ctx: ErpContext, pid: int, pa: int) -> tuple[int, int, int]:
    r = _one(
        ctx,
        "SELECT id_stock_available, quantity, physical_quantity FROM ps_stock_available "
        "WHERE id_product = :p AND id_product_attribute = :a AND id_shop = 1",
        p=pid,
        a=pa,
    )
    return int(r["id_stock_available"]), int(r["quantity"]), int(r["physical_quantity"])


def _items(ctx: ErpContext, sid: int) -> tuple[purchases.PurchaseItem, purchases.PurchaseItem]:
    """A combination (by its EAN13) and a product without combinations."""
    combo = _one(
        ctx,
        "SELECT id_product, id_product_attribute, ean13 FROM ps_product_attribute "
        "WHERE ean13 <> '' ORDER BY id_product_attribute LIMIT 1",
    )
    plain = _one(
        ctx,
        "SELECT p.ean13 FROM ps_product p WHERE p.ean13 <> '' AND NOT EXISTS "
        "(SELECT 1 FROM ps_product_attribute pa WHERE pa.id_product = p.id_product) "
        "ORDER BY p.id_product LIMIT 1",
    )
    (by_combo,) = purchases.find_items(ctx, str(combo["ean13"]), sid)
    (by_plain,) = purchases.find_items(ctx, str(plain["ean13"]), sid)
    assert by_combo.id_product_attribute == combo["id_product_attribute"]
    assert "(" in by_combo.name and by_plain.id_product_attribute == 0
    return by_combo, by_plain


def _sent_order(ctx: ErpContext) -> tuple[purchases.PurchaseOrder, int]:
    sid = suppliers.create_supplier(
        ctx, SupplierData(name="Textiles Peñalara", city="Segovia")
    ).id_supplier
    combo, plain = _items(ctx, sid)
    order = purchases.create_order(ctx, sid, "Entrega en tienda")
    assert order.status is PoStatus.DRAFT and order.number == f"PO-{order.id_order:06d}"
    lines = [purchases.new_line(ctx, combo, 10), purchases.new_line(ctx, plain, 4)]
    lines = [
        lines[0].__class__(
            **{**vars(lines[0]), "unit_cost": Decimal("2.50"), "supplier_reference": "TP-1"}
        ),
        lines[1],
    ]
    order = purchases.save_lines(ctx, order.id_order, lines, order.date_upd)
    assert [line.quantity for line in order.lines] == [10, 4]
    assert order.lines[0].tax_rate == Decimal("21.000")
    assert order.lines[0].total_te == Decimal("25.00") and order.lines[0].tax == Decimal("5.25")
    with pytest.raises(ChangedElsewhere):
        purchases.send_order(ctx, order.id_order, order.date_upd.replace(year=2001))
    order = purchases.send_order(ctx, order.id_order, order.date_upd)
    assert order.status is PoStatus.SENT and order.date_sent is not None
    with pytest.raises(UserFacingError, match="draft"):
        purchases.save_lines(ctx, order.id_order, lines, order.date_upd)
    return order, sid


def test_a_partial_then_full_delivery_raises_stock_like_the_back_office(ctx: ErpContext) -> None:
    order, sid = _sent_order(ctx)
    first, second = order.lines
    sa_id, before, physical_before = _stock(ctx, first.id_product, first.id_product_attribute)
    parent_id, parent_before, _ = _stock(ctx, first.id_product, 0)
    with pytest.raises(UserFacingError, match="at most"):
        purchases.receive(ctx, order.id_order, {first.id_line: 11})
    done = purchases.receive(
        ctx, order.id_order, {first.id_line: 6}, costs={first.id_line: Decimal("2.40")}
    )
    assert (done.units, done.order.status) == (6, PoStatus.PARTIAL)
    assert done.order.lines[0].received == 6 and done.order.lines[0].unit_cost == Decimal("2.4")
    assert _stock(ctx, first.id_product, first.id_product_attribute) == (
        sa_id,
        before + 6,
        physical_before + 6,
    )
    assert _stock(ctx, first.id_product, 0)[:2] == (parent_id, parent_before + 6)
    mvt = _one(
        ctx,
        "SELECT * FROM ps_stock_mvt WHERE id_stock = :s ORDER BY id_stock_mvt DESC LIMIT 1",
        s=sa_id,
    )
    supply = _one(
        ctx,
        "SELECT value FROM ps_configuration WHERE name IN "
        "('PS_STOCK_MVT_SUPPLY_ORDER') UNION ALL SELECT value FROM ps_configuration "
        "WHERE name = 'PS_STOCK_MVT_INC_EMPLOYEE_EDITION' LIMIT 1",
    )
    assert int(mvt["id_stock_mvt_reason"]) == int(str(supply["value"]))
    assert (mvt["sign"], mvt["physical_quantity"], mvt["id_employee"]) == (1, 6, 1)
    employee = _one(ctx, "SELECT firstname, lastname FROM ps_employee WHERE id_employee = 1")
    assert (mvt["employee_firstname"], mvt["employee_lastname"]) == (
        employee["firstname"],
        employee["lastname"],
    )
    assert _dec(mvt["price_te"]) == Decimal("2.40") and mvt["id_order"] is None
    ps = _one(
        ctx,
        "SELECT * FROM ps_product_supplier WHERE id_supplier = :s AND id_product_attribute = :a",
        s=sid,
        a=first.id_product_attribute,
    )
    assert (ps["product_supplier_reference"], _dec(ps["product_supplier_price_te"])) == (
        "TP-1",
        Decimal("2.40"),
    )

    rest = {first.id_line: 4, second.id_line: 4}
    done = purchases.receive(ctx, order.id_order, rest, update_wholesale=True)
    assert (done.units, done.lines, done.order.status) == (8, 2, PoStatus.RECEIVED)
    assert _stock(ctx, first.id_product, first.id_product_attribute)[1] == before + 10
    assert (
        _dec(
            _one(
                ctx,
                "SELECT wholesale_price FROM ps_product_shop WHERE id_product = :p",
                p=second.id_product,
            )["wholesale_price"]
        )
        == second.unit_cost
    )
    assert (
        _dec(
            _one(
                ctx,
                "SELECT wholesale_price FROM ps_product WHERE id_product = :p",
                p=second.id_product,
            )["wholesale_price"]
        )
        == second.unit_cost
    )
    receipts = _rows(
        ctx,
        "SELECT * FROM ps_mostrador_purchase_receipt WHERE id_purchase_order = :o "
        "ORDER BY id_purchase_receipt",
        o=order.id_order,
    )
    assert [(r["id_purchase_order_line"], r["quantity"]) for r in receipts] == [
        (first.id_line, 6),
        (first.id_line, 4),
        (second.id_line, 4),
    ]
    assert all(r["id_stock_mvt"] for r in receipts)
    with pytest.raises(UserFacingError, match="sent"):
        purchases.receive(ctx, order.id_order, {first.id_line: 1})
    with pytest.raises(UserFacingError, match="cannot be cancelled"):
        purchases.cancel_order(ctx, order.id_order, done.order.date_upd)


def test_the_list_filters_and_the_pdf_carries_the_order(ctx: ErpContext) -> None:
    order, _sid = _sent_order(ctx)
    draft = purchases.create_order(ctx, order.id_supplier)
    page = purchases.fetch_orders(ctx, ListQuery(), None, 1)
    assert [o.id_order for o in page.rows] == [draft.id_order] and page.next_key is not None
    page = purchases.fetch_orders(ctx, ListQuery(), page.next_key, 1)
    assert [o.id_order for o in page.rows] == [order.id_order] and page.next_key is None
    sent = purchases.fetch_orders(ctx, ListQuery("peñalara", {"status": "sent"}), None, 10)
    assert [o.id_order for o in sent.rows] == [order.id_order]
    assert purchases.fetch_orders(ctx, ListQuery(order.number), None, 10).rows[0] == order
    cancelled = purchases.cancel_order(ctx, draft.id_order, draft.date_upd)
    assert cancelled.status is PoStatus.CANCELLED
    data = purchases.order_pdf(ctx, order.id_order, compress=False)
    for expected in (order.number, "Textiles Peñalara", "TP-1", "Mostrador Demo", "€"):
        assert expected.encode("cp1252") in data, expected
