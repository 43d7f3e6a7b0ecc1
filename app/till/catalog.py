"""The catalog cache: bulk upserts for the catalog pull, barcode lookup and text search.

What a lookup returns is a :class:`CatalogItem`: a product (``id_product_attribute`` 0) or one
of its combinations, with the price *inputs* (base price, combination impact, tax rules group)
the pricing engine turns into a price, and the stock the till last saw. Codes fall back from
the combination to its product when the combination leaves one empty, as PrestaShop's cart
does.

* :func:`find_by_barcode`: exact match on EAN13, UPC or reference, at product and combination
  level (partial indexes). A 12-digit UPC-A also matches the same code stored as an EAN13
  with a leading 0, and the other way round.
* :func:`search`: every word of the text (2 letters or more) is a prefix (``"cam roj"`` finds
  "Camisa roja"), accent- and case-insensitive (``"camison"`` finds "Camisón"), over name,
  reference and EAN13; best matches first while there are few enough to rank.
* :func:`categories`, :func:`products_in_category`, :func:`combinations`: browsing the
  catalog by category (a product grid), on indexes.

Both run per scan or keypress, so they skip the ORM: one raw connection of the store's pool, in
one read transaction, SQL text that never changes (sqlite3 keeps it prepared), and the item
rows — codes already fallen back, stock joined — in one query (targets on 100,000 products and
300,000 combinations: barcode p95 ≤ 2 ms, search p95 ≤ 20 ms; ``bench/till_store.py``).
A search spends its time in FTS5 and in ranking, so:

* a word longer than the prefix indexes (2 and 3 letters) is searched as the few terms it
  starts (:func:`_match_word`), or, when it starts many (``"REF0"``), through its first three
  letters with each row's text confirming the rest (:func:`_confirmed_matches`): FTS5 would
  otherwise merge the doclists of all its terms before the first row comes out;
* the matches are ranked here (:func:`_ranked`), on their own text and sizes, instead of by
  FTS5's ``rank``, which first reads every row of every word to weigh the words.
"""

from __future__ import annotations

import json
import logging
import re
import sqlite3
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import Table, delete
from sqlalchemy.dialects.sqlite import insert
from sqlalchemy.orm import Session

from app.barcodes import barcode_forms
from app.i18n import _
from app.till.errors import TillStoreBusy
from app.till.migration_catalog import ROWID_SHIFT
from app.till.models import TillBase
from app.till.models_catalog import CatalogCombination, CatalogProduct, CatalogStock
from app.till.store import TillStore
from app.till.types import Micros, from_units

logger = logging.getLogger(__name__)

UPSERT_CHUNK = 2000
RANK_CAP = 1000  # rank the matches by relevance only up to this many
MIN_PREFIX = 2
INDEXED_PREFIX = 3  # catalog_search has prefix indexes for 2 and 3 characters
MAX_TERMS = 8  # a longer word is looked up as its indexed terms when it has at most this many
CONFIRM_CHUNK = 250  # rows whose text confirms a long prefix, read at a time
K1, B = 1.2, 0.75  # bm25 parameters, FTS5's defaults
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class CatalogItem:
    id_product: int
    id_product_attribute: int  # 0: the product itself
    name: str  # the product's name in the till's language
    attributes: str  # "Talla: M, Color: Rojo"; "" for a product
    reference: str
    ean13: str
    upc: str
    price_tax_excl: Decimal  # product_shop.price: base, tax excluded, 6 decimals
    price_impact: Decimal  # the combination's impact on it (0 for a product)
    wholesale_price: Decimal
    id_tax_rules_group: int
    quantity: int  # stock last pulled; 0 if unknown
    has_combinations: bool
    active: bool

    @property
    def display_name(self) -> str:
        return f"{self.name} ({self.attributes})" if self.attributes else self.name


def find_by_barcode(store: TillStore, code: str) -> list[CatalogItem]:
    """Items whose EAN13, UPC or reference is exactly ``code``; combinations first."""
    code = code.strip()
    if not code:
        return []
    forms = barcode_forms(code)
    with _snapshot(store) as db:
        return [_item(row) for row in db.execute(_ITEMS_BY_CODE, (forms[0], forms[-1]))]


