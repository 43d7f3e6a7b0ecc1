"""The first-run wizard, driven as a person would, against a real MariaDB shop."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from keyring.errors import KeyringError
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWizard
from pytestqt.qtbot import QtBot
from sqlalchemy.engine import make_url

from app import paths
from app.config import settings as cfg
from app.connection import ShopTarget, password_for
from app.setup.profiles import needs_setup
from tests.support.keyring_backend import MemoryKeyring
from tests.support.mariadb import MariaDBServer
from ui.setup_wizard import CONNECTION, FINISH, PRINTER, SHOP, TILL, SetupWizard
from ui.tasks import TaskManager

pytestmark = pytest.mark.parametrize("demo_shop_db", ["8.0"], indirect=True)


@pytest.fixture
def tasks() -> Iterator[TaskManager]:
    manager = TaskManager()
    yield manager
    manager.shutdown()


@pytest.fixture
def wizard(qtbot: QtBot, tasks: TaskManager, demo_shop_db: Any) -> SetupWizard:
    wizard = SetupWizard(None, tasks)
    qtbot.addWidget(wizard)
    wizard.resize(1024, 740)
    wizard.show()
    qtbot.waitExposed(wizard)
    return wizard


def settings_path() -> Path:
    return paths.config_dir() / cfg.FILE_NAME


def fill_connection(wizard: SetupWizard, db: Any, password: str | None = None) -> None:
    url = make_url(db.url)
    page = wizard.connection
    page.host.setText(url.host or "")
    page.port.setValue(url.port or 3306)
    page.database.setText(url.database or "")
    page.user.setText(url.username or "")
    page.password.setText(password if password is not None else (url.password or ""))


def next_button(wizard: SetupWizard) -> Any:
    return wizard.button(QWizard.WizardButton.NextButton)


def to_connection(qtbot: QtBot, wizard: SetupWizard) -> None:
    qtbot.mouseClick(wizard.welcome.shop_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: wizard.currentId() == CONNECTION)


def check(qtbot: QtBot, wizard: SetupWizard) -> list[str]:
    page = wizard.connection
    qtbot.keyClick(wizard, Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: page.check is not None and page.check_button.isEnabled(), timeout=30000)
    return [page.results.item(i).text() for i in range(page.results.count())]


def walk_to_finish(qtbot: QtBot, wizard: SetupWizard, db: Any, series: str = "T1") -> None:
    to_connection(qtbot, wizard)
    fill_connection(wizard, db)
    lines = check(qtbot, wizard)
    assert all(line.startswith(("✔", "⚠")) for line in lines), lines
    qtbot.waitUntil(lambda: next_button(wizard).isEnabled())
    qtbot.mouseClick(next_button(wizard), Qt.MouseButton.LeftButton)
    assert wizard.currentId() == SHOP
    qtbot.waitUntil(wizard.shop_page.isComplete, timeout=20000)
    assert wizard.shop_page.shop.count() >= 1
    qtbot.mouseClick(next_button(wizard), Qt.MouseButton.LeftButton)
    assert wizard.currentId() == TILL
    wizard.till_page.label.setText("Mostrador principal")
    wizard.till_page.series.setText(series)
    assert not next_button(wizard).isEnabled()
    qtbot.keyClick(wizard, Qt.Key.Key_F5)
    qtbot.waitUntil(wizard.till_page.isComplete, timeout=20000)
    qtbot.mouseClick(next_button(wizard), Qt.MouseButton.LeftButton)
    assert wizard.currentId() == PRINTER
    qtbot.mouseClick(next_button(wizard), Qt.MouseButton.LeftButton)
    assert wizard.currentId() == FINISH


def files_written() -> list[Path]:
    root = Path(os.environ["MOSTRADOR_HOME"])
    return [p for p in root.rglob("*") if p.is_file()]


def test_connecting_a_real_shop_from_start_to_finish(
    qtbot: QtBot, wizard: SetupWizard, demo_shop_db: Any, memory_keyring: MemoryKeyring
) -> None:
    password = make_url(demo_shop_db.url).password or ""
    walk_to_finish(qtbot, wizard, demo_shop_db)
    qtbot.waitUntil(wizard.finish_page.isComplete, timeout=20000)
    assert "keyring" in wizard.finish_page.status.text()
    with qtbot.waitSignal(wizard.finished_with, timeout=5000) as signal:
        qtbot.mouseClick(
            wizard.button(QWizard.WizardButton.FinishButton), Qt.MouseButton.LeftButton
        )
    target: ShopTarget = signal.args[0]
    assert target.url.password is None and target.prefix == "ps_"
    assert password_for(target.url) == password  # from the keyring
    settings = cfg.Settings.load(settings_path())
    assert not needs_setup(settings)
    assert settings.get(cfg.TILL_NAME) == "T1"
    assert settings.get(cfg.TILL_LABEL) == "Mostrador principal"
    assert make_url(settings.get(cfg.SHOP_DB_URL)).database == make_url(demo_shop_db.url).database
    # The password is in no file the app wrote, only in the keyring.
    written = files_written()
    assert settings_path() in written
    for path in written:
        assert password.encode() not in path.read_bytes(), path
    assert password in memory_keyring.store.values()


def test_a_wrong_password_is_explained_and_blocks_next(
    qtbot: QtBot, wizard: SetupWizard, demo_shop_db: Any
) -> None:
    to_connection(qtbot, wizard)
    fill_connection(wizard, demo_shop_db, password="not-the-password")
    lines = check(qtbot, wizard)
    assert lines[0].startswith("✔") and "answers" in lines[0]
    assert any(line.startswith("✘  Access denied for") for line in lines), lines
    assert "Check the password" in "\n".join(lines)
    assert not next_button(wizard).isEnabled()


def test_editing_after_a_good_check_asks_for_a_new_check(
    qtbot: QtBot, wizard: SetupWizard, demo_shop_db: Any
) -> None:
    to_connection(qtbot, wizard)
    fill_connection(wizard, demo_shop_db)
    check(qtbot, wizard)
    qtbot.waitUntil(lambda: next_button(wizard).isEnabled())
    wizard.connection.database.setText("another_db")
    assert not next_button(wizard).isEnabled()


def test_a_series_taken_by_another_till_is_refused(
    qtbot: QtBot, wizard: SetupWizard, demo_shop_db: Any, mariadb: MariaDBServer
) -> None:
    database = make_url(demo_shop_db.url).database
    with mariadb.connection(database) as conn, conn.cursor() as cur:
        cur.execute(
            "CREATE TABLE ps_mostrador_till (id_shop INT UNSIGNED NOT NULL, series VARCHAR(32) "
            "NOT NULL, till_uuid CHAR(36) NOT NULL, label VARCHAR(64) NOT NULL DEFAULT '', "
            "registered_at DATETIME NOT NULL, seen_at DATETIME NOT NULL, "
            "PRIMARY KEY (id_shop, series))"
        )
        cur.execute(
            "INSERT INTO ps_mostrador_till VALUES (1, 'T1', 'other-till', 'Caja del almacén', "
            "NOW(), NOW())"
        )
    to_connection(qtbot, wizard)
    fill_connection(wizard, demo_shop_db)
    check(qtbot, wizard)
    qtbot.waitUntil(lambda: next_button(wizard).isEnabled())
    wizard.next()
    qtbot.waitUntil(wizard.shop_page.isComplete, timeout=20000)
    wizard.next()
    qtbot.keyClick(wizard, Qt.Key.Key_F5)
    page = wizard.till_page
    qtbot.waitUntil(lambda: "Caja del almacén" in page.status.text(), timeout=20000)
    assert "already used" in page.status.text()
    assert not next_button(wizard).isEnabled()
    page.series.setText("T2")
    qtbot.keyClick(wizard, Qt.Key.Key_F5)
    qtbot.waitUntil(page.isComplete, timeout=20000)


class BrokenKeyring(MemoryKeyring):
    def set_password(self, service: str, username: str, password: str) -> None:
        raise KeyringError("no Secret Service on this computer")


def test_without_a_keyring_the_password_is_typed_at_each_start(
    qtbot: QtBot, wizard: SetupWizard, demo_shop_db: Any
) -> None:
    import keyring

    keyring.set_keyring(BrokenKeyring())  # the conftest fixture restores the previous one
    password = make_url(demo_shop_db.url).password or ""
    walk_to_finish(qtbot, wizard, demo_shop_db)
    page = wizard.finish_page
    qtbot.waitUntil(page.ask_each_start.isVisible, timeout=20000)
    assert "keyring is not available" in page.status.text()
    assert not page.isComplete()
    assert not settings_path().exists()  # nothing saved yet
    page.ask_each_start.setChecked(True)
    qtbot.waitUntil(page.isComplete, timeout=20000)
    settings = cfg.Settings.load(settings_path())
    assert settings.get(cfg.SHOP_ASK_PASSWORD)
    for path in files_written():
        assert password.encode() not in path.read_bytes(), path
    assert "password" not in json.loads(settings_path().read_text())["shop.db_url"]


def test_the_demo_shop_is_one_click(qtbot: QtBot, wizard: SetupWizard) -> None:
    qtbot.keyClick(wizard, Qt.Key.Key_F2)
    qtbot.waitUntil(lambda: wizard.currentId() == FINISH)
    qtbot.waitUntil(wizard.finish_page.isComplete, timeout=20000)
    with qtbot.waitSignal(wizard.finished_with) as signal:
        qtbot.keyClick(wizard, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert signal.args[0].demo
    settings = cfg.Settings.load(settings_path())
    assert settings.get(cfg.SHOP_DEMO) and not needs_setup(settings)
