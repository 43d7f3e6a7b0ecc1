"""ddl.create_schema builds PrestaShop's real tables: read them back and compare with the facts."""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

import pytest
from sqlalchemy import create_engine, insert, inspect, select

from connectors.prestashop import ddl
from tests.support.mariadb import MariaDBServer
from tests.support.shop_db import ShopDb

_INT_WIDTH = re.compile(r"^(tinyint|smallint|mediumint|int|bigint)\(\d+\)")
_NUMERIC_BASES = {"tinyint", "smallint", "mediumint", "int", "bigint", "decimal", "numeric"}


def normalize_type(column_type: str) -> str:
    """Types as MariaDB shows them, minus integer display widths (``int(11)`` vs ``int``)."""
    text = column_type.lower().strip()
    text = {"boolean": "tinyint(1)", "json": "longtext"}.get(text, text)
    text = text.replace("numeric(", "decimal(")
    return _INT_WIDTH.sub(r"\1", text)


def normalize_default(value: str | None, base_type: str) -> tuple[bool, str | None]:
    """(has a default, the default) from information_schema.COLUMNS.COLUMN_DEFAULT."""
    if value is None:
        return False, None
    if value == "NULL":
        return True, None
    if value.lower() == "current_timestamp()":
        return True, "CURRENT_TIMESTAMP"
    if len(value) >= 2 and value[0] == value[-1] == "'":
        value = value[1:-1].replace("''", "'")
    return True, _canonical(value, base_type)


def _canonical(value: str | None, base_type: str) -> str | None:
    if value is None or base_type not in _NUMERIC_BASES:
        return value
    try:
        return str(Decimal(value).normalize())
    except InvalidOperation:
        return value


def expected_column(facts: dict[str, Any]) -> dict[str, Any]:
    base = facts["base_type"]
    default = facts["default"] if facts["has_default"] else None
    if default is not None and default.upper() == "CURRENT_TIMESTAMP":
        default = "CURRENT_TIMESTAMP"
    return {
        "type": normalize_type(facts["type"]),
        "nullable": facts["nullable"],
        "has_default": facts["has_default"],
        "default": _canonical(default, base),
        "extra": "auto_increment" if facts["auto_increment"] else "",
        "collate": facts.get("collate"),
    }


def actual_columns(server: MariaDBServer, database: str) -> dict[str, list[dict[str, Any]]]:
    query = (
        "SELECT TABLE_NAME, COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE, COLUMN_DEFAULT, EXTRA,"
        " COLLATION_NAME, DATA_TYPE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = %s"
        " ORDER BY TABLE_NAME, ORDINAL_POSITION"
    )
    tables: dict[str, list[dict[str, Any]]] = {}
    with server.connection() as conn, conn.cursor() as cur:
        cur.execute(query, (database,))
        for table, name, ctype, nullable, default, extra, collation, data_type in cur.fetchall():
            has_default, value = normalize_default(default, data_type)
            tables.setdefault(table, []).append(
                {
                    "name": name,
                    "type": normalize_type(ctype),
                    "nullable": nullable == "YES",
                    "has_default": has_default,
                    "default": value,
                    "extra": extra,
                    "collation": collation,
                }
            )
    return tables


def actual_keys(server: MariaDBServer, database: str) -> dict[str, dict[str, Any]]:
    """{table: {index name: (unique, [(column, sub_part)...])}} from STATISTICS."""
    query = (
        "SELECT TABLE_NAME, INDEX_NAME, NON_UNIQUE, COLUMN_NAME, SUB_PART"
        " FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = %s"
        " ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX"
    )
    keys: dict[str, dict[str, Any]] = {}
    with server.connection() as conn, conn.cursor() as cur:
        cur.execute(query, (database,))
        for table, index, non_unique, column, sub_part in cur.fetchall():
            entry = keys.setdefault(table, {}).setdefault(index, (not non_unique, []))
            entry[1].append((column, sub_part))
    return keys


def expected_keys(facts: dict[str, Any]) -> dict[str, Any]:
    keys: dict[str, Any] = {}
    if facts["primary_key"]:
        keys["PRIMARY"] = (True, [(c, None) for c in facts["primary_key"]])
    for unique, group in ((True, facts["unique_keys"]), (False, facts["indexes"])):
        for key in group:
            lengths = key.get("lengths", {})
            keys[key["name"]] = (unique, [(c, lengths.get(c)) for c in key["columns"]])
    return keys


def database_of(shop: ShopDb) -> str:
    return shop.url.rsplit("/", 1)[1].split("?")[0]


