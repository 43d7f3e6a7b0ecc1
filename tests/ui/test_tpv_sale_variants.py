"""The sizes × colours grid on its own: its shape, out-of-stock cells, the keyboard."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.till.catalog import CatalogItem
from ui.tpv.dialogs import CombinationDialog
from ui.tpv.variant_grid import VariantGrid, attribute_pairs, grid_axes

SIZES = ("S", "M", "L", "XL")
COLOURS = ("Rojo", "Azul")


def _item(pa: int, attributes: str, quantity: int) -> CatalogItem:
    return CatalogItem(
        id_product=7, id_product_attribute=pa, name="Camiseta", attributes=attributes,
        reference=f"CAM-{pa}", ean13="", upc="", price_tax_excl=Decimal("10"),
        price_impact=Decimal(0), wholesale_price=Decimal(0), id_tax_rules_group=1,
        quantity=quantity, has_combinations=True, active=True,
    )  # fmt: skip


def _shirts(empty: tuple[str, str] = ("M", "Azul")) -> list[CatalogItem]:
    items = []
    for size in SIZES:
        for colour in COLOURS:
            stock = 0 if (size, colour) == empty else 3
            items.append(_item(len(items) + 1, f"Talla: {size}, Color: {colour}", stock))
    return items


def test_two_attributes_make_a_grid_with_the_longer_one_as_rows() -> None:
    assert attribute_pairs("Talla: M, Color: Rojo") == [("Talla", "M"), ("Color", "Rojo")]
    assert attribute_pairs("sin forma") is None
    axes = grid_axes(_shirts())
    assert axes is not None
    assert (axes.row_group, axes.rows) == ("Talla", SIZES)
    assert (axes.column_group, axes.columns) == ("Color", COLOURS)
    assert grid_axes([_item(1, "Talla: M", 1)]) is None  # one attribute: a list
    three = [_item(1, "Talla: M, Color: Rojo, Manga: Corta", 1)]
    assert grid_axes(three) is None


def test_out_of_stock_is_disabled_unless_the_shop_sells_it(qtbot: QtBot) -> None:
    shirts = _shirts()
    empty = next(item for item in shirts if item.quantity == 0)
    axes = grid_axes(shirts)
    assert axes is not None
    strict = VariantGrid(axes, sell_out_of_stock=False)
    qtbot.addWidget(strict)
    assert not strict.select(empty)
    assert strict.item(1, 1).text() == "0"  # M × Azul
    lenient = VariantGrid(axes, sell_out_of_stock=True)
    qtbot.addWidget(lenient)
    assert lenient.select(empty) and lenient.chosen() == empty


def test_arrows_and_enter_pick_a_cell(qtbot: QtBot) -> None:
    shirts = _shirts()
    dialog = CombinationDialog(None, "Camiseta", shirts, sell_out_of_stock=False)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    grid = dialog.grid
    assert grid is not None and grid.chosen() == shirts[0]  # S × Rojo
    grid.setFocus()
    qtbot.keyClick(grid, Qt.Key.Key_Down)
    qtbot.keyClick(grid, Qt.Key.Key_Down)
    qtbot.keyClick(grid, Qt.Key.Key_Right)
    assert grid.chosen() == grid.item_at("L", "Azul")
    with qtbot.waitSignal(dialog.accepted):
        qtbot.keyClick(grid, Qt.Key.Key_Return)
    assert dialog.chosen() == grid.item_at("L", "Azul")


def test_one_attribute_gives_a_list_where_out_of_stock_cannot_be_chosen(qtbot: QtBot) -> None:
    items = [_item(1, "Talla: S", 0), _item(2, "Talla: M", 4)]
    dialog = CombinationDialog(None, "Camiseta", items, sell_out_of_stock=False)
    qtbot.addWidget(dialog)
    assert dialog.grid is None and dialog.list is not None
    assert dialog.chosen() == items[1]  # the first one that can be sold
    dialog.list.setCurrentRow(0)
    assert dialog.chosen() is None
