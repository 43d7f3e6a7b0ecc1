"""Reports waiting on disk until the server has them.

Each report is two files in the outbox folder (``<id>.body``: the exact bytes to send, then
``<id>.json``: what the sender needs to know), both written atomically, the description last:
a report whose description exists is complete. A report leaves the folder only when the
server answered 2xx (:meth:`ReportOutbox.remove`); one the server refuses for good goes to
``set-aside/``. At most ``max_reports`` are kept, none older than ``max_age`` (the oldest
normal ones go first). ``state.json`` remembers what the server said (stop sending automatic
reports from a version) and which crashes were already reported, across restarts.
"""

from __future__ import annotations

import json
import logging
import os
import re
import tempfile
import threading
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from app import paths
from app.bugreport.report import Kind, Priority, Report

logger = logging.getLogger(__name__)

MAX_REPORTS = 50
MAX_AGE = timedelta(days=30)
CRASH_MEMORY = timedelta(days=1)
_ID = re.compile(r"^[0-9a-f]{32}$")


def default_outbox_dir() -> Path:
    return paths.data_dir() / "bug-reports"


@dataclass(frozen=True)
class QueuedReport:
    report_id: str
    created_at: datetime
    priority: Priority
    kind: Kind
    automatic: bool
    app_version: str
    content_type: str
    attempts: int = 0
    next_attempt_at: datetime | None = None
    last_error: str = ""

    def sort_key(self) -> tuple[int, datetime]:
        return (0 if self.priority is Priority.URGENT else 1, self.created_at)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["created_at"] = self.created_at.isoformat()
        data["next_attempt_at"] = self.next_attempt_at.isoformat() if self.next_attempt_at else None
        data["priority"], data["kind"] = self.priority.value, self.kind.value
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> QueuedReport:
        next_at = data.get("next_attempt_at")
        return cls(
            report_id=str(data["report_id"]),
            created_at=datetime.fromisoformat(data["created_at"]),
            priority=Priority(data["priority"]),
            kind=Kind(data["kind"]),
            automatic=bool(data.get("automatic", False)),
            app_version=str(data["app_version"]),
            content_type=str(data["content_type"]),
            attempts=int(data.get("attempts", 0)),
            next_attempt_at=datetime.fromisoformat(next_at) if next_at else None,
            last_error=str(data.get("last_error", "")),
        )


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that a crash leaves either the old or the new file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class ReportOutbox:
    """The queued reports of this user; safe to use from several threads of one process."""

    def __init__(
        self,
        root: Path | None = None,
        *,
        max_reports: int = MAX_REPORTS,
        max_age: timedelta = MAX_AGE,
    ) -> None:
        self.root = root or default_outbox_dir()
        self.max_reports = max_reports
        self.max_age = max_age
        self._lock = threading.RLock()

    # --------------------------------------------------------------------- reports

    def add(self, report: Report) -> QueuedReport:
        """Queue ``report`` (again: a no-op). Returns what the sender will see."""
        queued = QueuedReport(
            report_id=report.report_id,
            created_at=report.created_at,
            priority=report.priority,
            kind=report.kind,
            automatic=report.automatic,
            app_version=report.app_version,
            content_type=report.content_type,
        )
        with self._lock:
            existing = self.get(report.report_id)
            if existing is not None:
                return existing
            atomic_write_bytes(self._body_path(report.report_id), report.body)
            self._write_meta(queued)
        logger.info("bug report %s queued (%s)", report.report_id, report.priority.value)
        return queued

    def get(self, report_id: str) -> QueuedReport | None:
        path = self._meta_path(report_id)
        try:
            return QueuedReport.from_json(json.loads(path.read_text(encoding="utf-8")))
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError) as exc:
            logger.warning("bug report %s: unreadable description (%s)", report_id, exc)
            return None

    def pending(self) -> list[QueuedReport]:
        """Every complete queued report, urgent first, then oldest first."""
        with self._lock:
            found = [self.get(path.stem) for path in self._meta_files()]
        complete = [q for q in found if q and self._body_path(q.report_id).exists()]
        return sorted(complete, key=QueuedReport.sort_key)

    def due(self, now: datetime) -> list[QueuedReport]:
        return [q for q in self.pending() if q.next_attempt_at is None or q.next_attempt_at <= now]

    def next_attempt_at(self) -> datetime | None:
        """When the earliest waiting report is due (None: nothing queued)."""
        times = [q.next_attempt_at or q.created_at for q in self.pending()]
        return min(times) if times else None

    def body(self, report_id: str) -> bytes:
        return self._body_path(report_id).read_bytes()

    def postpone(self, report_id: str, until: datetime, error: str) -> QueuedReport | None:
        with self._lock:
            queued = self.get(report_id)
            if queued is None:
                return None
            queued = replace(
                queued, attempts=queued.attempts + 1, next_attempt_at=until, last_error=error
            )
            self._write_meta(queued)
            return queued

    def remove(self, report_id: str) -> None:
        """The server has it: forget it."""
        with self._lock:
            self._meta_path(report_id).unlink(missing_ok=True)
            self._body_path(report_id).unlink(missing_ok=True)

    def set_aside(self, report_id: str, reason: str) -> None:
        """The server refused it for good: keep it, out of the queue, for a person to look at."""
        with self._lock:
            queued = self.get(report_id)
            target = self.root / "set-aside"
            target.mkdir(parents=True, exist_ok=True)
            if queued is not None:
                atomic_write_bytes(
                    target / f"{report_id}.json",
                    json.dumps({**queued.to_json(), "set_aside": reason}).encode("utf-8"),
                )
            body = self._body_path(report_id)
            if body.exists():
                os.replace(body, target / body.name)
            self._meta_path(report_id).unlink(missing_ok=True)
        logger.warning("bug report %s set aside: %s", report_id, reason)

    def set_aside_ids(self) -> list[str]:
        return sorted(p.stem for p in (self.root / "set-aside").glob("*.json"))

    def prune(self, now: datetime) -> int:
        """Drop reports older than ``max_age`` and beyond ``max_reports``; returns how many."""
        with self._lock:
            queued = self.pending()
            old = [q for q in queued if now - q.created_at > self.max_age]
            kept = [q for q in queued if q not in old]
            extra = len(kept) - self.max_reports
            by_value = sorted(kept, key=lambda q: (q.priority is Priority.URGENT, q.created_at))
            drop = old + (by_value[:extra] if extra > 0 else [])
            for q in drop:
                self.remove(q.report_id)
            self._drop_orphans(now)
        if drop:
            logger.warning("bug reports: %d old or extra reports dropped unsent", len(drop))
        return len(drop)

    def _drop_orphans(self, now: datetime) -> None:
        for body in self.root.glob("*.body"):
            age = now.timestamp() - body.stat().st_mtime
            if not self._meta_path(body.stem).exists() and age > 3600:
                body.unlink(missing_ok=True)

    # ----------------------------------------------------------------------- files

    def _meta_files(self) -> list[Path]:
        if not self.root.is_dir():
            return []
        return [p for p in self.root.glob("*.json") if _ID.match(p.stem)]

    def _meta_path(self, report_id: str) -> Path:
        return self.root / f"{_checked(report_id)}.json"

    def _body_path(self, report_id: str) -> Path:
        return self.root / f"{_checked(report_id)}.body"

    def _write_meta(self, queued: QueuedReport) -> None:
        data = json.dumps(queued.to_json(), indent=1).encode("utf-8")
        atomic_write_bytes(self._meta_path(queued.report_id), data)

    # ----------------------------------------------------------------------- state

    def _state(self) -> dict[str, Any]:
        try:
            data = json.loads((self.root / "state.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def _save_state(self, state: dict[str, Any]) -> None:
        atomic_write_bytes(self.root / "state.json", json.dumps(state, indent=1).encode("utf-8"))

    def stop_automatic(self, version: str) -> None:
        """The server asked this version to stop sending automatic reports."""
        with self._lock:
            state = self._state()
            versions = set(state.get("automatic_stopped", [])) | {version}
            self._save_state({**state, "automatic_stopped": sorted(versions)})
        logger.warning("bug reports: the server asked %s to stop automatic reports", version)

    def automatic_stopped(self, version: str) -> bool:
        return version in self._state().get("automatic_stopped", [])

    def recent_crashes(self, now: datetime) -> dict[str, datetime]:
        """Crashes reported within :data:`CRASH_MEMORY`, by signature (any session)."""
        recent = {}
        for signature, when in self._state().get("crashes", {}).items():
            try:
                moment = _aware(datetime.fromisoformat(when))
            except (TypeError, ValueError):
                continue
            if now - moment < CRASH_MEMORY:
                recent[signature] = moment
        return recent

    def remember_crash(self, signature: str, now: datetime) -> None:
        with self._lock:
            recent = {s: t.isoformat() for s, t in self.recent_crashes(now).items()}
            recent[signature] = now.isoformat()
            self._save_state({**self._state(), "crashes": recent})


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _checked(report_id: str) -> str:
    if not _ID.match(report_id):
        raise ValueError(f"not a report id: {report_id!r}")
    return report_id
