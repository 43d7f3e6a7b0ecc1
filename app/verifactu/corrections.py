"""Records the AEAT rejected or accepted with errors, and their correction (subsanación).

The AEAT answers each record Correcto, AceptadoConErrores (registered, but with an error to
correct) or Incorrecto (rejected: never registered). Either error is corrected the same way: a
NEW registration record of the same invoice (same issuer, number and date), with
``Subsanacion = S``, chained after the last record like any other (its own huella and
``FechaHoraHusoGenRegistro``) and queued for sending; the record in error is never changed.
``RechazoPrevio`` says what the AEAT holds of the invoice (AEAT "Validaciones y errores"; the
AEAT refuses X or S without ``Subsanacion = S``, errors 1153 and 1161):

* absent (N): the AEAT holds the invoice (accepted with errors) and never rejected it;
* ``X``: the AEAT does not hold it (every record of it was rejected);
* ``S``: the AEAT holds it and rejected a record of it before (our reading of "ha habido
  rechazo previo": a correction that was itself rejected).

What the till corrects: the recipient of a full invoice (F1, F3) or of a rectifying one (R1),
e.g. a tax id the AEAT's census does not know (2001, 1193). Amounts never: the correction
repeats the type and the amounts (a store trigger refuses anything else). Other errors are
explained in plain words (:func:`explain`) with what to do.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import text
from sqlalchemy.orm import Session

from app.errors import UserFacingError
from app.i18n import _
from app.till.store import TillStore
from app.verifactu.ledger import (
    FiscalRecord,
    RecordDraft,
    RecordKind,
    corrected_recipient,
    current_identity,
    insert_record,
    records_by_id,
)
from app.verifactu.recipient import Recipient, RecipientRefused, checked
from app.verifactu.records import recipient_body

REJECTED = "rejected"
WITH_ERRORS = "accepted_with_errors"

# Codes of the AEAT's error list that concern the recipient (Destinatarios) of a record
# naming one: its tax id (census, format) or its foreign id (country, type, number).
RECIPIENT_CODES = frozenset(
    "1101 1102 1103 1109 1110 1111 1121 1122 1123 1126 1156 1193 1232 1233 1234 1239 1283 "
    "1290 2001".split()
)

_HELP: dict[str, Callable[[], str]] = {
    "2001": lambda: _(
        "The AEAT does not find the customer's tax ID in its census. The invoice is registered; "
        "check the tax ID with the customer and correct it."
    ),
    "1193": lambda: _(
        "The customer's tax ID is not in the AEAT's census, or it is the shop's own. The record "
        "was not registered: correct the customer's data."
    ),
    "1109": lambda: _("A tax ID in the record is not in the AEAT's census."),
    "1123": lambda: _("A tax ID in the record is not written correctly."),
    "1239": lambda: _("The customer's data in the record are wrong: correct them."),
    "1283": lambda: _("The customer is a person: their full name is needed with the tax ID."),
    "1122": lambda: _("The customer's country does not match the first letters of the VAT number."),
    "2000": lambda: _(
        "The AEAT computes another fingerprint for this record. Do not issue it again: ask for "
        "help."
    ),
    "2004": lambda: _(
        "The record was made with the computer's clock far from the AEAT's: set the date and "
        "time right. The record itself stays registered."
    ),
    "2005": lambda: _("The AEAT finds that the record's amounts do not add up: ask for help."),
    "2007": lambda: _(
        "The record says it is the first of this till, but the AEAT already has records of it: "
        "ask for help."
    ),
    "3001": lambda: _("The AEAT already has this invoice as annulled."),
    "3002": lambda: _("The AEAT has no record of this invoice to correct: ask for help."),
}
_SAME_HELP = {"1110": "1109", "1121": "1109", "1290": "1123", "2006": "2005", "1210": "2005"}
_SAME_HELP |= {"1216": "2005", "1142": "2005", "2002": "2000", "2003": "2000", "2008": "2000"}
_SAME_HELP |= {code: "1239" for code in "1101 1102 1103 1111 1126 1156 1232 1233 1234".split()}


@dataclass(frozen=True)
class RecordToFix:
    id: int
    number: str
    invoice_type: str
    issued_on: str
    status: str  # rejected or accepted_with_errors
    code: str
    aeat_text: str  # the AEAT's own message (Spanish)
    explanation: str  # in plain words, translated
    recipient: Recipient | None  # who the record names now (None: no recipient)

    @property
    def recipient_error(self) -> bool:
        """A manager can correct this one here: the error concerns the record's recipient."""
        return self.recipient is not None and self.code in RECIPIENT_CODES


def explain(code: str, status: str) -> str:
    """What AEAT error ``code`` means and what to do, in plain words."""
    found = _HELP.get(_SAME_HELP.get(code, code))
    if found is not None:
        return found()
    if status == WITH_ERRORS:
        return _("The AEAT registered the invoice but reports an error: ask for help with it.")
    return _("The AEAT did not register this record: ask for help with its message.")


