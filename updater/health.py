"""What the running app tells the launcher: "I am healthy", where its data lives, and the
bug reports the launcher queued for it to send."""

from __future__ import annotations

import json
import logging
import os
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from updater.layout import Layout, atomic_write_json
from updater.state import DataSources, edit_state

logger = logging.getLogger(__name__)

ROOT_ENV = "MOSTRADOR_INSTALL_ROOT"  # set by the launcher for the app it starts
VERSION_ENV = "MOSTRADOR_APP_VERSION"


@dataclass(frozen=True)
class Managed:
    """This process was started by the launcher of an install root."""

    layout: Layout
    version: str


def managed_install() -> Managed | None:
    root = os.environ.get(ROOT_ENV)
    version = os.environ.get(VERSION_ENV)
    if not root or not version:
        return None
    return Managed(Layout(Path(root)), version)


def mark_healthy(layout: Layout, version: str) -> bool:
    """The version started well (window, store and sync up); returns True if it was on trial."""
    with edit_state(layout) as edit:
        trial = edit.state.trial
        if trial is None or trial.version != version:
            return False
        edit.state = replace(edit.state, trial=None)
    logger.info("Version %s reported healthy", version)
    return True


def register_data(layout: Layout, databases: list[Path], files: list[Path]) -> None:
    """Name the till store(s) and settings files to snapshot before the next update."""
    sources = DataSources(
        tuple(str(p.resolve()) for p in databases), tuple(str(p.resolve()) for p in files)
    )
    with edit_state(layout) as edit:
        edit.state = replace(edit.state, data=sources)


def queue_report(layout: Layout, kind: str, details: dict[str, Any]) -> Path:
    """A report for the app to hand to its bug reporter at its next healthy start."""
    layout.reports.mkdir(parents=True, exist_ok=True)
    path = layout.reports / f"{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}-{kind}.json"
    atomic_write_json(path, {"kind": kind, "created": time.time(), **details})
    return path


def take_reports(layout: Layout) -> list[dict[str, Any]]:
    """The queued reports, removed from the queue (the caller queues them in its outbox)."""
    reports: list[dict[str, Any]] = []
    if not layout.reports.is_dir():
        return reports
    for path in sorted(layout.reports.glob("*.json")):
        try:
            reports.append(json.loads(path.read_text("utf-8")))
        except (OSError, ValueError):
            logger.warning("Unreadable launcher report %s", path)
        path.unlink(missing_ok=True)
    return reports
