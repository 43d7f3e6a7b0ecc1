"""The ERP orders section on the small demo shop (SQLite): filter the list, open an order,
change its state, save its invoice."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import text

from app.connection import ShopTarget, parse_url
from app.erp.context import ErpContext, open_erp
from ui.erp.order_detail import OrderDetailDialog
from ui.erp.orders import OrdersSection
from ui.tasks import TaskManager

pytestmark = pytest.mark.parametrize("demo_shop_db", ["sqlite"], indirect=True)
CANCELED = 6


@pytest.fixture
def ctx(demo_shop_db: Any) -> Iterator[ErpContext]:
    target = ShopTarget(url=parse_url(demo_shop_db.url), prefix=demo_shop_db.prefix)
    context = open_erp(target, id_employee=1)
    yield context
    context.close()


@pytest.fixture
def section(qtbot: QtBot, ctx: ErpContext) -> Iterator[OrdersSection]:
    tasks = TaskManager()
    widget = OrdersSection(tasks, ctx)
    qtbot.addWidget(widget)
    widget.resize(1024, 700)
    widget.show()
    qtbot.waitUntil(lambda: widget.choices is not None and len(widget.view.rows) > 0)
    qtbot.waitUntil(lambda: tasks.pending == 0)  # no reload left to reset the selection
    yield widget
    qtbot.waitUntil(lambda: tasks.pending == 0)
    tasks.shutdown()


def test_the_list_shows_orders_and_filters_by_state(qtbot: QtBot, section: OrdersSection) -> None:
    assert len(section.view.rows) == 30
    dates = [row.date_add for row in section.view.rows]
    assert dates == sorted(dates, reverse=True)
    index = section.state.findData(5)
    with qtbot.waitSignal(section.view.page_loaded):
        section.state.setCurrentIndex(index)
    assert section.view.rows and all(row.id_state == 5 for row in section.view.rows)
    shown = section.view.model.index(0, 6).data()
    assert shown == section.state.itemText(index)  # the state's name, not its number


def test_open_an_order_change_its_state_and_save_the_invoice(
    qtbot: QtBot, section: OrdersSection, ctx: ErpContext, tmp_path: Path
) -> None:
    row = next(r for r in section.view.rows if r.id_state == 5)
    dialogs: list[OrderDetailDialog] = []
    section.detail_opened.connect(dialogs.append)
    section.view.row_activated.emit(row)  # Enter or a double click on the row
    assert len(dialogs) == 1
    dialog = dialogs[0]
    qtbot.waitUntil(lambda: dialog.order is not None)
    assert dialog.order is not None and dialog.order.id_order == row.id_order
    assert dialog.tabs.count() == 6 and dialog.tabs.widget(0).rowCount() == len(dialog.order.lines)
    assert row.reference in dialog.header.text()
    with qtbot.waitSignal(dialog.invoice_saved, timeout=10000):
        dialog.save_invoice(tmp_path / "invoice.pdf")
    assert (tmp_path / "invoice.pdf").read_bytes().startswith(b"%PDF")
    with qtbot.waitSignal(dialog.state_changed, timeout=10000) as changed:
        dialog.change_state(CANCELED)
    assert changed.args[0].state.id_order_state == CANCELED
    qtbot.waitUntil(lambda: dialog.order is not None and dialog.order.state is not None
                    and dialog.order.state.id_order_state == CANCELED)  # fmt: skip
    with ctx.engine.connect() as conn:
        state = conn.execute(
            text("SELECT current_state FROM ps_orders WHERE id_order = :o"), {"o": row.id_order}
        ).scalar_one()
    assert state == CANCELED
    assert dialog.tabs.widget(3).rowCount() == len(dialog.order.history)

    def listed_state() -> int:
        return next(r for r in section.view.rows if r.id_order == row.id_order).id_state

    qtbot.waitUntil(lambda: listed_state() == CANCELED)
    dialog.close()
