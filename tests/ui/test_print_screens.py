"""The printing screens for real: a network printer that is off then on, reprints, settings."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from app.print_service import PrinterConfig, load_printer_config, save_printer_config
from app.till.cash_drawer import open_cash_session
from app.till.records import Ticket
from app.till.store import TillStore, open_store
from app.till.tickets import get_ticket, record_sale
from printing.backends import Transport
from printing.sample import sample_ticket
from tests.integration.test_printing_backends import FakePrinter
from tests.support.escpos_reader import read
from ui.printing.print_flow import PrintFlow
from ui.printing.printer_settings import PrinterSettingsDialog
from ui.printing.reprint_dialog import ReprintDialog
from ui.tasks import TaskManager

WAIT_MS = 10_000
Sold = tuple[TillStore, Ticket]


@pytest.fixture
def sold(tmp_path: Path) -> Iterator[Sold]:
    store = open_store("T1", tmp_path / "till.sqlite3")
    try:
        open_cash_session(store, Decimal("100.00"), employee=2)
        yield store, record_sale(store, replace(sample_ticket(), number=""))
    finally:
        store.close()


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


class PrinterOnPort:
    """A network printer switched on at a given port: answers the status, keeps the bytes."""

    def __init__(self, port: int) -> None:
        self.server = socket.create_server(("127.0.0.1", port))
        self.received = bytearray()
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        conn, _addr = self.server.accept()
        with conn:
            while chunk := conn.recv(65536):
                self.received += chunk
                conn.sendall(b"\x12" * chunk.count(b"\x10\x04"))
        self.done.set()

    def close(self) -> None:
        self.server.close()
        self.thread.join(5)


def _free_port() -> int:
    with socket.create_server(("127.0.0.1", 0)) as probe:
        return int(probe.getsockname()[1])


def _settings(tmp_path: Path, spec: str, **changes: object) -> Path:
    path = tmp_path / "settings.json"
    save_printer_config(path, replace(PrinterConfig(spec=spec, timeout_s=1), **changes))
    return path


def test_printer_off_offers_retry_and_retry_prints_once_it_is_on(
    qtbot: QtBot,
    window: QWidget,
    tasks: TaskManager,
    sold: tuple[TillStore, Ticket],
    tmp_path: Path,
) -> None:
    store, ticket = sold
    port = _free_port()
    flow = PrintFlow(window, tasks, _settings(tmp_path, f"tcp:127.0.0.1:{port}"))
    with qtbot.waitSignal(flow.print_failed, timeout=WAIT_MS) as failed:
        flow.print_ticket(store, ticket)
    assert "Cannot reach the printer" in failed.args[0]
    dialog = flow.problem_dialog(ticket.number)
    assert dialog is not None and dialog.isVisible() and not dialog.isModal()
    assert "check it is on, has paper and the cable. The sale is recorded." in dialog.advice.text()
    assert "Cannot reach the printer" in dialog.reason.text()
    assert dialog.retry_button.text() == "Retry (R)" and dialog.skip_button.text() == "Skip (Esc)"
    assert get_ticket(store, ticket.number) == ticket  # the sale stays done
    printer = PrinterOnPort(port)
    try:
        dialog.activateWindow()
        qtbot.waitActive(dialog)
        with qtbot.waitSignal(flow.printed, timeout=WAIT_MS) as printed:
            qtbot.keyClick(dialog, Qt.Key.Key_R)
        assert printed.args == [ticket.number]
        assert printer.done.wait(5)
    finally:
        printer.close()
    decoded = read(bytes(printer.received).replace(b"\x10\x04\x01\x10\x04\x04", b""))
    assert decoded.qr == [ticket.number] and len(decoded.pulses) == 1  # cash: drawer opens
    qtbot.waitUntil(lambda: flow.problem_dialog(ticket.number) is None)


def test_a_till_without_a_printer_says_so_without_a_dialog(
    qtbot: QtBot,
    window: QWidget,
    tasks: TaskManager,
    sold: tuple[TillStore, Ticket],
    tmp_path: Path,
) -> None:
    store, ticket = sold
    flow = PrintFlow(window, tasks, _settings(tmp_path, ""))
    with qtbot.waitSignal(flow.print_failed, timeout=WAIT_MS) as failed:
        flow.print_ticket(store, ticket)
    assert failed.args == ["No ticket printer is configured."]
    assert flow.problem_dialog(ticket.number) is None  # the cashier sells on undisturbed


def test_a_silent_printer_does_not_hold_the_window(
    qtbot: QtBot,
    window: QWidget,
    tasks: TaskManager,
    sold: tuple[TillStore, Ticket],
    tmp_path: Path,
) -> None:
    store, ticket = sold
    silent = FakePrinter(silent=True)
    try:
        flow = PrintFlow(window, tasks, _settings(tmp_path, f"tcp:127.0.0.1:{silent.port}"))
        started = time.monotonic()
        with qtbot.waitSignal(flow.print_failed, timeout=WAIT_MS) as failed:
            flow.print_ticket(store, ticket.number)
            assert time.monotonic() - started < 0.5  # returned at once; the pool waits
    finally:
        silent.close()
    assert "did not answer in 1 s" in failed.args[0]
    dialog = flow.problem_dialog(ticket.number)
    assert dialog is not None
    qtbot.mouseClick(dialog.skip_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: flow.problem_dialog(ticket.number) is None)
    assert get_ticket(store, ticket.number) == ticket


def test_reprint_dialog_previews_and_reprints_a_copy_without_the_drawer(
    qtbot: QtBot,
    window: QWidget,
    tasks: TaskManager,
    sold: tuple[TillStore, Ticket],
    tmp_path: Path,
) -> None:
    store, ticket = sold
    paper = tmp_path / "paper.bin"
    flow = PrintFlow(window, tasks, _settings(tmp_path, f"file:{paper}", width_mm=58))
    dialog = ReprintDialog(window, tasks, store, flow)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(
        lambda: dialog.list.count() == 1 and dialog.preview.has_paper(), timeout=WAIT_MS
    )
    assert dialog.list.item(0).text().startswith(ticket.number)
    assert dialog.preview.original.width() == 58 * 8  # the paper at printer resolution
    dialog.activateWindow()
    qtbot.waitActive(dialog)
    with qtbot.waitSignal(flow.printed, timeout=WAIT_MS):
        qtbot.keyClick(dialog, Qt.Key.Key_F9)
    copy = read(paper.read_bytes())
    assert copy.texts.count("*** COPY ***") == 2 and copy.pulses == []
    assert dialog.status.text() == f"{ticket.number} printed."
    paper.unlink()
    with qtbot.waitSignal(flow.printed, timeout=WAIT_MS):
        qtbot.keyClick(dialog, Qt.Key.Key_F10)
    gift = read(paper.read_bytes())
    assert "GIFT TICKET" in gift.text and "€" not in gift.text and gift.pulses == []


def test_reprint_search_filters_and_says_when_a_number_is_unknown(
    qtbot: QtBot,
    window: QWidget,
    tasks: TaskManager,
    sold: tuple[TillStore, Ticket],
    tmp_path: Path,
) -> None:
    store, ticket = sold
    flow = PrintFlow(window, tasks, _settings(tmp_path, f"file:{tmp_path / 'p.bin'}"))
    dialog = ReprintDialog(window, tasks, store, flow)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.list.count() == 1, timeout=WAIT_MS)
    qtbot.keyClicks(dialog.search, "999999")
    assert dialog.list.item(0).isHidden() and not dialog.reprint_button.isEnabled()
    qtbot.keyClick(dialog.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "There is no ticket 999999" in dialog.status.text(), timeout=WAIT_MS)
    dialog.search.setText(ticket.number[-6:])
    assert dialog.selected_number() == ticket.number and dialog.reprint_button.isEnabled()


def test_settings_test_print_reaches_a_file_printer_and_saved_settings_reload(
    qtbot: QtBot, window: QWidget, tasks: TaskManager, tmp_path: Path
) -> None:
    path = tmp_path / "settings.json"
    paper = tmp_path / "test.bin"
    dialog = PrinterSettingsDialog(window, tasks, path)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(dialog.preview.has_paper, timeout=WAIT_MS)  # the sample, as the paper
    assert dialog.config() == PrinterConfig()
    dialog.printer.kind.setCurrentIndex(dialog.printer.kind.findData(Transport.FILE.value))
    dialog.printer.path.setText(str(paper))
    dialog.paper.setCurrentIndex(dialog.paper.findData("80-42"))
    dialog.cut.setCurrentIndex(dialog.cut.findData("partial"))
    dialog.tax_id.setText("B99999999")
    dialog.activateWindow()
    qtbot.waitActive(dialog)
    qtbot.keyClick(dialog, Qt.Key.Key_F9)
    qtbot.waitUntil(lambda: dialog.status.text() == "Test ticket printed.", timeout=WAIT_MS)
    printed = read(paper.read_bytes())
    assert "Tax ID: B99999999" in printed.text and printed.cuts == ["partial"]
    assert max(len(line.text) for line in printed.lines) == 42
    with qtbot.waitSignal(dialog.saved, timeout=WAIT_MS) as saved:
        qtbot.keyClick(dialog, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert load_printer_config(path) == saved.args[0] == dialog.config()
    assert saved.args[0].spec == f"file:{paper}" and saved.args[0].columns == 42
    again = PrinterSettingsDialog(window, tasks, path)
    qtbot.addWidget(again)
    qtbot.waitUntil(lambda: again.config() == saved.args[0], timeout=WAIT_MS)


@pytest.mark.parametrize(
    "spec", ["tcp:192.168.1.50:9101", "usb:04b8:0e15", "serial:COM3:19200", "win:EPSON TM-T20"]
)
def test_settings_form_shows_and_rebuilds_every_kind_of_printer(
    qtbot: QtBot, window: QWidget, tasks: TaskManager, tmp_path: Path, spec: str
) -> None:
    path = _settings(tmp_path, spec, drawer_pin=5, status_check=False)
    dialog = PrinterSettingsDialog(window, tasks, path)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.config().spec == spec, timeout=WAIT_MS)
    config = dialog.config()
    assert config.drawer_pin == 5 and not config.status_check
