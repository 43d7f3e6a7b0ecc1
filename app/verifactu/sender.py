"""The durable queue sending VERI*FACTU records to the AEAT (``RegFactuSistemaFacturacion``).

Records wait in ``verifactu_queue`` (written with the ticket). :func:`send_due` sends the
oldest pending records of one issuer, up to 1,000 in one message, over mutual TLS with the
shop's certificate (a .p12; its password in the keyring), when the AEAT's wait time
(``TiempoEsperaEnvio`` of the last answer) has passed or 1,000 records are waiting. Each
record's answer is kept: Correcto → accepted, AceptadoConErrores → accepted with errors (to
correct), Incorrecto → rejected (to correct); a record the AEAT already has (duplicate) counts as
accepted. A server fault or no connection keeps the records pending and marks the incident;
the till keeps selling, and :func:`queue_summary` says how many records are waiting. A build
without a producer identity (:mod:`app.verifactu.producer`) never sends to the production
service: it says why, before any network call, and the records stay pending.

Runs on a worker thread (plain arguments, frozen results); never on the GUI thread.
"""

from __future__ import annotations

import logging
import os
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12
from sqlalchemy import text
from sqlalchemy.orm import Session

from app.config.secrets import get_secret, set_secret
from app.i18n import _
from app.till.store import TillStore
from app.verifactu import producer
from app.verifactu.ledger import FiscalRecord, records_by_id
from app.verifactu.xml import MAX_RECORDS, Answer, Fault, LineAnswer, envelope, read_answer

logger = logging.getLogger(__name__)

TEST_ENDPOINT = "https://prewww1.aeat.es/wlpl/TIKE-CONT/ws/SistemaFacturacion/VerifactuSOAP"
PRODUCTION_ENDPOINT = (
    "https://www1.agenciatributaria.gob.es/wlpl/TIKE-CONT/ws/SistemaFacturacion/VerifactuSOAP"
)
_PRODUCTION_HOST = urlsplit(PRODUCTION_ENDPOINT).hostname
CERTIFICATE_SECRET = "verifactu-certificate"  # keyring kind; the name is the .p12 path
DEFAULT_WAIT_S = 60
DUPLICATE_CODES = {"3000"}  # "Registro de facturación duplicado": the AEAT already has it
_STATUS = {
    "Correcto": "accepted",
    "AceptadoConErrores": "accepted_with_errors",
    "Incorrecto": "rejected",
}


def endpoint_for(environment: str) -> str:
    return TEST_ENDPOINT if environment == "test" else PRODUCTION_ENDPOINT


@dataclass(frozen=True)
class SenderConfig:
    endpoint: str
    certificate: str  # path of the shop's .p12; "" when none is configured
    verify: str | bool = True  # CA bundle of the AEAT's server (True: the system's)
    timeout_s: float = 60.0
    production: bool = False  # the AEAT's production service (the endpoint's host says so too)

    @property
    def sends_to_production(self) -> bool:
        return self.production or urlsplit(self.endpoint).hostname == _PRODUCTION_HOST


@dataclass(frozen=True)
class SendReport:
    sent: int = 0  # records in the message
    accepted: int = 0  # accepted, with or without errors
    rejected: int = 0
    waiting: bool = False  # nothing sent: the AEAT's wait time has not passed
    error: str = ""  # the incident or configuration problem, translated


@dataclass(frozen=True)
class QueueSummary:
    pending: int
    accepted: int
    accepted_with_errors: int
    rejected: int
    incident: bool
    last_error: str
    next_send_at: datetime | None


def set_certificate_password(certificate: str, password: str) -> None:
    set_secret(CERTIFICATE_SECRET, certificate, password)


def queue_summary(store: TillStore) -> QueueSummary:
    with store.read() as session:
        rows = session.execute(text("SELECT status, count(*) FROM verifactu_queue GROUP BY status"))
        counts: dict[str, int] = {str(status): int(count) for status, count in rows}
        state = _state(session)
    return QueueSummary(
        pending=counts.get("pending", 0),
        accepted=counts.get("accepted", 0),
        accepted_with_errors=counts.get("accepted_with_errors", 0),
        rejected=counts.get("rejected", 0),
        incident=bool(state[1]),
        last_error=state[2],
        next_send_at=_moment(state[0]),
    )


