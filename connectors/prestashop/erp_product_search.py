"""Search tables of our own for the ERP's products list, so a search on 100,000 products reads
an index instead of scanning ``product``/``product_lang`` (PrestaShop indexes no barcode and
no name word, and we may not add indexes to its tables).

* ``<prefix>mostrador_product_search``: one row per code — ``reference``, ``ean13``, ``upc``,
  ``supplier_reference`` of every product (``id_product_attribute`` 0) and combination —
  upper-cased, primary key ``(code, id_product, id_product_attribute)``: an exact code is one
  index lookup.
* ``<prefix>mostrador_product_word``: per (shop, language of the list) the words of each
  product's name and its whole reference, folded (lower case, no accents), primary key
  ``(id_shop, id_lang, word, id_product)``: a typed word finds the products with a word that
  *starts* with it through an index range.
* ``<prefix>mostrador_product_search_state``: per (shop, language) when the words were built
  and the watermarks of the incremental refresh.

Kept up to date three ways: every ERP product or combination write re-indexes its product in
the same transaction (:func:`index_products`); :func:`refresh` (at most every
:data:`REFRESH_SECONDS`, from a search) re-indexes what PrestaShop changed — products whose
``product.date_upd`` moved (read through PrestaShop's own ``(state, date_upd)`` index), new
combinations (``id_product_attribute`` above the last seen), and drops the rows of deleted
products when ``product`` shrank; and the first refresh of a (shop, language) builds it all.
Known gap: a combination's code changed by PrestaShop (or a module) without saving its product
stays as it was until the product is saved or the tables are rebuilt (``full=True``). Rows of
deleted products never show: the list joins PrestaShop's tables by the ids found here.
"""

from __future__ import annotations

import datetime as dt
import re
import time
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import (
    Column,
    ColumnElement,
    Connection,
    DateTime,
    Engine,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    and_,
    delete,
    func,
    inspect,
    literal,
    select,
    union_all,
    update,
)
from sqlalchemy.dialects import mysql
from sqlalchemy.schema import CreateIndex, CreateTable

from connectors.prestashop.erp_suppliers import shop_now, table
from connectors.prestashop.shop import ShopInfo

REFRESH_SECONDS = 60.0
LOOKBACK = dt.timedelta(minutes=10)  # clock drift and writes in flight at the last refresh
COUNT_EVERY = dt.timedelta(minutes=10)  # how often ``product`` is counted (deletions)
WORD_MAX = 64
CHUNK = 2000
CODE_COLUMNS = ("reference", "ean13", "upc", "supplier_reference")
_UINT = Integer().with_variant(mysql.INTEGER(unsigned=True), "mysql", "mariadb")
_PRESENT: dict[tuple[Engine, str], bool] = {}
_STATE_ROWS: set[tuple[Engine, str, int, int]] = set()  # state rows known to exist


@dataclass(frozen=True)
class SearchRefresh:
    full: bool
    products: int  # products (re-)indexed
    seconds: float


@cache
def search_tables(prefix: str) -> tuple[Table, Table, Table]:
    """``(codes, words, state)`` for the shop's table prefix."""
    metadata = MetaData()
    codes = Table(
        f"{prefix}mostrador_product_search", metadata,
        Column("code", String(WORD_MAX), nullable=False),
        Column("id_product", _UINT, nullable=False),
        Column("id_product_attribute", _UINT, nullable=False),
        PrimaryKeyConstraint("code", "id_product", "id_product_attribute"),
        Index(f"{prefix}mostrador_product_search_product", "id_product"),
        mysql_engine="InnoDB", mysql_charset="utf8mb4",
    )  # fmt: skip
    words = Table(
        f"{prefix}mostrador_product_word", metadata,
        Column("id_shop", _UINT, nullable=False),
        Column("id_lang", _UINT, nullable=False),
        Column("word", String(WORD_MAX), nullable=False),
        Column("id_product", _UINT, nullable=False),
        PrimaryKeyConstraint("id_shop", "id_lang", "word", "id_product"),
        Index(f"{prefix}mostrador_product_word_product", "id_product"),
        mysql_engine="InnoDB", mysql_charset="utf8mb4",
    )  # fmt: skip
    state = Table(
        f"{prefix}mostrador_product_search_state", metadata,
        Column("id_shop", _UINT, nullable=False),
        Column("id_lang", _UINT, nullable=False),
        Column("last_date_upd", DateTime, nullable=True),
        Column("last_attribute", _UINT, nullable=False, server_default="0"),
        Column("products", _UINT, nullable=False, server_default="0"),
        Column("refreshed_at", DateTime, nullable=True),
        Column("counted_at", DateTime, nullable=True),  # when ``products`` was counted
        Column("built_at", DateTime, nullable=True),  # NULL: build everything next
        PrimaryKeyConstraint("id_shop", "id_lang"),
        mysql_engine="InnoDB", mysql_charset="utf8mb4",
    )  # fmt: skip
    return codes, words, state


