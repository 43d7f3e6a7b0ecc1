"""The manager's "Updates…" dialog: says whether updates work in this build and saves the
release address the next update check uses."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app import update_hooks
from tests.updater.conftest import ReleaseServer, install_root
from ui.tasks import TaskManager
from ui.update_dialog import UpdateSettingsDialog
from updater import verify
from updater.health import ROOT_ENV, VERSION_ENV


@pytest.fixture
def tasks() -> Iterator[TaskManager]:
    manager = TaskManager()
    yield manager
    manager.shutdown()


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("MOSTRADOR_HOME", str(tmp_path / "home"))
    monkeypatch.delenv(update_hooks.URL_ENV, raising=False)
    monkeypatch.setattr(verify, "BUILD_URL", tmp_path / "no-build-default.txt")
    return tmp_path / "home" / "config" / "settings.json"


@pytest.fixture
def installed(
    release_server: ReleaseServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> ReleaseServer:
    """Installed 0.1.0 with the release server's root pinned; 0.2.0 published."""
    layout = install_root(tmp_path)
    monkeypatch.setenv(ROOT_ENV, str(layout.root))
    monkeypatch.setenv(VERSION_ENV, "0.1.0")
    monkeypatch.setattr(verify, "PINNED_ROOT", release_server.repo / "metadata" / "root.json")
    release_server.publish("0.2.0")
    return release_server


def test_saving_an_address_makes_the_next_check_use_it(
    qtbot: QtBot, tasks: TaskManager, home: Path, installed: ReleaseServer
) -> None:
    release_server = installed
    dialog = UpdateSettingsDialog(tasks)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(dialog.save_button.isEnabled)
    assert "no release address" in dialog.status_label.text()
    qtbot.keyClicks(dialog.url_edit, release_server.url)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    with qtbot.waitSignal(dialog.saved) as saved:
        qtbot.keyClick(dialog.url_edit, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert saved.args[0].configured
    assert json.loads(home.read_text())["update.url"] == release_server.url
    check = update_hooks.check_for_update()
    assert check.offer is not None and check.offer.version == "0.2.0"


def test_a_build_without_a_pinned_root_says_so_and_a_bad_address_is_refused(
    qtbot: QtBot, tasks: TaskManager, home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(verify, "PINNED_ROOT", tmp_path / "absent.json")
    dialog = UpdateSettingsDialog(tasks)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(dialog.save_button.isEnabled)
    assert "not configured" in dialog.status_label.text()
    assert "no pinned release key" in dialog.status_label.text()
    qtbot.keyClicks(dialog.url_edit, "ftp://updates.example.com/")
    dialog.save_button.click()
    qtbot.waitUntil(lambda: "https://" in dialog.error_label.text())
    assert dialog.isVisible() and dialog.save_button.isEnabled()  # fix it and save again
    assert not home.exists()
