"""Uncaught exceptions, Qt-free half: hooks, a fault log, and one report per error.

:class:`CrashHandler` chains ``sys.excepthook`` (the main thread, and Qt slots: PySide calls
it for an exception a slot lets escape) and ``threading.excepthook`` (worker threads). Each
exception is logged in full (the log file is scrubbed), then offered to ``on_crash`` only when
:class:`CrashGuard` agrees: an error with the same type and place is reported once per session
(and once a day across restarts, when the guard has an outbox to remember it in), and no more
than ``max_per_session`` reports leave one session, so a crash loop sends one report, not
hundreds. ``faulthandler`` writes hard crashes (segfaults in a driver, aborts) to a file in
the log folder — it never needs ``sys.stderr``, which a windowed PyInstaller build lacks; the
next start finds what the previous run left there (:meth:`CrashHandler.previous_fatal_error`).
"""

from __future__ import annotations

import faulthandler
import logging
import sys
import threading
import traceback
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import IO

from app.bugreport.outbox import ReportOutbox
from app.bugreport.report import CrashInfo
from app.bugreport.sender import Clock, utc_now

logger = logging.getLogger(__name__)

FAULT_FILE = "faulthandler.log"
PREVIOUS_FAULT_FILE = "faulthandler-previous.log"
_OUR_PACKAGES = ("app", "ui", "connectors", "printing", "updater")
OnCrash = Callable[[CrashInfo], None]


def crash_info(
    exc_type: type[BaseException],
    exc: BaseException | None,
    tb: TracebackType | None,
    thread: str = "MainThread",
) -> CrashInfo:
    """What a report may say about an exception: frames and message, no local variables."""
    frames = traceback.extract_tb(tb) if tb else traceback.StackSummary()
    ours = [f for f in frames if _module_path(f.filename)]
    frame = (ours or list(frames))[-1] if frames else None
    where = "?"
    if frame is not None:
        module = _module_path(frame.filename) or Path(frame.filename).name
        where = f"{module}:{frame.name}:{frame.lineno}"
    text = "".join(traceback.format_exception(exc_type, exc, tb))
    type_name = f"{exc_type.__module__}.{exc_type.__qualname__}"
    return CrashInfo(
        type_name=type_name,
        message=str(exc) if exc is not None else "",
        traceback=text,
        thread=thread,
        where=where,
        signature=f"{type_name} at {where}",
    )


def _module_path(filename: str) -> str:
    """``app/sale/cart.py`` for a file of ours, else ''."""
    parts = Path(filename).parts
    for index in range(len(parts) - 1, -1, -1):
        if parts[index] in _OUR_PACKAGES:
            return "/".join(parts[index:])
    return ""


class CrashGuard:
    """Decides which crashes become reports: once per error, a few per session at most.

    With an outbox, errors reported within a day by earlier sessions are remembered too: that
    memory is read once, when the guard is made (at start), and written on a short background
    thread, so deciding never waits on the disk.
    """

    def __init__(
        self,
        outbox: ReportOutbox | None = None,
        *,
        max_per_session: int = 5,
        clock: Clock = utc_now,
    ) -> None:
        self.outbox = outbox
        self.max_per_session = max_per_session
        self.clock = clock
        self._seen: set[str] = set(self._load_memory())
        self._offered = 0
        self._lock = threading.Lock()

    def first_time(self, signature: str) -> bool:
        """True once per signature (per session, and per day with an outbox); then False."""
        with self._lock:
            if signature in self._seen or self._offered >= self.max_per_session:
                self._seen.add(signature)
                return False
            self._seen.add(signature)
            self._offered += 1
        self._persist(signature)
        return True

    def seen(self, signature: str) -> bool:
        with self._lock:
            return signature in self._seen

    def _load_memory(self) -> list[str]:
        if self.outbox is None:
            return []
        try:
            return list(self.outbox.recent_crashes(self.clock()))
        except OSError as exc:
            logger.warning("crash memory not readable: %s", exc)
            return []

    def _persist(self, signature: str) -> None:
        outbox, now = self.outbox, self.clock()
        if outbox is None:
            return

        def write() -> None:
            try:
                outbox.remember_crash(signature, now)
            except OSError as exc:
                logger.warning("crash memory not writable: %s", exc)

        threading.Thread(target=write, name="crash-memory", daemon=True).start()