def records_to_fix(store: TillStore) -> tuple[RecordToFix, ...]:
    """Registration records with an error the AEAT reported and no correction yet, newest
    first."""
    with store.read() as session:
        rows = session.execute(
            text(
                "SELECT r.id, q.status, q.error_code, q.error_text FROM verifactu_records r "
                "JOIN verifactu_queue q ON q.record_id = r.id "
                "WHERE r.kind = 'alta' AND q.status IN ('rejected', 'accepted_with_errors') "
                "AND NOT EXISTS (SELECT 1 FROM verifactu_records c "
                "WHERE json_extract(c.body, '$.corrects') = r.id) ORDER BY r.id DESC"
            )
        ).all()
        records = {r.id: r for r in records_by_id(session, [int(row[0]) for row in rows])}
        return tuple(
            _to_fix(session, records[int(row[0])], str(row[1]), str(row[2]), str(row[3]))
            for row in rows
        )


def correct_recipient(
    store: TillStore, record_id: int, recipient: Recipient, now: datetime | None = None
) -> FiscalRecord:
    """Correct the recipient of record ``record_id`` (an F1, F3 or R1 the AEAT reported an
    error on): a new chained record of the same invoice, queued for sending."""
    person = checked(recipient)
    with store.write() as session:
        if not _keeps_corrections(session):
            raise UserFacingError(
                _("This till's store cannot keep corrections yet: update Mostrador.")
            )
        target = _target(session, record_id, person)
        identity = current_identity(session)
        if identity is None:
            raise UserFacingError(_("VERI*FACTU is not set up on this till."))
        draft = _correction(session, target, person)
        return insert_record(session, identity, draft, now or datetime.now())


# --------------------------------------------------------------------------- internals


def _to_fix(
    session: Session, record: FiscalRecord, status: str, code: str, aeat_text: str
) -> RecordToFix:
    recipient = None
    if record.body.get("recipient"):
        recipient = corrected_recipient(session, record.number) or _issued_recipient(
            session, record
        )
    return RecordToFix(
        record.id,
        record.number,
        record.invoice_type,
        record.issued_on,
        status,
        code,
        aeat_text,
        explain(code, status),
        recipient,
    )


def _issued_recipient(session: Session, record: FiscalRecord) -> Recipient:
    """Who the record names: the invoice's data as issued (with its address), else the
    record's name and tax id."""
    number = record.number
    if record.invoice_type == "R1" and record.body.get("rectified"):
        number = str(record.body["rectified"][0]["number"])
    row = session.execute(
        text("SELECT recipient FROM invoices WHERE number = :n"), {"n": number}
    ).first()
    if row is not None:
        return Recipient.from_dict(json.loads(str(row[0])))
    body = record.body["recipient"]
    tax_id = str(body.get("nif") or body.get("id") or "")
    return Recipient(str(body["name"]), tax_id, "", "", "", str(body.get("country") or "ES"))


def _keeps_corrections(session: Session) -> bool:
    """The store had its corrections step (``app/till/migration_corrections.py``)."""
    columns = session.execute(text("PRAGMA table_info(verifactu_records)")).all()
    return any(str(column[1]) == "corrects_id" for column in columns)


def _target(session: Session, record_id: int, person: Recipient) -> FiscalRecord:
    found = records_by_id(session, [record_id])
    if not found or found[0].kind is not RecordKind.ALTA or not found[0].body.get("recipient"):
        raise UserFacingError(_("Only the customer of a full or corrective invoice is corrected."))
    target = found[0]
    if person.is_spanish_nif and person.tax_id == target.issuer_nif:
        raise RecipientRefused(_("The customer's tax ID cannot be the shop's own."))
    return target


def _statuses(session: Session, number: str) -> set[str]:
    rows = session.execute(
        text(
            "SELECT q.status FROM verifactu_records r JOIN verifactu_queue q "
            "ON q.record_id = r.id WHERE r.kind = 'alta' AND r.number = :number"
        ),
        {"number": number},
    )
    return {str(row[0]) for row in rows}


def rechazo_previo(statuses: set[str]) -> str:
    """``RechazoPrevio`` of a correction, from the answers to the invoice's records so far."""
    held = bool(statuses & {"accepted", WITH_ERRORS})
    if not held:
        return "X"
    return "S" if REJECTED in statuses else ""


def _correction(session: Session, target: FiscalRecord, person: Recipient) -> RecordDraft:
    body = {k: v for k, v in target.body.items() if k not in ("system", "previous")}
    body["recipient"] = recipient_body(person)
    body["recipient_data"] = person.as_dict()
    body["corrects"] = target.id
    body["correction"] = {"rechazo_previo": rechazo_previo(_statuses(session, target.number))}
    return RecordDraft(
        kind=RecordKind.ALTA,
        ticket_id=target.ticket_id,
        number=target.number,
        issued_on=target.issued_on,
        invoice_type=target.invoice_type,
        tax_total=target.tax_total,
        total=target.total,
        body=body,
        corrects_id=target.id,
    )
