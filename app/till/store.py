"""The till store: one SQLite file per till, the truth for sales not yet pushed.

``paths.data_dir()/till-<name>.sqlite3`` by default; WAL journal, ``synchronous=FULL`` (a
committed sale survives a power cut), foreign keys on, a busy timeout. One engine and one
``sessionmaker`` per store (STYLE rule 6): operations open their own transaction through
:meth:`TillStore.write` (``BEGIN IMMEDIATE``: the write lock is taken up front, so reading the
series counter and inserting the ticket can never race another process) or
:meth:`TillStore.read` (a deferred transaction: one consistent WAL snapshot).

Repositories and helpers take the ``Session``; only the operation boundary opens it.
"""

from __future__ import annotations

import logging
import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL
from sqlalchemy.exc import DatabaseError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from app import paths
from app.errors import UserFacingError
from app.i18n import _
from app.till.errors import NotATillStore, TillStoreBusy, TillStoreError
from app.till.migrations import MIGRATIONS, Migration, SchemaState, upgrade

logger = logging.getLogger(__name__)

TILL_NAME = re.compile(r"[A-Za-z0-9]{1,12}")
DEFAULT_BUSY_TIMEOUT_S = 10.0
_BEGIN_OPTION = "till_begin"


def default_path(till: str) -> Path:
    return paths.data_dir() / f"till-{till}.sqlite3"


def check_till_name(till: str) -> str:
    """Till names are 1-12 ASCII letters or digits: they name the file and the ticket series."""
    if not TILL_NAME.fullmatch(till):
        raise UserFacingError(
            _("Invalid till name {name!r}: use 1 to 12 letters or digits.").format(name=till)
        )
    return till


class TillStore:
    """An open till store. Use :func:`open_store`; close it (or use ``with``) when done."""

    def __init__(self, till: str, path: Path, engine: Engine, schema: SchemaState) -> None:
        self.till = till
        self.path = path
        self.engine = engine
        self.schema = schema
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A session in a ``BEGIN IMMEDIATE`` transaction, committed on success."""
        with _busy_as_error(self.path), self._sessions() as session, session.begin():
            session.connection(execution_options={_BEGIN_OPTION: "IMMEDIATE"})
            yield session

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A session in a deferred transaction: one consistent snapshot of the store."""
        with _busy_as_error(self.path), self._sessions() as session, session.begin():
            yield session

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> TillStore:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


def open_store(
    till: str,
    path: Path | None = None,
    *,
    migrations: tuple[Migration, ...] = MIGRATIONS,
    busy_timeout_s: float = DEFAULT_BUSY_TIMEOUT_S,
) -> TillStore:
    """Open (creating and migrating if needed) the store of ``till``.

    Raises :class:`StoreTooNew` for a store a newer, incompatible Mostrador wrote, and
    :class:`NotATillStore` for a file that is something else.
    """
    check_till_name(till)
    path = path or default_path(till)
    path.parent.mkdir(parents=True, exist_ok=True)
    engine = make_engine(path, busy_timeout_s)
    try:
        with _not_a_database_as_error(path), _busy_as_error(path):
            schema = upgrade(engine, migrations)
    except BaseException:
        engine.dispose()
        raise
    return TillStore(till, path, engine, schema)


def make_engine(path: Path, busy_timeout_s: float = DEFAULT_BUSY_TIMEOUT_S) -> Engine:
    engine = create_engine(
        URL.create("sqlite", database=str(path)), connect_args={"timeout": busy_timeout_s}
    )
    timeout_ms = int(busy_timeout_s * 1000)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves (see _on_begin)
        for pragma in (
            f"busy_timeout = {timeout_ms}",
            "journal_mode = WAL",
            "synchronous = FULL",
            "foreign_keys = ON",
        ):
            dbapi_connection.execute(f"PRAGMA {pragma}")

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        mode = connection.get_execution_options().get(_BEGIN_OPTION, "DEFERRED")
        connection.exec_driver_sql(f"BEGIN {mode}")

    return engine


@contextmanager
def _busy_as_error(path: Path) -> Iterator[None]:
    try:
        yield
    except OperationalError as error:
        if "locked" not in str(error.orig) and "busy" not in str(error.orig):
            raise
        logger.warning("Till store %s busy: %s", path, error.orig)
        raise TillStoreBusy(
            _("The till's data file is busy in another program."),
            _("Close the other copy of Mostrador using this till, then try again."),
        ) from error


@contextmanager
def _not_a_database_as_error(path: Path) -> Iterator[None]:
    try:
        yield
    except OperationalError as error:
        raise TillStoreError(
            _("Cannot open the till's data file {path}.").format(path=path),
            str(error.orig),
        ) from error
    except DatabaseError as error:
        raise NotATillStore(
            _("The file {path} is not a Mostrador till store.").format(path=path),
            _("Choose another file, or move this one away so that a new store is created."),
        ) from error