def send_due(
    store: TillStore,
    config: SenderConfig,
    now: datetime | None = None,
    *,
    force: bool = False,
    password: str | None = None,
) -> SendReport:
    """Send the next message if it is due (or ``force``); never raises for network errors."""
    now = now or datetime.now()
    batch, due = _next_batch(store, now)
    if not batch:
        return SendReport()
    refusal = producer.production_refusal() if config.sends_to_production else ""
    if refusal:
        return _refused(store, now, refusal)
    if not (due or force):
        return SendReport(waiting=True)
    if not config.certificate:
        return SendReport(error=_("No certificate is configured to send fiscal records."))
    try:
        password = password if password is not None else _password(config.certificate)
        reply = _post(config, envelope(batch), password)
    except (requests.RequestException, OSError, ValueError) as error:
        logger.warning("VERI*FACTU send failed: %s", error)
        return _incident(store, batch, now, _("The AEAT could not be reached: {error}"), error)
    return _settle(store, batch, now, reply)


def _next_batch(store: TillStore, now: datetime) -> tuple[list[FiscalRecord], bool]:
    with store.read() as session:
        ids = session.scalars(
            text(
                "SELECT record_id FROM verifactu_queue WHERE status = 'pending' "
                "ORDER BY record_id LIMIT :limit"
            ),
            {"limit": MAX_RECORDS},
        ).all()
        records = records_by_id(session, ids)
        next_send_at = _moment(_state(session)[0])
    issuer = (records[0].issuer_nif, records[0].issuer_name) if records else None
    batch = []
    for record in records:  # one issuer a message: stop at the first record of another
        if (record.issuer_nif, record.issuer_name) != issuer:
            break
        batch.append(record)
    due = next_send_at is None or now >= next_send_at or len(batch) >= MAX_RECORDS
    return batch, due


def _password(certificate: str) -> str:
    password = get_secret(CERTIFICATE_SECRET, certificate)
    if password is None:
        raise ValueError(_("The certificate's password is not in the keyring."))
    return password


def _post(config: SenderConfig, message: bytes, password: str) -> Answer | Fault:
    with _client_pem(Path(config.certificate), password) as (cert, key):
        response = requests.post(
            config.endpoint,
            data=message,
            headers={"Content-Type": "text/xml; charset=utf-8", "SOAPAction": ""},
            cert=(cert, key),
            verify=config.verify,
            timeout=config.timeout_s,
        )
    try:
        return read_answer(response.content)
    except Exception as error:  # not XML (a proxy page, an HTML error): a server problem
        return Fault(True, str(response.status_code), f"{type(error).__name__}: {error}")


@contextmanager
def _client_pem(p12: Path, password: str) -> Iterator[tuple[str, str]]:
    """The .p12's certificate and key as PEM files in a private folder, deleted after use."""
    key, cert, extra = pkcs12.load_key_and_certificates(p12.read_bytes(), password.encode())
    if key is None or cert is None:
        raise ValueError(_("The certificate file holds no certificate with its key."))
    chain = b"".join(c.public_bytes(serialization.Encoding.PEM) for c in [cert, *extra])
    key_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    with tempfile.TemporaryDirectory(prefix="mostrador-vf-") as folder:
        cert_path, key_path = Path(folder, "cert.pem"), Path(folder, "key.pem")
        for path, data in ((cert_path, chain), (key_path, key_pem)):
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
        yield str(cert_path), str(key_path)


