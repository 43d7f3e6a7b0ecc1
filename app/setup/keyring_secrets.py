"""The wizard's secrets go to the OS keyring only; the settings file never holds one.

When the keyring is unavailable (no Secret Service on a bare Linux, a locked store) the user is
told and may choose to type the password at each start: it then lives in memory only.

A till set up from another till's exported settings has no secret yet: :func:`missing_secrets`
says which ones the start must ask for, and :func:`remember_typed` keeps them once they work.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy.engine import URL

from app.config import secrets
from app.connection import password_for
from app.errors import SecretStoreError
from app.i18n import _
from app.setup.form import ConnectionForm, Credentials
from app.tunnel import TunnelOptions

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class SecretsSaved:
    saved: bool
    message: str
    hint: str = ""


def db_secret_name(url: URL) -> str:
    return secrets.db_password_key(
        url.username or "", url.host or "localhost", url.port, url.database or ""
    )


def ssh_secret_name(tunnel: TunnelOptions) -> str:
    return f"{tunnel.user}@{tunnel.host}:{tunnel.port}"


def save_secrets(form: ConnectionForm, creds: Credentials) -> SecretsSaved:
    """Put the database password (and the SSH password or passphrase) in the keyring."""
    try:
        if creds.password:
            secrets.set_secret("db", db_secret_name(form.url()), creds.password)
        if form.tunnel is not None and creds.ssh_secret:
            secrets.set_secret("ssh", ssh_secret_name(form.tunnel), creds.ssh_secret)
    except SecretStoreError as exc:
        return SecretsSaved(
            False,
            _(
                "The system keyring is not available, so the password cannot be kept: {error}"
            ).format(error=exc.message),
            _(
                "Mostrador never writes passwords to a file. You can type the password each "
                "time Mostrador starts, or set up the system keyring and run the setup again."
            ),
        )
    return SecretsSaved(True, _("The password is kept in the system keyring."))


def stored_db_password(url: URL) -> str | None:
    return secrets.get_secret("db", db_secret_name(url))


def stored_ssh_secret(tunnel: TunnelOptions) -> str | None:
    return secrets.get_secret("ssh", ssh_secret_name(tunnel))


@dataclass(frozen=True)
class MissingSecrets:
    """What this till does not have in its keyring yet (or cannot read from it)."""

    db_password: bool = False
    ssh_secret: bool = False

    def __bool__(self) -> bool:
        return self.db_password or self.ssh_secret


def missing_secrets(url: URL, tunnel: TunnelOptions | None) -> MissingSecrets:
    """Which secrets must be typed to open ``url`` (reads the keyring: a worker)."""
    try:
        db_missing = password_for(url) is None and not _passwordless(url)
        ssh_missing = (
            tunnel is not None and not tunnel.key_file and stored_ssh_secret(tunnel) is None
        )
    except SecretStoreError as exc:
        logger.warning("keyring not readable, the password is asked: %s", exc.message)
        return MissingSecrets(not _passwordless(url), tunnel is not None and not tunnel.key_file)
    return MissingSecrets(db_missing, ssh_missing)


def _passwordless(url: URL) -> bool:
    """SQLite, or no user name: no password to ask for."""
    return url.get_backend_name() == "sqlite" or not url.username


def remember_typed(url: URL, tunnel: TunnelOptions | None, password: str, ssh: str) -> bool:
    """Keep secrets that just worked, so the next start does not ask; False: no keyring here
    (they stay in memory for this session only)."""
    try:
        if password:
            secrets.set_secret("db", db_secret_name(url), password)
        if tunnel is not None and ssh:
            secrets.set_secret("ssh", ssh_secret_name(tunnel), ssh)
    except SecretStoreError as exc:
        logger.warning("keyring could not keep the typed password: %s", exc.message)
        return False
    return True
