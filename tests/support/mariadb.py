"""A throwaway MariaDB server on a private data directory and port, for tests and benchmarks.

``start_mariadb(base_dir)`` initialises a data directory with ``mariadb-install-db``, starts
``mariadbd`` on 127.0.0.1 and a free port with settings tuned for speed (no binary log, no
doublewrite, relaxed flushing), creates a user with a password (grants stay on, so tests can
check "access denied") and returns a ``MariaDBServer``. ``server.stop()`` shuts it down.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote_plus

import pymysql

SEARCH_DIRS = ("/usr/sbin", "/usr/local/sbin", "/usr/bin", "/usr/local/bin", "/usr/local/mysql/bin")
TEST_USER = "mostrador"
TEST_PASSWORD = "mostrador-test-pw"
ROOT_PASSWORD = "root-test-pw"
START_TIMEOUT = 90.0
STOP_TIMEOUT = 30.0


class MariaDBUnavailable(RuntimeError):
    """MariaDB binaries are not installed (tests are skipped with this message)."""


def find_binary(name: str) -> str | None:
    """``name`` on PATH or in the usual sbin folders."""
    found = shutil.which(name)
    if found:
        return found
    for folder in SEARCH_DIRS:
        candidate = Path(folder) / name
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    return None


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class MariaDBServer:
    """A running server; ``user``/``password`` have every privilege."""

    host: str
    port: int
    user: str
    password: str
    socket_path: Path
    datadir: Path
    process: subprocess.Popen[bytes] | None = field(repr=False, default=None)
    log_path: Path | None = None
    # Run by stop() before the shutdown (e.g. waiting for background drops).
    before_stop: list[Callable[[], None]] = field(default_factory=list)

    def url(self, database: str = "") -> str:
        """A ``mysql+pymysql://`` URL for ``database`` (utf8mb4)."""
        user, password = quote_plus(self.user), quote_plus(self.password)
        return (
            f"mysql+pymysql://{user}:{password}@{self.host}:{self.port}/{database}?charset=utf8mb4"
        )

    def admin_connection(self, database: str | None = None) -> pymysql.Connection[Any]:
        """A PyMySQL connection as the test user (autocommit); the caller closes it."""
        return pymysql.connect(
            host=self.host,
            port=self.port,
            user=self.user,
            password=self.password,
            database=database,
            charset="utf8mb4",
            autocommit=True,
            client_flag=pymysql.constants.CLIENT.MULTI_STATEMENTS,
        )

    @contextmanager
    def connection(self, database: str | None = None) -> Iterator[pymysql.Connection[Any]]:
        conn = self.admin_connection(database)
        try:
            yield conn
        finally:
            conn.close()

    def create_database(self, name: str) -> str:
        """A fresh, empty utf8mb4_general_ci database ``name`` (dropped first if it exists)."""
        with self.connection() as conn, conn.cursor() as cur:
            cur.execute(f"DROP DATABASE IF EXISTS `{name}`")
            cur.execute(
                f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci"
            )
        return name

    def drop_database(self, name: str) -> None:
        with self.connection() as conn, conn.cursor() as cur:
            cur.execute(f"DROP DATABASE IF EXISTS `{name}`")

    def stop(self) -> None:
        """Shut the server down: SIGTERM, wait, SIGKILL on timeout."""
        callbacks, self.before_stop = self.before_stop, []
        try:
            for callback in callbacks:
                callback()
        finally:
            self._shutdown()

    def _shutdown(self) -> None:
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=STOP_TIMEOUT)

    def restart(self) -> None:
        """Start the stopped server again on the same data dir and port."""
        if self.process is not None and self.process.poll() is None:
            return
        mariadbd = find_binary("mariadbd") or find_binary("mysqld")
        if mariadbd is None:
            raise MariaDBUnavailable("mariadbd not found")
        command = server_command(mariadbd, self.datadir, self.port, self.socket_path, 256)
        self.process = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        deadline = time.monotonic() + START_TIMEOUT
        while True:  # root has a password now: wait for the test user over TCP
            try:
                self.admin_connection().close()
                return
            except pymysql.err.Error:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    raise TimeoutError(f"mariadbd did not restart:\n{self.log_tail()}") from None
                time.sleep(0.1)

    def log_tail(self, lines: int = 30) -> str:
        if self.log_path is None or not self.log_path.exists():
            return ""
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])


