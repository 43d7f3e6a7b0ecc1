"""The install root's folders and files, atomic writes and cross-process file locks."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

RELEASE_FILE = "mostrador-release.json"  # inside every package: {"version": ..., "entry": ...}
COMPLETE_FILE = ".mostrador-complete.json"  # written last into a staged version folder
STAGING_PREFIX = ".staging-"
TRASH_PREFIX = ".trash-"


class LockedError(OSError):
    """A lock (a running version, the state file) is held by another process."""


@dataclass(frozen=True)
class Layout:
    root: Path

    @property
    def versions(self) -> Path:
        return self.root / "versions"

    @property
    def state_file(self) -> Path:
        return self.root / "state.json"

    @property
    def snapshots(self) -> Path:
        return self.root / "snapshots"

    @property
    def downloads(self) -> Path:
        return self.root / "downloads"

    @property
    def metadata(self) -> Path:
        return self.root / "metadata"

    @property
    def reports(self) -> Path:
        return self.root / "reports"

    @property
    def locks(self) -> Path:
        return self.root / "locks"

    def version_dir(self, version: str) -> Path:
        check_version_name(version)
        return self.versions / version

    def ensure(self) -> None:
        for folder in (self.versions, self.snapshots, self.downloads, self.reports, self.locks):
            folder.mkdir(parents=True, exist_ok=True)

    def cleanup_leftovers(self) -> list[str]:
        """Remove half-staged and trashed folders left by an interrupted apply."""
        removed = []
        if self.versions.is_dir():
            for entry in self.versions.iterdir():
                if entry.name.startswith((STAGING_PREFIX, TRASH_PREFIX)):
                    shutil.rmtree(entry, ignore_errors=True)
                    removed.append(entry.name)
        return removed


def check_version_name(version: str) -> str:
    """A version names a folder: letters, digits, dots, dashes, plus and underscores only."""
    allowed = set("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-+_")
    if not version or len(version) > 64 or not set(version) <= allowed or version[0] == ".":
        raise ValueError(f"invalid version name {version!r}")
    return version


def fsync_dir(folder: Path) -> None:
    if sys.platform == "win32":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write to a temporary file, fsync it, then ``os.replace`` it over ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)
    fsync_dir(path.parent)


def atomic_write_json(path: Path, data: Any) -> None:
    text = json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    atomic_write_bytes(path, text.encode("utf-8"))


def _try_lock(handle: IO[bytes]) -> bool:
    if sys.platform == "win32":
        import msvcrt

        try:
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


@contextlib.contextmanager
def file_lock(path: Path, wait_s: float = 10.0) -> Iterator[None]:
    """An exclusive lock on ``path`` held by this open file; :class:`LockedError` after
    ``wait_s`` seconds (0: do not wait)."""
    import time

    path.parent.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + wait_s
    with open(path, "a+b") as handle:
        while not _try_lock(handle):
            if time.monotonic() >= deadline:
                raise LockedError(f"{path} is locked by another process")
            time.sleep(0.05)
        yield


def version_lock_path(layout: Layout, version: str) -> Path:
    return layout.locks / f"{check_version_name(version)}.lock"


def state_lock_path(layout: Layout) -> Path:
    return layout.locks / "state.lock"
