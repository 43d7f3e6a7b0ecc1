"""The ERP reports section on the small demo shop (SQLite): a report shown with its chart,
compared with the previous period and exported; the cash-session history of a till."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from pytestqt.qtbot import QtBot
from sqlalchemy import text

from app.connection import ShopTarget, parse_url
from app.erp.context import ErpContext, open_erp
from app.formatting import format_money
from app.till.cash_drawer import (
    add_cash_movement,
    close_cash_session,
    open_cash_session,
    start_closing,
)
from app.till.cash_session import MovementKind
from app.till.store import open_store
from ui.erp.cash_history import CashHistorySection
from ui.erp.reports import ReportsSection
from ui.tasks import TaskManager

pytestmark = pytest.mark.parametrize("demo_shop_db", ["sqlite"], indirect=True)


@pytest.fixture
def ctx(demo_shop_db: Any) -> Iterator[ErpContext]:
    target = ShopTarget(url=parse_url(demo_shop_db.url), prefix=demo_shop_db.prefix)
    context = open_erp(target, id_employee=1)
    yield context
    context.close()


@pytest.fixture
def tasks(qtbot: QtBot) -> Iterator[TaskManager]:
    manager = TaskManager()
    yield manager
    qtbot.waitUntil(lambda: manager.pending == 0)
    manager.shutdown()


def _last_order_day(ctx: ErpContext) -> date:
    with ctx.engine.connect() as conn:
        value = conn.execute(text("SELECT MAX(date_add) FROM ps_orders")).scalar_one()
    return datetime.fromisoformat(str(value)).date()


def test_a_report_with_its_chart_compared_and_exported(
    qtbot: QtBot, ctx: ErpContext, tasks: TaskManager, tmp_path: Path
) -> None:
    today = _last_order_day(ctx)
    section = ReportsSection(tasks, ctx, today=today)
    qtbot.addWidget(section)
    section.resize(1024, 700)
    section.show()
    qtbot.waitUntil(lambda: section.report is not None)
    period = section.period.findData("this_year")
    with qtbot.waitSignal(section.report_shown) as shown:
        section.period.setCurrentIndex(period)
    report = shown.args[0]
    assert report.request.date_from == today.replace(month=1, day=1)
    assert (
        section.model.rowCount() == len(report.rows) == (today - report.request.date_from).days + 1
    )
    assert section.chart.series_count == 1 and len(section.chart.labels) == len(report.rows)
    assert format_money(report.total.net_tax_incl) in section.summary.text()
    with qtbot.waitSignal(section.report_shown) as shown:
        section.kind.setCurrentIndex(section.kind.findData("category"))
    with qtbot.waitSignal(section.report_shown) as shown:
        section.compare.setChecked(True)
    report = shown.args[0]
    assert report.request.kind == "category" and report.previous_total is not None
    assert section.chart.series_count == 2  # this period and the previous one
    assert section.model.columnCount() == len(section.columns())
    with qtbot.waitSignal(section.exported) as done:
        section.export_to(tmp_path / "categories.xlsx")
    assert done.args[1] == len(report.rows) + 1  # and the total
    sheet = load_workbook(tmp_path / "categories.xlsx").active
    assert sheet is not None
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][0] == "Category" and values[-1][0] == "Total"
    net = values[0].index("Net sales")
    assert Decimal(str(values[-1][net])).quantize(Decimal("0.01")) == report.total.net_tax_incl


def test_cash_history_of_this_till_shows_the_differences(
    qtbot: QtBot, ctx: ErpContext, tasks: TaskManager, tmp_path: Path
) -> None:
    store = open_store("T1", tmp_path / "till.sqlite3")
    now = datetime.now().replace(microsecond=0)
    try:
        open_cash_session(store, Decimal("100.00"), 2, now - timedelta(hours=8))
        add_cash_movement(store, MovementKind.CASH_OUT, Decimal("20.00"), "Banco", 2)
        start_closing(store, now - timedelta(hours=1))
        close_cash_session(store, Decimal("78.50"), 2, now=now)
        section = CashHistorySection(tasks, ctx, store)
        qtbot.addWidget(section)
        section.show()
        qtbot.waitUntil(lambda: section.model.rowCount() == 1)
        line = section.model.rows[0]
        assert (line.opening_float, line.cash_out, line.expected) == (
            Decimal("100.00"), Decimal("20.00"), Decimal("80.00"))  # fmt: skip
        assert (line.counted, line.difference) == (Decimal("78.50"), Decimal("-1.50"))
        assert format_money(Decimal("-1.50")) in section.summary.text()
    finally:
        store.close()


def test_recalculate_takes_in_a_back_office_edit(
    qtbot: QtBot, ctx: ErpContext, tasks: TaskManager
) -> None:
    """An order's total edited in PrestaShop's back office (no state change) shows in the
    sales by day after Recalculate (Ctrl+Shift+R)."""
    from PySide6.QtCore import Qt

    today = _last_order_day(ctx)
    section = ReportsSection(tasks, ctx, today=today)
    qtbot.addWidget(section)
    section.resize(1024, 700)
    section.show()
    qtbot.waitUntil(lambda: section.report is not None)
    assert section.report is not None
    before = section.report.total.sales_tax_incl
    with ctx.engine.begin() as conn:
        conn.execute(
            text(
                "UPDATE ps_orders SET total_paid_tax_incl = total_paid_tax_incl + 100 "
                "WHERE id_order = (SELECT MIN(id_order) FROM ps_orders "
                "WHERE valid = 1 AND date_add >= :d)"
            ),
            {"d": str(today.replace(day=1))},
        )
    with qtbot.waitSignal(section.report_shown, timeout=10_000) as shown:
        modifiers = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
        qtbot.keyClick(section, Qt.Key.Key_R, modifiers)
    assert shown.args[0].total.sales_tax_incl == before + 100
    assert section.recalc_button.isEnabled() and section.recalc_button.height() >= 44
