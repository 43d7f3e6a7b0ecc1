"""Reports wait on disk: urgent first, kept across restarts, bounded in number and age."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from app.bugreport.outbox import ReportOutbox
from app.bugreport.report import Priority, Report, UserInput, basic_context, build_report

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def _report(n: int, priority: Priority = Priority.NORMAL, at: datetime = T0) -> Report:
    user = UserInput(f"problem {n}", priority=priority)
    return build_report(user, basic_context("T1"), report_id=f"{n:032x}", created_at=at)


def test_queue_survives_a_restart_and_puts_urgent_reports_first(tmp_path: Path) -> None:
    outbox = ReportOutbox(tmp_path)
    outbox.add(_report(1, at=T0))
    outbox.add(_report(2, Priority.URGENT, at=T0 + timedelta(minutes=5)))
    outbox.add(_report(1, at=T0))  # the same report again: still one
    reopened = ReportOutbox(tmp_path)
    assert [q.report_id for q in reopened.pending()] == [f"{2:032x}", f"{1:032x}"]
    assert reopened.body(f"{1:032x}") == _report(1).body


def test_postponed_report_is_not_due_until_its_time(tmp_path: Path) -> None:
    outbox = ReportOutbox(tmp_path)
    rid = outbox.add(_report(1)).report_id
    outbox.postpone(rid, T0 + timedelta(minutes=10), "HTTP 503")
    assert outbox.due(T0 + timedelta(minutes=9)) == []
    (due,) = outbox.due(T0 + timedelta(minutes=10))
    assert due.attempts == 1 and due.last_error == "HTTP 503"


def test_refused_report_is_set_aside_not_lost(tmp_path: Path) -> None:
    outbox = ReportOutbox(tmp_path)
    rid = outbox.add(_report(1)).report_id
    outbox.set_aside(rid, "HTTP 400")
    assert outbox.pending() == []
    assert outbox.set_aside_ids() == [rid]
    assert (tmp_path / "set-aside" / f"{rid}.body").exists()


def test_at_most_fifty_reports_and_thirty_days_are_kept(tmp_path: Path) -> None:
    outbox = ReportOutbox(tmp_path)
    outbox.add(_report(999, Priority.URGENT, at=T0))
    outbox.add(_report(998, at=T0 - timedelta(days=31)))
    for n in range(60):
        outbox.add(_report(n, at=T0 + timedelta(minutes=n)))
    dropped = outbox.prune(T0 + timedelta(hours=2))
    kept = outbox.pending()
    assert dropped == 12 and len(kept) == 50
    assert kept[0].report_id == f"{999:032x}"  # the urgent one stays
    assert f"{998:032x}" not in {q.report_id for q in kept}  # too old
    assert f"{59:032x}" in {q.report_id for q in kept}  # the newest stay


def test_server_stop_and_crash_memory_persist(tmp_path: Path) -> None:
    ReportOutbox(tmp_path).stop_automatic("0.1.0")
    ReportOutbox(tmp_path).remember_crash("E at app/x.py:f:1", T0)
    reopened = ReportOutbox(tmp_path)
    assert reopened.automatic_stopped("0.1.0") and not reopened.automatic_stopped("0.2.0")
    assert set(reopened.recent_crashes(T0 + timedelta(hours=23))) == {"E at app/x.py:f:1"}
    assert reopened.recent_crashes(T0 + timedelta(hours=25)) == {}
