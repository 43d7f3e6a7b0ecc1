"""Versioned, ordered, expand-only migrations of the till store, applied when it is opened.

``till_schema`` holds one row per applied step (version, ``min_compatible``, description, when,
by which app version). The store's version is the highest row; its ``min_compatible`` says the
oldest code that may still read and write it. Code meeting a store:

* older store → the missing steps are applied, each in its own ``BEGIN IMMEDIATE`` transaction
  (SQLite DDL is transactional; a second process opening at the same time waits, then finds
  the step done);
* newer store, ``min_compatible`` ≤ code version → opened as is (every step is expand-only);
* newer store, ``min_compatible`` > code version → refused (:class:`StoreTooNew`).

``PRAGMA user_version`` mirrors the version for outside tools; ``PRAGMA application_id`` marks
the file as a till store.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, Engine

from app import __version__
from app.i18n import _
from app.till.errors import NotATillStore, StoreTooNew
from app.till.migration_addresses import ADDRESSES
from app.till.migration_catalog import CATALOG
from app.till.migration_corrections import CORRECTIONS
from app.till.migration_invoices import INVOICES
from app.till.migration_signin import APPROVALS, CATEGORIES, SIGNIN
from app.till.migration_steps import LEDGER, PARKED
from app.till.migration_verifactu import VERIFACTU

logger = logging.getLogger(__name__)

APPLICATION_ID = 0x4D545331  # "MTS1": Mostrador till store


@dataclass(frozen=True)
class Migration:
    version: int
    min_compatible: int  # oldest code version that can read and write the store after this step
    description: str
    statements: tuple[str, ...]


MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, 1, "sales ledger", LEDGER),
    Migration(2, 1, "parked tickets", PARKED),
    Migration(3, 1, "catalog cache and search", CATALOG),
    Migration(4, 1, "employee sign-in", SIGNIN),
    Migration(5, 1, "categories", CATEGORIES),
    Migration(6, 1, "discount approvals", APPROVALS),
    Migration(7, 1, "VERI*FACTU records", VERIFACTU),
    Migration(8, 1, "full invoices", INVOICES),
    Migration(9, 1, "customers' addresses", ADDRESSES),
    Migration(10, 1, "VERI*FACTU corrections", CORRECTIONS),
)

_BOOTSTRAP = """CREATE TABLE IF NOT EXISTS till_schema (
    version INTEGER PRIMARY KEY,
    min_compatible INTEGER NOT NULL,
    description TEXT NOT NULL,
    applied_at TEXT NOT NULL,
    app_version TEXT NOT NULL DEFAULT ''
)"""


@dataclass(frozen=True)
class SchemaState:
    version: int  # 0: empty store
    min_compatible: int
    code_version: int

    @property
    def is_newer_than_code(self) -> bool:
        return self.version > self.code_version


def read_state(connection: Connection, code_version: int) -> SchemaState:
    row = connection.exec_driver_sql(
        "SELECT version, min_compatible FROM till_schema ORDER BY version DESC LIMIT 1"
    ).first()
    if row is None:
        return SchemaState(0, 0, code_version)
    return SchemaState(int(row[0]), int(row[1]), code_version)


def upgrade(engine: Engine, migrations: tuple[Migration, ...] = MIGRATIONS) -> SchemaState:
    """Bring the store at ``engine`` to the last of ``migrations``; refuse a too-new store."""
    code_version = migrations[-1].version if migrations else 0
    with engine.connect() as connection:
        _check_application_id(connection)
    state = _bootstrap(engine, code_version)
    for migration in migrations:
        if migration.version > state.version:
            state = _apply(engine, migration, code_version)
    _refuse_if_incompatible(state, engine)
    return state


def _check_application_id(connection: Connection) -> None:
    with connection.begin():
        app_id = connection.exec_driver_sql("PRAGMA application_id").scalar_one()
        tables = connection.exec_driver_sql("SELECT count(*) FROM sqlite_master").scalar_one()
    if app_id == APPLICATION_ID or (app_id == 0 and tables == 0):
        return
    raise NotATillStore(
        _("The file {path} is not a Mostrador till store.").format(path=_db_path(connection)),
        _("Choose another file, or move this one away so that a new store is created."),
    )


def _bootstrap(engine: Engine, code_version: int) -> SchemaState:
    connection = engine.connect().execution_options(till_begin="IMMEDIATE")
    with connection, connection.begin():
        connection.exec_driver_sql(_BOOTSTRAP)
        connection.exec_driver_sql(f"PRAGMA application_id = {APPLICATION_ID}")
        return read_state(connection, code_version)


def _apply(engine: Engine, migration: Migration, code_version: int) -> SchemaState:
    connection = engine.connect().execution_options(till_begin="IMMEDIATE")
    with connection, connection.begin():
        state = read_state(connection, code_version)
        if state.version >= migration.version:  # another process got there first
            return state
        for statement in migration.statements:
            connection.exec_driver_sql(statement)
        connection.exec_driver_sql(
            "INSERT INTO till_schema (version, min_compatible, description, applied_at, "
            "app_version) VALUES (?, ?, ?, ?, ?)",
            (
                migration.version,
                migration.min_compatible,
                migration.description,
                datetime.now().isoformat(sep=" "),
                __version__,
            ),
        )
        connection.exec_driver_sql(f"PRAGMA user_version = {migration.version}")
        logger.info(
            "Till store migrated to schema %d (%s)", migration.version, migration.description
        )
        return read_state(connection, code_version)


def _refuse_if_incompatible(state: SchemaState, engine: Engine) -> None:
    if not state.is_newer_than_code:
        return
    if state.min_compatible <= state.code_version:
        logger.info(
            "Till store schema %d is newer than this code (%d) but compatible from %d",
            state.version,
            state.code_version,
            state.min_compatible,
        )
        return
    raise StoreTooNew(
        _(
            "This till's data ({path}) was written by a newer version of Mostrador "
            "(data version {store}) that this version (data version {code}) cannot use."
        ).format(path=engine.url.database, store=state.version, code=state.code_version),
        _("Install the newer version of Mostrador again, or ask for help."),
    )


def _db_path(connection: Connection) -> str:
    return str(connection.engine.url.database)
