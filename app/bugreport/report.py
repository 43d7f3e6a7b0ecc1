"""What a report holds, and the exact bytes that are sent.

A report is built from an allowlist: the user's words, the priority, an optional contact
e-mail, an optional screenshot, the app version, the operating system, the till id, a few shop
database facts, the last log lines and, for a crash, the exception and its traceback (never
local variables, never the environment). Every text goes through
:func:`app.bugreport.scrub.scrub_text`. The result is one ``multipart/form-data`` body, all of
it UTF-8 text (the screenshot as base64), so that "what will be sent" shows those very bytes.
"""

from __future__ import annotations

import base64
import json
import platform
import re
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app import __version__
from app.bugreport.scrub import register_known_secrets, scrub_text
from app.logging_setup import current_log_path, flush_logs, read_log_tail

if TYPE_CHECKING:
    from app.shop_status import ShopStatus
    from app.sync.worker import SyncStatus

MAX_LOG_LINES = 200
_EMAIL = re.compile(r"^[\w.+-]+@[\w-]+(?:\.[\w-]+)+$")


class Priority(StrEnum):
    NORMAL = "normal"
    URGENT = "urgent"  # the till cannot sell, or money is wrong


class Kind(StrEnum):
    MANUAL = "manual"  # Help → Report a problem
    CRASH = "crash"  # about an unexpected error (the crash handler, "Report this problem")


@dataclass(frozen=True)
class CrashInfo:
    """An uncaught exception, as far as a report may say it (scrubbed when the report is built)."""

    type_name: str
    message: str
    traceback: str  # formatted frames, no local variables
    thread: str
    where: str  # "module.py:function:line" of the innermost frame of ours
    signature: str  # type + where: the same error has the same signature


@dataclass(frozen=True)
class ShopFacts:
    prestashop_version: str = ""
    latency_ms: float | None = None
    pending_sales: int | None = None  # sales waiting to be pushed to the shop
    refused_sales: int | None = None  # sales the shop refused, waiting for a manager
    online: bool | None = None


def shop_facts(status: ShopStatus | None, sync: SyncStatus | None) -> ShopFacts:
    """The facts a report says about the shop, from the values the window already holds."""
    return ShopFacts(
        prestashop_version=status.prestashop_version if status else "",
        latency_ms=round(status.latency_ms, 1) if status and not status.demo else None,
        pending_sales=sync.pending if sync else None,
        refused_sales=sync.refused if sync else None,
        online=sync.online if sync else None,
    )


@dataclass(frozen=True)
class ReportContext:
    app_version: str
    os_name: str
    python: str
    till_id: str
    shop: ShopFacts = ShopFacts()
    log_lines: tuple[str, ...] = ()


def gather_context(
    till_id: str,
    shop: ShopFacts | None = None,
    log_path: Path | None = None,
    max_log_lines: int = MAX_LOG_LINES,
) -> ReportContext:
    """The facts of this till. Reads the log and the keyring: run it on a worker thread."""
    register_known_secrets()
    flush_logs()
    path = log_path or current_log_path()
    lines = read_log_tail(path, max_log_lines) if path else []
    return basic_context(till_id, shop, tuple(lines))


def basic_context(
    till_id: str, shop: ShopFacts | None = None, log_lines: tuple[str, ...] = ()
) -> ReportContext:
    """What is known without any I/O."""
    return ReportContext(
        app_version=__version__,
        os_name=platform.platform(terse=False),
        python=platform.python_version(),
        till_id=till_id,
        shop=shop or ShopFacts(),
        log_lines=log_lines,
    )


@dataclass(frozen=True)
class UserInput:
    what_happened: str = ""
    steps: str = ""
    priority: Priority = Priority.NORMAL
    contact_email: str = ""
    screenshot_png: bytes | None = None
    include_log: bool = True


@dataclass(frozen=True)
class Report:
    report_id: str  # also the idempotency key
    created_at: datetime
    priority: Priority
    kind: Kind
    automatic: bool  # sent without the user seeing it (setting bugreport.auto_send)
    app_version: str
    content_type: str
    body: bytes = field(repr=False)

    def preview(self) -> str:
        """The body as text: exactly the bytes that are sent."""
        return self.body.decode("utf-8")


