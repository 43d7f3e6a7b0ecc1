"""Open the shop the settings name: the demo shop, or a real one (SSH tunnel, typed password).

The till's window (on a worker, :func:`start_shop`) and the headless commands
(:func:`open_requested`) go through here. When the shop asked for is the one the settings
configure, its SSH tunnel is opened (secrets from the keyring, or typed) and the target's URL
points at the tunnel's local port, carrying the password in memory. Whoever opened it closes it
(:meth:`OpenedTarget.close` stops the tunnel); the tunnel logs in again by itself when dropped.

When the settings say the password is typed at each start (no keyring), the answer is
:class:`PasswordNeeded` until it is given; a wrong one comes back with the doctor's plain
words. A typed secret lives in memory only and is registered with the log filter. The same
happens when the keyring does not hold the shop's password (settings imported from another
till): once the typed one works it is kept in the keyring, and the next start does not ask.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import text
from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from app.config import settings as cfg
from app.connection import ShopTarget, demo_target, ensure_demo_shop, open_engine, parse_url
from app.doctor import Finding, Severity, mysql_error_code, run_doctor
from app.i18n import _
from app.logging_setup import register_secret
from app.setup.keyring_secrets import (
    missing_secrets,
    remember_typed,
    stored_db_password,
    stored_ssh_secret,
)
from app.tunnel import SshTunnel, TunnelError, TunnelOptions

if TYPE_CHECKING:
    from app.till_runtime import TillRuntime

ACCESS_DENIED = 1045  # MySQL's "wrong user name or password"


@dataclass(frozen=True)
class OpenedTarget:
    target: ShopTarget
    tunnel: SshTunnel | None = None

    def close(self) -> None:
        if self.tunnel is not None:
            self.tunnel.stop()


@dataclass(frozen=True)
class TypedSecrets:
    """What the user typed at start (never saved): the database password, the SSH secret."""

    password: str = field(repr=False)
    ssh_secret: str = field(default="", repr=False)  # SSH password or key passphrase


@dataclass(frozen=True)
class PasswordNeeded:
    """The password must be typed before the shop opens (again, when ``message`` says why)."""

    shop: str
    ssh_secret: bool = False  # the tunnel's password or key passphrase is typed too
    message: str = ""
    hint: str = ""
    kept: bool = False  # once it works it goes to the keyring (not typed at each start)


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


def configured_target(settings: cfg.Settings) -> ShopTarget | None:
    """The shop the settings name, not opened (the demo shop is built the first time)."""
    lang = settings.get(cfg.SHOP_LANG)
    if settings.get(cfg.SHOP_DEMO):
        return replace(demo_target(ensure_demo_shop()), lang_iso=lang)
    if not settings.get(cfg.SHOP_DB_URL):
        return None
    url = parse_url(settings.get(cfg.SHOP_DB_URL))
    return ShopTarget(url, settings.get(cfg.SHOP_PREFIX), settings.get(cfg.SHOP_ID), lang)


def shop_label(settings: cfg.Settings) -> str:
    """How the user knows the configured shop: its profile's name, else database and host."""
    name = settings.get(cfg.ACTIVE_PROFILE)
    if name or settings.get(cfg.SHOP_DEMO):
        return name or _("Demo shop")
    url = parse_url(settings.get(cfg.SHOP_DB_URL) or "sqlite://")
    return _("{database} on {host}").format(database=url.database or "", host=url.host or "")


def open_configured_target(
    settings: cfg.Settings,
    typed_password: str | None = None,
    typed_ssh_secret: str | None = None,
    keep_trying: bool = False,
) -> OpenedTarget | None:
    """The shop of the settings, ready to open; None when setup has not been done."""
    target = configured_target(settings)
    if target is None:
        return None
    if target.demo:
        return OpenedTarget(target)
    typed = None
    if typed_password is not None or typed_ssh_secret is not None:
        typed = TypedSecrets(typed_password or "", typed_ssh_secret or "")
    return _open(target, settings, typed, keep_trying)


def uses_settings(target: ShopTarget, settings: cfg.Settings) -> bool:
    """``target`` is the real shop the settings configure (their tunnel and password apply)."""
    configured = settings.get(cfg.SHOP_DB_URL)
    if target.demo or not configured:
        return False
    return _plain(target.url) == _plain(parse_url(configured))


def _plain(url: URL) -> str:
    return url._replace(password=None).render_as_string(hide_password=False)


def open_requested(
    requested: ShopTarget,
    settings: cfg.Settings,
    typed: TypedSecrets | None = None,
    keep_trying: bool = False,
) -> OpenedTarget | PasswordNeeded:
    """Open ``requested`` (network: a worker); through the settings' tunnel when it is theirs.

    ``keep_trying``: an SSH server that cannot be reached now is not an error (the window
    works offline and the tunnel logs in when it can); the command line fails at once.
    """
    if not uses_settings(requested, settings):
        return OpenedTarget(requested)
    needed = _to_type(requested, settings)
    if typed is None and needed is not None:
        return needed
    try:
        opened = _open(requested, settings, typed, keep_trying)
    except TunnelError as exc:
        if typed is None:
            raise
        return _refused(settings, needed, Finding(Severity.ERROR, exc.message, exc.hint))
    if typed is None:
        return opened
    verified, refusal = check_login(opened.target)
    if refusal is None:
        if verified and needed is not None and needed.kept:
            options = tunnel_options(settings)
            remember_typed(requested.url, options, typed.password, typed.ssh_secret)
        return opened
    opened.close()
    return _refused(settings, needed, refusal)


