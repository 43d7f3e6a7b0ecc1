"""SQL of the till store's ledger steps (``migrations.py`` orders them); never edited once released.

Every step is **expand-only**: it creates tables, indexes, triggers or adds columns (nullable or
with a default), never drops or renames anything, so that an older Mostrador still reads and
writes a store migrated by a newer one (``min_compatible`` stays 1 while that holds; a step that
breaks older code must raise it). Amounts are INTEGER cents or micro-units (``types.py``), dates
ISO text as SQLAlchemy writes them, booleans 0/1.

Append-only ledger: a paid ticket's rows (ticket, lines, line taxes, payments), cash movements
and the series counters refuse UPDATE and DELETE through triggers; a ticket refuses extra lines
or payments beyond the counts it declared, so it is complete or absent.
"""

from __future__ import annotations


def _append_only(table: str) -> tuple[str, str]:
    return (
        f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} "
        f"BEGIN SELECT RAISE(ABORT, '{table} rows are append-only'); END",
        f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} "
        f"BEGIN SELECT RAISE(ABORT, '{table} rows are append-only'); END",
    )


_SERIES = (
    """CREATE TABLE ticket_series (
        series TEXT NOT NULL,
        year INTEGER NOT NULL,
        last_number INTEGER NOT NULL CHECK (last_number >= 1),
        PRIMARY KEY (series, year)
    )""",
    """CREATE TRIGGER ticket_series_forward BEFORE UPDATE ON ticket_series
    WHEN NEW.last_number IS NOT OLD.last_number + 1 OR NEW.series IS NOT OLD.series
        OR NEW.year IS NOT OLD.year
    BEGIN SELECT RAISE(ABORT, 'ticket series only move forward, one number at a time'); END""",
    """CREATE TRIGGER ticket_series_no_delete BEFORE DELETE ON ticket_series
    BEGIN SELECT RAISE(ABORT, 'ticket series are never deleted'); END""",
)

_CASH_SESSIONS = (
    """CREATE TABLE cash_sessions (
        id TEXT PRIMARY KEY,
        till TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('open', 'closing', 'closed')),
        opened_at TEXT NOT NULL,
        opened_by INTEGER NOT NULL,
        opening_float INTEGER NOT NULL,
        closing_at TEXT,
        closed_at TEXT,
        closed_by INTEGER,
        expected INTEGER,
        counted INTEGER,
        difference INTEGER,
        counted_detail TEXT,
        note TEXT NOT NULL DEFAULT ''
    )""",
    "CREATE UNIQUE INDEX cash_sessions_one_open ON cash_sessions (till) WHERE state <> 'closed'",
    """CREATE TRIGGER cash_sessions_closed_is_final BEFORE UPDATE ON cash_sessions
    WHEN OLD.state = 'closed'
    BEGIN SELECT RAISE(ABORT, 'a closed cash session never changes'); END""",
    """CREATE TRIGGER cash_sessions_no_delete BEFORE DELETE ON cash_sessions
    BEGIN SELECT RAISE(ABORT, 'cash sessions are never deleted'); END""",
)