def new_report_id() -> str:
    return uuid.uuid4().hex


def valid_email(text: str) -> bool:
    return bool(_EMAIL.match(text.strip()))


def build_report(
    user: UserInput,
    context: ReportContext,
    crash: CrashInfo | None = None,
    *,
    report_id: str | None = None,
    created_at: datetime | None = None,
    automatic: bool = False,
) -> Report:
    """The report and its bytes; the same arguments always give the same bytes."""
    report_id = report_id or new_report_id()
    created_at = created_at or datetime.now(UTC)
    kind = Kind.CRASH if crash else Kind.MANUAL
    fields = report_fields(user, context, crash, report_id, created_at)
    fields["automatic"] = automatic
    parts = [("report", "application/json; charset=utf-8", _json(fields))]
    if user.include_log and context.log_lines:
        log = "\n".join(scrub_text(line) for line in context.log_lines) + "\n"
        parts.append(("log", "text/plain; charset=utf-8", log))
    if user.screenshot_png:
        encoded = base64.encodebytes(user.screenshot_png).decode("ascii")
        parts.append(("screenshot_png_base64", "text/plain; charset=us-ascii", encoded))
    boundary = f"mostrador-report-{report_id}"
    return Report(
        report_id=report_id,
        created_at=created_at,
        priority=user.priority,
        kind=kind,
        automatic=automatic,
        app_version=context.app_version,
        content_type=f"multipart/form-data; boundary={boundary}",
        body=encode_multipart(boundary, parts),
    )


def report_fields(
    user: UserInput,
    context: ReportContext,
    crash: CrashInfo | None,
    report_id: str,
    created_at: datetime,
) -> dict[str, Any]:
    """The allowlisted fields, every text scrubbed."""
    email = user.contact_email.strip()
    return {
        "report_id": report_id,
        "created_at": created_at.isoformat(timespec="seconds"),
        "kind": (Kind.CRASH if crash else Kind.MANUAL).value,
        "priority": user.priority.value,
        "what_happened": scrub_text(user.what_happened.strip()),
        "steps": scrub_text(user.steps.strip()),
        "contact_email": email if valid_email(email) else "",
        "app": {
            "version": scrub_text(context.app_version),
            "os": scrub_text(context.os_name),
            "python": scrub_text(context.python),
            "till_id": scrub_text(context.till_id),
        },
        "shop": _shop_fields(context.shop),
        "error": _crash_fields(crash) if crash else None,
        "attachments": {
            "log_lines": len(context.log_lines) if user.include_log else 0,
            "screenshot": bool(user.screenshot_png),
        },
    }


def _shop_fields(shop: ShopFacts) -> dict[str, Any]:
    return {
        "prestashop_version": scrub_text(shop.prestashop_version),
        "latency_ms": None if shop.latency_ms is None else round(shop.latency_ms, 1),
        "pending_sales": shop.pending_sales,
        "refused_sales": shop.refused_sales,
        "online": shop.online,
    }


def _crash_fields(crash: CrashInfo) -> dict[str, str]:
    return {
        "type": scrub_text(crash.type_name),
        "message": scrub_text(crash.message),
        "where": scrub_text(crash.where),
        "thread": scrub_text(crash.thread),
        "signature": scrub_text(crash.signature),
        "traceback": scrub_text(crash.traceback),
    }


def _json(fields: dict[str, Any]) -> str:
    return json.dumps(fields, indent=2, ensure_ascii=False) + "\n"


def encode_multipart(boundary: str, parts: list[tuple[str, str, str]]) -> bytes:
    """``multipart/form-data`` of text parts ``(name, content type, text)``."""
    chunks = []
    for name, content_type, text in parts:
        chunks.append(
            f"--{boundary}\r\n"
            f'Content-Disposition: form-data; name="{name}"\r\n'
            f"Content-Type: {content_type}\r\n\r\n"
            f"{text}\r\n"
        )
    chunks.append(f"--{boundary}--\r\n")
    return "".join(chunks).encode("utf-8")
