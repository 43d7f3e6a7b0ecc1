"""The "Report a problem" dialog and the crash handler, against the real receiver."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer, qWarning
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow, QMessageBox, QPushButton
from pytestqt.qtbot import QtBot

from app.bugreport.outbox import ReportOutbox
from app.bugreport.receiver import make_receiver_server
from app.bugreport.report import ReportContext, ShopFacts, basic_context
from app.bugreport.sender import SendPolicy
from app.bugreport.service import BugReporter
from app.logging_setup import flush_logs, setup_logging
from ui import crash_handler
from ui.bug_dialog import BugReportDialog
from ui.errors import show_unexpected

FAST = SendPolicy(timeout_s=5, backoff_initial_s=0.05, backoff_max_s=0.2, idle_poll_s=0.2)


def _context() -> ReportContext:
    return basic_context("T1", ShopFacts("8.1.7", 38.0, 2, 0, True), ("INFO till opened",))


class Received:
    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def ids(self) -> list[str]:
        if not self.directory.exists():
            return []
        return sorted(p.name for p in self.directory.iterdir() if not p.name.startswith("."))


@pytest.fixture
def received(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Received]:
    """A receiver on 127.0.0.1 and the app's reporter sending to it."""
    monkeypatch.setattr(threading, "excepthook", lambda args: None)
    server = make_receiver_server(tmp_path / "received")
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_port}/v1/reports"
    reporter = BugReporter(ReportOutbox(tmp_path / "outbox"), url, policy=FAST)
    reporter.start()
    crash_handler.set_reporter(reporter)
    yield Received(tmp_path / "received")
    crash_handler.shutdown_bug_reports()
    crash_handler.set_reporter(None)
    server.shutdown()
    server.server_close()


@pytest.fixture
def window(qtbot: QtBot) -> QMainWindow:
    window = QMainWindow()
    window.setCentralWidget(QLabel("Sale screen"))
    window.resize(1024, 768)
    qtbot.addWidget(window)
    window.show()
    return window


def _open(qtbot: QtBot, window: QMainWindow) -> BugReportDialog:
    dialog = crash_handler.open_report_dialog(window, _context)
    qtbot.waitUntil(dialog.send_button.isEnabled)
    return dialog


