"""The printer's settings as the settings screen saves them, and what they change on paper."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from app.config import settings as cfg
from app.errors import ConfigError
from app.formatting import format_money
from app.print_service import (
    PrinterConfig,
    load_printer_config,
    print_sample,
    print_ticket_file,
    sample_preview,
    save_printer_config,
    ticket_preview,
)
from app.till.cash_drawer import open_cash_session
from app.till.records import Ticket
from app.till.store import TillStore, open_store
from app.till.tickets import record_sale
from printing.sample import sample_ticket
from tests.support.escpos_reader import Pulse, read


@pytest.fixture
def sold(tmp_path: Path) -> Iterator[tuple[TillStore, Ticket]]:
    store = open_store("T1", tmp_path / "till.sqlite3")
    try:
        open_cash_session(store, Decimal("100.00"), employee=2)
        yield store, record_sale(store, replace(sample_ticket(), number=""))
    finally:
        store.close()


def test_saved_config_reloads_and_keeps_other_settings(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"schema_version": 1, "till.name": "T7"}))
    assert load_printer_config(path) == PrinterConfig()
    config = PrinterConfig(
        spec="tcp:192.168.1.50:9100",
        width_mm=80,
        columns=42,
        code_page="CP1252",
        cut="partial",
        drawer_pin=5,
        drawer_on_ms=60,
        drawer_off_ms=400,
        status_check=False,
        timeout_s=3,
        tax_id="B87654321",
        footer="Cambios en 15 días",
    )
    assert save_printer_config(path, config) == config
    assert load_printer_config(path) == config
    assert cfg.Settings.load(path).get(cfg.TILL_NAME) == "T7"


@pytest.mark.parametrize(
    "bad",
    [PrinterConfig(code_page="UTF-8"), PrinterConfig(cut="half"), PrinterConfig(drawer_pin=3)],
)
def test_a_config_that_could_not_print_is_not_saved(tmp_path: Path, bad: PrinterConfig) -> None:
    path = tmp_path / "settings.json"
    with pytest.raises(ConfigError):
        save_printer_config(path, bad)
    assert not path.exists()


def test_saved_settings_change_the_paper(sold: tuple[TillStore, Ticket], tmp_path: Path) -> None:
    store, ticket = sold
    paper, path = tmp_path / "paper.bin", tmp_path / "settings.json"
    config = PrinterConfig(
        spec=f"file:{paper}", columns=42, cut="partial", drawer_pin=5, drawer_on_ms=60
    )
    save_printer_config(path, replace(config, drawer_off_ms=400, tax_id="B87654321"))
    result = print_ticket_file(store, ticket.number, path)
    assert result.ok, result.message
    printed = read(paper.read_bytes())
    assert max(len(line.text) for line in printed.lines) == 42
    assert printed.cuts == ["partial"] and printed.pulses == [Pulse(5, 60, 400)]
    assert "Tax ID: B87654321" in printed.text


def test_a_broken_settings_file_is_a_message(
    sold: tuple[TillStore, Ticket], tmp_path: Path
) -> None:
    store, ticket = sold
    path = tmp_path / "settings.json"
    path.write_text("{ not json")
    result = print_ticket_file(store, ticket.number, path)
    assert not result.ok and "cannot be read" in result.message


def test_test_print_uses_the_config_as_typed(tmp_path: Path) -> None:
    paper = tmp_path / "test.bin"
    config = PrinterConfig(spec=f"file:{paper}", width_mm=58, tax_id="B1", footer="Hasta pronto")
    assert print_sample(config).ok
    printed = read(paper.read_bytes())
    assert "Tax ID: B1" in printed.text and "Hasta pronto" in printed.text
    assert format_money(sample_ticket().total_tax_incl) in printed.text
    assert printed.pulses == []  # a test print does not open the drawer
    assert max(len(line.text) for line in printed.lines) <= 32
    assert print_sample(PrinterConfig()).message == "No ticket printer is configured."


def test_previews_are_as_wide_as_the_paper(sold: tuple[TillStore, Ticket], tmp_path: Path) -> None:
    store, ticket = sold
    path = tmp_path / "settings.json"
    save_printer_config(path, PrinterConfig(width_mm=58))
    narrow = ticket_preview(store, ticket.number, path)
    assert narrow.width == 58 * 8 and len(narrow.pixels) == narrow.width * narrow.height
    copy = ticket_preview(store, ticket.number, path, copy=True)
    assert copy.height > narrow.height  # "COPY" is printed twice more
    assert sample_preview(PrinterConfig(width_mm=80)).width == 80 * 8
    with pytest.raises(ConfigError):
        ticket_preview(store, "T1-2026-999999", path)
