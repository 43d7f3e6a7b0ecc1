"""What leaves the till in a report: secrets and personal data masked, useful facts kept."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime

import pytest

from app.bugreport.report import (
    CrashInfo,
    Priority,
    ReportContext,
    ShopFacts,
    UserInput,
    build_report,
)
from app.bugreport.scrub import scrub_text
from app.logging_setup import register_secret, register_secrets_from_environment, scrub


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("customer maria.lopez+tpv@example.com paid", "maria.lopez+tpv@example.com"),
        ("call 612 345 678 tomorrow", "612 345 678"),
        ("call +34 612345678", "612345678"),
        ("fixed line 91 123 45 67", "91 123 45 67"),
        ("UK customer +44 20 7946 0958", "7946 0958"),
        ("NIF 12345678Z on the invoice", "12345678Z"),
        ("NIE X1234567L", "X1234567L"),
        ("company B12345674", "B12345674"),
        ("paid with 4111 1111 1111 1111 ok", "4111 1111 1111 1111"),
        ("paid with 4111-1111-1111-1111 ok", "4111-1111-1111-1111"),
        ("card=4111111111111111", "4111111111111111"),
        (r"File C:\Users\Ana Perez\AppData\Local\Mostrador\x.py", "Ana Perez"),
        ("File /home/anaperez/.local/share/Mostrador/x.py", "anaperez"),
        ("mysql+pymysql://shop:S3cr3t!@db.example.com/ps", "S3cr3t!"),
        ('{"api_key": "k-123 456"}', "k-123 456"),
        ("Authorization: Bearer abc.def.ghi", "abc.def.ghi"),
    ],
)
def test_personal_data_and_secrets_are_masked(text: str, secret: str) -> None:
    assert secret not in scrub_text(text)


@pytest.mark.parametrize(
    "text",
    [
        "ticket T1-2026-000123 total 62.30",
        "EAN 8412345678901 scanned",
        "sale 123e4567-e89b-12d3-a456-426614174000 pushed",
        "2026-03-01 10:11:12,345 INFO [MainThread] app.sync: round took 912.345 ms",
        "PrestaShop 8.1.7 on MariaDB 10.11.6",
        "Access denied for user 'shop'@'10.0.0.5' (using password: YES)",
    ],
)
def test_what_support_needs_is_kept(text: str) -> None:
    assert scrub_text(text) == text


def test_registered_and_environment_secrets_are_masked_everywhere() -> None:
    register_secret("pl4nted-db-pw")
    register_secrets_from_environment(
        {"SHOP_API_TOKEN": "tok_live_0123456789", "PATH": "/usr/bin", "PWD": "/home/x"}
    )
    text = "pl4nted-db-pw tok_live_0123456789 /usr/bin /home/x"
    assert scrub(text) == "*** *** /usr/bin /home/x"


def _context() -> ReportContext:
    return ReportContext(
        app_version="0.1.0",
        os_name="Windows-10",
        python="3.11.7",
        till_id="T1",
        shop=ShopFacts("8.1.7", 42.345, 3, 1, True),
        log_lines=("INFO sale for ana@example.com", "INFO pushed T1-2026-000123"),
    )


def test_report_holds_only_allowlisted_fields_with_every_text_scrubbed() -> None:
    crash = CrashInfo("builtins.RuntimeError", "denied for ana@example.com", "Traceback…", "io",
                      "app/x.py:f:3", "builtins.RuntimeError at app/x.py:f:3")  # fmt: skip
    user = UserInput("It froze after ana@example.com paid", "1. pay", Priority.URGENT,
                     "owner@shop.example", b"\x89PNG fake")  # fmt: skip
    report = build_report(user, _context(), crash, report_id="a" * 32,
                          created_at=datetime(2026, 3, 1, tzinfo=UTC))  # fmt: skip
    text = report.preview()
    assert "ana@example.com" not in text
    fields = json.loads(text.split("\r\n\r\n", 1)[1].split("\r\n--", 1)[0])
    assert set(fields) == {
        "report_id", "created_at", "kind", "priority", "what_happened", "steps",
        "contact_email", "app", "shop", "error", "attachments", "automatic",
    }  # fmt: skip
    assert fields["contact_email"] == "owner@shop.example"  # the user's own, on purpose
    assert fields["priority"] == "urgent" and fields["kind"] == "crash"
    assert fields["shop"] == {"prestashop_version": "8.1.7", "latency_ms": 42.3,
                              "pending_sales": 3, "refused_sales": 1, "online": True}  # fmt: skip
    assert "T1-2026-000123" in text  # the log lines are there, scrubbed
    encoded = text.split('name="screenshot_png_base64"', 1)[1].split("\r\n\r\n", 1)[1]
    assert base64.b64decode(encoded.split("\r\n--")[0]) == b"\x89PNG fake"


def test_the_same_form_gives_the_same_bytes_and_opt_outs_are_honoured() -> None:
    when = datetime(2026, 3, 1, tzinfo=UTC)
    user = UserInput("x", include_log=False, contact_email="not an address")
    first = build_report(user, _context(), report_id="b" * 32, created_at=when)
    again = build_report(user, _context(), report_id="b" * 32, created_at=when)
    assert first.body == again.body
    assert first.preview().encode("utf-8") == first.body
    assert "sale for" not in first.preview()
    assert "screenshot" not in first.preview().split('"attachments"')[0]
    assert '"contact_email": ""' in first.preview()
