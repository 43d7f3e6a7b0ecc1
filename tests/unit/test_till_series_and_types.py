"""Ticket numbers and the integer money columns (pure)."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from app.till.records import TicketKind
from app.till.series import TicketNumber, series_for
from app.till.types import from_units, to_units


def test_numbers_read_and_print() -> None:
    number = TicketNumber("T1", 2026, 123)
    assert str(number) == "T1-2026-000123"
    assert TicketNumber.parse("T1-2026-000123") == number
    assert TicketNumber.parse(" T1-R-2026-000001 ") == TicketNumber("T1-R", 2026, 1)
    assert str(TicketNumber("T1", 2026, 1_234_567)) == "T1-2026-1234567"


@pytest.mark.parametrize("text", ["", "T1", "T1-26-000001", "T1-2026-00a001", "-2026-000001"])
def test_malformed_numbers_refused(text: str) -> None:
    with pytest.raises(ValueError):
        TicketNumber.parse(text)


def test_refunds_have_their_own_series_that_no_till_name_can_take() -> None:
    assert series_for("T1", TicketKind.SALE) == "T1"
    assert series_for("T1", TicketKind.REFUND) == "T1-R"
    assert series_for("T1R", TicketKind.SALE) != series_for("T1", TicketKind.REFUND)


@pytest.mark.parametrize(
    ("value", "scale", "units"),
    [
        (D("12.34"), 2, 1234),
        (D("-0.01"), 2, -1),
        (D("21.000"), 6, 21_000_000),
        (D("1E+2"), 2, 10_000),
        (D("0.000001"), 6, 1),
    ],
)
def test_scaled_integers_round_trip(value: D, scale: int, units: int) -> None:
    assert to_units(value, scale) == units
    assert from_units(units, scale) == value


@pytest.mark.parametrize("value", [D("0.001"), D("NaN"), D("Infinity"), 1.5, "1.00"])
def test_scaled_integers_refuse_what_they_cannot_hold_exactly(value: object) -> None:
    with pytest.raises(ValueError):
        to_units(value, 2)  # type: ignore[arg-type]
