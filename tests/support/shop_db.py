"""Fresh PrestaShop databases for tests, fast: built once per session, copied per test.

A template is built the first time a (backend, version, prefix, demo) combination is asked
for: the empty schema (``ddl.create_schema``) or the demo shop (``build_demo_shop``). Each test
then gets a copy: on MariaDB ``CREATE TABLE new.t LIKE tmpl.t`` for every table (plus
``INSERT … SELECT`` for the tables holding rows), sent as one multi-statement batch; on SQLite
a file copy.
"""

from __future__ import annotations

import itertools
import os
import shutil
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import pymysql
from sqlalchemy import Engine

from connectors.prestashop import ddl
from connectors.prestashop.engine import make_engine
from tests.support.mariadb import MariaDBServer

Backend = Literal["mariadb", "sqlite"]
SQLITE_VERSION = "8.2"  # facts used for the "sqlite" parameter: the demo shop's default version
UNKNOWN_THREAD = 1094  # MariaDB ER_NO_SUCH_THREAD
DEMO_SIZE = {"products": 40, "orders": 30, "customers": 10, "seed": 7}


@dataclass(frozen=True)
class ShopDb:
    """A database holding a PrestaShop schema (and maybe the demo shop) for one test."""

    url: str
    version: str
    prefix: str
    backend: Backend

    def engine(self) -> Engine:
        """A new engine (sql_mode='' on MariaDB, like PrestaShop); the caller disposes it."""
        return make_engine(self.url)


@dataclass(frozen=True)
class _Template:
    location: str  # database name (MariaDB) or file path (SQLite)
    tables: tuple[str, ...]
    filled: tuple[str, ...]  # tables holding rows


class ShopDbFactory:
    """Builds templates lazily and hands out copies.

    Copies are dropped by a background thread (``discard``), overlapping the next test;
    ``close`` waits for those drops. MariaDB templates live as long as the (throwaway) server.
    """

    def __init__(self, root: Path, server: Callable[[], MariaDBServer]) -> None:
        self._root = root
        self._server = server
        self._templates: dict[tuple[Backend, str, str, bool], _Template] = {}
        self._counter = itertools.count(1)
        self._dropper = ThreadPoolExecutor(max_workers=1, thread_name_prefix="drop-shop-db")
        self._drops: list[Future[None]] = []

    def make(self, version: str, prefix: str = ddl.DEFAULT_PREFIX, demo: bool = False) -> ShopDb:
        """A fresh copy; ``version`` is a schema version (MariaDB) or ``"sqlite"``."""
        backend: Backend = "sqlite" if version == "sqlite" else "mariadb"
        if backend == "sqlite":
            version = SQLITE_VERSION
        key = (backend, version, prefix, demo)
        if key not in self._templates:
            self._templates[key] = self._build_template(*key)
        name = f"t{os.getpid()}_{next(self._counter)}"
        template = self._templates[key]
        if backend == "sqlite":
            return self._copy_sqlite(template, name, version, prefix)
        return self._copy_mariadb(template, name, version, prefix)

    def discard(self, shop: ShopDb) -> None:
        if shop.backend == "sqlite":
            path = Path(shop.url.removeprefix("sqlite:///"))
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        else:
            name = shop.url.rsplit("/", 1)[1].split("?")[0]
            self._drops.append(self._dropper.submit(_drop, self._server(), name))
            self._drops = [f for f in self._drops if not f.done() or f.exception()]

    def close(self) -> None:
        """Wait for pending drops; raise the first error one of them met."""
        self._dropper.shutdown(wait=True)
        for future in self._drops:
            future.result()

    def _build_template(self, backend: Backend, version: str, prefix: str, demo: bool) -> _Template:
        tag = f"tmpl_{version.replace('.', '_')}_{prefix.rstrip('_')}_{int(demo)}"
        if backend == "sqlite":
            path = self._root / f"{tag}.sqlite3"
            path.unlink(missing_ok=True)
            url = f"sqlite:///{path}"
            location = str(path)
        else:
            location = self._server().create_database(tag)
            url = self._server().url(location)
        engine = make_engine(url)
        try:
            _fill(engine, version, prefix, demo)
            tables, filled = _inventory(engine, version, prefix)
            if backend == "sqlite":
                with engine.connect() as conn:
                    conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            engine.dispose()
        return _Template(location, tables, filled)

    def _copy_sqlite(self, template: _Template, name: str, version: str, prefix: str) -> ShopDb:
        path = self._root / f"{name}.sqlite3"
        shutil.copyfile(template.location, path)
        return ShopDb(f"sqlite:///{path}", version, prefix, "sqlite")

    def _copy_mariadb(self, template: _Template, name: str, version: str, prefix: str) -> ShopDb:
        server = self._server()
        server.create_database(name)
        source = template.location
        statements = [f"CREATE TABLE `{name}`.`{t}` LIKE `{source}`.`{t}`" for t in template.tables]
        statements += [
            f"INSERT INTO `{name}`.`{t}` SELECT * FROM `{source}`.`{t}`" for t in template.filled
        ]
        with server.connection() as conn, conn.cursor() as cur:
            cur.execute("SET SESSION sql_mode = ''; " + ";\n".join(statements))
            while cur.nextset():
                pass
        return ShopDb(server.url(name), version, prefix, "mariadb")


def _fill(engine: Engine, version: str, prefix: str, demo: bool) -> None:
    if not demo:
        ddl.create_schema(engine, version, prefix)
        return
    from connectors.prestashop.demo_shop import build_demo_shop

    build_demo_shop(
        engine,
        version=version,
        prefix=prefix,
        products=DEMO_SIZE["products"],
        orders=DEMO_SIZE["orders"],
        customers=DEMO_SIZE["customers"],
        seed=DEMO_SIZE["seed"],
    )


def _inventory(engine: Engine, version: str, prefix: str) -> tuple[tuple[str, ...], ...]:
    """(every table, tables with at least one row), in the schema's order."""
    tables = tuple(ddl.build_metadata(version, prefix).tables)
    filled: list[str] = []
    with engine.connect() as conn:
        for table in tables:
            if conn.exec_driver_sql(f"SELECT 1 FROM {table} LIMIT 1").first() is not None:
                filled.append(table)
    return tables, tuple(filled)


def _drop(server: MariaDBServer, name: str) -> None:
    """Drop ``name``, first killing connections a test left open on it (they hold locks)."""
    with server.connection() as conn, conn.cursor() as cur:
        cur.execute(
            "SELECT ID FROM information_schema.PROCESSLIST WHERE DB = %s AND ID <> CONNECTION_ID()",
            (name,),
        )
        for (thread_id,) in cur.fetchall():
            try:
                cur.execute(f"KILL CONNECTION {int(thread_id)}")
            except pymysql.err.MySQLError as error:  # it ended meanwhile: nothing to kill
                if error.args[0] != UNKNOWN_THREAD:
                    raise
        cur.execute("SET SESSION lock_wait_timeout = 30")
        cur.execute(f"DROP DATABASE IF EXISTS `{name}`")
