"""ERP sales reports on the demo shop: totals equal the demo orders summed independently
(valid orders, minus credit slips), every report adds up to the same net sales, and the
previous period of the same length is compared."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import text

from app.connection import ShopTarget, parse_url
from app.erp.context import ErpContext, open_erp
from app.erp.reports import KINDS, ReportRequest, run_report
from tests.support.shop_db import ShopDb

CENT = Decimal("0.01")


@pytest.fixture
def ctx(demo_shop_db: ShopDb) -> Iterator[ErpContext]:
    target = ShopTarget(url=parse_url(demo_shop_db.url), prefix=demo_shop_db.prefix)
    context = open_erp(target, id_employee=1)
    yield context
    context.close()


def _orders(ctx: ErpContext) -> list[dict[str, object]]:
    with ctx.engine.connect() as conn:
        rows = conn.execute(text("SELECT * FROM ps_orders")).mappings()
        return [dict(r) for r in rows]


def _when(value: object) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(str(value))


def _expected(ctx: ErpContext, first: date, last: date) -> tuple[int, Decimal, Decimal]:
    """Valid orders dated in [first, last], counted and summed here, in Python."""
    chosen = [
        o for o in _orders(ctx)
        if o["valid"] == 1 and first <= _when(o["date_add"]).date() <= last
    ]  # fmt: skip
    excl = sum((Decimal(str(o["total_paid_tax_excl"])) for o in chosen), Decimal(0))
    incl = sum((Decimal(str(o["total_paid_tax_incl"])) for o in chosen), Decimal(0))
    return len(chosen), excl.quantize(CENT), incl.quantize(CENT)


def _year(ctx: ErpContext) -> tuple[date, date]:
    last = max(_when(o["date_add"]).date() for o in _orders(ctx))
    return last - timedelta(days=364), last


def test_every_report_adds_up_to_the_valid_orders(ctx: ErpContext) -> None:
    first, last = _year(ctx)
    count, excl, incl = _expected(ctx, first, last)
    assert count > 10
    for kind in KINDS:
        report = run_report(ctx, ReportRequest(kind, first, last))
        assert report.total.net_tax_incl == incl, kind
        if kind in ("day", "hour", "employee", "till"):
            assert (report.total.orders, report.total.sales_tax_excl) == (count, excl), kind
    days = run_report(ctx, ReportRequest("day", first, last))
    assert len(days.rows) == 365 and days.rows[0].key == first.isoformat()


def test_product_report_has_units_and_margin_from_the_cost_price(ctx: ErpContext) -> None:
    first, last = _year(ctx)
    with ctx.engine.connect() as conn:
        lines = conn.execute(text(
            "SELECT d.product_quantity AS q, d.total_price_tax_excl AS ex, "
            "d.purchase_supplier_price AS cost FROM ps_order_detail d "
            "JOIN ps_orders o ON o.id_order = d.id_order WHERE o.valid = 1"
        )).mappings().all()  # fmt: skip
    units = sum(int(r["q"]) for r in lines)
    margin = sum(
        (Decimal(str(r["ex"])) - Decimal(str(r["cost"])) * int(r["q"]) for r in lines), Decimal(0)
    )
    report = run_report(ctx, ReportRequest("product", first, last))
    assert report.total.quantity == units
    assert report.total.margin == margin.quantize(CENT)
    assert list(report.rows) == sorted(report.rows, key=lambda r: (-r.net_tax_incl, r.label))
    assert all(row.label and row.cost > 0 for row in report.rows)


def test_credit_slips_are_taken_off_the_day_they_were_issued(ctx: ErpContext) -> None:
    first, last = _year(ctx)
    order = next(o for o in _orders(ctx) if o["valid"] == 1)
    slip_day = datetime.combine(last, datetime.min.time()).replace(hour=12)
    with ctx.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO ps_order_slip (conversion_rate, id_customer, id_order, "
                "total_products_tax_excl, total_products_tax_incl, total_shipping_tax_excl, "
                "total_shipping_tax_incl, shipping_cost, amount, shipping_cost_amount, partial, "
                "order_slip_type, date_add, date_upd) VALUES (1, :c, :o, 10, 12.10, 0, 0, 0, "
                "12.10, 0, 0, 0, :d, :d)"
            ),
            {"c": order["id_customer"], "o": order["id_order"], "d": slip_day},
        )
    _count, _excl, incl = _expected(ctx, first, last)
    report = run_report(ctx, ReportRequest("day", first, last))
    assert report.total.refunds_tax_incl == Decimal("12.10")
    assert report.total.net_tax_incl == incl - Decimal("12.10")
    assert report.rows[-1].refunds_tax_incl == Decimal("12.10")


def test_comparison_with_the_previous_period_of_the_same_length(ctx: ErpContext) -> None:
    _first, last = _year(ctx)
    first = last - timedelta(days=89)
    report = run_report(ctx, ReportRequest("day", first, last, compare=True))
    before_last = first - timedelta(days=1)
    assert (report.previous_from, report.previous_to) == (
        before_last - timedelta(days=89),
        before_last,
    )
    _n, _e, now_incl = _expected(ctx, first, last)
    _n, _e, then_incl = _expected(ctx, before_last - timedelta(days=89), before_last)
    assert report.total.net_tax_incl == now_incl
    assert report.previous_total is not None and report.previous_total.net_tax_incl == then_incl
    assert report.total.previous_net_tax_incl == then_incl
    assert (
        sum((r.previous_net_tax_incl or Decimal(0) for r in report.rows), Decimal(0)) == then_incl
    )
    if then_incl:
        expected = ((now_incl - then_incl) / then_incl * 100).quantize(CENT)
        assert report.change_percent == expected
