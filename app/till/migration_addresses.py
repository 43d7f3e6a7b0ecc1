"""SQL of step 9, customers' addresses (``migrations.py`` orders it); never edited once released.

``catalog_addresses`` mirrors the invoice-worthy addresses of the shop's customers (PrestaShop
``address`` rows of a customer the till sees, active and not deleted; the walk-in customers'
left out), so that a full invoice is offered the customer's name, tax id and address without
typing them: ``app/till/customer_addresses.py`` picks one. The catalog pull keeps it like
``catalog_customers`` (by id ranges, and by ``date_upd`` for edits). Texts PrestaShop leaves
NULL are ``''``; ``country_iso`` is the country's ISO 3166-1 alpha-2 code.

Expand-only: older code ignores the table.
"""

from __future__ import annotations

ADDRESSES: tuple[str, ...] = (
    """CREATE TABLE catalog_addresses (
        id_address INTEGER PRIMARY KEY,
        id_customer INTEGER NOT NULL,
        company TEXT NOT NULL DEFAULT '',
        firstname TEXT NOT NULL DEFAULT '',
        lastname TEXT NOT NULL DEFAULT '',
        dni TEXT NOT NULL DEFAULT '',
        vat_number TEXT NOT NULL DEFAULT '',
        address1 TEXT NOT NULL DEFAULT '',
        address2 TEXT NOT NULL DEFAULT '',
        postcode TEXT NOT NULL DEFAULT '',
        city TEXT NOT NULL DEFAULT '',
        country_iso TEXT NOT NULL DEFAULT '',
        date_upd TEXT
    )""",
    "CREATE INDEX catalog_addresses_customer ON catalog_addresses (id_customer)",
)
