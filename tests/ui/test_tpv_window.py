"""The main window opens the till on the demo shop (pulling its catalog first), asks who is
selling, and only then opens the sale screen; locking goes back to the sign-in screen."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app import paths
from app.config import settings as cfg
from app.connection import ShopTarget, parse_url
from app.till_runtime import TillRuntime
from app.verifactu.worker import FiscalStatus
from tests.support.tpv import sign_in, wait_dialog
from ui.erp.erp_window import ErpWindow
from ui.main_window import MainWindow
from ui.tpv.manager_approval import ManagerApprovalDialog
from ui.verifactu_screen import VerifactuScreen


def _demo_window(qtbot: QtBot, demo_shop_db: Any, tmp_path: Path) -> MainWindow:
    target = ShopTarget(url=parse_url(demo_shop_db.url), prefix=demo_shop_db.prefix, demo=True)
    window = MainWindow(target, till="T1", store=tmp_path / "till-T1.sqlite3")
    qtbot.addWidget(window)
    window.show()
    return window


@pytest.mark.parametrize("demo_shop_db", ["sqlite"], indirect=True)
def test_signing_in_opens_the_sale_screen_ready_to_scan(
    qtbot: QtBot, demo_shop_db: Any, tmp_path: Path
) -> None:
    window = _demo_window(qtbot, demo_shop_db, tmp_path)
    assert window.stack.currentWidget() is window.home  # while the catalog is pulled
    assert not window.actions_["sell"].isEnabled()  # nobody signed in: nothing to sell
    sign_in(qtbot, window, "Lucía", "caja1234")
    assert window.sale.runtime is window.runtime
    assert window.runtime is not None and window.runtime.employee.name == "Lucía Martín"
    assert "Lucía Martín (Cashier)" in window.employee_label.text()
    assert "Lucía Martín" in window.sale.header.text()
    assert window.actions_["sell"].isEnabled()
    window.activateWindow()
    qtbot.waitUntil(window.sale.search.field.hasFocus)
    window.close()
    assert window.runtime is None


@pytest.mark.parametrize("demo_shop_db", ["sqlite"], indirect=True)
def test_lock_goes_back_to_sign_in_and_another_employee_takes_over(
    qtbot: QtBot, demo_shop_db: Any, tmp_path: Path
) -> None:
    window = _demo_window(qtbot, demo_shop_db, tmp_path)
    sign_in(qtbot, window, "Lucía", "caja1234")
    window.actions_["lock"].trigger()
    assert window.stack.currentWidget() is window.login
    assert window.login.title.text() == "Locked by Lucía Martín"
    assert not window.actions_["sell"].isEnabled()
    window.actions_["sell"].trigger()  # disabled: still locked
    assert window.stack.currentWidget() is window.login
    qtbot.keyClick(window.login.entry.field, Qt.Key.Key_Escape)  # "Other employee"
    sign_in(qtbot, window, "Javier", "caja1234")
    assert window.runtime is not None and window.runtime.employee.name == "Javier Ruiz"
    window.close()


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
    window = _demo_window(qtbot, demo_shop_db, tmp_path)  # starts opening the till
    window.close()  # before the till is open: the helper waits for it, then it is closed
    assert len(closed) == 1
    assert window.runtime is None


@pytest.mark.parametrize("demo_shop_db", ["sqlite"], indirect=True)
def test_the_manager_profiles_setting_makes_a_cashier_profile_a_manager(
    qtbot: QtBot, demo_shop_db: Any, tmp_path: Path
) -> None:
    settings = cfg.Settings.load(paths.config_dir() / cfg.FILE_NAME)
    settings.set(cfg.TILL_MANAGER_PROFILES, "1, 2")  # the demo cashiers have profile 2
    settings.save()
    window = _demo_window(qtbot, demo_shop_db, tmp_path)
    sign_in(qtbot, window, "Lucía", "caja1234")
    assert window.runtime is not None and window.runtime.employee.is_manager
    assert "Lucía Martín (Manager)" in window.employee_label.text()
    assert window.sale.cart is not None
    assert window.sale.cart.policy.manager_profiles == frozenset({1, 2})
    window.close()


@pytest.mark.parametrize("demo_shop_db", ["sqlite"], indirect=True)
def test_a_manager_opens_the_back_office_a_cashier_needs_approval(
    qtbot: QtBot, demo_shop_db: Any, tmp_path: Path
) -> None:
    window = _demo_window(qtbot, demo_shop_db, tmp_path)
    sign_in(qtbot, window, "Lucía", "caja1234")
    window.actions_["erp"].trigger()  # a cashier: a manager must approve first
    approval: ManagerApprovalDialog = wait_dialog(qtbot, ManagerApprovalDialog)
    assert window.erp_window is None
    qtbot.waitUntil(lambda: approval.list.count() > 0)
    approval.on_secret("admin1234")
    qtbot.waitUntil(lambda: window.erp_window is not None, timeout=10_000)
    erp = window.erp_window
    assert isinstance(erp, ErpWindow) and erp.manager.name == "Admin Demo"
    qtbot.waitUntil(lambda: erp.ctx is not None, timeout=20_000)
    titles = [erp.sidebar.item(i).text() for i in range(erp.sidebar.count())]
    assert [t.split("\n")[0] for t in titles][:4] == ["Products", "Stock", "Inventory", "Orders"]
    assert "Cash sessions\nCtrl+9" in titles
    erp.close()
    window.close()


@pytest.mark.parametrize("demo_shop_db", ["sqlite"], indirect=True)
def test_fiscal_records_for_a_manager_and_waiting_records_in_the_status_bar(
    qtbot: QtBot, demo_shop_db: Any, tmp_path: Path
) -> None:
    window = _demo_window(qtbot, demo_shop_db, tmp_path)
    sign_in(qtbot, window, "Admin", "admin1234")
    window.actions_["fiscal"].trigger()  # a manager: no approval asked
    qtbot.waitUntil(lambda: any(s.isVisible() for s in window.findChildren(VerifactuScreen)))
    assert window.runtime is not None
    window.runtime.bus.publish(FiscalStatus(3, 1, True, "AEAT unreachable"))  # the sender
    qtbot.waitUntil(lambda: "3 records to send" in window.fiscal_label.text())
    assert "1 rejected" in window.fiscal_label.text()
    assert window.fiscal_label.toolTip() == "AEAT unreachable"
    window.close()
