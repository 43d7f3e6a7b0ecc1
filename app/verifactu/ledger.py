"""VERI*FACTU records in the till store: the identity in force, chaining and inserting records.

Helpers taking the caller's ``Session``: a record is inserted in the transaction of the ticket
it registers. :func:`insert_record` is the only way a record is written: it takes the last
record of the chain, checks it (its huella recomputed, not dated after now) and chains the new
record to it; the store's triggers refuse any record that does not chain to the last one, and
any UPDATE or DELETE of a record.
"""

from __future__ import annotations

import enum
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from app.i18n import _
from app.till.errors import TicketRefused
from app.verifactu.chain import (
    AltaFields,
    AnulacionFields,
    generated_at,
    huella,
    parse_generated_at,
)
from app.verifactu.recipient import Recipient
from app.verifactu.system import this_system


class FiscalRecordRefused(TicketRefused):
    """A fiscal record cannot be generated: the chain is broken or the clock went back."""


class RecordKind(enum.Enum):
    ALTA = "alta"
    ANULACION = "anulacion"


@dataclass(frozen=True)
class Identity:
    """Who issues this till's records and which chain they go to."""

    enabled: bool
    nif: str
    name: str
    installation: str  # NumeroInstalacion: one chain per installation
    environment: str = "test"  # "test" or "production"


@dataclass(frozen=True)
class RecordDraft:
    """A record before it is chained: what the ticket (or the annulment) says."""

    kind: RecordKind
    ticket_id: int | None
    number: str
    issued_on: str  # dd-mm-yyyy
    invoice_type: str = ""  # F1, F2, F3, R5; "" for an annulment
    tax_total: str = ""
    total: str = ""
    body: Mapping[str, Any] = field(default_factory=dict)
    corrects_id: int | None = None  # a correction (subsanación): the record it corrects


@dataclass(frozen=True)
class FiscalRecord:
    id: int
    chain: str
    kind: RecordKind
    ticket_id: int | None
    issuer_nif: str
    issuer_name: str
    number: str
    issued_on: str
    invoice_type: str
    tax_total: str
    total: str
    previous_id: int | None
    previous_hash: str
    generated_at: str
    hash: str
    body: Mapping[str, Any]

    @property
    def fields(self) -> AltaFields | AnulacionFields:
        if self.kind is RecordKind.ANULACION:
            return AnulacionFields(
                self.issuer_nif, self.number, self.issued_on, self.previous_hash, self.generated_at
            )
        return AltaFields(
            self.issuer_nif,
            self.number,
            self.issued_on,
            self.invoice_type,
            self.tax_total,
            self.total,
            self.previous_hash,
            self.generated_at,
        )


_COLUMNS = (
    "id chain kind ticket_id issuer_nif issuer_name number issued_on invoice_type tax_total "
    "total previous_id previous_hash generated_at hash body"
).split()
_SELECT = f"SELECT {', '.join(_COLUMNS)} FROM verifactu_records"


def current_identity(session: Session) -> Identity | None:
    row = session.execute(
        text(
            "SELECT enabled, nif, name, installation, environment FROM verifactu_identity "
            "ORDER BY id DESC LIMIT 1"
        )
    ).first()
    if row is None:
        return None
    return Identity(bool(row[0]), row[1], row[2], row[3], row[4])


def save_identity(session: Session, identity: Identity, now: datetime) -> bool:
    """Make ``identity`` the one in force; False when it already was."""
    if current_identity(session) == identity:
        return False
    session.execute(
        text(
            "INSERT INTO verifactu_identity (enabled, nif, name, installation, environment, "
            "set_at) VALUES (:enabled, :nif, :name, :installation, :environment, :now)"
        ),
        {
            "enabled": int(identity.enabled),
            "nif": identity.nif,
            "name": identity.name,
            "installation": identity.installation,
            "environment": identity.environment,
            "now": now.isoformat(sep=" "),
        },
    )
    return True


