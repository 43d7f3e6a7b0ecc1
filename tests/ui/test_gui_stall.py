"""The GUI never waits on the shop: with the shop database 500 ms away (each way), scanning,
typing and paying keep the event loop served. The small form of bench/gui_stall.py (which
reports the real figures); the bound here is generous for shared CI machines."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from app.connection import ShopTarget, parse_url
from bench.gui_stall import prepare_till, run_session, slow_proxy

CI_BOUND_MS = 250.0
DELAY_MS = 500.0


@pytest.mark.parametrize("demo_shop_db", ["8.0"], indirect=True)
def test_scanning_stays_responsive_while_the_shop_is_slow(
    qtbot: QtBot, demo_shop_db: Any, tmp_path: Path
) -> None:
    direct = ShopTarget(url=parse_url(demo_shop_db.url), prefix=demo_shop_db.prefix)
    store = tmp_path / "till-B1.sqlite3"
    plan = prepare_till(direct, store)
    plan = type(plan)(plan.codes, plan.words, search_every=2, pay_every=3)
    with slow_proxy(direct, DELAY_MS) as slow:
        # The test is about I/O on the GUI thread; Python's generation-2 garbage collections
        # (pauses of 100-500 ms in a pytest process, on any thread) are kept out of it, as the
        # app should (bench/README.md): the benchmark measures both.
        result = run_session(
            slow.target, store, plan, seconds=5, before_close=slow.cut, freeze_gc=True
        )
    assert result.stalls.samples > 200  # the probe ran the whole time
    assert result.stalls.max_ms < CI_BOUND_MS, result.worst
    assert result.scans >= 3 and result.searches >= 1
    assert result.payments >= 1  # paying needs the scanned items in the cart: they got there