_TICKETS = (
    """CREATE TABLE tickets (
        id INTEGER PRIMARY KEY,
        uuid TEXT NOT NULL UNIQUE,
        number TEXT NOT NULL UNIQUE,
        series TEXT NOT NULL,
        year INTEGER NOT NULL,
        seq INTEGER NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('sale', 'refund')),
        till TEXT NOT NULL,
        created_at TEXT NOT NULL,
        recorded_at TEXT NOT NULL,
        id_shop INTEGER NOT NULL,
        id_currency INTEGER NOT NULL,
        id_lang INTEGER NOT NULL,
        id_employee INTEGER NOT NULL,
        employee_name TEXT NOT NULL,
        id_customer INTEGER,
        customer_email TEXT NOT NULL,
        customer_firstname TEXT NOT NULL,
        customer_lastname TEXT NOT NULL,
        customer_group INTEGER NOT NULL,
        customer_walk_in INTEGER NOT NULL,
        total_tax_excl INTEGER NOT NULL,
        total_tax_incl INTEGER NOT NULL,
        ticket_discount_percent INTEGER NOT NULL DEFAULT 0,
        round_mode INTEGER NOT NULL,
        round_type INTEGER NOT NULL,
        currency_precision INTEGER NOT NULL,
        cash_session_id TEXT NOT NULL REFERENCES cash_sessions (id),
        original_ticket TEXT REFERENCES tickets (number),
        note TEXT NOT NULL DEFAULT '',
        line_count INTEGER NOT NULL CHECK (line_count >= 1),
        payment_count INTEGER NOT NULL,
        UNIQUE (series, year, seq)
    )""",
    "CREATE INDEX tickets_cash_session ON tickets (cash_session_id)",
    "CREATE INDEX tickets_original ON tickets (original_ticket) WHERE original_ticket IS NOT NULL",
    """CREATE TRIGGER tickets_need_open_session BEFORE INSERT ON tickets
    WHEN (SELECT state FROM cash_sessions WHERE id = NEW.cash_session_id) IS NOT 'open'
    BEGIN SELECT RAISE(ABORT, 'a ticket needs an open cash session'); END""",
    """CREATE TRIGGER tickets_number_from_series AFTER INSERT ON tickets
    WHEN NEW.seq IS NOT (SELECT last_number FROM ticket_series
                         WHERE series = NEW.series AND year = NEW.year)
        OR NEW.number IS NOT NEW.series || '-' || NEW.year || '-' || printf('%06d', NEW.seq)
    BEGIN SELECT RAISE(ABORT, 'a ticket takes the number its series just gave'); END""",
    *_append_only("tickets"),
    """CREATE TABLE ticket_lines (
        id INTEGER PRIMARY KEY,
        ticket_id INTEGER NOT NULL REFERENCES tickets (id),
        line_no INTEGER NOT NULL,
        id_product INTEGER NOT NULL,
        id_product_attribute INTEGER NOT NULL,
        name TEXT NOT NULL,
        reference TEXT NOT NULL,
        ean13 TEXT NOT NULL,
        quantity INTEGER NOT NULL CHECK (quantity > 0),
        original_unit_price_tax_excl INTEGER NOT NULL,
        unit_price_tax_excl INTEGER NOT NULL,
        unit_price_tax_incl INTEGER NOT NULL,
        total_tax_excl INTEGER NOT NULL,
        total_tax_incl INTEGER NOT NULL,
        reduction_percent INTEGER NOT NULL DEFAULT 0,
        reduction_amount_tax_excl INTEGER NOT NULL DEFAULT 0,
        reduction_amount_tax_incl INTEGER NOT NULL DEFAULT 0,
        group_reduction INTEGER NOT NULL DEFAULT 0,
        id_specific_price INTEGER NOT NULL DEFAULT 0,
        discount_percent INTEGER NOT NULL DEFAULT 0,
        id_tax_rules_group INTEGER NOT NULL DEFAULT 0,
        tax_computation_method INTEGER NOT NULL DEFAULT 0,
        wholesale_price INTEGER NOT NULL DEFAULT 0,
        original_line_no INTEGER,
        restock INTEGER NOT NULL DEFAULT 1,
        tax_count INTEGER NOT NULL DEFAULT 0,
        UNIQUE (ticket_id, line_no)
    )""",
    """CREATE TRIGGER ticket_lines_complete BEFORE INSERT ON ticket_lines
    WHEN (SELECT count(*) FROM ticket_lines WHERE ticket_id = NEW.ticket_id)
        >= (SELECT line_count FROM tickets WHERE id = NEW.ticket_id)
    BEGIN SELECT RAISE(ABORT, 'the ticket already has all its lines'); END""",
    *_append_only("ticket_lines"),
    """CREATE TABLE line_taxes (
        id INTEGER PRIMARY KEY,
        line_id INTEGER NOT NULL REFERENCES ticket_lines (id),
        position INTEGER NOT NULL,
        id_tax INTEGER NOT NULL,
        name TEXT NOT NULL,
        rate INTEGER NOT NULL,
        unit_amount INTEGER NOT NULL,
        total_amount INTEGER NOT NULL,
        UNIQUE (line_id, position)
    )""",
    """CREATE TRIGGER line_taxes_complete BEFORE INSERT ON line_taxes
    WHEN (SELECT count(*) FROM line_taxes WHERE line_id = NEW.line_id)
        >= (SELECT tax_count FROM ticket_lines WHERE id = NEW.line_id)
    BEGIN SELECT RAISE(ABORT, 'the line already has all its taxes'); END""",
    *_append_only("line_taxes"),
    """CREATE TABLE payments (
        id INTEGER PRIMARY KEY,
        ticket_id INTEGER NOT NULL REFERENCES tickets (id),
        position INTEGER NOT NULL,
        method TEXT NOT NULL,
        label TEXT NOT NULL,
        tender TEXT NOT NULL CHECK (tender IN ('cash', 'card', 'other')),
        amount INTEGER NOT NULL,
        given INTEGER,
        change INTEGER NOT NULL DEFAULT 0,
        UNIQUE (ticket_id, position)
    )""",
    """CREATE TRIGGER payments_complete BEFORE INSERT ON payments
    WHEN (SELECT count(*) FROM payments WHERE ticket_id = NEW.ticket_id)
        >= (SELECT payment_count FROM tickets WHERE id = NEW.ticket_id)
    BEGIN SELECT RAISE(ABORT, 'the ticket already has all its payments'); END""",
    *_append_only("payments"),
)

