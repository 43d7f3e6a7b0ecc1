"""Correcting records the AEAT rejected or accepted with errors (subsanación), on a real till
store with the corrections step, sent to the local HTTPS server playing the AEAT."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime
from decimal import Decimal as D
from pathlib import Path

import pytest
from lxml import etree
from sqlalchemy.exc import IntegrityError

from app.errors import UserFacingError
from app.till.cash_drawer import open_cash_session
from app.till.invoices import invoice_for
from app.till.migration_corrections import CORRECTIONS
from app.till.migrations import MIGRATIONS, Migration
from app.till.records import Ticket
from app.till.samples import Item, sample_ticket
from app.till.store import TillStore, open_store
from app.till.tickets import record_sale
from app.verifactu.corrections import correct_recipient, records_to_fix
from app.verifactu.ledger import Identity, RecordDraft, current_identity, insert_record
from app.verifactu.overview import verify_chain
from app.verifactu.recipient import Recipient, RecipientRefused
from app.verifactu.records import configure, fiscal_record
from app.verifactu.sender import SenderConfig, send_due, set_certificate_password
from app.verifactu.xml import LR, SF
from tests.integration.test_verifactu_sending import _answer
from tests.support.aeat_schemas import aeat_schema
from tests.support.aeat_server import FakeAeat, Pki, fake_aeat, make_pki

NIF = "89890001K"
ACME = Recipient("Ferretería Acme SL", "B12345674", "C/ Mayor 2", "28013", "Madrid")
ANA = Recipient("Ana Gil Pérez", "12345678Z", "C/ Sol 1", "28001", "Madrid")
REGISTERED = any(m.statements is CORRECTIONS for m in MIGRATIONS)
WITH_CORRECTIONS = (
    MIGRATIONS
    if REGISTERED
    else (
        *MIGRATIONS,
        Migration(MIGRATIONS[-1].version + 1, 1, "VERI*FACTU corrections", CORRECTIONS),
    )
)


@pytest.fixture
def pki(tmp_path: Path) -> Pki:
    pki = make_pki(tmp_path)
    set_certificate_password(str(pki.client_p12), pki.password)
    return pki


@pytest.fixture
def aeat(pki: Pki) -> Iterator[FakeAeat]:
    with fake_aeat(pki) as server:
        yield server


def _open(path: Path, migrations: tuple[Migration, ...] = WITH_CORRECTIONS) -> TillStore:
    return open_store("T1", path, migrations=migrations)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[TillStore]:
    with _open(tmp_path / "till-T1.sqlite3") as till:
        open_cash_session(till, D("100.00"), 1)
        configure(till, Identity(True, NIF, "Tienda Demo SL", "T1-0001", "test"))
        yield till


def _config(aeat: FakeAeat, pki: Pki) -> SenderConfig:
    return SenderConfig(aeat.url, str(pki.client_p12), verify=str(pki.ca), timeout_s=10)


def _sale() -> Ticket:
    return sample_ticket("T1", [Item(1, 2, D("3.10")), Item(2, 1, D("9.99"), D("10"))])


def _send(store: TillStore, aeat: FakeAeat, pki: Pki, errors: dict[str, tuple[str, str]]) -> bytes:
    """Send what is due; the AEAT answers ``errors[number]`` (status, code) or Correcto."""

    def verdict(number: str) -> tuple[str, str, str]:
        status, code = errors.get(number, ("Correcto", ""))
        return status, code, "Mensaje de la AEAT" if code else ""

    aeat.responder = lambda body: (200, _answer(body, verdict))
    assert send_due(store, _config(aeat, pki), force=True).error == ""
    return aeat.received[-1]


def _alta(message: bytes, number: str) -> etree._Element:
    root = etree.fromstring(message)
    found = [
        alta
        for alta in root.iter(f"{{{SF}}}RegistroAlta")
        if alta.findtext(f"{{{SF}}}IDFactura/{{{SF}}}NumSerieFactura") == number
    ]
    assert len(found) == 1
    return found[0]


def test_a_rejected_recipient_is_corrected_with_a_new_chained_record(
    store: TillStore, aeat: FakeAeat, pki: Pki
) -> None:
    full = record_sale(store, _sale(), ACME)
    simple = record_sale(store, _sale())
    _send(store, aeat, pki, {full.number: ("Incorrecto", "1193")})
    [to_fix] = records_to_fix(store)
    assert (to_fix.number, to_fix.status, to_fix.code) == (full.number, "rejected", "1193")
    assert to_fix.recipient_error and to_fix.recipient == ACME
    assert "census" in to_fix.explanation
    original = fiscal_record(store, full.number)
    assert original is not None
    corrected = correct_recipient(store, to_fix.id, ANA)
    assert (corrected.number, corrected.issued_on, corrected.total) == (
        full.number,
        original.issued_on,
        original.total,
    )
    assert corrected.hash != original.hash and corrected.generated_at >= original.generated_at
    assert corrected.previous_hash == fiscal_record(store, simple.number).hash  # type: ignore[union-attr]
    assert fiscal_record(store, full.number) == original  # never changed
    assert records_to_fix(store) == ()
    alta = _alta(_send(store, aeat, pki, {}), full.number)
    assert alta.findtext(f"{{{SF}}}Subsanacion") == "S"
    assert alta.findtext(f"{{{SF}}}RechazoPrevio") == "X"
    assert alta.findtext(f"{{{SF}}}Destinatarios/{{{SF}}}IDDestinatario/{{{SF}}}NIF") == ANA.tax_id
    assert alta.findtext(f"{{{SF}}}ImporteTotal") == original.total
    assert verify_chain(store).ok
    invoice = invoice_for(store, full.number)
    assert invoice is not None and invoice.recipient.tax_id == ANA.tax_id


def test_accepted_with_errors_is_corrected_without_rechazo_previo(
    store: TillStore, aeat: FakeAeat, pki: Pki
) -> None:
    full = record_sale(store, _sale(), ACME)
    _send(store, aeat, pki, {full.number: ("AceptadoConErrores", "2001")})
    [to_fix] = records_to_fix(store)
    assert to_fix.status == "accepted_with_errors" and to_fix.recipient_error
    correct_recipient(store, to_fix.id, ANA)
    alta = _alta(_send(store, aeat, pki, {full.number: ("Incorrecto", "1239")}), full.number)
    assert alta.findtext(f"{{{SF}}}Subsanacion") == "S"
    assert alta.find(f"{{{SF}}}RechazoPrevio") is None
    [again] = records_to_fix(store)  # the correction itself was rejected
    assert again.recipient == ANA
    correct_recipient(store, again.id, replace(ANA, name="Ana Gil Pérez y Otros CB"))
    alta = _alta(_send(store, aeat, pki, {}), full.number)
    assert alta.findtext(f"{{{SF}}}RechazoPrevio") == "S"  # held at the AEAT, one rejected
    assert records_to_fix(store) == () and verify_chain(store).ok


def test_what_the_till_cannot_correct_is_explained_not_offered(
    store: TillStore, aeat: FakeAeat, pki: Pki
) -> None:
    simple = record_sale(store, _sale())
    full = record_sale(store, _sale(), ACME)
    _send(
        store,
        aeat,
        pki,
        {simple.number: ("Incorrecto", "2005"), full.number: ("Incorrecto", "1100")},
    )
    fixes = {fix.number: fix for fix in records_to_fix(store)}
    assert not fixes[simple.number].recipient_error and not fixes[full.number].recipient_error
    assert "amounts" in fixes[simple.number].explanation
    with pytest.raises(UserFacingError):
        correct_recipient(store, fixes[simple.number].id, ANA)
    with pytest.raises(RecipientRefused, match="shop's own"):
        correct_recipient(store, fixes[full.number].id, replace(ANA, tax_id=NIF))


def test_records_stay_append_only_and_amounts_are_never_corrected(
    store: TillStore, aeat: FakeAeat, pki: Pki
) -> None:
    full = record_sale(store, _sale(), ACME)
    _send(store, aeat, pki, {full.number: ("Incorrecto", "1193")})
    original = fiscal_record(store, full.number)
    assert original is not None
    with store.write() as session:
        identity = current_identity(session)
        assert identity is not None
        draft = RecordDraft(
            original.kind,
            original.ticket_id,
            original.number,
            original.issued_on,
            original.invoice_type,
            original.tax_total,
            "1.00",
            {**original.body, "corrects": original.id},
            corrects_id=original.id,
        )
        with pytest.raises(IntegrityError, match="repeats its invoice"):
            insert_record(session, identity, draft, datetime.now())
    correct_recipient(store, original.id, ANA)
    db = sqlite3.connect(store.path, isolation_level=None)
    for statement in (
        "UPDATE verifactu_records SET body = '{}'",
        "DELETE FROM verifactu_records",
        "INSERT INTO verifactu_records SELECT * FROM verifactu_records WHERE corrects_id IS NULL",
    ):
        with pytest.raises(sqlite3.DatabaseError):
            db.execute(statement)


def test_the_step_keeps_every_record_of_an_older_store(tmp_path: Path) -> None:
    path = tmp_path / "till-T1.sqlite3"
    older = tuple(m for m in WITH_CORRECTIONS if m.statements is not CORRECTIONS)
    with _open(path, older) as till:
        open_cash_session(till, D("100.00"), 1)
        configure(till, Identity(True, NIF, "Tienda Demo SL", "T1-0001", "test"))
        numbers = [record_sale(till, _sale(), ACME if i % 2 else None).number for i in range(5)]
        before = [fiscal_record(till, n) for n in numbers]
        with pytest.raises(UserFacingError, match="update Mostrador"):
            correct_recipient(till, before[1].id, ANA)  # type: ignore[union-attr]
    with _open(path) as till:
        assert [fiscal_record(till, n) for n in numbers] == before
        assert verify_chain(till).ok and verify_chain(till).checked == 5
        record_sale(till, _sale())
        assert verify_chain(till).checked == 6
        with sqlite3.connect(path) as db:
            assert db.execute("PRAGMA foreign_key_check").fetchall() == []
            assert db.execute("SELECT count(*) FROM verifactu_queue").fetchone() == (6,)


def test_a_correction_validates_against_the_aeat_schemas(
    store: TillStore, aeat: FakeAeat, pki: Pki
) -> None:
    schema = aeat_schema()  # skipped without the AEAT schemas
    full = record_sale(store, _sale(), ACME)
    _send(store, aeat, pki, {full.number: ("Incorrecto", "1193")})
    correct_recipient(store, records_to_fix(store)[0].id, ANA)
    registration = etree.fromstring(_send(store, aeat, pki, {})).find(
        f".//{{{LR}}}RegFactuSistemaFacturacion"
    )
    assert registration is not None
    schema.assertValid(registration)