class CrashHandler:
    """Installs the hooks; ``on_crash`` gets each crash worth a report (on the crashing thread)."""

    def __init__(self, on_crash: OnCrash, guard: CrashGuard, log_dir: Path) -> None:
        self.on_crash = on_crash
        self.guard = guard
        self.log_dir = log_dir
        self._previous_hook: Callable[..., object] | None = None
        self._previous_thread_hook: Callable[..., object] | None = None
        self._fault_file: IO[str] | None = None
        self._previous_fatal = ""
        self._installed = False

    def install(self) -> None:
        if self._installed:
            return
        self._enable_faulthandler()
        self._previous_hook = sys.excepthook
        self._previous_thread_hook = threading.excepthook
        sys.excepthook = self._sys_hook
        threading.excepthook = self._thread_hook
        self._installed = True

    def uninstall(self) -> None:
        if not self._installed:
            return
        if sys.excepthook == self._sys_hook and self._previous_hook is not None:
            sys.excepthook = self._previous_hook
        if threading.excepthook == self._thread_hook and self._previous_thread_hook is not None:
            threading.excepthook = self._previous_thread_hook
        faulthandler.disable()
        if self._fault_file is not None:
            self._fault_file.close()
            self._fault_file = None
        self._installed = False

    def previous_fatal_error(self) -> str:
        """What ``faulthandler`` wrote when the previous run died hard ('' if nothing)."""
        return self._previous_fatal

    def handle(
        self,
        exc_type: type[BaseException],
        exc: BaseException | None,
        tb: TracebackType | None,
        thread: str = "MainThread",
    ) -> CrashInfo | None:
        """Log the exception; hand it to ``on_crash`` when it deserves a report."""
        if exc is None:
            exc = exc_type()
        logger.critical("uncaught exception in %s", thread, exc_info=(exc_type, exc, tb))
        info = crash_info(exc_type, exc, tb, thread)
        if not self.guard.first_time(info.signature):
            logger.info("crash %s already reported in this session", info.signature)
            return None
        try:
            self.on_crash(info)
        except Exception:  # the crash handler itself must never crash the app
            logger.exception("crash handler failed")
        return info

    # ----------------------------------------------------------------------- hooks

    def _sys_hook(
        self, exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None
    ) -> None:
        if issubclass(exc_type, KeyboardInterrupt | SystemExit):
            self._chain(exc_type, exc, tb)
            return
        self.handle(exc_type, exc, tb, threading.current_thread().name)
        self._chain(exc_type, exc, tb)

    def _chain(
        self, exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None
    ) -> None:
        # The default hook prints to sys.stderr, which a windowed build does not have.
        previous = self._previous_hook
        if previous is None or (previous is sys.__excepthook__ and sys.stderr is None):
            return
        try:
            previous(exc_type, exc, tb)
        except Exception:
            logger.debug("previous excepthook failed", exc_info=True)

    def _thread_hook(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_type is SystemExit:
            return
        name = args.thread.name if args.thread is not None else "thread"
        self.handle(args.exc_type, args.exc_value, args.exc_traceback, name)
        if self._previous_thread_hook is not None:
            try:
                self._previous_thread_hook(args)
            except Exception:
                logger.debug("previous threading excepthook failed", exc_info=True)

    def _enable_faulthandler(self) -> None:
        try:
            self.log_dir.mkdir(parents=True, exist_ok=True)
            path = self.log_dir / FAULT_FILE
            if path.exists() and path.stat().st_size > 0:
                self._previous_fatal = path.read_text(encoding="utf-8", errors="replace")
                path.replace(self.log_dir / PREVIOUS_FAULT_FILE)
            self._fault_file = path.open("w", encoding="utf-8")
            faulthandler.enable(file=self._fault_file, all_threads=True)
        except (OSError, RuntimeError) as exc:
            logger.warning("fault log not available: %s", exc)
