"""The wizard's secrets go to the OS keyring only; the settings file never holds one.

When the keyring is unavailable (no Secret Service on a bare Linux, a locked store) the user is
told and may choose to type the password at each start: it then lives in memory only.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.engine import URL

from app.config import secrets
from app.errors import SecretStoreError
from app.i18n import _
from app.setup.form import ConnectionForm, Credentials
from app.tunnel import TunnelOptions


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
