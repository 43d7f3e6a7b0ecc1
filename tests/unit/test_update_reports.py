"""The launcher's report of a rolled-back update becomes one urgent problem report."""

from __future__ import annotations

import json
from pathlib import Path

from app import update_hooks
from app.bugreport.outbox import ReportOutbox
from app.bugreport.report import Kind, Priority, basic_context
from tests.updater.conftest import install_root
from updater import health

ROLLBACK = {"version": "0.2.0", "attempts": 3, "exit_codes": [1, 1, 1], "back_to": "0.1.0"}


def test_a_rolled_back_update_is_queued_once_urgent_with_the_launcher_report(
    tmp_path: Path,
) -> None:
    layout = install_root(tmp_path)
    health.queue_report(layout, "rollback", ROLLBACK)
    reports = health.take_reports(layout)  # what report_ready hands to the window
    outbox = ReportOutbox(tmp_path / "outbox")
    context = basic_context("T1", log_lines=("WARNING token=s3cr3t-value went away",))
    ids = update_hooks.queue_launcher_reports(reports, context, outbox.add)
    again = update_hooks.queue_launcher_reports(reports, context, outbox.add)  # handed over twice
    assert ids == again and len(ids) == 1
    [queued] = outbox.pending()
    assert queued.priority is Priority.URGENT and queued.kind is Kind.CRASH and queued.automatic
    body = outbox.body(queued.report_id).decode("utf-8")
    fields = json.loads(body.split("\r\n\r\n", 1)[1].split("\r\n--mostrador-report-", 1)[0])
    assert fields["what_happened"] == (
        "Update to 0.2.0 failed its health check 3 times; rolled back to 0.1.0."
    )
    attached = json.loads(fields["error"]["traceback"])
    assert attached["exit_codes"] == [1, 1, 1] and attached["kind"] == "rollback"
    assert "s3cr3t-value" not in body  # the log lines are scrubbed like every report's
    assert health.take_reports(layout) == []  # not again at the next start
