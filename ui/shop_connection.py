"""The window's shop, reached and its till opened, on a worker (never on the GUI thread).

:class:`ShopStarter` ``(window, tasks)``: ``start(requested, till, store)`` runs
:func:`app.setup.runtime.start_shop` on a worker: the settings' SSH tunnel when the shop is
theirs (it logs in again by itself when dropped; the till is offline meanwhile), then the till
(the first time, the catalog is pulled). When the settings say the database password is typed
at each start, or the keyring does not hold it yet (settings imported from another till),
:class:`~ui.password_prompt.PasswordPrompt` asks for it first, and again with the doctor's
words when it is wrong; in the second case the start keeps it in the keyring once it works.
Signals:

* ``reached(ShopTarget | None)``: the shop can be talked to (the status screen loads while
  the till is still opening);
* ``started(ShopStarted)``: the till is open; its owner closes it (and the tunnel) at exit;
* ``failed(error)``; ``declined()``: the password was not given (the window stays offline).

:meth:`discard_pending` (on quit, after the task helper has shut down) closes what a start
finished meanwhile.
"""

from __future__ import annotations

from concurrent.futures import Future
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from app.config import settings as cfg
from app.connection import ShopTarget
from app.setup.runtime import PasswordNeeded, ShopStarted, TypedSecrets, start_shop
from app.till.employees import manager_profiles
from app.till_ops import load_settings
from app.till_runtime import TillRuntime, open_till
from ui.password_prompt import PasswordPrompt
from ui.tasks import TaskManager

StartResult = ShopStarted | PasswordNeeded


def open_till_here(target: ShopTarget | None, till: str, store: Path | None) -> TillRuntime:
    """Open the till with this computer's settings (worker: reads files, maybe the shop)."""
    settings = load_settings()
    managers = manager_profiles(settings.get(cfg.TILL_MANAGER_PROFILES))
    return open_till(target, till, store, managers, settings)


class ShopStarter(QObject):
    reached = Signal(object)  # ShopTarget | None
    started = Signal(object)  # ShopStarted
    failed = Signal(object)  # BaseException
    declined = Signal()

    def __init__(self, window: QWidget, tasks: TaskManager) -> None:
        super().__init__(window)
        self.window = window
        self.tasks = tasks
        self.busy = False
        self.prompt: PasswordPrompt | None = None
        self._future: Future[StartResult] | None = None
        self._request: tuple[ShopTarget | None, str, Path | None] = (None, "", None)

    def start(
        self,
        requested: ShopTarget | None,
        till: str,
        store: Path | None,
        typed: TypedSecrets | None = None,
    ) -> None:
        self.busy = True
        self._request = (requested, till, store)
        reached = self.reached.emit  # queued to the GUI thread

        def work() -> StartResult:
            return start_shop(
                requested, load_settings(), typed, lambda t: open_till_here(t, till, store), reached
            )

        self._future = self.tasks.run(work, self._on_done, self._on_failed)

    def _on_done(self, result: StartResult) -> None:
        self._future = None
        if isinstance(result, PasswordNeeded):
            self._ask(result)
            return
        self.busy = False
        self.started.emit(result)

    def _on_failed(self, error: BaseException) -> None:
        self._future, self.busy = None, False
        self.failed.emit(error)

    def _ask(self, needed: PasswordNeeded) -> None:
        self.prompt = PasswordPrompt(self.window, needed)
        self.prompt.typed.connect(self._on_typed)
        self.prompt.cancelled.connect(self._on_declined)
        self.prompt.open()

    def _on_typed(self, typed: TypedSecrets) -> None:
        self.prompt = None
        self.start(*self._request, typed=typed)

    def _on_declined(self) -> None:
        self.prompt, self.busy = None, False
        self.declined.emit()

    def discard_pending(self) -> None:
        """Close a till (and tunnel) opened while the window was closing."""
        future, self._future = self._future, None
        if future is None or not future.done() or future.cancelled():
            return
        if future.exception() is None:
            result = future.result()
            if isinstance(result, ShopStarted):
                result.close()