def search(store: TillStore, query: str, limit: int = 50) -> list[CatalogItem]:
    """Products and combinations matching every word of ``query`` as a prefix.

    Up to :data:`RANK_CAP` matches are ranked best first (:func:`_ranked`); beyond that, ranking
    every match would take too long for a search-as-you-type, so the first ``limit`` matches in
    catalog order come back (a product, then its combinations) until the query narrows.
    """
    words = [word for word in _WORD.findall(query) if len(word) >= MIN_PREFIX]
    if not words or limit <= 0:
        return []
    with _snapshot(store) as db:
        rowids = _matches(db, words, max(RANK_CAP + 1, limit))
        if len(rowids) <= RANK_CAP:
            rowids = _ranked(db, rowids, words)
        rows = db.execute(_ITEMS_BY_ROWID, (json.dumps(rowids[:limit]),))
        return [_item(row) for row in rows]


@dataclass(frozen=True)
class Category:
    id_category: int
    id_parent: int  # a category of the list, or the shop's home category for the top ones
    name: str
    position: int  # among its siblings
    product_count: int  # active products having it as default category


def categories(store: TillStore) -> list[Category]:
    """The shop's active categories under its home category, by depth, then position among
    siblings; the top ones are those whose ``id_parent`` is not in the list."""
    with _snapshot(store) as db:
        return [Category(*row) for row in db.execute(_CATEGORIES)]


def products_in_category(
    store: TillStore, id_category: int, limit: int = 60, offset: int = 0
) -> list[CatalogItem]:
    """Active products whose default category is ``id_category``, by name (products only: a
    product with combinations comes once; :func:`combinations` gives them)."""
    with _snapshot(store) as db:
        rows = db.execute(_ITEMS_IN_CATEGORY, (id_category, max(limit, 0), max(offset, 0)))
        return [_item(row) for row in rows]


def combinations(store: TillStore, id_product: int) -> list[CatalogItem]:
    """The combinations of ``id_product`` (sizes, colours…) with their stock, by id."""
    with _snapshot(store) as db:
        return [_item(row) for row in db.execute(_ITEMS_OF_PRODUCT, (id_product,))]


def fts_query(query: str) -> str:
    """``'camisón ro'`` → ``'"camisón"* "ro"*'``: each word a prefix, all required.

    One-letter words are dropped when the query has longer ones (a one-letter prefix matches
    too much to help, and has no prefix index); a query of one-letter words alone finds nothing.
    """
    words = _WORD.findall(query)
    return " ".join(f'"{word}"*' for word in words if len(word) >= MIN_PREFIX)


def upsert(session: Session, model: type[TillBase], rows: Sequence[Mapping[str, object]]) -> int:
    """Insert or update ``rows`` (dicts of column values, primary key included) of ``model``.

    Columns missing from the rows keep their stored value (or their default on insert).
    Every row must have the same keys. Returns the number of rows written.
    """
    if not rows:
        return 0
    table = model.__table__
    assert isinstance(table, Table)
    keys = list(rows[0])
    unknown = set(keys) - set(table.columns.keys())
    primary = [column.name for column in table.primary_key.columns]
    if unknown or not set(primary) <= set(keys):
        raise ValueError(f"bad columns for {table.name}: {sorted(unknown)}, need {primary}")
    statement = insert(model)
    updates = {name: statement.excluded[name] for name in keys if name not in primary}
    statement = (
        statement.on_conflict_do_update(index_elements=primary, set_=updates)
        if updates
        else statement.on_conflict_do_nothing(index_elements=primary)
    )
    for start in range(0, len(rows), UPSERT_CHUNK):
        session.execute(statement, list(rows[start : start + UPSERT_CHUNK]))
    return len(rows)


def delete_products(session: Session, ids: Iterable[int]) -> None:
    """Forget products deleted in the shop, with their combinations and stock."""
    chosen = list(ids)
    for model in (CatalogStock, CatalogCombination, CatalogProduct):
        session.execute(delete(model).where(model.id_product.in_(chosen)))


def delete_combinations(session: Session, ids: Iterable[int]) -> None:
    chosen = list(ids)
    session.execute(delete(CatalogStock).where(CatalogStock.id_product_attribute.in_(chosen)))
    session.execute(
        delete(CatalogCombination).where(CatalogCombination.id_product_attribute.in_(chosen))
    )


# --- The reader connection ---------------------------------------------------------------

_PREPARED = "mostrador_catalog_reader"
# Per connection (TEMP: nothing written to the store): the search index's terms, in order.
_READER_SETUP = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS temp.catalog_search_terms"
    " USING fts5vocab(main, catalog_search, 'instance')",
)