def ensure_product_search(engine: Engine, prefix: str) -> None:
    """Create the three tables when missing (creating needs the CREATE privilege)."""
    with engine.begin() as conn:
        present = set(inspect(conn).get_table_names())
        for t in search_tables(prefix):
            if t.name not in present:
                conn.execute(CreateTable(t, if_not_exists=True))
                for index in t.indexes:
                    conn.execute(CreateIndex(index, if_not_exists=True))
    _PRESENT[(engine, prefix)] = True


def _present(conn: Connection, prefix: str) -> bool:
    key = (conn.engine, prefix)
    if key not in _PRESENT:
        _PRESENT[key] = inspect(conn).has_table(search_tables(prefix)[2].name)
    return _PRESENT[key]


# --------------------------------------------------------------------------- words


def fold(text: str) -> str:
    """Lower case without accents: what is stored and what is looked up."""
    if text.isascii():
        return text.lower()
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return ascii_text.lower()


_EDGE = re.compile(r"^[^a-z0-9]+|[^a-z0-9]+$")
_PARTS = re.compile(r"[a-z0-9]+")


def terms(text: str) -> list[str]:
    """The searched terms: whitespace-separated, folded, outer punctuation stripped."""
    found = (_EDGE.sub("", chunk)[:WORD_MAX] for chunk in fold(text).split())
    return [t for t in found if t]


def words_of(name: str, reference: str) -> set[str]:
    """A product's words: each term of its name, the parts of a term like ``t-shirt``, and
    its whole reference."""
    found = set(terms(name))
    for term in list(found):
        found.update(p[:WORD_MAX] for p in _PARTS.findall(term))
    found.update(terms(reference.replace(" ", "")))
    return found


def words_match(shop: ShopInfo, id_product: Any, text: str) -> ColumnElement[bool]:
    """Every term starts a word of the product (``id_product`` is the list's column)."""
    w = search_tables(shop.prefix)[1]
    conditions = [
        id_product.in_(
            select(w.c.id_product).where(
                w.c.id_shop == shop.id_shop,
                w.c.id_lang == shop.id_lang,
                w.c.word.like(_escape(term) + "%", escape="\\"),
            )  # fmt: skip
        )
        for term in terms(text)
    ]
    return and_(*conditions) if conditions else literal(True)


