"""The SSH tunnel against a real ``sshd`` (Debian openssh-server) on 127.0.0.1, to MariaDB: the
wizard's check, a drop and its reconnection, and a later start that reopens the tunnel from the
settings (the commands and the window), going offline while it is down and back after."""

from __future__ import annotations

import getpass
import os
import re
import shutil
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import asyncssh
import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from app import paths
from app.cli import main as cli_main
from app.config import secrets
from app.config import settings as cfg
from app.connection import ShopTarget
from app.doctor import Severity
from app.setup.checks import check_server
from app.setup.form import ConnectionForm, Credentials
from app.setup.keyring_secrets import db_secret_name, ssh_secret_name
from app.setup.profiles import Profile, save_profile, without_password
from app.setup.runtime import ShopStarted, configured_target, start_shop
from app.sync.worker import SyncSettings, SyncStatus
from app.till_runtime import open_till
from app.tunnel import SshTunnel, TunnelError, TunnelOptions
from connectors.prestashop.engine import make_engine
from tests.support.mariadb import free_port

SSHD = shutil.which("sshd") or "/usr/sbin/sshd"
PASSPHRASE = "phrase-of-the-key"


@dataclass
class Sshd:
    port: int
    folder: Path
    key_file: Path
    process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        config = self.folder / "sshd_config"
        self.process = subprocess.Popen(
            [SSHD, "-D", "-e", "-f", str(config)],
            stdout=subprocess.DEVNULL,
            stderr=(self.folder / "sshd.log").open("ab"),
        )
        wait_for(lambda: _port_open(self.port), "sshd to listen")

    def kill(self) -> None:
        """Stop sshd and every session it runs (the tunnel's connection drops)."""
        if self.process is None:
            return
        for pid in _descendants(self.process.pid):
            _kill(pid)
        self.process.terminate()
        self.process.wait(timeout=10)
        self.process = None


