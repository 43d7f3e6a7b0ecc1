"""A tiny Qt-free event bus: core threads publish frozen values, screens subscribe.

The sync worker publishes :class:`Changes` (what the catalog pull or a push changed) and its
status value; ``ui/`` re-emits them as Qt signals on the GUI thread (STYLE rule 5). Callbacks
run on the publishing thread, outside the bus's lock; one that raises is logged and the
others still run. Subscribing to a type receives instances of that type (and subclasses);
subscribing to ``object`` receives everything.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, fields
from typing import Any, TypeVar

logger = logging.getLogger(__name__)

T = TypeVar("T")


@dataclass(frozen=True)
class Changes:
    """What an operation changed, so that each screen refreshes only for its flags."""

    catalog: bool = False  # products, combinations, names, codes
    stock: bool = False
    prices: bool = False  # base prices, specific prices, taxes, groups, shop configuration
    customers: bool = False
    employees: bool = False
    outbox: bool = False  # entries pushed, refused or retried
    cash_session: bool = False

    def __bool__(self) -> bool:
        return any(getattr(self, f.name) for f in fields(self))

    def __or__(self, other: Changes) -> Changes:
        return Changes(**{f.name: getattr(self, f.name) or getattr(other, f.name)
                          for f in fields(self)})  # fmt: skip


@dataclass(frozen=True, eq=False)
class Subscription:
    """What :meth:`EventBus.subscribe` returns; hand it back to unsubscribe."""

    kind: type[Any]
    callback: Callable[[Any], None]


class EventBus:
    """Thread-safe publish/subscribe of frozen values."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._subscriptions: list[Subscription] = []

    def subscribe(self, kind: type[T], callback: Callable[[T], None]) -> Subscription:
        subscription = Subscription(kind, callback)
        with self._lock:
            self._subscriptions.append(subscription)
        return subscription

    def unsubscribe(self, subscription: Subscription) -> None:
        with self._lock:
            if subscription in self._subscriptions:
                self._subscriptions.remove(subscription)

    def publish(self, event: object) -> None:
        with self._lock:
            chosen = [s for s in self._subscriptions if isinstance(event, s.kind)]
        for subscription in chosen:
            try:
                subscription.callback(event)
            except Exception:
                logger.exception("event subscriber %r failed", subscription.callback)
