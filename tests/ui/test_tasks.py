"""The task helper delivers results on the GUI thread, and never to a screen already gone."""

from __future__ import annotations

import threading

import shiboken6
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from ui.tasks import TaskManager


def test_a_result_for_a_closed_screen_goes_nowhere(qtbot: QtBot) -> None:
    tasks = TaskManager()
    release = threading.Event()
    label = QLabel()
    tasks.run(lambda: release.wait(5) and "done", label.setText)
    label.deleteLater()
    qtbot.waitUntil(lambda: not shiboken6.isValid(label))
    release.set()
    qtbot.waitUntil(lambda: tasks.pending == 0)  # delivered to nobody, no error raised
    tasks.shutdown()


def test_work_submitted_after_shutdown_never_runs(qtbot: QtBot) -> None:
    tasks = TaskManager()
    tasks.shutdown()
    ran: list[int] = []
    future = tasks.run(lambda: ran.append(1))
    assert future.cancelled() and ran == [] and tasks.pending == 0
