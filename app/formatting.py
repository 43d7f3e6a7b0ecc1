"""Numbers and money as the interface language writes them (``1.234,50 €`` in Spanish)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from app.i18n import current_language

_SEPARATORS = {"es": (".", ","), "en": (",", ".")}


def _separators() -> tuple[str, str]:
    return _SEPARATORS.get(current_language(), _SEPARATORS["es"])


def format_int(value: int) -> str:
    thousands, _decimal = _separators()
    return f"{value:,}".replace(",", thousands)


def format_decimal(value: Decimal, places: int = 2) -> str:
    thousands, decimal = _separators()
    quantum = Decimal(1).scaleb(-places)
    text = f"{value.quantize(quantum, rounding=ROUND_HALF_UP):,.{places}f}"
    return text.replace(",", "\x00").replace(".", decimal).replace("\x00", thousands)


def format_money(value: Decimal, symbol: str = "€", places: int = 2) -> str:
    amount = format_decimal(value, places)
    return f"{amount} {symbol}" if current_language() == "es" else f"{symbol}{amount}"
