"""The sync worker: a background thread that pushes the outbox and pulls the catalog.

Each round (:meth:`SyncWorker.run_once`) pushes the pending outbox entries in recording
order, then runs an incremental catalog pull; rounds repeat every ``interval_s`` while the
shop answers, and back off (``retry_min_s`` doubling up to ``retry_max_s``) while it does
not. A push the shop refuses for good marks the entry refused with its reason (it is kept,
never dropped); a passing failure leaves it pending for the next round.

The worker is plain threading (no Qt): whoever starts it owns it and stops it
(:meth:`SyncWorker.stop`, STYLE rule 4). It publishes on an :class:`~app.events.EventBus`
a :class:`SyncStatus` whenever the status changes and a :class:`~app.events.Changes`
whenever a round changed the till store; ``ui/`` re-emits both as Qt signals. Every
``clock_every_s`` seconds a round that reached the shop also compares the till's clock with the
shop server's and publishes the :class:`~app.verifactu.clock.ClockDrift`.
"""

from __future__ import annotations

import dataclasses
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy.exc
from sqlalchemy import Engine

from app.connection import ShopTarget
from app.errors import Cancelled, MostradorError, ShopUnreachable, UserFacingError
from app.events import Changes, EventBus
from app.sync.catalog_pull import PullResult, pull_catalog
from app.sync.push import (
    PushOptions,
    PushRefused,
    PushStatus,
    ShopBusy,
    prepare_shop,
    push_ticket,
    with_local_contact,
)
from app.till import outbox
from app.till.store import TillStore
from app.verifactu.clock import PROBE_EVERY_S, Clock, shop_clock_drift, utc_now
from connectors.prestashop.shop import ShopInfo, open_shop

logger = logging.getLogger(__name__)

PushFunction = Callable[..., object]
_UNREACHABLE = (
    ShopUnreachable,
    sqlalchemy.exc.OperationalError,
    sqlalchemy.exc.InterfaceError,
    sqlalchemy.exc.DisconnectionError,
    OSError,
)


@dataclass(frozen=True)
class SyncSettings:
    interval_s: float = 5.0  # between rounds while online
    retry_min_s: float = 5.0  # first wait after the shop stopped answering
    retry_max_s: float = 120.0
    push_batch: int = 50  # outbox entries read per batch
    push_options: PushOptions = PushOptions()
    clock_every_s: float = PROBE_EVERY_S  # between two checks of the till's clock


@dataclass(frozen=True)
class SyncStatus:
    """What the status bar shows. ``online`` is None until the first round ended."""

    online: bool | None = None
    pending: int = 0  # outbox entries waiting to be pushed
    refused: int = 0  # entries the shop refused, waiting for a manager
    last_sync: datetime | None = None  # end of the last round that reached the shop
    last_error: str = ""
    running: bool = False  # the worker thread is running


@dataclass(frozen=True)
class RoundResult:
    """What one round did (for the command line and tests)."""

    status: SyncStatus
    pushed: int = 0
    refused: int = 0
    pull: PullResult | None = None


