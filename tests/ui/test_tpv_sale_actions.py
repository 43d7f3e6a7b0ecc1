"""The sale screen's actions on a till filled from the small demo shop: the customer (F4),
park and recall (F6/F7), discounts with and without a manager's approval (F8, Shift+F8)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.sale.cart import Cart
from app.sale.price_inputs import find_employee
from app.till.cash_drawer import open_cash_session
from app.till.customers import local_customers
from app.till.models_catalog import CatalogCustomer, CatalogProduct
from app.till.parked import parked_tickets
from app.till.tickets import last_tickets
from app.till_runtime import TillRuntime
from ui.tpv.customer_dialog import CustomerDialog
from ui.tpv.discount_dialog import DiscountDialog
from ui.tpv.manager_approval import ManagerApprovalDialog
from ui.tpv.parked_dialog import ParkedDialog, ParkNoteDialog
from ui.tpv.sale_screen import SaleScreen

pytestmark = pytest.mark.parametrize("demo_shop_db", ["sqlite"], indirect=True)
ADMIN, CASHIER = 1, 2  # the demo shop's SuperAdmin and a cashier (profile 2)


def _codes(runtime: TillRuntime, count: int) -> list[str]:
    """EAN13 codes of ``count`` active products without combinations."""
    with runtime.store.read() as session:
        codes = session.scalars(
            select(CatalogProduct.ean13)
            .where(CatalogProduct.ean13 != "", CatalogProduct.active)
            .where(~CatalogProduct.has_combinations)
            .order_by(CatalogProduct.id_product)
        ).all()
    assert len(codes) >= count
    return list(codes[:count])


def _scan(qtbot: QtBot, screen: SaleScreen, code: str) -> None:
    qtbot.keyClicks(screen.search.field, code)
    qtbot.keyClick(screen.search.field, Qt.Key.Key_Return)


def _fill(qtbot: QtBot, screen: SaleScreen, codes: list[str]) -> Cart:
    for code in codes:
        _scan(qtbot, screen, code)
    qtbot.waitUntil(lambda: screen.model.rowCount() == len(codes))
    assert screen.cart is not None
    return screen.cart


def _dialog(qtbot: QtBot, screen: SaleScreen, kind: type[QDialog]) -> Any:
    qtbot.waitUntil(lambda: any(d.isVisible() for d in screen.findChildren(kind)))
    dialog = next(d for d in screen.findChildren(kind) if d.isVisible())
    qtbot.waitUntil(dialog.isActiveWindow)  # its shortcuts work once it is active
    return dialog


def _pay_exact(qtbot: QtBot, screen: SaleScreen, runtime: TillRuntime) -> None:
    open_cash_session(runtime.store, Decimal(0), runtime.employee.id_employee)
    qtbot.waitUntil(screen.isActiveWindow)  # back from the last dialog: F12 reaches it
    qtbot.keyClick(screen.search.field, Qt.Key.Key_F12)
    qtbot.waitUntil(lambda: screen.payment_dialog is not None and screen.payment_dialog.isVisible())
    assert screen.payment_dialog is not None
    qtbot.keyClick(screen.payment_dialog.amount, Qt.Key.Key_Return)  # exact change
    qtbot.waitUntil(lambda: len(last_tickets(runtime.store, 1)) == 1)


# --- the customer --------------------------------------------------------------------------


def test_f4_finds_a_customer_who_is_on_the_recorded_ticket(
    qtbot: QtBot, screen: SaleScreen, runtime: TillRuntime
) -> None:
    with runtime.store.read() as session:
        known = session.scalars(
            select(CatalogCustomer).where(
                CatalogCustomer.active, CatalogCustomer.email.like("%@example.com")
            )
        ).all()[-1]
    cart = _fill(qtbot, screen, _codes(runtime, 1))
    qtbot.keyClick(screen.search.field, Qt.Key.Key_F4)
    dialog: CustomerDialog = _dialog(qtbot, screen, CustomerDialog)
    qtbot.keyClicks(dialog.field, known.email.split("@")[0])  # ASCII: QTest types no accents
    qtbot.waitUntil(lambda: dialog.results.count() > 0)
    qtbot.keyClick(dialog.field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: cart.customer.id_customer == known.id_customer)
    assert known.firstname in screen.panel.customer_label.text()
    expected = Cart(runtime.source.inner, customer=cart.customer)
    expected.add(cart.lines[0].item)
    assert cart.totals.total_tax_incl == expected.totals.total_tax_incl  # the group's prices
    qtbot.waitUntil(screen.search.field.hasFocus)
    _pay_exact(qtbot, screen, runtime)
    ticket = last_tickets(runtime.store, 1)[0]
    assert (ticket.customer.id_customer, ticket.customer.email) == (known.id_customer, known.email)
    qtbot.waitUntil(lambda: screen.cart is not None and screen.cart.customer.is_walk_in)


def test_a_quick_created_customer_is_kept_and_sold_to_then_walk_in_again(
    qtbot: QtBot, screen: SaleScreen, runtime: TillRuntime
) -> None:
    cart = _fill(qtbot, screen, _codes(runtime, 1))
    qtbot.keyClick(screen.search.field, Qt.Key.Key_F4)
    dialog: CustomerDialog = _dialog(qtbot, screen, CustomerDialog)
    qtbot.keyClicks(dialog.field, "Rosa Nadal")
    qtbot.keyClick(dialog.field, Qt.Key.Key_Insert)
    qtbot.waitUntil(lambda: dialog.pages.currentIndex() == 1)  # a shortcut clicks after 100 ms
    assert (dialog.firstname.text(), dialog.lastname.text()) == ("Rosa", "Nadal")
    qtbot.keyClicks(dialog.email, "rosa@")
    dialog.save_new()
    assert "not an e-mail" in dialog.form_error.text() and local_customers(runtime.store) == []
    dialog.email.setText("rosa.nadal@example.org")
    dialog.phone.setText("600 123 456")
    dialog.save_new()
    qtbot.waitUntil(lambda: cart.customer.email == "rosa.nadal@example.org")
    assert cart.customer.id_customer is None
    assert [c.phone for c in local_customers(runtime.store)] == ["600 123 456"]
    assert "Rosa Nadal" in screen.panel.customer_label.text()
    qtbot.keyClick(screen.search.field, Qt.Key.Key_F4)  # back to the walk-in customer
    again: CustomerDialog = _dialog(qtbot, screen, CustomerDialog)
    qtbot.keyClick(again.field, Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: cart.customer.is_walk_in)
    assert "walk-in" in screen.panel.customer_label.text()
    qtbot.keyClick(screen.search.field, Qt.Key.Key_F4)  # found again before any push
    third: CustomerDialog = _dialog(qtbot, screen, CustomerDialog)
    qtbot.keyClicks(third.field, "600123")
    qtbot.waitUntil(lambda: third.results.count() == 1)
    qtbot.keyClick(third.field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: cart.customer.email == "rosa.nadal@example.org")
    _pay_exact(qtbot, screen, runtime)
    ticket = last_tickets(runtime.store, 1)[0]
    assert (ticket.customer.id_customer, ticket.customer.firstname) == (None, "Rosa")


# --- park and recall -----------------------------------------------------------------------


def test_a_parked_ticket_comes_back_the_same(
    qtbot: QtBot, screen: SaleScreen, runtime: TillRuntime
) -> None:
    cart = _fill(qtbot, screen, _codes(runtime, 2))
    qtbot.keyClick(screen.search.field, Qt.Key.Key_Plus)  # 2 of the second line
    cart.set_line_discount(cart.lines[0].id, Decimal(5))
    before, total = cart.to_json(), cart.totals.total_tax_incl
    qtbot.keyClick(screen.search.field, Qt.Key.Key_F6)
    note: ParkNoteDialog = _dialog(qtbot, screen, ParkNoteDialog)
    note.field.setText("Señora del abrigo")
    qtbot.keyClick(note.field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(parked_tickets(runtime.store)) == 1)
    qtbot.waitUntil(lambda: screen.model.rowCount() == 0)
    assert "parked" in screen.message.text()
    qtbot.keyClick(screen.search.field, Qt.Key.Key_F7)
    recall: ParkedDialog = _dialog(qtbot, screen, ParkedDialog)
    text = recall.list.item(0).text()
    assert "Señora del abrigo" in text and "2 lines" in text
    assert screen.panel.total_label.text() != "" and total > 0
    qtbot.keyClick(recall.list, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: screen.model.rowCount() == 2)
    assert screen.cart is not None and screen.cart.to_json() == before
    assert screen.cart.totals.total_tax_incl == total
    assert parked_tickets(runtime.store) == []
    qtbot.waitUntil(screen.search.field.hasFocus)


def test_recall_with_items_parks_them_first_and_a_parked_ticket_can_be_deleted(
    qtbot: QtBot, screen: SaleScreen, runtime: TillRuntime
) -> None:
    first, second = _codes(runtime, 2)
    _fill(qtbot, screen, [first])
    screen.parking.park_now("uno")
    qtbot.waitUntil(lambda: len(parked_tickets(runtime.store)) == 1)
    qtbot.waitUntil(lambda: screen.model.rowCount() == 0)
    _fill(qtbot, screen, [second])
    qtbot.keyClick(screen.search.field, Qt.Key.Key_F7)  # the cart has items: park them?
    note: ParkNoteDialog = _dialog(qtbot, screen, ParkNoteDialog)
    note.field.setText("dos")
    note.accept()
    recall: ParkedDialog = _dialog(qtbot, screen, ParkedDialog)
    assert recall.list.count() == 2 and screen.model.rowCount() == 0
    recall.delete(str(recall.current_id()))  # the oldest, "uno"
    qtbot.waitUntil(lambda: recall.list.count() == 1)
    assert [p.label for p in parked_tickets(runtime.store)] == ["dos"]
    recall.accept()
    qtbot.waitUntil(lambda: screen.model.rowCount() == 1)
    assert screen.cart is not None and screen.cart.lines[0].item.ean13 == second


# --- discounts -----------------------------------------------------------------------------


def _discount(qtbot: QtBot, screen: SaleScreen, key: Any, value: str, shift: bool = False) -> None:
    modifier = Qt.KeyboardModifier.ShiftModifier if shift else Qt.KeyboardModifier.NoModifier
    qtbot.keyClick(screen.search.field, key, modifier)
    dialog: DiscountDialog = _dialog(qtbot, screen, DiscountDialog)
    dialog.amount.setText(value)
    qtbot.keyClick(dialog.amount, Qt.Key.Key_Return)


def test_a_small_line_discount_needs_no_approval_and_shows_on_the_line(
    qtbot: QtBot, screen: SaleScreen, runtime: TillRuntime
) -> None:
    runtime.employee = find_employee(runtime.store, CASHIER)
    cart = _fill(qtbot, screen, _codes(runtime, 1))
    gross = cart.totals.total_tax_incl
    _discount(qtbot, screen, Qt.Key.Key_F8, "10")
    qtbot.waitUntil(lambda: cart.lines[0].discount_percent == Decimal(10))
    assert cart.lines[0].discount_approved_by is None
    assert screen.model.data(screen.model.index(0, 3)) == "10 %"
    assert cart.totals.total_tax_incl < gross
    assert not screen.findChildren(ManagerApprovalDialog)


def test_a_big_discount_asks_a_manager_then_applies_with_the_approval(
    qtbot: QtBot, screen: SaleScreen, runtime: TillRuntime
) -> None:
    runtime.employee = find_employee(runtime.store, CASHIER)
    cart = _fill(qtbot, screen, _codes(runtime, 1))
    _discount(qtbot, screen, Qt.Key.Key_F8, "25")
    approval: ManagerApprovalDialog = _dialog(qtbot, screen, ManagerApprovalDialog)
    assert cart.lines[0].discount_percent == 0  # nothing until a manager approves
    assert "manager" in screen.message.text()
    qtbot.waitUntil(lambda: approval.list.count() > 0)
    approval.on_secret("admin1234")  # the demo SuperAdmin's PrestaShop password
    qtbot.waitUntil(lambda: cart.lines[0].discount_percent == Decimal(25), timeout=10_000)
    assert cart.lines[0].discount_approved_by == ADMIN
    assert "approved by" in screen.message.text()
    assert screen.model.data(screen.model.index(0, 3)) == "25 %"


def test_a_manager_selling_approves_their_own_ticket_discount(
    qtbot: QtBot, screen: SaleScreen, runtime: TillRuntime
) -> None:
    assert runtime.employee.id_employee == ADMIN
    cart = _fill(qtbot, screen, _codes(runtime, 2))
    gross = cart.totals.total_tax_incl
    _discount(qtbot, screen, Qt.Key.Key_F8, "50", shift=True)
    qtbot.waitUntil(lambda: cart.ticket_discount == Decimal(50))
    assert cart.ticket_discount_approved_by == ADMIN
    assert "50 %" in screen.panel.discount_label.text()
    assert cart.totals.total_tax_incl < gross
    _pay_exact(qtbot, screen, runtime)
    ticket = last_tickets(runtime.store, 1)[0]
    assert ticket.ticket_discount_percent == Decimal(50)
