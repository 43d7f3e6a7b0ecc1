"""Secrets live only in the operating system's keyring."""

from __future__ import annotations

import keyring
from keyring.errors import KeyringError

from app.errors import SecretStoreError
from app.i18n import _

SERVICE = "Mostrador"


def _key(kind: str, name: str) -> str:
    return f"{kind}:{name}"


def set_secret(kind: str, name: str, value: str) -> None:
    try:
        keyring.set_password(SERVICE, _key(kind, name), value)
    except KeyringError as exc:
        raise SecretStoreError(
            _("The system keyring could not save the secret: {error}").format(error=exc)
        ) from exc


def get_secret(kind: str, name: str) -> str | None:
    try:
        value: str | None = keyring.get_password(SERVICE, _key(kind, name))
    except KeyringError as exc:
        raise SecretStoreError(
            _("The system keyring could not be read: {error}").format(error=exc)
        ) from exc
    return value


def delete_secret(kind: str, name: str) -> None:
    try:
        keyring.delete_password(SERVICE, _key(kind, name))
    except keyring.errors.PasswordDeleteError:
        return
    except KeyringError as exc:
        raise SecretStoreError(str(exc)) from exc


def db_password_key(user: str, host: str, port: int | None, database: str) -> str:
    """The keyring name of a shop database password."""
    return f"{user}@{host}:{port or 3306}/{database}"
