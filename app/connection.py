"""Which shop database to use and how to open it: command line, then settings, then keyring.

A password given in the URL is accepted for scripting; the normal place is the OS keyring,
under the key named by :func:`app.config.secrets.db_password_key`.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from app import paths
from app.config import secrets
from app.errors import ConfigError
from app.i18n import _
from app.logging_setup import register_secret
from connectors.prestashop.engine import is_sqlite, make_engine, normalize_url

logger = logging.getLogger(__name__)

DEMO_PRODUCTS = 400
DEMO_ORDERS = 600
DEMO_SCHEMA_VERSION = "8.2"
# What the demo shop holds, stored as the file's PRAGMA user_version: an older demo is rebuilt.
# 1: catalog, customers, orders; 2: + suppliers and product_supplier.
DEMO_FORMAT = 2


@dataclass(frozen=True)
class ShopTarget:
    """Where the shop database is. ``url`` may carry a password only when the user typed it."""

    url: URL
    prefix: str = "ps_"
    id_shop: int = 1
    lang_iso: str = "es"
    demo: bool = False

    @property
    def safe_url(self) -> str:
        return self.url.render_as_string(hide_password=True)


def parse_url(text: str) -> URL:
    try:
        return normalize_url(text)
    except ArgumentError as exc:
        raise ConfigError(
            _("The database address {url} is not valid.").format(url=text),
            _("Example: mysql://user@shop.example.com:3306/prestashop"),
        ) from exc


def password_for(url: URL) -> str | None:
    """The password to use for ``url``: the URL's own, else the keyring's."""
    if url.password is not None:
        return str(url.password)
    if is_sqlite(url) or not url.username:
        return None
    host = url.host or "localhost"
    key = secrets.db_password_key(url.username, host, url.port, url.database or "")
    return secrets.get_secret("db", key)


def open_engine(target: ShopTarget) -> Engine:
    password = password_for(target.url)
    if password:
        register_secret(password)
    return make_engine(target.url, password=password)


def demo_target(path: Path | None = None) -> ShopTarget:
    path = path or paths.demo_shop_path()
    return ShopTarget(url=make_url(f"sqlite:///{path}"), demo=True)


def demo_format(path: Path) -> int:
    """The DEMO_FORMAT the demo shop at ``path`` was built with (0: before formats, or not a
    database)."""
    try:
        with contextlib.closing(sqlite3.connect(path)) as db:
            return int(db.execute("PRAGMA user_version").fetchone()[0])
    except sqlite3.DatabaseError:
        return 0


def ensure_demo_shop(path: Path | None = None) -> Path:
    """Build the demo shop (SQLite) the first time, or again when it predates ``DEMO_FORMAT``
    (what was done in an older demo is lost); a half-built file is never left behind."""
    path = path or paths.demo_shop_path()
    if path.exists():
        found = demo_format(path)
        if found >= DEMO_FORMAT:
            return path
        logger.info("the demo shop in %s has format %d, not %d: rebuilding it", path, found,
                    DEMO_FORMAT)  # fmt: skip
    _build_demo_shop(path)
    return path


def _build_demo_shop(path: Path) -> None:
    from connectors.prestashop.demo_shop import build_demo_shop

    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".building")
    for leftover in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
        leftover.unlink(missing_ok=True)
    logger.info("building the demo shop in %s", path)
    engine = make_engine(f"sqlite:///{tmp}")
    try:
        build_demo_shop(
            engine, version=DEMO_SCHEMA_VERSION, products=DEMO_PRODUCTS, orders=DEMO_ORDERS
        )
        with engine.begin() as conn:
            conn.exec_driver_sql(f"PRAGMA user_version = {DEMO_FORMAT}")
    finally:
        engine.dispose()
    for stale in (Path(f"{path}-wal"), Path(f"{path}-shm")):  # an old file's, never the new's
        stale.unlink(missing_ok=True)
    os.replace(tmp, path)
