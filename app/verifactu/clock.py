"""The till's clock against the shop server's: a VERI*FACTU record carries the moment it was
generated, so a till whose clock drifts more than a minute is told (status bar, records screen).

:func:`shop_clock_drift` asks the shop database for its UTC time (``UTC_TIMESTAMP()`` on
MariaDB / MySQL, so the server's time zone does not matter) and compares it with this
computer's at the middle of the round trip; it runs on a worker thread (the sync worker probes
it every :data:`PROBE_EVERY_S` seconds and publishes the :class:`ClockDrift` on its bus).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, text

MAX_DRIFT = timedelta(minutes=1)
PROBE_EVERY_S = 600.0

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    """This computer's time in UTC, naive (as the shop database answers it)."""
    return datetime.now(UTC).replace(tzinfo=None)


@dataclass(frozen=True)
class ClockDrift:
    till: datetime
    shop: datetime
    drift: timedelta  # till − shop: positive when the till is ahead

    @property
    def too_far(self) -> bool:
        return abs(self.drift) > MAX_DRIFT

    @property
    def seconds(self) -> int:
        return round(self.drift.total_seconds())

    @property
    def minutes(self) -> int:
        """The drift in whole minutes when it is too far (at least ±1), else 0."""
        if not self.too_far:
            return 0
        sign = 1 if self.seconds > 0 else -1
        return sign * max(1, round(abs(self.seconds) / 60))


def compare(till: datetime, shop: datetime) -> ClockDrift:
    return ClockDrift(till, shop, till - shop)


def shop_clock_drift(engine: Engine, clock: Clock = utc_now) -> ClockDrift:
    """The drift of this computer's clock (``clock``, naive UTC) from the shop database's."""
    query = (
        "SELECT datetime('now')" if engine.dialect.name == "sqlite" else "SELECT UTC_TIMESTAMP()"
    )
    with engine.connect() as connection:
        before = clock()
        value = connection.execute(text(query)).scalar_one()
        after = clock()
    shop = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return compare(before + (after - before) / 2, shop)