def test_report_flow_sends_exactly_what_the_preview_shows(
    qtbot: QtBot, window: QMainWindow, received: Received
) -> None:
    dialog = _open(qtbot, window)
    assert "T1" in dialog.details.text() and "PrestaShop 8.1.7" in dialog.details.text()
    assert "2 sales waiting" in dialog.details.text()
    dialog.send()
    assert dialog.status.text() == "Please say what happened." and dialog.isVisible()
    qtbot.keyClicks(dialog.what_edit, "The drawer did not open after paying 4111 1111 1111 1111")
    dialog.urgent_radio.setChecked(True)
    qtbot.keyClicks(dialog.email_edit, "owner@shop.example")
    assert not dialog.screenshot_preview.isVisible()  # opt-in
    dialog.screenshot_check.setChecked(True)
    assert dialog.screenshot_preview.isVisible()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    qtbot.keyClick(dialog.what_edit, Qt.Key.Key_F4)
    assert dialog.tabs.currentIndex() == 1
    preview = dialog.preview_edit.toPlainText()
    assert "4111" not in preview and '"priority": "urgent"' in preview
    with qtbot.waitSignal(dialog.report_queued, timeout=5000) as queued:
        qtbot.keyClick(dialog.what_edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert not dialog.isVisible()
    report_id = queued.args[0]
    qtbot.waitUntil(lambda: received.ids() == [report_id], timeout=10_000)
    folder = received.directory / report_id
    sent = (folder / "body.multipart").read_bytes()
    assert sent == dialog.previewed_body
    assert sent.decode("utf-8").replace("\r\n", "\n") == preview
    picture = QPixmap()
    assert picture.loadFromData((folder / "screenshot.png").read_bytes(), "PNG")
    assert picture.width() > 100


def test_buttons_are_big_enough_and_say_their_shortcut(
    qtbot: QtBot, window: QMainWindow, received: Received
) -> None:
    dialog = _open(qtbot, window)
    for button in (dialog.send_button, dialog.cancel_button):
        assert button.height() >= 44
    assert "Ctrl+Enter" in dialog.send_button.text() and "Esc" in dialog.cancel_button.text()
    assert dialog.height() <= 768
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
    assert received.ids() == []


@pytest.mark.qt_no_exception_capture
def test_crashes_open_one_prefilled_dialog_at_a_time(
    qtbot: QtBot, window: QMainWindow, received: Received
) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    handler = crash_handler.install_crash_handler(app, lambda: window, _context)

    def worker_bug() -> None:
        raise ValueError("worker bug")

    for _ in range(20):  # a loop of the same crash in a worker thread
        thread = threading.Thread(target=worker_bug)
        thread.start()
        thread.join()
    qtbot.waitUntil(lambda: handler.dialog is not None and handler.dialog.isVisible())
    first = handler.dialog
    assert first is not None and first.crash is not None
    assert first.crash.type_name == "builtins.ValueError"
    assert "ValueError" in first.details.text() or not first.context_loaded

    def slot_bug() -> None:
        raise KeyError("slot bug")

    QTimer.singleShot(0, slot_bug)  # an exception escaping a Qt slot
    qtbot.waitUntil(lambda: len(handler.waiting) == 1)
    assert handler.dialog is first  # still one dialog
    first.reject()
    qtbot.waitUntil(lambda: handler.dialog is not None and handler.dialog is not first)
    second = handler.dialog
    assert second is not None and second.crash is not None
    assert second.crash.type_name == "builtins.KeyError"
    qtbot.waitUntil(second.send_button.isEnabled)
    with qtbot.waitSignal(second.report_queued, timeout=5000):
        second.send()  # a crash report needs no description: the error says it
    qtbot.waitUntil(lambda: len(received.ids()) == 1, timeout=10_000)


@pytest.mark.qt_no_exception_capture
def test_automatic_reports_need_no_dialog(
    qtbot: QtBot, window: QMainWindow, received: Received
) -> None:
    crash_handler.reporter().auto_send = True
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    handler = crash_handler.install_crash_handler(app, lambda: window, _context)
    thread = threading.Thread(target=lambda: 1 / 0)
    thread.start()
    thread.join()
    qtbot.waitUntil(lambda: len(received.ids()) == 1, timeout=10_000)
    assert handler.dialog is None
    body = (received.directory / received.ids()[0] / "report.json").read_text(encoding="utf-8")
    assert '"automatic": true' in body and "ZeroDivisionError" in body


def test_unexpected_error_offers_to_report_it_once(
    qtbot: QtBot, window: QMainWindow, received: Received
) -> None:
    try:
        {}["missing"]
    except KeyError as exc:
        error = exc
    box = show_unexpected(window, error)
    report = next(b for b in box.buttons() if "Report this problem" in b.text())
    assert isinstance(report, QPushButton)
    report.click()
    qtbot.waitUntil(lambda: _visible_dialog() is not None)
    dialog = _visible_dialog()
    assert dialog is not None and dialog.crash is not None
    assert dialog.crash.type_name == "builtins.KeyError"
    dialog.reject()
    again = show_unexpected(window, error)
    assert not any("Report this problem" in b.text() for b in again.buttons())
    assert "already been reported" in again.informativeText()
    again.close()
    assert isinstance(again, QMessageBox)


def _visible_dialog() -> BugReportDialog | None:
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, BugReportDialog) and widget.isVisible():
            return widget
    return None


@pytest.mark.qt_log_ignore(".*")
def test_qt_warnings_reach_the_log_file(
    qtbot: QtBot, window: QMainWindow, received: Received, tmp_path: Path
) -> None:
    log = setup_logging(tmp_path / "logs")
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    crash_handler.install_crash_handler(app, lambda: window, _context)
    qWarning("QPainter::begin: a paint device can only be painted by one painter")
    crash_handler.shutdown_bug_reports()
    flush_logs()
    assert "WARNING [MainThread] qt: QPainter::begin" in log.read_text(encoding="utf-8")
