"""SQL of the VERI*FACTU corrections step (subsanación); never edited once released.

Step 10 in ``migrations.py``. It is the one step that is not expand-only (the expand-only test
exempts it by name; ``tests/integration/test_verifactu_corrections.py`` checks what it keeps):

A corrected record (``Subsanacion``) is a NEW registration record of the SAME invoice (same
issuer, number and date), chained after the last record like any other. Step 7 declared
``UNIQUE (kind, issuer_nif, number)`` on ``verifactu_records``, which SQLite cannot relax in
place, so this step copies the table, drops it and creates it again with the same columns, the
same rows (ids and every value byte for byte) and the same triggers, plus:

* ``corrects_id``: the record a correction corrects (NULL for every original record);
* "a number is registered once" kept for originals (a partial UNIQUE index);
* a correction corrects an earlier registration of the same invoice and repeats its type and
  amounts: only the recipient data may change (a trigger).

Older code still reads and writes the table (same columns plus a nullable one; its inserts
leave ``corrects_id`` NULL), so ``min_compatible`` stays 1. Foreign keys: the step defers them
(``verifactu_queue`` points at the records) and they hold again when the rows are back, before
the step's transaction commits; the migration runs in one transaction, so a failure leaves the
table as it was.
"""

from __future__ import annotations

_COLUMNS = (
    "id, chain, kind, ticket_id, issuer_nif, issuer_name, number, issued_on, invoice_type, "
    "tax_total, total, previous_id, previous_hash, generated_at, hash, body"
)


def _never_changed(table: str) -> tuple[str, str]:
    return (
        f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} "
        f"BEGIN SELECT RAISE(ABORT, '{table} rows are never changed'); END",
        f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} "
        f"BEGIN SELECT RAISE(ABORT, '{table} rows are never deleted'); END",
    )


CORRECTIONS: tuple[str, ...] = (
    "PRAGMA defer_foreign_keys = ON",
    f"CREATE TABLE verifactu_records_step7 AS SELECT {_COLUMNS} FROM verifactu_records",
    "DROP TABLE verifactu_records",
    """CREATE TABLE verifactu_records (
        id INTEGER PRIMARY KEY,
        chain TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('alta', 'anulacion')),
        ticket_id INTEGER REFERENCES tickets (id),
        issuer_nif TEXT NOT NULL,
        issuer_name TEXT NOT NULL,
        number TEXT NOT NULL,
        issued_on TEXT NOT NULL,
        invoice_type TEXT NOT NULL DEFAULT '',
        tax_total TEXT NOT NULL DEFAULT '',
        total TEXT NOT NULL DEFAULT '',
        previous_id INTEGER REFERENCES verifactu_records (id),
        previous_hash TEXT NOT NULL,
        generated_at TEXT NOT NULL,
        hash TEXT NOT NULL UNIQUE CHECK (length(hash) = 64),
        body TEXT NOT NULL CHECK (json_valid(body)),
        corrects_id INTEGER REFERENCES verifactu_records (id),
        CHECK (corrects_id IS NULL OR kind = 'alta')
    )""",
    f"INSERT INTO verifactu_records ({_COLUMNS}) "
    f"SELECT {_COLUMNS} FROM verifactu_records_step7 ORDER BY id",
    "DROP TABLE verifactu_records_step7",
    "CREATE UNIQUE INDEX verifactu_records_registered_once ON verifactu_records "
    "(kind, issuer_nif, number) WHERE corrects_id IS NULL",
    "CREATE INDEX verifactu_records_chain ON verifactu_records (chain, id)",
    "CREATE INDEX verifactu_records_ticket ON verifactu_records (ticket_id)",
    "CREATE INDEX verifactu_records_corrects ON verifactu_records (corrects_id)",
    """CREATE TRIGGER verifactu_records_chained BEFORE INSERT ON verifactu_records
    WHEN NEW.previous_hash IS NOT COALESCE(
            (SELECT hash FROM verifactu_records WHERE chain = NEW.chain ORDER BY id DESC LIMIT 1),
            '')
        OR NEW.previous_id IS NOT (SELECT max(id) FROM verifactu_records WHERE chain = NEW.chain)
    BEGIN SELECT RAISE(ABORT, 'a fiscal record chains to the last record of its chain'); END""",
    """CREATE TRIGGER verifactu_records_annul_issued BEFORE INSERT ON verifactu_records
    WHEN NEW.kind = 'anulacion' AND NOT EXISTS (
        SELECT 1 FROM verifactu_records
        WHERE kind = 'alta' AND issuer_nif = NEW.issuer_nif AND number = NEW.number)
    BEGIN SELECT RAISE(ABORT, 'only a registered invoice can be annulled'); END""",
    """CREATE TRIGGER verifactu_records_correction_same_invoice BEFORE INSERT ON verifactu_records
    WHEN NEW.corrects_id IS NOT NULL AND NOT EXISTS (
        SELECT 1 FROM verifactu_records r
        WHERE r.id = NEW.corrects_id AND r.kind = 'alta' AND r.issuer_nif = NEW.issuer_nif
            AND r.number = NEW.number AND r.issued_on = NEW.issued_on
            AND r.invoice_type = NEW.invoice_type AND r.tax_total = NEW.tax_total
            AND r.total = NEW.total)
    BEGIN SELECT RAISE(ABORT, 'a correction repeats its invoice, its type and its amounts'); END""",
    *_never_changed("verifactu_records"),
)
