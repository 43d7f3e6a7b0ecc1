"""Full invoices at the till: F10 in the payment dialog (F1), F8 in the reprint screen (F3)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from app.config import settings as cfg
from app.till.cash_drawer import open_cash_session
from app.till.invoices import invoice_for
from app.till.records import Ticket
from app.till.store import TillStore, open_store
from app.till.tickets import last_tickets, record_sale
from app.till_runtime import TillRuntime
from app.verifactu.recipient import Recipient
from printing.sample import sample_ticket
from tests.support.escpos_reader import read
from tests.ui.test_tpv_sale import _product, _scan
from ui.printing.print_flow import PrintFlow
from ui.printing.reprint_dialog import ReprintDialog
from ui.tasks import TaskManager
from ui.tpv.invoice_form import InvoiceForm
from ui.tpv.payment_dialog import PaymentDialog
from ui.tpv.sale_screen import SaleScreen

WAIT_MS = 10_000
ACME = Recipient("Ferretería Acme SL", "B12345674", "C/ Mayor 2", "28013", "Madrid")


@pytest.fixture
def tasks() -> Iterator[TaskManager]:
    manager = TaskManager()
    yield manager
    manager.shutdown()


@pytest.fixture
def window(qtbot: QtBot) -> QWidget:
    widget = QWidget()
    qtbot.addWidget(widget)
    widget.resize(1024, 768)
    widget.show()
    return widget


def _fill(form: InvoiceForm, recipient: Recipient) -> None:
    form.set_recipient(recipient)


def test_f10_asks_the_customers_data_and_refuses_a_wrong_tax_id(
    qtbot: QtBot, window: QWidget
) -> None:
    dialog = PaymentDialog(window, Decimal("12.10"))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert not dialog.invoice_form.isVisible()
    assert dialog.invoice_button.shortcut().toString() == "F10"
    dialog.invoice_button.click()
    assert dialog.invoice_form.isVisible() and dialog.invoice_button.isChecked()
    assert dialog.height() <= 740  # usable at 1024×768
    dialog.set_known_recipient(replace(ACME, tax_id="B12345678", address=""))
    assert dialog.invoice_form.name.text() == "Ferretería Acme SL"
    dialog.take_cash(Decimal("20"))
    assert "check character of B12345678 is wrong: it should be 4" in dialog.message.text()
    assert dialog.isVisible() and dialog.recipient is None
    dialog.invoice_form.tax_id.setText("B12345674")
    dialog.finish()
    assert "address" in dialog.message.text() and dialog.isVisible()
    dialog.invoice_form.address.setText("C/ Mayor 2")
    with qtbot.waitSignal(dialog.accepted):
        dialog.finish()
    assert dialog.recipient == ACME


def test_without_f10_the_sale_stays_a_simplified_ticket(qtbot: QtBot, window: QWidget) -> None:
    dialog = PaymentDialog(window, Decimal("12.10"))
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.set_known_recipient(ACME)  # offered, not used unless F10
    with qtbot.waitSignal(dialog.accepted):
        dialog.take_cash(Decimal("20"))
    assert dialog.recipient is None


@pytest.mark.parametrize("demo_shop_db", ["sqlite"], indirect=True)
def test_a_sale_charged_as_full_invoice_is_numbered_in_the_invoice_series(
    qtbot: QtBot, screen: SaleScreen, runtime: TillRuntime
) -> None:
    open_cash_session(runtime.store, Decimal("100.00"), 1)
    item = _product(runtime)
    _scan(qtbot, screen, item.ean13)
    qtbot.waitUntil(lambda: screen.model.rowCount() == 1)
    qtbot.keyClick(screen.search.field, Qt.Key.Key_F12)
    qtbot.waitUntil(lambda: screen.payment_dialog is not None and screen.payment_dialog.isVisible())
    dialog = screen.payment_dialog
    assert dialog is not None
    dialog.invoice_button.click()
    _fill(dialog.invoice_form, ACME)
    dialog.amount.setText("50")
    qtbot.keyClick(dialog.amount, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(last_tickets(runtime.store, 1)) == 1, timeout=WAIT_MS)
    ticket = last_tickets(runtime.store, 1)[0]
    assert ticket.number.startswith("T1-F-")
    qtbot.waitUntil(lambda: f"Invoice {ticket.number}" in screen.message.text())
    invoice = invoice_for(runtime.store, ticket.number)
    assert invoice is not None and invoice.recipient.tax_id == "B12345674"


@pytest.fixture
def sold(tmp_path: Path) -> Iterator[tuple[TillStore, Ticket]]:
    store = open_store("T1", tmp_path / "till.sqlite3")
    try:
        open_cash_session(store, Decimal("100.00"), employee=2)
        yield store, record_sale(store, replace(sample_ticket(), number=""))
    finally:
        store.close()


def _settings(tmp_path: Path, paper: Path) -> Path:
    settings = cfg.Settings(tmp_path / "settings.json")
    settings.set(cfg.PRINTER, f"file:{paper}")
    settings.set(cfg.RECEIPT_TAX_ID, "B12345678")
    settings.save()
    return tmp_path / "settings.json"


def test_f8_exchanges_a_ticket_for_an_invoice_once_and_prints_it(
    qtbot: QtBot,
    window: QWidget,
    tasks: TaskManager,
    sold: tuple[TillStore, Ticket],
    tmp_path: Path,
) -> None:
    store, ticket = sold
    paper = tmp_path / "paper.bin"
    flow = PrintFlow(window, tasks, _settings(tmp_path, paper))
    dialog = ReprintDialog(window, tasks, store, flow)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.list.count() == 1, timeout=WAIT_MS)
    dialog.activateWindow()
    qtbot.waitActive(dialog)
    qtbot.keyClick(dialog, Qt.Key.Key_F8)
    qtbot.waitUntil(lambda: dialog.invoice_dialog is not None, timeout=WAIT_MS)
    form = dialog.invoice_dialog
    assert form is not None and form.isVisible()
    _fill(form.form, replace(ACME, tax_id="12345678A"))
    form.on_issue()
    assert "it should be Z" in form.message.text() and form.isVisible()
    _fill(form.form, ACME)
    with qtbot.waitSignal(flow.printed, timeout=WAIT_MS) as printed:
        form.on_issue()
    number = printed.args[0] if printed.args else ""
    assert number.startswith("T1-F-") and dialog.list.item(0).text().startswith(number)
    decoded = read(paper.read_bytes())
    assert "INVOICE" in decoded.texts
    assert f"Replaces simplified invoice {ticket.number}" in " ".join(decoded.texts)
    dialog.list.setCurrentRow(1)
    assert dialog.selected_number() == ticket.number
    dialog.invoice_button.click()
    qtbot.waitUntil(lambda: "already exchanged" in dialog.status.text(), timeout=WAIT_MS)
    assert number in dialog.status.text()
