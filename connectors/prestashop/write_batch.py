"""Few round trips to a remote shop: a batch of writes and reads sent as one request.

A push is a long list of small statements (cart, order, details, taxes, payments, history,
invoice, stock…) whose later rows need the ids of earlier ones. Against a shop 30 ms away,
one statement per round trip costs seconds. Here the statements are described as values
(:class:`Insert`, :class:`Update`, :class:`Upsert`, with :class:`Ref` standing for "the id the
insert named so-and-so got") and run by :func:`run_batch`:

* on MySQL/MariaDB, when the connection allows multi-statements (``client_flag`` with
  ``CLIENT.MULTI_STATEMENTS``, see :data:`AnySelect: TypeAlias = "Select[Unpack[tuple[Any, ...]]]"
MULTI_STATEMENT_CONNECT_ARGS`), as **one** request:
  ids travel in session variables (``SET @order := LAST_INSERT_ID()``), reads come back as
  result sets of the same request;
* otherwise (SQLite, or a MySQL connection without the flag) one statement at a time, ids
  taken from ``lastrowid``.

Values go through the column types' bind processing and the driver's own escaping, never
into the SQL text. Reads are SQLAlchemy selects; on the one-request path they are rendered
with literal values, which is only done for integers and plain key-like strings.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeAlias, Unpack

from pymysql.constants import CLIENT
from sqlalchemy import Column, Connection, Select, Table
from sqlalchemy.exc import DBAPIError

AnySelect: TypeAlias = "Select[Unpack[tuple[Any, ...]]]"
MULTI_STATEMENT_CONNECT_ARGS: dict[str, Any] = {"client_flag": CLIENT.MULTI_STATEMENTS}


@dataclass(frozen=True)
class Ref:
    """The auto-increment id that the :class:`Insert` with ``ref=name`` received."""

    name: str


@dataclass(frozen=True)
class Concat:
    """Text made of literal parts and ids, e.g. a cart's ``{"12":"1,"}`` delivery option."""

    parts: tuple[str | Ref, ...]


@dataclass(frozen=True)
class Add:
    """In an :class:`Update`: ``column = column + amount`` (relative, never read-modify-write)."""

    amount: Any


@dataclass(frozen=True)
class Insert:
    table: Table
    rows: tuple[Mapping[str, Any], ...]
    ref: str | None = None  # name of the id of the (single) row inserted

    def __post_init__(self) -> None:
        if self.ref is not None and len(self.rows) != 1:
            raise ValueError("a named insert holds exactly one row")


@dataclass(frozen=True)
class Update:
    table: Table
    values: Mapping[str, Any]  # plain values, Ref, Concat or Add
    where: Mapping[str, Any]  # column = value, all of them


@dataclass(frozen=True)
class Upsert:
    """Insert rows; on a duplicate key add ``add`` columns and overwrite ``replace`` ones."""

    table: Table
    rows: tuple[Mapping[str, Any], ...]
    key: tuple[str, ...]
    add: tuple[str, ...] = ()
    replace: tuple[str, ...] = ()


Statement = Insert | Update | Upsert


@dataclass
class BatchResult:
    refs: dict[str, int] = field(default_factory=dict)
    reads: list[list[Mapping[str, Any]]] = field(default_factory=list)


def supports_multi_statements(conn: Connection) -> bool:
    """Whether ``conn`` can send several statements in one request (MySQL with the flag)."""
    if conn.dialect.name not in ("mysql", "mariadb"):
        return False
    raw = conn.connection.dbapi_connection
    return bool(getattr(raw, "client_flag", 0) & CLIENT.MULTI_STATEMENTS)


def run_batch(
    conn: Connection, statements: Sequence[Statement], reads: Sequence[AnySelect] = ()
) -> BatchResult:
    """Run ``statements`` in order, then ``reads``; ids of named inserts and read rows."""
    _check_refs(statements)
    if supports_multi_statements(conn):
        return _run_multi(conn, statements, reads)
    return _run_each(conn, statements, reads)


def _check_refs(statements: Sequence[Statement]) -> None:
    defined: set[str] = set()
    for statement in statements:
        for value in _values(statement):
            for ref in _refs_in(value):
                if ref.name not in defined:
                    raise ValueError(f"id {ref.name!r} used before its insert")
        if isinstance(statement, Insert) and statement.ref:
            defined.add(statement.ref)


def _values(statement: Statement) -> Iterator[Any]:
    if isinstance(statement, Update):
        yield from statement.values.values()
        return
    for row in statement.rows:
        yield from row.values()


def _refs_in(value: Any) -> list[Ref]:
    if isinstance(value, Ref):
        return [value]
    if isinstance(value, Concat):
        return [p for p in value.parts if isinstance(p, Ref)]
    return []


# --------------------------------------------------------------------------- rendering


