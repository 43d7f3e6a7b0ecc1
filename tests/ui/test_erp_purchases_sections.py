"""The suppliers and labels sections on the SQLite demo shop: a supplier created and edited
with its form; labels picked by scanning, saved as an A4 sheet and sent to a label printer."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import text

from app.connection import ShopTarget, parse_url
from app.erp.context import ErpContext, open_erp
from connectors.prestashop.demo_words import SUPPLIERS
from ui.erp.labels import LabelsSection
from ui.erp.suppliers import SuppliersSection
from ui.tasks import TaskManager

pytestmark = pytest.mark.parametrize("demo_shop_db", ["sqlite"], indirect=True)


@pytest.fixture
def ctx(demo_shop_db: Any) -> Iterator[ErpContext]:
    context = open_erp(ShopTarget(url=parse_url(demo_shop_db.url), prefix="ps_"), id_employee=1)
    yield context
    context.close()


@pytest.fixture
def tasks(qtbot: QtBot) -> Iterator[TaskManager]:
    manager = TaskManager()
    yield manager
    qtbot.waitUntil(lambda: manager.pending == 0, timeout=10_000)
    manager.shutdown()


@pytest.fixture
def suppliers_section(
    qtbot: QtBot, ctx: ErpContext, tasks: TaskManager
) -> Iterator[SuppliersSection]:
    section = SuppliersSection(tasks, ctx)
    qtbot.addWidget(section)
    section.show()
    yield section  # alive until its workers are done (the tasks fixture ends first)


@pytest.fixture
def labels_section(qtbot: QtBot, ctx: ErpContext, tasks: TaskManager) -> Iterator[LabelsSection]:
    section = LabelsSection(tasks, ctx)
    qtbot.addWidget(section)
    section.show()
    yield section


def test_a_supplier_is_created_then_edited(
    qtbot: QtBot, ctx: ErpContext, suppliers_section: SuppliersSection
) -> None:
    section = suppliers_section
    dialog = section.open_form(None)
    dialog.fields["name"].setText("Distribuciones Núñez")
    dialog.fields["city"].setText("Madrid")
    with qtbot.waitSignal(dialog.saved, timeout=10_000) as saved:
        dialog.save_button.click()
    with qtbot.waitSignal(section.list.page_loaded, timeout=10_000):
        section.list.reload()
    listed = [(r.name, r.city) for r in section.list.rows]
    assert ("Distribuciones Núñez", "Madrid") in listed and len(listed) == len(SUPPLIERS) + 1
    sid = saved.args[0].id_supplier
    edit = section.open_form(sid)
    qtbot.waitUntil(edit.save_button.isEnabled, timeout=10_000)
    assert edit.fields["city"].text() == "Madrid"
    edit.fields["city"].setText("Sevilla")
    with qtbot.waitSignal(edit.saved, timeout=10_000):
        edit.save_button.click()
    with ctx.engine.connect() as conn:
        city = conn.execute(
            text("SELECT city FROM ps_address WHERE id_supplier = :i"), {"i": sid}
        ).scalar_one()
    assert city == "Sevilla"
    qtbot.waitUntil(lambda: section.tasks.pending == 0, timeout=10_000)
    dialog.close()
    edit.close()


def test_labels_scanned_to_a_sheet_and_a_label_printer(
    qtbot: QtBot, ctx: ErpContext, labels_section: LabelsSection, tmp_path: Path
) -> None:
    with ctx.engine.connect() as conn:
        ean = conn.execute(
            text("SELECT ean13 FROM ps_product WHERE ean13 <> '' ORDER BY id_product LIMIT 1")
        ).scalar_one()
    section = labels_section
    for _ in range(2):
        with qtbot.waitSignal(section.items_changed, timeout=10_000):
            qtbot.keyClicks(section.code, ean)
            qtbot.keyClick(section.code, Qt.Key.Key_Return)
    assert section.chosen()[0][1] == 2 and section.table.item(0, 2).text() == ean
    section.table.item(0, 4).setText("5")
    assert section.chosen()[0][1] == 5
    section.start.setValue(22)
    pdf = tmp_path / "labels.pdf"
    with qtbot.waitSignal(section.done, timeout=10_000):
        section.save_pdf(pdf)
    assert pdf.read_bytes().startswith(b"%PDF")
    out = tmp_path / "printer.bin"
    section.printer.setText(f"file:{out}")
    with qtbot.waitSignal(section.done, timeout=10_000):
        qtbot.keyClick(section, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert out.read_bytes().count(ean.encode()) >= 5
