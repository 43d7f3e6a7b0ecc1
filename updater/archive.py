"""Safe extraction of a release package (a zip of the one-folder build).

Every entry is checked before anything is written: absolute paths, ``..``, drive letters,
backslashes, links and special files are refused, and the total unpacked size is capped.
"""

from __future__ import annotations

import json
import shutil
import stat
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from updater.layout import RELEASE_FILE, check_version_name

MAX_UNPACKED_BYTES = 2 * 1024**3
MAX_ENTRIES = 50_000


class UnsafeArchive(ValueError):
    """The package holds an entry that could write outside its folder, or is malformed."""


@dataclass(frozen=True)
class ReleaseManifest:
    version: str
    entry: str  # the program to start, relative to the version folder


def _check_name(name: str) -> PurePosixPath:
    if not name or "\\" in name or ":" in name or "\x00" in name:
        raise UnsafeArchive(f"unsafe entry name {name!r}")
    path = PurePosixPath(name)
    if path.is_absolute() or any(part in ("..", "") for part in path.parts[:-1]):
        raise UnsafeArchive(f"entry outside the folder: {name!r}")
    if ".." in path.parts or not path.parts:
        raise UnsafeArchive(f"entry outside the folder: {name!r}")
    return path


def _check_type(info: zipfile.ZipInfo) -> None:
    kind = stat.S_IFMT(info.external_attr >> 16)  # 0: no type recorded (a plain file)
    if kind not in (0, stat.S_IFREG, stat.S_IFDIR):
        raise UnsafeArchive(f"link or special file refused: {info.filename!r}")


def check_entries(archive: zipfile.ZipFile, max_bytes: int = MAX_UNPACKED_BYTES) -> None:
    infos = archive.infolist()
    if len(infos) > MAX_ENTRIES:
        raise UnsafeArchive("too many entries")
    total = 0
    seen: set[str] = set()
    for info in infos:
        path = _check_name(info.filename)
        _check_type(info)
        key = str(path).casefold()  # Windows: names differing only in case collide
        if key in seen:
            raise UnsafeArchive(f"duplicate entry {info.filename!r}")
        seen.add(key)
        total += info.file_size
        if total > max_bytes:
            raise UnsafeArchive("the package unpacks to more than allowed")


def read_manifest(package: Path) -> ReleaseManifest:
    """The version and entry point written inside the package."""
    try:
        with zipfile.ZipFile(package) as archive:
            check_entries(archive)
            data = json.loads(archive.read(RELEASE_FILE).decode("utf-8"))
    except (zipfile.BadZipFile, KeyError, ValueError, UnicodeDecodeError) as exc:
        if isinstance(exc, UnsafeArchive):
            raise
        raise UnsafeArchive(f"not a release package: {exc}") from exc
    version = check_version_name(str(data.get("version", "")))
    entry = str(data.get("entry", ""))
    _check_name(entry)
    return ReleaseManifest(version, entry)


def extract(
    package: Path, destination: Path, on_file: Callable[[str], None] | None = None
) -> list[str]:
    """Unpack into ``destination`` (which must not exist); returns the relative file names."""
    destination.mkdir(parents=True)
    root = destination.resolve()
    names = []
    with zipfile.ZipFile(package) as archive:
        check_entries(archive)
        for info in archive.infolist():
            target = (root / _check_name(info.filename)).resolve()
            if root not in target.parents:
                raise UnsafeArchive(f"entry outside the folder: {info.filename!r}")
            if info.is_dir():
                target.mkdir(parents=True, exist_ok=True)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            with archive.open(info) as source, open(target, "xb") as sink:
                shutil.copyfileobj(source, sink, 1024 * 1024)
            if (info.external_attr >> 16) & 0o111:
                target.chmod(0o755)
            names.append(info.filename)
            if on_file:
                on_file(info.filename)
    return names
