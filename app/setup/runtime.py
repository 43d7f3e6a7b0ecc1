"""Open the shop the settings name, at start: the demo shop, or a real one (tunnel, TLS).

``open_configured_target`` runs before the window opens the till (on a worker in the GUI). With
an SSH tunnel the target's URL points at the tunnel's local port and carries the password in
memory; the tunnel reconnects by itself when dropped and is stopped with ``close()``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from app.config import settings as cfg
from app.connection import ShopTarget, demo_target, ensure_demo_shop, parse_url
from app.logging_setup import register_secret
from app.setup.keyring_secrets import stored_db_password, stored_ssh_secret
from app.tunnel import SshTunnel, TunnelOptions


@dataclass(frozen=True)
class OpenedTarget:
    target: ShopTarget
    tunnel: SshTunnel | None = None

    def close(self) -> None:
        if self.tunnel is not None:
            self.tunnel.stop()


def asks_password(settings: cfg.Settings) -> bool:
    """No keyring here: the window asks for the database password before opening the till."""
    return bool(settings.get(cfg.SHOP_ASK_PASSWORD)) and not settings.get(cfg.SHOP_DEMO)


def tunnel_options(settings: cfg.Settings) -> TunnelOptions | None:
    if not settings.get(cfg.SSH_HOST):
        return None
    return TunnelOptions(
        host=settings.get(cfg.SSH_HOST),
        user=settings.get(cfg.SSH_USER),
        port=settings.get(cfg.SSH_PORT),
        key_file=settings.get(cfg.SSH_KEY_FILE),
        host_key=settings.get(cfg.SSH_HOST_KEY),
    )


def open_configured_target(
    settings: cfg.Settings, typed_password: str | None = None
) -> OpenedTarget | None:
    """The shop of the settings, ready to open; None when setup has not been done."""
    lang = settings.get(cfg.SHOP_LANG)
    if settings.get(cfg.SHOP_DEMO):
        return OpenedTarget(replace(demo_target(ensure_demo_shop()), lang_iso=lang))
    if not settings.get(cfg.SHOP_DB_URL):
        return None
    url = parse_url(settings.get(cfg.SHOP_DB_URL))
    target = ShopTarget(url, settings.get(cfg.SHOP_PREFIX), settings.get(cfg.SHOP_ID), lang)
    if typed_password:
        register_secret(typed_password)
        target = replace(target, url=url.set(password=typed_password))
    options = tunnel_options(settings)
    if options is None:
        return OpenedTarget(target)
    tunnel = SshTunnel(options, (url.host or "127.0.0.1", url.port or 3306), _ssh(options))
    local_port = tunnel.start()
    password = typed_password or stored_db_password(url)
    local = url.set(host="127.0.0.1", port=local_port, password=password or None)
    return OpenedTarget(replace(target, url=local), tunnel)


def _ssh(options: TunnelOptions) -> str | None:
    secret = stored_ssh_secret(options)
    if secret:
        register_secret(secret)
    return secret
