"""An SSH tunnel to the shop's MySQL for hostings that do not open MySQL to the internet.

:class:`SshTunnel` logs in to the hosting's SSH server (asyncssh, on its own thread and event
loop) and listens on ``127.0.0.1:<local port>``; every connection there is forwarded to MySQL
as the SSH server sees it (usually ``127.0.0.1:3306``). The engine then opens
``mysql://user@127.0.0.1:<local port>/db``.

When the SSH connection drops (keepalives unanswered, server restarted) the local port stops
answering, so the till goes offline as with any lost database; the tunnel keeps trying to log
in again, with a growing pause, and listens on the same local port once it is back, so the
engine's URL stays valid. The till's window starts it with ``keep_trying=True``: when the SSH
server cannot be reached at start (no network yet), a local port is chosen anyway and the
tunnel logs in as soon as it can; a refused login (password, key, host key) still raises.

The server's host key is trusted on first use: the wizard shows its fingerprint and keeps the
key (a public key, not a secret) in the settings; later a different key is refused.
"""

from __future__ import annotations

import asyncio
import errno
import logging
import socket
import threading
from dataclasses import dataclass

import asyncssh

from app.errors import UserFacingError
from app.i18n import _

logger = logging.getLogger(__name__)

CONNECT_TIMEOUT = 10.0
KEEPALIVE_SECONDS = 15
RETRY_FIRST_SECONDS = 1.0
RETRY_MAX_SECONDS = 30.0


LOGIN_ERRORS = (
    OSError,
    asyncio.TimeoutError,
    asyncssh.Error,
    asyncssh.KeyImportError,
    asyncssh.KeyEncryptionError,
)


class TunnelError(UserFacingError):
    """The SSH tunnel could not be opened (the message says why, in plain words)."""


@dataclass(frozen=True)
class TunnelOptions:
    """Where the SSH server is and how to log in. The password or passphrase is not here."""

    host: str
    user: str
    port: int = 22
    key_file: str = ""  # empty: log in with a password
    host_key: str = ""  # the server's public key, trusted on first use; empty: learn it


@dataclass(frozen=True)
class TunnelState:
    local_port: int
    host_key: str
    fingerprint: str
    connected: bool
    reconnects: int


