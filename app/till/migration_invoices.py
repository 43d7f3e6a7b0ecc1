"""SQL of step 8, full invoices (``migrations.py`` orders it); never edited once released.

* ``invoices``: the full invoices of this till, numbered in the till's full-invoice series
  (``T1-F-2026-000001``, taken from ``ticket_series`` like ticket numbers: gapless, never
  reused). An F1 is a sale issued as a full invoice at the counter: ``ticket_id`` is that sale,
  whose number is the invoice's. An F3 exchanges earlier tickets for a full invoice: it has no
  ticket of its own; ``content`` keeps what it invoices (lines, VAT breakdown, totals) as
  issued. ``recipient`` is who it is issued to (name, tax id, address), ``id_customer`` /
  ``customer_email`` the till's customer, to offer the same data next time.
* ``invoice_substitutions``: the tickets an F3 replaces; a ticket is replaced at most once
  (UNIQUE ``ticket_id``).

Both are append-only (triggers). Expand-only: older code ignores them (it prints an F1 sale as
a simplified ticket, and cannot issue invoices).
"""

from __future__ import annotations


def _never_changed(table: str) -> tuple[str, str]:
    return (
        f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} "
        f"BEGIN SELECT RAISE(ABORT, '{table} rows are never changed'); END",
        f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} "
        f"BEGIN SELECT RAISE(ABORT, '{table} rows are never deleted'); END",
    )


INVOICES: tuple[str, ...] = (
    """CREATE TABLE invoices (
        id INTEGER PRIMARY KEY,
        number TEXT NOT NULL UNIQUE,
        kind TEXT NOT NULL CHECK (kind IN ('F1', 'F3')),
        ticket_id INTEGER UNIQUE REFERENCES tickets (id),
        issued_at TEXT NOT NULL,
        recipient TEXT NOT NULL CHECK (json_valid(recipient)),
        content TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(content)),
        id_customer INTEGER,
        customer_email TEXT NOT NULL DEFAULT '',
        CHECK ((kind = 'F1') = (ticket_id IS NOT NULL))
    )""",
    "CREATE INDEX invoices_customer ON invoices (id_customer, customer_email)",
    """CREATE TRIGGER invoices_f1_is_its_ticket BEFORE INSERT ON invoices
    WHEN NEW.kind = 'F1' AND NEW.number IS NOT (SELECT number FROM tickets WHERE id = NEW.ticket_id)
    BEGIN SELECT RAISE(ABORT, 'an F1 invoice has the number of its sale'); END""",
    *_never_changed("invoices"),
    """CREATE TABLE invoice_substitutions (
        invoice_id INTEGER NOT NULL REFERENCES invoices (id),
        ticket_id INTEGER NOT NULL UNIQUE REFERENCES tickets (id),
        PRIMARY KEY (invoice_id, ticket_id)
    )""",
    *_never_changed("invoice_substitutions"),
)
