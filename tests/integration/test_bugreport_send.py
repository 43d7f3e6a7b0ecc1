"""Reports sent to a real HTTP server on 127.0.0.1: the receiver itself, and a scripted server
answering 429/503/400 for the retry rules. Nothing planted on the till leaks into the bytes."""

from __future__ import annotations

import json
import logging
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import requests

from app import paths
from app.bugreport.crash import CrashHandler, crash_info
from app.bugreport.outbox import ReportOutbox
from app.bugreport.receiver import make_receiver_server
from app.bugreport.report import (
    CrashInfo,
    Priority,
    Report,
    ShopFacts,
    UserInput,
    basic_context,
    build_report,
    gather_context,
)
from app.bugreport.sender import ReportSender, SendPolicy
from app.bugreport.service import BugReporter
from app.config import secrets
from app.config import settings as cfg
from app.logging_setup import flush_logs, setup_logging

ROOT = Path(__file__).resolve().parents[2]
T0 = datetime.now(UTC).replace(microsecond=0)  # reports older than 30 days are pruned
FAST = SendPolicy(timeout_s=5, backoff_initial_s=0.05, backoff_max_s=0.2, idle_poll_s=0.2)


class FakeClock:
    def __init__(self, now: datetime = T0) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _wait_for(condition: Callable[[], bool], timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


@dataclass
class Receiver:
    url: str
    directory: Path

    def stored(self) -> list[Path]:
        return sorted(p for p in self.directory.iterdir() if not p.name.startswith("."))


@pytest.fixture
def start_receiver(tmp_path: Path) -> Iterator[Callable[..., Receiver]]:
    servers = []

    def start(port: int = 0, stop_automatic: tuple[str, ...] = ()) -> Receiver:
        directory = tmp_path / "received"
        server = make_receiver_server(directory, port=port, stop_automatic=stop_automatic)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return Receiver(f"http://127.0.0.1:{server.server_port}/v1/reports", directory)

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


@dataclass
class Scripted:
    """A server answering a script of (status, headers, JSON body), then 201s."""

    answers: list[tuple[int, dict[str, str], dict[str, Any]]]
    requests: list[dict[str, str]] = field(default_factory=list)
    url: str = ""


@pytest.fixture
def scripted() -> Iterator[Callable[..., Scripted]]:
    servers = []

    def start(*answers: tuple[int, dict[str, str], dict[str, Any]]) -> Scripted:
        script = Scripted(list(answers))

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's name)
                self.rfile.read(int(self.headers.get("Content-Length", 0)))
                script.requests.append(dict(self.headers))
                status, headers, body = script.answers.pop(0) if script.answers else (201, {}, {})
                payload = json.dumps(body).encode()
                self.send_response(status)
                for name, value in {"Content-Type": "application/json", **headers}.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, format: str, *args: Any) -> None:
                return

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        script.url = f"http://127.0.0.1:{server.server_port}/v1/reports"
        return script

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def _report(n: int = 1, *, automatic: bool = False, priority: Priority = Priority.NORMAL) -> Report:
    return build_report(
        UserInput(f"problem {n}", priority=priority),
        basic_context("T1"),
        report_id=f"{n:032x}",
        created_at=T0,
        automatic=automatic,
    )


# ------------------------------------------------------------------------------ scrubbing

PASSWORD = "Pl4nted-DB-pw"
DB_URL = f"mysql+pymysql://shop:{PASSWORD}@db.example.com/ps"
TOKEN = "tok_live_7Hq2Zp9Xw4Lm8Rt6"
SETTINGS_TOKEN = "Zk28-settings-only-9fQ"
CARD = "4111 1111 1111 1111"
EMAIL = "maria.lopez@example.com"
PHONE = "612 345 678"
TAX_ID = "12345678Z"
PLANTED = [PASSWORD, TOKEN, SETTINGS_TOKEN, CARD, "4111111111111111", "4111-1111-1111-1111",
           EMAIL, PHONE, "612345678", TAX_ID, "db.example.com/ps?x"]  # fmt: skip


