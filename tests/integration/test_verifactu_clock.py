"""The till's clock compared with the shop database server's (real MariaDB)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import create_engine

from app.verifactu.clock import compare, shop_clock_drift
from tests.support.shop_db import ShopDb


def test_a_drift_over_one_minute_is_flagged() -> None:
    now = datetime(2026, 1, 1, 10, 0, 0)
    assert not compare(now + timedelta(seconds=59), now).too_far
    late = compare(now - timedelta(seconds=61), now)
    assert late.too_far and late.seconds == -61


def test_the_shop_servers_clock_agrees_with_this_computers(ps_schema_db: ShopDb) -> None:
    drift = shop_clock_drift(ps_schema_db.engine())
    assert not drift.too_far, drift


def test_a_sqlite_shop_answers_too() -> None:
    engine = create_engine("sqlite://")
    assert not shop_clock_drift(engine).too_far
