"""The ERP window on the SQLite demo shop: a manager searches a product, types its price with
tax, adjusts stock, applies an inventory count and exports the list; a cashier is refused."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import text

from app.connection import ShopTarget, parse_url
from app.sale.price_inputs import Employee
from ui.erp.erp_window import ErpRefused, ErpWindow
from ui.erp.inventory import InventorySection
from ui.erp.product_form import ProductFormDialog
from ui.erp.products import ProductsSection
from ui.erp.stock import StockSection

pytestmark = pytest.mark.parametrize("demo_shop_db", ["sqlite"], indirect=True)
MANAGER = Employee(1, "Ana Gerente", 1, is_manager=True)


@pytest.fixture
def window(qtbot: QtBot, demo_shop_db: Any) -> Iterator[ErpWindow]:
    target = ShopTarget(url=parse_url(demo_shop_db.url), prefix=demo_shop_db.prefix, demo=True)
    erp = ErpWindow(target, MANAGER)
    erp.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
    qtbot.addWidget(erp)
    with qtbot.waitSignal(erp.connected, timeout=20_000):
        erp.show()
    yield erp
    qtbot.waitUntil(lambda: erp.tasks.pending == 0, timeout=20_000)
    erp.close()


def query(window: ErpWindow, sql: str, **params: Any) -> list[Any]:
    assert window.ctx is not None
    with window.ctx.engine.connect() as conn:
        return list(conn.execute(text(sql.replace("{p}", "ps_")), params))


def _products(qtbot: QtBot, window: ErpWindow) -> ProductsSection:
    section = window.show_section("products")
    assert isinstance(section, ProductsSection)
    qtbot.waitUntil(lambda: len(section.list.rows) > 0, timeout=10_000)
    return section


def test_a_cashier_cannot_open_the_back_office(demo_shop_db: Any) -> None:
    target = ShopTarget(url=parse_url(demo_shop_db.url), prefix="ps_", demo=True)
    with pytest.raises(ErpRefused, match="manager"):
        ErpWindow(target, Employee(2, "Caja", 2, is_manager=False))


def test_the_window_names_the_shop_and_manager_and_lists_products(
    qtbot: QtBot, window: ErpWindow
) -> None:
    section = _products(qtbot, window)
    assert "Ana Gerente" in window.statusBar().currentMessage()
    assert window.sidebar.count() >= 3 and "Ctrl+1" in window.sidebar.item(0).text()
    assert section.list.model.rowCount() == 40
    assert "more" not in section.list.status.text()


def test_search_then_type_the_price_with_tax(qtbot: QtBot, window: ErpWindow) -> None:
    section = _products(qtbot, window)
    (name,) = query(
        window, "SELECT name FROM {p}product_lang WHERE id_product = 3 AND id_lang = 1"
    )[0]
    word = max(name.split(), key=len)
    qtbot.keyClicks(section.list.search, word)
    qtbot.waitUntil(lambda: all(word.lower() in p.name.lower() for p in section.list.rows))
    found = next(p for p in section.list.rows if p.id_product == 3)
    index = section.list.model.index(section.list.rows.index(found), 0)
    section.list.table.setCurrentIndex(index)
    section.list.table.activated.emit(index)
    dialog = section.dialog
    assert isinstance(dialog, ProductFormDialog)
    qtbot.waitUntil(lambda: dialog.form is not None and dialog.price.text() != "")
    dialog.price_tax_incl.clear()
    qtbot.keyClicks(dialog.price_tax_incl, "24,20")
    assert dialog.form is not None
    group = int(dialog.tax_group.currentData())
    expected = dialog.form.taxes.without_tax(Decimal("24.20"), group)
    assert dialog.price.text().replace(",", ".").startswith(str(expected)[:5])
    with qtbot.waitSignal(dialog.saved, timeout=10_000):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    (price, indexed) = query(window, "SELECT price, indexed FROM {p}product_shop "
                                     "WHERE id_product = 3")[0]  # fmt: skip
    assert Decimal(str(price)).quantize(Decimal("0.000001")) == expected and indexed == 0
    qtbot.waitUntil(lambda: any(p.id_product == 3 and p.price_tax_incl == Decimal("24.20")
                                for p in section.list.rows))  # fmt: skip


def test_a_stock_adjustment_from_the_stock_screen(qtbot: QtBot, window: ErpWindow) -> None:
    section = window.show_section("stock")
    assert isinstance(section, StockSection)
    qtbot.waitUntil(lambda: len(section.list.rows) > 0, timeout=10_000)
    line = section.list.rows[0]
    section.list.table.selectRow(0)
    section.delta.setValue(4)
    with qtbot.waitSignal(section.adjusted, timeout=10_000):
        qtbot.mouseClick(section.adjust_button, Qt.MouseButton.LeftButton)
    (quantity,) = query(window, "SELECT quantity FROM {p}stock_available WHERE id_product = :p "
                        "AND id_product_attribute = :a", p=line.id_product,
                        a=line.id_product_attribute)[0]  # fmt: skip
    assert quantity == line.quantity + 4
    assert "now" in section.result.text()


def test_an_inventory_count_scanned_and_applied(qtbot: QtBot, window: ErpWindow) -> None:
    section = window.show_section("inventory")
    assert isinstance(section, InventorySection)
    (code, id_product, id_pa) = query(
        window, "SELECT ean13, id_product, id_product_attribute FROM {p}product_attribute "
        "ORDER BY id_product_attribute LIMIT 1")[0]  # fmt: skip
    qtbot.keyClicks(section.new_name, "Tienda")
    qtbot.mouseClick(section.new_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: section.scan.isEnabled() and section.id_inventory > 0)
    for _ in range(2):
        with qtbot.waitSignal(section.counted, timeout=10_000):
            qtbot.keyClicks(section.scan, code)
            qtbot.keyClick(section.scan, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: [c.counted for c in section.lines.rows] == [2])
    with qtbot.waitSignal(section.applied, timeout=10_000):
        section.confirm_apply()
        section.confirm_box.accept()
    (quantity,) = query(window, "SELECT quantity FROM {p}stock_available WHERE id_product = :p "
                        "AND id_product_attribute = :a", p=id_product, a=id_pa)[0]  # fmt: skip
    assert quantity == 2
    assert not section.scan.isEnabled() and "Applied" in section.title.text()


def test_the_products_list_exports_to_xlsx(qtbot: QtBot, window: ErpWindow, tmp_path: Path) -> None:
    section = _products(qtbot, window)
    path = tmp_path / "productos.xlsx"
    with qtbot.waitSignal(section.list.exported, timeout=20_000) as signal:
        section.list.export_to(path)
    assert signal.args == [str(path), 40]
    sheet = load_workbook(path).active
    assert sheet is not None
    header = [c.value for c in sheet[1]]
    assert header[:4] == ["Id", "Reference", "EAN13", "Name"]
    assert sheet.max_row == 41
    assert isinstance(sheet.cell(row=2, column=6).value, float)  # prices are numbers
