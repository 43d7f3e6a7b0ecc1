"""Sending queued reports: one HTTPS POST each, retried until the server has it.

The body is the report's stored bytes (``multipart/form-data``), with the report id as
``Idempotency-Key``: a report sent twice (a reply lost on the way) is stored once. The
server's answer decides:

* 2xx: sent, removed from the outbox;
* no answer (network down, DNS, timeout), 5xx, 408, 429: kept and retried later, after the
  ``Retry-After`` the server gave, else after a backoff doubling from ``backoff_initial_s``
  up to ``backoff_max_s``; the whole queue waits meanwhile (the server is not taking reports);
* any other 4xx: set aside (retrying will not help).

Any reply may carry ``"stop_automatic": true`` (JSON) or the header
``Mostrador-Stop-Automatic: 1``: this version then stops sending automatic (crash) reports.

:class:`ReportSender` runs rounds on its own thread (``start``/``wake``/``stop``); the clock
and the delays are injectable for tests.
"""

from __future__ import annotations

import email.utils
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import Enum
from urllib.parse import urlsplit

import requests

from app import __version__
from app.bugreport.outbox import QueuedReport, ReportOutbox
from app.errors import ConfigError
from app.i18n import _

logger = logging.getLogger(__name__)

Clock = Callable[[], datetime]
_LOOPBACK = {"127.0.0.1", "::1", "localhost"}
_RETRY_STATUSES = {408, 429}
STOP_HEADER = "Mostrador-Stop-Automatic"


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class SendPolicy:
    timeout_s: float = 20.0
    backoff_initial_s: float = 30.0
    backoff_max_s: float = 900.0  # a till back online sends within 15 minutes
    retry_after_max_s: float = 86_400.0
    idle_poll_s: float = 600.0  # wake this often anyway, to prune and retry


class Outcome(Enum):
    SENT = "sent"
    RETRY = "retry"
    SET_ASIDE = "set aside"


@dataclass(frozen=True)
class Attempt:
    outcome: Outcome
    status: int | None = None
    retry_after_s: float | None = None
    error: str = ""
    stop_automatic: bool = False


@dataclass(frozen=True)
class RoundResult:
    sent: int = 0
    retried: int = 0
    set_aside: int = 0


def check_endpoint(url: str) -> str:
    """``url`` when reports may go there: HTTPS, or plain HTTP to this computer only."""
    parts = urlsplit(url)
    if parts.scheme == "https" and parts.hostname:
        return url
    if parts.scheme == "http" and (parts.hostname or "") in _LOOPBACK:
        return url
    raise ConfigError(
        _("The problem report address must start with https://: {url}").format(url=url)
    )


def parse_retry_after(value: str | None, now: datetime) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - now).total_seconds())


def backoff_delay(attempts: int, policy: SendPolicy) -> float:
    """The wait after the ``attempts``-th failure in a row (0: the first)."""
    return float(min(policy.backoff_max_s, policy.backoff_initial_s * 2 ** min(attempts, 30)))


def classify(response: requests.Response, now: datetime) -> Attempt:
    """What the server's answer means for the report."""
    status = response.status_code
    stop = _says_stop(response)
    if 200 <= status < 300:
        return Attempt(Outcome.SENT, status, stop_automatic=stop)
    error = f"HTTP {status} {response.reason or ''}".strip()
    if status >= 500 or status in _RETRY_STATUSES:
        retry_after = parse_retry_after(response.headers.get("Retry-After"), now)
        return Attempt(Outcome.RETRY, status, retry_after, error, stop)
    return Attempt(Outcome.SET_ASIDE, status, None, error, stop)


def _says_stop(response: requests.Response) -> bool:
    if response.headers.get(STOP_HEADER, "").strip().lower() in {"1", "true", "yes"}:
        return True
    if "json" not in response.headers.get("Content-Type", ""):
        return False
    try:
        data = response.json()
    except ValueError:
        return False
    return isinstance(data, dict) and data.get("stop_automatic") is True


def post_report(
    http: requests.Session, endpoint: str, queued: QueuedReport, body: bytes, timeout: float
) -> requests.Response:
    headers = {
        "Content-Type": queued.content_type,
        "Idempotency-Key": queued.report_id,
        "User-Agent": f"Mostrador/{queued.app_version}",
        "Mostrador-Version": queued.app_version,
        "Mostrador-Report-Kind": queued.kind.value,
        "Mostrador-Automatic": "1" if queued.automatic else "0",
        "Mostrador-Priority": queued.priority.value,
    }
    return http.post(endpoint, data=body, headers=headers, timeout=timeout, allow_redirects=False)


