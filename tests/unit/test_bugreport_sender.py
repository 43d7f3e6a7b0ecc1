"""The sender's rules that need no server: HTTPS only, Retry-After, backoff."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from app.bugreport.sender import SendPolicy, backoff_delay, check_endpoint, parse_retry_after
from app.errors import ConfigError

NOW = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def test_reports_go_over_https_or_to_this_computer_only() -> None:
    assert check_endpoint("https://reports.mostrador.app/v1/reports")
    assert check_endpoint("http://127.0.0.1:8765/v1/reports")
    with pytest.raises(ConfigError):
        check_endpoint("http://reports.example.com/v1/reports")
    with pytest.raises(ConfigError):
        check_endpoint("ftp://reports.example.com/")


def test_retry_after_in_seconds_or_as_a_date() -> None:
    assert parse_retry_after("120", NOW) == 120.0
    assert parse_retry_after("Sun, 01 Mar 2026 09:02:00 GMT", NOW) == 120.0
    assert parse_retry_after("Sun, 01 Mar 2026 08:00:00 GMT", NOW) == 0.0
    assert parse_retry_after("soon", NOW) is None
    assert parse_retry_after(None, NOW) is None


def test_backoff_doubles_up_to_a_ceiling() -> None:
    policy = SendPolicy(backoff_initial_s=30, backoff_max_s=900)
    assert [backoff_delay(n, policy) for n in range(7)] == [30, 60, 120, 240, 480, 900, 900]
