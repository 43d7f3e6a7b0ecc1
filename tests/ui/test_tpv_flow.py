"""A cashier's whole shift in the real main window on the demo shop, checked against what the
till recorded: sign in, open the cash session, scan three items (one with a size/colour),
a discount a manager approves, park and recall, a split payment, a return, and the closing
with a difference."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.connection import ShopTarget, parse_url
from app.till.cash_drawer import get_cash_session
from app.till.cash_session import CashSessionState
from app.till.models_catalog import CatalogProduct
from app.till.parked import parked_tickets
from app.till.records import TenderKind, Ticket, TicketKind
from app.till.store import TillStore
from app.till.tickets import last_tickets
from app.till_runtime import TillRuntime
from tests.support.tpv import sign_in, wait_dialog
from ui.main_window import MainWindow
from ui.tpv.cash_open import CashOpenDialog
from ui.tpv.dialogs import CombinationDialog
from ui.tpv.discount_dialog import DiscountDialog
from ui.tpv.manager_approval import ManagerApprovalDialog
from ui.tpv.parked_dialog import ParkedDialog, ParkNoteDialog
from ui.tpv.sale_screen import SaleScreen

ADMIN, LUCIA = 1, 2  # the demo shop's SuperAdmin and a cashier


def _codes(store: TillStore) -> tuple[str, str, str]:
    """Two products without versions and one with sizes/colours, by their EAN13."""
    with store.read() as session:
        plain = session.scalars(
            select(CatalogProduct.ean13)
            .where(CatalogProduct.ean13 != "", CatalogProduct.active)
            .where(~CatalogProduct.has_combinations)
            .order_by(CatalogProduct.id_product)
        ).all()
        varied = session.scalars(
            select(CatalogProduct.ean13)
            .where(CatalogProduct.ean13 != "", CatalogProduct.active)
            .where(CatalogProduct.has_combinations)
            .order_by(CatalogProduct.id_product)
        ).first()
    assert len(plain) >= 2 and varied
    return plain[0], plain[1], varied


def _scan(qtbot: QtBot, screen: SaleScreen, code: str) -> None:
    qtbot.keyClicks(screen.search.field, code)
    qtbot.keyClick(screen.search.field, Qt.Key.Key_Return)


def _key(qtbot: QtBot, screen: SaleScreen, key: Qt.Key, shift: bool = False) -> None:
    screen.window().activateWindow()  # back from the last dialog
    qtbot.waitUntil(screen.window().isActiveWindow)
    modifier = Qt.KeyboardModifier.ShiftModifier if shift else Qt.KeyboardModifier.NoModifier
    qtbot.keyClick(screen.search.field, key, modifier)


def _fill_cart(qtbot: QtBot, window: MainWindow, runtime: TillRuntime) -> None:
    screen = window.sale
    first, second, varied = _codes(runtime.store)
    _scan(qtbot, screen, first)
    _scan(qtbot, screen, second)
    qtbot.waitUntil(lambda: screen.model.rowCount() == 2)
    _scan(qtbot, screen, varied)
    versions: CombinationDialog = wait_dialog(qtbot, CombinationDialog)
    assert versions.chosen() is not None
    versions.accept()
    qtbot.waitUntil(lambda: screen.model.rowCount() == 3)
    # 25 % off the selected (last) line: more than a cashier may give alone.
    _key(qtbot, screen, Qt.Key.Key_F8)
    discount: DiscountDialog = wait_dialog(qtbot, DiscountDialog)
    discount.amount.setText("25")
    qtbot.keyClick(discount.amount, Qt.Key.Key_Return)
    approval: ManagerApprovalDialog = wait_dialog(qtbot, ManagerApprovalDialog)
    qtbot.waitUntil(lambda: approval.list.count() > 0)
    approval.on_secret("admin1234")
    cart = screen.cart
    assert cart is not None
    qtbot.waitUntil(lambda: cart.lines[-1].discount_percent == Decimal(25), timeout=10_000)


def _park_and_recall(qtbot: QtBot, window: MainWindow, runtime: TillRuntime) -> None:
    screen = window.sale
    assert screen.cart is not None
    before = screen.cart.to_json()
    _key(qtbot, screen, Qt.Key.Key_F6)
    note: ParkNoteDialog = wait_dialog(qtbot, ParkNoteDialog)
    note.field.setText("Vuelve con la talla")
    qtbot.keyClick(note.field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: screen.model.rowCount() == 0)
    assert len(parked_tickets(runtime.store)) == 1
    _key(qtbot, screen, Qt.Key.Key_F7)
    recall: ParkedDialog = wait_dialog(qtbot, ParkedDialog)
    qtbot.keyClick(recall.list, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: screen.model.rowCount() == 3)
    assert screen.cart is not None and screen.cart.to_json() == before
    assert parked_tickets(runtime.store) == []


def _pay_split(qtbot: QtBot, window: MainWindow, runtime: TillRuntime) -> Ticket:
    screen = window.sale
    _key(qtbot, screen, Qt.Key.Key_F12)
    opening: CashOpenDialog = wait_dialog(qtbot, CashOpenDialog)  # no session open yet
    opening.amount.setText("100,00")
    qtbot.keyClick(opening.amount, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: screen.payment_dialog is not None and screen.payment_dialog.isVisible())
    payment = screen.payment_dialog
    assert payment is not None
    payment.amount.setText("20")
    qtbot.keyClick(payment.amount, Qt.Key.Key_Return)  # 20 € in cash, not enough yet
    assert last_tickets(runtime.store, 1) == []
    payment.on_card()  # the rest by card
    qtbot.waitUntil(lambda: len(last_tickets(runtime.store, 1)) == 1)
    return last_tickets(runtime.store, 1)[0]


def _active(qtbot: QtBot, window: MainWindow) -> None:
    window.activateWindow()  # back from the last dialog: the window's keys reach it
    qtbot.waitUntil(window.isActiveWindow)


def _return_first_line(qtbot: QtBot, window: MainWindow, sale: Ticket) -> Ticket:
    _active(qtbot, window)
    window.actions_["returns"].trigger()
    screen = window.returns
    assert window.stack.currentWidget() is screen
    qtbot.keyClicks(screen.number, sale.number)
    qtbot.keyClick(screen.number, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: screen.context is not None)
    screen.cell(1).plus.click()
    with qtbot.waitSignal(screen.refund_recorded) as recorded:
        qtbot.keyClick(screen.number, Qt.Key.Key_F12)
    refund: Ticket = recorded.args[0]
    return refund


def _close_short(qtbot: QtBot, window: MainWindow, expected: Decimal) -> str:
    _active(qtbot, window)
    window.actions_["cash_close"].trigger()
    screen = window.cash_close
    qtbot.waitUntil(lambda: screen.start is not None)
    qtbot.keyClick(screen, Qt.Key.Key_F4)  # count a total, not note by note
    qtbot.waitUntil(lambda: not screen.by_pieces)
    counted = format(expected - Decimal(5), "f").replace(".", ",")
    screen.total_field.setText(counted)
    screen.total_field.textEdited.emit(counted)
    qtbot.keyClick(screen, Qt.Key.Key_F12)
    qtbot.waitUntil(lambda: "F12 again" in screen.message.text())
    with qtbot.waitSignal(screen.closed) as closed:
        qtbot.keyClick(screen, Qt.Key.Key_F12)
    return str(closed.args[0].session.id)


@pytest.mark.parametrize("demo_shop_db", ["sqlite"], indirect=True)
def test_a_cashiers_shift_is_recorded_as_done_on_screen(
    qtbot: QtBot, demo_shop_db: Any, tmp_path: Path
) -> None:
    target = ShopTarget(url=parse_url(demo_shop_db.url), prefix=demo_shop_db.prefix, demo=True)
    window = MainWindow(target, till="T1", store=tmp_path / "till-T1.sqlite3")
    qtbot.addWidget(window)
    window.resize(1024, 768)
    window.show()
    sign_in(qtbot, window, "Lucía", "caja1234")
    runtime = window.runtime
    assert runtime is not None

    _fill_cart(qtbot, window, runtime)
    _park_and_recall(qtbot, window, runtime)
    sale = _pay_split(qtbot, window, runtime)

    assert sale.kind is TicketKind.SALE and sale.id_employee == LUCIA
    assert len(sale.lines) == 3 and sale.lines[2].id_product_attribute > 0
    assert sale.lines[2].discount_percent == Decimal(25)
    assert sale.lines[2].discount_approved_by == ADMIN  # who approved it is on the ticket
    paid = {p.tender: p.amount for p in sale.payments}
    assert paid[TenderKind.CASH] == Decimal(20)
    assert paid[TenderKind.CARD] == sale.total_tax_incl - Decimal(20)

    refund = _return_first_line(qtbot, window, sale)
    assert refund.kind is TicketKind.REFUND and refund.original_ticket == sale.number
    assert [(line.line_no, line.quantity) for line in refund.lines] == [(1, 1)]
    assert refund.total_tax_incl == sale.lines[0].total_tax_incl
    cash_back = sum((p.amount for p in refund.payments if p.tender is TenderKind.CASH), Decimal(0))

    expected = Decimal(100) + Decimal(20) - cash_back
    session_id = _close_short(qtbot, window, expected)
    closed = get_cash_session(runtime.store, session_id)
    assert closed is not None and closed.state is CashSessionState.CLOSED
    assert closed.expected == expected
    assert closed.difference == Decimal(-5)
    window.close()
