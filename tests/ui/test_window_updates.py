"""Help → About and Settings → Updates in the real window on the demo shop."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from app import __version__
from app.connection import ShopTarget, parse_url
from app.update_hooks import UpdateCheck
from tests.support.tpv import sign_in, wait_dialog
from ui.about_dialog import AboutDialog
from ui.main_window import MainWindow
from ui.tpv.manager_approval import ManagerApprovalDialog
from ui.update_dialog import UpdateSettingsDialog

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
