"""The update prompt against a real signed release folder served on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from app import update_hooks
from tests.updater.conftest import ReleaseServer, install_root, serve_release
from ui.tasks import TaskManager
from ui.update_dialog import UpdateDialog, ask_restore_previous
from updater import verify
from updater.health import ROOT_ENV, VERSION_ENV
from updater.layout import Layout
from updater.state import load_state


@pytest.fixture
def tasks() -> Iterator[TaskManager]:
    manager = TaskManager()
    yield manager
    manager.shutdown()


@pytest.fixture
def release_server(tmp_path: Path) -> Iterator[ReleaseServer]:
    with serve_release(tmp_path) as server:
        yield server


@pytest.fixture
def managed(
    release_server: ReleaseServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Layout:
    """This process as if the launcher of an install with 0.1.0 had started it."""
    layout = install_root(tmp_path)
    monkeypatch.setenv(ROOT_ENV, str(layout.root))
    monkeypatch.setenv(VERSION_ENV, "0.1.0")
    monkeypatch.setenv(update_hooks.URL_ENV, release_server.url)
    monkeypatch.setattr(verify, "PINNED_ROOT", release_server.repo / "metadata" / "root.json")
    return layout


def _offer(server: ReleaseServer, **kwargs: object) -> update_hooks.UpdateOffer:
    server.publish("0.2.0", notes="Faster search.\nNew receipts.", **kwargs)
    check = update_hooks.check_for_update()
    assert check.offer is not None, check.message
    return check.offer


def test_install_now_downloads_with_progress_then_asks_for_a_restart(
    qtbot: QtBot, tasks: TaskManager, managed: Layout, release_server: ReleaseServer
) -> None:
    offer = _offer(release_server)
    dialog = UpdateDialog(offer, tasks, busy=lambda: False)
    qtbot.addWidget(dialog)
    dialog.show()
    assert "0.2.0" in dialog.title_label.text()
    assert "Faster search." in dialog.notes.toPlainText()
    assert dialog.skip_button.isVisible() and not dialog.critical_label.isVisible()
    with qtbot.waitSignal(dialog.restart_requested, timeout=10_000) as restart:
        dialog.install_button.click()
    assert restart.args == ["0.2.0"]
    assert dialog.progress_bar.value() == dialog.progress_bar.maximum()
    assert " MB" in dialog.progress_bar.format()
    assert load_state(managed).pending == "0.2.0"


def test_the_restart_waits_while_a_ticket_is_open(
    qtbot: QtBot, tasks: TaskManager, managed: Layout, release_server: ReleaseServer
) -> None:
    ticket_open = [True]
    dialog = UpdateDialog(_offer(release_server), tasks, busy=lambda: ticket_open[0])
    qtbot.addWidget(dialog)
    dialog.show()
    restarts: list[str] = []
    dialog.restart_requested.connect(restarts.append)
    dialog.install_button.click()
    qtbot.waitUntil(lambda: "open ticket" in dialog.status_label.text(), timeout=10_000)
    assert restarts == [] and load_state(managed).pending == "0.2.0"
    ticket_open[0] = False  # the ticket is paid
    qtbot.waitUntil(lambda: restarts == ["0.2.0"], timeout=15_000)  # after the change is read


def test_a_critical_update_cannot_be_skipped(
    qtbot: QtBot, tasks: TaskManager, managed: Layout, release_server: ReleaseServer
) -> None:
    dialog = UpdateDialog(_offer(release_server, critical=True), tasks, busy=lambda: False)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.critical_label.isVisible()
    assert not dialog.skip_button.isVisible()


def test_skip_this_version_is_remembered(
    qtbot: QtBot, tasks: TaskManager, managed: Layout, release_server: ReleaseServer
) -> None:
    dialog = UpdateDialog(_offer(release_server), tasks, busy=lambda: False)
    qtbot.addWidget(dialog)
    dialog.show()
    assert "(F8)" in dialog.skip_button.text()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    qtbot.keyClick(dialog, Qt.Key.Key_F8)
    qtbot.waitUntil(lambda: load_state(managed).skipped == ("0.2.0",))
    assert not dialog.isVisible()
    assert update_hooks.check_for_update().offer is None


def test_a_failed_download_leaves_the_current_version_and_says_so(
    qtbot: QtBot, tasks: TaskManager, managed: Layout, release_server: ReleaseServer
) -> None:
    offer = _offer(release_server)
    release_server.package_file("0.2.0").write_bytes(b"not the signed package")
    dialog = UpdateDialog(offer, tasks, busy=lambda: False)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.install_button.click()
    qtbot.waitUntil(lambda: "keeps working" in dialog.status_label.text(), timeout=10_000)
    assert dialog.install_button.isEnabled()
    assert load_state(managed).pending is None


def test_restore_previous_version_asks_then_hands_over_to_the_launcher(
    qtbot: QtBot,
    tasks: TaskManager,
    managed: Layout,
    release_server: ReleaseServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from tests.updater.conftest import package_app
    from updater.apply import stage_update
    from updater.launcher import run

    stage_update(managed, package_app(managed.root.parent, "0.2.0"))
    run(managed)  # 0.2.0 is current, 0.1.0 previous
    monkeypatch.setenv(VERSION_ENV, "0.2.0")
    asked: list[str] = []

    def answer_yes(parent: object, title: str, text: str) -> QMessageBox.StandardButton:
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", answer_yes)
    restarted: list[bool] = []
    window = QMessageBox()
    qtbot.addWidget(window)
    ask_restore_previous(window, tasks, lambda: False, lambda: restarted.append(True))
    qtbot.waitUntil(lambda: restarted == [True])
    assert "0.1.0" in asked[0]
    assert load_state(managed).rollback_requested
