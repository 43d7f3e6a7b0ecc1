"""The background sender of fiscal records: one thread per open till, owned by the runtime.

Every :data:`INTERVAL_S` seconds (or when woken after a sale) it calls
:func:`~app.verifactu.sender.send_due`, which sends only when a message is due (the AEAT's
``TiempoEsperaEnvio`` honoured) and never raises for network errors. It publishes a
:class:`FiscalStatus` on the till's event bus when the queue changes, for the status bar, and
again when the till's clock drift (a :class:`~app.verifactu.clock.ClockDrift` the sync worker
publishes on the same bus) crosses into or out of "more than a minute".
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace

from app.events import EventBus, Subscription
from app.i18n import _
from app.till.store import TillStore
from app.verifactu.clock import ClockDrift
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
    clock_minutes: int = 0  # the till's clock ahead (+) or behind (−) the shop's; 0: within 1 min

    @property
    def clock_text(self) -> str:
        """The plain warning about the till's clock, or "" when it is right."""
        return clock_warning(self.clock_minutes)


def clock_warning(minutes: int) -> str:
    if minutes > 0:
        return _("The till's clock is {n} min ahead of the shop server's: correct it").format(
            n=minutes
        )
    if minutes < 0:
        return _("The till's clock is {n} min behind the shop server's: correct it").format(
            n=-minutes
        )
    return ""


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
        self._clock_minutes = 0
        self._lock = threading.Lock()  # guards _last and _clock_minutes (two publishing threads)
        self._drift: Subscription | None = None

    def start(self) -> None:
        if self._drift is None:
            self._drift = self.bus.subscribe(ClockDrift, self.on_clock_drift)
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="verifactu", daemon=True)
            self._thread.start()

    def wake(self) -> None:
        self._wake.set()

    def stop(self, timeout: float = 10.0) -> bool:
        self._stopping.set()
        self._wake.set()
        if self._drift is not None:
            self.bus.unsubscribe(self._drift)
            self._drift = None
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
        with self._lock:
            status = FiscalStatus(
                summary.pending,
                summary.rejected,
                summary.incident,
                report.error or summary.last_error,
                self._clock_minutes,
            )
        self._publish(status)
        return status

    def on_clock_drift(self, drift: ClockDrift) -> None:
        """Runs on the sync worker's thread: say the till's clock is off (or right again)."""
        with self._lock:
            if drift.minutes == self._clock_minutes:
                return
            self._clock_minutes = drift.minutes
            last = self._last or FiscalStatus(0, 0, False, "")
        self._publish(replace(last, clock_minutes=drift.minutes))

    def _publish(self, status: FiscalStatus) -> None:
        with self._lock:
            if status == self._last:
                return
            self._last = status
        self.bus.publish(status)

    def _run(self) -> None:
        while not self._stopping.is_set():
            try:
                self.run_once()
            except Exception:  # a broken round is logged; the next one tries again
                logger.exception("VERI*FACTU sending round failed")
            self._wake.wait(self.interval_s)
            self._wake.clear()
