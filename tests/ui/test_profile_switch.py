"""Settings → Switch shop (Ctrl+Shift+T) in the real window: the demo shop (SQLite) and a real
shop (MariaDB), switched by a manager; refused while a ticket is open or sales wait; the
settings exported without secrets and imported from another till."""

from __future__ import annotations

import contextlib
import json
import shutil
import sqlite3
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import select
from sqlalchemy.engine import make_url

from app import connection, paths
from app.config import secrets
from app.config import settings as cfg
from app.setup.keyring_secrets import db_secret_name
from app.setup.profiles import (
    Profile,
    demo_profile,
    export_settings,
    save_profile,
    use_profile,
    without_password,
)
from app.setup.runtime import configured_target
from app.till.cash_drawer import open_cash_session
from app.till.models_catalog import CatalogProduct
from app.till.samples import Item, sample_ticket
from app.till.tickets import record_sale
from tests.support.shop_db import ShopDb
from tests.support.tpv import sign_in, wait_dialog
from ui.main_window import MainWindow
from ui.profile_switch import ProfileSwitchDialog
from ui.setup_wizard import SetupWizard
from ui.tpv.manager_approval import ManagerApprovalDialog

REAL = "Tienda Centro"


@pytest.fixture
def real_shop(make_shop_db: Callable[..., ShopDb]) -> ShopDb:
    """A real shop on MariaDB and the demo shop (a small SQLite one where Mostrador builds
    it); the settings know both, the demo one in use; the password is in the keyring."""
    demo = make_shop_db("sqlite", demo=True)
    target = paths.demo_shop_path()
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(demo.url.removeprefix("sqlite:///"), target)
    # Marked current, so that Mostrador takes it as its demo shop instead of rebuilding one.
    with contextlib.closing(sqlite3.connect(target)) as db:
        db.execute(f"PRAGMA user_version = {int(getattr(connection, 'DEMO_FORMAT', 0))}")
        db.commit()
    real = make_shop_db("8.0", demo=True)
    settings = settings_now()
    settings.set(cfg.TILL_NAME, "T1")
    save_profile(settings, Profile(name=REAL, db_url=without_password(real.url)))
    use_profile(settings, demo_profile())
    url = make_url(real.url)
    secrets.set_secret("db", db_secret_name(url), url.password or "")
    return real


def settings_now() -> cfg.Settings:
    return cfg.Settings.load(paths.config_dir() / cfg.FILE_NAME)


def open_window(qtbot: QtBot) -> MainWindow:
    window = MainWindow(configured_target(settings_now()), "T1")
    qtbot.addWidget(window)
    window.resize(1024, 768)
    window.show()
    return window


def open_switcher(qtbot: QtBot, window: MainWindow) -> ProfileSwitchDialog:
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier | SHIFT)
    return wait_dialog(qtbot, ProfileSwitchDialog, timeout=20_000)  # type: ignore[no-any-return]


SHIFT = Qt.KeyboardModifier.ShiftModifier


def rows(dialog: ProfileSwitchDialog) -> list[str]:
    return [dialog.list.item(i).text() for i in range(dialog.list.count())]


def message(qtbot: QtBot) -> str:
    def boxes() -> list[QMessageBox]:
        return [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox)]

    qtbot.waitUntil(lambda: any(b.isVisible() for b in boxes()), timeout=20_000)
    box = next(b for b in boxes() if b.isVisible())
    text = box.text()
    box.close()
    return text


def on_real_shop(window: MainWindow, real: ShopDb) -> bool:
    target = window.target
    return target is not None and target.url.database == make_url(real.url).database


def on_demo_shop(window: MainWindow) -> bool:
    return window.target is not None and window.target.demo