@contextmanager
def _snapshot(store: TillStore) -> Iterator[sqlite3.Connection]:
    """A raw connection of the store's pool, in one read transaction (one WAL snapshot).

    Checking a raw connection out costs ~15 µs, against ~250 µs for a Session's
    ``store.read()``; sqlite3 caches each SQL text's prepared statement on the connection.
    """
    pooled = store.engine.raw_connection()
    try:
        db = pooled.driver_connection
        assert isinstance(db, sqlite3.Connection)
        with _busy_as_error(store):
            if not pooled.info.get(_PREPARED):
                for statement in _READER_SETUP:
                    db.execute(statement)
                pooled.info[_PREPARED] = True
            db.execute("BEGIN DEFERRED")
            try:
                yield db
            finally:
                db.execute("ROLLBACK")  # nothing was written: this ends the snapshot
    finally:
        pooled.close()


@contextmanager
def _busy_as_error(store: TillStore) -> Iterator[None]:
    try:
        yield
    except sqlite3.OperationalError as error:
        if "locked" not in str(error) and "busy" not in str(error):
            raise
        logger.warning("Till store %s busy: %s", store.path, error)
        raise TillStoreBusy(
            _("The till's data file is busy in another program."),
            _("Close the other copy of Mostrador using this till, then try again."),
        ) from error


# --- Search: the FTS5 expression and the ranking --------------------------------------------

_MATCHES = "SELECT rowid FROM catalog_search WHERE catalog_search MATCH ? LIMIT ?"
# The first term in [?, ?): each is a seek (``term > ?`` would step through every instance).
_TERM = "SELECT term FROM catalog_search_terms WHERE term >= ? AND term < ? LIMIT 1"
# For the rows ? (JSON array of rowids): the text FTS5 indexed (and its count of tokens per
# column), read from FTS5's content (and docsize) tables by rowid: twice as fast as asking
# catalog_search for its columns.
_CONTENT = """SELECT id, c0 || ' ' || c1 || ' ' || c2 FROM catalog_search_content
    WHERE id IN (SELECT value FROM json_each(?))"""
_TEXTS = """SELECT t.id, t.c0 || ' ' || t.c1 || ' ' || t.c2, d.sz
    FROM catalog_search_content AS t JOIN catalog_search_docsize AS d ON d.id = t.id
    WHERE t.id IN (SELECT value FROM json_each(?))"""


def _matches(db: sqlite3.Connection, words: list[str], fetch: int) -> list[int]:
    """The first ``fetch`` rowids, in catalog order, having every word as a prefix."""
    expressions = [_match_word(db, word) for word in words]
    if None in expressions:
        found = _confirmed_matches(db, words, expressions, fetch)
        if found is not None:
            return found
    match = " AND ".join(e or fts_query(w) for w, e in zip(words, expressions, strict=True))
    return [rowid for (rowid,) in db.execute(_MATCHES, (match, fetch))]


def _match_word(db: sqlite3.Connection, word: str) -> str | None:
    """The FTS5 expression for one word of the query: its prefix, or the terms it prefixes.

    A prefix longer than the prefix indexes makes FTS5 merge the doclists of every term it
    starts, in full, before joining the other words; the same terms as plain words are read
    lazily, skipping ahead to the rows the other words have (3-4 times faster on 3 words).
    Only plain ASCII words are spelled out (the index holds them lowercased, accents removed).
    None: the word starts more than MAX_TERMS terms (see :func:`_confirmed_matches`).
    """
    prefix = _fold(word)
    if len(prefix) > INDEXED_PREFIX and prefix.isascii() and prefix.isalnum():
        terms = _terms(db, prefix)
        if terms is None:
            return None
        if terms:
            return "(" + " OR ".join(_quoted(term) for term in terms) + ")"
    return fts_query(word)


