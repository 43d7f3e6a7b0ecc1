"""The state file: which version is current, which one came before, what waits to start.

Every change is a read-modify-write under the state lock, saved atomically (tmp + fsync +
``os.replace``): a crash leaves either the old or the new state, never a mix.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from updater.layout import Layout, atomic_write_json, file_lock, state_lock_path

STATE_FORMAT = 1


@dataclass(frozen=True)
class Trial:
    """A version started after an update that has not yet reported healthy."""

    version: str
    attempts: int = 0
    exit_codes: tuple[int, ...] = ()


@dataclass(frozen=True)
class DataSources:
    """What to snapshot before a new version's first start, registered by the app."""

    databases: tuple[str, ...] = ()  # SQLite files (copied with the online backup API)
    files: tuple[str, ...] = ()  # plain files (settings JSON)


@dataclass(frozen=True)
class InstallState:
    current: str | None = None
    previous: str | None = None
    pending: str | None = None  # staged and complete, starts at the next launch
    trial: Trial | None = None
    skipped: tuple[str, ...] = ()  # "Skip this version"
    rolled_back: tuple[str, ...] = ()  # versions that failed their health check
    snapshot: str = ""  # folder under snapshots/ taken when previous was replaced by current
    rollback_requested: bool = False  # "Restore previous version": done by the launcher
    data: DataSources = field(default_factory=DataSources)

    @property
    def healthy(self) -> bool:
        return self.trial is None or self.trial.version != self.current

    def to_json(self) -> dict[str, Any]:
        return {"format": STATE_FORMAT, **asdict(self)}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> InstallState:
        trial = data.get("trial")
        sources = data.get("data") or {}
        return cls(
            current=data.get("current"),
            previous=data.get("previous"),
            pending=data.get("pending"),
            trial=Trial(
                trial["version"],
                int(trial.get("attempts", 0)),
                tuple(trial.get("exit_codes", ())),
            )
            if trial
            else None,
            skipped=tuple(data.get("skipped", ())),
            rolled_back=tuple(data.get("rolled_back", ())),
            snapshot=str(data.get("snapshot", "")),
            rollback_requested=bool(data.get("rollback_requested", False)),
            data=DataSources(tuple(sources.get("databases", ())), tuple(sources.get("files", ()))),
        )


def load_state(layout: Layout) -> InstallState:
    try:
        raw = layout.state_file.read_text(encoding="utf-8")
    except FileNotFoundError:
        return InstallState()
    return InstallState.from_json(json.loads(raw))


def save_state(layout: Layout, state: InstallState) -> None:
    atomic_write_json(layout.state_file, state.to_json())


@contextlib.contextmanager
def state_lock(layout: Layout) -> Iterator[None]:
    with file_lock(state_lock_path(layout)):
        yield


class StateEdit:
    """``with edit_state(layout) as edit: edit.state = replace(edit.state, ...)``."""

    def __init__(self, state: InstallState) -> None:
        self.state = state


@contextlib.contextmanager
def edit_state(layout: Layout) -> Iterator[StateEdit]:
    """Read, change and save the state under the lock; nothing is saved if the body raises."""
    with state_lock(layout):
        before = load_state(layout)
        edit = StateEdit(before)
        yield edit
        if edit.state != before:
            save_state(layout, edit.state)


def skip_version(layout: Layout, version: str) -> None:
    with edit_state(layout) as edit:
        if version not in edit.state.skipped:
            edit.state = replace(edit.state, skipped=(*edit.state.skipped, version))
