"""Schema versions of the till store: migrations, older readers, stores from the future."""

from __future__ import annotations

import re
import sqlite3
from datetime import datetime
from decimal import Decimal as D
from pathlib import Path

import pytest
from sqlalchemy import Boolean

from app import paths
from app.errors import UserFacingError
from app.till import models_catalog  # noqa: F401  (maps the catalog tables)
from app.till.cash_drawer import open_cash_session
from app.till.catalog import search, upsert
from app.till.errors import NotATillStore, StoreTooNew
from app.till.migration_corrections import CORRECTIONS
from app.till.migrations import MIGRATIONS
from app.till.models import TillBase
from app.till.models_catalog import CatalogProduct
from app.till.samples import Item, sample_ticket
from app.till.store import open_store
from app.till.tickets import get_ticket, last_tickets, record_sale

CODE_VERSION = MIGRATIONS[-1].version


def _tables(path: Path) -> set[str]:
    with sqlite3.connect(path) as db:
        return {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}


def _add_future_version(path: Path, version: int, min_compatible: int) -> None:
    with sqlite3.connect(path) as db:
        db.execute(
            "INSERT INTO till_schema (version, min_compatible, description, applied_at)"
            " VALUES (?, ?, 'from the future', '2099-01-01')",
            (version, min_compatible),
        )


def test_a_new_store_gets_every_migration(tmp_path: Path) -> None:
    path = tmp_path / "till.sqlite3"
    with open_store("T1", path) as store:
        assert (store.schema.version, store.schema.min_compatible) == (CODE_VERSION, 1)
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        assert db.execute("PRAGMA user_version").fetchone() == (CODE_VERSION,)
        versions = [r[0] for r in db.execute("SELECT version FROM till_schema ORDER BY version")]
    assert versions == [m.version for m in MIGRATIONS]
    assert {"tickets", "outbox", "parked_tickets", "catalog_products"} <= _tables(path)


def test_connections_use_the_promised_pragmas(tmp_path: Path) -> None:
    with open_store("T1", tmp_path / "till.sqlite3") as store, store.read() as session:
        conn = session.connection()
        pragma = {
            n: conn.exec_driver_sql(f"PRAGMA {n}").scalar()
            for n in ("journal_mode", "synchronous", "foreign_keys", "busy_timeout")
        }
    assert pragma == {
        "journal_mode": "wal",
        "synchronous": 2,
        "foreign_keys": 1,
        "busy_timeout": 10000,
    }


@pytest.mark.parametrize("old_version", range(len(MIGRATIONS)))
def test_every_older_store_is_brought_up_to_date(tmp_path: Path, old_version: int) -> None:
    path = tmp_path / "till.sqlite3"
    with open_store("T1", path, migrations=MIGRATIONS[:old_version]) as old:
        assert old.schema.version == old_version
    if old_version >= 1:  # the ledger exists: sell as the v1 code did, on the old schema
        with sqlite3.connect(path, isolation_level=None) as db:
            db.execute("BEGIN IMMEDIATE")
            for statement in V1_WRITES[:-1]:  # the session stays open
                db.execute(statement)
            db.execute("COMMIT")
    with open_store("T1", path) as store:
        assert store.schema.version == CODE_VERSION
        if old_version >= 1:
            sold = get_ticket(store, "T1-2026-000001")
            assert sold is not None and sold.total_tax_incl == D("2.00")
            assert sold.lines[0].discount_approved_by is None  # a column added later
        else:
            open_cash_session(store, D("10.00"), 1)
        record_sale(store, sample_ticket("T1", [Item(1, 1, D("2.00"))]))
        with store.write() as session:
            upsert(session, CatalogProduct, [{"id_product": 1, "name": "Camisón"}])
        assert [item.name for item in search(store, "camison")] == ["Camisón"]


def test_an_older_version_of_the_code_opens_a_newer_compatible_store(tmp_path: Path) -> None:
    path = tmp_path / "till.sqlite3"
    open_store("T1", path).close()
    with open_store("T1", path, migrations=MIGRATIONS[:1]) as old_code:
        assert old_code.schema.version == CODE_VERSION
        assert old_code.schema.code_version == 1
        open_cash_session(old_code, D("0"), 1)
        ticket = record_sale(old_code, sample_ticket("T1", [Item(1, 1, D("2.00"))]))
        assert last_tickets(old_code) == [ticket]
    assert [r[0] for r in sqlite3.connect(path).execute("SELECT version FROM till_schema")] == [
        m.version for m in MIGRATIONS
    ]  # nothing re-applied, nothing lost


