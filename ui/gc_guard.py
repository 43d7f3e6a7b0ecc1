"""Python's garbage collector runs on the GUI thread only.

The cyclic collector runs in whichever thread happens to allocate when a threshold is crossed:
a worker reading the shop could then free the last reference to a Qt object (a closed dialog
caught in a reference cycle) and delete it off the GUI thread, which crashes Qt. So the
automatic collector is switched off and a timer on the GUI thread collects instead: the
young generations often (cheap), everything now and then.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

YOUNG_EVERY_MS = 2_000
FULL_EVERY = 30  # young collections between two full ones (about a minute)


class GuiCollector(QObject):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._count = 0
        self._timer = QTimer(self, interval=YOUNG_EVERY_MS)
        self._timer.timeout.connect(self.collect)

    def start(self) -> None:
        gc.disable()
        self._timer.start()

    def collect(self) -> None:
        self._count += 1
        if self._count % FULL_EVERY == 0:
            gc.collect()
        else:
            gc.collect(1)


def collect_on_gui_thread(parent: QObject) -> GuiCollector:
    """Switch the automatic collector off; collect from the GUI thread's event loop instead."""
    collector = GuiCollector(parent)
    collector.start()
    return collector
