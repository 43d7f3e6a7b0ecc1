"""The Qt side of the core event bus (STYLE rule 5).

:class:`QtEventListener` subscribes to an :class:`~app.events.EventBus` and re-emits what the
sync thread publishes as Qt signals; a signal emitted on the sync thread reaches slots of
GUI-thread objects queued, so they run on the GUI thread::

    listener = QtEventListener(parent=window)
    listener.status_changed.connect(sync_status.show_status)   # SyncStatus
    listener.changed.connect(screen.on_changes)                 # Changes
    listener.attach(runtime.bus)            # when the till has been opened
    ...
    listener.close()                        # on quit (also done when the parent is destroyed)

After :meth:`detach` or :meth:`close` returns, no signal is emitted any more, even by a
publish already running on another thread (its emission waits for the lock, then sees the
listener detached).
"""

from __future__ import annotations

import logging
import threading

from PySide6.QtCore import QObject, Signal, SignalInstance

from app.events import Changes, EventBus, Subscription
from app.sync.worker import SyncStatus
from app.verifactu.worker import FiscalStatus

logger = logging.getLogger(__name__)


class QtEventListener(QObject):
    status_changed = Signal(object)  # SyncStatus
    changed = Signal(object)  # Changes
    fiscal_changed = Signal(object)  # FiscalStatus (VERI*FACTU records waiting to be sent)

    def __init__(self, bus: EventBus | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._lock = threading.Lock()  # held while emitting, and while detaching
        self._bus: EventBus | None = None
        self._subscriptions: list[Subscription] = []
        if bus is not None:
            self.attach(bus)

    @property
    def bus(self) -> EventBus | None:
        return self._bus

    def attach(self, bus: EventBus) -> None:
        """Listen to ``bus`` (instead of the bus listened to before, if any)."""
        self.detach()
        status_changed, changed, fiscal = self.status_changed, self.changed, self.fiscal_changed
        with self._lock:
            self._bus = bus
            self._subscriptions = [
                bus.subscribe(SyncStatus, lambda value: self._emit(bus, status_changed, value)),
                bus.subscribe(Changes, lambda value: self._emit(bus, changed, value)),
                bus.subscribe(FiscalStatus, lambda value: self._emit(bus, fiscal, value)),
            ]

    def detach(self) -> None:
        """Stop listening; no signal is emitted after this returns."""
        with self._lock:
            bus, subscriptions = self._bus, self._subscriptions
            self._bus, self._subscriptions = None, []
        if bus is not None:
            for subscription in subscriptions:
                bus.unsubscribe(subscription)

    def close(self) -> None:
        self.detach()

    def _emit(self, bus: EventBus, signal: SignalInstance, value: object) -> None:
        """Runs on the publishing thread (the sync worker's)."""
        with self._lock:
            if self._bus is not bus:
                return  # detached, or listening to another bus meanwhile
            try:
                signal.emit(value)
                return
            except RuntimeError:  # the Qt object was deleted without close()
                logger.warning("event listener deleted while attached; detaching it")
                subscriptions, self._bus, self._subscriptions = self._subscriptions, None, []
        for subscription in subscriptions:
            bus.unsubscribe(subscription)
