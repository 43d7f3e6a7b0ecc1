"""SQL of step 7, VERI*FACTU (``migrations.py`` orders it); never edited once released.

* ``verifactu_identity``: who issues the records of this till (the shop's NIF and name), the
  installation number naming the till's chain, the AEAT environment, whether the mode is on.
  Append-only: a change of settings adds a row; the newest row is the one in force.
* ``verifactu_records``: the invoice registration (``alta``) and annulment (``anulacion``)
  records, one chain per installation, in the order they were generated (``id``). Append-only
  (no UPDATE, no DELETE, enforced by triggers); a record must chain to the last record of its
  chain (its ``previous_hash`` and ``previous_id``, checked by a trigger); an invoice number
  is registered once and annulled at most once (UNIQUE). Amounts are kept as the exact text
  the huella covers ("12.35"); ``body`` holds the rest of the record for the AEAT message.
* ``verifactu_queue``: the sending state of each record (pending, accepted, accepted with
  errors, rejected), with the AEAT's error code and text; an accepted record's state is final.
* ``verifactu_sender``: at most one row (written by the first send), the sender's state: the
  AEAT's wait time (``TiempoEsperaEnvio``) before the next message, and the incident when the
  AEAT could not be reached.

Expand-only: older code ignores these tables (it sells without fiscal records; the records
screen shows such tickets as a gap in the chain).
"""

from __future__ import annotations


def _never_changed(table: str) -> tuple[str, str]:
    return (
        f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} "
        f"BEGIN SELECT RAISE(ABORT, '{table} rows are never changed'); END",
        f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} "
        f"BEGIN SELECT RAISE(ABORT, '{table} rows are never deleted'); END",
    )


VERIFACTU: tuple[str, ...] = (
    """CREATE TABLE verifactu_identity (
        id INTEGER PRIMARY KEY,
        enabled INTEGER NOT NULL,
        nif TEXT NOT NULL,
        name TEXT NOT NULL,
        installation TEXT NOT NULL,
        environment TEXT NOT NULL CHECK (environment IN ('test', 'production')),
        set_at TEXT NOT NULL
    )""",
    *_never_changed("verifactu_identity"),
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
        UNIQUE (kind, issuer_nif, number)
    )""",
    "CREATE INDEX verifactu_records_chain ON verifactu_records (chain, id)",
    "CREATE INDEX verifactu_records_ticket ON verifactu_records (ticket_id)",
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
    *_never_changed("verifactu_records"),
    """CREATE TABLE verifactu_queue (
        record_id INTEGER PRIMARY KEY REFERENCES verifactu_records (id),
        status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN
            ('pending', 'accepted', 'accepted_with_errors', 'rejected')),
        attempts INTEGER NOT NULL DEFAULT 0,
        error_code TEXT NOT NULL DEFAULT '',
        error_text TEXT NOT NULL DEFAULT '',
        csv TEXT NOT NULL DEFAULT '',
        updated_at TEXT NOT NULL
    )""",
    "CREATE INDEX verifactu_queue_status ON verifactu_queue (status, record_id)",
    """CREATE TRIGGER verifactu_queue_accepted_is_final BEFORE UPDATE ON verifactu_queue
    WHEN OLD.status = 'accepted' OR NEW.record_id IS NOT OLD.record_id
    BEGIN SELECT RAISE(ABORT, 'an accepted fiscal record stays accepted'); END""",
    """CREATE TRIGGER verifactu_queue_no_delete BEFORE DELETE ON verifactu_queue
    BEGIN SELECT RAISE(ABORT, 'verifactu_queue rows are never deleted'); END""",
    """CREATE TABLE verifactu_sender (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        next_send_at TEXT,
        wait_seconds INTEGER NOT NULL DEFAULT 60,
        incident INTEGER NOT NULL DEFAULT 0,
        last_error TEXT NOT NULL DEFAULT '',
        last_attempt_at TEXT,
        last_success_at TEXT
    )""",
)
