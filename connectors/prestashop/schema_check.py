"""Comparing the live database with the mapping (``mostrador doctor``), and the reflection
that ``shop.open_shop`` uses to find the columns a shop lacks.

Live columns are read in one query: ``information_schema.COLUMNS`` on MySQL/MariaDB, the
``pragma_table_info`` table function on SQLite. Differences that do not matter are accepted:
display widths (``int(10)`` vs ``int`` on MySQL 8), signedness, a wider integer, varchar or
decimal than expected (e.g. ``varchar(20)`` where PrestaShop 8 has ``varchar(13)``), ``text``
vs ``mediumtext``, and on SQLite the integer size. A narrower column, another type family or
NOT NULL where the mapping writes NULL are reported.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, bindparam, inspect, text

from connectors.prestashop.models import declared_table_columns, mapped_tables
from connectors.prestashop.types import INT_SIZES, ColumnSpec, column_spec

# Tables whose presence under a prefix means "a PrestaShop shop lives here".
MARKER_TABLES: tuple[str, ...] = ("configuration", "product", "orders")

_FAMILY_NAMES = {
    "integer": "int",
    "bool": "tinyint",
    "boolean": "tinyint",
    "numeric": "decimal",
    "dec": "decimal",
    "fixed": "decimal",
    "character": "char",
    "nvarchar": "varchar",
    "tinytext": "text",
    "mediumtext": "text",
    "longtext": "text",
    "clob": "text",
}
_TYPE_RE = re.compile(r"^\s*([a-z]+)\s*(?:\(([^)]*)\))?\s*(unsigned)?", re.IGNORECASE)
_MYSQL_COLUMNS = text(
    "SELECT TABLE_NAME, COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE FROM information_schema.COLUMNS "
    "WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME IN :names"
).bindparams(bindparam("names", expanding=True))
_SQLITE_COLUMNS = text(
    "SELECT m.name, p.name, p.type, CASE WHEN p.\"notnull\" = 1 OR p.pk > 0 THEN 'NO' "
    "ELSE 'YES' END FROM sqlite_master AS m JOIN pragma_table_info(m.name) AS p "
    "WHERE m.type = 'table' AND m.name IN :names"
).bindparams(bindparam("names", expanding=True))


@dataclass(frozen=True)
class LiveColumn:
    """A column as the database declares it: ``raw_type`` as shown, ``spec`` parsed."""

    name: str
    raw_type: str
    spec: ColumnSpec


@dataclass(frozen=True)
class ColumnProblem:
    """A column whose type cannot hold what the mapping reads or writes."""

    table: str
    column: str
    expected: str
    found: str

    @property
    def name(self) -> str:
        return f"{self.table}.{self.column}"


@dataclass(frozen=True)
class SchemaReport:
    """The database under ``prefix`` compared with the mapping of schema ``family``.

    Tables and columns are named as in the database (with the prefix).
    """

    prefix: str
    family: str
    missing_tables: tuple[str, ...]
    missing_columns: tuple[str, ...]
    mismatched_columns: tuple[ColumnProblem, ...]

    @property
    def ok(self) -> bool:
        return not (self.missing_tables or self.missing_columns or self.mismatched_columns)


LiveTables = dict[str, dict[str, LiveColumn]]


# --------------------------------------------------------------------------- reflection


def reflect_columns(connection: Connection, tables: Collection[str]) -> LiveTables:
    """``{table: {column: LiveColumn}}`` for those of ``tables`` (real names) that exist."""
    if not tables:
        return {}
    sqlite = connection.dialect.name == "sqlite"
    query = _SQLITE_COLUMNS if sqlite else _MYSQL_COLUMNS
    found: LiveTables = {}
    for row in connection.execute(query, {"names": list(tables)}):
        table, column, raw, is_nullable = (_text(value) for value in row)
        spec = parse_type(raw, nullable=is_nullable.upper() == "YES")
        found.setdefault(table, {})[column] = LiveColumn(column, raw, spec)
    return found


def parse_type(raw: str, nullable: bool = True) -> ColumnSpec:
    """``"int(10) unsigned"``, ``"NUMERIC(20, 6)"``, ``"enum('a','b')"`` → a ColumnSpec."""
    match = _TYPE_RE.match(raw)
    if match is None:
        return ColumnSpec(raw.strip().lower() or "unknown", nullable=nullable)
    name, args, unsigned = match.group(1).lower(), match.group(2), bool(match.group(3))
    family = _FAMILY_NAMES.get(name, name)
    numbers = [int(n) for n in re.findall(r"\d+", args or "")] if family != "enum" else []
    spec = ColumnSpec(family, unsigned=unsigned, nullable=nullable)
    if family in ("varchar", "char") and numbers:
        return ColumnSpec(family, length=numbers[0], unsigned=unsigned, nullable=nullable)
    if family == "decimal" and numbers:
        scale = numbers[1] if len(numbers) > 1 else 0
        return ColumnSpec(family, precision=numbers[0], scale=scale, nullable=nullable)
    return spec


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes | bytearray) else str(value)


def connected(bind: Engine | Connection) -> AbstractContextManager[Connection]:
    """A connection of ``bind``: a new one (closed afterwards) for an engine, else itself."""
    return bind.connect() if isinstance(bind, Engine) else nullcontext(bind)


def _table_names(bind: Engine | Connection) -> list[str]:
    with connected(bind) as connection:
        return list(inspect(connection).get_table_names())


# --------------------------------------------------------------------------- prefixes


def find_prefixes(bind: Engine | Connection) -> list[str]:
    """Prefixes under which ``configuration``, ``product`` and ``orders`` tables all exist."""
    names = set(_table_names(bind))
    marker = MARKER_TABLES[0]
    candidates = {n[: -len(marker)] for n in names if n.endswith(marker)}
    return sorted(p for p in candidates if all(p + t in names for t in MARKER_TABLES))


# --------------------------------------------------------------------------- comparison


def expected_columns(family: str) -> dict[str, dict[str, ColumnSpec]]:
    """``{table: {column: spec}}`` that the mapping needs in schema ``family``."""
    expected: dict[str, dict[str, ColumnSpec]] = {}
    for table in mapped_tables():
        columns = declared_table_columns(table)
        specs = {name: column_spec(col, family) for name, col in columns.items()}
        expected[table] = {name: spec for name, spec in specs.items() if spec is not None}
    return expected


def check_schema(bind: Engine | Connection, prefix: str, version_family: str) -> SchemaReport:
    """Every mapped table and column of ``version_family`` against the database."""
    expected = expected_columns(version_family)
    with connected(bind) as connection:
        live = reflect_columns(connection, [prefix + t for t in expected])
        sqlite = connection.dialect.name == "sqlite"
    return compare(prefix, version_family, expected, live, sqlite)


def compare(
    prefix: str,
    family: str,
    expected: Mapping[str, Mapping[str, ColumnSpec]],
    live: LiveTables,
    sqlite: bool = False,
) -> SchemaReport:
    """The report for ``live`` columns against ``expected`` ones (tables without prefix)."""
    missing_tables: list[str] = []
    missing_columns: list[str] = []
    problems: list[ColumnProblem] = []
    for table, columns in expected.items():
        real = prefix + table
        if real not in live:
            missing_tables.append(real)
            continue
        for name, spec in columns.items():
            found = live[real].get(name)
            if found is None:
                missing_columns.append(f"{real}.{name}")
            elif not compatible(spec, found.spec, sqlite):
                problems.append(ColumnProblem(real, name, spec.describe(), _shown(found)))
    return SchemaReport(
        prefix, family, tuple(missing_tables), tuple(missing_columns), tuple(problems)
    )


def _shown(found: LiveColumn) -> str:
    return found.raw_type + (" NULL" if found.spec.nullable else " NOT NULL")


def compatible(expected: ColumnSpec, found: ColumnSpec, sqlite: bool = False) -> bool:
    """Whether a column declared ``found`` holds what the mapping reads and writes as
    ``expected``."""
    if expected.nullable and not found.nullable:
        return False
    return _same_kind(expected, found, sqlite)


def _same_kind(expected: ColumnSpec, found: ColumnSpec, sqlite: bool) -> bool:
    family = expected.family
    if family in INT_SIZES:
        return found.family in INT_SIZES and (sqlite or _int_rank(found) >= _int_rank(expected))
    if family == "decimal":
        return found.family == "decimal" and _decimal_fits(expected, found)
    if family in ("varchar", "char"):
        if found.family == "text":
            return True
        return found.family in ("varchar", "char") and _length_fits(expected, found)
    accepted = {
        "text": ("text",),
        "enum": ("enum", "varchar", "char"),
        "datetime": ("datetime", "timestamp"),
        "timestamp": ("datetime", "timestamp"),
        "date": ("date",),
    }
    return found.family in accepted.get(family, (family,))


def _int_rank(spec: ColumnSpec) -> int:
    return INT_SIZES.index(spec.family)


def _length_fits(expected: ColumnSpec, found: ColumnSpec) -> bool:
    return found.length is None or (found.length >= (expected.length or 0))


def _decimal_fits(expected: ColumnSpec, found: ColumnSpec) -> bool:
    if found.precision is None or found.scale is None:
        return True
    e_scale, f_scale = expected.scale or 0, found.scale
    e_digits = (expected.precision or 0) - e_scale
    return f_scale >= e_scale and found.precision - f_scale >= e_digits


def describe_problems(report: SchemaReport) -> Iterable[str]:
    """One line per problem, for logs and the doctor (untranslated technical text)."""
    for table in report.missing_tables:
        yield f"missing table {table}"
    for column in report.missing_columns:
        yield f"missing column {column}"
    for problem in report.mismatched_columns:
        yield f"{problem.name}: expected {problem.expected}, found {problem.found}"