_CASH_MOVEMENTS = (
    """CREATE TABLE cash_movements (
        id INTEGER PRIMARY KEY,
        session_id TEXT NOT NULL REFERENCES cash_sessions (id),
        kind TEXT NOT NULL CHECK (kind IN ('sale', 'refund', 'in', 'out')),
        amount INTEGER NOT NULL,
        reason TEXT NOT NULL DEFAULT '',
        ticket_id INTEGER REFERENCES tickets (id),
        id_employee INTEGER NOT NULL,
        created_at TEXT NOT NULL
    )""",
    "CREATE INDEX cash_movements_session ON cash_movements (session_id)",
    """CREATE TRIGGER cash_movements_need_open_session BEFORE INSERT ON cash_movements
    WHEN (SELECT state FROM cash_sessions WHERE id = NEW.session_id) IS NOT 'open'
    BEGIN SELECT RAISE(ABORT, 'cash moves only in an open cash session'); END""",
    *_append_only("cash_movements"),
)

_OUTBOX = (
    """CREATE TABLE outbox (
        id INTEGER PRIMARY KEY,
        ticket_id INTEGER NOT NULL UNIQUE REFERENCES tickets (id),
        uuid TEXT NOT NULL UNIQUE,
        kind TEXT NOT NULL CHECK (kind IN ('sale', 'refund')),
        status TEXT NOT NULL DEFAULT 'pending'
            CHECK (status IN ('pending', 'pushed', 'refused')),
        attempts INTEGER NOT NULL DEFAULT 0,
        last_error TEXT NOT NULL DEFAULT '',
        refused_reason TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        pushed_at TEXT,
        id_order INTEGER,
        order_reference TEXT
    )""",
    "CREATE INDEX outbox_status ON outbox (status, id)",
    """CREATE TRIGGER outbox_pushed_is_final BEFORE UPDATE ON outbox
    WHEN OLD.status = 'pushed'
    BEGIN SELECT RAISE(ABORT, 'a pushed outbox entry never changes'); END""",
    """CREATE TRIGGER outbox_no_delete BEFORE DELETE ON outbox
    BEGIN SELECT RAISE(ABORT, 'outbox entries are never deleted'); END""",
)

_PARKED = (
    """CREATE TABLE parked_tickets (
        id TEXT PRIMARY KEY,
        till TEXT NOT NULL,
        label TEXT NOT NULL DEFAULT '',
        id_employee INTEGER NOT NULL,
        cart TEXT NOT NULL CHECK (json_valid(cart)),
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    )""",
    "CREATE INDEX parked_tickets_created ON parked_tickets (created_at)",
)

LEDGER: tuple[str, ...] = _SERIES + _CASH_SESSIONS + _TICKETS + _CASH_MOVEMENTS + _OUTBOX
PARKED: tuple[str, ...] = _PARKED
