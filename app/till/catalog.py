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
  reference and EAN13; best matches (bm25) first while there are few enough to rank.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import ColumnElement, Table, and_, bindparam, delete, or_, select, text
from sqlalchemy.dialects.sqlite import insert
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import BindParameter

from app.till.migration_catalog import ROWID_SHIFT
from app.till.models import TillBase
from app.till.models_catalog import CatalogCombination, CatalogProduct, CatalogStock
from app.till.store import TillStore

UPSERT_CHUNK = 2000
RANK_CAP = 1000  # rank the matches by relevance only up to this many
MIN_PREFIX = 2
_MATCHES = text("SELECT rowid FROM catalog_search WHERE catalog_search MATCH :match LIMIT :limit")
_RANKED = text(
    "SELECT rowid FROM catalog_search WHERE catalog_search MATCH :match ORDER BY rank LIMIT :limit"
)
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
    values = {"codes": _barcode_forms(code), "code": code}
    with store.read() as session:
        combinations = session.scalars(_COMBINATIONS_BY_CODE, values).all()
        products = session.scalars(_PRODUCTS_BY_CODE, values).all()
        keys = [(0, pa) for pa in combinations] + [(p, 0) for p in products]
        return _load_items(session, keys)


def search(store: TillStore, query: str, limit: int = 50) -> list[CatalogItem]:
    """Products and combinations matching every word of ``query`` as a prefix.

    Up to :data:`RANK_CAP` matches are ranked best first (bm25); beyond that, ranking every
    match would take too long for a search-as-you-type, so the first ``limit`` matches in
    catalog order come back (a product, then its combinations) until the query narrows.
    """
    match = fts_query(query)
    if not match or limit <= 0:
        return []
    with store.read() as session:
        fetch = max(RANK_CAP + 1, limit)
        rowids = session.scalars(_MATCHES, {"match": match, "limit": fetch}).all()
        if len(rowids) <= RANK_CAP:
            rowids = session.scalars(_RANKED, {"match": match, "limit": limit}).all()
        keys = [(rowid // ROWID_SHIFT, rowid % ROWID_SHIFT) for rowid in rowids[:limit]]
        return _load_items(session, keys)


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


def _barcode_forms(code: str) -> list[str]:
    forms = [code]
    if code.isdigit() and len(code) == 12:
        forms.append("0" + code)
    elif code.isdigit() and len(code) == 13 and code.startswith("0"):
        forms.append(code[1:])
    return forms


def _code_matches(
    model: type[CatalogProduct] | type[CatalogCombination],
) -> ColumnElement[bool]:
    codes: BindParameter[list[str]] = bindparam("codes", expanding=True)
    return or_(
        and_(model.ean13.in_(codes), model.ean13 != ""),
        and_(model.upc.in_(codes), model.upc != ""),
        and_(model.reference == bindparam("code"), model.reference != ""),
    )


# Built once: a lookup per keypress or scan should not rebuild its SQL expressions.
_COMBINATIONS_BY_CODE = select(CatalogCombination.id_product_attribute).where(
    _code_matches(CatalogCombination)
)
_PRODUCTS_BY_CODE = select(CatalogProduct.id_product).where(_code_matches(CatalogProduct))
_IDS: BindParameter[list[int]] = bindparam("ids", expanding=True)
_PRODUCTS_BY_ID = select(CatalogProduct).where(CatalogProduct.id_product.in_(_IDS))
_COMBINATIONS_BY_ID = select(CatalogCombination).where(
    CatalogCombination.id_product_attribute.in_(_IDS)
)
_STOCK_BY_PRODUCT = select(
    CatalogStock.id_product, CatalogStock.id_product_attribute, CatalogStock.quantity
).where(CatalogStock.id_product.in_(_IDS))


def _load_items(session: Session, keys: list[tuple[int, int]]) -> list[CatalogItem]:
    """Items for (id_product, id_product_attribute) keys, in the keys' order.

    For a combination the id_product part may be 0 (found by its own id).
    """
    if not keys:
        return []
    combinations = _combinations(session, [pa for _p, pa in keys if pa])
    product_ids = {p for p, pa in keys if not pa} | {c.id_product for c in combinations.values()}
    ids = {"ids": list(product_ids)}
    products = {p.id_product: p for p in session.scalars(_PRODUCTS_BY_ID, ids)}
    stock = _stock(session, product_ids)
    items: list[CatalogItem] = []
    for product_id, pa in keys:
        combination = combinations.get(pa) if pa else None
        product = products.get(combination.id_product if combination else product_id)
        if product is not None and (combination is not None or not pa):
            items.append(_item(product, combination, stock))
    return items


def _combinations(session: Session, ids: list[int]) -> dict[int, CatalogCombination]:
    if not ids:
        return {}
    rows = session.scalars(_COMBINATIONS_BY_ID, {"ids": ids})
    return {row.id_product_attribute: row for row in rows}


def _stock(session: Session, product_ids: set[int]) -> dict[tuple[int, int], int]:
    rows = session.execute(_STOCK_BY_PRODUCT, {"ids": list(product_ids)})
    return {(p, pa): quantity for p, pa, quantity in rows}


def _item(
    product: CatalogProduct,
    combination: CatalogCombination | None,
    stock: Mapping[tuple[int, int], int],
) -> CatalogItem:
    c = combination
    pa = c.id_product_attribute if c else 0
    return CatalogItem(
        id_product=product.id_product,
        id_product_attribute=pa,
        name=product.name,
        attributes=c.attributes if c else "",
        reference=(c.reference if c else "") or product.reference,
        ean13=(c.ean13 if c else "") or product.ean13,
        upc=(c.upc if c else "") or product.upc,
        price_tax_excl=product.price,
        price_impact=c.price_impact if c else Decimal("0.000000"),
        wholesale_price=(c.wholesale_price if c else Decimal(0)) or product.wholesale_price,
        id_tax_rules_group=product.id_tax_rules_group,
        quantity=stock.get((product.id_product, pa), 0),
        has_combinations=product.has_combinations,
        active=product.active,
    )
