"""A till set up from another till's exported settings (they carry no password) against a real
MariaDB shop: the start asks for the password with the same prompt, a wrong one is explained
in the doctor's words and asked again, the right one opens the till and is kept in the (test)
keyring so the next start does not ask; Import settings in the switcher asks it right away.
No file the app wrote holds the password."""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy.engine import make_url

from app import connection, paths
from app.config import secrets
from app.config import settings as cfg
from app.logging_setup import setup_logging
from app.setup.keyring_secrets import db_secret_name
from app.setup.profiles import (
    Profile,
    demo_profile,
    export_settings,
    import_settings,
    save_profile,
    use_profile,
    without_password,
)
from app.setup.runtime import configured_target
from tests.support.shop_db import ShopDb
from tests.support.tpv import sign_in, wait_dialog
from ui.main_window import MainWindow
from ui.password_prompt import PasswordPrompt
from ui.profile_switch import ProfileSwitchDialog

REAL = "Tienda Centro"


@pytest.fixture
def log_file() -> Iterator[Path]:
    """The app's own rotating log, as ``mostrador`` sets it up (removed after the test)."""
    path = setup_logging(paths.log_dir(), level=logging.DEBUG)
    yield path
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_mostrador", False):
            root.removeHandler(handler)
            handler.close()


def settings_now() -> cfg.Settings:
    return cfg.Settings.load(paths.config_dir() / cfg.FILE_NAME)


def exported_by_another_till(real: ShopDb, tmp_path: Path) -> Path:
    """Till T9 knows the real shop (its password is in T9's keyring, not here) and exports."""
    other = cfg.Settings.load(tmp_path / "other.json")
    save_profile(other, Profile(name=REAL, db_url=without_password(real.url)))
    other.set(cfg.TILL_NAME, "T9")
    other.save()
    exported = tmp_path / "from-other.json"
    export_settings(other, exported)
    return exported


def use_demo_shop(make_shop_db: Callable[..., ShopDb]) -> None:
    """This till sells on the demo shop (a small SQLite one where Mostrador builds it)."""
    demo = make_shop_db("sqlite", demo=True)
    target = paths.demo_shop_path()
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(demo.url.removeprefix("sqlite:///"), target)
    with contextlib.closing(sqlite3.connect(target)) as db:
        db.execute(f"PRAGMA user_version = {int(getattr(connection, 'DEMO_FORMAT', 0))}")
        db.commit()
    settings = settings_now()
    settings.set(cfg.TILL_NAME, "T1")
    use_profile(settings, demo_profile())


def open_window(qtbot: QtBot, tmp_path: Path) -> MainWindow:
    window = MainWindow(configured_target(settings_now()), "T1", tmp_path / "till-T1.sqlite3")
    qtbot.addWidget(window)
    window.resize(1024, 768)
    window.show()
    return window


def prompt_of(qtbot: QtBot, window: MainWindow, previous: object = None) -> PasswordPrompt:
    qtbot.waitUntil(
        lambda: (
            window.starter.prompt is not None
            and window.starter.prompt is not previous
            and window.starter.prompt.isVisible()
        ),
        timeout=30_000,
    )
    prompt = window.starter.prompt
    assert prompt is not None
    return prompt


def type_password(qtbot: QtBot, prompt: PasswordPrompt, password: str) -> None:
    qtbot.keyClicks(prompt.password, password)
    qtbot.keyClick(prompt.password, Qt.Key.Key_Return)


def kept(real: ShopDb) -> str | None:
    return secrets.get_secret("db", db_secret_name(make_url(real.url)))


def assert_in_no_file(password: str, tmp_path: Path) -> None:
    roots = {tmp_path, Path(os.environ["MOSTRADOR_HOME"])}
    written = [p for root in roots for p in root.rglob("*") if p.is_file()]
    assert paths.config_dir() / cfg.FILE_NAME in written
    for path in written:
        assert password.encode() not in path.read_bytes(), path


def connected(qtbot: QtBot, window: MainWindow, real: ShopDb) -> None:
    qtbot.waitUntil(lambda: window.runtime is not None, timeout=60_000)
    qtbot.waitUntil(lambda: "Connected" in window.connection_label.text(), timeout=20_000)
    assert window.target is not None
    assert window.target.url.database == make_url(real.url).database


def test_the_first_start_after_importing_asks_once_and_keeps_the_password(
    qtbot: QtBot, make_shop_db: Callable[..., ShopDb], tmp_path: Path, log_file: Path
) -> None:
    real = make_shop_db("8.0", demo=True)
    password = make_url(real.url).password or ""
    settings = settings_now()
    settings.set(cfg.TILL_NAME, "T1")
    import_settings(settings, exported_by_another_till(real, tmp_path))
    assert kept(real) is None and not settings_now().get(cfg.SHOP_ASK_PASSWORD)

    window = open_window(qtbot, tmp_path)
    prompt = prompt_of(qtbot, window)
    assert prompt.title.text() == f"Password of the database of {REAL}"
    assert "kept in the system keyring" in prompt.why.text()
    assert not prompt.error.isVisible()

    type_password(qtbot, prompt, "not-the-password")
    again = prompt_of(qtbot, window, previous=prompt)
    assert again.error.text().startswith("Access denied for 'mostrador'")
    assert "Check the password" in again.error.text()
    assert window.runtime is None and kept(real) is None  # a refused one is not kept

    type_password(qtbot, again, password)
    connected(qtbot, window, real)
    assert kept(real) == password
    window.close()

    # The next start finds it in the keyring: no prompt, the till opens on the shop.
    window = open_window(qtbot, tmp_path)
    connected(qtbot, window, real)
    assert window.starter.prompt is None
    window.close()
    assert log_file.is_file()
    assert_in_no_file(password, tmp_path)


def test_importing_in_the_switcher_asks_the_password_right_away(
    qtbot: QtBot, make_shop_db: Callable[..., ShopDb], tmp_path: Path
) -> None:
    use_demo_shop(make_shop_db)
    real = make_shop_db("8.0", demo=True)
    password = make_url(real.url).password or ""
    exported = exported_by_another_till(real, tmp_path)
    window = open_window(qtbot, tmp_path)
    qtbot.waitUntil(lambda: window.runtime is not None, timeout=60_000)
    sign_in(qtbot, window, "Admin", "admin1234")
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    shift = Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(window, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier | shift)
    dialog: ProfileSwitchDialog = wait_dialog(qtbot, ProfileSwitchDialog, timeout=20_000)

    dialog.import_from(exported)
    prompt = prompt_of(qtbot, window)
    assert prompt.title.text() == f"Password of the database of {REAL}"
    assert settings_now().get(cfg.ACTIVE_PROFILE) == REAL and window.runtime is None
    type_password(qtbot, prompt, password)
    connected(qtbot, window, real)
    assert kept(real) == password
    assert settings_now().get(cfg.TILL_NAME) == "T1"
    window.close()
    assert_in_no_file(password, tmp_path)
