"""The till: local store (SQLite), ticket series, cash sessions, outbox, catalog cache.

* ``store.py`` — :func:`open_store`, :class:`TillStore` (engine, sessions, pragmas);
  ``migrations.py`` (+ ``migration_steps.py``, ``migration_catalog.py``) — the schema history;
  ``models.py`` / ``models_catalog.py`` — the typed mapping; ``types.py`` — money as integers.
* ``tickets.py`` — record sales and refunds, read tickets back; ``validation.py`` — what a
  draft must satisfy; ``series.py`` — gapless numbers; ``ticket_rows.py`` — records ↔ rows.
* ``cash_session.py`` — the aggregate (open → closing → closed); ``cash_drawer.py`` — its
  operations and cash movements; ``z_report.py`` — the Z (and X) report.
* ``outbox.py`` — what the sync push reads and marks; ``parked.py`` — parked carts;
  ``catalog.py`` — barcode lookup, text search, bulk upserts for the catalog pull.
* ``records.py`` — the frozen ticket records; ``samples.py`` — hand-made drafts for tests.
"""
