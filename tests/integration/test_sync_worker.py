"""The sync worker on real shops and real till store files: it pushes pending tickets, keeps
them when the shop is unreachable or refuses them, reports its status on the event bus, and
stops when asked."""

from __future__ import annotations

import argparse
import contextlib
import socket
import threading
from collections.abc import Callable, Iterator
from decimal import Decimal as D
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url

from app.connection import ShopTarget
from app.events import Changes, EventBus
from app.sync.commands import add_sync_parser, run_sync
from app.sync.push import PushRefused, make_push_engine
from app.sync.worker import SyncSettings, SyncStatus, SyncWorker
from app.till.cash_drawer import open_cash_session
from app.till.outbox import OutboxStatus, entries
from app.till.store import TillStore, open_store
from app.till.tickets import record_sale
from bench.latency_proxy import LatencyProxy
from tests.support.push_tickets import small_ticket
from tests.support.shop_db import ShopDb

FAST = SyncSettings(interval_s=0.2, retry_min_s=0.2, retry_max_s=0.5)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[TillStore]:
    with open_store("T1", tmp_path / "till-T1.sqlite3") as till:
        open_cash_session(till, D("100.00"), 1)
        yield till


class Recorder:
    """Collects what the bus publishes; ``wait_for`` blocks until a value matches."""

    def __init__(self, bus: EventBus) -> None:
        self.values: list[object] = []
        self._changed = threading.Condition()
        bus.subscribe(object, self._on_event)

    def _on_event(self, value: object) -> None:
        with self._changed:
            self.values.append(value)
            self._changed.notify_all()

    def wait_for(self, check: Callable[[object], bool], timeout: float = 30) -> object:
        with self._changed:
            found = self._changed.wait_for(
                lambda: next((v for v in self.values if check(v)), None), timeout
            )
        assert found is not None, f"nothing matched in {self.values}"
        return found


def orders_for(engine: Engine, uuid: str) -> int:
    with engine.connect() as conn:
        return int(
            conn.execute(
                text("SELECT COUNT(*) FROM ps_mostrador_sale WHERE uuid = :u"), {"u": uuid}
            ).scalar_one()
        )


def target_of(url: str) -> ShopTarget:
    return ShopTarget(url=make_url(url))


def test_the_worker_pushes_a_pending_ticket_and_stops(
    demo_shop_db: ShopDb, store: TillStore
) -> None:
    ticket = record_sale(store, small_ticket("draft"))
    engine = make_push_engine(demo_shop_db.url)
    bus = EventBus()
    recorder = Recorder(bus)
    worker = SyncWorker(engine, store, target_of(demo_shop_db.url), bus, FAST)
    try:
        worker.start()
        recorder.wait_for(lambda v: isinstance(v, Changes) and v.outbox)
        recorder.wait_for(lambda v: isinstance(v, SyncStatus) and bool(v.online and v.last_sync))
        assert worker.stop(timeout=10)
    finally:
        worker.stop(timeout=10)
        engine.dispose()
    [entry] = entries(store)
    assert entry.status is OutboxStatus.PUSHED and entry.id_order
    assert orders_for(make_push_engine(demo_shop_db.url), ticket.uuid) == 1
    assert worker.status.pending == 0 and not worker.status.running
    assert any(isinstance(v, Changes) and v.catalog for v in recorder.values)  # first pull


def test_a_refused_ticket_is_kept_with_its_reason(demo_shop_db: ShopDb, store: TillStore) -> None:
    record_sale(store, small_ticket("draft"))

    def refuse(*_args: Any) -> None:
        raise PushRefused("product 1 was deleted")

    engine = make_push_engine(demo_shop_db.url)
    worker = SyncWorker(engine, store, target_of(demo_shop_db.url), EventBus(), FAST, push=refuse)
    try:
        result = worker.run_once(pull=False)
    finally:
        engine.dispose()
    [entry] = entries(store)
    assert entry.status is OutboxStatus.REFUSED
    assert entry.refused_reason == "product 1 was deleted"
    assert result.refused == 1 and result.status.refused == 1 and result.status.pending == 0


def _cut(proxy: LatencyProxy) -> None:
    """Stop ``proxy`` for good: on Linux closing a listening socket does not wake a thread
    blocked in ``accept()`` (it would still take the next connection); shutting it does."""
    with contextlib.suppress(OSError):  # already cut
        proxy._server.shutdown(socket.SHUT_RDWR)
    proxy.stop()


