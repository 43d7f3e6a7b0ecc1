"""Engines for a shop database: MySQL/MariaDB through PyMySQL, or SQLite for the demo shop.

Every MySQL connection runs ``SET SESSION sql_mode = ''`` and uses utf8mb4, as PrestaShop's own
drivers do (FACTS.md §1), so that PrestaShop's NOT NULL columns without defaults and its zero
dates behave as PrestaShop expects.
"""

from __future__ import annotations

import sqlite3
import ssl
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url

from app.errors import ConfigError
from app.i18n import _

DEFAULT_CONNECT_TIMEOUT = 8
# Below the 28800 s MySQL default and below the 300 s many shared hostings configure.
POOL_RECYCLE_SECONDS = 240


@dataclass(frozen=True)
class TlsOptions:
    """TLS to the MySQL server. ``ca_file`` empty: the system's certificate authorities.

    ``verify`` off still encrypts but accepts any certificate (hostings with a self-made one);
    the setup wizard says so.
    """

    ca_file: str = ""
    verify: bool = True

    def ssl_context(self) -> ssl.SSLContext:
        try:
            context = ssl.create_default_context(cafile=self.ca_file or None)
        except (OSError, ssl.SSLError) as exc:
            raise ConfigError(
                _("The certificate authority file {path} cannot be read: {error}").format(
                    path=self.ca_file, error=exc
                ),
                _("Choose the CA file your hosting gives for MySQL (a .pem or .crt file)."),
            ) from exc
        if not self.verify:
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
        return context


# URL query keys SQLAlchemy's PyMySQL dialect turns into PyMySQL's ``ssl`` argument.
_TLS_QUERY_KEYS = ("ssl_ca", "ssl_check_hostname", "ssl_verify_cert", "ssl")


def url_with_tls(url: str | URL, tls: TlsOptions | None) -> URL:
    """``url`` carrying ``tls`` in its query, so the settings' URL alone opens it with TLS."""
    parsed = make_url(url).difference_update_query(_TLS_QUERY_KEYS)
    if tls is None:
        return parsed
    query = {"ssl": "true", "ssl_verify_cert": "true" if tls.verify else "false"}
    if tls.ca_file:
        query["ssl_ca"] = tls.ca_file
    return parsed.update_query_dict(query)


def tls_of_url(url: str | URL) -> TlsOptions | None:
    """The TLS options a URL made by :func:`url_with_tls` carries; None: no TLS."""
    query = make_url(url).query
    if query.get("ssl") != "true":
        return None
    ca = query.get("ssl_ca", "")
    return TlsOptions(
        ca_file=ca if isinstance(ca, str) else ca[0],
        verify=query.get("ssl_verify_cert") != "false",
    )


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
    tls: TlsOptions | None = None,
    **kwargs: Any,
) -> Engine:
    """An engine for the shop database at ``url``; ``password`` overrides the URL's.

    TLS comes from ``tls`` or else from the URL's query (:func:`url_with_tls`).
    """
    parsed = normalize_url(url)
    tls = tls or tls_of_url(parsed)
    parsed = parsed.difference_update_query(_TLS_QUERY_KEYS)
    if password is not None:
        parsed = parsed.set(password=password)
    if parsed.get_backend_name() == "sqlite":
        engine = create_engine(parsed, **kwargs)
        event.listen(engine, "connect", _sqlite_on_connect)
        return engine
    connect_args: dict[str, Any] = {
        "charset": "utf8mb4",
        "connect_timeout": connect_timeout,
        "read_timeout": max(30, connect_timeout * 4),
        "write_timeout": max(30, connect_timeout * 4),
        "init_command": "SET SESSION sql_mode = ''",
    }
    if tls is not None and parsed.get_backend_name() in ("mysql", "mariadb"):
        connect_args["ssl"] = tls.ssl_context()
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