def _plant_everywhere(monkeypatch: pytest.MonkeyPatch) -> CrashInfo:
    settings_path = paths.config_dir() / cfg.FILE_NAME
    settings = cfg.Settings(settings_path)
    settings.set(cfg.SHOP_DB_URL, DB_URL)
    settings.set(cfg.RECEIPT_TAX_ID, TAX_ID)
    settings.save()
    raw = json.loads(settings_path.read_text(encoding="utf-8"))
    settings_path.write_text(json.dumps({**raw, "sync.api_token": SETTINGS_TOKEN}))
    secrets.set_secret(
        "db", secrets.db_password_key("shop", "db.example.com", None, "ps"), PASSWORD
    )
    monkeypatch.setenv("MOSTRADOR_SHOP_TOKEN", TOKEN)
    monkeypatch.setenv("DATABASE_URL", DB_URL)
    monkeypatch.setenv("LAST_CUSTOMER", f"{EMAIL} {PHONE} {CARD}")
    setup_logging(paths.log_dir())
    log = logging.getLogger("app.sync.push")
    log.info("pushing sale of %s (phone %s, NIF %s) card %s", EMAIL, PHONE, TAX_ID, CARD)
    log.warning("reconnecting to %s with token %s", DB_URL, TOKEN)
    log.info("settings token is %s", SETTINGS_TOKEN)
    try:
        raise RuntimeError(
            f"Access denied for shop using {PASSWORD}; token {TOKEN}; {SETTINGS_TOKEN}; "
            f"customer {EMAIL} {PHONE} {TAX_ID}; card {CARD}; url {DB_URL}"
        )
    except RuntimeError as exc:
        log.exception("push failed")
        return crash_info(type(exc), exc, exc.__traceback__, "sync")


