"""Errors of the till, all shown to the cashier as they are (translated messages)."""

from __future__ import annotations

from app.errors import UserFacingError


class TillStoreError(UserFacingError):
    """The till store cannot be opened or used."""


class StoreTooNew(TillStoreError):
    """The store was migrated by a newer Mostrador this version cannot safely write."""


class NotATillStore(TillStoreError):
    """The file is not a Mostrador till store (another SQLite database, or not SQLite)."""


class TillStoreBusy(TillStoreError):
    """Another process kept the store locked longer than the busy timeout."""


class TicketRefused(UserFacingError):
    """A sale or refund draft is not valid; the message says what to fix."""


class TicketNotFound(UserFacingError):
    """No ticket with that number in this till."""


class CashSessionRefused(UserFacingError):
    """A cash-session transition or movement is not allowed in its current state."""


class ParkedTicketNotFound(UserFacingError):
    """The parked ticket was recalled or deleted meanwhile."""