def _settle(
    store: TillStore, batch: Sequence[FiscalRecord], now: datetime, reply: Answer | Fault
) -> SendReport:
    if isinstance(reply, Fault):
        message = _("The AEAT refused the message ({code}): {error}")
        return _incident(store, batch, now, message, f"{reply.code}", reply.text)
    answers = {(a.number, a.operation.lower()): a for a in reply.lines}
    accepted = rejected = 0
    with store.write() as session:
        for record in batch:
            answer = answers.get((record.number, _operation(record)))
            status = _status_of(answer, reply.status)
            accepted += status.startswith("accepted")
            rejected += status == "rejected"
            _mark(session, record.id, status, answer, now)
        wait = reply.wait_seconds or DEFAULT_WAIT_S
        _set_state(session, now + timedelta(seconds=wait), wait, "", now, success=True)
    return SendReport(sent=len(batch), accepted=accepted, rejected=rejected)


def _operation(record: FiscalRecord) -> str:
    return "anulacion" if record.kind.value == "anulacion" else "alta"


def _status_of(answer: LineAnswer | None, message_status: str) -> str:
    if answer is None:
        return "accepted" if message_status == "Correcto" else "pending"
    if answer.code in DUPLICATE_CODES:
        return "accepted"
    return _STATUS.get(answer.status, "pending")


def _mark(
    session: Session, record_id: int, status: str, answer: LineAnswer | None, now: datetime
) -> None:
    session.execute(
        text(
            "UPDATE verifactu_queue SET status = :status, attempts = attempts + 1, "
            "error_code = :code, error_text = :text, updated_at = :now "
            "WHERE record_id = :id AND status <> 'accepted'"
        ),
        {
            "status": status,
            "code": answer.code if answer else "",
            "text": answer.description if answer else "",
            "now": now.isoformat(sep=" "),
            "id": record_id,
        },
    )


def _incident(
    store: TillStore, batch: Sequence[FiscalRecord], now: datetime, message: str, *args: object
) -> SendReport:
    """Nothing was settled: the records stay pending; retried after the wait time."""
    error = message.format(code=args[0], error=args[-1])
    with store.write() as session:
        for record in batch:
            session.execute(
                text(
                    "UPDATE verifactu_queue SET attempts = attempts + 1, error_text = :error, "
                    "updated_at = :now WHERE record_id = :id AND status = 'pending'"
                ),
                {"error": error, "now": now.isoformat(sep=" "), "id": record.id},
            )
        wait = _state(session)[3] or DEFAULT_WAIT_S
        _set_state(session, now + timedelta(seconds=wait), wait, error, now, success=False)
    return SendReport(error=error)


def _refused(store: TillStore, now: datetime, refusal: str) -> SendReport:
    """Not sent, and not an attempt: the records stay pending; the screens say why."""
    with store.write() as session:
        _next_at, incident, last_error, wait = _state(session)
        if not (incident and last_error == refusal):
            _set_state(session, now, wait, refusal, now, success=False)
    return SendReport(error=refusal)


def _state(session: Session) -> tuple[str | None, int, str, int]:
    row = session.execute(
        text("SELECT next_send_at, incident, last_error, wait_seconds FROM verifactu_sender")
    ).first()
    if row is None:  # nothing was ever sent
        return None, 0, "", DEFAULT_WAIT_S
    return row[0], int(row[1]), row[2], int(row[3])


def _set_state(
    session: Session, next_at: datetime, wait: int, error: str, now: datetime, *, success: bool
) -> None:
    session.execute(
        text(
            "INSERT INTO verifactu_sender (id, next_send_at, wait_seconds, incident, last_error, "
            "last_attempt_at, last_success_at) VALUES (1, :next, :wait, :incident, :error, :now, "
            "CASE WHEN :success THEN :now END) ON CONFLICT (id) DO UPDATE SET "
            "next_send_at = :next, wait_seconds = :wait, incident = :incident, "
            "last_error = :error, last_attempt_at = :now, "
            "last_success_at = CASE WHEN :success THEN :now ELSE last_success_at END"
        ),
        {
            "next": next_at.isoformat(sep=" "),
            "wait": wait,
            "incident": int(not success),
            "error": error,
            "now": now.isoformat(sep=" "),
            "success": int(success),
        },
    )


def _moment(value: str | None) -> datetime | None:
    return None if not value else datetime.fromisoformat(value)
