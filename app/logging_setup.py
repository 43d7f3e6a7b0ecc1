"""Logging configured once: a size-capped rotating file in the user log folder and a filter
that strips secrets before anything is written.

:func:`scrub` masks what must never be written anywhere: credentials in URLs, values of
secret-looking keys (``password=…``, ``"token": "…"``, ``Authorization: Bearer …``), card
numbers and every value handed to :func:`register_secret`. The bug reporter adds personal data
(e-mails, phones, tax ids, user names in paths) on top, in :mod:`app.bugreport.scrub`.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
import re
import threading
from collections.abc import Mapping
from pathlib import Path

LOG_FILE = "mostrador.log"
MAX_BYTES = 2_000_000
BACKUPS = 5
MASK = "***"

_URL_CREDENTIALS = re.compile(
    r"(?P<scheme>[a-z][a-z0-9+.-]*://)(?P<user>[^:/@\s]*):[^@/\s]*@", re.I
)
_BEARER = re.compile(r"\b(?P<kind>Bearer|Basic|Token)\s+[A-Za-z0-9._~+/=-]{6,}", re.I)
_TOKEN = re.compile(
    r"\b(?:(?:sk|pk|rk|tok|whsec)_(?:live|test)_[A-Za-z0-9]{8,}"
    r"|gh[pousr]_[A-Za-z0-9]{20,}|xox[abprs]-[A-Za-z0-9-]{10,}|AKIA[0-9A-Z]{16}"
    r"|eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{4,})"
)
_SECRET_WORDS = (
    r"password|passwd|pwd|secret|token|api[_-]?key|apikey|passphrase|credentials?"
    r"|authorization|cookie|session[_-]?id|private[_-]?key|contrase(?:ñ|n)a"
)
_KEY_VALUE = re.compile(
    rf"(?P<key>(?<![\w-])[\w.-]*?(?:{_SECRET_WORDS})[\w.-]*)"
    r"(?P<sep>['\"]?\s*[=:]\s*)"
    r"(?!(?:YES|NO)\b)"  # MySQL's "(using password: YES)" says nothing secret
    r"(?:(?P<q>['\"])(?:\\.|(?!(?P=q)).)*(?P=q)|[^\s'\",;&)}\]]+)",
    re.I,
)
_CARD = re.compile(
    r"(?<![\w-])(?:\d{14,19}|\d{4}(?:[ -]\d{4}){3}(?:[ -]\d{3})?|\d{4}[ -]\d{6}[ -]\d{4,5})"
    r"(?![\w-])"
)
_SECRET_ENV_NAME = re.compile(rf"{_SECRET_WORDS}|dsn|database_url", re.I)
_NOT_SECRET_ENV = {"PWD", "OLDPWD"}
_known_secrets: set[str] = set()
_lock = threading.Lock()


def register_secret(value: str) -> None:
    """Make ``value`` disappear from every log line (and every bug report) from now on."""
    if value and len(value) >= 3:
        with _lock:
            _known_secrets.add(value)


def is_secret_name(name: str) -> bool:
    """Whether a setting or variable called ``name`` holds a secret (``DB_PASSWORD``, …)."""
    return name.upper() not in _NOT_SECRET_ENV and bool(_SECRET_ENV_NAME.search(name))


def register_secrets_from_environment(environ: Mapping[str, str] | None = None) -> None:
    """Register the values of secret-looking environment variables and URL passwords in any.

    Nothing of the environment is ever sent; this only teaches :func:`scrub` what to mask.
    """
    for name, value in (os.environ if environ is None else environ).items():
        for match in _URL_CREDENTIALS.finditer(value):
            password = match.group(0).rsplit(":", 1)[-1].rstrip("@")
            register_secret(password)
        if is_secret_name(name) and len(value) >= 6:
            register_secret(value)


def luhn_valid(digits: str) -> bool:
    """The check every payment card number passes."""
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def _mask_card(match: re.Match[str]) -> str:
    digits = re.sub(r"\D", "", match.group(0))
    return "<card>" if 14 <= len(digits) <= 19 and luhn_valid(digits) else match.group(0)


def _mask_key_value(match: re.Match[str]) -> str:
    quote = match.group("q") or ""
    return f"{match.group('key')}{match.group('sep')}{quote}{MASK}{quote}"


def scrub(text: str) -> str:
    """``text`` with credentials, secret key values, card numbers and known secrets masked."""
    with _lock:
        secrets = sorted(_known_secrets, key=len, reverse=True)
    for secret in secrets:
        text = text.replace(secret, MASK)
    text = _URL_CREDENTIALS.sub(rf"\g<scheme>\g<user>:{MASK}@", text)
    text = _BEARER.sub(rf"\g<kind> {MASK}", text)
    text = _TOKEN.sub(MASK, text)
    text = _KEY_VALUE.sub(_mask_key_value, text)
    return _CARD.sub(_mask_card, text)


class SecretFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = scrub(record.getMessage())
        record.msg, record.args = message, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = scrub(record.exc_text)
        if record.stack_info:
            record.stack_info = scrub(record.stack_info)
        return True


class _State:
    log_path: Path | None = None


def setup_logging(log_dir: Path, level: int = logging.INFO, debug_sql: bool = False) -> Path:
    """Configure the root logger once; returns the log file path."""
    log_dir.mkdir(parents=True, exist_ok=True)
    path = log_dir / LOG_FILE
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_mostrador", False):
            root.removeHandler(handler)
            handler.close()
    file_handler = logging.handlers.RotatingFileHandler(
        path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8"
    )
    file_handler.setFormatter(
        logging.Formatter("%(asctime)s %(levelname)s [%(threadName)s] %(name)s: %(message)s")
    )
    file_handler.addFilter(SecretFilter())
    file_handler._mostrador = True  # type: ignore[attr-defined]
    root.addHandler(file_handler)
    root.setLevel(level)
    logging.getLogger("sqlalchemy.engine").setLevel(logging.INFO if debug_sql else logging.WARNING)
    register_secrets_from_environment()
    _State.log_path = path
    return path


def current_log_path() -> Path | None:
    """The file :func:`setup_logging` writes to, or None before it ran."""
    return _State.log_path


def flush_logs() -> None:
    for handler in logging.getLogger().handlers:
        handler.flush()


def read_log_tail(path: Path, max_lines: int = 200, max_bytes: int = 256_000) -> list[str]:
    """The last ``max_lines`` lines of the log at ``path`` (and its previous rotated file when
    the current one is shorter), already scrubbed of secrets. Missing files read as empty."""
    lines: list[str] = []
    for candidate in (path, path.with_name(path.name + ".1")):
        lines = _read_end(candidate, max_bytes) + lines
        if len(lines) >= max_lines:
            break
    return [scrub(line) for line in lines[-max_lines:]]


def _read_end(path: Path, max_bytes: int) -> list[str]:
    try:
        with path.open("rb") as handle:
            size = handle.seek(0, os.SEEK_END)
            handle.seek(max(0, size - max_bytes))
            data = handle.read()
    except OSError:
        return []
    lines = data.decode("utf-8", errors="replace").splitlines()
    return lines[1:] if len(data) >= max_bytes and lines else lines
