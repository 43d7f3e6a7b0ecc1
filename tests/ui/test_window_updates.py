"""Help → About and Settings → Updates in the real window on the demo shop."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app import __version__, update_hooks
from app.bugreport.outbox import ReportOutbox
from app.bugreport.receiver import make_receiver_server
from app.bugreport.sender import SendPolicy
from app.bugreport.service import BugReporter
from app.connection import ShopTarget, parse_url
from app.till.catalog import find_by_barcode
from app.till.models_catalog import CatalogProduct
from app.till.store import open_store
from app.till.tickets import last_tickets
from app.update_hooks import UpdateCheck
from tests.support.tpv import sign_in, wait_dialog
from tests.updater.conftest import ReleaseServer, install_root, serve_release
from ui import crash_handler
from ui.about_dialog import AboutDialog
from ui.main_window import MainWindow
from ui.tpv.cash_open import CashOpenDialog
from ui.tpv.manager_approval import ManagerApprovalDialog
from ui.update_dialog import UpdateDialog, UpdateSettingsDialog
from updater import health, verify
from updater.layout import Layout
from updater.state import load_state

pytestmark = pytest.mark.parametrize("demo_shop_db", ["sqlite"], indirect=True)


def _window(qtbot: QtBot, demo_shop_db: Any, tmp_path: Path) -> MainWindow:
    target = ShopTarget(url=parse_url(demo_shop_db.url), prefix=demo_shop_db.prefix, demo=True)
    window = MainWindow(target, till="T1", store=tmp_path / "till-T1.sqlite3")
    qtbot.addWidget(window)
    window.show()
    return window


def test_about_names_the_version_the_till_and_the_shop(
    qtbot: QtBot, demo_shop_db: Any, tmp_path: Path
) -> None:
    window = _window(qtbot, demo_shop_db, tmp_path)
    qtbot.waitUntil(lambda: window.last_status is not None, timeout=20_000)
    window.actions_["about"].trigger()
    about: AboutDialog = wait_dialog(qtbot, AboutDialog)
    values = dict(about.info.rows())
    assert values["Version"] == __version__ and values["Till"].startswith("T1")
    assert "(demo)" in values["Shop"]
    assert "Updates are" in values["Updates"]  # not an installed build with a pinned root
    assert "VERI*FACTU" in about.declaration.toPlainText()
    window.close()


def test_updates_settings_need_a_manager_and_a_failed_check_is_said(
    qtbot: QtBot, demo_shop_db: Any, tmp_path: Path
) -> None:
    window = _window(qtbot, demo_shop_db, tmp_path)
    sign_in(qtbot, window, "Lucía", "caja1234")
    window.actions_["updates"].trigger()  # a cashier: a manager must approve first
    approval: ManagerApprovalDialog = wait_dialog(qtbot, ManagerApprovalDialog)
    qtbot.waitUntil(lambda: approval.list.count() > 0)
    approval.on_secret("admin1234")
    wait_dialog(qtbot, UpdateSettingsDialog)
    window.on_update_checked(UpdateCheck(None, "Updates are not configured: test"))
    assert window.statusBar().currentMessage() == "Updates are not configured: test"
    window.close()


@pytest.fixture
def managed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[ReleaseServer]:
    """This process as if the launcher of an install with 0.1.0 had started it."""
    with serve_release(tmp_path) as server:
        layout = install_root(tmp_path)
        monkeypatch.setenv(health.ROOT_ENV, str(layout.root))
        monkeypatch.setenv(health.VERSION_ENV, "0.1.0")
        monkeypatch.setenv(update_hooks.URL_ENV, server.url)
        monkeypatch.setattr(verify, "PINNED_ROOT", server.repo / "metadata" / "root.json")
        yield server


@pytest.fixture
def received(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A bug-report receiver on 127.0.0.1 and the app's reporter sending to it."""
    monkeypatch.setattr(threading, "excepthook", lambda args: None)
    server = make_receiver_server(tmp_path / "received")
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_port}/v1/reports"
    fast = SendPolicy(timeout_s=5, backoff_initial_s=0.05, backoff_max_s=0.2, idle_poll_s=0.2)
    reporter = BugReporter(ReportOutbox(tmp_path / "outbox"), url, policy=fast)
    reporter.start()
    crash_handler.set_reporter(reporter)
    yield tmp_path / "received"
    crash_handler.shutdown_bug_reports()
    crash_handler.set_reporter(None)
    server.shutdown()
    server.server_close()


def _stored(received: Path) -> list[Path]:
    return [p for p in received.iterdir() if not p.name.startswith(".")]


