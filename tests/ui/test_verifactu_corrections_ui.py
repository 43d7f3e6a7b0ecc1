"""A manager sees the records the AEAT rejected, in plain words, and corrects a customer's tax
ID from the fiscal records screen (F6, then F12): a new record goes to the queue."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal as D
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.till.cash_drawer import open_cash_session
from app.till.samples import Item, sample_ticket
from app.till.store import TillStore, open_store
from app.till.tickets import record_sale
from app.verifactu.ledger import Identity
from app.verifactu.recipient import Recipient
from app.verifactu.records import configure
from app.verifactu.sender import SenderConfig, queue_summary, send_due, set_certificate_password
from tests.integration.test_verifactu_corrections import WITH_CORRECTIONS
from tests.integration.test_verifactu_sending import _answer
from tests.support.aeat_server import fake_aeat, make_pki
from ui.tasks import TaskManager
from ui.verifactu_screen import VerifactuScreen

ACME = Recipient("Ferretería Acme SL", "B12345674", "C/ Mayor 2", "28013", "Madrid")


@pytest.fixture
def store(tmp_path: Path) -> Iterator[TillStore]:
    with open_store("T1", tmp_path / "till-T1.sqlite3", migrations=WITH_CORRECTIONS) as till:
        open_cash_session(till, D("100.00"), 1)
        configure(till, Identity(True, "89890001K", "Tienda Demo SL", "T1-0001", "test"))
        full = record_sale(till, sample_ticket("T1", [Item(1, 1, D("12.10"))]), ACME)
        simple = record_sale(till, sample_ticket("T1", [Item(1, 1, D("12.10"))]))
        errors = {full.number: ("Incorrecto", "1193"), simple.number: ("Incorrecto", "2005")}

        def verdict(number: str) -> tuple[str, str, str]:
            status, code = errors[number]
            return status, code, "Mensaje de la AEAT"

        pki = make_pki(tmp_path)
        set_certificate_password(str(pki.client_p12), pki.password)
        with fake_aeat(pki) as aeat:
            aeat.responder = lambda body: (200, _answer(body, verdict))
            config = SenderConfig(aeat.url, str(pki.client_p12), verify=str(pki.ca))
            assert send_due(till, config, force=True).rejected == 2
        yield till


def test_manager_corrects_the_customer_of_a_rejected_invoice(
    qtbot: QtBot, store: TillStore
) -> None:
    tasks = TaskManager()
    screen = VerifactuScreen(tasks, store)
    qtbot.addWidget(screen)
    screen.resize(1024, 768)
    screen.show()
    qtbot.waitUntil(lambda: screen.fix_table.rowCount() == 2, timeout=10_000)
    assert "2 records to fix" in screen.fix_label.text()
    numbers = [screen.fix_table.item(row, 0).text() for row in range(2)]
    simple_row = next(r for r in range(2) if screen.fix_table.item(r, 1).text() == "F2")
    screen.fix_table.setCurrentCell(simple_row, 0)
    assert not screen.fix_button.isEnabled()  # amounts: explained, not corrected here
    assert "amounts" in screen.fix_table.item(simple_row, 3).text()
    assert "2005" in screen.fix_table.item(simple_row, 2).text()
    screen.fix_table.setCurrentCell(1 - simple_row, 0)
    assert screen.fix_button.isEnabled() and screen.fix_button.height() >= 44
    assert "census" in screen.fix_table.item(1 - simple_row, 3).text()
    qtbot.keyClick(screen, Qt.Key.Key_F6)
    dialog = screen.fix_dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)
    assert dialog.form.tax_id.text() == "B12345674" and dialog.form.city.text() == "Madrid"
    dialog.form.tax_id.setText("B12345670")  # wrong control digit: said, not saved
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and "should be 4" in dialog.error.text()
    dialog.form.name.setText("Ana Gil Pérez")
    dialog.form.tax_id.setText("12345678Z")
    assert dialog.save_button.height() >= 44 and "(F12)" in dialog.save_button.text()
    with qtbot.waitSignal(screen.corrected, timeout=10_000) as corrected:
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    record = corrected.args[0]
    assert record.number in numbers and record.body["recipient"]["nif"] == "12345678Z"
    qtbot.waitUntil(lambda: screen.fix_table.rowCount() == 1, timeout=10_000)
    assert screen.table.rowCount() == 3 and screen.table.item(0, 0).text() == record.number
    assert queue_summary(store).pending == 1
    qtbot.waitUntil(lambda: tasks.pending == 0, timeout=10_000)
    tasks.shutdown()