def _confirmed_matches(
    db: sqlite3.Connection, words: list[str], expressions: list[str | None], fetch: int
) -> list[int] | None:
    """Matches of a query with a long prefix of many terms (``"REF0"``, ``"84000"``), without
    FTS5 merging the doclists of those thousands of terms first (tens of ms).

    FTS5 finds the rows having the prefix's first letters (its prefix index reads lazily);
    each row's text confirms the whole prefix. None when too few rows confirm it: then FTS5
    answers alone (a rare prefix has few rows to merge).
    """
    short = [e or fts_query(w[:INDEXED_PREFIX]) for w, e in zip(words, expressions, strict=True)]
    prefixes = [_fold(w) for w, e in zip(words, expressions, strict=True) if not e]
    found: list[int] = []
    scanned = 0
    cursor = db.execute(_MATCHES, (" AND ".join(short), 2 * fetch))
    try:
        size = CONFIRM_CHUNK // 5  # a small first look tells a good superset from a poor one
        while chunk := [rowid for (rowid,) in cursor.fetchmany(size)]:
            texts = dict(db.execute(_CONTENT, (json.dumps(chunk),)).fetchall())
            for rowid in chunk:
                lowered = texts.get(rowid, "").lower()
                if all(_has_token_starting(lowered, prefix) for prefix in prefixes):
                    found.append(rowid)
                    if len(found) == fetch:
                        return found
            scanned, size = scanned + len(chunk), CONFIRM_CHUNK
            if 2 * len(found) < scanned:
                return None
    finally:
        cursor.close()
    return found if scanned < 2 * fetch else None  # all read: found is every match


