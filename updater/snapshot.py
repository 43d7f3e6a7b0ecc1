"""Snapshots of the shop's local data before a new version's first start.

SQLite files are copied with the online backup API (a consistent copy even in WAL mode and while
another connection writes); plain files (settings) are copied byte for byte. A manifest records
where each item came from and its SHA-256.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from updater.layout import Layout, atomic_write_json, fsync_dir
from updater.state import DataSources

logger = logging.getLogger(__name__)

MANIFEST = "snapshot.json"


@dataclass(frozen=True)
class SnapshotItem:
    kind: str  # "sqlite" or "file"
    source: str
    name: str
    sha256: str


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


def backup_sqlite(source: Path, destination: Path) -> None:
    """Copy a live SQLite database with the backup API into a fresh file."""
    tmp = destination.with_name(destination.name + ".tmp")
    tmp.unlink(missing_ok=True)
    src = sqlite3.connect(source, timeout=30)
    try:
        dst = sqlite3.connect(tmp)
        try:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode=DELETE")
        finally:
            dst.close()
    finally:
        src.close()
    os.replace(tmp, destination)


def take_snapshot(layout: Layout, sources: DataSources, label: str) -> str:
    """Snapshot ``sources`` into ``snapshots/<time>-<label>/``; returns the folder name.

    The folder is written under a temporary name and renamed last, so a half-written snapshot
    is never mistaken for a whole one."""
    name = f"{time.strftime('%Y%m%d-%H%M%S')}-{label}"
    final = layout.snapshots / name
    work = layout.snapshots / f".partial-{name}"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    items = [_snap(Path(p), "sqlite", work, i) for i, p in enumerate(sources.databases)]
    items += [_snap(Path(p), "file", work, i) for i, p in enumerate(sources.files)]
    present = [item for item in items if item is not None]
    atomic_write_json(work / MANIFEST, {"label": label, "items": [vars(i) for i in present]})
    if final.exists():
        shutil.rmtree(final)
    os.replace(work, final)
    fsync_dir(layout.snapshots)
    logger.info("Snapshot %s: %d items", name, len(present))
    return name


def _snap(source: Path, kind: str, work: Path, index: int) -> SnapshotItem | None:
    if not source.exists():
        return None
    name = f"{kind}-{index}-{source.name}"
    if kind == "sqlite":
        backup_sqlite(source, work / name)
    else:
        shutil.copy2(source, work / name)
    return SnapshotItem(kind, str(source), name, file_sha256(work / name))


def load_items(layout: Layout, name: str) -> list[SnapshotItem]:
    import json

    data: dict[str, Any] = json.loads((layout.snapshots / name / MANIFEST).read_text("utf-8"))
    return [SnapshotItem(**item) for item in data["items"]]


def sqlite_ok(path: Path) -> bool:
    """True when the database opens and passes ``PRAGMA quick_check``."""
    try:
        connection = sqlite3.connect(path, timeout=30)
        try:
            row = connection.execute("PRAGMA quick_check").fetchone()
        finally:
            connection.close()
    except sqlite3.Error:
        return False
    return row is not None and row[0] == "ok"


def restore_after_rollback(layout: Layout, name: str) -> list[str]:
    """Put the snapshot's settings files back; keep the live databases (the migrations are
    expand-only, so the previous version reads them, and every sale recorded since stays),
    unless one is damaged: then it is moved aside and the snapshot copy put back.

    Returns what was restored, for the log and the bug report."""
    restored = []
    for item in load_items(layout, name):
        source = Path(item.source)
        copy = layout.snapshots / name / item.name
        if item.kind == "file":
            shutil.copy2(copy, source)
            restored.append(str(source))
        elif not source.exists() or not sqlite_ok(source):
            if source.exists():
                os.replace(source, source.with_name(source.name + f".broken-{int(time.time())}"))
            for suffix in ("-wal", "-shm"):
                Path(str(source) + suffix).unlink(missing_ok=True)
            backup_sqlite(copy, source)
            restored.append(str(source))
    return restored


def prune(layout: Layout, keep: int = 5) -> None:
    """Keep the newest ``keep`` snapshots."""
    names = sorted(p.name for p in layout.snapshots.iterdir() if not p.name.startswith("."))
    for old in names[:-keep] if keep else names:
        shutil.rmtree(layout.snapshots / old, ignore_errors=True)