def _reopen(port: int, target: tuple[str, int]) -> LatencyProxy:
    """A proxy to ``target`` listening on ``port`` again (as a shop coming back)."""
    proxy = LatencyProxy(target[0], target[1], delay_ms=0)
    proxy._server.close()
    proxy._server = socket.create_server(("127.0.0.1", port))
    proxy.port = port
    return proxy.start()


@pytest.mark.parametrize("demo_shop_db", ["8.0"], indirect=True)
def test_offline_nothing_is_lost_and_back_online_it_is_pushed_once(
    demo_shop_db: ShopDb, store: TillStore
) -> None:
    ticket = record_sale(store, small_ticket("draft"))
    real = make_url(demo_shop_db.url)
    upstream = (real.host or "127.0.0.1", real.port or 3306)
    proxy = LatencyProxy(*upstream, delay_ms=0).start()
    via_proxy = real.set(port=proxy.port).render_as_string(hide_password=False)
    engine = make_push_engine(via_proxy, connect_timeout=2)
    bus = EventBus()
    recorder = Recorder(bus)
    worker = SyncWorker(engine, store, target_of(via_proxy), bus, FAST)
    try:
        assert worker.run_once().status.online  # online: pushed, pulled
        second = record_sale(store, small_ticket("draft"))
        _cut(proxy)
        engine.dispose()  # the pool's connections went with the proxy
        offline = worker.run_once()
        assert offline.status.online is False and offline.status.last_error
        assert offline.status.pending == 1
        recorder.wait_for(lambda v: isinstance(v, SyncStatus) and v.online is False)
        proxy = _reopen(proxy.port, upstream)
        back = worker.run_once()
        assert back.status.online and back.pushed == 1 and back.status.pending == 0
        assert worker.run_once().pushed == 0
    finally:
        _cut(proxy)
        engine.dispose()
    direct = make_push_engine(demo_shop_db.url)
    try:
        assert orders_for(direct, ticket.uuid) == 1
        assert orders_for(direct, second.uuid) == 1
    finally:
        direct.dispose()
    assert [e.status for e in entries(store)] == [OutboxStatus.PUSHED, OutboxStatus.PUSHED]


def test_a_worker_started_offline_stops_within_its_timeout(store: TillStore) -> None:
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    url = f"mysql+pymysql://nobody:pw@127.0.0.1:{port}/shop"
    engine = make_push_engine(url, connect_timeout=1)
    bus = EventBus()
    recorder = Recorder(bus)
    worker = SyncWorker(engine, store, target_of(url), bus, FAST)
    try:
        worker.start()
        status = recorder.wait_for(lambda v: isinstance(v, SyncStatus) and v.online is False)
        assert isinstance(status, SyncStatus) and status.last_error
        assert worker.stop(timeout=5)
    finally:
        worker.stop(timeout=5)
        engine.dispose()
    assert not worker.status.running


def test_the_event_bus_delivers_to_subscribers_of_the_type() -> None:
    bus = EventBus()
    seen: list[object] = []
    subscription = bus.subscribe(Changes, seen.append)
    bus.subscribe(SyncStatus, lambda _v: (_ for _ in ()).throw(RuntimeError("boom")))
    bus.publish(Changes(stock=True))
    bus.publish(SyncStatus(online=True))  # a failing subscriber does not reach the publisher
    bus.unsubscribe(subscription)
    bus.publish(Changes(prices=True))
    assert seen == [Changes(stock=True)]
    assert Changes(stock=True) | Changes(prices=True) == Changes(stock=True, prices=True)
    assert not Changes()


@pytest.mark.parametrize("demo_shop_db", ["sqlite"], indirect=True)
def test_the_sync_command_pulls_then_pushes_once(
    demo_shop_db: ShopDb, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "till-T2.sqlite3"
    with open_store("T2", path) as till:
        open_cash_session(till, D("50.00"), 1)
        record_sale(till, small_ticket("draft", till="T2"))
    parser = argparse.ArgumentParser()
    add_sync_parser(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["sync", "--once", "--full"])

    assert run_sync(args, target_of(demo_shop_db.url), "T2", path) == 0

    out = capsys.readouterr().out
    assert "full pull" in out and "1 pushed" in out and "0 pending" in out
    with open_store("T2", path) as till:
        assert [e.status for e in entries(till)] == [OutboxStatus.PUSHED]
