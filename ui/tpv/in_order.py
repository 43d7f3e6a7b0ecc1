"""Results of concurrent lookups applied in the order they were asked (the order of the scans)."""

from __future__ import annotations

from collections.abc import Callable

Action = Callable[[], None]


class InOrder:
    """``deliver = in_order.ticket()`` per request; ``deliver(action)`` when its result is in.

    Actions run in ticket order, on the caller's (GUI) thread; ``when_idle`` runs once every
    ticket has been delivered.
    """

    def __init__(self) -> None:
        self._issued = 0
        self._due = 0
        self._arrived: dict[int, Action] = {}
        self._when_idle: list[Action] = []

    @property
    def pending(self) -> bool:
        return self._due != self._issued

    def ticket(self) -> Callable[[Action], None]:
        seq = self._issued
        self._issued += 1

        def deliver(action: Action) -> None:
            self._arrived[seq] = action
            while self._due in self._arrived:
                self._arrived.pop(self._due)()
                self._due += 1
            if not self.pending:
                waiting, self._when_idle = self._when_idle, []
                for callback in waiting:
                    callback()

        return deliver

    def when_idle(self, callback: Action) -> None:
        """Run ``callback`` once nothing is pending (now if nothing is)."""
        if self.pending:
            self._when_idle = [callback]  # pressed twice: pay once
        else:
            callback()