class _Renderer:
    """SQL text with placeholders, and the parameters, for one dialect.

    ``refs`` None: ids are MySQL session variables; otherwise their known values.
    """

    def __init__(self, conn: Connection, refs: Mapping[str, int] | None) -> None:
        self.dialect = conn.dialect
        self.quote = conn.dialect.identifier_preparer.quote
        self.mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
        self.refs = refs
        self.params: list[Any] = []

    def statement(self, statement: Statement) -> str:
        if isinstance(statement, Update):
            return self._update(statement)
        text = self._insert(statement.table, statement.rows)
        if isinstance(statement, Upsert):
            text += self._on_conflict(statement)
        return text

    def _insert(self, table: Table, rows: Sequence[Mapping[str, Any]]) -> str:
        names = list(rows[0])
        tuples = []
        for row in rows:
            marks = [self.value(table.c[name], row[name]) for name in names]
            tuples.append(f"({', '.join(marks)})")
        columns = ", ".join(self.quote(name) for name in names)
        return f"INSERT INTO {self.quote(table.name)} ({columns}) VALUES {', '.join(tuples)}"

    def _update(self, statement: Update) -> str:
        table, sets = statement.table, []
        for name, value in statement.values.items():
            column = self.quote(name)
            if isinstance(value, Add):
                sets.append(f"{column} = {column} + {self.value(table.c[name], value.amount)}")
            else:
                sets.append(f"{column} = {self.value(table.c[name], value)}")
        conditions = [
            f"{self.quote(name)} = {self.value(table.c[name], value)}"
            for name, value in statement.where.items()
        ]
        where = " AND ".join(conditions)
        return f"UPDATE {self.quote(table.name)} SET {', '.join(sets)} WHERE {where}"

    def _on_conflict(self, statement: Upsert) -> str:
        q = self.quote
        if self.dialect.name == "sqlite":
            sets = [f"{q(c)} = {q(c)} + excluded.{q(c)}" for c in statement.add]
            sets += [f"{q(c)} = excluded.{q(c)}" for c in statement.replace]
            keys = ", ".join(q(k) for k in statement.key)
            return f" ON CONFLICT ({keys}) DO UPDATE SET {', '.join(sets)}"
        sets = [f"{q(c)} = {q(c)} + VALUES({q(c)})" for c in statement.add]
        sets += [f"{q(c)} = VALUES({q(c)})" for c in statement.replace]
        return f" ON DUPLICATE KEY UPDATE {', '.join(sets)}"

    def value(self, column: Column[Any], value: Any) -> str:
        if isinstance(value, Ref):
            return self._ref(value)
        if isinstance(value, Concat):
            parts = [self._ref(p) if isinstance(p, Ref) else self._param(p) for p in value.parts]
            if self.dialect.name == "sqlite":
                return "(" + " || ".join(parts) + ")"
            return f"CONCAT({', '.join(parts)})"
        processor = column.type.bind_processor(self.dialect)
        return self._param(processor(value) if processor else value)

    def _ref(self, ref: Ref) -> str:
        if self.refs is None:
            return f"@{ref.name}"
        return self._param(self.refs[ref.name])

    def _param(self, value: Any) -> str:
        self.params.append(value)
        return self.mark


# --------------------------------------------------------------------------- one request


def _run_multi(
    conn: Connection, statements: Sequence[Statement], reads: Sequence[AnySelect]
) -> BatchResult:
    renderer = _Renderer(conn, refs=None)
    parts: list[str] = []
    names = [s.ref for s in statements if isinstance(s, Insert) and s.ref]
    if names:  # a session variable never carries an id over from an earlier batch
        parts.append("SET " + ", ".join(f"@{name} := NULL" for name in names))
    for statement in statements:
        parts.append(renderer.statement(statement))
        if isinstance(statement, Insert) and statement.ref:
            parts.append(f"SET @{statement.ref} := LAST_INSERT_ID()")
    parts += [_literal_sql(conn, read) for read in reads]
    if names:
        quote = conn.dialect.identifier_preparer.quote_identifier
        parts.append("SELECT " + ", ".join(f"@{name} AS {quote(name)}" for name in names))
    results = _execute_multi(conn, ";\n".join(parts), renderer.params)
    refs: dict[str, int] = {}
    if names:
        (values,) = results.pop()
        refs = {name: int(values[name]) for name in names}
    return BatchResult(refs=refs, reads=results)


def _literal_sql(conn: Connection, read: AnySelect) -> str:
    compiled = read.compile(dialect=conn.dialect, compile_kwargs={"literal_binds": True})
    # The request carries parameters, so PyMySQL applies %-formatting to the whole text.
    return str(compiled).replace("%", "%%")


def _execute_multi(conn: Connection, sql: str, params: list[Any]) -> list[list[Mapping[str, Any]]]:
    """Send ``sql`` as one request; the rows of every result set that has columns."""
    raw = conn.connection.dbapi_connection
    assert raw is not None
    cursor = raw.cursor()
    conn.dispatch.before_cursor_execute(conn, cursor, sql, params, None, False)
    try:
        cursor.execute(sql, params)
        results = [_rows(cursor)] if cursor.description else []
        while cursor.nextset():
            if cursor.description:
                results.append(_rows(cursor))
        return results
    except conn.dialect.loaded_dbapi.Error as error:
        invalidated = conn.dialect.is_disconnect(error, raw, cursor)
        if invalidated:
            conn.invalidate(error)
        raise DBAPIError.instance(
            sql[:2000], None, error, conn.dialect.loaded_dbapi.Error, invalidated
        ) from error
    finally:
        if not conn.invalidated:
            cursor.close()


def _rows(cursor: Any) -> list[Mapping[str, Any]]:
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, values, strict=True)) for values in cursor.fetchall()]


# --------------------------------------------------------------------------- one at a time


def _run_each(
    conn: Connection, statements: Sequence[Statement], reads: Sequence[AnySelect]
) -> BatchResult:
    result = BatchResult()
    for statement in statements:
        renderer = _Renderer(conn, refs=result.refs)
        sql = renderer.statement(statement)
        cursor_result = conn.exec_driver_sql(sql, tuple(renderer.params))
        if isinstance(statement, Insert) and statement.ref:
            result.refs[statement.ref] = int(cursor_result.lastrowid)
    for read in reads:
        result.reads.append([dict(r) for r in conn.execute(read).mappings()])
    return result
