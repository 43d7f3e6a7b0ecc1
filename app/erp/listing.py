"""The data-source protocol of every ERP list: keyset pages of frozen rows, never OFFSET.

A list's data source is one plain function, run on a worker::

    def fetch(ctx: ErpContext, query: ListQuery, after: Key | None, limit: int) -> Page[Row]

* ``query`` is what the user typed and picked: ``query.text`` (the search field, stripped) and
  ``query.filters`` (filter name → value, e.g. ``{"active": True, "id_category": 3}``;
  a filter absent or ``None`` means "any").
* ``after`` is the keyset position: ``None`` for the first page, else the ``next_key`` of the
  previous page. The source orders by a unique key (usually the id) and reads
  ``WHERE key > :after ORDER BY key LIMIT :limit + 1``, so page N costs what page 1 costs.
* It returns at most ``limit`` rows and ``next_key`` (``None`` when there is nothing after).

:func:`iter_rows` walks every page of a query (exports: the same query without a page limit,
streamed in batches). :class:`Column` names what a list shows and exports for each row.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, Literal, Protocol, TypeVar

Key = tuple[Any, ...]
Row = TypeVar("Row")
ColumnKind = Literal["text", "int", "decimal", "money", "date", "datetime", "bool"]
EXPORT_BATCH = 2000


@dataclass(frozen=True)
class ListQuery:
    text: str = ""
    filters: Mapping[str, object] = field(default_factory=dict)

    def filter(self, name: str, default: object = None) -> object:
        value = self.filters.get(name)
        return default if value is None else value


@dataclass(frozen=True)
class Page(Generic[Row]):
    rows: tuple[Row, ...]
    next_key: Key | None = None  # the ``after`` of the next page; None: this is the last


@dataclass(frozen=True)
class Column(Generic[Row]):
    """One column: its title, how to get its value from a row, and what kind of value it is."""

    title: str
    value: Callable[[Row], object]
    kind: ColumnKind = "text"
    width: int = 0  # preferred width in pixels on screen; 0: from the contents


class PageFetch(Protocol[Row]):
    def __call__(self, ctx: Any, query: ListQuery, after: Key | None, limit: int) -> Page[Row]:
        """One keyset page of the rows matching ``query`` (see the module docstring)."""
        ...


def page_of(rows: Sequence[Row], limit: int, key: Callable[[Row], Key]) -> Page[Row]:
    """A page from ``limit + 1`` fetched rows: the extra row only says there is more."""
    if len(rows) > limit:
        kept = tuple(rows[:limit])
        return Page(kept, key(kept[-1]))
    return Page(tuple(rows), None)


def iter_rows(
    fetch: PageFetch[Row], ctx: Any, query: ListQuery, batch: int = EXPORT_BATCH
) -> Iterator[Row]:
    """Every row matching ``query``, page after page (one short query per batch)."""
    after: Key | None = None
    while True:
        page = fetch(ctx, query, after, batch)
        yield from page.rows
        if page.next_key is None:
            return
        after = page.next_key


def row_values(row: Row, columns: Sequence[Column[Row]]) -> list[object]:
    """One row's values for an export, in column order."""
    return [column.value(row) for column in columns]