def _quoted(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def _terms(db: sqlite3.Connection, prefix: str) -> list[str] | None:
    """The indexed terms starting with ASCII ``prefix``; None when more than MAX_TERMS."""
    end = prefix[:-1] + chr(ord(prefix[-1]) + 1)
    terms: list[str] = []
    row = db.execute(_TERM, (prefix, end)).fetchone()
    while row is not None:
        if len(terms) == MAX_TERMS:
            return None
        terms.append(row[0])  # tokens hold no control character: term + "\x01" comes next
        row = db.execute(_TERM, (row[0] + "\x01", end)).fetchone()
    return terms


def _ranked(db: sqlite3.Connection, rowids: list[int], words: list[str]) -> list[int]:
    """``rowids`` best first: bm25 as FTS5 computes it, but on the candidate rows alone.

    FTS5's ``rank`` first reads the whole doclist of every word to weigh the words (``idf``),
    which costs more than the search itself; as every match has every word, that weight is
    left out. A row scores more the more tokens start with the query's words (counted in its
    text, lowercased; at least once each) and the fewer tokens it has (FTS5's own count), so
    a product comes before its combinations. Ties keep catalog order.
    """
    if len(rowids) < 2:
        return rowids
    prefixes = [(prefix, _token_start(prefix)) for prefix in map(_fold, words)]
    rows: list[tuple[int, int, list[int]]] = []
    for rowid, text, docsize in db.execute(_TEXTS, (json.dumps(rowids),)):
        lowered = text.lower()
        ascii_only = _without_accents(lowered)
        hits = [_hits(lowered, ascii_only, prefix, start) for prefix, start in prefixes]
        rows.append((rowid, _total(docsize), hits))
    average = sum(size for _rowid, size, _hits in rows) / max(len(rows), 1) or 1.0
    scores = {
        rowid: sum(f * (K1 + 1) / (f + K1 * (1 - B + B * size / average)) for f in hits)
        for rowid, size, hits in rows
    }
    return sorted(rowids, key=lambda rowid: (-scores.get(rowid, 0.0), rowid))


def _hits(lowered: str, ascii_only: str, prefix: str, start: re.Pattern[str]) -> int:
    """Tokens of ``lowered`` starting with ``prefix``: 1 unless it appears more than once."""
    if (ascii_only if prefix.isascii() else lowered).count(prefix) < 2:
        return 1  # the row matched: it has the word once at least
    return max(1, len(start.findall(_fold(lowered))))


def _has_token_starting(lowered: str, prefix: str) -> bool:
    """Whether a token of ``lowered`` starts with ASCII ``prefix`` (accents aside)."""
    at = lowered.find(prefix)
    while at >= 0:
        if at == 0 or not lowered[at - 1].isalnum():
            return True
        at = lowered.find(prefix, at + 1)
    ascii_only = _without_accents(lowered)
    return ascii_only != lowered and _has_token_starting(ascii_only, prefix)


def _without_accents(text: str) -> str:
    """A quick fold (C calls only): accents off, and any other non-ASCII character too."""
    if text.isascii():
        return text
    return unicodedata.normalize("NFD", text).encode("ascii", "ignore").decode("ascii")


def _token_start(prefix: str) -> re.Pattern[str]:
    return re.compile(r"(?<![^\W_])" + re.escape(prefix))


def _total(varints: bytes) -> int:
    """The sum of an SQLite varint sequence (FTS5's docsize: the tokens of each column)."""
    if varints.isascii():  # every count below 128: one byte each
        return sum(varints)
    total = value = 0
    for byte in varints:
        value = (value << 7) | (byte & 0x7F)
        if byte < 0x80:
            total, value = total + value, 0
    return total


def _fold(text: str) -> str:
    """Lowercase, accents removed, as the index's tokenizer (``remove_diacritics 2``)."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()


# --- Item rows -----------------------------------------------------------------------------

# From (position, id_product, id_product_attribute) hits, the item rows in the hits' order:
# the combination's codes falling back to its product's, the stock joined.
_ITEMS = """SELECT p.id_product, h.id_product_attribute, p.name, coalesce(c.attributes, ''),
    coalesce(nullif(c.reference, ''), p.reference), coalesce(nullif(c.ean13, ''), p.ean13),
    coalesce(nullif(c.upc, ''), p.upc), p.price, coalesce(c.price_impact, 0),
    coalesce(nullif(c.wholesale_price, 0), p.wholesale_price), p.id_tax_rules_group,
    coalesce(s.quantity, 0), p.has_combinations, p.active
FROM hits AS h
LEFT JOIN catalog_combinations AS c
    ON h.id_product_attribute <> 0 AND c.id_product_attribute = h.id_product_attribute
JOIN catalog_products AS p
    ON p.id_product = iif(h.id_product_attribute = 0, h.id_product, c.id_product)
LEFT JOIN catalog_stock AS s
    ON s.id_product = p.id_product AND s.id_product_attribute = h.id_product_attribute
ORDER BY h.position, p.id_product, h.id_product_attribute"""
# ?1, ?2: the code's forms (EAN13/UPC); ?1: the reference. Partial indexes need "<> ''".
_HAS_CODE = """(ean13 IN (?1, ?2) AND ean13 <> '') OR (upc IN (?1, ?2) AND upc <> '')
    OR (reference = ?1 AND reference <> '')"""
_ITEMS_BY_CODE = f"""WITH hits (position, id_product, id_product_attribute) AS (
    SELECT 0, id_product, id_product_attribute FROM catalog_combinations WHERE {_HAS_CODE}
    UNION ALL
    SELECT 1, id_product, 0 FROM catalog_products WHERE {_HAS_CODE}
) {_ITEMS}"""
# ?: a JSON array of catalog_search rowids (id_product * 2**32 + id_product_attribute).
_ITEMS_BY_ROWID = f"""WITH hits (position, id_product, id_product_attribute) AS (
    SELECT key, value / {ROWID_SHIFT}, value % {ROWID_SHIFT} FROM json_each(?)
) {_ITEMS}"""

# ?1: id_category_default; ?2, ?3: limit and offset (index catalog_products_category).
_ITEMS_IN_CATEGORY = f"""WITH hits (position, id_product, id_product_attribute) AS (
    SELECT row_number() OVER (ORDER BY name COLLATE NOCASE, id_product), id_product, 0
    FROM catalog_products WHERE id_category_default = ? AND active = 1
    ORDER BY name COLLATE NOCASE, id_product LIMIT ? OFFSET ?
) {_ITEMS}"""
_ITEMS_OF_PRODUCT = f"""WITH hits (position, id_product, id_product_attribute) AS (
    SELECT id_product_attribute, id_product, id_product_attribute FROM catalog_combinations
    WHERE id_product = ?
) {_ITEMS}"""
_CATEGORIES = """SELECT c.id_category, c.id_parent, c.name, c.position, (
        SELECT count(*) FROM catalog_products AS p
        WHERE p.id_category_default = c.id_category AND p.active = 1)
    FROM catalog_categories AS c WHERE c.active = 1
    ORDER BY c.level_depth, c.id_parent, c.position, c.id_category"""


def _item(row: Any) -> CatalogItem:
    p, pa, name, attributes, reference, ean13, upc = row[:7]
    price, impact, wholesale, tax_group, quantity, has_combinations, active = row[7:]
    return CatalogItem(
        id_product=p,
        id_product_attribute=pa,
        name=name,
        attributes=attributes,
        reference=reference,
        ean13=ean13,
        upc=upc,
        price_tax_excl=from_units(price, Micros.scale),
        price_impact=from_units(impact, Micros.scale),
        wholesale_price=from_units(wholesale, Micros.scale),
        id_tax_rules_group=tax_group,
        quantity=quantity,
        has_combinations=bool(has_combinations),
        active=bool(active),
    )
