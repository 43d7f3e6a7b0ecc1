"""The till's clock against the shop server's: a VERI*FACTU record carries the moment it was
generated, so a till whose clock drifts more than a minute is told (status bar, records screen).

:func:`shop_clock_drift` asks the shop database for its time (``SELECT NOW()`` on MariaDB /
MySQL); it runs on a worker thread.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine, text

MAX_DRIFT = timedelta(minutes=1)


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


def compare(till: datetime, shop: datetime) -> ClockDrift:
    return ClockDrift(till, shop, till - shop)


def shop_clock_drift(engine: Engine) -> ClockDrift:
    """The drift of this computer's clock from the shop database server's (naive local times)."""
    query = (
        "SELECT datetime('now', 'localtime')"
        if engine.dialect.name == "sqlite"
        else ("SELECT NOW()")
    )
    before = datetime.now()
    with engine.connect() as connection:
        value = connection.execute(text(query)).scalar_one()
    after = datetime.now()
    shop = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return compare(before + (after - before) / 2, shop)
