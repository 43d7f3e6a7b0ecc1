"""A real release folder signed with ``updater.publish``, served over HTTP on 127.0.0.1, and
fake app builds that the real launcher starts."""

from __future__ import annotations

import contextlib
import os
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from updater.client import UpdateSource
from updater.layout import Layout
from updater.package import make_package
from updater.publish import Expiry, publish

REPO_ROOT = Path(__file__).resolve().parents[2]

# The fake app: logs its start, then behaves as ``behaviour.txt`` beside it says.
FAKE_APP = """\
import os, sys
from pathlib import Path
sys.path.insert(0, {repo!r})
from updater.health import managed_install, mark_healthy
here = Path(__file__).parent
behaviour = (here / "behaviour.txt").read_text().strip()
managed = managed_install()
with open(managed.layout.root / "started.log", "a") as log:
    log.write(managed.version + " " + behaviour + "\\n")
if behaviour == "crash":
    sys.exit(1)
if behaviour == "quit":  # closed before it got healthy
    sys.exit(0)
mark_healthy(managed.layout, managed.version)
"""


def build_app(folder: Path, version: str, behaviour: str = "healthy") -> Path:
    """A one-folder 'build' of ``version``; returns the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "app.py").write_text(FAKE_APP.format(repo=str(REPO_ROOT)))
    (folder / "behaviour.txt").write_text(behaviour)
    (folder / "lib").mkdir(exist_ok=True)
    (folder / "lib" / "data.bin").write_bytes(os.urandom(300_000) + version.encode())
    return folder


def package_app(tmp: Path, version: str, behaviour: str = "healthy") -> Path:
    bundle = build_app(tmp / f"build-{version}-{behaviour}", version, behaviour)
    return make_package(bundle, version, "app.py", tmp / f"pkg-{version}-{behaviour}.zip")


class RangeHandler(SimpleHTTPRequestHandler):
    """Static files with ``Range: bytes=N-`` support; records the requests it saw."""

    requests_seen: list[tuple[str, str]]

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass

    def do_GET(self) -> None:
        self.requests_seen.append((self.path, self.headers.get("Range", "")))
        spec = self.headers.get("Range", "")
        path = Path(self.translate_path(self.path))
        if not spec.startswith("bytes=") or not path.is_file():
            super().do_GET()
            return
        data = path.read_bytes()
        start = int(spec[6:].split("-")[0])
        if start >= len(data):
            self.send_response(416)
            self.end_headers()
            return
        self.send_response(206)
        self.send_header("Content-Length", str(len(data) - start))
        self.send_header("Content-Range", f"bytes {start}-{len(data) - 1}/{len(data)}")
        self.end_headers()
        self.wfile.write(data[start:])


@dataclass
class ReleaseServer:
    repo: Path
    keys: Path
    url: str
    tmp: Path
    requests: list[tuple[str, str]] = field(default_factory=list)

    @property
    def source(self) -> UpdateSource:
        return UpdateSource(self.url, (self.repo / "metadata" / "root.json").read_bytes())

    def publish(self, version: str, behaviour: str = "healthy", **kwargs: Any) -> Path:
        package = package_app(self.tmp, version, behaviour)
        expiry = kwargs.pop("expiry", Expiry())
        publish(self.repo, self.keys, package, version, expiry=expiry, **kwargs)
        return package

    def package_file(self, version: str) -> Path:
        (path,) = (self.repo / "targets").glob(f"*.mostrador-{version}.zip")
        return path


@pytest.fixture
def release_server(tmp_path: Path) -> Iterator[ReleaseServer]:
    with serve_release(tmp_path) as server:
        yield server


@contextlib.contextmanager
def serve_release(tmp_path: Path) -> Iterator[ReleaseServer]:
    """An empty signed release folder (keys and root made) served on 127.0.0.1."""
    repo = tmp_path / "release"
    keys = tmp_path / "keys"
    requests: list[tuple[str, str]] = []
    handler = type(
        "Handler", (RangeHandler,), {"requests_seen": requests}
    )  # one request log per test

    def make(*args: Any) -> RangeHandler:
        return handler(*args, directory=str(repo))

    repo.mkdir()
    server = ThreadingHTTPServer(("127.0.0.1", 0), make)
    server.handle_error = lambda *args: None  # type: ignore[method-assign]  # client hung up
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    publish(repo, keys)  # the empty repository: keys and root
    try:
        yield ReleaseServer(repo, keys, url, tmp_path, requests)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def install_root(tmp: Path, version: str = "0.1.0", behaviour: str = "healthy") -> Layout:
    """An install root as the installer leaves it: one version folder, no state yet."""
    from updater.apply import adopt_installed
    from updater.state import load_state, save_state

    layout = Layout(tmp / "install")
    layout.ensure()
    bundle = build_app(layout.version_dir(version), version, behaviour)
    (bundle / "mostrador-release.json").write_text(f'{{"version": "{version}", "entry": "app.py"}}')
    save_state(layout, adopt_installed(layout, load_state(layout)))
    return layout


def started(layout: Layout) -> list[str]:
    log = layout.root / "started.log"
    return log.read_text().split("\n")[:-1] if log.exists() else []


@pytest.fixture
def python_env() -> dict[str, str]:
    """The environment for updater subprocesses: this checkout importable."""
    return dict(os.environ, PYTHONPATH=str(REPO_ROOT), PYTHONUNBUFFERED="1")


PYTHON = sys.executable
