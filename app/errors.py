"""One exception taxonomy for the whole application.

The GUI boundary triages: a :class:`UserFacingError` is shown to the user as is (its message is
already translated), :class:`Cancelled` is silent, anything else is logged and offered to the bug
reporter.
"""

from __future__ import annotations


class MostradorError(Exception):
    """Base of every error raised on purpose by Mostrador."""


class UserFacingError(MostradorError):
    """An error whose message is meant for the user, already translated.

    ``hint`` says what to do about it, when we know.
    """

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message}\n{self.hint}" if self.hint else self.message


class Cancelled(MostradorError):
    """The user or a shutdown cancelled the operation; nothing to report."""


class ConfigError(UserFacingError):
    """Settings are missing or invalid."""


class ShopUnreachable(UserFacingError):
    """The shop database cannot be reached (network, DNS, port, server down, timeout)."""


class ShopAccessDenied(UserFacingError):
    """The server refused the credentials or the database."""


class ShopSchemaError(UserFacingError):
    """The database is reachable but is not a PrestaShop schema Mostrador can work with."""


class SecretStoreError(UserFacingError):
    """The operating system's keyring could not store or return a secret."""
