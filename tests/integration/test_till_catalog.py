"""The catalog cache: bulk upserts, exact barcode lookup, accent-insensitive text search."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal as D
from pathlib import Path

import pytest

from app.till.catalog import (
    delete_combinations,
    delete_products,
    find_by_barcode,
    fts_query,
    search,
    upsert,
)
from app.till.models_catalog import (
    CatalogCombination,
    CatalogCustomer,
    CatalogProduct,
    CatalogStock,
    CatalogTax,
)
from app.till.store import TillStore, open_store

PRODUCTS = [
    {
        "id_product": 1,
        "name": "Camisón de algodón",
        "reference": "CAM-01",
        "ean13": "8412345678905",
        "upc": "",
        "price": D("20.661157"),
        "id_tax_rules_group": 1,
        "has_combinations": True,
    },
    {
        "id_product": 2,
        "name": "Pañuelo rojo",
        "reference": "PAN-RJ",
        "ean13": "",
        "upc": "012345678905",
        "price": D("8.264463"),
        "id_tax_rules_group": 1,
        "has_combinations": False,
    },
    {
        "id_product": 3,
        "name": "Camiseta básica",
        "reference": "CB-3",
        "ean13": "0001234567895",
        "upc": "",
        "price": D("9.090909"),
        "id_tax_rules_group": 2,
        "has_combinations": False,
    },
]
COMBINATIONS = [
    {
        "id_product_attribute": 10,
        "id_product": 1,
        "attributes": "Talla: M, Color: Rojo",
        "reference": "CAM-01-M-R",
        "ean13": "8412345678912",
        "upc": "",
        "price_impact": D("0"),
    },
    {
        "id_product_attribute": 11,
        "id_product": 1,
        "attributes": "Talla: L, Color: Azul",
        "reference": "",
        "ean13": "",
        "upc": "098765432109",
        "price_impact": D("2.5"),
    },
]
STOCK = [
    {"id_product": 1, "id_product_attribute": 10, "quantity": 4},
    {"id_product": 1, "id_product_attribute": 11, "quantity": -1},
    {"id_product": 2, "id_product_attribute": 0, "quantity": 12},
]


@pytest.fixture
def store(tmp_path: Path) -> Iterator[TillStore]:
    with open_store("T1", tmp_path / "till-T1.sqlite3") as till:
        with till.write() as session:
            upsert(session, CatalogCombination, COMBINATIONS)  # before their product: fine
            upsert(session, CatalogProduct, PRODUCTS)
            upsert(session, CatalogStock, STOCK)
        yield till


def _keys(items: list) -> list[tuple[int, int]]:  # type: ignore[type-arg]
    return [(i.id_product, i.id_product_attribute) for i in items]


def test_barcode_on_a_combination(store: TillStore) -> None:
    [item] = find_by_barcode(store, "8412345678912")
    assert (item.id_product, item.id_product_attribute, item.quantity) == (1, 10, 4)
    assert item.display_name == "Camisón de algodón (Talla: M, Color: Rojo)"
    assert (item.price_tax_excl, item.price_impact, item.id_tax_rules_group) == (
        D("20.661157"),
        D("0"),
        1,
    )
    assert item.reference == "CAM-01-M-R"


def test_barcode_on_a_product_and_fallback_codes(store: TillStore) -> None:
    [item] = find_by_barcode(store, " 8412345678905 ")
    assert _keys([item]) == [(1, 0)] and item.has_combinations
    [blue] = find_by_barcode(store, "098765432109")
    assert _keys([blue]) == [(1, 11)]
    assert (blue.reference, blue.ean13, blue.quantity) == ("CAM-01", "8412345678905", -1)
    assert blue.price_impact == D("2.5")


def test_upc_and_ean13_forms_of_the_same_code(store: TillStore) -> None:
    assert _keys(find_by_barcode(store, "012345678905")) == [(2, 0)]
    assert _keys(find_by_barcode(store, "0012345678905")) == [(2, 0)]  # scanned as EAN13
    assert _keys(find_by_barcode(store, "001234567895")) == [(3, 0)]  # EAN13 stored, UPC read


def test_barcode_by_reference(store: TillStore) -> None:
    assert _keys(find_by_barcode(store, "PAN-RJ")) == [(2, 0)]
    assert _keys(find_by_barcode(store, "CAM-01-M-R")) == [(1, 10)]


@pytest.mark.parametrize("code", ["", "   ", "0000000000000", "841234567890", "pan-rj"])
def test_unknown_barcodes_find_nothing(store: TillStore, code: str) -> None:
    assert find_by_barcode(store, code) == []


def test_barcode_lookup_uses_the_indexes(store: TillStore) -> None:
    with store.read() as session:
        plan = (
            session.connection()
            .exec_driver_sql(
                "EXPLAIN QUERY PLAN SELECT id_product_attribute FROM catalog_combinations WHERE"
                " (ean13 IN ('1', '2') AND ean13 <> '') OR (upc IN ('1', '2') AND upc <> '')"
                " OR (reference = '1' AND reference <> '')"
            )
            .fetchall()
        )
    details = " ".join(row[-1] for row in plan)
    assert "SCAN catalog_combinations" not in details, details
    for index in ("ean13", "upc", "reference"):
        assert f"catalog_combinations_{index}" in details


def test_search_ignores_accents_and_case(store: TillStore) -> None:
    assert set(_keys(search(store, "camison"))) == {(1, 0), (1, 10), (1, 11)}
    assert set(_keys(search(store, "CAMISÓN"))) == {(1, 0), (1, 10), (1, 11)}
    assert _keys(search(store, "panuelo")) == [(2, 0)]


def test_search_matches_every_word_as_a_prefix(store: TillStore) -> None:
    assert set(_keys(search(store, "cami"))) == {(1, 0), (1, 10), (1, 11), (3, 0)}
    assert _keys(search(store, "cam roj")) == [(1, 10)]
    assert _keys(search(store, "azul cami")) == [(1, 11)]
    assert _keys(search(store, "cb")) == [(3, 0)]  # reference
    assert set(_keys(search(store, "84123456789"))) == {(1, 0), (1, 10)}  # ean13 prefix
    assert search(store, "camiseta roja") == []
    assert search(store, "  -- ") == []
    assert search(store, "c") == []  # type two letters at least
    assert _keys(search(store, "cam r")) == _keys(search(store, "cam"))
    assert len(search(store, "cami", limit=2)) == 2


def test_fts_query_quotes_each_word() -> None:
    assert fts_query('camisón "rojo" AND-xl') == '"camisón"* "rojo"* "AND"* "xl"*'
    assert fts_query("talla s") == '"talla"*'  # one-letter words match too much
    assert fts_query("") == fts_query("c") == ""


def test_updates_reach_the_search_index(store: TillStore) -> None:
    with store.write() as session:
        upsert(session, CatalogProduct, [{"id_product": 1, "name": "Pijama de algodón"}])
        upsert(
            session,
            CatalogCombination,
            [{"id_product_attribute": 11, "id_product": 1, "attributes": "Talla: XL"}],
        )
    assert search(store, "camison") == []
    assert set(_keys(search(store, "pijama"))) == {(1, 0), (1, 10), (1, 11)}
    assert _keys(search(store, "pijama xl")) == [(1, 11)]
    [item] = find_by_barcode(store, "098765432109")  # untouched columns kept
    assert item.attributes == "Talla: XL" and item.price_impact == D("2.5")


def test_deleted_products_disappear(store: TillStore) -> None:
    with store.write() as session:
        delete_combinations(session, [10])
    assert set(_keys(search(store, "camison"))) == {(1, 0), (1, 11)}
    with store.write() as session:
        delete_products(session, [1])
    assert search(store, "camison") == []
    assert find_by_barcode(store, "098765432109") == []
    with store.read() as session:
        count = session.connection().exec_driver_sql("SELECT count(*) FROM catalog_search")
        assert count.scalar() == 2


def test_upsert_refuses_unknown_columns_and_rows_without_key(store: TillStore) -> None:
    with store.write() as session:
        with pytest.raises(ValueError, match="bad columns"):
            upsert(session, CatalogProduct, [{"id_product": 9, "colour": "red"}])
        with pytest.raises(ValueError, match="need"):
            upsert(session, CatalogProduct, [{"name": "x"}])
        assert upsert(session, CatalogProduct, []) == 0


def test_other_catalog_tables_take_bulk_upserts(store: TillStore) -> None:
    with store.write() as session:
        upsert(session, CatalogTax, [{"id_tax": 1, "name": "IVA ES 21%", "rate": D("21.000")}])
        upsert(session, CatalogTax, [{"id_tax": 1, "name": "IVA 21", "rate": D("21")}])
        upsert(
            session,
            CatalogCustomer,
            [
                {"id_customer": n, "email": f"c{n}@example.com", "firstname": "Ana"}
                for n in range(1, 5001)
            ],
        )
    with store.read() as session:
        tax = session.get(CatalogTax, 1)
        assert tax is not None and (tax.name, tax.rate) == ("IVA 21", D("21"))
        assert session.get(CatalogCustomer, 4999) is not None


def test_many_matches_come_back_unranked_but_complete(
    store: TillStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.till import catalog

    ranked = set(_keys(search(store, "cami")))
    monkeypatch.setattr(catalog, "RANK_CAP", 2)
    assert _keys(search(store, "cami")) == [(1, 0), (1, 10), (1, 11), (3, 0)]  # catalog order
    assert set(_keys(search(store, "cami"))) == ranked
    assert len(search(store, "cami", limit=3)) == 3


def test_longer_words_are_looked_up_as_the_terms_they_start(store: TillStore) -> None:
    from app.till import catalog

    with catalog._snapshot(store) as db:
        assert catalog._match_word(db, "Camisón") == '("camison")'
        assert catalog._match_word(db, "cami") == '("camiseta" OR "camison")'
        assert catalog._match_word(db, "cam") == '"cam"*'  # the prefix index serves it
        assert catalog._match_word(db, "8412345678") == '("8412345678905" OR "8412345678912")'
        assert catalog._match_word(db, "zzzz") == '"zzzz"*'  # no term: as typed
        assert catalog._match_word(db, "ref_01") == '"ref_01"*'  # not one token


@pytest.mark.parametrize(
    "query",
    ["camison", "CAMI", "cami rojo", "algodon azul", "84123456789", "pan rj", "zzzz", "anil"],
)
@pytest.mark.parametrize("limit", [50, 2])
def test_terms_confirmed_prefixes_and_prefixes_find_the_same(
    store: TillStore, monkeypatch: pytest.MonkeyPatch, query: str, limit: int
) -> None:
    from app.till import catalog

    with store.write() as session:
        upsert(session, CatalogProduct, [{"id_product": 40, "name": "Bolso añil"}])
    monkeypatch.setattr(catalog, "RANK_CAP", 1)  # limit 2: the first 2 in catalog order
    by_terms = search(store, query, limit)
    monkeypatch.setattr(catalog, "MAX_TERMS", 0)  # every longer word: rows confirm it
    assert search(store, query, limit) == by_terms
    monkeypatch.setattr(catalog, "_confirmed_matches", lambda *_args: None)  # FTS5 alone
    assert search(store, query, limit) == by_terms


def test_a_long_prefix_is_confirmed_by_the_rows_text(
    store: TillStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.till import catalog

    monkeypatch.setattr(catalog, "MAX_TERMS", 0)
    with catalog._snapshot(store) as db:
        assert catalog._match_word(db, "cami") is None  # too many terms: confirmed instead
        confirmed = catalog._confirmed_matches(db, ["cami"], [None], 10)
        assert confirmed == [2**32, 2**32 + 10, 2**32 + 11, 3 * 2**32]
        assert catalog._confirmed_matches(db, ["cami"], [None], 2) == confirmed[:2]
        # "cam" also finds the 3 rows of "Camisón": too few confirm, FTS5 answers instead
        assert catalog._confirmed_matches(db, ["camiseta"], [None], 10) is None
    assert _keys(search(store, "camiseta")) == [(3, 0)]


RANKED = [
    {"id_product": 30, "name": "Jersey lana", "reference": "J-30"},
    {"id_product": 31, "name": "Jersey de lana merino", "reference": "J-31"},
    {"id_product": 32, "name": "Bufanda lana lana", "reference": "B-32"},
    {"id_product": 33, "name": "Gorro de lana con pompón", "reference": "G-33"},
    {"id_product": 34, "name": "Manta " + "de lana " * 70, "reference": "M-34"},  # 141 tokens
]


@pytest.mark.parametrize("query", ["lana", "jersey lana", "la"])
def test_best_matches_first_as_fts5_ranks_them(store: TillStore, query: str) -> None:
    with store.write() as session:
        upsert(session, CatalogProduct, RANKED)
    with store.read() as session:
        ranked = session.connection().exec_driver_sql(
            "SELECT rowid >> 32, rank FROM catalog_search WHERE catalog_search MATCH ?"
            " ORDER BY rank",
            (fts_query(query),),
        )
        expected, scores = zip(*ranked.fetchall(), strict=True)
    assert len(set(scores)) == len(scores)  # no ties: one right order
    assert [item.id_product for item in search(store, query)] == list(expected)


def test_products_come_before_their_combinations(store: TillStore) -> None:
    assert _keys(search(store, "camison"))[0] == (1, 0)
    assert _keys(search(store, "rojo")) == [(2, 0), (1, 10)]


def test_a_combination_without_its_product_is_no_item(store: TillStore) -> None:
    orphan = {"id_product_attribute": 12, "id_product": 99, "attributes": "Talla: S"}
    with store.write() as session:
        upsert(session, CatalogCombination, [orphan | {"ean13": "8400000000017"}])
    assert find_by_barcode(store, "8400000000017") == []
    assert search(store, "talla s") == search(store, "talla") != []
    assert (99, 12) not in _keys(search(store, "talla"))


def test_lookups_use_the_indexes_and_leave_no_transaction(store: TillStore) -> None:
    from app.till import catalog

    with catalog._snapshot(store) as db:
        plans = [
            " ".join(row[-1] for row in db.execute(f"EXPLAIN QUERY PLAN {sql}", params))
            for sql, params in (
                (catalog._ITEMS_BY_CODE, ("1", "2")),
                (catalog._ITEMS_BY_ROWID, ("[]",)),
                (catalog._TEXTS, ("[]",)),
            )
        ]
        assert db.in_transaction  # one snapshot for the whole lookup
    for plan in plans:
        assert "SCAN catalog" not in plan and "SCAN p" not in plan and "SCAN c" not in plan
    assert not db.in_transaction and store.engine.pool.checkedout() == 0
    with store.write() as session:
        upsert(session, CatalogProduct, [{"id_product": 2, "name": "Pañuelo verde"}])
    assert _keys(search(store, "verde")) == [(2, 0)]  # the next lookup sees the write