def test_a_rolled_back_update_reaches_support_once_as_an_urgent_report(
    qtbot: QtBot, demo_shop_db: Any, tmp_path: Path, managed: ReleaseServer, received: Path
) -> None:
    layout = Layout(tmp_path / "install")
    details = {"version": "0.2.0", "attempts": 3, "exit_codes": [1, 1, 1], "back_to": "0.1.0"}
    queued = health.queue_report(layout, "rollback", details)  # the launcher went back
    launcher_report = json.loads(queued.read_text("utf-8"))
    window = _window(qtbot, demo_shop_db, tmp_path)
    qtbot.waitUntil(lambda: len(_stored(received)) == 1, timeout=30_000)
    report = json.loads((_stored(received)[0] / "report.json").read_text("utf-8"))
    assert report["priority"] == "urgent"
    assert report["what_happened"] == (
        "Update to 0.2.0 failed its health check 3 times; rolled back to 0.1.0."
    )
    assert json.loads(report["error"]["traceback"])["exit_codes"] == [1, 1, 1]
    assert health.take_reports(layout) == []  # the next start does not hand it over again
    window.on_reported_ready([launcher_report])  # even handed over twice: one report
    reporter = crash_handler.reporter()
    qtbot.waitUntil(lambda: window.tasks.pending == 0 and reporter.pending_count() == 0)
    assert len(_stored(received)) == 1
    window.close()


def _scan(qtbot: QtBot, window: MainWindow, code: str, lines: int) -> None:
    qtbot.keyClicks(window.sale.search.field, code)
    qtbot.keyClick(window.sale.search.field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: _units(window) == lines)


def _units(window: MainWindow) -> int:
    cart = window.sale.cart
    return sum(line.quantity for line in cart.lines) if cart is not None else 0


def _barcode(window: MainWindow) -> str:
    """A product sold by unit, without versions, that has an EAN13."""
    runtime = window.runtime
    assert runtime is not None
    with runtime.store.read() as session:
        codes = session.scalars(
            select(CatalogProduct.ean13).where(
                CatalogProduct.ean13 != "",
                CatalogProduct.active,
                CatalogProduct.has_combinations.is_(False),
                CatalogProduct.price < Decimal(100),
            )
        ).all()
    return next(c for c in codes if find_by_barcode(runtime.store, c))


def _pay_cash(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.keyClick(window.sale.search.field, Qt.Key.Key_F12)
    cash: CashOpenDialog = wait_dialog(qtbot, CashOpenDialog)
    cash.amount.setText("100,00")
    cash.open_button.click()
    qtbot.waitUntil(lambda: window.sale.payment_dialog is not None)
    payment = window.sale.payment_dialog
    assert payment is not None
    qtbot.waitUntil(payment.isVisible)
    payment.amount.setText("500")
    qtbot.keyClick(payment.amount, Qt.Key.Key_Return)


def test_an_update_offer_lets_the_cashier_finish_the_sale_then_installs(
    qtbot: QtBot,
    demo_shop_db: Any,
    tmp_path: Path,
    managed: ReleaseServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    exits: list[int] = []
    monkeypatch.setattr(QApplication, "exit", lambda code=0: exits.append(code))
    window = _window(qtbot, demo_shop_db, tmp_path)
    sign_in(qtbot, window, "Lucía", "caja1234")
    code = _barcode(window)
    _scan(qtbot, window, code, 1)
    managed.publish("0.2.0", notes="Faster search.")
    window.on_update_checked(update_hooks.check_for_update())
    offer = window.findChild(UpdateDialog)
    assert offer is not None and offer.isVisible()
    assert QApplication.activeModalWidget() is None  # nothing blocks the till
    assert window.sale.search.field.hasFocus()  # the scanner still types into the sale
    _scan(qtbot, window, code, 2)
    qtbot.mouseClick(offer.install_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "open ticket" in offer.status_label.text(), timeout=15_000)
    assert exits == [] and load_state(Layout(tmp_path / "install")).pending == "0.2.0"
    _pay_cash(qtbot, window)
    qtbot.waitUntil(lambda: "few seconds" in offer.status_label.text(), timeout=5_000)
    assert exits == []  # the change stays on screen a moment before the restart
    qtbot.waitUntil(lambda: exits == [update_hooks.EXIT_RESTART], timeout=20_000)
    assert not window.isVisible()  # closed as usual; the launcher starts 0.2.0
    store = open_store("T1", tmp_path / "till-T1.sqlite3")
    try:
        [ticket] = last_tickets(store, 5)  # the sale was recorded before the restart
        assert sum(line.quantity for line in ticket.lines) == 2
    finally:
        store.close()
