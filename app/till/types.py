"""Column types of the till store: money as exact integers, never as SQLite REAL.

SQLite has no decimal type: a ``Numeric`` column would store a binary float. The till stores
every amount as an INTEGER count of a fixed minor unit instead, so that sums in SQL (cash
expected, Z report) are exact:

* :class:`Cents` — amounts at the currency precision (ticket totals, payments, cash): 2 decimals.
* :class:`Micros` — PrestaShop's 6-decimal values (unit prices, line totals, taxes, rates).

A value with more decimals than its column holds is refused (``ValueError``), never rounded:
rounding is the pricing engine's job, at its defined steps (STYLE rule 9).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any

from sqlalchemy import DateTime, Integer, String, Text
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import mapped_column
from sqlalchemy.types import TypeDecorator


class _ScaledDecimal(TypeDecorator[Decimal]):
    """A ``Decimal`` stored as an INTEGER count of ``10 ** -scale``."""

    impl = Integer
    cache_ok = True
    scale = 0

    def process_bind_param(self, value: Any, dialect: Dialect) -> int | None:
        if value is None:
            return None
        return to_units(value, self.scale)

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        return from_units(int(value), self.scale)


class Cents(_ScaledDecimal):
    cache_ok = True
    scale = 2


class Micros(_ScaledDecimal):
    cache_ok = True
    scale = 6


def to_units(value: Decimal, scale: int) -> int:
    """``Decimal("12.34")`` at scale 2 → ``1234``; more decimals than ``scale`` → ValueError."""
    if not isinstance(value, Decimal) or not value.is_finite():
        raise ValueError(f"not a finite Decimal: {value!r}")
    scaled = value.scaleb(scale)
    if scaled != scaled.to_integral_value():
        raise ValueError(f"{value} has more than {scale} decimals")
    return int(scaled)


def from_units(units: int, scale: int) -> Decimal:
    return Decimal(units).scaleb(-scale).quantize(Decimal(1).scaleb(-scale))


# Annotated aliases for the shapes the till tables repeat.
IntPk = Annotated[int, mapped_column(Integer, primary_key=True)]
Amount = Annotated[Decimal, mapped_column(Cents, nullable=False)]
Price6 = Annotated[Decimal, mapped_column(Micros, nullable=False)]
Str = Annotated[str, mapped_column(String, nullable=False)]
LongText = Annotated[str, mapped_column(Text, nullable=False)]
Moment = Annotated[datetime, mapped_column(DateTime, nullable=False)]
