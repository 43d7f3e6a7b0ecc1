"""The sale screen on the small demo shop: the product grid (F3), the sizes × colours grid,
and a keyboard-wedge scanner typing faster than anyone, even over a search in flight."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.formatting import format_money
from app.sale.cart import Cart
from app.till.catalog import CatalogItem, find_by_barcode
from app.till.models_catalog import CatalogProduct
from app.till_runtime import TillRuntime, combinations_of
from ui.tpv.dialogs import CombinationDialog
from ui.tpv.sale_screen import GRID_PAGE, SaleScreen

pytestmark = pytest.mark.parametrize("demo_shop_db", ["sqlite"], indirect=True)


def _product(runtime: TillRuntime, combinations: bool) -> CatalogItem:
    with runtime.store.read() as session:
        codes = session.scalars(
            select(CatalogProduct.ean13)
            .where(CatalogProduct.ean13 != "", CatalogProduct.active)
            .where(CatalogProduct.has_combinations == combinations)
            .order_by(CatalogProduct.id_product)
        ).all()
    for code in codes:
        found = [i for i in find_by_barcode(runtime.store, code) if not i.id_product_attribute]
        if found:
            return found[0]
    raise AssertionError("the demo shop has no such product")


def _one_unit(runtime: TillRuntime, item: CatalogItem) -> str:
    cart = Cart(runtime.source.inner)
    cart.add(item)
    return format_money(cart.totals.total_tax_incl)


def _open_grid_on(qtbot: QtBot, screen: SaleScreen, combinations: bool) -> int:
    """F3, then the first category having such a product; the index of its tile."""
    qtbot.keyClick(screen.search.field, Qt.Key.Key_F3)
    qtbot.waitUntil(lambda: screen.left.currentIndex() == GRID_PAGE)
    grid = screen.grid
    qtbot.waitUntil(lambda: bool(grid.categories) and bool(grid.tiles) and not grid.loading)
    assert screen.search.field.hasFocus()
    for category in grid.categories:
        grid.open_category(category)
        qtbot.waitUntil(lambda: not grid.loading)
        assert len(grid.tile_buttons()) == min(len(grid.tiles), 12)
        for index, tile in enumerate(grid.tiles[:12]):
            if tile.item.has_combinations == combinations and tile.item.active:
                return index
    raise AssertionError("no category holds such a product")


def test_tapping_a_product_tile_adds_it_at_its_price(
    qtbot: QtBot, screen: SaleScreen, runtime: TillRuntime
) -> None:
    index = _open_grid_on(qtbot, screen, combinations=False)
    tile = screen.grid.tiles[index]
    button = screen.grid.tile_buttons()[index]
    assert _one_unit(runtime, tile.item) in button.text()
    assert button.minimumHeight() >= 44
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.model.rowCount() == 1)
    assert screen.cart is not None
    assert screen.cart.lines[0].item.id_product == tile.item.id_product
    assert screen.total_label.text() == _one_unit(runtime, tile.item)
    qtbot.keyClick(screen.search.field, Qt.Key.Key_F3)  # back to the cart
    qtbot.waitUntil(lambda: screen.left.currentIndex() == 0)


def test_a_tile_with_versions_opens_the_sizes_by_colours_grid(
    qtbot: QtBot, screen: SaleScreen, runtime: TillRuntime
) -> None:
    index = _open_grid_on(qtbot, screen, combinations=True)
    qtbot.mouseClick(screen.grid.tile_buttons()[index], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.findChild(CombinationDialog) is not None)
    dialog = screen.findChild(CombinationDialog)
    assert isinstance(dialog, CombinationDialog)
    assert dialog.grid is not None or dialog.list is not None


def test_the_variant_grid_adds_the_cell_chosen_and_refuses_what_is_out_of_stock(
    qtbot: QtBot, screen: SaleScreen, runtime: TillRuntime
) -> None:
    product = _product(runtime, combinations=True)
    versions = combinations_of(runtime, product.id_product)
    qtbot.keyClicks(screen.search.field, product.ean13)
    qtbot.keyClick(screen.search.field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: screen.findChild(CombinationDialog) is not None)
    dialog = screen.findChild(CombinationDialog)
    assert isinstance(dialog, CombinationDialog) and dialog.grid is not None
    grid = dialog.grid
    assert grid.axes.row_group == "Talla" and "M" in grid.axes.rows
    assert grid.rowCount() * grid.columnCount() >= len(versions)
    for item in versions:  # the demo shop does not sell out of stock (PS_ORDER_OUT_OF_STOCK 0)
        assert grid.select(item) == (item.quantity > 0)
    wanted = next(item for item in reversed(versions) if item.quantity > 0)
    assert grid.select(wanted)
    qtbot.waitUntil(dialog.isActiveWindow)
    qtbot.keyClick(grid, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: screen.model.rowCount() == 1)
    assert screen.cart is not None
    assert screen.cart.lines[0].item.id_product_attribute == wanted.id_product_attribute
    assert wanted.attributes in screen.model.data(screen.model.index(0, 0))


# --- the scanner ---------------------------------------------------------------------------


def _burst(qtbot: QtBot, screen: SaleScreen, code: str, times: int) -> None:
    """A keyboard-wedge scanner: the digits and Enter, no pause, ``times`` over."""
    for _ in range(times):
        qtbot.keyClicks(screen.search.field, code)
        qtbot.keyClick(screen.search.field, Qt.Key.Key_Return)


def test_five_fast_scans_count_five(qtbot: QtBot, screen: SaleScreen, runtime: TillRuntime) -> None:
    item = _product(runtime, combinations=False)
    assert len(item.ean13) == 13
    _burst(qtbot, screen, item.ean13, 5)
    qtbot.waitUntil(lambda: not screen.lookups_pending)
    assert screen.cart is not None and [line.quantity for line in screen.cart.lines] == [5]
    assert screen.search.field.text() == ""


def test_scans_over_a_search_in_flight_lose_nothing(
    qtbot: QtBot, screen: SaleScreen, runtime: TillRuntime
) -> None:
    item = _product(runtime, combinations=False)
    word = item.name.split()[0][:4]
    seq = screen._search_seq
    qtbot.keyClicks(screen.search.field, word)
    qtbot.waitUntil(lambda: screen._search_seq > seq)  # the search is asked, its answer not in
    _burst(qtbot, screen, item.ean13, 5)  # the first code lands on the typed word
    qtbot.waitUntil(lambda: not screen.lookups_pending)
    assert screen.cart is not None
    assert [(line.item.ean13, line.quantity) for line in screen.cart.lines] == [(item.ean13, 5)]
    qtbot.wait(300)  # the search's late answer must not show over the sale
    assert not screen.search.results.isVisible() and screen.search.field.text() == ""
