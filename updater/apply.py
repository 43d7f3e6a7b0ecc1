"""Installing a verified package side by side, switching to it, and going back.

Staging: the package is unpacked into ``versions/.staging-<v>-<pid>``, every file hashed, and
``.mostrador-complete.json`` written last; only then is the folder renamed to ``versions/<v>``
and the state's ``pending`` set. A crash at any point leaves the current version untouched and
at most a staging folder that the launcher deletes. Nothing in use is ever overwritten: an
existing folder of the same version is moved aside only when no running process holds its lock.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import sys
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from updater import archive
from updater.layout import (
    COMPLETE_FILE,
    RELEASE_FILE,
    STAGING_PREFIX,
    TRASH_PREFIX,
    Layout,
    LockedError,
    atomic_write_json,
    file_lock,
    fsync_dir,
    version_lock_path,
)
from updater.snapshot import file_sha256, restore_after_rollback, take_snapshot
from updater.state import InstallState, Trial, edit_state, load_state
from updater.versions import newer

if TYPE_CHECKING:  # the launcher imports this module: no TUF, no cryptography at run time
    from updater.verify import Release

logger = logging.getLogger(__name__)

STEP_ENV = "MOSTRADOR_UPDATER_STEP_PAUSE"


class ApplyError(Exception):
    """The update could not be installed; the current version is untouched."""


def step(name: str) -> None:
    """A named point of the update. With ``MOSTRADOR_UPDATER_STEP_PAUSE`` set (tests), print it
    and wait for a line on stdin, so that a test can kill the process exactly there."""
    if os.environ.get(STEP_ENV):
        print(f"STEP {name}", flush=True)
        sys.stdin.readline()


def read_complete(folder: Path) -> dict[str, Any] | None:
    try:
        data: dict[str, Any] = json.loads((folder / COMPLETE_FILE).read_text("utf-8"))
    except (OSError, ValueError):
        return None
    return data if data.get("version") == folder.name else None


def verify_folder(folder: Path) -> bool:
    """True when every file listed as complete is there with its hash, and nothing else."""
    data = read_complete(folder)
    if data is None:
        return False
    files: dict[str, str] = data["files"]
    present = {
        p.relative_to(folder).as_posix()
        for p in folder.rglob("*")
        if p.is_file() and p.name != COMPLETE_FILE
    }
    if present != set(files):
        return False
    return all(file_sha256(folder / name) == digest for name, digest in files.items())


def mark_complete(folder: Path, version: str, entry: str) -> None:
    files = {
        p.relative_to(folder).as_posix(): file_sha256(p)
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }
    atomic_write_json(folder / COMPLETE_FILE, {"version": version, "entry": entry, "files": files})


def stage_update(layout: Layout, package: Path, release: Release | None = None) -> str:
    """Unpack a verified package as a new version and mark it pending; returns the version.

    The version is the one written inside the package; it must be newer than the current one,
    unless ``release`` is a signed rollback entry for exactly that version."""
    layout.ensure()
    try:
        manifest = archive.read_manifest(package)
        _check_version(layout, manifest.version, release)
    except (archive.UnsafeArchive, ApplyError):
        package.unlink(missing_ok=True)
        raise
    step("verified")
    staging = layout.versions / f"{STAGING_PREFIX}{manifest.version}-{os.getpid()}"
    try:
        archive.extract(package, staging)
        step("extracted")
        mark_complete(staging, manifest.version, manifest.entry)
        fsync_dir(staging)
        step("complete")
        _install_folder(layout, staging, manifest.version)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    step("installed")
    with edit_state(layout) as edit:
        edit.state = replace(edit.state, pending=manifest.version)
    step("pending")
    package.unlink(missing_ok=True)
    logger.info("Version %s staged; it starts at the next launch", manifest.version)
    return manifest.version


def _check_version(layout: Layout, version: str, release: Release | None) -> None:
    if release is not None and release.version != version:
        raise ApplyError(f"the package holds {version}, the signed release says {release.version}")
    current = load_state(layout).current
    if version == current:
        raise ApplyError(f"version {version} is already the current one")
    downgrade_signed = release is not None and release.rollback
    if not newer(version, current) and not downgrade_signed:
        raise ApplyError(f"version {version} is not newer than {current}")


def _install_folder(layout: Layout, staging: Path, version: str) -> None:
    target = layout.version_dir(version)
    if target.exists():
        if load_state(layout).current == version:
            raise ApplyError(f"version {version} is running")
        _move_aside(layout, target, version)
    try:
        os.replace(staging, target)
    except OSError as exc:
        raise ApplyError(f"could not install {version}: {exc}") from exc
    fsync_dir(layout.versions)


def _move_aside(layout: Layout, target: Path, version: str) -> None:
    """Move an earlier (partial or other) folder of this version away, if nothing uses it."""
    trash = layout.versions / f"{TRASH_PREFIX}{version}-{os.getpid()}"
    try:
        with file_lock(version_lock_path(layout, version), wait_s=0):
            os.replace(target, trash)
    except LockedError as exc:
        raise ApplyError(f"version {version} is in use; close it and try again") from exc
    except OSError as exc:  # Windows: a file inside is open
        raise ApplyError(f"version {version} is in use: {exc}") from exc
    shutil.rmtree(trash, ignore_errors=True)


def adopt_installed(layout: Layout, state: InstallState) -> InstallState:
    """Folders the installer copied (a release file, no completion mark): the first install
    becomes current; a newer one over an existing install becomes pending, so that it gets
    the same snapshot and health trial as an update."""
    if not layout.versions.is_dir():
        return state
    for folder in sorted(layout.versions.iterdir(), key=lambda p: p.name):
        release = folder / RELEASE_FILE
        if folder.name.startswith(".") or not release.exists() or read_complete(folder):
            continue
        mark_complete(folder, folder.name, json.loads(release.read_text("utf-8"))["entry"])
        if state.current is None:
            state = replace(state, current=folder.name)
        elif newer(folder.name, state.current) and newer(folder.name, state.pending):
            state = replace(state, pending=folder.name)
    if state.current is None:  # no fresh folder: the highest complete one
        complete = [p.name for p in layout.versions.iterdir() if read_complete(p)]
        if complete:
            state = replace(state, current=_latest(complete))
    return state


def _latest(versions: list[str]) -> str:
    best = versions[0]
    for version in versions[1:]:
        if newer(version, best):
            best = version
    return best


def switch_to_pending(layout: Layout, state: InstallState) -> InstallState:
    """Before the pending version's first start: snapshot the data, then flip the state."""
    version = state.pending
    if version is None:
        return state
    if read_complete(layout.version_dir(version)) is None:
        logger.warning("Pending version %s is not complete; dropped", version)
        return replace(state, pending=None)
    name = take_snapshot(layout, state.data, f"{state.current}-to-{version}")
    step("snapshot")
    return replace(
        state,
        current=version,
        previous=state.current,
        pending=None,
        trial=Trial(version),
        snapshot=name,
        rollback_requested=False,
    )


def roll_back(layout: Layout, state: InstallState) -> InstallState:
    """Go back to the previous version: its folder as it was, the settings of the snapshot,
    the live till store (with every sale recorded since)."""
    target = state.previous
    if target is None or read_complete(layout.version_dir(target)) is None:
        raise ApplyError("there is no previous version to go back to")
    if state.snapshot:
        restore_after_rollback(layout, state.snapshot)
    step("restored")
    bad = state.current or ""
    logger.warning("Rolled back from %s to %s", bad, target)
    return replace(
        state,
        current=target,
        previous=None,
        pending=None,
        trial=None,
        snapshot="",
        rollback_requested=False,
        rolled_back=(*state.rolled_back, bad) if bad else state.rolled_back,
    )


def request_rollback(layout: Layout) -> None:
    """ "Restore previous version": the launcher does it once the app has quit."""
    with edit_state(layout) as edit:
        if edit.state.previous is None:
            raise ApplyError("there is no previous version to go back to")
        edit.state = replace(edit.state, rollback_requested=True)
