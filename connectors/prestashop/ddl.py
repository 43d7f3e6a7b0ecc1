"""PrestaShop's table definitions as SQLAlchemy Core tables, for demo and test databases only.

The facts come from ``schemas/ps-<version>.json`` (built by ``schemas/make_schemas.py`` from
the definitions in FACTS.md §0). ``build_metadata`` reproduces every table column for column
with MySQL types (unsigned ints with display widths, DECIMAL(p,s), ENUM, TEXT sizes, server
defaults, AUTO_INCREMENT, keys, InnoDB/utf8mb4). The same tables compile on SQLite:

* integers become ``INTEGER`` (a single auto-increment primary key is SQLite's rowid),
  decimals ``NUMERIC``, enums ``VARCHAR``, texts ``TEXT``;
* index names get the table name in front, since SQLite wants them unique per database;
* NOT NULL columns without a default get MySQL's implicit one (0, '', the first enum value,
  ``0000-00-00 00:00:00``), so that SQLite accepts the same inserts as MySQL does under
  PrestaShop's empty ``sql_mode`` (FACTS.md §1): zero dates are stored as that text.

``create_schema`` must never be run on a real shop: Mostrador does not create PrestaShop's
tables, it only reads and writes them (STYLE.md rule 7).
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable
from functools import cache
from importlib import resources
from typing import Any

from sqlalchemy import (
    Column,
    Dialect,
    Engine,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    Numeric,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.dialects import mysql
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.schema import CreateColumn, CreateIndex
from sqlalchemy.sql.compiler import DDLCompiler
from sqlalchemy.types import TypeDecorator, TypeEngine, UserDefinedType

PACKAGE = "connectors.prestashop"
SCHEMA_FOLDER = "schemas"  # package data: ps-<version>.json
DEFAULT_PREFIX = "ps_"
# Facts left out of the JSON files when they hold these values (see schemas/make_schemas.py).
_OMITTED_WHEN: dict[str, Any] = {
    "unsigned": False,
    "has_default": False,
    "default": None,
    "auto_increment": False,
}
# Column.info / Index.info keys read by the SQLite DDL hooks below.
_SQLITE_DEFAULT = "ps_sqlite_default"
_SQLITE_INDEX_NAME = "ps_sqlite_index_name"
_MYSQL_AUTO_INCREMENT = "ps_mysql_auto_increment"
_INT_TYPES: dict[str, Callable[..., TypeEngine[Any]]] = {
    "tinyint": mysql.TINYINT,
    "smallint": mysql.SMALLINT,
    "mediumint": mysql.MEDIUMINT,
    "int": mysql.INTEGER,
    "bigint": mysql.BIGINT,
}
_TEXT_TYPES: dict[str, Callable[..., TypeEngine[Any]]] = {
    "text": mysql.TEXT,
    "mediumtext": mysql.MEDIUMTEXT,
    "longtext": mysql.LONGTEXT,
}
_ZERO_DATETIME = "0000-00-00 00:00:00"


def available_versions() -> list[str]:
    """Schema versions shipped with the app, oldest first (e.g. ``["1.7.8", "8.0", ...]``)."""
    names = [entry.name for entry in _schema_folder().iterdir()]
    versions = [n[3:-5] for n in names if n.startswith("ps-") and n.endswith(".json")]
    return sorted(versions, key=lambda v: tuple(int(part) for part in v.split(".")))


def load_facts(version: str) -> dict[str, Any]:
    """The table facts of ``version``: ``{"version", "table_count", "tables": {name: table}}``.

    Each table has ``columns`` (in order; every column dict carries name, type, base_type,
    unsigned, nullable, has_default, default, auto_increment, and when relevant length,
    precision, scale, enum_values, collate), ``primary_key``, ``unique_keys`` and ``indexes``
    (``{"name", "columns", "lengths"?}``) and ``options`` (engine, charset, collate or None).
    A fresh copy is returned each time, so callers may modify it.
    """
    return json.loads(json.dumps(_load_facts_cached(version)))  # type: ignore[no-any-return]


def _schema_folder() -> resources.abc.Traversable:
    return resources.files(PACKAGE) / SCHEMA_FOLDER


@cache
def _load_facts_cached(version: str) -> dict[str, Any]:
    if version not in available_versions():
        raise ValueError(f"no PrestaShop schema facts for version {version!r}")
    path = _schema_folder() / f"ps-{version}.json"
    facts: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    for table in facts["tables"].values():
        for column in table["columns"]:
            for key, value in _OMITTED_WHEN.items():
                column.setdefault(key, value)
    return facts


def build_metadata(version: str, prefix: str = DEFAULT_PREFIX) -> MetaData:
    """A MetaData with every PrestaShop table of ``version``, named ``prefix + table``."""
    facts = _load_facts_cached(version)
    metadata = MetaData(info={"prestashop_version": version, "prefix": prefix})
    for name, table_facts in facts["tables"].items():
        _build_table(metadata, prefix + name, table_facts)
    return metadata


def create_schema(engine: Engine, version: str, prefix: str = DEFAULT_PREFIX) -> MetaData:
    """Create every PrestaShop table of ``version`` (demo/test databases only); return them."""
    metadata = build_metadata(version, prefix)
    metadata.create_all(engine)
    return metadata


def get_table(metadata: MetaData, name: str) -> Table:
    """The table ``name`` (without prefix) of a metadata made by ``build_metadata``."""
    return metadata.tables[metadata.info["prefix"] + name]


def _build_table(metadata: MetaData, full_name: str, facts: dict[str, Any]) -> Table:
    options = facts["options"]
    kwargs: dict[str, Any] = {
        "mysql_engine": options["engine"],
        "mysql_charset": options["charset"],
    }
    if options.get("collate"):
        kwargs["mysql_collate"] = options["collate"]
    primary_key = facts["primary_key"]
    single_auto_pk = len(primary_key) == 1 and any(
        c["auto_increment"] and c["name"] == primary_key[0] for c in facts["columns"]
    )
    columns = [_build_column(c, single_auto_pk) for c in facts["columns"]]
    table = Table(full_name, metadata, *columns, **kwargs)
    if primary_key:
        table.append_constraint(PrimaryKeyConstraint(*primary_key))
    for key in facts["unique_keys"]:
        _add_index(table, key, unique=True)
    for key in facts["indexes"]:
        _add_index(table, key, unique=False)
    return table


def _add_index(table: Table, key: dict[str, Any], unique: bool) -> None:
    lengths = key.get("lengths")
    if unique and not lengths:
        table.append_constraint(UniqueConstraint(*key["columns"], name=key["name"]))
        return
    extra: dict[str, Any] = {"mysql_length": lengths} if lengths else {}
    index = Index(key["name"], *(table.c[c] for c in key["columns"]), unique=unique, **extra)
    index.info[_SQLITE_INDEX_NAME] = f"{table.name}__{key['name']}"


def _build_column(facts: dict[str, Any], single_auto_pk: bool) -> Column[Any]:
    # SQLite has no AUTO_INCREMENT inside a composite key: there it is rendered for MySQL
    # only (by _mysql_create_column) and SQLite callers must give explicit ids.
    composite_auto = bool(facts["auto_increment"]) and not single_auto_pk
    column: Column[Any] = Column(
        facts["name"],
        column_type(facts),
        nullable=facts["nullable"],
        autoincrement=bool(facts["auto_increment"]) and not composite_auto,
        server_default=_server_default(facts),
    )
    if not facts["nullable"] and not facts["has_default"] and not facts["auto_increment"]:
        column.info[_SQLITE_DEFAULT] = _implicit_default(facts)
    if composite_auto:
        column.info[_MYSQL_AUTO_INCREMENT] = True
    return column


def column_type(facts: dict[str, Any]) -> TypeEngine[Any]:
    """The MySQL type of a column, with a SQLite variant."""
    mysql_type, sqlite_type = _types(facts)
    return mysql_type.with_variant(sqlite_type, "sqlite")


def _types(facts: dict[str, Any]) -> tuple[TypeEngine[Any], TypeEngine[Any]]:
    base = facts["base_type"]
    if base in _INT_TYPES:
        width = facts.get("length")
        return _INT_TYPES[base](display_width=width, unsigned=facts["unsigned"]), Integer()
    if base == "boolean":
        return mysql.TINYINT(display_width=1), Integer()
    if base in ("decimal", "numeric"):
        precision, scale = facts["precision"], facts["scale"]
        decimal = mysql.DECIMAL(precision=precision, scale=scale, unsigned=facts["unsigned"])
        return decimal, Numeric(precision, scale)
    return _other_types(facts)


def _other_types(facts: dict[str, Any]) -> tuple[TypeEngine[Any], TypeEngine[Any]]:
    base = facts["base_type"]
    collation = facts.get("collate")
    if base in ("varchar", "char"):
        kind = mysql.VARCHAR if base == "varchar" else mysql.CHAR
        return kind(facts["length"], collation=collation), String(facts["length"])
    if base in _TEXT_TYPES:
        return _TEXT_TYPES[base](collation=collation), Text()
    if base == "enum":
        values = facts["enum_values"]
        return mysql.ENUM(*values), String(max(len(v) for v in values))
    if base == "varbinary":
        return mysql.VARBINARY(facts["length"]), LargeBinary(facts["length"])
    if base == "json":
        return mysql.JSON(), Text()
    if base in ("datetime", "timestamp", "date"):
        return PsDateTime(base), PsDateTime(base)
    raise ValueError(f"unsupported column type {facts['type']!r}")


class _SqliteDateText(UserDefinedType[str]):
    """A SQLite column declared DATETIME/DATE whose text is read and written as is."""

    cache_ok = True

    def __init__(self, spec: str) -> None:
        self.spec = spec

    def get_col_spec(self, **kw: Any) -> str:
        return self.spec


class PsDateTime(TypeDecorator[datetime.datetime | datetime.date]):
    """DATETIME, TIMESTAMP or DATE as PrestaShop uses them.

    Its zero date (``0000-00-00 00:00:00``, "not set") reads as ``None`` on MySQL (where
    PyMySQL returns it as a string) and on SQLite; on SQLite values are stored as MySQL shows
    them (``YYYY-MM-DD HH:MM:SS``). A string is written as given, so the zero date can be too.
    """

    impl = mysql.DATETIME
    cache_ok = True

    def __init__(self, kind: str = "datetime") -> None:
        super().__init__()
        self.kind = kind

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "sqlite":
            return _SqliteDateText("DATE" if self.kind == "date" else "DATETIME")
        kinds = {"datetime": mysql.DATETIME, "timestamp": mysql.TIMESTAMP, "date": mysql.DATE}
        return dialect.type_descriptor(kinds[self.kind]())

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        if dialect.name != "sqlite" or not isinstance(value, datetime.date):
            return value
        if isinstance(value, datetime.datetime):
            return value.strftime("%Y-%m-%d %H:%M:%S")
        return value.isoformat()

    def process_result_value(
        self, value: Any, dialect: Dialect
    ) -> datetime.datetime | datetime.date | None:
        if not isinstance(value, str):
            return value  # type: ignore[no-any-return]
        if value.startswith("0000-00-00"):
            return None
        if self.kind == "date":
            return datetime.date.fromisoformat(value[:10])
        return datetime.datetime.fromisoformat(value)


def _server_default(facts: dict[str, Any]) -> Any:
    default = facts["default"]
    if not facts["has_default"] or default is None:
        return None
    if default.upper() == "CURRENT_TIMESTAMP":
        return text("CURRENT_TIMESTAMP")
    return default


def _implicit_default(facts: dict[str, Any]) -> str:
    """MySQL's implicit default of a NOT NULL column without DEFAULT, as SQL text."""
    base = facts["base_type"]
    if base == "enum":
        first: str = facts["enum_values"][0]
        return "'" + first.replace("'", "''") + "'"
    if base in ("datetime", "timestamp"):
        return f"'{_ZERO_DATETIME}'"
    if base == "date":
        return "'0000-00-00'"
    if base in ("varchar", "char", "json", "varbinary", *_TEXT_TYPES):
        return "''"
    return "0"


