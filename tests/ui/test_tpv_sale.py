"""The sale screen on a till store filled from the small demo shop: scan, search, pay."""

from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.formatting import format_money
from app.sale.cart import Cart
from app.till.cash_drawer import current_cash_session, open_cash_session
from app.till.catalog import CatalogItem, find_by_barcode
from app.till.models_catalog import CatalogProduct
from app.till.tickets import last_tickets
from app.till_runtime import TillRuntime
from ui.tpv.cash_open import CashOpenDialog
from ui.tpv.dialogs import CombinationDialog
from ui.tpv.payment_dialog import PaymentDialog
from ui.tpv.sale_screen import SaleScreen

pytestmark = pytest.mark.parametrize("demo_shop_db", ["sqlite"], indirect=True)
UNKNOWN = "2999999999994"


def _product(runtime: TillRuntime, combinations: bool = False) -> CatalogItem:
    """An active product (with or without combinations) that has an EAN13, under 40 €."""
    with runtime.store.read() as session:
        codes = session.scalars(
            select(CatalogProduct.ean13).where(
                CatalogProduct.ean13 != "",
                CatalogProduct.active,
                CatalogProduct.has_combinations == combinations,
                CatalogProduct.price < Decimal(30),
            )
        ).all()
    for code in codes:
        items = [i for i in find_by_barcode(runtime.store, code) if not i.id_product_attribute]
        if items:
            return items[0]
    raise AssertionError("the demo shop has no such product")


def _total(runtime: TillRuntime, item: CatalogItem, quantity: int) -> Decimal:
    cart = Cart(runtime.source.inner)
    cart.add(item, quantity)
    return cart.totals.total_tax_incl


def _scan(qtbot: QtBot, screen: SaleScreen, code: str) -> None:
    qtbot.keyClicks(screen.search.field, code)
    qtbot.keyClick(screen.search.field, Qt.Key.Key_Return)


def _quantity(screen: SaleScreen) -> int:
    return screen.cart.lines[0].quantity if screen.cart and screen.cart.lines else 0


def _lines(screen: SaleScreen) -> int:
    return screen.model.rowCount()


def test_scanning_adds_the_item_then_counts_it_again(
    qtbot: QtBot, screen: SaleScreen, runtime: TillRuntime
) -> None:
    item = _product(runtime)
    _scan(qtbot, screen, item.ean13)
    qtbot.waitUntil(lambda: _lines(screen) == 1)
    assert screen.total_label.text() == format_money(_total(runtime, item, 1))
    assert screen.search.field.text() == ""
    assert screen.search.field.hasFocus()
    _scan(qtbot, screen, item.ean13)
    qtbot.waitUntil(lambda: _quantity(screen) == 2)
    assert _lines(screen) == 1
    assert screen.total_label.text() == format_money(_total(runtime, item, 2))
    assert "1 line" in screen.count_label.text() and "2 items" in screen.count_label.text()


def test_an_unknown_code_is_said_calmly_and_adds_nothing(qtbot: QtBot, screen: SaleScreen) -> None:
    _scan(qtbot, screen, UNKNOWN)
    qtbot.waitUntil(lambda: UNKNOWN in screen.message.text())
    assert "No product has the code" in screen.message.text()
    assert _lines(screen) == 0
    assert screen.total_label.text() == format_money(Decimal(0))


def test_keys_change_the_quantity_and_remove_the_line(
    qtbot: QtBot, screen: SaleScreen, runtime: TillRuntime
) -> None:
    item = _product(runtime)
    _scan(qtbot, screen, item.ean13)
    qtbot.waitUntil(lambda: _lines(screen) == 1)
    field = screen.search.field
    qtbot.keyClick(field, Qt.Key.Key_Plus)
    qtbot.keyClick(field, Qt.Key.Key_Plus)
    assert screen.model.data(screen.model.index(0, 1)) == "3"
    qtbot.keyClick(field, Qt.Key.Key_Minus)
    assert screen.model.data(screen.model.index(0, 1)) == "2"
    assert screen.total_label.text() == format_money(_total(runtime, item, 2))
    qtbot.keyClick(field, Qt.Key.Key_Delete)
    assert _lines(screen) == 0


def test_typing_searches_and_enter_adds_the_selected_result(
    qtbot: QtBot, screen: SaleScreen, runtime: TillRuntime
) -> None:
    item = _product(runtime)
    word = item.name.split()[0]
    qtbot.keyClicks(screen.search.field, word)
    qtbot.waitUntil(screen.search.results.isVisible)
    assert screen.search.results.count() > 0
    qtbot.keyClick(screen.search.field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: _lines(screen) == 1 or "versions" in screen.message.text())
    assert not screen.search.results.isVisible()


