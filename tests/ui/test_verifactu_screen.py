"""The fiscal records screen: a manager sees the records, the chain verified, what is waiting,
and sends the waiting records to the AEAT (a local HTTPS server) with Ctrl+E."""

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
from app.verifactu.records import configure
from app.verifactu.sender import SenderConfig, set_certificate_password
from tests.support.aeat_server import FakeAeat, Pki, fake_aeat, make_pki
from ui.tasks import TaskManager
from ui.verifactu_screen import VerifactuScreen


@pytest.fixture
def store(tmp_path: Path) -> Iterator[TillStore]:
    with open_store("T1", tmp_path / "till-T1.sqlite3") as till:
        open_cash_session(till, D("100.00"), 1)
        configure(till, Identity(True, "89890001K", "Tienda Demo SL", "T1-0001", "test"))
        for _ in range(3):
            record_sale(till, sample_ticket("T1", [Item(1, 1, D("12.10"))]))
        yield till


@pytest.fixture
def pki(tmp_path: Path) -> Pki:
    pki = make_pki(tmp_path)
    set_certificate_password(str(pki.client_p12), pki.password)
    return pki


@pytest.fixture
def aeat(pki: Pki) -> Iterator[FakeAeat]:
    with fake_aeat(pki) as server:
        yield server


def _accept(body: bytes) -> tuple[int, bytes]:
    from tests.integration.test_verifactu_sending import _accept_all, _answer

    return 200, _answer(body, _accept_all)


def test_manager_sees_the_records_and_sends_the_waiting_ones(
    qtbot: QtBot, store: TillStore, aeat: FakeAeat, pki: Pki
) -> None:
    aeat.responder = _accept
    tasks = TaskManager()
    config = SenderConfig(aeat.url, str(pki.client_p12), verify=str(pki.ca), timeout_s=10)
    screen = VerifactuScreen(tasks, store, lambda: config)
    qtbot.addWidget(screen)
    screen.resize(1024, 768)
    screen.show()
    qtbot.waitUntil(lambda: screen.table.rowCount() == 3, timeout=10_000)
    assert "3 records" in screen.chain_label.text()
    assert "3 records waiting" in screen.queue_label.text()
    assert screen.table.item(0, 1).text() == "F2"
    assert screen.send_button.height() >= 44
    with qtbot.waitSignal(screen.sent, timeout=10_000) as sent:
        qtbot.keyClick(screen, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    assert sent.args[0].accepted == 3
    qtbot.waitUntil(lambda: "0 records waiting" in screen.queue_label.text(), timeout=10_000)
    assert screen.table.item(0, 5).text() == "Accepted"
    qtbot.waitUntil(lambda: tasks.pending == 0, timeout=10_000)
    tasks.shutdown()
