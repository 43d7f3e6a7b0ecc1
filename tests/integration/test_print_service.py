"""Printing after a sale: the ticket is already recorded, so a printer fault is a message,
never a lost sale; reprints are marked and do not open the drawer."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from app.config import settings as cfg
from app.print_service import print_ticket
from app.till.cash_drawer import open_cash_session
from app.till.outbox import pending_entries
from app.till.records import Ticket
from app.till.store import TillStore, open_store
from app.till.tickets import get_ticket, record_sale
from printing.sample import sample_ticket
from tests.integration.test_printing_backends import FakePrinter
from tests.support.escpos_reader import read


@pytest.fixture
def sold(tmp_path: Path) -> Iterator[tuple[TillStore, Ticket]]:
    store = open_store("T1", tmp_path / "till.sqlite3")
    try:
        open_cash_session(store, Decimal("100.00"), employee=2)
        yield store, record_sale(store, replace(sample_ticket(), number=""))
    finally:
        store.close()


def _settings(tmp_path: Path, spec: str) -> cfg.Settings:
    settings = cfg.Settings.load(tmp_path / "settings.json")
    settings.set(cfg.PRINTER, spec)
    settings.set(cfg.PRINTER_WIDTH, 58)
    settings.set(cfg.RECEIPT_TAX_ID, "B12345678")
    return settings


def test_a_cash_sale_prints_and_opens_the_drawer(
    sold: tuple[TillStore, Ticket], tmp_path: Path
) -> None:
    store, ticket = sold
    paper = tmp_path / "paper.bin"
    result = print_ticket(store, ticket.number, _settings(tmp_path, f"file:{paper}"))
    assert result.ok, result.message
    printed = read(paper.read_bytes())
    assert ticket.number in printed.qr
    assert "Tax ID: B12345678" in printed.text
    assert len(printed.pulses) == 1 and printed.pulses[0].pin == 2
    assert all(len(line.text) <= 32 for line in printed.lines)


def test_a_reprint_is_marked_and_keeps_the_drawer_shut(
    sold: tuple[TillStore, Ticket], tmp_path: Path
) -> None:
    store, ticket = sold
    paper = tmp_path / "copy.bin"
    result = print_ticket(store, ticket.number, _settings(tmp_path, f"file:{paper}"), copy=True)
    assert result.ok
    printed = read(paper.read_bytes())
    assert printed.pulses == []
    assert "*** COPY ***" in printed.text


def test_a_silent_printer_loses_nothing(sold: tuple[TillStore, Ticket], tmp_path: Path) -> None:
    store, ticket = sold
    fake = FakePrinter(silent=True)
    try:
        settings = _settings(tmp_path, f"tcp:127.0.0.1:{fake.port}")
        result = print_ticket(store, ticket.number, settings)
    finally:
        fake.close()
    assert not result.ok
    assert "did not answer" in result.message
    assert get_ticket(store, ticket.number) == ticket
    assert [entry.uuid for entry, _ticket in pending_entries(store)] == [ticket.uuid]


def test_no_printer_configured_says_so(sold: tuple[TillStore, Ticket], tmp_path: Path) -> None:
    store, ticket = sold
    result = print_ticket(store, ticket.number, _settings(tmp_path, ""))
    assert (result.ok, result.message) == (False, "No ticket printer is configured.")
