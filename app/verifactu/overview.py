"""What the fiscal records screen shows: the records, the chain's check and the sending state.

:func:`verify_chain` recomputes every record's huella and its link to the one before, and
counts tickets that have no record while the mode was on (a gap: e.g. a ticket recorded by an
older Mostrador). Plain functions for a worker thread; frozen results.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import text

from app.till.store import TillStore
from app.verifactu.chain import huella
from app.verifactu.corrections import RecordToFix, records_to_fix
from app.verifactu.ledger import records_after
from app.verifactu.sender import QueueSummary, queue_summary

_PAGE = 2000


@dataclass(frozen=True)
class ChainCheck:
    ok: bool
    checked: int
    broken_at: str = ""  # the number of the first record that does not verify
    tickets_without_record: int = 0


@dataclass(frozen=True)
class RecordRow:
    id: int
    number: str
    kind: str  # F2, R5, F1, F3 or "anulación"
    issued_on: str
    total: str
    generated_at: str
    hash: str
    status: str  # pending, accepted, accepted_with_errors, rejected
    error: str


@dataclass(frozen=True)
class Overview:
    rows: tuple[RecordRow, ...]
    chain: ChainCheck
    queue: QueueSummary
    to_fix: tuple[RecordToFix, ...] = ()  # errors the AEAT reported, not corrected yet


def verify_chain(store: TillStore) -> ChainCheck:
    previous, checked, after = "", 0, 0
    with store.read() as session:
        while records := records_after(session, after, _PAGE):
            for record in records:
                if record.previous_hash != previous or huella(record.fields) != record.hash:
                    return ChainCheck(False, checked, record.number)
                previous, checked, after = record.hash, checked + 1, record.id
        gaps = session.execute(
            text(
                "SELECT count(*) FROM tickets t WHERE t.id > coalesce((SELECT min(ticket_id) "
                "FROM verifactu_records), (SELECT max(id) + 1 FROM tickets)) AND NOT EXISTS "
                "(SELECT 1 FROM verifactu_records r WHERE r.ticket_id = t.id)"
            )
        ).scalar_one()
    return ChainCheck(True, checked, "", int(gaps or 0))


def load_overview(store: TillStore, limit: int = 500) -> Overview:
    """The newest ``limit`` records with their sending state, the chain check, the queue and
    the records to fix."""
    with store.read() as session:
        result = session.execute(
            text(
                "SELECT r.id, r.number, r.kind, r.invoice_type, r.issued_on, r.total, "
                "r.generated_at, r.hash, q.status, q.error_code, q.error_text "
                "FROM verifactu_records r JOIN verifactu_queue q ON q.record_id = r.id "
                "ORDER BY r.id DESC LIMIT :limit"
            ),
            {"limit": limit},
        )
        rows = tuple(_row(tuple(values)) for values in result)
    return Overview(rows, verify_chain(store), queue_summary(store), records_to_fix(store))


def _row(values: tuple[Any, ...]) -> RecordRow:
    id_, number, kind, invoice_type, issued_on, total, generated_at, hash_, status = values[:9]
    shown = "anulación" if kind == "anulacion" else invoice_type
    message = f"{values[9]} {values[10]}".strip()
    return RecordRow(id_, number, shown, issued_on, total, generated_at, hash_, status, message)
