"""The ERP lists keep the manager's choice: a reload that answers while they pick a row (after
a save, a late filter) must not move the selection, or Enter would open another row."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.connection import ShopTarget, parse_url
from app.sale.price_inputs import Employee
from ui.erp.erp_window import ErpWindow
from ui.erp.products import ProductsSection
from ui.erp.table_view import row_identity

pytestmark = pytest.mark.parametrize("demo_shop_db", ["sqlite"], indirect=True)
MANAGER = Employee(1, "Ana Gerente", 1, is_manager=True)


@pytest.fixture
def products(qtbot: QtBot, demo_shop_db: Any) -> Iterator[ProductsSection]:
    target = ShopTarget(url=parse_url(demo_shop_db.url), prefix=demo_shop_db.prefix, demo=True)
    erp = ErpWindow(target, MANAGER)
    erp.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
    qtbot.addWidget(erp)
    with qtbot.waitSignal(erp.connected, timeout=20_000):
        erp.show()
    section = erp.show_section("products")
    assert isinstance(section, ProductsSection)
    qtbot.waitUntil(lambda: len(section.list.rows) > 10, timeout=10_000)
    yield section
    qtbot.waitUntil(lambda: erp.tasks.pending == 0, timeout=20_000)
    erp.close()


def test_a_reload_keeps_the_row_the_manager_chose(qtbot: QtBot, products: ProductsSection) -> None:
    view = products.list
    chosen = view.rows[7]
    view.table.clearSelection()
    view.table.selectRow(7)
    with qtbot.waitSignal(view.page_loaded, timeout=10_000):
        view.refresh()
    assert row_identity(view.selected_row()) == row_identity(chosen)
    assert view.table.currentIndex().row() == 7
    opened: list[Any] = []
    view.row_activated.connect(opened.append)
    qtbot.keyClick(view.table, Qt.Key.Key_Return)
    assert opened == [chosen]


def test_a_new_search_without_the_chosen_row_selects_the_first(
    qtbot: QtBot, products: ProductsSection
) -> None:
    view = products.list
    view.table.clearSelection()
    view.table.selectRow(7)
    reference = view.rows[2].reference
    with qtbot.waitSignal(view.page_loaded, timeout=10_000):
        view.search.setText(reference)
        view.reload()
    assert view.rows and view.selected_row() == view.rows[0]
    assert view.rows[0].reference == reference


def test_rows_are_named_by_their_leading_ids(products: ProductsSection) -> None:
    row = products.list.rows[0]
    assert row_identity(row) == (row.id_product,)
