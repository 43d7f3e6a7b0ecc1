"""The signed release metadata, checked with python-tuf's client (``tuf.ngclient``).

The release folder (see :mod:`updater.publish`) holds ``metadata/`` (root, timestamp, snapshot,
targets, consistent snapshots) and ``targets/``. Trust starts, at every check, from the root
pinned in the build (``updater/trusted_root.json``, see :mod:`updater.pin`), never from what a
server or the cache says first: newer roots are accepted only when signed by the keys of the one
before (python-tuf's root rotation, cached in ``<root>/metadata/root_history``). A build without
a pinned root has updates switched off. Every refresh checks signatures against the keys the
root names, version numbers (an older timestamp, snapshot or targets than the cached one is a
rollback attack) and expiry (a frozen mirror serving stale metadata is refused). On any failure
the cached copy is kept as it was and no package is offered.

The signed target ``releases.json`` lists the releases in publishing order with their notes,
critical flag and rollback flag; each package is a signed target of its own.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from packaging.version import Version
from tuf.api._payload import Root
from tuf.api.exceptions import DownloadError as TufDownloadError
from tuf.api.exceptions import RepositoryError
from tuf.api.metadata import Metadata
from tuf.ngclient.config import UpdaterConfig
from tuf.ngclient.updater import Updater

from updater.download import DownloadError, Expected, Progress, download
from updater.versions import newer

logger = logging.getLogger(__name__)

INDEX_TARGET = "releases.json"
PINNED_ROOT = Path(__file__).with_name("trusted_root.json")  # bundled by build_windows.spec
BUILD_URL = Path(__file__).with_name("release_url.txt")  # optional default release folder
MAX_PACKAGE_BYTES = 1024**3


class MetadataError(Exception):
    """The signed release metadata was refused (signature, version, expiry) or unreachable."""


@dataclass(frozen=True)
class Release:
    version: str
    target: str  # target path in the release folder, e.g. "mostrador-0.2.0.zip"
    length: int  # from the signed targets metadata
    sha256: str
    url: str
    critical: bool = False
    notes: str = ""
    rollback: bool = False  # a signed entry allowing a downgrade to this version


@dataclass(frozen=True)
class RootInfo:
    version: int
    expires: str  # ISO date
    keys: int
    threshold: int  # signatures the root role needs


def pinned_root() -> bytes | None:
    """The root metadata built into this installation, or None (updates off)."""
    try:
        return PINNED_ROOT.read_bytes()
    except FileNotFoundError:
        return None


def root_summary(data: bytes) -> RootInfo:
    """Check that ``data`` is TUF root metadata signed by its own root keys and not expired;
    raises :class:`MetadataError` otherwise."""
    try:
        metadata = Metadata[Root].from_bytes(data)
        if not isinstance(metadata.signed, Root):
            raise ValueError(f"a {metadata.signed.type} metadata, not a root")
        metadata.verify_delegate(Root.type, metadata)
    except (RepositoryError, ValueError, KeyError, TypeError) as exc:
        raise MetadataError(f"not a valid signed root: {exc}") from exc
    root = metadata.signed
    if root.is_expired():
        raise MetadataError(f"the root expired on {root.expires:%Y-%m-%d}")
    role = root.get_delegated_role(Root.type)
    return RootInfo(root.version, f"{root.expires:%Y-%m-%d}", len(root.keys), role.threshold)


def build_release_url() -> str:
    """The release folder this build looks at by default ("" when the build names none)."""
    try:
        return BUILD_URL.read_text("utf-8").strip()
    except FileNotFoundError:
        return ""


def _slash(url: str) -> str:
    return url if url.endswith("/") else url + "/"


class ReleaseClient:
    """One refresh of the signed metadata, then the releases it lists."""

    def __init__(self, metadata_dir: Path, base_url: str, trusted_root: bytes) -> None:
        metadata_dir.mkdir(parents=True, exist_ok=True)
        self.metadata_dir = metadata_dir
        self.targets_url = _slash(base_url) + "targets/"
        config = UpdaterConfig(app_user_agent="Mostrador-updater")
        try:
            self._tuf = Updater(
                str(metadata_dir),
                _slash(base_url) + "metadata/",
                str(metadata_dir / "index"),
                self.targets_url,
                config=config,
                bootstrap=trusted_root,  # the pinned root, never the cache's word alone
            )
        except (RepositoryError, ValueError, OSError) as exc:
            raise MetadataError(f"the pinned root is not usable: {exc}") from exc

    def releases(self) -> list[Release]:
        """Refresh the metadata and read the signed release list (oldest first)."""
        try:
            self._tuf.refresh()
            info = self._tuf.get_targetinfo(INDEX_TARGET)
            if info is None:
                return []
            path = self._tuf.download_target(info)
            index = json.loads(Path(path).read_text(encoding="utf-8"))
            return [r for e in index.get("releases", ()) if (r := self._release(e)) is not None]
        except (RepositoryError, TufDownloadError, OSError, ValueError) as exc:
            raise MetadataError(str(exc)) from exc

    def _release(self, entry: dict[str, Any]) -> Release | None:
        info = self._tuf.get_targetinfo(str(entry.get("target", "")))
        if info is None or "sha256" not in info.hashes:
            logger.warning("Release %s has no signed package; ignored", entry.get("version"))
            return None
        return Release(
            version=str(entry["version"]),
            target=info.path,
            length=info.length,
            sha256=info.hashes["sha256"],
            url=self.targets_url + info.get_prefixed_paths()[0],
            critical=bool(entry.get("critical", False)),
            notes=str(entry.get("notes", "")),
            rollback=bool(entry.get("rollback", False)),
        )


def pick_offer(
    releases: list[Release], current: str | None, skipped: tuple[str, ...] = ()
) -> Release | None:
    """The release to offer: the newest one newer than ``current``; a signed rollback entry
    published last replaces it (a downgrade the publisher asked for). Skipped versions are not
    offered unless critical."""
    if not releases:
        return None
    last = releases[-1]
    if last.rollback and last.version != current:
        return last
    candidates = [r for r in releases if newer(r.version, current) and not r.rollback]
    candidates = [r for r in candidates if r.critical or r.version not in skipped]
    if not candidates:
        return None
    return max(candidates, key=lambda r: Version(r.version))


def fetch_package(
    release: Release,
    downloads: Path,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> Path:
    """Download (resuming) and verify the package against its signed length and hash."""
    if release.length > MAX_PACKAGE_BYTES:
        raise DownloadError(f"{release.target}: {release.length} bytes is too large")
    name = f"{release.sha256[:16]}.{Path(release.target).name}"
    expected = Expected(release.url, release.length, release.sha256)
    return download(expected, downloads / name, progress, cancelled)
