"""Rounding exactly as PrestaShop rounds money (classes/Tools.php, FACTS.md §11.4).

``PS_PRICE_ROUND_MODE`` picks how a value is rounded; ``PS_ROUND_TYPE`` picks *where* (each
item, each line, or only the totals; the ticket totals apply it, see ``app/sale/totals.py``).

PrestaShop rounds floats: ``Tools::ps_round`` sends modes 0 and 1 to ``ceilf``/``floorf``
(scale by 10^places, ``ceil``/``floor``, scale back: towards +∞ and −∞, also for negatives)
and modes 2-5 to PHP's ``round()`` with the matching ``PHP_ROUND_HALF_*`` flag (symmetric:
half up is "half away from zero", half down "half towards zero"). PHP's own pre-rounding and
``ceilf``'s string test (a value already at the precision is returned untouched) exist only to
hide binary float artefacts, so that 1.005 behaves as the decimal 1.005 and 1.15 × 100 as 115.
Our amounts are ``Decimal``, exact, so rounding the decimal value directly gives what those
helpers aim at; nothing else needs mirroring.

``spread_amount`` is ``Tools::spreadAmount``: it shares a rounding difference, one unit of the
last place at a time, over the largest rows first (used for the tax breakdown).
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from decimal import (
    ROUND_CEILING,
    ROUND_DOWN,
    ROUND_FLOOR,
    ROUND_HALF_DOWN,
    ROUND_HALF_EVEN,
    ROUND_HALF_UP,
    Decimal,
)

ZERO = Decimal("0")
PRICE_DECIMALS = 6  # decimals of unit prices in carts and order_detail


class RoundMode(enum.IntEnum):
    """PS_PRICE_ROUND_MODE."""

    UP = 0  # towards +infinity (ceil)
    DOWN = 1  # towards -infinity (floor)
    HALF_UP = 2  # ties away from zero (PrestaShop's default)
    HALF_DOWN = 3  # ties towards zero
    HALF_EVEN = 4  # ties to the even digit
    HALF_ODD = 5  # ties to the odd digit


class RoundType(enum.IntEnum):
    """PS_ROUND_TYPE: where amounts are rounded to the currency precision."""

    ITEM = 1  # each unit price, then multiplied by the quantity
    LINE = 2  # each line (quantity × unrounded unit price); PrestaShop's default
    TOTAL = 3  # only the totals


_DECIMAL_ROUNDING = {
    RoundMode.UP: ROUND_CEILING,
    RoundMode.DOWN: ROUND_FLOOR,
    RoundMode.HALF_UP: ROUND_HALF_UP,
    RoundMode.HALF_DOWN: ROUND_HALF_DOWN,
    RoundMode.HALF_EVEN: ROUND_HALF_EVEN,
}


def round_mode(value: int) -> RoundMode:
    """The mode for a configuration value; unknown values fall back to half up as in PHP."""
    try:
        return RoundMode(int(value))
    except ValueError:
        return RoundMode.HALF_UP


def ps_round(value: Decimal, places: int, mode: RoundMode | int = RoundMode.HALF_UP) -> Decimal:
    """Round ``value`` to ``places`` decimals with a PS_PRICE_ROUND_MODE."""
    mode = round_mode(mode)
    step = Decimal(1).scaleb(-places)
    if mode is RoundMode.HALF_ODD:
        result = _round_half_odd(value, step)
    else:
        result = value.quantize(step, rounding=_DECIMAL_ROUNDING[mode])
    return result if result else abs(result)  # no "-0.00"


def _round_half_odd(value: Decimal, step: Decimal) -> Decimal:
    truncated = value.quantize(step, rounding=ROUND_DOWN)
    if abs(value - truncated) * 2 != step:
        return value.quantize(step, rounding=ROUND_HALF_UP)  # not a tie: nearest
    if int((truncated / step).to_integral_value()) % 2:
        return truncated
    return truncated + step.copy_sign(value)


def spread_amount(amount: Decimal, places: int, values: Sequence[Decimal]) -> list[Decimal]:
    """Add ``amount`` (a rounding difference) to ``values``, largest values first.

    Every value gets an equal share in whole units of the last place; the remainder goes,
    one unit each, to the largest values (ties keep their order). Returned in input order.
    """
    if not values:
        return []
    unit = Decimal(10) ** places
    int_amount = int((amount * unit).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    count = len(values)
    remainder = abs(int_amount) % count * (1 if int_amount >= 0 else -1)  # PHP's % sign
    share = Decimal((int_amount - remainder) // count) / unit
    extra = Decimal(1 if amount >= 0 else -1) / unit
    order = sorted(range(count), key=lambda i: values[i], reverse=True)
    result = list(values)
    for position, index in enumerate(order):
        result[index] = values[index] + share + (extra if position < abs(remainder) else ZERO)
    return result
