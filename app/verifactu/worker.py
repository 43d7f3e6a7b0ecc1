"""The background sender of fiscal records: one thread per open till, owned by the runtime.

Every :data:`INTERVAL_S` seconds (or when woken after a sale) it calls
:func:`~app.verifactu.sender.send_due`, which sends only when a message is due (the AEAT's
``TiempoEsperaEnvio`` honoured) and never raises for network errors. It publishes a
:class:`FiscalStatus` on the till's event bus when the queue changes, for the status bar.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass

from app.events import EventBus
from app.till.store import TillStore
from app.verifactu.sender import SenderConfig, queue_summary, send_due

logger = logging.getLogger(__name__)

INTERVAL_S = 30.0


@dataclass(frozen=True)
class FiscalStatus:
    """How many fiscal records wait to be sent, and the last problem, if any."""

    pending: int
    rejected: int
    incident: bool
    last_error: str


class FiscalSender:
    def __init__(
        self,
        store: TillStore,
        config: Callable[[], SenderConfig],
        bus: EventBus,
        interval_s: float = INTERVAL_S,
    ) -> None:
        self.store, self.config, self.bus, self.interval_s = store, config, bus, interval_s
        self._stopping = threading.Event()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None
        self._last: FiscalStatus | None = None

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="verifactu", daemon=True)
            self._thread.start()

    def wake(self) -> None:
        self._wake.set()

    def stop(self, timeout: float = 10.0) -> bool:
        self._stopping.set()
        self._wake.set()
        thread = self._thread
        if thread is not None:
            thread.join(timeout)
            if thread.is_alive():
                return False
        self._thread = None
        return True

    def run_once(self) -> FiscalStatus:
        report = send_due(self.store, self.config())
        summary = queue_summary(self.store)
        status = FiscalStatus(
            summary.pending, summary.rejected, summary.incident, report.error or summary.last_error
        )
        if status != self._last:
            self._last = status
            self.bus.publish(status)
        return status

    def _run(self) -> None:
        while not self._stopping.is_set():
            try:
                self.run_once()
            except Exception:  # a broken round is logged; the next one tries again
                logger.exception("VERI*FACTU sending round failed")
            self._wake.wait(self.interval_s)
            self._wake.clear()