@pytest.mark.mariadb
@pytest.mark.parametrize("version", ddl.available_versions())
def test_mariadb_tables_match_facts(
    version: str, make_shop_db: Callable[..., ShopDb], mariadb: MariaDBServer
) -> None:
    shop = make_shop_db(version)
    facts = ddl.load_facts(version)["tables"]
    columns = actual_columns(mariadb, database_of(shop))
    assert sorted(columns) == sorted(shop.prefix + name for name in facts)
    mismatches = []
    for name, table in facts.items():
        actual = {c["name"]: c for c in columns[shop.prefix + name]}
        assert list(actual) == [c["name"] for c in table["columns"]], name
        for column in table["columns"]:
            got = actual[column["name"]]
            want = expected_column(column)
            got_cmp = {k: got[k] for k in want if k != "collate"}
            if got_cmp != {k: v for k, v in want.items() if k != "collate"}:
                mismatches.append((name, column["name"], want, got_cmp))
            if want["collate"] and got["collation"] != want["collate"]:
                mismatches.append((name, column["name"], want["collate"], got["collation"]))
    assert mismatches == []


@pytest.mark.mariadb
@pytest.mark.parametrize("version", ddl.available_versions())
def test_mariadb_keys_and_options_match_facts(
    version: str, make_shop_db: Callable[..., ShopDb], mariadb: MariaDBServer
) -> None:
    shop = make_shop_db(version)
    facts = ddl.load_facts(version)["tables"]
    keys = actual_keys(mariadb, database_of(shop))
    for name, table in facts.items():
        assert keys.get(shop.prefix + name, {}) == expected_keys(table), name
    with mariadb.connection() as conn, conn.cursor() as cur:
        cur.execute(
            "SELECT TABLE_NAME, ENGINE, TABLE_COLLATION FROM information_schema.TABLES"
            " WHERE TABLE_SCHEMA = %s",
            (database_of(shop),),
        )
        options = {row[0]: row[1:] for row in cur.fetchall()}
    for name, table in facts.items():
        engine, collation = options[shop.prefix + name]
        assert engine == "InnoDB"
        assert collation == (table["options"]["collate"] or "utf8mb4_general_ci"), name


def test_prefix_applies_to_every_table(make_shop_db: Callable[..., ShopDb]) -> None:
    shop = make_shop_db("sqlite", prefix="shop7_")
    engine = shop.engine()
    try:
        names = inspect(engine).get_table_names()
    finally:
        engine.dispose()
    assert names and all(name.startswith("shop7_") for name in names)
    assert len(names) == ddl.load_facts(shop.version)["table_count"]


@pytest.mark.parametrize("version", ddl.available_versions())
def test_sqlite_schema_accepts_mysql_style_inserts(version: str, tmp_path: Any) -> None:
    """On SQLite: rowid ids, index names unique, NOT NULL columns get MySQL's implicit values."""
    engine = create_engine(f"sqlite:///{tmp_path / 'shop.sqlite3'}")
    try:
        metadata = ddl.create_schema(engine, version, prefix="ps_")
        orders = ddl.get_table(metadata, "orders")
        with engine.begin() as conn:
            result = conn.execute(insert(orders).values(id_customer=3, payment="Efectivo"))
            assert result.inserted_primary_key == (1,)
            row = conn.execute(select(orders)).mappings().one()
        indexes = [i["name"] for t in metadata.tables for i in inspect(engine).get_indexes(t)]
    finally:
        engine.dispose()
    assert row["id_carrier"] == 0
    assert row["secure_key"] == "-1"
    assert row["module"] is None
    assert len(indexes) == len(set(indexes))


def test_mariadb_insert_omitting_not_null_columns(
    ps_schema_db: ShopDb,
) -> None:
    """With the shop engine (sql_mode='') inserts may omit NOT NULL columns, like PrestaShop's."""
    engine = ps_schema_db.engine()
    try:
        orders = ddl.get_table(ddl.build_metadata(ps_schema_db.version), "orders")
        with engine.begin() as conn:
            conn.execute(insert(orders).values(id_customer=3, payment="Efectivo"))
            row = conn.execute(select(orders.c.id_order, orders.c.current_state)).one()
    finally:
        engine.dispose()
    assert tuple(row) == (1, 0)


def test_facts_are_complete() -> None:
    assert ddl.available_versions() == ["1.7.8", "8.0", "8.2", "9.0"]
    for version in ddl.available_versions():
        facts = ddl.load_facts(version)
        assert facts["table_count"] == len(facts["tables"]) > 200
        orders = facts["tables"]["orders"]
        assert orders["primary_key"] == ["id_order"]
        first = orders["columns"][0]
        assert first["auto_increment"] is True and first["unsigned"] is True
        with pytest.raises(ValueError):
            ddl.load_facts("7.0")


@pytest.mark.parametrize("ps_schema_db", [("sqlite", "shop7_")], indirect=True)
def test_indirect_prefix(ps_schema_db: ShopDb) -> None:
    assert ps_schema_db.prefix == "shop7_"
    engine = ps_schema_db.engine()
    try:
        assert "shop7_orders" in inspect(engine).get_table_names()
    finally:
        engine.dispose()
