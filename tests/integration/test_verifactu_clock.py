"""The till's clock compared with the shop server's (real MariaDB and SQLite shops): the sync
worker checks it, and a drift over one minute reaches the fiscal status the status bar shows."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from decimal import Decimal as D
from pathlib import Path

import pytest
from sqlalchemy import create_engine

from app.connection import ShopTarget
from app.events import EventBus
from app.sync.push import make_push_engine
from app.sync.worker import SyncSettings, SyncWorker
from app.till.cash_drawer import open_cash_session
from app.till.store import TillStore, open_store
from app.verifactu.clock import ClockDrift, compare, shop_clock_drift, utc_now
from app.verifactu.sender import SenderConfig
from app.verifactu.worker import FiscalSender, FiscalStatus
from tests.support.shop_db import ShopDb


@pytest.fixture
def store(tmp_path: Path) -> Iterator[TillStore]:
    with open_store("T1", tmp_path / "till-T1.sqlite3") as till:
        open_cash_session(till, D("100.00"), 1)
        yield till


def test_a_drift_over_one_minute_is_flagged() -> None:
    now = datetime(2026, 1, 1, 10, 0, 0)
    assert not compare(now + timedelta(seconds=59), now).too_far
    late = compare(now - timedelta(seconds=61), now)
    assert late.too_far and late.seconds == -61 and late.minutes == -1
    assert compare(now + timedelta(minutes=3, seconds=10), now).minutes == 3


def test_the_shop_servers_clock_agrees_with_this_computers(ps_schema_db: ShopDb) -> None:
    drift = shop_clock_drift(ps_schema_db.engine())
    assert not drift.too_far, drift


def test_a_sqlite_shop_answers_too() -> None:
    engine = create_engine("sqlite://")
    assert not shop_clock_drift(engine).too_far
    ahead = shop_clock_drift(engine, lambda: utc_now() + timedelta(minutes=5))
    assert ahead.minutes == 5


@pytest.mark.parametrize("demo_shop_db", ["8.0", "sqlite"], indirect=True)
def test_a_till_three_minutes_ahead_is_told_in_the_fiscal_status(
    demo_shop_db: ShopDb, store: TillStore
) -> None:
    engine = make_push_engine(demo_shop_db.url)
    bus = EventBus()
    seen: list[object] = []
    bus.subscribe(object, seen.append)
    fiscal = FiscalSender(store, lambda: SenderConfig("", "", False), bus, interval_s=3600)
    fiscal.start()
    ahead = lambda: utc_now() + timedelta(minutes=3, seconds=5)  # noqa: E731
    worker = SyncWorker(engine, store, ShopTarget(url=demo_shop_db.url), bus, clock=ahead)
    try:
        worker.run_once(push=False, pull=False)
        worker.run_once(push=False, pull=False)  # checked once per ``clock_every_s`` only
    finally:
        assert fiscal.stop()
        engine.dispose()
    drifts = [v for v in seen if isinstance(v, ClockDrift)]
    assert len(drifts) == 1 and drifts[0].minutes == 3
    status = [v for v in seen if isinstance(v, FiscalStatus)][-1]
    assert status.clock_minutes == 3
    assert status.clock_text == "The till's clock is 3 min ahead of the shop server's: correct it"


@pytest.mark.parametrize("demo_shop_db", ["8.0"], indirect=True)
def test_a_right_clock_says_nothing(demo_shop_db: ShopDb, store: TillStore) -> None:
    engine = make_push_engine(demo_shop_db.url)
    bus = EventBus()
    seen: list[object] = []
    bus.subscribe(object, seen.append)
    worker = SyncWorker(engine, store, ShopTarget(url=demo_shop_db.url), bus, SyncSettings())
    try:
        worker.run_once(push=False, pull=False)
    finally:
        engine.dispose()
    [drift] = [v for v in seen if isinstance(v, ClockDrift)]
    assert not drift.too_far and drift.minutes == 0