def _escape(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def code_ids(conn: Connection, shop: ShopInfo, code: str) -> list[int]:
    """Products with a code (of theirs or of a combination) exactly ``code``."""
    codes = search_tables(shop.prefix)[0]
    stmt = select(codes.c.id_product).where(codes.c.code == code.upper()).distinct()
    return sorted(int(i) for i in conn.execute(stmt).scalars())


# --------------------------------------------------------------------------- writing


def index_products(conn: Connection, shop: ShopInfo, ids: Sequence[int]) -> None:
    """Re-index ``ids`` in the caller's transaction (a no-op while the tables do not exist)."""
    if ids and _present(conn, shop.prefix):
        _reindex(conn, shop, list(ids))


def _reindex(conn: Connection, shop: ShopInfo, ids: list[int] | None) -> None:
    """Delete and insert the codes and words of ``ids`` (None: every product)."""
    if ids == []:
        return
    codes, words, _state = search_tables(shop.prefix)
    scope = and_(words.c.id_shop == shop.id_shop, words.c.id_lang == shop.id_lang)
    for chunk in _chunks(ids):
        if chunk is None:
            conn.execute(delete(codes))
            conn.execute(delete(words).where(scope))
        else:
            conn.execute(delete(codes).where(codes.c.id_product.in_(chunk)))
            conn.execute(delete(words).where(scope, words.c.id_product.in_(chunk)))
        _insert_codes(conn, shop, chunk)
        _insert_words(conn, shop, chunk)


def _chunks(ids: list[int] | None) -> Iterator[list[int] | None]:
    if ids is None:
        yield None
        return
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def _insert_codes(conn: Connection, shop: ShopInfo, ids: list[int] | None) -> None:
    """INSERT … SELECT inside the database: one row per non-empty code."""
    parts = []
    for name, attribute in (("product", literal(0)), ("product_attribute", None)):
        t = table(shop, name)
        id_pa = t.c.id_product_attribute if attribute is None else attribute
        for column in CODE_COLUMNS:
            if column not in t.c:
                continue
            where = [t.c[column].is_not(None), t.c[column] != ""]
            if ids is not None:
                where.append(t.c.id_product.in_(ids))
            parts.append(select(func.upper(t.c[column]), t.c.id_product, id_pa).where(*where))
    codes = search_tables(shop.prefix)[0]
    ignore = "OR IGNORE" if conn.dialect.name == "sqlite" else "IGNORE"
    stmt = codes.insert().prefix_with(ignore)
    conn.execute(stmt.from_select(["code", "id_product", "id_product_attribute"],
                                  union_all(*parts)))  # fmt: skip


def _insert_words(conn: Connection, shop: ShopInfo, ids: list[int] | None) -> None:
    """The words of ``ids`` (None: every product, read in keyset batches), inserted in key
    order (a full build writes half a million rows: in order they append to the index)."""
    p, pl = table(shop, "product"), table(shop, "product_lang")
    lang = and_(pl.c.id_product == p.c.id_product, pl.c.id_shop == shop.id_shop,
                pl.c.id_lang == shop.id_lang)  # fmt: skip
    stmt = select(p.c.id_product, pl.c.name, p.c.reference).outerjoin(pl, lang)
    found: list[tuple[str, int]] = []
    after = 0
    while True:
        if ids is None:
            batch = stmt.where(p.c.id_product > after).order_by(p.c.id_product).limit(CHUNK)
        else:
            batch = stmt.where(p.c.id_product.in_(ids))
        rows = conn.execute(batch).all()
        for id_product, name, reference in rows:
            found.extend((word, int(id_product)) for word in words_of(name or "", reference or ""))
        if ids is not None or len(rows) < CHUNK:
            break
        after = int(rows[-1].id_product)
    found.sort()
    words = search_tables(shop.prefix)[1]
    for start in range(0, len(found), 5 * CHUNK):
        conn.execute(words.insert(), [
            {"id_shop": shop.id_shop, "id_lang": shop.id_lang, "word": w, "id_product": i}
            for w, i in found[start : start + 5 * CHUNK]
        ])  # fmt: skip


# --------------------------------------------------------------------------- refresh


def refresh(engine: Engine, shop: ShopInfo, *, full: bool = False) -> SearchRefresh:
    """Re-index what changed since the last refresh, or everything (see the docstring)."""
    started = time.perf_counter()
    state = search_tables(shop.prefix)[2]
    key = and_(state.c.id_shop == shop.id_shop, state.c.id_lang == shop.id_lang)
    _ensure_state_row(engine, state, shop)
    options = {"isolation_level": "READ COMMITTED"} if engine.dialect.name != "sqlite" else {}
    with engine.connect().execution_options(**options) as conn, conn.begin():
        seen = conn.execute(select(state).where(key).with_for_update()).one()
        full = full or seen.built_at is None
        values, count = _bring_up_to_date(conn, shop, seen, full)
        conn.execute(update(state).where(key).values(values))
    return SearchRefresh(full, count, time.perf_counter() - started)


def _bring_up_to_date(
    conn: Connection, shop: ShopInfo, seen: Any, full: bool
) -> tuple[dict[str, Any], int]:
    """Re-index (all or what changed); the state's new values and how many products."""
    now = shop_now(shop)
    values: dict[str, Any] = {"refreshed_at": now, "last_attribute": _last_attribute(conn, shop)}
    ids: list[int] | None = None
    if full:
        values |= {"last_date_upd": _newest(conn, shop), "built_at": now}
    else:
        ids, values["last_date_upd"] = _changed(conn, shop, seen, now)
    _reindex(conn, shop, ids)
    if full or seen.counted_at is None or now - seen.counted_at >= COUNT_EVERY:
        values |= {"products": _count(conn, shop), "counted_at": now}
        if not full and values["products"] < int(seen.products):
            _drop_deleted(conn, shop)
    return values, int(values.get("products", 0)) if ids is None else len(ids)


def _newest(conn: Connection, shop: ShopInfo) -> dt.datetime | None:
    p = table(shop, "product")
    return conn.execute(select(func.max(p.c.date_upd)).where(p.c.state.in_((0, 1)))).scalar()


def _ensure_state_row(engine: Engine, state: Table, shop: ShopInfo) -> None:
    key = {"id_shop": shop.id_shop, "id_lang": shop.id_lang}
    known = (engine, state.name, shop.id_shop, shop.id_lang)
    if known in _STATE_ROWS:
        return
    with engine.begin() as conn:
        if conn.execute(select(state.c.id_shop).filter_by(**key)).first() is None:
            ignore = "OR IGNORE" if engine.dialect.name == "sqlite" else "IGNORE"
            conn.execute(state.insert().prefix_with(ignore).values(key))
    _STATE_ROWS.add(known)


def _count(conn: Connection, shop: ShopInfo) -> int:
    """How many products there are (a scan of a small index: every ``COUNT_EVERY``)."""
    return int(conn.execute(select(func.count()).select_from(table(shop, "product"))).scalar() or 0)


def _last_attribute(conn: Connection, shop: ShopInfo) -> int:
    pa = table(shop, "product_attribute")
    return int(conn.execute(select(func.max(pa.c.id_product_attribute))).scalar() or 0)


def _changed(
    conn: Connection, shop: ShopInfo, seen: Any, now: dt.datetime
) -> tuple[list[int], dt.datetime | None]:
    """Products saved since the last refresh (``state`` leads PrestaShop's ``(state,
    date_upd)`` index) and products with new combinations; the newest date_upd seen."""
    p, pa = table(shop, "product"), table(shop, "product_attribute")
    since = (seen.refreshed_at or now) - LOOKBACK
    if seen.last_date_upd is not None:
        since = min(since, seen.last_date_upd)
    saved = conn.execute(
        select(p.c.id_product, p.c.date_upd).where(p.c.state.in_((0, 1)), p.c.date_upd >= since)
    ).all()
    grown = select(pa.c.id_product).where(pa.c.id_product_attribute > seen.last_attribute)
    found = {int(r.id_product) for r in saved} | set(conn.execute(grown).scalars())
    newest = max((r.date_upd for r in saved), default=seen.last_date_upd)
    return sorted(int(i) for i in found), newest


def _drop_deleted(conn: Connection, shop: ShopInfo) -> None:
    """``product`` shrank: drop our rows of products that are gone."""
    codes, words, _state = search_tables(shop.prefix)
    p = table(shop, "product")
    for t in (codes, words):
        gone = ~select(p.c.id_product).where(p.c.id_product == t.c.id_product).exists()
        conn.execute(delete(t).where(gone))
