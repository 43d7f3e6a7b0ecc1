"""Logging configured once: a size-capped rotating file in the user log folder and a filter
that strips secrets before anything is written."""

from __future__ import annotations

import logging
import logging.handlers
import re
import threading
from pathlib import Path

LOG_FILE = "mostrador.log"
MAX_BYTES = 2_000_000
BACKUPS = 5

_URL_CREDENTIALS = re.compile(
    r"(?P<scheme>[a-z][a-z0-9+.-]*://)(?P<user>[^:/@\s]*):[^@/\s]*@", re.I
)
_KEY_VALUE = re.compile(
    r"(?P<key>\b(?:password|passwd|pwd|secret|token|api[_-]?key|passphrase)\b\s*[=:]\s*)"
    r"(?P<q>['\"]?)[^'\"\s,;&]+(?P=q)",
    re.I,
)
_known_secrets: set[str] = set()
_lock = threading.Lock()


def register_secret(value: str) -> None:
    """Make ``value`` disappear from every log line from now on."""
    if value and len(value) >= 3:
        with _lock:
            _known_secrets.add(value)


def scrub(text: str) -> str:
    """``text`` with credentials in URLs, ``password=…`` pairs and known secrets masked."""
    text = _URL_CREDENTIALS.sub(r"\g<scheme>\g<user>:***@", text)
    text = _KEY_VALUE.sub(r"\g<key>\g<q>***\g<q>", text)
    with _lock:
        secrets = sorted(_known_secrets, key=len, reverse=True)
    for secret in secrets:
        text = text.replace(secret, "***")
    return text


class SecretFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = scrub(record.getMessage())
        record.msg, record.args = message, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = scrub(record.exc_text)
        return True


def setup_logging(log_dir: Path, level: int = logging.INFO, debug_sql: bool = False) -> Path:
    """Configure the root logger once; returns the log file path."""
    log_dir.mkdir(parents=True, exist_ok=True)
    path = log_dir / LOG_FILE
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_mostrador", False):
            root.removeHandler(handler)
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
    return path