def _descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def _kill(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def _port_open(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


def wait_for(condition: Callable[[], bool], what: str, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"waited {timeout}s for {what}")
        time.sleep(0.1)


def _write_keys(folder: Path) -> Path:
    host_key = asyncssh.generate_private_key("ssh-ed25519")
    host_key.write_private_key(str(folder / "host_key"))
    (folder / "host_key").chmod(0o600)
    client = asyncssh.generate_private_key("ssh-ed25519")
    client.write_private_key(str(folder / "client_key"), passphrase=PASSPHRASE)
    client.write_public_key(str(folder / "authorized_keys"))
    return folder / "client_key"


def _write_config(folder: Path, port: int) -> None:
    (folder / "sshd_config").write_text(
        f"Port {port}\nListenAddress 127.0.0.1\nHostKey {folder / 'host_key'}\n"
        f"AuthorizedKeysFile {folder / 'authorized_keys'}\nPidFile {folder / 'sshd.pid'}\n"
        "PasswordAuthentication no\nKbdInteractiveAuthentication no\nUsePAM no\n"
        "StrictModes no\nAllowTcpForwarding yes\nPermitRootLogin prohibit-password\n"
        "ClientAliveInterval 5\n"
    )


@pytest.fixture
def sshd(tmp_path: Path) -> Iterator[Sshd]:
    if not Path(SSHD).exists():
        pytest.skip("sshd not installed: apt-get install openssh-server (as root)")
    Path("/run/sshd").mkdir(parents=True, exist_ok=True)  # sshd's privilege separation dir
    folder = tmp_path / "sshd"
    folder.mkdir()
    port = free_port()
    server = Sshd(port, folder, _write_keys(folder))
    _write_config(folder, port)
    server.start()
    yield server
    server.kill()


def tunnel_options(server: Sshd, **changes: Any) -> TunnelOptions:
    values: dict[str, Any] = {
        "host": "127.0.0.1",
        "user": getpass.getuser(),
        "port": server.port,
        "key_file": str(server.key_file),
    }
    values.update(changes)
    return TunnelOptions(**values)


ON_MARIADB = pytest.mark.parametrize("demo_shop_db", ["8.0"], indirect=True)


def _form(db: Any, tunnel: TunnelOptions) -> tuple[ConnectionForm, Credentials]:
    url = make_url(db.url)
    form = ConnectionForm(
        "127.0.0.1", url.database or "", url.username or "", url.port or 3306, tunnel=tunnel
    )
    return form, Credentials(url.password or "", PASSPHRASE)


@ON_MARIADB
def test_the_wizard_check_goes_through_the_tunnel(demo_shop_db: Any, sshd: Sshd) -> None:
    check = check_server(*_form(demo_shop_db, tunnel_options(sshd)))
    assert check.ok, [f.message for f in check.findings]
    assert check.findings[0].message.startswith("SSH tunnel open through 127.0.0.1")
    assert check.fingerprint.startswith("SHA256:") and check.host_key.startswith("ssh-ed25519")
    # The key learned at setup is trusted from then on.
    again = check_server(*_form(demo_shop_db, tunnel_options(sshd, host_key=check.host_key)))
    assert again.ok


@ON_MARIADB
def test_ssh_failures_say_why(demo_shop_db: Any, sshd: Sshd, tmp_path: Path) -> None:
    form, creds = _form(demo_shop_db, tunnel_options(sshd))
    cases = {
        "The SSH key": (form, Credentials(creds.password, "wrong passphrase")),
        "The SSH server refused the user nobody-here": _form(
            demo_shop_db, tunnel_options(sshd, user="nobody-here")
        ),
        "Port ": _form(demo_shop_db, tunnel_options(sshd, port=free_port())),
        "The SSH server 127.0.0.1 is not the one trusted before": _form(
            demo_shop_db,
            tunnel_options(
                sshd,
                host_key=asyncssh.generate_private_key("ssh-ed25519")
                .export_public_key("openssh")
                .decode(),
            ),
        ),
    }
    for expected, (case_form, case_creds) in cases.items():
        check = check_server(case_form, case_creds)
        errors = [f.message for f in check.findings if f.severity is Severity.ERROR]
        assert errors and errors[0].startswith(expected), (expected, errors)


@ON_MARIADB
def test_the_tunnel_comes_back_after_a_drop(demo_shop_db: Any, sshd: Sshd) -> None:
    url = make_url(demo_shop_db.url)
    tunnel = SshTunnel(tunnel_options(sshd), ("127.0.0.1", url.port or 3306), PASSPHRASE)
    local_port = tunnel.start()
    engine = make_engine(url.set(host="127.0.0.1", port=local_port), connect_timeout=3)
    try:
        assert _select_one(engine)
        sshd.kill()
        wait_for(lambda: not tunnel.state().connected, "the tunnel to notice the drop")
        engine.dispose()  # connections made before the drop are gone with it
        assert not _select_one(engine)  # offline meanwhile: an error, not a hang
        sshd.start()
        wait_for(lambda: tunnel.state().connected, "the tunnel to log in again", 40)
        assert tunnel.state().local_port == local_port and tunnel.state().reconnects == 1
        assert _select_one(engine)  # the same engine, the same URL
    finally:
        engine.dispose()
        tunnel.stop()


def _select_one(engine: Any) -> bool:
    try:
        with engine.connect() as conn:
            return bool(conn.execute(text("SELECT 1")).scalar() == 1)
    except OperationalError:
        return False


def test_a_tunnel_that_cannot_start_raises_a_plain_error(sshd: Sshd) -> None:
    tunnel = SshTunnel(tunnel_options(sshd), ("127.0.0.1", 3306), "wrong passphrase")
    with pytest.raises(TunnelError, match="The SSH key"):
        tunnel.start()


# --------------------------------------------------------------------- a later start (settings)


def configure_tunnel(db: Any, server: Sshd) -> TunnelOptions:
    """What the wizard leaves behind: a profile through the tunnel, secrets in the keyring."""
    url = make_url(db.url)
    options = tunnel_options(server)
    settings = cfg.Settings.load(paths.config_dir() / cfg.FILE_NAME)
    settings.set(cfg.TILL_NAME, "T1")
    profile = Profile(
        name="Tienda por SSH",
        db_url=without_password(db.url),
        ssh_host=options.host,
        ssh_port=options.port,
        ssh_user=options.user,
        ssh_key_file=options.key_file,
    )
    save_profile(settings, profile)
    secrets.set_secret("db", db_secret_name(url), url.password or "")
    secrets.set_secret("ssh", ssh_secret_name(options), PASSPHRASE)
    return options


@ON_MARIADB
def test_a_later_start_reopens_the_tunnel_from_the_settings(
    demo_shop_db: Any, sshd: Sshd, capsys: pytest.CaptureFixture[str]
) -> None:
    configure_tunnel(demo_shop_db, sshd)
    mysql_port = make_url(demo_shop_db.url).port
    assert cli_main(["--language", "en", "doctor"]) == 0
    report = capsys.readouterr().out
    answered = re.search(r"The server 127\.0\.0\.1:(\d+) answers", report)
    assert answered is not None, report
    assert int(answered.group(1)) != mysql_port  # the tunnel's local port, not MySQL's
    assert "Mostrador can work with this database." in report
    assert cli_main(["--language", "en", "sync", "--once"]) == 0  # catalog through the tunnel
    assert "ssh-tunnel" not in {t.name for t in threading.enumerate()}  # closed at the end


@ON_MARIADB
def test_the_windows_start_goes_offline_with_a_dropped_tunnel_and_comes_back(
    demo_shop_db: Any, sshd: Sshd, tmp_path: Path
) -> None:
    configure_tunnel(demo_shop_db, sshd)
    settings = cfg.Settings.load(paths.config_dir() / cfg.FILE_NAME)
    requested = configured_target(settings)
    reached: list[ShopTarget | None] = []
    store = tmp_path / "till-T1.sqlite3"
    started = start_shop(
        requested, settings, None, lambda t: open_till(t, "T1", store), reached.append
    )
    assert isinstance(started, ShopStarted) and started.opened is not None
    tunnel = started.opened.tunnel
    assert tunnel is not None and reached == [started.target]
    statuses: list[SyncStatus] = []
    started.runtime.bus.subscribe(SyncStatus, statuses.append)
    try:
        started.runtime.start_sync(SyncSettings(interval_s=0.3, retry_min_s=0.3, retry_max_s=1))
        wait_for(lambda: bool(statuses) and statuses[-1].online is True, "online")
        sshd.kill()
        wait_for(lambda: statuses[-1].online is False, "offline while the tunnel is down")
        sshd.start()
        wait_for(lambda: tunnel.state().connected, "the tunnel to log in again", 40)
        wait_for(lambda: statuses[-1].online is True, "online again", 30)
    finally:
        started.close()
    wait_for(lambda: "ssh-tunnel" not in {t.name for t in threading.enumerate()}, "tunnel stop")


@ON_MARIADB
def test_an_ssh_server_down_at_start_is_waited_for_by_the_window(
    demo_shop_db: Any, sshd: Sshd
) -> None:
    url = make_url(demo_shop_db.url)
    remote = ("127.0.0.1", url.port or 3306)
    sshd.kill()
    with pytest.raises(TunnelError, match="does not accept SSH connections"):
        SshTunnel(tunnel_options(sshd), remote, PASSPHRASE).start()  # the wizard, the CLI
    tunnel = SshTunnel(tunnel_options(sshd), remote, PASSPHRASE, keep_trying=True)
    local_port = tunnel.start()  # the window: offline now, connected when the server is up
    engine = make_engine(url.set(host="127.0.0.1", port=local_port), connect_timeout=3)
    try:
        assert not tunnel.state().connected and not _select_one(engine)
        sshd.start()
        wait_for(lambda: tunnel.state().connected, "the first login", 40)
        assert tunnel.state().local_port == local_port and _select_one(engine)
    finally:
        engine.dispose()
        tunnel.stop()
