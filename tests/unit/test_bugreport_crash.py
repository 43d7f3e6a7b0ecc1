"""Uncaught exceptions become one report each, in windowed builds too, never a flood."""

from __future__ import annotations

import subprocess
import sys
import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest

from app.bugreport.crash import FAULT_FILE, CrashGuard, CrashHandler, crash_info
from app.bugreport.outbox import ReportOutbox
from app.bugreport.report import CrashInfo
from app.bugreport.sender import check_endpoint
from app.errors import ConfigError
from app.logging_setup import setup_logging

ROOT = Path(__file__).resolve().parents[2]


def _raise_in_thread(error: BaseException) -> None:
    def run() -> None:
        raise error

    thread = threading.Thread(target=run, name="worker-x")
    thread.start()
    thread.join()


@pytest.fixture
def caught(monkeypatch: pytest.MonkeyPatch) -> list[CrashInfo]:
    """What reached ``on_crash``; the hooks chained to are quiet ones."""
    monkeypatch.setattr(threading, "excepthook", lambda args: None)
    return []


def _handler(
    tmp_path: Path, caught: list[CrashInfo], guard: CrashGuard | None = None
) -> CrashHandler:
    return CrashHandler(caught.append, guard or CrashGuard(), tmp_path / "logs")


def test_a_crash_loop_in_worker_threads_gives_one_report(
    tmp_path: Path, caught: list[CrashInfo]
) -> None:
    handler = _handler(tmp_path, caught)
    handler.install()
    try:
        for _ in range(200):
            _raise_in_thread(ValueError("same bug"))
        _raise_in_thread(KeyError("another bug"))
    finally:
        handler.uninstall()
    assert [c.type_name for c in caught] == ["builtins.ValueError", "builtins.KeyError"]
    assert caught[0].thread == "worker-x"
    assert "test_bugreport_crash.py" in caught[0].traceback
    assert threading.excepthook is not handler._thread_hook  # restored


def test_a_session_reports_a_few_distinct_errors_at_most(
    tmp_path: Path, caught: list[CrashInfo]
) -> None:
    handler = _handler(tmp_path, caught, CrashGuard(max_per_session=3))
    for n in range(10):
        error_type = type(f"Bug{n}", (Exception,), {})
        try:
            raise error_type("a different bug each time")
        except Exception as exc:
            handler.handle(type(exc), exc, exc.__traceback__)
    assert len(caught) == 3


def test_the_same_crash_after_a_restart_is_not_reported_again(tmp_path: Path) -> None:
    outbox = ReportOutbox(tmp_path / "outbox")
    now = datetime(2026, 3, 1, tzinfo=UTC)
    first = CrashGuard(outbox, clock=lambda: now)
    assert first.first_time("E at app/x.py:f:1")
    for thread in threading.enumerate():
        if thread.name == "crash-memory":
            thread.join()
    assert not CrashGuard(outbox, clock=lambda: now).first_time("E at app/x.py:f:1")
    assert CrashGuard(outbox, clock=lambda: now).first_time("E at app/y.py:g:2")


def test_windowed_build_without_stderr_still_catches_and_logs(
    tmp_path: Path, caught: list[CrashInfo], monkeypatch: pytest.MonkeyPatch
) -> None:
    log = setup_logging(tmp_path / "logs")
    monkeypatch.setattr(sys, "stderr", None)
    monkeypatch.setattr(sys, "excepthook", sys.__excepthook__)
    handler = _handler(tmp_path, caught)
    handler.install()
    try:
        try:
            raise OSError("disk gone password=hunter22")
        except OSError as exc:
            sys.excepthook(type(exc), exc, exc.__traceback__)  # what Python does, no stderr
        _raise_in_thread(ZeroDivisionError("division"))
    finally:
        handler.uninstall()
    assert [c.type_name for c in caught] == ["builtins.OSError", "builtins.ZeroDivisionError"]
    assert (tmp_path / "logs" / FAULT_FILE).exists()
    for h in __import__("logging").getLogger().handlers:
        h.flush()
    content = log.read_text(encoding="utf-8")
    assert "uncaught exception in MainThread" in content and "hunter22" not in content


def test_a_hard_crash_is_found_by_the_next_start(tmp_path: Path, caught: list[CrashInfo]) -> None:
    logs = tmp_path / "logs"
    code = (
        "import sys, faulthandler\n"
        "sys.stderr = None\n"
        "from pathlib import Path\n"
        "from app.bugreport.crash import CrashGuard, CrashHandler\n"
        f"CrashHandler(print, CrashGuard(), Path({str(logs)!r})).install()\n"
        "faulthandler._sigsegv()\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=False)
    assert result.returncode != 0
    handler = _handler(tmp_path, caught)
    handler.install()
    handler.uninstall()
    assert "Segmentation fault" in handler.previous_fatal_error()


def test_crash_info_names_our_frame_and_never_local_variables() -> None:
    secret_local = "my-local-secret"  # noqa: F841 (must not appear)

    try:
        check_endpoint("ftp://reports.example.com")
    except ConfigError as exc:
        info = crash_info(type(exc), exc, exc.__traceback__)
    assert info.where.startswith("app/bugreport/sender.py:check_endpoint:")
    assert info.signature == f"app.errors.ConfigError at {info.where}"
    assert "my-local-secret" not in info.traceback.replace('secret_local = "my-local-secret"', "")
