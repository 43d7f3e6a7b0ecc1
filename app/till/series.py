"""Ticket series: gapless numbers, never reused, per till, kind and year.

A number reads ``<series>-<year>-<seq>``, ``seq`` on at least 6 digits:

* sales: the till's name, ``T1-2026-000123``;
* refunds (rectifying tickets): the till's name + ``-R``, ``T1-R-2026-000001``. Till names are
  letters and digits only, so no till's sale series can ever equal another till's refund
  series (``T1R`` would collide with a till named "T1R");
* full invoices (F1 sales issued as a full invoice, F3 exchanges of tickets): the till's name
  + ``-F``, ``T1-F-2026-000001``, one series for both (``app.till.invoices``).

Each (series, year) has a counter row in ``ticket_series``; a new year starts again at 1.
:func:`take_number` moves the counter inside the caller's write transaction, the one that
inserts the paid ticket: a sale that rolls back gives its number back (no gap), a committed
one keeps it for ever (``tickets.number`` is UNIQUE and the counter can only move forward by
one, enforced by a trigger).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.dialects.sqlite import insert
from sqlalchemy.orm import Session

from app.till.models import TicketSeriesRow
from app.till.records import TicketKind

REFUND_SUFFIX = "-R"
INVOICE_SUFFIX = "-F"
SEQ_DIGITS = 6


@dataclass(frozen=True, order=True)
class TicketNumber:
    series: str
    year: int
    seq: int

    def __str__(self) -> str:
        return f"{self.series}-{self.year}-{self.seq:0{SEQ_DIGITS}d}"

    @classmethod
    def parse(cls, text: str) -> TicketNumber:
        """``"T1-R-2026-000001"`` → ``TicketNumber("T1-R", 2026, 1)``; ValueError if malformed."""
        series, year, seq = text.strip().rsplit("-", 2)
        if not (series and year.isdigit() and len(year) == 4 and seq.isdigit()):
            raise ValueError(f"not a ticket number: {text!r}")
        return cls(series, int(year), int(seq))


def series_for(till: str, kind: TicketKind) -> str:
    return till + REFUND_SUFFIX if kind is TicketKind.REFUND else till


def invoice_series(till: str) -> str:
    return till + INVOICE_SUFFIX


def take_number(session: Session, series: str, year: int) -> TicketNumber:
    """The next number of ``series`` in ``year``, taken in the session's (write) transaction."""
    statement = (
        insert(TicketSeriesRow)
        .values(series=series, year=year, last_number=1)
        .on_conflict_do_update(
            index_elements=[TicketSeriesRow.series, TicketSeriesRow.year],
            set_={"last_number": TicketSeriesRow.last_number + 1},
        )
        .returning(TicketSeriesRow.last_number)
    )
    return TicketNumber(series, year, session.execute(statement).scalar_one())


def last_number(session: Session, series: str, year: int) -> TicketNumber | None:
    """The last number committed in ``series`` and ``year``, if any."""
    seq = session.scalar(
        select(TicketSeriesRow.last_number).where(
            TicketSeriesRow.series == series, TicketSeriesRow.year == year
        )
    )
    return None if seq is None else TicketNumber(series, year, seq)
