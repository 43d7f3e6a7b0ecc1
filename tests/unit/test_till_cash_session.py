"""The cash session aggregate (pure): transitions, denominations, expected cash scenarios."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal as D

import pytest

from app.till.cash_session import (
    CashSession,
    CashSessionState,
    CashTotals,
    count_denominations,
)
from app.till.errors import CashSessionRefused

NOW = datetime(2026, 3, 2, 9, 0)


def _open(opening_float: str = "100.00") -> CashSession:
    return CashSession.open("s1", "T1", D(opening_float), 7, NOW)


def test_open_closing_closed() -> None:
    cash = _open()
    assert cash.state is CashSessionState.OPEN
    cash.ensure_open()
    closing = cash.start_closing(NOW)
    assert closing.state is CashSessionState.CLOSING
    closed = closing.close(D("95.50"), D("100.00"), 7, NOW)
    assert (closed.state, closed.counted, closed.expected, closed.difference) == (
        CashSessionState.CLOSED,
        D("95.50"),
        D("100.00"),
        D("-4.50"),
    )


def test_refused_transitions_say_why() -> None:
    cash = _open()
    with pytest.raises(CashSessionRefused, match="Start closing"):
        cash.close(D("1.00"), D("1.00"), 7, NOW)
    with pytest.raises(CashSessionRefused, match="Only a session being closed"):
        cash.resume()
    closing = cash.start_closing(NOW)
    with pytest.raises(CashSessionRefused, match="being closed"):
        closing.ensure_open()
    with pytest.raises(CashSessionRefused, match="being closed"):
        closing.start_closing(NOW)
    assert closing.resume().state is CashSessionState.OPEN
    closed = closing.close(D("0"), D("0"), 7, NOW)
    with pytest.raises(CashSessionRefused, match="closed: open a new one"):
        closed.ensure_open()
    with pytest.raises(CashSessionRefused):
        closed.start_closing(NOW)


@pytest.mark.parametrize("amount", ["-1.00", "1.001", "NaN"])
def test_bad_float_refused(amount: str) -> None:
    with pytest.raises(CashSessionRefused):
        _open(amount)


def test_zero_float_is_fine() -> None:
    assert _open("0").opening_float == 0


# float, cash sales, cash refunds, in, out, counted → expected, difference
SCENARIOS = [
    ("100.00", "0", "0", "0", "0", "100.00", "100.00", "0.00"),
    ("100.00", "56.30", "0", "0", "0", "150.00", "156.30", "-6.30"),
    ("50.00", "20.00", "5.50", "10.00", "30.00", "44.50", "44.50", "0.00"),
    ("0", "12.34", "0", "0", "0", "12.35", "12.34", "0.01"),
    ("150.00", "0", "0", "0", "150.00", "0", "0.00", "0.00"),
]


@pytest.mark.parametrize("row", SCENARIOS)
def test_expected_and_difference(row: tuple[str, ...]) -> None:
    opening, sales, refunds, cash_in, cash_out, counted, expected, difference = map(D, row)
    totals = CashTotals(sales, refunds, cash_in, cash_out)
    assert totals.expected(opening) == expected
    closing = CashSession.open("s1", "T1", opening, 7, NOW).start_closing(NOW)
    closed = closing.close(counted, totals.expected(opening), 1, NOW)
    assert closed.difference == difference


def test_count_by_denomination() -> None:
    counts: dict[D | str, int] = {"500": 1, "50": 2, D("0.20"): 3, "0.01": 4, "5": 0}
    total, detail = count_denominations(counts)
    assert total == D("600.64")
    assert detail == ((D("500"), 1), (D("50"), 2), (D("0.20"), 3), (D("0.01"), 4))
    assert count_denominations({}) == (D("0.00"), ())


@pytest.mark.parametrize("counts", [{"3": 1}, {"0.03": 1}, {"abc": 1}, {"sNaN": 1}, {"5": -1}])
def test_bad_counts_refused(counts: dict[str, int]) -> None:
    with pytest.raises(CashSessionRefused):
        count_denominations(counts)
