"""Sending VERI*FACTU records to a local HTTPS server on 127.0.0.1 playing the AEAT.

Mutual TLS with the shop's .p12 (its password in the keyring), the message checked against the
AEAT's XSDs, each record's answer kept, the wait time honoured, faults and no connection leaving
the records pending with the incident shown.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from decimal import Decimal as D
from pathlib import Path

import pytest
from lxml import etree

from app.till.cash_drawer import open_cash_session
from app.till.samples import Item, sample_ticket
from app.till.store import TillStore, open_store
from app.till.tickets import record_sale
from app.verifactu.ledger import Identity
from app.verifactu.records import annul_ticket, configure
from app.verifactu.sender import (
    SenderConfig,
    queue_summary,
    send_due,
    set_certificate_password,
)
from app.verifactu.xml import LR, SF
from tests.support.aeat_schemas import aeat_schema
from tests.support.aeat_server import FakeAeat, Pki, fake_aeat, make_pki

RESP = "https://www2.agenciatributaria.gob.es/static_files/common/internet/dep/aplicaciones/es/aeat/tike/cont/ws/RespuestaSuministro.xsd"
NIF = "89890001K"


@pytest.fixture(scope="module")
def schema() -> etree.XMLSchema:
    """The AEAT's schemas (tests/support/aeat_schemas.py: scripts/aeat_schemas.sh gets them)."""
    return aeat_schema()


@pytest.fixture
def pki(tmp_path: Path) -> Pki:
    pki = make_pki(tmp_path)
    set_certificate_password(str(pki.client_p12), pki.password)
    return pki


@pytest.fixture
def aeat(pki: Pki) -> Iterator[FakeAeat]:
    with fake_aeat(pki) as server:
        yield server


@pytest.fixture
def store(tmp_path: Path) -> Iterator[TillStore]:
    with open_store("T1", tmp_path / "till-T1.sqlite3") as till:
        open_cash_session(till, D("100.00"), 1)
        configure(till, Identity(True, NIF, "Tienda Demo SL", "T1-0001", "test"))
        yield till


def _config(aeat: FakeAeat, pki: Pki) -> SenderConfig:
    return SenderConfig(aeat.url, str(pki.client_p12), verify=str(pki.ca), timeout_s=10)


def _sell(store: TillStore, count: int) -> list[str]:
    return [
        record_sale(store, sample_ticket("T1", [Item(1, 1, D("12.10"))])).number
        for _ in range(count)
    ]


def _numbers(message: bytes) -> list[tuple[str, str]]:
    root = ET.fromstring(message)
    found = []
    for entry in root.iter(f"{{{LR}}}RegistroFactura"):
        alta = entry.find(f"{{{SF}}}RegistroAlta")
        if alta is not None:
            found.append(("Alta", alta.findtext(f"{{{SF}}}IDFactura/{{{SF}}}NumSerieFactura")))
        else:
            path = f"{{{SF}}}RegistroAnulacion/{{{SF}}}IDFactura/{{{SF}}}NumSerieFacturaAnulada"
            found.append(("Anulacion", entry.findtext(path)))
    return [(op, number or "") for op, number in found]


def _answer(
    message: bytes, verdict: Callable[[str], tuple[str, str, str]], wait: int = 60
) -> bytes:
    lines = []
    states = set()
    for operation, number in _numbers(message):
        status, code, text = verdict(number)
        states.add(status)
        error = (
            f"<tikR:CodigoErrorRegistro>{code}</tikR:CodigoErrorRegistro>"
            f"<tikR:DescripcionErrorRegistro>{text}</tikR:DescripcionErrorRegistro>"
            if code
            else ""
        )
        lines.append(
            "<tikR:RespuestaLinea><tikR:IDFactura>"
            f"<tik:IDEmisorFactura>{NIF}</tik:IDEmisorFactura>"
            f"<tik:NumSerieFactura>{number}</tik:NumSerieFactura>"
            "<tik:FechaExpedicionFactura>01-01-2026</tik:FechaExpedicionFactura></tikR:IDFactura>"
            f"<tikR:Operacion><tik:TipoOperacion>{operation}</tik:TipoOperacion></tikR:Operacion>"
            f"<tikR:EstadoRegistro>{status}</tikR:EstadoRegistro>{error}</tikR:RespuestaLinea>"
        )
    overall = "Correcto" if states == {"Correcto"} else "ParcialmenteCorrecto"
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<env:Envelope xmlns:env="http://schemas.xmlsoap.org/soap/envelope/"><env:Body>'
        f'<tikR:RespuestaRegFactuSistemaFacturacion xmlns:tikR="{RESP}" xmlns:tik="{SF}">'
        "<tikR:CSV>A-TEST1234567890</tikR:CSV>"
        f"<tikR:TiempoEsperaEnvio>{wait}</tikR:TiempoEsperaEnvio>"
        f"<tikR:EstadoEnvio>{overall}</tikR:EstadoEnvio>{''.join(lines)}"
        "</tikR:RespuestaRegFactuSistemaFacturacion></env:Body></env:Envelope>"
    ).encode()


