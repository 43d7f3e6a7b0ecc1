"""The cash session aggregate: open → closing → closed (pure: no store, no clock).

A session opens with a float; sales, refunds and cash in/out move cash while it is open;
closing freezes it (no sale, no movement) while the cashier counts; closing it records the
counted amount, the expected one and their difference, which is **never** forced to zero.
Transitions are methods returning the next state; a refused one raises
:class:`CashSessionRefused` saying why. ``cash_drawer.py`` stores sessions and movements.

expected = float + cash sales − cash refunds + cash in − cash out, where a cash sale counts
what stayed in the drawer (given − change).
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal, InvalidOperation

from app.formatting import format_money
from app.i18n import _
from app.till.errors import CashSessionRefused
from app.till.validation import CENTS, decimals_ok

ZERO = Decimal("0.00")
# Euro notes and coins, largest first.
DENOMINATIONS: tuple[Decimal, ...] = tuple(
    Decimal(value)
    for value in (
        "500", "200", "100", "50", "20", "10", "5",
        "2", "1", "0.50", "0.20", "0.10", "0.05", "0.02", "0.01",
    )
)  # fmt: skip


# A count by note and coin: {"50": 2, "0.20": 3} (Decimal keys welcome).
Denominations = Mapping[str, int] | Mapping[Decimal, int] | Mapping[Decimal | str, int]


class CashSessionState(enum.Enum):
    OPEN = "open"
    CLOSING = "closing"
    CLOSED = "closed"


class MovementKind(enum.Enum):
    SALE = "sale"  # + cash kept from a sale (given − change)
    REFUND = "refund"  # − cash paid back
    CASH_IN = "in"  # + cash put in (change fund, …)
    CASH_OUT = "out"  # − cash taken out (bank deposit, supplier paid in cash, …)


@dataclass(frozen=True)
class CashTotals:
    """What moved through the drawer during a session, each as a positive amount."""

    cash_sales: Decimal = ZERO
    cash_refunds: Decimal = ZERO
    cash_in: Decimal = ZERO
    cash_out: Decimal = ZERO

    def expected(self, opening_float: Decimal) -> Decimal:
        return opening_float + self.cash_sales - self.cash_refunds + self.cash_in - self.cash_out


@dataclass(frozen=True)
class CashSession:
    id: str
    till: str
    state: CashSessionState
    opened_at: datetime
    opened_by: int
    opening_float: Decimal
    closing_at: datetime | None = None
    closed_at: datetime | None = None
    closed_by: int | None = None
    expected: Decimal | None = None
    counted: Decimal | None = None
    difference: Decimal | None = None  # counted − expected: + over, − short
    counted_detail: tuple[tuple[Decimal, int], ...] = ()  # (denomination, count)
    note: str = ""

    @classmethod
    def open(
        cls, id: str, till: str, opening_float: Decimal, employee: int, now: datetime
    ) -> CashSession:
        check_cash_amount(opening_float, _("The opening float"), allow_zero=True)
        return cls(id, till, CashSessionState.OPEN, now, employee, opening_float)

    def ensure_open(self) -> None:
        """Sales, refunds and cash movements need an open session."""
        if self.state is CashSessionState.CLOSING:
            raise CashSessionRefused(
                _("The cash session is being closed: finish the closing or resume the session.")
            )
        if self.state is CashSessionState.CLOSED:
            raise CashSessionRefused(_("The cash session is closed: open a new one."))

    def start_closing(self, now: datetime) -> CashSession:
        self.ensure_open()
        return replace(self, state=CashSessionState.CLOSING, closing_at=now)

    def resume(self) -> CashSession:
        if self.state is not CashSessionState.CLOSING:
            raise CashSessionRefused(_("Only a session being closed can be resumed."))
        return replace(self, state=CashSessionState.OPEN, closing_at=None)

    def close(
        self,
        counted: Decimal,
        expected: Decimal,
        employee: int,
        now: datetime,
        detail: tuple[tuple[Decimal, int], ...] = (),
    ) -> CashSession:
        if self.state is not CashSessionState.CLOSING:
            raise CashSessionRefused(_("Start closing the cash session before closing it."))
        check_cash_amount(counted, _("The counted cash"), allow_zero=True)
        return replace(
            self,
            state=CashSessionState.CLOSED,
            closed_at=now,
            closed_by=employee,
            expected=expected,
            counted=counted,
            difference=counted - expected,
            counted_detail=detail,
        )


def check_cash_amount(amount: Decimal, what: str, *, allow_zero: bool = False) -> None:
    """Refuse an amount of cash that is not a positive (or zero) Decimal with ≤ 2 decimals."""
    if not decimals_ok(amount, CENTS):
        raise CashSessionRefused(
            _("{what} must be an amount with at most 2 decimals.").format(what=what)
        )
    if amount < 0 or (amount == 0 and not allow_zero):
        raise CashSessionRefused(
            _("{what} cannot be {amount}.").format(what=what, amount=format_money(amount))
        )


def count_denominations(counts: Denominations) -> tuple[Decimal, tuple[tuple[Decimal, int], ...]]:
    """Sum of a count by note and coin: ``{"50": 2, "0.20": 3}`` → ``(Decimal("100.60"), …)``.

    Returns the total and the count as (denomination, count) pairs, largest first, zeros
    dropped; an unknown denomination or a negative count is refused.
    """
    by_value: dict[Decimal, int] = {}
    for key, count in counts.items():
        value = _denomination(key)
        if isinstance(count, bool) or not isinstance(count, int) or count < 0:
            raise CashSessionRefused(
                _("The count of {value} must be a whole number, 0 or more.").format(
                    value=format_money(value)
                )
            )
        by_value[value] = by_value.get(value, 0) + count
    detail = tuple((value, by_value[value]) for value in DENOMINATIONS if by_value.get(value))
    total = sum((value * count for value, count in detail), ZERO)
    return total.quantize(Decimal("0.01")), detail


def _denomination(key: Decimal | str) -> Decimal:
    try:
        value = Decimal(key)
    except (InvalidOperation, TypeError, ValueError):
        value = Decimal("NaN")
    if not value.is_finite() or value not in DENOMINATIONS:
        raise CashSessionRefused(_("{key} is not a euro note or coin.").format(key=key))
    return value