def _to_type(requested: ShopTarget, settings: cfg.Settings) -> PasswordNeeded | None:
    """What the user must type before ``requested`` opens; None: nothing (worker: keyring)."""
    if requested.url.password is not None:
        return None
    has_tunnel = tunnel_options(settings) is not None
    if asks_password(settings):
        return PasswordNeeded(shop_label(settings), has_tunnel)
    missing = missing_secrets(requested.url, tunnel_options(settings))
    if not missing:
        return None
    return PasswordNeeded(shop_label(settings), missing.ssh_secret, kept=True)


def _refused(
    settings: cfg.Settings, needed: PasswordNeeded | None, finding: Finding
) -> PasswordNeeded:
    if needed is None:
        needed = PasswordNeeded(shop_label(settings), tunnel_options(settings) is not None)
    return replace(needed, message=finding.message, hint=finding.hint)


def _open(
    target: ShopTarget, settings: cfg.Settings, typed: TypedSecrets | None, keep_trying: bool
) -> OpenedTarget:
    url = target.url
    if typed is not None:
        for secret in (typed.password, typed.ssh_secret):
            register_secret(secret)
        target = replace(target, url=url.set(password=typed.password or None))
    options = tunnel_options(settings)
    if options is None:
        return OpenedTarget(target)
    ssh = typed.ssh_secret if typed is not None else ""
    if not ssh and (typed is None or not asks_password(settings)):
        ssh = _ssh(options) or ""
    remote = (url.host or "127.0.0.1", url.port or 3306)
    tunnel = SshTunnel(options, remote, ssh or None, keep_trying)
    local_port = tunnel.start()
    password = target.url.password
    if password is None and typed is None:
        password = stored_db_password(url)
    local = url.set(host="127.0.0.1", port=local_port, password=password or None)
    return OpenedTarget(replace(target, url=local), tunnel)


def _ssh(options: TunnelOptions) -> str | None:
    secret = stored_ssh_secret(options)
    if secret:
        register_secret(secret)
    return secret


def login_refusal(target: ShopTarget) -> Finding | None:
    """The doctor's words when the database refuses this user and password; None when the
    login works, or when the shop cannot be reached now (the till then works offline)."""
    return check_login(target)[1]


def check_login(target: ShopTarget) -> tuple[bool, Finding | None]:
    """(the login worked, the doctor's words when it was refused); (False, None): the shop
    cannot be reached now, so the password is neither refused nor known to be right."""
    engine = open_engine(target)
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        return True, None
    except DBAPIError as exc:
        if mysql_error_code(exc) != ACCESS_DENIED:
            return False, None
    except SQLAlchemyError:
        return False, None
    finally:
        engine.dispose()
    report = run_doctor(target)
    errors = [f for f in report.findings if f.severity is Severity.ERROR]
    return False, errors[0] if errors else Finding(Severity.ERROR, _("The password was refused."))


# --------------------------------------------------------------------------- the window's start


@dataclass(frozen=True)
class ShopStarted:
    """The till open on the shop; ``opened`` is None when no shop is configured."""

    opened: OpenedTarget | None
    runtime: TillRuntime

    @property
    def target(self) -> ShopTarget | None:
        return self.opened.target if self.opened is not None else None

    def close(self) -> None:
        """Stop the till's workers, then the tunnel (blocking: at exit, or on a worker)."""
        try:
            self.runtime.close()
        finally:
            if self.opened is not None:
                self.opened.close()


def start_shop(
    requested: ShopTarget | None,
    settings: cfg.Settings,
    typed: TypedSecrets | None,
    open_till: Callable[[ShopTarget | None], TillRuntime],
    reached: Callable[[ShopTarget | None], None] | None = None,
) -> ShopStarted | PasswordNeeded:
    """The window's start (a worker): reach the shop, tell ``reached``, open the till on it."""
    opened = None
    if requested is not None:
        result = open_requested(requested, settings, typed, keep_trying=True)
        if isinstance(result, PasswordNeeded):
            return result
        opened = result
    try:
        if reached is not None:
            reached(opened.target if opened is not None else None)
        return ShopStarted(opened, open_till(opened.target if opened is not None else None))
    except BaseException:
        if opened is not None:
            opened.close()
        raise


@dataclass(frozen=True)
class Reopen:
    """Where the window opens its till after a switch: the shop the settings now name."""

    target: ShopTarget | None
    till: str


def reopen_on_settings(
    started: ShopStarted | None,
    settings_path: Path,
    till: str,
    apply: Callable[[cfg.Settings], object] | None = None,
) -> Reopen:
    """Close the till in use (workers, tunnel), apply the change, read the shop to open now."""
    if started is not None:
        started.close()
    settings = cfg.Settings.load(settings_path)
    if apply is not None:
        apply(settings)
    return Reopen(configured_target(settings), settings.get(cfg.TILL_NAME) or till)