def _run_as_root_args() -> list[str]:
    return ["--user=root"] if hasattr(os, "geteuid") and os.geteuid() == 0 else []


def install_datadir(datadir: Path) -> None:
    """Initialise an empty MariaDB data directory (system tables only)."""
    install_db = find_binary("mariadb-install-db") or find_binary("mysql_install_db")
    if install_db is None:
        raise MariaDBUnavailable("mariadb-install-db not found (apt-get install mariadb-server)")
    datadir.mkdir(parents=True, exist_ok=True)
    command = [
        install_db,
        "--no-defaults",
        f"--datadir={datadir}",
        "--auth-root-authentication-method=normal",
        "--skip-test-db",
        *_run_as_root_args(),
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=180, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"mariadb-install-db failed:\n{result.stdout}\n{result.stderr}")


def server_command(
    mariadbd: str, datadir: Path, port: int, sock: Path, buffer_pool_mb: int
) -> list[str]:
    """``mariadbd`` arguments: private files, TCP on 127.0.0.1, durability traded for speed."""
    return [
        mariadbd,
        "--no-defaults",
        f"--datadir={datadir}",
        f"--port={port}",
        "--bind-address=127.0.0.1",
        f"--socket={sock}",
        f"--pid-file={datadir / 'mariadbd.pid'}",
        f"--log-error={datadir / 'error.log'}",
        "--skip-log-bin",
        "--skip-name-resolve",
        "--innodb-flush-log-at-trx-commit=2",
        "--innodb-doublewrite=0",
        "--innodb-flush-method=nosync",
        "--innodb-file-per-table=0",
        f"--innodb-buffer-pool-size={buffer_pool_mb}M",
        "--innodb-log-file-size=256M",
        "--sync-binlog=0",
        "--character-set-server=utf8mb4",
        "--collation-server=utf8mb4_general_ci",
        "--max-connections=200",
        "--max-allowed-packet=256M",
        *_run_as_root_args(),
    ]


def start_mariadb(base_dir: Path, *, buffer_pool_mb: int = 256) -> MariaDBServer:
    """Initialise and start a private server under ``base_dir``; raise MariaDBUnavailable."""
    mariadbd = find_binary("mariadbd") or find_binary("mysqld")
    if mariadbd is None:
        raise MariaDBUnavailable("mariadbd not found (apt-get install mariadb-server)")
    datadir, sock = base_dir / "data", base_dir / "mysqld.sock"
    install_datadir(datadir)
    port = free_port()
    command = server_command(mariadbd, datadir, port, sock, buffer_pool_mb)
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    server = MariaDBServer(
        host="127.0.0.1",
        port=port,
        user=TEST_USER,
        password=TEST_PASSWORD,
        socket_path=sock,
        datadir=datadir,
        process=process,
        log_path=datadir / "error.log",
    )
    try:
        _wait_until_ready(server, START_TIMEOUT)
        _create_users(server)
    except BaseException:
        server.stop()
        raise
    return server


def _wait_until_ready(server: MariaDBServer, timeout: float) -> None:
    """Poll the socket until root can log in; fail at the deadline or if mariadbd exits."""
    deadline = time.monotonic() + timeout
    last_error: Exception | None = None
    while time.monotonic() < deadline:
        if server.process is not None and server.process.poll() is not None:
            raise RuntimeError(f"mariadbd exited at start:\n{server.log_tail()}")
        try:
            pymysql.connect(unix_socket=str(server.socket_path), user="root").close()
            return
        except pymysql.err.Error as error:
            last_error = error
        time.sleep(0.1)
    raise TimeoutError(f"mariadbd not ready after {timeout}s: {last_error}\n{server.log_tail()}")


def _create_users(server: MariaDBServer) -> None:
    conn = pymysql.connect(unix_socket=str(server.socket_path), user="root", autocommit=True)
    try:
        with conn.cursor() as cur:
            cur.execute(f"CREATE USER '{TEST_USER}'@'%' IDENTIFIED BY '{TEST_PASSWORD}'")
            cur.execute(f"GRANT ALL PRIVILEGES ON *.* TO '{TEST_USER}'@'%' WITH GRANT OPTION")
            cur.execute(f"ALTER USER 'root'@'localhost' IDENTIFIED BY '{ROOT_PASSWORD}'")
            cur.execute("FLUSH PRIVILEGES")
    finally:
        conn.close()
