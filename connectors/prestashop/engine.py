"""Engines for a shop database: MySQL/MariaDB through PyMySQL, or SQLite for the demo shop.

Every MySQL connection runs ``SET SESSION sql_mode = ''`` and uses utf8mb4, as PrestaShop's own
drivers do (FACTS.md §1), so that PrestaShop's NOT NULL columns without defaults and its zero
dates behave as PrestaShop expects.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url

DEFAULT_CONNECT_TIMEOUT = 8
# Below the 28800 s MySQL default and below the 300 s many shared hostings configure.
POOL_RECYCLE_SECONDS = 240


def normalize_url(url: str | URL) -> URL:
    """``mysql://`` and ``mariadb://`` URLs use PyMySQL; anything else is kept as given."""
    parsed = make_url(url)
    if parsed.get_backend_name() in ("mysql", "mariadb") and parsed.get_driver_name() in (
        "",
        "mysqldb",
    ):
        parsed = parsed.set(drivername=f"{parsed.get_backend_name()}+pymysql")
    return parsed


def is_sqlite(url: str | URL) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def make_engine(
    url: str | URL,
    password: str | None = None,
    connect_timeout: int = DEFAULT_CONNECT_TIMEOUT,
    **kwargs: Any,
) -> Engine:
    """An engine for the shop database at ``url``; ``password`` overrides the URL's."""
    parsed = normalize_url(url)
    if password is not None:
        parsed = parsed.set(password=password)
    if parsed.get_backend_name() == "sqlite":
        engine = create_engine(parsed, **kwargs)
        event.listen(engine, "connect", _sqlite_on_connect)
        return engine
    connect_args = {
        "charset": "utf8mb4",
        "connect_timeout": connect_timeout,
        "read_timeout": max(30, connect_timeout * 4),
        "write_timeout": max(30, connect_timeout * 4),
        "init_command": "SET SESSION sql_mode = ''",
    }
    connect_args.update(kwargs.pop("connect_args", {}))
    return create_engine(
        parsed,
        pool_pre_ping=True,
        pool_recycle=POOL_RECYCLE_SECONDS,
        connect_args=connect_args,
        **kwargs,
    )


def _sqlite_on_connect(dbapi_connection: sqlite3.Connection, _record: object) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()