class SshTunnel:
    """``start()`` returns once the first login worked (or raises :class:`TunnelError`)."""

    def __init__(
        self,
        options: TunnelOptions,
        remote: tuple[str, int],
        secret: str | None,
        keep_trying: bool = False,
    ) -> None:
        """``remote``: MySQL's host and port as the SSH server sees them (127.0.0.1, 3306).

        ``keep_trying``: an unreachable SSH server at start is not an error (see above)."""
        self.options = options
        self.keep_trying = keep_trying
        self.remote_host, self.remote_port = remote
        self._secret = secret
        self._local_port = 0
        self._host_key = options.host_key
        self._fingerprint = ""
        self._connected = False
        self._reconnects = 0
        self._error: BaseException | None = None
        self._ready = threading.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._thread: threading.Thread | None = None

    def start(self, timeout: float = CONNECT_TIMEOUT + 5) -> int:
        self._thread = threading.Thread(target=self._run, name="ssh-tunnel", daemon=True)
        self._thread.start()
        if not self._ready.wait(timeout):
            self.stop()
            raise TunnelError(_("The SSH server did not answer in time."))
        if self._error is not None:
            self.stop()
            raise self._error
        return self._local_port

    def state(self) -> TunnelState:
        return TunnelState(
            self._local_port, self._host_key, self._fingerprint, self._connected, self._reconnects
        )

    def stop(self) -> None:
        loop, stop, thread = self._loop, self._stop, self._thread
        if loop is not None and stop is not None and not loop.is_closed():
            try:
                loop.call_soon_threadsafe(stop.set)
            except RuntimeError:  # the loop closed meanwhile
                pass
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout=10)

    def __enter__(self) -> SshTunnel:
        self.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop()

    # ------------------------------------------------------------------ the tunnel's thread

    def _run(self) -> None:
        try:
            asyncio.run(self._main())
        except BaseException as exc:  # handed to start(), or logged
            if not self._ready.is_set():
                self._error = exc
                self._ready.set()
            else:
                logger.exception("ssh tunnel stopped")

    async def _main(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._stop = asyncio.Event()
        pause = RETRY_FIRST_SECONDS
        current = await self._first_login()
        while current is not None:
            await self._serve(current)
            if self._stop.is_set():
                return
            current, pause = await self._reconnect(pause)

    async def _first_login(self) -> asyncssh.SSHClientConnection | None:
        try:
            return await self._connect()
        except LOGIN_ERRORS as exc:
            error = login_error(self.options, exc)
            if not (self.keep_trying and is_network_failure(exc)):
                self._error = error
                self._ready.set()
                return None
        logger.warning("ssh tunnel: %s; logging in as soon as the server answers", error.message)
        self._local_port = self._local_port or _free_local_port()
        self._ready.set()  # the engine's URL is valid from now on; offline until the login
        conn, _pause = await self._reconnect(RETRY_FIRST_SECONDS)
        return conn

    async def _serve(self, conn: asyncssh.SSHClientConnection) -> None:
        listener = await conn.forward_local_port(
            "127.0.0.1", self._local_port, self.remote_host, self.remote_port
        )
        self._local_port = listener.get_port()
        self._connected = True
        self._ready.set()
        logger.info("ssh tunnel up: 127.0.0.1:%d", self._local_port)
        assert self._stop is not None
        stop_wait = asyncio.ensure_future(self._stop.wait())
        closed_wait = asyncio.ensure_future(conn.wait_closed())
        await asyncio.wait({stop_wait, closed_wait}, return_when=asyncio.FIRST_COMPLETED)
        self._connected = False
        stop_wait.cancel()
        listener.close()
        conn.close()
        closed_wait.cancel()
        if not self._stop.is_set():
            logger.warning("ssh tunnel dropped; logging in again")

    async def _reconnect(self, pause: float) -> tuple[asyncssh.SSHClientConnection | None, float]:
        assert self._stop is not None
        while not self._stop.is_set():
            try:
                await asyncio.wait_for(self._stop.wait(), pause)
                return None, pause
            except asyncio.TimeoutError:
                pass
            try:
                conn = await self._connect()
            except LOGIN_ERRORS as exc:
                logger.warning("ssh tunnel: login again failed: %s", exc)
                pause = min(pause * 2, RETRY_MAX_SECONDS)
                continue
            self._reconnects += 1
            return conn, RETRY_FIRST_SECONDS
        return None, pause

    async def _connect(self) -> asyncssh.SSHClientConnection:
        opts = self.options
        known_hosts: object = None
        if self._host_key:
            known_hosts = ([asyncssh.import_public_key(self._host_key)], [], [])
        client_keys = None
        if opts.key_file:
            client_keys = [asyncssh.read_private_key(opts.key_file, self._secret or None)]
        conn = await asyncssh.connect(
            opts.host,
            opts.port,
            username=opts.user,
            password=None if opts.key_file else self._secret,
            client_keys=client_keys,
            known_hosts=known_hosts,
            connect_timeout=CONNECT_TIMEOUT,
            keepalive_interval=KEEPALIVE_SECONDS,
            keepalive_count_max=3,
            agent_path=None,
        )
        key = conn.get_server_host_key()
        if key is not None:
            self._host_key = key.export_public_key("openssh").decode().strip()
            self._fingerprint = key.get_fingerprint()
        return conn


def is_network_failure(exc: BaseException) -> bool:
    """The SSH server could not be reached (try again later), as opposed to a refused login."""
    if isinstance(exc, ConnectionError | TimeoutError | asyncio.TimeoutError | socket.gaierror):
        return True
    if isinstance(exc, asyncssh.ConnectionLost):
        return True
    return isinstance(exc, OSError) and exc.errno in (errno.ENETUNREACH, errno.EHOSTUNREACH)


def _free_local_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def login_error(opts: TunnelOptions, exc: BaseException) -> TunnelError:
    """A plain-words explanation of why the first SSH login failed."""
    where = {"host": opts.host, "port": opts.port, "user": opts.user}
    network = _network_error(opts, exc)
    if network is not None:
        return network
    if isinstance(exc, asyncssh.KeyImportError | asyncssh.KeyEncryptionError):
        return TunnelError(
            _("The SSH key {path} cannot be read: {error}").format(path=opts.key_file, error=exc),
            _("Check the key file and its passphrase."),
        )
    if isinstance(exc, asyncssh.HostKeyNotVerifiable):
        return TunnelError(
            _("The SSH server {host} is not the one trusted before: its key changed.").format(
                **where
            ),
            _("If your hosting did not change servers, do not connect: ask your hosting."),
        )
    if isinstance(exc, asyncssh.PermissionDenied):
        return TunnelError(
            _("The SSH server refused the user {user}: wrong password or key.").format(**where),
            _("Check the SSH user, and that your hosting allows SSH access for it."),
        )
    return TunnelError(_("The SSH tunnel could not be opened: {error}").format(error=exc))


def _network_error(opts: TunnelOptions, exc: BaseException) -> TunnelError | None:
    where = {"host": opts.host, "port": opts.port}
    if isinstance(exc, socket.gaierror):
        return TunnelError(
            _("The SSH server {host} was not found.").format(**where),
            _("Check the SSH host name in your hosting's control panel."),
        )
    if isinstance(exc, ConnectionRefusedError):
        return TunnelError(
            _("Port {port} on {host} does not accept SSH connections.").format(**where),
            _("Check the SSH port (22 unless your hosting says another) and that SSH is on."),
        )
    if isinstance(exc, asyncio.TimeoutError | TimeoutError):
        return TunnelError(_("No answer from the SSH server {host}:{port}.").format(**where))
    return None
