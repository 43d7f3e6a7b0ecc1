"""One helper for every I/O that starts in the GUI.

``tasks.run(fn, on_success, on_failure)`` runs ``fn`` on a worker thread; the callbacks run on
the GUI thread. Till-store writes go through ``run_write`` (one writer thread); network, shop
database reads and printing through the pool. The default failure handler is the error triage.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar

import shiboken6
from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtWidgets import QWidget

from ui.errors import show_error

logger = logging.getLogger(__name__)

T = TypeVar("T")
POOL_WORKERS = 4


class TaskManager(QObject):
    _finished = Signal(object, object, object)  # future, on_success, on_failure

    def __init__(self, parent_widget: QWidget | None = None) -> None:
        super().__init__()
        self._parent_widget = parent_widget
        self._pool = ThreadPoolExecutor(POOL_WORKERS, thread_name_prefix="io")
        self._writer = ThreadPoolExecutor(1, thread_name_prefix="store-writer")
        self._finished.connect(self._on_finished)
        self.pending = 0
        self.closed = False

    def run(
        self,
        fn: Callable[[], T],
        on_success: Callable[[T], None] | None = None,
        on_failure: Callable[[BaseException], None] | None = None,
    ) -> Future[T]:
        return self._submit(self._pool, fn, on_success, on_failure)

    def run_write(
        self,
        fn: Callable[[], T],
        on_success: Callable[[T], None] | None = None,
        on_failure: Callable[[BaseException], None] | None = None,
    ) -> Future[T]:
        return self._submit(self._writer, fn, on_success, on_failure)

    def _submit(
        self,
        executor: ThreadPoolExecutor,
        fn: Callable[[], T],
        on_success: Callable[[T], None] | None,
        on_failure: Callable[[BaseException], None] | None,
    ) -> Future[T]:
        if self.closed:  # the window is closing: nothing new starts, nobody waits for it
            dropped: Future[T] = Future()
            dropped.cancel()
            return dropped
        self.pending += 1
        future = executor.submit(fn)
        # Emitted from the worker; delivered on the GUI thread (this object lives there).
        future.add_done_callback(lambda f: self._finished.emit(f, on_success, on_failure))
        return future

    @Slot(object, object, object)
    def _on_finished(self, future: Future[Any], on_success: Any, on_failure: Any) -> None:
        self.pending -= 1
        if future.cancelled() or self.closed:
            return  # results that arrive once the owner has shut down go nowhere
        if not (_alive(on_success) and _alive(on_failure)):
            return  # the screen that asked was closed (and deleted) meanwhile
        error = future.exception()
        if error is None:
            if on_success is not None:
                on_success(future.result())
        elif on_failure is not None:
            on_failure(error)
        else:
            show_error(self._parent_widget, error)

    def shutdown(self) -> None:
        """Stop accepting work, drop what has not started, wait for what runs."""
        self.closed = True
        self._pool.shutdown(wait=True, cancel_futures=True)
        self._writer.shutdown(wait=True)


def _alive(callback: object) -> bool:
    """False when ``callback`` is a method of a Qt object already deleted."""
    owner = getattr(callback, "__self__", None)
    return not isinstance(owner, QObject) or shiboken6.isValid(owner)