# The queries and writes of schema version 1's code, frozen here as that code issues them.
V1_WRITES = [
    (
        "INSERT INTO cash_sessions (id, till, state, opened_at, opened_by, opening_float)"
        " VALUES ('s1', 'T1', 'open', '2026-01-01 09:00:00.000000', 1, 10000)"
    ),
    (
        "INSERT INTO ticket_series (series, year, last_number) VALUES ('T1', 2026, 1)"
        " ON CONFLICT (series, year) DO UPDATE SET last_number = last_number + 1"
    ),
    (
        "INSERT INTO tickets (uuid, number, series, year, seq, kind, till, created_at, recorded_at,"
        " id_shop, id_currency, id_lang, id_employee, employee_name, id_customer, customer_email,"
        " customer_firstname, customer_lastname, customer_group, customer_walk_in, total_tax_excl,"
        " total_tax_incl, ticket_discount_percent, round_mode, round_type, currency_precision,"
        " cash_session_id, original_ticket, note, line_count, payment_count) VALUES ('u1',"
        " 'T1-2026-000001', 'T1', 2026, 1, 'sale', 'T1', '2026-01-01 10:00:00.000000',"
        " '2026-01-01 10:00:00.000000', 1, 1, 1, 1, 'Ana', NULL, '', '', '', 1, 1, 165, 200, 0,"
        " 2, 2, 2, 's1', NULL, '', 1, 1)"
    ),
    (
        "INSERT INTO ticket_lines (ticket_id, line_no, id_product, id_product_attribute, name,"
        " reference, ean13, quantity, original_unit_price_tax_excl, unit_price_tax_excl,"
        " unit_price_tax_incl, total_tax_excl, total_tax_incl, reduction_percent,"
        " reduction_amount_tax_excl, reduction_amount_tax_incl, group_reduction,"
        " id_specific_price, discount_percent, id_tax_rules_group, tax_computation_method,"
        " wholesale_price, original_line_no, restock, tax_count) VALUES (1, 1, 1, 0, 'Pan', '',"
        " '', 1, 1652893, 1652893, 2000000, 1650000, 2000000, 0, 0, 0, 0, 0, 0, 1, 0, 0, NULL, 1,"
        " 1)"
    ),
    (
        "INSERT INTO line_taxes (line_id, position, id_tax, name, rate, unit_amount, total_amount)"
        " VALUES (1, 1, 1, 'IVA 21%', 21000000, 347107, 350000)"
    ),
    (
        "INSERT INTO payments (ticket_id, position, method, label, tender, amount, given, change)"
        " VALUES (1, 1, 'cash', 'Efectivo', 'cash', 200, 500, 300)"
    ),
    (
        "INSERT INTO cash_movements (session_id, kind, amount, reason, ticket_id, id_employee,"
        " created_at) VALUES ('s1', 'sale', 200, 'T1-2026-000001', 1, 1,"
        " '2026-01-01 10:00:00.000000')"
    ),
    (
        "INSERT INTO outbox (ticket_id, uuid, kind, status, attempts, last_error, refused_reason,"
        " created_at, updated_at) VALUES (1, 'u1', 'sale', 'pending', 0, '', '',"
        " '2026-01-01 10:00:00.000000', '2026-01-01 10:00:00.000000')"
    ),
    "UPDATE outbox SET status = 'pushed', pushed_at = '2026-01-01 10:01:00', id_order = 7",
    "UPDATE cash_sessions SET state = 'closing'",
]
V1_READS = {
    "SELECT number, total_tax_incl FROM tickets ORDER BY id": [("T1-2026-000001", 200)],
    (
        "SELECT l.line_no, l.quantity, t.rate FROM ticket_lines l JOIN line_taxes t"
        " ON t.line_id = l.id"
    ): [(1, 1, 21000000)],
    "SELECT kind, sum(amount) FROM cash_movements GROUP BY kind": [("sale", 200)],
    "SELECT uuid, status, id_order FROM outbox": [("u1", "pushed", 7)],
}


def test_the_v1_code_reads_and_writes_a_fully_migrated_store(tmp_path: Path) -> None:
    path = tmp_path / "till.sqlite3"
    open_store("T1", path).close()
    with sqlite3.connect(path, isolation_level=None) as db:
        db.execute("PRAGMA foreign_keys = ON")
        db.execute("BEGIN IMMEDIATE")
        for statement in V1_WRITES:
            db.execute(statement)
        db.execute("COMMIT")
        for query, expected in V1_READS.items():
            assert db.execute(query).fetchall() == expected, query
    with open_store("T1", path) as store:  # and today's code reads what v1 wrote
        [ticket] = last_tickets(store)
    assert (ticket.number, ticket.total_tax_incl, ticket.lines[0].taxes[0].rate) == (
        "T1-2026-000001",
        D("2.00"),
        D("21"),
    )
    assert ticket.created_at == datetime(2026, 1, 1, 10, 0)