def _fault(kind: str) -> tuple[int, bytes]:
    return 500, (
        '<env:Envelope xmlns:env="http://schemas.xmlsoap.org/soap/envelope/"><env:Body>'
        f"<env:Fault><faultcode>env:{kind}</faultcode><faultstring>Codigo[4102].El XML no "
        "cumple el esquema</faultstring></env:Fault></env:Body></env:Envelope>"
    ).encode()


def _accept_all(number: str) -> tuple[str, str, str]:
    return "Correcto", "", ""


def test_the_message_sent_validates_against_the_aeat_schemas(
    store: TillStore, aeat: FakeAeat, pki: Pki, schema: etree.XMLSchema
) -> None:
    numbers = _sell(store, 2)
    annul_ticket(store, numbers[-1])
    aeat.responder = lambda body: (200, _answer(body, _accept_all))
    send_due(store, _config(aeat, pki))
    registration = etree.fromstring(aeat.received[0]).find(f".//{{{LR}}}RegFactuSistemaFacturacion")
    assert registration is not None
    schema.assertValid(registration)


def test_records_are_sent_over_mutual_tls_and_accepted(
    store: TillStore, aeat: FakeAeat, pki: Pki
) -> None:
    numbers = _sell(store, 3)
    annul_ticket(store, numbers[-1])
    aeat.responder = lambda body: (200, _answer(body, _accept_all))
    report = send_due(store, _config(aeat, pki))
    assert (report.sent, report.accepted, report.rejected, report.error) == (4, 4, 0, "")
    message = etree.fromstring(aeat.received[0])
    registration = message.find(f".//{{{LR}}}RegFactuSistemaFacturacion")
    assert registration is not None
    assert _numbers(aeat.received[0]) == [("Alta", n) for n in numbers] + [
        ("Anulacion", numbers[-1])
    ]
    assert "TIENDA DEMO" in aeat.client_subjects[0]
    summary = queue_summary(store)
    assert (summary.pending, summary.accepted, summary.incident) == (0, 4, False)


def test_accepted_with_errors_and_rejected_records_keep_the_aeat_error(
    store: TillStore, aeat: FakeAeat, pki: Pki
) -> None:
    first, second, third = _sell(store, 3)

    def verdict(number: str) -> tuple[str, str, str]:
        if number == second:
            return "AceptadoConErrores", "2004", "El valor del campo NombreRazon es incorrecto"
        if number == third:
            return "Incorrecto", "1100", "Valor o tipo incorrecto del campo: CuotaTotal"
        return "Correcto", "", ""

    aeat.responder = lambda body: (200, _answer(body, verdict))
    report = send_due(store, _config(aeat, pki))
    assert (report.sent, report.accepted, report.rejected) == (3, 2, 1)
    summary = queue_summary(store)
    assert (summary.accepted, summary.accepted_with_errors, summary.rejected) == (1, 1, 1)
    assert summary.pending == 0


def test_the_wait_time_is_honoured_before_the_next_message(
    store: TillStore, aeat: FakeAeat, pki: Pki
) -> None:
    _sell(store, 1)
    aeat.responder = lambda body: (200, _answer(body, _accept_all, wait=120))
    start = datetime.now()
    assert send_due(store, _config(aeat, pki), start).accepted == 1
    _sell(store, 2)
    assert send_due(store, _config(aeat, pki), start + timedelta(seconds=60)).waiting
    assert len(aeat.received) == 1 and queue_summary(store).pending == 2
    report = send_due(store, _config(aeat, pki), start + timedelta(seconds=121))
    assert report.sent == 2 and len(aeat.received) == 2


def test_a_server_fault_keeps_the_records_pending_and_marks_the_incident(
    store: TillStore, aeat: FakeAeat, pki: Pki
) -> None:
    _sell(store, 2)
    aeat.responder = lambda body: _fault("Server")
    start = datetime.now()
    report = send_due(store, _config(aeat, pki), start)
    assert report.error and "4102" in report.error
    summary = queue_summary(store)
    assert summary.pending == 2 and summary.incident
    aeat.responder = lambda body: (200, _answer(body, _accept_all))
    assert send_due(store, _config(aeat, pki), start + timedelta(seconds=61)).accepted == 2
    assert not queue_summary(store).incident


def test_without_the_shops_certificate_the_server_refuses_and_tickets_keep_selling(
    store: TillStore, aeat: FakeAeat, pki: Pki, tmp_path: Path
) -> None:
    _sell(store, 1)
    stranger = make_pki(tmp_path / "other") if (tmp_path / "other").mkdir() is None else None
    assert stranger is not None
    set_certificate_password(str(stranger.client_p12), stranger.password)
    config = SenderConfig(aeat.url, str(stranger.client_p12), verify=str(pki.ca), timeout_s=10)
    report = send_due(store, config)
    assert report.error and report.sent == 0
    assert aeat.received == []
    _sell(store, 1)  # offline or refused: the till keeps issuing
    summary = queue_summary(store)
    assert summary.pending == 2 and summary.incident and summary.last_error


def test_no_certificate_configured_sends_nothing(store: TillStore, aeat: FakeAeat) -> None:
    _sell(store, 1)
    report = send_due(store, SenderConfig(aeat.url, ""))
    assert report.error and aeat.received == []
    assert queue_summary(store).pending == 1
