"""Sales by day from the summary table: the same figures as the raw query over the orders,
kept up to date by the incremental refresh (new orders, new credit slips, a state change that
flips ``valid``), rebuilt by "Recalculate", safe with two refreshes at once, and a report
still made (from the orders) when the database user may not create tables."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from app.connection import ShopTarget, parse_url
from app.erp.context import ErpContext, open_erp
from app.erp.orders import change_order_state, ensure_own_tables, order_details
from app.erp.reports import ReportRequest, recalculate_sales_days, run_report
from connectors.prestashop import erp_sales_day as sales_day
from connectors.prestashop.engine import make_engine
from connectors.prestashop.erp_reports import Figure, by_period
from connectors.prestashop.mostrador_tables import ensure_tables
from connectors.prestashop.shop import open_shop
from tests.support.shop_db import ShopDb

CANCELED = 6


@pytest.fixture
def ctx(demo_shop_db: ShopDb) -> Iterator[ErpContext]:
    target = ShopTarget(url=parse_url(demo_shop_db.url), prefix=demo_shop_db.prefix)
    context = open_erp(target, id_employee=1)
    yield context
    context.close()


def _rows(ctx: ErpContext, sql: str, **params: object) -> list[dict[str, Any]]:
    with ctx.engine.connect() as conn:
        return [dict(r) for r in conn.execute(text(sql), params).mappings()]


def _day(value: object) -> date:
    return (value if isinstance(value, datetime) else datetime.fromisoformat(str(value))).date()


def _year(ctx: ErpContext) -> tuple[date, date]:
    last = max(_day(o["date_add"]) for o in _rows(ctx, "SELECT date_add FROM ps_orders"))
    return last - timedelta(days=364), max(last, date.today())


def _raw(ctx: ErpContext, first: date, last: date) -> list[Figure]:
    start = datetime.combine(first, time())
    with Session(ctx.engine) as session:
        return by_period(session, ctx.shop, start, start + timedelta(days=(last - first).days + 1),
                         "day")  # fmt: skip


def _summary(ctx: ErpContext, first: date, last: date) -> list[Figure]:
    with Session(ctx.engine) as session:
        return sales_day.read_days(session, ctx.shop, first, last)


def _report_total(ctx: ErpContext, first: date, last: date) -> tuple[int, Decimal, Decimal]:
    total = run_report(ctx, ReportRequest("day", first, last)).total
    return total.orders, total.sales_tax_incl, total.refunds_tax_incl


def _copy_order(ctx: ErpContext, when: datetime) -> int:
    """A new order (a higher id) dated ``when``: a copy of the newest valid order."""
    order = _rows(ctx, "SELECT * FROM ps_orders WHERE valid = 1 ORDER BY id_order DESC")[0]
    del order["id_order"]
    order |= {"date_add": when, "date_upd": when, "reference": "NEWORDER"}
    columns = ", ".join(order)
    with ctx.engine.begin() as conn:
        conn.execute(
            text(f"INSERT INTO ps_orders ({columns}) VALUES ({', '.join(':' + c for c in order)})"),
            order,
        )
    return int(_rows(ctx, "SELECT MAX(id_order) AS m FROM ps_orders")[0]["m"])


def _add_slip(ctx: ErpContext, id_order: int, when: datetime) -> None:
    with ctx.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO ps_order_slip (conversion_rate, id_customer, id_order, "
                "total_products_tax_excl, total_products_tax_incl, total_shipping_tax_excl, "
                "total_shipping_tax_incl, shipping_cost, amount, shipping_cost_amount, partial, "
                "order_slip_type, date_add, date_upd) VALUES (1, 1, :o, 10, 12.10, 1, 1.21, 0, "
                "13.31, 0, 0, 0, :d, :d)"
            ),
            {"o": id_order, "d": when},
        )


def _old_valid_order(ctx: ErpContext, before: date) -> dict[str, Any]:
    return next(
        o for o in _rows(ctx, "SELECT * FROM ps_orders WHERE valid = 1 ORDER BY id_order")
        if _day(o["date_add"]) < before
    )  # fmt: skip


def test_the_summary_gives_the_raw_figures_and_follows_new_orders_slips_and_states(
    ctx: ErpContext,
) -> None:
    first, last = _year(ctx)
    before = _report_total(ctx, first, last)  # builds the summary
    assert _summary(ctx, first, last) == _raw(ctx, first, last) and before[0] > 10
    old_day = datetime.combine(last - timedelta(days=200), time(11, 30))
    new_order = _copy_order(ctx, old_day)
    _add_slip(ctx, new_order, old_day + timedelta(days=3))
    cancelled = _old_valid_order(ctx, last - timedelta(days=60))
    change_order_state(ctx, int(cancelled["id_order"]), CANCELED,
                       order_details(ctx, int(cancelled["id_order"])).date_upd)  # fmt: skip
    orders, sales, refunds = _report_total(ctx, first, last)
    assert _summary(ctx, first, last) == _raw(ctx, first, last)
    new_sales = Decimal(str(_rows(ctx, "SELECT total_paid_tax_incl AS t FROM ps_orders "
                                       "WHERE id_order = :o", o=new_order)[0]["t"]))  # fmt: skip
    lost = Decimal(str(cancelled["total_paid_tax_incl"]))
    assert orders == before[0]  # one more, one cancelled
    assert sales == (before[1] + new_sales - lost).quantize(Decimal("0.01"))
    assert refunds == before[2] + Decimal("13.31")


def test_an_order_edited_without_a_state_change_waits_for_recalculate(ctx: ErpContext) -> None:
    first, last = _year(ctx)
    run_report(ctx, ReportRequest("day", first, last))
    order = _old_valid_order(ctx, last - timedelta(days=SWEEP_OLDER))
    with ctx.engine.begin() as conn:
        conn.execute(text("UPDATE ps_orders SET total_paid_tax_incl = total_paid_tax_incl + 100 "
                          "WHERE id_order = :o"), {"o": order["id_order"]})  # fmt: skip
    day = _day(order["date_add"])
    stale = run_report(ctx, ReportRequest("day", day, day)).total.sales_tax_incl
    assert _raw(ctx, day, day)[0].tax_incl - stale == 100  # the known gap
    assert recalculate_sales_days(ctx)
    assert run_report(ctx, ReportRequest("day", day, day)).total.sales_tax_incl == stale + 100
    assert _summary(ctx, first, last) == _raw(ctx, first, last)


SWEEP_OLDER = sales_day.SWEEP_DAYS + 5


def test_two_refreshes_at_once_do_not_double_count(ctx: ErpContext, demo_shop_db: ShopDb) -> None:
    if demo_shop_db.backend != "mariadb":
        pytest.skip("SQLite has one writer")
    first, last = _year(ctx)
    run_report(ctx, ReportRequest("day", first, last))
    _copy_order(ctx, datetime.combine(last - timedelta(days=100), time(9)))
    start = threading.Barrier(4)
    errors: list[BaseException] = []

    def refresh(full: bool) -> None:
        try:
            start.wait()
            sales_day.refresh(ctx.engine, ctx.shop, full=full)
        except BaseException as error:  # noqa: BLE001 — reported by the assertion below
            errors.append(error)

    threads = [threading.Thread(target=refresh, args=(n % 2 == 0,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert _summary(ctx, first, last) == _raw(ctx, first, last)


def test_without_create_privilege_the_report_reads_the_orders(
    ctx: ErpContext, demo_shop_db: ShopDb, request: pytest.FixtureRequest,
    caplog: pytest.LogCaptureFixture,
) -> None:  # fmt: skip
    if demo_shop_db.backend != "mariadb":
        pytest.skip("privileges are MariaDB's")
    ensure_own_tables(ctx)  # the till's tables exist, created by a till
    server = request.getfixturevalue("mariadb")
    database = make_url(demo_shop_db.url).database
    with server.connection() as conn, conn.cursor() as cur:
        cur.execute("DROP USER IF EXISTS 'no_create'@'%'")
        cur.execute("CREATE USER 'no_create'@'%' IDENTIFIED BY 'pw'")
        cur.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON `{database}`.* TO 'no_create'@'%'")
    url = make_url(demo_shop_db.url).set(username="no_create", password="pw")
    engine = make_engine(url)
    limited = ErpContext(engine, open_shop(engine, "ps_", 1, "es"), 1)
    try:
        first, last = _year(ctx)
        with caplog.at_level(logging.WARNING):
            report = run_report(limited, ReportRequest("day", first, last))
        assert "no sales-by-day summary" in caplog.text
        ensure_tables(engine, "ps_")  # made by a till before: a user without CREATE goes on
        assert report.total.sales_tax_incl == sum(
            (f.tax_incl for f in _raw(ctx, first, last)), Decimal(0)
        ).quantize(Decimal("0.01"))
    finally:
        limited.close()