def test_a_product_with_versions_asks_which_one(
    qtbot: QtBot, screen: SaleScreen, runtime: TillRuntime
) -> None:
    product = _product(runtime, combinations=True)
    _scan(qtbot, screen, product.ean13)
    qtbot.waitUntil(lambda: screen.findChild(CombinationDialog) is not None)
    dialog = screen.findChild(CombinationDialog)
    assert isinstance(dialog, CombinationDialog)
    qtbot.waitUntil(dialog.isVisible)
    chosen = dialog.chosen()
    assert chosen is not None and chosen.id_product == product.id_product
    dialog.accept()
    qtbot.waitUntil(lambda: _lines(screen) == 1)
    assert screen.cart is not None
    assert screen.cart.lines[0].item.id_product_attribute == chosen.id_product_attribute


def _open_payment(qtbot: QtBot, screen: SaleScreen) -> PaymentDialog:
    qtbot.keyClick(screen.search.field, Qt.Key.Key_F12)
    qtbot.waitUntil(lambda: screen.payment_dialog is not None and screen.payment_dialog.isVisible())
    assert screen.payment_dialog is not None
    return screen.payment_dialog


def test_paying_cash_records_the_ticket_and_shows_the_change(
    qtbot: QtBot, screen: SaleScreen, runtime: TillRuntime
) -> None:
    item = _product(runtime)
    _scan(qtbot, screen, item.ean13)
    qtbot.waitUntil(lambda: _lines(screen) == 1)
    qtbot.keyClick(screen.search.field, Qt.Key.Key_F12)
    qtbot.waitUntil(lambda: screen.findChild(CashOpenDialog) is not None)
    cash_dialog = screen.findChild(CashOpenDialog)
    assert isinstance(cash_dialog, CashOpenDialog)
    cash_dialog.amount.setText("100,00")
    cash_dialog.open_button.click()
    qtbot.waitUntil(lambda: screen.payment_dialog is not None and screen.payment_dialog.isVisible())
    dialog = screen.payment_dialog
    assert dialog is not None
    dialog.amount.setText("50")
    qtbot.keyClick(dialog.amount, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(last_tickets(runtime.store, 1)) == 1)
    ticket = last_tickets(runtime.store, 1)[0]
    total = _total(runtime, item, 1)
    assert ticket.total_tax_incl == total
    assert ticket.change == Decimal(50) - total
    qtbot.waitUntil(lambda: ticket.number in screen.message.text())
    assert format_money(ticket.change) in screen.message.text()
    assert _lines(screen) == 0 and screen.total_label.text() == format_money(Decimal(0))
    session = current_cash_session(runtime.store)
    assert session is not None and session.opening_float == Decimal(100)


def test_under_payment_is_refused_with_what_is_missing(
    qtbot: QtBot, screen: SaleScreen, runtime: TillRuntime
) -> None:
    open_cash_session(runtime.store, Decimal(0), runtime.employee.id_employee)
    item = _product(runtime)
    _scan(qtbot, screen, item.ean13)
    _scan(qtbot, screen, item.ean13)
    qtbot.waitUntil(lambda: _quantity(screen) == 2)
    dialog = _open_payment(qtbot, screen)
    dialog.amount.setText("1")
    qtbot.keyClick(dialog.amount, Qt.Key.Key_Return)
    missing = _total(runtime, item, 2) - 1
    assert f"{format_money(missing)} missing" in dialog.message.text()
    assert dialog.isVisible()
    dialog.finish()
    assert dialog.isVisible()
    assert last_tickets(runtime.store, 1) == []
    dialog.on_card()  # the rest by card: a split payment
    qtbot.waitUntil(lambda: len(last_tickets(runtime.store, 1)) == 1)
    ticket = last_tickets(runtime.store, 1)[0]
    assert sorted(p.method for p in ticket.payments) == ["card", "cash"]


def test_fast_scans_keep_their_order_and_f12_waits_for_them(
    qtbot: QtBot, screen: SaleScreen, runtime: TillRuntime
) -> None:
    open_cash_session(runtime.store, Decimal(0), runtime.employee.id_employee)
    first = _product(runtime)
    with runtime.store.read() as session:
        other = session.scalars(
            select(CatalogProduct.ean13).where(
                CatalogProduct.ean13 != first.ean13,
                CatalogProduct.ean13 != "",
                CatalogProduct.active,
                ~CatalogProduct.has_combinations,
            )
        ).first()
    assert other is not None
    for code in (first.ean13, other, first.ean13):
        _scan(qtbot, screen, code)
    qtbot.keyClick(screen.search.field, Qt.Key.Key_F12)
    qtbot.waitUntil(lambda: screen.payment_dialog is not None and screen.payment_dialog.isVisible())
    assert screen.cart is not None
    assert [line.item.ean13 for line in screen.cart.lines] == [first.ean13, other]
    assert [line.quantity for line in screen.cart.lines] == [2, 1]
    assert screen.payment_dialog is not None
    assert screen.payment_dialog.plan.total == screen.cart.totals.total_tax_incl