def _default_ddl(compiler: DDLCompiler, visit: str, element: Any, **kw: Any) -> str | None:
    """What SQLAlchemy itself renders for ``element`` (the hooks below only add to it)."""
    rendered = getattr(compiler, visit)(element, **kw)
    return None if rendered is None else str(rendered)


@compiles(CreateColumn, "sqlite")
def _sqlite_create_column(element: CreateColumn, compiler: DDLCompiler, **kw: Any) -> str | None:
    rendered = _default_ddl(compiler, "visit_create_column", element, **kw)
    implicit = element.element.info.get(_SQLITE_DEFAULT)
    if implicit is not None and rendered and " DEFAULT " not in rendered:
        rendered += f" DEFAULT {implicit}"
    return rendered


@compiles(CreateColumn, "mysql")
def _mysql_create_column(element: CreateColumn, compiler: DDLCompiler, **kw: Any) -> str | None:
    rendered = _default_ddl(compiler, "visit_create_column", element, **kw)
    auto = element.element.info.get(_MYSQL_AUTO_INCREMENT)
    if auto and rendered and "AUTO_INCREMENT" not in rendered:
        rendered += " AUTO_INCREMENT"
    return rendered


@compiles(CreateIndex, "sqlite")
def _sqlite_create_index(element: CreateIndex, compiler: DDLCompiler, **kw: Any) -> str:
    rendered = _default_ddl(compiler, "visit_create_index", element, **kw) or ""
    index = element.element
    unique_name = index.info.get(_SQLITE_INDEX_NAME) if isinstance(index, Index) else None
    if unique_name is None or index.name is None:
        return rendered
    quote = compiler.preparer.quote
    old, new = f" {quote(str(index.name))} ON ", f" {quote(unique_name)} ON "
    return rendered.replace(old, new, 1)


__all__ = [
    "DEFAULT_PREFIX",
    "PsDateTime",
    "available_versions",
    "build_metadata",
    "column_type",
    "create_schema",
    "load_facts",
    "get_table",
]