def test_nothing_planted_on_the_till_reaches_the_server(
    start_receiver: Callable[..., Receiver], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    crash = _plant_everywhere(monkeypatch)
    flush_logs()
    context = gather_context("T1", ShopFacts("8.1.7", 38.2, 4, 0, True))
    user = UserInput(
        what_happened=f"After {EMAIL} paid with {CARD} the till froze; call {PHONE}",
        steps=f"password={PASSWORD}\nopened {DB_URL}",
        priority=Priority.URGENT,
        contact_email="owner@shop.example",
        screenshot_png=b"\x89PNG\r\n\x1a\n fake picture",
    )
    report = build_report(user, context, crash)
    receiver = start_receiver()
    reporter = BugReporter(ReportOutbox(tmp_path / "outbox"), receiver.url, policy=FAST)
    reporter.submit(report)
    assert reporter.sender is not None and reporter.sender.send_due().sent == 1

    (stored,) = receiver.stored()
    sent = (stored / "body.multipart").read_bytes()
    assert sent == report.body == report.preview().encode("utf-8")
    leaks = [value for value in PLANTED if value.encode() in sent]
    assert leaks == []
    fields = json.loads((stored / "report.json").read_text(encoding="utf-8"))
    assert fields["app"]["till_id"] == "T1" and fields["shop"]["pending_sales"] == 4
    assert fields["error"]["type"] == "builtins.RuntimeError"
    assert fields["error"]["signature"] == crash.signature  # support can group the same error
    assert "pushing sale of <email>" in (stored / "log.txt").read_text(encoding="utf-8")
    assert (stored / "screenshot.png").read_bytes() == user.screenshot_png
    assert b"MOSTRADOR_SHOP_TOKEN" not in sent and b"LAST_CUSTOMER" not in sent  # no env dump


# ------------------------------------------------------------------------------ delivery


def test_a_queued_report_survives_a_restart_and_is_sent_once_when_the_server_is_back(
    start_receiver: Callable[..., Receiver], tmp_path: Path
) -> None:
    port = _free_port()
    url = f"http://127.0.0.1:{port}/v1/reports"
    clock = FakeClock()
    offline = ReportSender(ReportOutbox(tmp_path / "outbox"), url, policy=FAST, clock=clock)
    offline.outbox.add(_report(7))
    assert offline.send_due().retried == 1  # nobody listening
    (waiting,) = offline.outbox.pending()
    assert waiting.attempts == 1 and "no answer" in waiting.last_error

    receiver = start_receiver(port=port)  # the network is back; the app restarted meanwhile
    restarted = ReportSender(ReportOutbox(tmp_path / "outbox"), url, policy=FAST)
    restarted.start()
    try:
        _wait_for(lambda: restarted.outbox.pending() == [])
    finally:
        assert restarted.stop()
    assert [p.name for p in receiver.stored()] == [f"{7:032x}"]
    again = requests.post(  # the reply was lost, the till posts again: stored once
        url,
        data=_report(7).body,
        headers={"Content-Type": _report(7).content_type, "Idempotency-Key": f"{7:032x}"},
        timeout=5,
    )
    assert again.status_code == 200 and again.json()["stored"] is False
    assert len(receiver.stored()) == 1


def test_429_retry_after_is_honoured(scripted: Callable[..., Scripted], tmp_path: Path) -> None:
    server = scripted((429, {"Retry-After": "120"}, {}))
    clock = FakeClock()
    sender = ReportSender(ReportOutbox(tmp_path), server.url, policy=FAST, clock=clock)
    sender.outbox.add(_report(1))
    sender.outbox.add(_report(2))
    assert sender.send_due().retried == 1
    clock.advance(60)
    sender.wake()
    assert sender.send_due().sent == 0
    assert len(server.requests) == 1  # nothing posted before the server's time
    clock.advance(61)
    assert sender.send_due().sent == 2
    assert len(server.requests) == 3
    assert server.requests[0]["Idempotency-Key"] == f"{1:032x}"


def test_server_errors_retry_with_backoff_and_refusals_are_set_aside(
    scripted: Callable[..., Scripted], tmp_path: Path
) -> None:
    server = scripted((503, {}, {}), (503, {}, {}), (400, {}, {"error": "bad"}))
    clock = FakeClock()
    policy = SendPolicy(backoff_initial_s=30, backoff_max_s=900)
    sender = ReportSender(ReportOutbox(tmp_path), server.url, policy=policy, clock=clock)
    sender.outbox.add(_report(1, priority=Priority.URGENT))
    sender.outbox.add(_report(2))
    assert sender.send_due().retried == 1
    assert sender.outbox.get(f"{1:032x}").next_attempt_at == T0 + timedelta(seconds=30)  # type: ignore[union-attr]
    clock.advance(30)
    assert sender.send_due().retried == 1
    assert sender.outbox.get(f"{1:032x}").next_attempt_at == clock.now + timedelta(seconds=60)  # type: ignore[union-attr]
    clock.advance(60)
    result = sender.send_due()
    assert (result.set_aside, result.sent) == (1, 1)
    assert sender.outbox.set_aside_ids() == [f"{1:032x}"] and sender.outbox.pending() == []


def test_the_server_can_stop_automatic_reports_of_this_version(
    start_receiver: Callable[..., Receiver], tmp_path: Path
) -> None:
    receiver = start_receiver(stop_automatic=("0.1.0",))
    sender = ReportSender(ReportOutbox(tmp_path), receiver.url, policy=FAST, app_version="0.1.0")
    sender.outbox.add(_report(1, automatic=True))
    assert sender.send_due().sent == 1  # this one arrived, with the answer "stop"
    sender.outbox.add(_report(2, automatic=True))
    sender.outbox.add(_report(3))  # a person wrote this one: it still goes
    result = sender.send_due()
    assert (result.sent, result.set_aside) == (1, 1)
    assert [p.name for p in receiver.stored()] == [f"{1:032x}", f"{3:032x}"]
    assert BugReporter(ReportOutbox(tmp_path), receiver.url).automatic_allowed() is False


def test_a_crash_loop_sends_one_report_not_hundreds(
    start_receiver: Callable[..., Receiver], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(threading, "excepthook", lambda args: None)
    receiver = start_receiver()
    reporter = BugReporter(
        ReportOutbox(tmp_path / "outbox"), receiver.url, auto_send=True, policy=FAST
    )
    reporter.start()

    def on_crash(info: CrashInfo) -> None:
        reporter.submit(build_report(UserInput(), basic_context("T1"), info, automatic=True))

    handler = CrashHandler(on_crash, reporter.guard, tmp_path / "logs")
    handler.install()
    try:
        for _ in range(300):
            thread = threading.Thread(target=lambda: 1 / 0)
            thread.start()
            thread.join()
        _wait_for(lambda: len(receiver.stored()) == 1 and reporter.pending_count() == 0)
    finally:
        handler.uninstall()
        reporter.stop()
    assert len(receiver.stored()) == 1


def test_receiver_runs_as_a_module(tmp_path: Path) -> None:
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "app.bugreport.receiver", "--dir", str(tmp_path / "r"),
         "--port", str(port)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        url = f"http://127.0.0.1:{port}"

        def healthy() -> bool:
            try:
                return requests.get(f"{url}/health", timeout=1).ok
            except requests.ConnectionError:
                return False

        _wait_for(healthy)
        sender = ReportSender(ReportOutbox(tmp_path / "o"), f"{url}/v1/reports", policy=FAST)
        sender.outbox.add(_report(5))
        assert sender.send_due().sent == 1
        assert (tmp_path / "r" / f"{5:032x}" / "report.json").exists()
    finally:
        process.terminate()
        process.wait(10)