def insert_record(
    session: Session, identity: Identity, draft: RecordDraft, now: datetime
) -> FiscalRecord:
    """Chain ``draft`` to the last record of the identity's chain and insert it, queued."""
    previous = last_record(session, identity.installation)
    moment = generated_at(now)
    if previous is not None:
        check_previous(previous, moment)
    body = dict(draft.body)
    body["system"] = this_system(identity.installation).as_dict()
    body["previous"] = None if previous is None else _reference(previous)
    values = {
        "chain": identity.installation,
        "kind": draft.kind.value,
        "ticket_id": draft.ticket_id,
        "issuer_nif": identity.nif.strip(),
        "issuer_name": identity.name.strip(),
        "number": draft.number,
        "issued_on": draft.issued_on,
        "invoice_type": draft.invoice_type,
        "tax_total": draft.tax_total,
        "total": draft.total,
        "previous_id": None if previous is None else previous.id,
        "previous_hash": "" if previous is None else previous.hash,
        "generated_at": moment,
        "body": json.dumps(body, ensure_ascii=False, sort_keys=True),
    }
    record = _record({"id": 0, "hash": "", **values})
    values["hash"] = huella(record.fields)
    row = dict(values)
    if draft.corrects_id is not None:  # the column exists from the corrections step on
        row["corrects_id"] = draft.corrects_id
    names = ", ".join(row)
    marks = ", ".join(f":{name}" for name in row)
    new_id = session.execute(
        text(f"INSERT INTO verifactu_records ({names}) VALUES ({marks}) RETURNING id"), row
    ).scalar_one()
    session.execute(
        text("INSERT INTO verifactu_queue (record_id, updated_at) VALUES (:id, :now)"),
        {"id": new_id, "now": now.isoformat(sep=" ")},
    )
    return _record({**values, "id": new_id})


def check_previous(previous: FiscalRecord, moment: str) -> None:
    """The last record is intact and not dated after ``moment``, or the new one is refused."""
    if huella(previous.fields) != previous.hash:
        raise FiscalRecordRefused(
            _("The fiscal record of {number} does not match its fingerprint.").format(
                number=previous.number
            ),
            _("The till's fiscal records were altered outside Mostrador: ask for help."),
        )
    if parse_generated_at(previous.generated_at) > parse_generated_at(moment):
        raise FiscalRecordRefused(
            _("The till's clock is behind the last fiscal record ({moment}).").format(
                moment=previous.generated_at
            ),
            _("Set the computer's date and time right, then try again."),
        )


def last_record(session: Session, chain: str) -> FiscalRecord | None:
    rows = _select(session, "WHERE chain = :chain ORDER BY id DESC LIMIT 1", chain=chain)
    return rows[0] if rows else None


def record_of_ticket(session: Session, ticket_id: int) -> FiscalRecord | None:
    rows = _select(
        session, "WHERE ticket_id = :id AND kind = 'alta' ORDER BY id LIMIT 1", id=ticket_id
    )
    return rows[0] if rows else None


def record_of_number(session: Session, kind: RecordKind, number: str) -> FiscalRecord | None:
    """The first record of ``kind`` of invoice ``number`` (the original, not a correction)."""
    rows = _select(
        session,
        "WHERE kind = :kind AND number = :number ORDER BY id LIMIT 1",
        kind=kind.value,
        number=number,
    )
    return rows[0] if rows else None


def corrected_recipient(session: Session, number: str) -> Recipient | None:
    """The recipient of the last correction of invoice ``number``; None if never corrected."""
    row = session.execute(
        text(
            "SELECT json_extract(body, '$.recipient_data') FROM verifactu_records "
            "WHERE kind = 'alta' AND number = :number AND json_extract(body, '$.corrects') "
            "IS NOT NULL ORDER BY id DESC LIMIT 1"
        ),
        {"number": number},
    ).first()
    return None if row is None or row[0] is None else Recipient.from_dict(json.loads(row[0]))


def records_by_id(session: Session, ids: Sequence[int]) -> list[FiscalRecord]:
    if not ids:
        return []
    marks = ", ".join(str(int(i)) for i in ids)
    return _select(session, f"WHERE id IN ({marks}) ORDER BY id")


def records_after(session: Session, after_id: int, limit: int) -> list[FiscalRecord]:
    """Records in chain order, from the one after ``after_id``."""
    return _select(
        session, "WHERE id > :after ORDER BY id LIMIT :limit", after=after_id, limit=limit
    )


def _select(session: Session, where: str, **params: Any) -> list[FiscalRecord]:
    result = session.execute(text(f"{_SELECT} {where}"), params)
    return [_record(dict(row._mapping)) for row in result]


def _record(values: Mapping[str, Any]) -> FiscalRecord:
    data = dict(values)
    data["kind"] = RecordKind(data["kind"])
    body = data["body"]
    data["body"] = json.loads(body) if isinstance(body, str) else body
    return FiscalRecord(**{name: data[name] for name in _COLUMNS})


def _reference(record: FiscalRecord) -> dict[str, str]:
    return {
        "nif": record.issuer_nif,
        "number": record.number,
        "issued_on": record.issued_on,
        "hash": record.hash,
    }
