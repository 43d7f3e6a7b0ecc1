"""SQL of the catalog cache step (``migrations.py`` orders it); never edited once released.

The cache mirrors the few PrestaShop columns the till needs, already resolved for the till's
shop and language, keyed by PrestaShop ids so that the catalog pull upserts in bulk
(``INSERT … ON CONFLICT DO UPDATE``). Codes PrestaShop leaves empty are ``''``; barcode
indexes are partial (``WHERE code <> ''``).

``catalog_search`` is an FTS5 index (accent- and case-insensitive: ``unicode61
remove_diacritics 2``) kept in step by triggers. Its rowid encodes the item:
``id_product * 2**32 + id_product_attribute`` (0 for the product itself); a combination is
indexed under "product name + attributes" ("Camisón Talla: M, Color: Rojo").
"""

from __future__ import annotations

ROWID_SHIFT = 4294967296  # 2**32: id_product_attribute is an unsigned 32-bit id

_PRODUCTS = (
    """CREATE TABLE catalog_products (
        id_product INTEGER PRIMARY KEY,
        reference TEXT NOT NULL DEFAULT '',
        ean13 TEXT NOT NULL DEFAULT '',
        upc TEXT NOT NULL DEFAULT '',
        name TEXT NOT NULL DEFAULT '',
        price INTEGER NOT NULL DEFAULT 0,
        wholesale_price INTEGER NOT NULL DEFAULT 0,
        ecotax INTEGER NOT NULL DEFAULT 0,
        id_tax_rules_group INTEGER NOT NULL DEFAULT 0,
        id_category_default INTEGER NOT NULL DEFAULT 0,
        has_combinations INTEGER NOT NULL DEFAULT 0,
        active INTEGER NOT NULL DEFAULT 1,
        date_upd TEXT
    )""",
    "CREATE INDEX catalog_products_ean13 ON catalog_products (ean13) WHERE ean13 <> ''",
    "CREATE INDEX catalog_products_upc ON catalog_products (upc) WHERE upc <> ''",
    "CREATE INDEX catalog_products_reference ON catalog_products (reference) WHERE reference <> ''",
    """CREATE TABLE catalog_combinations (
        id_product_attribute INTEGER PRIMARY KEY,
        id_product INTEGER NOT NULL,
        reference TEXT NOT NULL DEFAULT '',
        ean13 TEXT NOT NULL DEFAULT '',
        upc TEXT NOT NULL DEFAULT '',
        attributes TEXT NOT NULL DEFAULT '',
        price_impact INTEGER NOT NULL DEFAULT 0,
        wholesale_price INTEGER NOT NULL DEFAULT 0,
        default_on INTEGER NOT NULL DEFAULT 0
    )""",
    "CREATE INDEX catalog_combinations_product ON catalog_combinations (id_product)",
    "CREATE INDEX catalog_combinations_ean13 ON catalog_combinations (ean13) WHERE ean13 <> ''",
    "CREATE INDEX catalog_combinations_upc ON catalog_combinations (upc) WHERE upc <> ''",
    """CREATE INDEX catalog_combinations_reference ON catalog_combinations (reference)
    WHERE reference <> ''""",
    """CREATE TABLE catalog_stock (
        id_product INTEGER NOT NULL,
        id_product_attribute INTEGER NOT NULL,
        quantity INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (id_product, id_product_attribute)
    )""",
)

_PRICING = (
    """CREATE TABLE catalog_taxes (
        id_tax INTEGER PRIMARY KEY,
        name TEXT NOT NULL DEFAULT '',
        rate INTEGER NOT NULL DEFAULT 0,
        active INTEGER NOT NULL DEFAULT 1
    )""",
    """CREATE TABLE catalog_tax_rules_groups (
        id_tax_rules_group INTEGER PRIMARY KEY,
        name TEXT NOT NULL DEFAULT '',
        active INTEGER NOT NULL DEFAULT 1,
        deleted INTEGER NOT NULL DEFAULT 0
    )""",
    """CREATE TABLE catalog_tax_rules (
        id_tax_rule INTEGER PRIMARY KEY,
        id_tax_rules_group INTEGER NOT NULL,
        id_country INTEGER NOT NULL,
        id_state INTEGER NOT NULL DEFAULT 0,
        zipcode_from TEXT NOT NULL DEFAULT '',
        zipcode_to TEXT NOT NULL DEFAULT '',
        id_tax INTEGER NOT NULL,
        behavior INTEGER NOT NULL DEFAULT 0
    )""",
    "CREATE INDEX catalog_tax_rules_group ON catalog_tax_rules (id_tax_rules_group, id_country)",
    """CREATE TABLE catalog_specific_prices (
        id_specific_price INTEGER PRIMARY KEY,
        id_specific_price_rule INTEGER NOT NULL DEFAULT 0,
        id_product INTEGER NOT NULL,
        id_product_attribute INTEGER NOT NULL DEFAULT 0,
        id_shop INTEGER NOT NULL DEFAULT 0,
        id_currency INTEGER NOT NULL DEFAULT 0,
        id_country INTEGER NOT NULL DEFAULT 0,
        id_group INTEGER NOT NULL DEFAULT 0,
        id_customer INTEGER NOT NULL DEFAULT 0,
        price INTEGER NOT NULL DEFAULT -1000000,
        from_quantity INTEGER NOT NULL DEFAULT 1,
        reduction INTEGER NOT NULL DEFAULT 0,
        reduction_tax INTEGER NOT NULL DEFAULT 1,
        reduction_type TEXT NOT NULL DEFAULT 'amount',
        date_from TEXT,
        date_to TEXT
    )""",
    "CREATE INDEX catalog_specific_prices_product ON catalog_specific_prices (id_product)",
    """CREATE TABLE catalog_groups (
        id_group INTEGER PRIMARY KEY,
        name TEXT NOT NULL DEFAULT '',
        reduction INTEGER NOT NULL DEFAULT 0,
        price_display_method INTEGER NOT NULL DEFAULT 0
    )""",
    """CREATE TABLE catalog_group_reductions (
        id_product INTEGER NOT NULL,
        id_group INTEGER NOT NULL,
        reduction INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (id_product, id_group)
    )""",
)

