"""The status bar's sync state: fed from the sync thread through the Qt event listener."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.connection import ShopTarget, parse_url
from app.events import Changes, EventBus
from app.sale.cart import Cart
from app.sale.checkout import build_sale
from app.sale.payment_methods import PaymentPlan
from app.sync.push import make_push_engine
from app.sync.worker import SyncSettings, SyncStatus, SyncWorker
from app.till.cash_drawer import open_cash_session
from app.till.catalog import find_by_barcode
from app.till.models_catalog import CatalogProduct
from app.till.tickets import record_sale
from app.till_runtime import TillRuntime
from ui.qt_events import QtEventListener
from ui.sync_status import SyncStatusWidget, relative_time

NOW = datetime(2025, 3, 14, 12, 0, 0)


@pytest.fixture
def widget(qtbot: QtBot) -> SyncStatusWidget:
    widget = SyncStatusWidget(clock=lambda: NOW)
    qtbot.addWidget(widget)
    return widget


@pytest.fixture
def listener(widget: SyncStatusWidget) -> Iterator[QtEventListener]:
    listener = QtEventListener()
    listener.status_changed.connect(widget.show_status)
    yield listener
    listener.close()


def _publish_from_a_thread(bus: EventBus, event: object) -> None:
    thread = threading.Thread(target=bus.publish, args=(event,), name="fake-sync")
    thread.start()
    thread.join()


def test_a_status_published_on_another_thread_reaches_the_label(
    qtbot: QtBot, widget: SyncStatusWidget, listener: QtEventListener
) -> None:
    bus = EventBus()
    listener.attach(bus)
    seen: list[threading.Thread] = []
    listener.status_changed.connect(lambda _status: seen.append(threading.current_thread()))
    status = SyncStatus(online=True, pending=0, last_sync=NOW - timedelta(minutes=2))
    with qtbot.waitSignal(listener.status_changed, timeout=5_000):
        _publish_from_a_thread(bus, status)
    qtbot.waitUntil(lambda: widget.connection.text() == "Online")
    assert seen == [threading.main_thread()]  # the slot ran on the GUI thread
    assert widget.text() == "Online · All sales sent · Last sync 2 min ago"


def test_offline_is_said_calmly_with_the_sales_waiting(
    qtbot: QtBot, widget: SyncStatusWidget, listener: QtEventListener
) -> None:
    bus = EventBus()
    listener.attach(bus)
    _publish_from_a_thread(bus, SyncStatus(online=False, pending=3, last_error="timed out"))
    qtbot.waitUntil(lambda: "Offline" in widget.connection.text())
    assert "sales are kept and will be sent on their own" in widget.connection.text()
    assert widget.pending.text() == "3 sales waiting to be sent"
    assert widget.last_sync.text() == "Not synced yet"
    assert widget.toolTip() == "timed out"
    assert not widget.refused.isVisibleTo(widget)


def test_refused_sales_are_a_warning_for_a_manager(widget: SyncStatusWidget) -> None:
    widget.show_status(SyncStatus(online=True, pending=1, refused=2, last_sync=NOW))
    assert widget.refused.isVisibleTo(widget)
    assert widget.refused.text() == "2 sales refused by the shop: a manager must review them"
    assert widget.pending.text() == "1 sale waiting to be sent"
    assert widget.last_sync.text() == "Last sync just now"


def test_the_relative_time_moves_on_without_a_new_status(qtbot: QtBot) -> None:
    now = [NOW]
    widget = SyncStatusWidget(clock=lambda: now[0])
    qtbot.addWidget(widget)
    widget.show_status(SyncStatus(online=True, last_sync=NOW))
    now[0] = NOW + timedelta(minutes=7)
    widget.refresh_time()  # what the 30 s timer calls
    assert widget.last_sync.text() == "Last sync 7 min ago"
    assert relative_time(NOW - timedelta(hours=3), NOW) == "3 h ago"
    assert relative_time(NOW - timedelta(days=1, hours=1), NOW) == "yesterday at 11:00"


def test_after_close_nothing_more_is_emitted(qtbot: QtBot) -> None:
    bus = EventBus()
    listener = QtEventListener(bus)
    received: list[object] = []
    listener.changed.connect(received.append)
    with qtbot.waitSignal(listener.changed, timeout=5_000):
        _publish_from_a_thread(bus, Changes(stock=True))
    listener.close()
    _publish_from_a_thread(bus, Changes(prices=True))
    qtbot.wait(50)  # a queued emission would have been delivered by now
    assert received == [Changes(stock=True)]


# --- the real sync worker, with the shop out of reach -------------------------------------


def _record_one_sale(runtime: TillRuntime) -> None:
    with runtime.store.read() as session:
        codes = session.scalars(
            select(CatalogProduct.ean13).where(
                CatalogProduct.ean13 != "", CatalogProduct.active, ~CatalogProduct.has_combinations
            )
        ).all()
    item = next(i for code in codes for i in find_by_barcode(runtime.store, code))
    cart = Cart(runtime.source.inner)
    cart.add(item)
    plan = PaymentPlan(cart.totals.total_tax_incl)
    plan.add("card", cart.totals.total_tax_incl)
    open_cash_session(runtime.store, Decimal(100), runtime.employee.id_employee)
    record_sale(
        runtime.store, build_sale(runtime.till, cart, plan.payments(), runtime.employee, now=NOW)
    )


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.mark.parametrize("demo_shop_db", ["sqlite"], indirect=True)
def test_the_real_worker_offline_shows_the_sale_waiting(
    qtbot: QtBot, widget: SyncStatusWidget, listener: QtEventListener, runtime: TillRuntime
) -> None:
    _record_one_sale(runtime)
    url = f"mysql+pymysql://u:p@127.0.0.1:{_closed_port()}/shop"
    target = ShopTarget(url=parse_url(url))
    engine = make_push_engine(target.url)
    bus = EventBus()
    listener.attach(bus)
    worker = SyncWorker(engine, runtime.store, target, bus, SyncSettings(retry_min_s=60))
    worker.start()
    try:
        qtbot.waitUntil(lambda: widget.status.online is False, timeout=15_000)
    finally:
        worker.stop()
        engine.dispose()
    assert "Offline" in widget.connection.text()
    assert widget.pending.text() == "1 sale waiting to be sent"
