"""Everything that leaves the till in a report goes through :func:`scrub_text` first.

On top of the secrets :func:`app.logging_setup.scrub` masks (credentials, secret key values,
card numbers, registered secrets) it masks personal data: e-mail addresses, phone numbers,
Spanish tax ids (NIF, NIE, CIF) and the user's name in file paths.
"""

from __future__ import annotations

import getpass
import json
import logging
import re
from pathlib import Path

from app import paths
from app.config import secrets
from app.config import settings as cfg
from app.errors import MostradorError
from app.logging_setup import (
    is_secret_name,
    register_secret,
    register_secrets_from_environment,
    scrub,
)

logger = logging.getLogger(__name__)

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
_TAX_ID = re.compile(
    r"(?<!\w)(?:ES)?(?:\d{8}[A-Z]|[XYZ]\d{7}[A-Z]|[ABCDEFGHJNPQRSUVW]\d{7}[0-9A-J])(?!\w)",
    re.I,
)
_PHONE = re.compile(
    r"(?<![\w+.,])(?:"
    r"(?:(?:\+|00)34[\s.-]?)?[6789](?:[\s.-]?\d){8}"  # Spanish: 9 digits from 6, 7, 8 or 9
    r"|(?:\+|00)[1-9]\d{0,2}(?:[\s.-]?\d){6,12}"  # any other with its country code
    r")(?![\w])"
)
_USER_PATH = re.compile(
    r"(?P<root>(?:[a-z]:)?[\\/]+(?:users|documents and settings|home)[\\/]+)"
    r"(?P<user>[^\\/\s\"'<>:|]+)",
    re.I,
)
_RULES = ((_EMAIL, "<email>"), (_TAX_ID, "<tax-id>"), (_PHONE, "<phone>"))


def scrub_text(text: str) -> str:
    """``text`` fit to leave the till: secrets and personal data masked."""
    text = _USER_PATH.sub(r"\g<root><user>", scrub(text))
    user = _user_name()
    if user:
        text = re.sub(rf"(?<=[\\/]){re.escape(user)}(?=[\\/])", "<user>", text, flags=re.I)
    for pattern, replacement in _RULES:
        text = pattern.sub(replacement, text)
    return text


def _user_name() -> str:
    try:
        name = getpass.getuser()
    except (OSError, KeyError, ImportError):
        return ""
    return name if len(name) >= 3 else ""


def register_known_secrets(settings_path: Path | None = None) -> None:
    """Teach the scrubber the secrets this till knows: the shop database password (settings
    URL and keyring), values of secret-looking keys in the settings file, the environment's.

    Reads files and the keyring: call it on a worker thread.
    """
    register_secrets_from_environment()
    path = settings_path or paths.config_dir() / cfg.FILE_NAME
    try:
        raw = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    except (OSError, ValueError) as exc:
        logger.warning("bug report: settings not readable for scrubbing: %s", exc)
        return
    for key, value in raw.items() if isinstance(raw, dict) else []:
        if isinstance(value, str) and is_secret_name(key) and len(value) >= 4:
            register_secret(value)
    url = raw.get(cfg.SHOP_DB_URL.key) if isinstance(raw, dict) else None
    if isinstance(url, str) and url:
        _register_url_password(url)


def _register_url_password(url: str) -> None:
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError):
        return
    if parsed.password:
        register_secret(str(parsed.password))
    if parsed.username and parsed.host:
        key = secrets.db_password_key(
            parsed.username, parsed.host, parsed.port, parsed.database or ""
        )
        try:
            stored = secrets.get_secret("db", key)
        except MostradorError as exc:
            logger.warning("bug report: keyring not readable for scrubbing: %s", exc)
            return
        if stored:
            register_secret(stored)
