"""Without a keyring the database password is typed at each start, against a real MariaDB shop:
a wrong one is explained in the doctor's words and asked again; Cancel leaves the window
offline, saying so, with a way to try again; the password is in no file the app wrote."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import shiboken6
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy.engine import make_url

from app import paths
from app.config import settings as cfg
from app.logging_setup import setup_logging
from app.setup.profiles import Profile, save_profile, without_password
from app.setup.runtime import configured_target
from ui.main_window import MainWindow
from ui.password_prompt import PasswordPrompt

pytestmark = pytest.mark.parametrize("demo_shop_db", ["8.0"], indirect=True)


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


def ask_at_start(db: Any) -> str:
    """Settings of a till whose keyring was unavailable at setup; the real password."""
    settings = cfg.Settings.load(paths.config_dir() / cfg.FILE_NAME)
    settings.set(cfg.SHOP_ASK_PASSWORD, True)
    settings.set(cfg.TILL_NAME, "T1")
    save_profile(settings, Profile(name="Tienda Centro", db_url=without_password(db.url)))
    return make_url(db.url).password or ""


def open_window(qtbot: QtBot, tmp_path: Path) -> MainWindow:
    settings = cfg.Settings.load(paths.config_dir() / cfg.FILE_NAME)
    window = MainWindow(configured_target(settings), "T1", tmp_path / "till-T1.sqlite3")
    qtbot.addWidget(window)
    window.show()
    return window


def prompt_of(qtbot: QtBot, window: MainWindow, previous: object = None) -> PasswordPrompt:
    qtbot.waitUntil(
        lambda: (
            window.starter.prompt is not None
            and window.starter.prompt is not previous
            and window.starter.prompt.isVisible()
        ),
        timeout=20_000,
    )
    prompt = window.starter.prompt
    assert prompt is not None
    return prompt


def type_password(qtbot: QtBot, prompt: PasswordPrompt, password: str) -> None:
    qtbot.keyClicks(prompt.password, password)
    qtbot.mouseClick(prompt.connect_button, Qt.MouseButton.LeftButton)


def files_written(tmp_path: Path) -> list[Path]:
    roots = {tmp_path, Path(os.environ["MOSTRADOR_HOME"])}
    return [p for root in roots for p in root.rglob("*") if p.is_file()]


def test_a_wrong_password_is_explained_and_the_right_one_opens_the_till(
    qtbot: QtBot, demo_shop_db: Any, tmp_path: Path, log_file: Path
) -> None:
    password = ask_at_start(demo_shop_db)
    window = open_window(qtbot, tmp_path)
    prompt = prompt_of(qtbot, window)
    assert prompt.title.text() == "Password of the database of Tienda Centro"
    assert not prompt.error.isVisible()
    assert "Connecting" in window.connection_label.text()

    type_password(qtbot, prompt, "not-the-password")
    again = prompt_of(qtbot, window, previous=prompt)
    assert again.error.isVisible()
    assert again.error.text().startswith("Access denied for 'mostrador'")
    assert "Check the password" in again.error.text()
    assert window.runtime is None  # nothing opened with a refused password

    type_password(qtbot, again, password)
    qtbot.waitUntil(lambda: window.runtime is not None, timeout=60_000)
    qtbot.waitUntil(lambda: "Connected" in window.connection_label.text(), timeout=20_000)
    assert window.stack.currentWidget() is window.login
    assert not shiboken6.isValid(again)  # handed over; the dialog and its fields are gone

    # Even a careless log line is scrubbed; a problem report carries no password either.
    logging.getLogger("test").warning("url %s", window.target and window.target.url.password)
    context = window.report_context()
    assert password not in repr(context)
    window.close()
    written = files_written(tmp_path)
    assert log_file in written and paths.config_dir() / cfg.FILE_NAME in written
    assert any(p.name == "till-T1.sqlite3" for p in written)
    for path in written:
        assert password.encode() not in path.read_bytes(), path


def test_cancel_leaves_the_window_offline_and_it_can_try_again(
    qtbot: QtBot, demo_shop_db: Any, tmp_path: Path
) -> None:
    password = ask_at_start(demo_shop_db)
    window = open_window(qtbot, tmp_path)
    prompt = prompt_of(qtbot, window)
    qtbot.keyClick(prompt, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: "Not connected" in window.connection_label.text())
    assert window.home.title.text() == "The shop cannot be reached"
    assert "password was not typed" in window.home.connection_value.text()
    assert "Ctrl+F5" in window.home.subtitle.text()
    assert window.runtime is None and not window.actions_["sell"].isEnabled()

    window.actions_["refresh"].trigger()  # Check the connection (Ctrl+F5): asks again
    again = prompt_of(qtbot, window, previous=prompt)
    type_password(qtbot, again, password)
    qtbot.waitUntil(lambda: window.runtime is not None, timeout=60_000)
    qtbot.waitUntil(lambda: "Connected" in window.connection_label.text(), timeout=20_000)
    window.close()
