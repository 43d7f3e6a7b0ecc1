from __future__ import annotations

import logging
from pathlib import Path

from app.config import secrets
from app.logging_setup import register_secret, scrub, setup_logging


def test_scrub_masks_credentials_in_urls_and_pairs() -> None:
    text = "connect mysql+pymysql://shop:S3cr3t!@db.example.com/ps password=hunter22 token: abc"
    clean = scrub(text)
    assert "S3cr3t!" not in clean and "hunter22" not in clean and "abc" not in clean
    assert "mysql+pymysql://shop:***@db.example.com/ps" in clean


def test_registered_secret_never_reaches_the_log_file(tmp_path: Path) -> None:
    path = setup_logging(tmp_path)
    register_secret("Zq9-very-private")
    logger = logging.getLogger("mostrador.test")
    logger.warning("login failed with %s", "Zq9-very-private")
    try:
        raise RuntimeError("boom Zq9-very-private")
    except RuntimeError:
        logger.exception("while connecting")
    for handler in logging.getLogger().handlers:
        handler.flush()
    content = path.read_text(encoding="utf-8")
    assert "login failed with ***" in content
    assert "Zq9-very-private" not in content
    assert "RuntimeError: boom ***" in content


def test_keyring_round_trip_uses_the_test_backend() -> None:
    key = secrets.db_password_key("shop", "db.example.com", None, "ps")
    assert key == "shop@db.example.com:3306/ps"
    secrets.set_secret("db", key, "pw-1")
    assert secrets.get_secret("db", key) == "pw-1"
    secrets.delete_secret("db", key)
    assert secrets.get_secret("db", key) is None
