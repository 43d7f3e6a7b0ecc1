"""What the user typed to reach the shop database, and how to reach it (tunnel, TLS)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace

from sqlalchemy.engine import URL

from app.connection import ShopTarget
from app.logging_setup import register_secret
from app.tunnel import SshTunnel, TunnelOptions, TunnelState
from connectors.prestashop.engine import TlsOptions, url_with_tls

DEFAULT_PORT = 3306
__all__ = ["ConnectionForm", "Credentials", "Reached", "TlsOptions", "reach"]


@dataclass(frozen=True)
class ConnectionForm:
    """The connection page of the wizard. ``prefix`` empty: detect it."""

    host: str
    database: str
    user: str
    port: int = DEFAULT_PORT
    prefix: str = ""
    tls: TlsOptions | None = None
    tunnel: TunnelOptions | None = None

    def url(self) -> URL:
        """The URL kept in the settings: no password, TLS in its query.

        With a tunnel, host and port are MySQL's as the SSH server sees them.
        """
        url = URL.create(
            "mysql+pymysql",
            username=self.user,
            host=self.host or "localhost",
            port=self.port,
            database=self.database,
        )
        return url_with_tls(url, self.tls)


@dataclass(frozen=True)
class Credentials:
    """Secrets typed by the user; kept in memory and in the keyring only."""

    password: str = field(default="", repr=False)
    ssh_secret: str = field(default="", repr=False)  # SSH password, or the key's passphrase


@dataclass(frozen=True)
class Reached:
    """A target to open now (password in memory), and the tunnel's state if there is one."""

    target: ShopTarget
    tunnel: TunnelState | None


@contextmanager
def reach(
    form: ConnectionForm, creds: Credentials, id_shop: int = 1, lang_iso: str = "es"
) -> Iterator[Reached]:
    """Open the tunnel if the form has one; yield a target carrying the password in memory."""
    for secret in (creds.password, creds.ssh_secret):
        register_secret(secret)
    url = form.url().set(password=creds.password or None)
    target = ShopTarget(url=url, prefix=form.prefix or "ps_", id_shop=id_shop, lang_iso=lang_iso)
    if form.tunnel is None:
        yield Reached(target, None)
        return
    remote = (form.host or "127.0.0.1", form.port)
    with SshTunnel(form.tunnel, remote, creds.ssh_secret or None) as tunnel:
        local = replace(target, url=url.set(host="127.0.0.1", port=tunnel.state().local_port))
        yield Reached(local, tunnel.state())
