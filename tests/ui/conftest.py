"""Fixtures shared by the till screens' tests: a till opened on the small demo shop (SQLite,
as the module's ``demo_shop_db`` parametrisation says) and the sale screen attached to it.
A test module may define its own ``runtime`` or ``screen``; the local one wins."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from app.connection import ShopTarget, parse_url
from app.till_runtime import TillRuntime, open_till
from ui.tasks import TaskManager
from ui.tpv.sale_screen import SaleScreen


@pytest.fixture
def runtime(demo_shop_db: Any, tmp_path: Path) -> Iterator[TillRuntime]:
    target = ShopTarget(url=parse_url(demo_shop_db.url), prefix=demo_shop_db.prefix, demo=True)
    runtime = open_till(target, "T1", tmp_path / "till-T1.sqlite3")
    yield runtime
    runtime.close()


@pytest.fixture
def screen(qtbot: QtBot, runtime: TillRuntime) -> Iterator[SaleScreen]:
    tasks = TaskManager()
    screen = SaleScreen(tasks)
    qtbot.addWidget(screen)
    screen.attach(runtime)
    screen.resize(1024, 700)
    screen.show()
    qtbot.waitExposed(screen)
    yield screen
    qtbot.waitUntil(lambda: tasks.pending == 0)  # no result lands on a deleted widget
    tasks.shutdown()
