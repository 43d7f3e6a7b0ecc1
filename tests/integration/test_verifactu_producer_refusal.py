"""A build without a producer identity issues records and sends them to the AEAT's test service,
but never to the production service: it says why before any network call, and the records stay
queued until an official release sends them."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from decimal import Decimal as D
from pathlib import Path

import pytest

from app.config import settings as cfg
from app.events import EventBus
from app.till.cash_drawer import open_cash_session
from app.till.samples import Item, sample_ticket
from app.till.store import TillStore, open_store
from app.till.tickets import record_sale
from app.verifactu import producer
from app.verifactu.ledger import Identity
from app.verifactu.records import configure
from app.verifactu.sender import (
    PRODUCTION_ENDPOINT,
    SenderConfig,
    queue_summary,
    send_due,
    set_certificate_password,
)
from app.verifactu.setup import sender_config
from app.verifactu.worker import FiscalSender, FiscalStatus
from app.verifactu.xml import SF
from tests.integration.test_verifactu_sending import _accept_all, _answer
from tests.support.aeat_server import FakeAeat, Pki, fake_aeat, make_pki

REFUSAL = (
    "This build carries no producer identity: it cannot send to the AEAT's production "
    "service. Install an official release."
)


@pytest.fixture
def producer_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "producer.json"  # absent: a development build
    monkeypatch.setattr(producer, "PRODUCER_FILE", path)
    return path


@pytest.fixture
def pki(tmp_path: Path) -> Pki:
    pki = make_pki(tmp_path)
    set_certificate_password(str(pki.client_p12), pki.password)
    return pki


@pytest.fixture
def aeat(pki: Pki) -> Iterator[FakeAeat]:
    with fake_aeat(pki) as server:
        server.responder = lambda body: (200, _answer(body, _accept_all))
        yield server


@pytest.fixture
def store(tmp_path: Path) -> Iterator[TillStore]:
    with open_store("T1", tmp_path / "till-T1.sqlite3") as till:
        open_cash_session(till, D("100.00"), 1)
        configure(till, Identity(True, "89890001K", "Tienda Demo SL", "T1-0001", "production"))
        yield till


def _config(aeat: FakeAeat, pki: Pki, production: bool) -> SenderConfig:
    return SenderConfig(aeat.url, str(pki.client_p12), str(pki.ca), 10, production=production)


def _sell(store: TillStore, count: int) -> None:
    for _ in range(count):
        record_sale(store, sample_ticket("T1", [Item(1, 1, D("12.10"))]))


def test_production_is_refused_before_any_call_and_the_records_stay_queued(
    producer_file: Path, store: TillStore, aeat: FakeAeat, pki: Pki
) -> None:
    _sell(store, 2)
    report = send_due(store, _config(aeat, pki, production=True), force=True)
    assert (report.sent, report.error) == (0, REFUSAL)
    assert aeat.received == []  # nothing left this computer
    summary = queue_summary(store)
    assert (summary.pending, summary.accepted) == (2, 0)
    assert (summary.incident, summary.last_error) == (True, REFUSAL)  # the fiscal records screen


def test_the_known_production_address_is_refused_whatever_the_flag_says(
    producer_file: Path, store: TillStore
) -> None:
    _sell(store, 1)
    report = send_due(store, SenderConfig(PRODUCTION_ENDPOINT, "shop.p12"), force=True)
    assert report.error == REFUSAL
    assert queue_summary(store).pending == 1


def test_the_status_bar_hears_why_nothing_is_sent(
    producer_file: Path, store: TillStore, aeat: FakeAeat, pki: Pki
) -> None:
    _sell(store, 1)
    heard: list[FiscalStatus] = []
    bus = EventBus()
    bus.subscribe(FiscalStatus, heard.append)
    FiscalSender(store, lambda: _config(aeat, pki, production=True), bus).run_once()
    assert [(status.pending, status.last_error) for status in heard] == [(1, REFUSAL)]
    assert aeat.received == []


def test_a_development_build_sends_to_the_test_service(
    producer_file: Path, store: TillStore, aeat: FakeAeat, pki: Pki
) -> None:
    _sell(store, 2)
    report = send_due(store, _config(aeat, pki, production=False))
    assert (report.sent, report.accepted, report.error) == (2, 2, "")
    systems = list(ET.fromstring(aeat.received[0]).iter(f"{{{SF}}}SistemaInformatico"))
    assert len(systems) == 2
    for system in systems:  # the records name the marked development producer
        assert "DESARROLLO" in (system.findtext(f"{{{SF}}}NombreRazon") or "")
        assert system.findtext(f"{{{SF}}}NIF") == "00000000T"


def test_an_official_build_sends_what_was_queued_while_refused(
    producer_file: Path, store: TillStore, aeat: FakeAeat, pki: Pki
) -> None:
    _sell(store, 2)
    assert send_due(store, _config(aeat, pki, production=True), force=True).error == REFUSAL
    assert producer.main(["set", "--name", "Programas del Sur, S.L.", "--nif", "B12345674"]) == 0
    report = send_due(store, _config(aeat, pki, production=True), force=True)
    assert (report.sent, report.accepted, report.error) == (2, 2, "")
    summary = queue_summary(store)
    assert (summary.pending, summary.incident, summary.last_error) == (0, False, "")


@pytest.mark.parametrize(("environment", "production"), [("test", False), ("production", True)])
def test_the_settings_environment_decides_production(
    tmp_path: Path, environment: str, production: bool
) -> None:
    settings = cfg.Settings(tmp_path / "settings.json")
    settings.set(cfg.VERIFACTU_ENVIRONMENT, environment)
    settings.set(cfg.VERIFACTU_ENDPOINT, "https://aeat-proxy.example/ws")
    assert sender_config(settings).production is production