def test_a_manager_switches_to_the_real_shop_and_back_to_the_demo(
    qtbot: QtBot, real_shop: ShopDb
) -> None:
    window = open_window(qtbot)
    sign_in(qtbot, window, "Admin", "admin1234")
    dialog = open_switcher(qtbot, window)
    assert rows(dialog) == ["✔ Demo shop (in use)", REAL]
    assert not dialog.switch_button.isEnabled()  # the shop in use is where we are
    dialog.list.setCurrentRow(1)
    qtbot.keyClick(dialog, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.home)
    assert not window.actions_["sell"].isEnabled()  # nobody sells while it reopens
    qtbot.waitUntil(lambda: window.runtime is not None, timeout=60_000)
    assert on_real_shop(window, real_shop)
    qtbot.waitUntil(lambda: "Connected" in window.connection_label.text(), timeout=20_000)
    assert settings_now().get(cfg.ACTIVE_PROFILE) == REAL
    assert not settings_now().get(cfg.SHOP_DEMO)

    sign_in(qtbot, window, "Admin", "admin1234")  # the real shop's employees sign in anew
    dialog = open_switcher(qtbot, window)
    assert rows(dialog) == ["Demo shop", f"✔ {REAL} (in use)"]
    dialog.list.setCurrentRow(0)
    qtbot.mouseClick(dialog.switch_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: on_demo_shop(window) and window.runtime is not None, timeout=60_000)
    qtbot.waitUntil(lambda: "Demo shop" in window.connection_label.text(), timeout=20_000)
    assert settings_now().get(cfg.SHOP_DEMO)
    window.close()


def test_switching_waits_for_an_open_ticket_and_for_sales_not_yet_sent(
    qtbot: QtBot, real_shop: ShopDb
) -> None:
    window = open_window(qtbot)
    sign_in(qtbot, window, "Lucía", "caja1234")
    window.actions_["switch_shop"].trigger()  # a cashier: a manager must approve
    approval: ManagerApprovalDialog = wait_dialog(qtbot, ManagerApprovalDialog)
    approval.reject()

    runtime = window.runtime
    assert runtime is not None
    with runtime.store.read() as session:
        code = session.scalars(
            select(CatalogProduct.ean13).where(
                CatalogProduct.ean13 != "", ~CatalogProduct.has_combinations
            )
        ).first()
    assert code
    qtbot.keyClicks(window.sale.search.field, code)
    qtbot.keyClick(window.sale.search.field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.sale.model.rowCount() == 1)
    window.switch_shop()
    assert message(qtbot) == "A ticket is open: finish or cancel it, then switch shop."

    # Three sales recorded while the shop cannot take them yet.
    assert runtime.worker is not None
    runtime.worker.stop(timeout=15)
    open_cash_session(runtime.store, Decimal("100.00"), 1)
    for n in (1, 2, 3):
        record_sale(runtime.store, sample_ticket("T1", [Item(n, 1, Decimal("2.50"))]))
    window.sale.cart = None  # the ticket was finished
    window.show_sale()
    window.switch_shop()  # Lucía is still signed in: approval again, by the manager
    approval = wait_dialog(qtbot, ManagerApprovalDialog)
    qtbot.waitUntil(lambda: approval.list.count() > 0)
    approval.on_secret("admin1234")
    assert message(qtbot) == (
        "3 sales are still waiting to be sent to Demo shop; switch when they are sent."
    )
    assert window.runtime is runtime and settings_now().get(cfg.SHOP_DEMO)
    window.close()


def test_export_import_and_a_new_connection_from_the_switcher(
    qtbot: QtBot, real_shop: ShopDb, tmp_path: Path
) -> None:
    window = open_window(qtbot)
    sign_in(qtbot, window, "Admin", "admin1234")
    dialog = open_switcher(qtbot, window)
    exported = tmp_path / "export.json"
    dialog.export_to(exported)
    qtbot.waitUntil(lambda: "without passwords" in dialog.status.text(), timeout=10_000)
    text = exported.read_text()
    password = make_url(real_shop.url).password or ""
    assert REAL in text and password not in text and '"T1"' not in text

    qtbot.keyClick(dialog, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    wizard: SetupWizard = wait_dialog(qtbot, SetupWizard)
    wizard.reject()  # cancelled: nothing changes
    assert settings_now().get(cfg.SHOP_DEMO) and window.runtime is not None

    # Another till's export naming the real shop: this till takes it and reopens on it.
    other = cfg.Settings.load(tmp_path / "other.json")
    save_profile(other, Profile(name=REAL, db_url=without_password(real_shop.url)))
    other.set(cfg.TILL_NAME, "T9")
    other.save()
    export_settings(other, tmp_path / "from-other.json")
    dialog = open_switcher(qtbot, window)
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps({"hello": 1}))
    dialog.import_from(broken)
    qtbot.waitUntil(lambda: "not a Mostrador settings export" in dialog.status.text())
    dialog.import_from(tmp_path / "from-other.json")
    qtbot.waitUntil(
        lambda: on_real_shop(window, real_shop) and window.runtime is not None, timeout=60_000
    )
    assert settings_now().get(cfg.TILL_NAME) == "T1" and window.till == "T1"
    window.close()