_PEOPLE = (
    """CREATE TABLE catalog_customers (
        id_customer INTEGER PRIMARY KEY,
        email TEXT NOT NULL DEFAULT '',
        firstname TEXT NOT NULL DEFAULT '',
        lastname TEXT NOT NULL DEFAULT '',
        company TEXT NOT NULL DEFAULT '',
        id_default_group INTEGER NOT NULL DEFAULT 3,
        active INTEGER NOT NULL DEFAULT 1,
        deleted INTEGER NOT NULL DEFAULT 0,
        date_upd TEXT
    )""",
    "CREATE INDEX catalog_customers_email ON catalog_customers (email)",
    """CREATE TABLE catalog_customer_groups (
        id_customer INTEGER NOT NULL,
        id_group INTEGER NOT NULL,
        PRIMARY KEY (id_customer, id_group)
    )""",
    """CREATE TABLE catalog_employees (
        id_employee INTEGER PRIMARY KEY,
        firstname TEXT NOT NULL DEFAULT '',
        lastname TEXT NOT NULL DEFAULT '',
        email TEXT NOT NULL DEFAULT '',
        id_profile INTEGER NOT NULL DEFAULT 0,
        id_lang INTEGER NOT NULL DEFAULT 0,
        active INTEGER NOT NULL DEFAULT 1
    )""",
    """CREATE TABLE catalog_sync_state (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    )""",
)

_P = f"NEW.id_product * {ROWID_SHIFT}"
_COMBINATION_NAME = (
    "coalesce((SELECT name FROM catalog_products WHERE id_product = NEW.id_product), '')"
    " || ' ' || NEW.attributes"
)
# Re-label the combinations of product NEW.id_product after its name changed or arrived.
_RENAME_COMBINATIONS = f"""UPDATE catalog_search SET name = NEW.name || ' ' || coalesce((
        SELECT attributes FROM catalog_combinations
        WHERE id_product_attribute = catalog_search.rowid - {_P}), '')
    WHERE rowid > {_P} AND rowid < {_P} + {ROWID_SHIFT};"""

_SEARCH = (
    """CREATE VIRTUAL TABLE catalog_search USING fts5(
        name, reference, ean13,
        tokenize = 'unicode61 remove_diacritics 2',
        prefix = '2 3'
    )""",
    f"""CREATE TRIGGER catalog_products_search_insert AFTER INSERT ON catalog_products BEGIN
        INSERT INTO catalog_search (rowid, name, reference, ean13)
        VALUES ({_P}, NEW.name, NEW.reference, NEW.ean13);
        {_RENAME_COMBINATIONS}
    END""",
    f"""CREATE TRIGGER catalog_products_search_update AFTER UPDATE OF name, reference, ean13
    ON catalog_products
    WHEN OLD.name IS NOT NEW.name OR OLD.reference IS NOT NEW.reference
        OR OLD.ean13 IS NOT NEW.ean13
    BEGIN
        UPDATE catalog_search SET name = NEW.name, reference = NEW.reference, ean13 = NEW.ean13
        WHERE rowid = {_P};
        {_RENAME_COMBINATIONS}
    END""",
    f"""CREATE TRIGGER catalog_products_search_delete AFTER DELETE ON catalog_products BEGIN
        DELETE FROM catalog_search WHERE rowid = OLD.id_product * {ROWID_SHIFT};
    END""",
    f"""CREATE TRIGGER catalog_combinations_search_insert AFTER INSERT ON catalog_combinations
    BEGIN
        INSERT INTO catalog_search (rowid, name, reference, ean13)
        VALUES ({_P} + NEW.id_product_attribute, {_COMBINATION_NAME}, NEW.reference, NEW.ean13);
    END""",
    f"""CREATE TRIGGER catalog_combinations_search_update
    AFTER UPDATE OF id_product, attributes, reference, ean13 ON catalog_combinations
    WHEN OLD.id_product IS NOT NEW.id_product OR OLD.attributes IS NOT NEW.attributes
        OR OLD.reference IS NOT NEW.reference OR OLD.ean13 IS NOT NEW.ean13
    BEGIN
        DELETE FROM catalog_search
        WHERE rowid = OLD.id_product * {ROWID_SHIFT} + OLD.id_product_attribute;
        INSERT INTO catalog_search (rowid, name, reference, ean13)
        VALUES ({_P} + NEW.id_product_attribute, {_COMBINATION_NAME}, NEW.reference, NEW.ean13);
    END""",
    f"""CREATE TRIGGER catalog_combinations_search_delete AFTER DELETE ON catalog_combinations
    BEGIN
        DELETE FROM catalog_search
        WHERE rowid = OLD.id_product * {ROWID_SHIFT} + OLD.id_product_attribute;
    END""",
)

CATALOG: tuple[str, ...] = _PRODUCTS + _PRICING + _PEOPLE + _SEARCH
