"""The main window opens the sale screen with F2 on the demo shop, pulling its catalog first."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.connection import ShopTarget, parse_url
from app.till_runtime import TillRuntime
from ui.main_window import MainWindow


@pytest.mark.parametrize("demo_shop_db", ["sqlite"], indirect=True)
def test_f2_opens_the_sale_screen_ready_to_scan(
    qtbot: QtBot, demo_shop_db: Any, tmp_path: Path
) -> None:
    target = ShopTarget(url=parse_url(demo_shop_db.url), prefix=demo_shop_db.prefix, demo=True)
    window = MainWindow(target, till="T1", store=tmp_path / "till-T1.sqlite3")
    qtbot.addWidget(window)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    assert window.stack.currentWidget() is window.home
    qtbot.keyClick(QApplication.focusWidget() or window, Qt.Key.Key_F2)
    assert window.stack.currentWidget() is window.sale
    qtbot.waitUntil(lambda: window.sale.runtime is not None, timeout=30_000)
    assert "Ready" in window.sale.message.text()
    assert window.sale.search.field.hasFocus()
    window.close()
    assert window.sale.runtime is None


@pytest.mark.parametrize("demo_shop_db", ["sqlite"], indirect=True)
def test_closing_while_the_till_opens_still_closes_it(
    qtbot: QtBot, demo_shop_db: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    closed: list[TillRuntime] = []
    real_close = TillRuntime.close

    def counting_close(self: TillRuntime) -> None:
        closed.append(self)
        real_close(self)

    monkeypatch.setattr(TillRuntime, "close", counting_close)
    target = ShopTarget(url=parse_url(demo_shop_db.url), prefix=demo_shop_db.prefix, demo=True)
    window = MainWindow(target, till="T1", store=tmp_path / "till-T1.sqlite3")
    qtbot.addWidget(window)
    window.show()
    window.show_sale()  # starts opening the till (first catalog pull) on a worker
    window.close()  # before the till is open: the helper waits for it, then it is closed
    assert len(closed) == 1
    assert window.sale.runtime is None
