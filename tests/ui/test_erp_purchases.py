"""The purchases section on the SQLite demo shop: a manager makes an order by scanning codes,
sends it, receives part of it by scanning, then the rest; stock follows each delivery."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import text

from app.connection import ShopTarget, parse_url
from app.erp import suppliers
from app.erp.context import ErpContext, open_erp
from app.erp.purchases import PoStatus
from connectors.prestashop.demo_words import SUPPLIERS
from connectors.prestashop.erp_suppliers import SupplierData
from ui.erp.purchases import PurchasesSection
from ui.tasks import TaskManager

pytestmark = pytest.mark.parametrize("demo_shop_db", ["sqlite"], indirect=True)


@pytest.fixture
def ctx(demo_shop_db: Any) -> Iterator[ErpContext]:
    context = open_erp(ShopTarget(url=parse_url(demo_shop_db.url), prefix="ps_"), id_employee=1)
    yield context
    context.close()


@pytest.fixture
def section(qtbot: QtBot, ctx: ErpContext) -> Iterator[PurchasesSection]:
    suppliers.create_supplier(ctx, SupplierData(name="Textiles Peñalara"))
    tasks = TaskManager()
    widget = PurchasesSection(tasks, ctx)
    qtbot.addWidget(widget)
    widget.resize(1024, 768)
    widget.show()
    # "all", the demo shop's wholesalers and this one
    qtbot.waitUntil(lambda: widget.supplier_filter.count() == len(SUPPLIERS) + 2, timeout=10_000)
    yield widget
    qtbot.waitUntil(lambda: tasks.pending == 0, timeout=10_000)
    tasks.shutdown()


def _ean(ctx: ErpContext) -> tuple[str, int, int]:
    with ctx.engine.connect() as conn:
        row = conn.execute(
            text(
                "SELECT ean13, id_product, id_product_attribute FROM ps_product_attribute "
                "WHERE ean13 <> '' ORDER BY id_product_attribute LIMIT 1"
            )
        ).one()
    return str(row[0]), int(row[1]), int(row[2])


def _stock(ctx: ErpContext, pid: int, pa: int) -> int:
    with ctx.engine.connect() as conn:
        return int(
            conn.execute(
                text(
                    "SELECT quantity FROM ps_stock_available WHERE id_product = :p "
                    "AND id_product_attribute = :a AND id_shop = 1"
                ),
                {"p": pid, "a": pa},
            ).scalar_one()
        )


def _scan(qtbot: QtBot, section: PurchasesSection, code: str) -> None:
    editor = section.editor
    qtbot.keyClicks(editor.code, code)
    qtbot.keyClick(editor.code, Qt.Key.Key_Return)


def test_an_order_scanned_sent_and_received_in_two_deliveries(
    qtbot: QtBot, section: PurchasesSection, ctx: ErpContext, tmp_path: Path
) -> None:
    ean, pid, pa = _ean(ctx)
    before = _stock(ctx, pid, pa)
    section.supplier_filter.setCurrentIndex(1)
    editor = section.editor
    with qtbot.waitSignal(editor.loaded, timeout=10_000):
        qtbot.keyClick(section, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert editor.isVisible() and editor.order is not None
    assert editor.order.status is PoStatus.DRAFT
    for _ in range(5):  # five scans of the same code: one line of 5
        _scan(qtbot, section, ean)
        qtbot.waitUntil(lambda: section.tasks.pending == 0, timeout=10_000)
    assert len(editor.lines) == 1 and editor.lines[0].quantity == 5
    assert editor.table.item(0, 3).text() == "5"
    with qtbot.waitSignal(editor.changed, timeout=10_000):
        qtbot.keyClick(editor, Qt.Key.Key_F8)  # save and send
    assert editor.order.status is PoStatus.SENT
    assert not editor.buttons["save"].isEnabled() and editor.buttons["receive"].isEnabled()

    for _ in range(2):  # the first delivery brings two
        _scan(qtbot, section, ean)
    assert editor.table.item(0, 8).text() == "2"
    with qtbot.waitSignal(editor.received, timeout=10_000) as got:
        qtbot.keyClick(editor, Qt.Key.Key_F9)
    assert got.args[0].units == 2 and editor.order.status is PoStatus.PARTIAL
    assert _stock(ctx, pid, pa) == before + 2
    assert editor.table.item(0, 4).text() == "2"

    qtbot.waitUntil(lambda: section.tasks.pending == 0, timeout=10_000)
    qtbot.keyClick(editor, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)  # all the rest
    assert editor.table.item(0, 8).text() == "3"
    with qtbot.waitSignal(editor.received, timeout=10_000):
        qtbot.keyClick(editor, Qt.Key.Key_F9)
    assert editor.order.status is PoStatus.RECEIVED and _stock(ctx, pid, pa) == before + 5
    assert not editor.code.isEnabled() and not editor.buttons["receive"].isEnabled()
    pdf = tmp_path / "po.pdf"
    editor.save_pdf(pdf)
    qtbot.waitUntil(pdf.exists, timeout=10_000)
    with qtbot.waitSignal(section.list.page_loaded, timeout=10_000):
        qtbot.keyClick(editor, Qt.Key.Key_Escape)
    assert section.list.isVisible()
    assert [o.status for o in section.list.rows] == [PoStatus.RECEIVED]
