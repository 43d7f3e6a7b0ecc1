"""The collector never runs in a worker thread: the app switches it off and collects from the
GUI thread's event loop (a Qt object freed in a worker crashes Qt)."""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject
from pytestqt.qtbot import QtBot

from ui.gc_guard import collect_on_gui_thread


def test_collection_happens_on_the_gui_thread_only(qtbot: QtBot) -> None:
    was_enabled = gc.isenabled()
    owner = QObject()
    try:
        collector = collect_on_gui_thread(owner)
        assert not gc.isenabled()  # no automatic collection in any thread
        before = gc.get_count()[0]
        for _ in range(5_000):
            a: list[object] = []
            a.append(a)  # garbage in a cycle: only a collection frees it
        assert gc.get_count()[0] > before
        collector.collect()  # what the GUI thread's timer runs
        assert gc.get_count()[0] < 100
    finally:
        owner.deleteLater()
        if was_enabled:
            gc.enable()