class SyncWorker:
    """Pushes and pulls for one till store; see the module docstring."""

    def __init__(
        self,
        engine: Engine,
        store: TillStore,
        target: ShopTarget,
        bus: EventBus,
        settings: SyncSettings | None = None,
        *,
        shop: ShopInfo | None = None,
        push: PushFunction = push_ticket,
        clock: Clock = utc_now,
    ) -> None:
        self.engine = engine
        self.store = store
        self.target = target
        self.bus = bus
        self.settings = settings or SyncSettings()
        self._shop = shop
        self._prepared = False
        self._push = push
        self._status = SyncStatus()
        self._lock = threading.Lock()  # guards _status
        self._round = threading.Lock()  # one round at a time
        self._stopping = threading.Event()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None
        self._failures = 0
        self._clock = clock
        self._clock_checked: float | None = None  # time.monotonic() of the last check

    # ----------------------------------------------------------------------- control

    @property
    def status(self) -> SyncStatus:
        with self._lock:
            return self._status

    def start(self) -> None:
        """Start the background thread (no-op if it runs)."""
        if self._thread is not None and self._thread.is_alive():
            return
        self._stopping.clear()
        self._thread = threading.Thread(target=self._run, name="mostrador-sync", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> bool:
        """Ask the thread to stop (a pull in progress is cancelled between reads) and wait up
        to ``timeout`` seconds; True when it has stopped."""
        self._stopping.set()
        self._wake.set()
        thread = self._thread
        if thread is None:
            return True
        thread.join(timeout)
        stopped = not thread.is_alive()
        if stopped:
            self._thread = None
        return stopped

    def wake(self) -> None:
        """Run the next round now (e.g. right after a sale was recorded)."""
        self._wake.set()

    # ----------------------------------------------------------------------- rounds

    def run_once(self, *, full: bool = False, push: bool = True, pull: bool = True) -> RoundResult:
        """One round: push the outbox, then pull the catalog (``full``: reload it all)."""
        with self._round:
            pushed = refused = 0
            result: PullResult | None = None
            try:
                shop = self._shop_info()
                if push:
                    pushed, refused = self._push_pending(shop)
                if pull:
                    result = pull_catalog(
                        self.engine, shop, self.store, full=full, cancel=self._stopping.is_set
                    )
                    if result.changes:
                        self.bus.publish(result.changes)
                self._reached(error="")
                self._check_clock()
            except Cancelled:
                logger.info("sync round cancelled")
            except _UNREACHABLE as error:
                self._unreachable(error)
            except (MostradorError, sqlalchemy.exc.SQLAlchemyError) as error:
                logger.exception("sync round failed")
                self._reached(error=str(error), synced=False)
            return RoundResult(self.status, pushed, refused, result)

    def _shop_info(self) -> ShopInfo:
        if self._shop is None:
            target = self.target
            self._shop = open_shop(self.engine, target.prefix, target.id_shop, target.lang_iso)
        if not self._prepared:
            prepare_shop(self.engine, self._shop)
            self._prepared = True
        return self._shop

    def _check_clock(self) -> None:
        """Publish the till's clock drift from the shop server, at most every few minutes."""
        now = time.monotonic()
        last = self._clock_checked
        if last is not None and now - last < self.settings.clock_every_s:
            return
        self._clock_checked = now
        try:
            drift = shop_clock_drift(self.engine, self._clock)
        except sqlalchemy.exc.SQLAlchemyError as error:  # the round did its work; try later
            logger.warning("could not read the shop server's clock: %s", error)
            return
        if drift.too_far:
            logger.warning("the till's clock is %s s off the shop server's", drift.seconds)
        self.bus.publish(drift)

    def _push_pending(self, shop: ShopInfo) -> tuple[int, int]:
        """Push pending entries in order; stop at the first passing failure."""
        pushed = refused = 0
        batch = outbox.pending_entries(self.store, self.settings.push_batch)
        for entry, ticket in batch:
            if self._stopping.is_set():
                break
            outcome = self._push_one(shop, entry, ticket)
            pushed += outcome == "pushed"
            refused += outcome == "refused"
            if outcome == "stop":
                break
        if pushed or refused:
            self.bus.publish(Changes(outbox=True))
        self._update(**self._outbox_counts())
        return pushed, refused

    def _push_one(self, shop: ShopInfo, entry: outbox.OutboxEntry, ticket: object) -> str:
        try:
            ticket = with_local_contact(self.store, ticket)
            result = self._push(self.engine, shop, ticket, self.settings.push_options)
        except PushRefused as error:
            outbox.mark_refused(self.store, entry.uuid, error.reason)
            return "refused"
        except ShopBusy as error:
            outbox.mark_failed(self.store, entry.uuid, str(error))
            return "stop"
        except _UNREACHABLE as error:
            outbox.mark_failed(self.store, entry.uuid, str(error))
            raise
        except Exception as error:  # a bug: keep the entry pending, in order, and say so
            logger.exception("pushing ticket %s failed", entry.ticket_number)
            outbox.mark_failed(self.store, entry.uuid, repr(error))
            return "stop"
        status = getattr(result, "status", None)
        if status is PushStatus.WAITING:
            outbox.mark_failed(self.store, entry.uuid, getattr(result, "reason", ""))
            return "waiting"
        outbox.mark_pushed(
            self.store, entry.uuid, getattr(result, "id_order", 0), getattr(result, "reference", "")
        )
        return "pushed"

    def _outbox_counts(self) -> dict[str, int]:
        counts = outbox.count_by_status(self.store)
        return {
            "pending": counts[outbox.OutboxStatus.PENDING],
            "refused": counts[outbox.OutboxStatus.REFUSED],
        }

    # ----------------------------------------------------------------------- status

    def _reached(self, error: str, synced: bool = True) -> None:
        self._failures = 0
        values: dict[str, object] = {"online": True, "last_error": error}
        if synced:
            values["last_sync"] = datetime.now()
        self._update(**values)

    def _unreachable(self, error: BaseException) -> None:
        self._failures += 1
        logger.warning("shop unreachable: %s", error)
        message = error.message if isinstance(error, UserFacingError) else str(error)
        self._update(online=False, last_error=message, **self._safe_outbox_counts())

    def _safe_outbox_counts(self) -> dict[str, int]:
        try:
            return self._outbox_counts()
        except UserFacingError:  # the till store busy: keep the counts we had
            return {}

    def _update(self, **values: object) -> None:
        with self._lock:
            new = dataclasses.replace(self._status, **values)  # type: ignore[arg-type]
            changed, self._status = new != self._status, new
        if changed:
            self.bus.publish(new)

    def _delay(self) -> float:
        if self._failures == 0:
            return self.settings.interval_s
        delay = self.settings.retry_min_s * 2 ** (self._failures - 1)
        return float(min(self.settings.retry_max_s, delay))

    def _run(self) -> None:
        self._update(running=True)
        try:
            while not self._stopping.is_set():
                self.run_once()
                self._wake.wait(self._delay())
                self._wake.clear()
        except Exception:
            logger.exception("sync worker stopped by an error")
        finally:
            self._update(running=False)