def test_a_newer_store_with_a_compatible_marker_is_opened(tmp_path: Path) -> None:
    path = tmp_path / "till.sqlite3"
    open_store("T1", path).close()
    _add_future_version(path, CODE_VERSION + 5, 1)
    with open_store("T1", path) as store:
        assert store.schema.version == CODE_VERSION + 5
        open_cash_session(store, D("0"), 1)
        record_sale(store, sample_ticket("T1", [Item(1, 1, D("2.00"))]))


def test_a_newer_store_with_an_incompatible_marker_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "till.sqlite3"
    open_store("T1", path).close()
    _add_future_version(path, CODE_VERSION + 5, CODE_VERSION + 1)
    with pytest.raises(StoreTooNew, match="newer version of Mostrador") as refused:
        open_store("T1", path)
    assert "Install the newer version" in refused.value.hint


def test_files_that_are_not_till_stores_are_refused(tmp_path: Path) -> None:
    other = tmp_path / "other.sqlite3"
    with sqlite3.connect(other) as db:
        db.execute("CREATE TABLE customers (id INTEGER)")
    with pytest.raises(NotATillStore):
        open_store("T1", other)
    assert _tables(other) == {"customers"}  # left untouched
    garbage = tmp_path / "garbage.sqlite3"
    garbage.write_bytes(b"this is not a database" * 100)
    with pytest.raises(NotATillStore):
        open_store("T1", garbage)


_EXPAND = re.compile(
    r"^\s*(CREATE (TABLE|VIRTUAL TABLE|INDEX|UNIQUE INDEX|TRIGGER) |ALTER TABLE \w+ ADD COLUMN )",
    re.IGNORECASE,
)


@pytest.mark.parametrize("migration", MIGRATIONS, ids=lambda m: f"v{m.version}")
def test_migrations_are_expand_only(migration: object) -> None:
    if migration.statements is CORRECTIONS:  # type: ignore[attr-defined]
        # The one rebuild: SQLite cannot drop step 7's UNIQUE in place. Same columns (+1
        # nullable), rows and triggers: tests/integration/test_verifactu_corrections.py.
        assert migration.version == 10  # type: ignore[attr-defined]
        return
    for statement in migration.statements:  # type: ignore[attr-defined]
        assert _EXPAND.match(statement), statement
        head = statement.split("BEGIN", 1)[0] if "TRIGGER" in statement[:30] else statement
        assert not re.search(r"\b(DROP|RENAME)\b", head, re.IGNORECASE), statement
        if "ADD COLUMN" in statement.upper() and "NOT NULL" in statement.upper():
            assert "DEFAULT" in statement.upper(), statement  # older code's inserts still work
    assert migration.min_compatible == 1  # type: ignore[attr-defined]


def test_the_mapping_matches_the_migrated_schema(tmp_path: Path) -> None:
    path = tmp_path / "till.sqlite3"
    open_store("T1", path).close()
    with sqlite3.connect(path) as db:
        for table in TillBase.metadata.sorted_tables:
            info = {r[1]: r for r in db.execute(f"PRAGMA table_info({table.name})")}
            assert set(info) == set(table.columns.keys()), table.name
            for column in table.columns:
                declared = info[column.name][2]
                expected = "INTEGER" if isinstance(column.type, Boolean) else None
                not_null = bool(info[column.name][3]) or bool(info[column.name][5])
                assert not_null == (not column.nullable), (table.name, column.name)
                assert expected is None or declared == expected


def test_the_default_file_lives_in_the_data_folder(tmp_path: Path) -> None:
    with open_store("T2") as store:  # MOSTRADOR_HOME points into tmp_path (tests/conftest.py)
        assert store.path == paths.data_dir() / "till-T2.sqlite3"
        assert store.path.exists()


@pytest.mark.parametrize("name", ["", "T-1", "T 1", "Caja_1", "ÑU", "X" * 13, "T1\n"])
def test_till_names_are_letters_and_digits(tmp_path: Path, name: str) -> None:
    with pytest.raises(UserFacingError, match="Invalid till name"):
        open_store(name, tmp_path / "till.sqlite3")