class ReportSender:
    """Sends the outbox; see the module docstring."""

    def __init__(
        self,
        outbox: ReportOutbox,
        endpoint: str,
        *,
        policy: SendPolicy | None = None,
        clock: Clock = utc_now,
        app_version: str = __version__,
    ) -> None:
        self.outbox = outbox
        self.endpoint = check_endpoint(endpoint)
        self.policy = policy or SendPolicy()
        self.clock = clock
        self.app_version = app_version
        self._http = requests.Session()
        self._http.trust_env = False  # no proxy or .netrc credentials picked up silently
        self._not_before: datetime | None = None  # the server or the network said wait
        self._round = threading.Lock()
        self._stopping = threading.Event()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None

    # -------------------------------------------------------------------- rounds

    def send_due(self) -> RoundResult:
        """Send every due report, urgent first; stop at the first one to retry."""
        with self._round:
            now = self.clock()
            self.outbox.prune(now)
            if self._not_before and now < self._not_before:
                return RoundResult()
            sent = set_aside = 0
            for queued in self.outbox.due(now):
                if self._stopping.is_set():
                    break
                outcome = self._send_one(queued, now)
                if outcome is Outcome.RETRY:
                    return RoundResult(sent, 1, set_aside)
                sent += outcome is Outcome.SENT
                set_aside += outcome is Outcome.SET_ASIDE
            return RoundResult(sent, 0, set_aside)

    def _send_one(self, queued: QueuedReport, now: datetime) -> Outcome:
        if queued.automatic and self.outbox.automatic_stopped(queued.app_version):
            self.outbox.set_aside(queued.report_id, "automatic reports stopped by the server")
            return Outcome.SET_ASIDE
        attempt = self._attempt(queued, now)
        if attempt.stop_automatic:
            self.outbox.stop_automatic(queued.app_version)
        if attempt.outcome is Outcome.SENT:
            self.outbox.remove(queued.report_id)
            logger.info("bug report %s sent", queued.report_id)
        elif attempt.outcome is Outcome.SET_ASIDE:
            self.outbox.set_aside(queued.report_id, attempt.error)
        else:
            self._postpone(queued, attempt, now)
        return attempt.outcome

    def _attempt(self, queued: QueuedReport, now: datetime) -> Attempt:
        try:
            body = self.outbox.body(queued.report_id)
            response = post_report(self._http, self.endpoint, queued, body, self.policy.timeout_s)
        except requests.RequestException as exc:
            return Attempt(Outcome.RETRY, error=f"{type(exc).__name__}: no answer")
        with response:
            return classify(response, now)

    def _postpone(self, queued: QueuedReport, attempt: Attempt, now: datetime) -> None:
        if attempt.retry_after_s is not None:
            delay = min(attempt.retry_after_s, self.policy.retry_after_max_s)
        else:
            delay = backoff_delay(queued.attempts, self.policy)
        until = now + timedelta(seconds=delay)
        self.outbox.postpone(queued.report_id, until, attempt.error)
        self._not_before = until
        logger.info(
            "bug report %s not sent (%s); retry in %.0f s", queued.report_id, attempt.error, delay
        )

    def seconds_to_next_round(self) -> float:
        now = self.clock()
        due = self.outbox.next_attempt_at()
        if due is None:
            return self.policy.idle_poll_s
        if self._not_before and self._not_before > due:
            due = self._not_before
        return min(self.policy.idle_poll_s, max(0.01, (due - now).total_seconds()))

    # -------------------------------------------------------------------- thread

    def start(self) -> None:
        """Send in the background from now on (no-op when already running)."""
        if self._thread is not None and self._thread.is_alive():
            return
        self._stopping.clear()
        self._thread = threading.Thread(target=self._run, name="bug-report-sender", daemon=True)
        self._thread.start()

    def wake(self) -> None:
        """A report was queued: look at the outbox now (a Retry-After is still honoured)."""
        self._wake.set()

    def stop(self, timeout: float = 5.0) -> bool:
        """Stop the thread; True when it ended within ``timeout`` (queued reports stay)."""
        self._stopping.set()
        self._wake.set()
        thread = self._thread
        if thread is not None:
            thread.join(timeout)
        return thread is None or not thread.is_alive()

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def _run(self) -> None:
        while not self._stopping.is_set():
            try:
                self.send_due()
                wait = self.seconds_to_next_round()
            except Exception:  # a bug here must not kill the sender for the session
                logger.exception("bug report sender round failed")
                wait = self.policy.backoff_initial_s
            self._wake.wait(wait)
            self._wake.clear()
