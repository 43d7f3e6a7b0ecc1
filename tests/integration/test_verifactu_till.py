"""VERI*FACTU switched on by the settings of a real till: the sale gets its record, the paper
gets the AEAT QR at the top, and the till's sender stops with the till."""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

from app.config import settings as cfg
from app.print_service import print_ticket
from app.till.cash_drawer import open_cash_session
from app.till.catalog import upsert
from app.till.models_catalog import CatalogEmployee
from app.till.samples import Item, sample_ticket
from app.till.store import open_store
from app.till_runtime import open_till, record
from app.verifactu.records import fiscal_record
from tests.support.escpos_reader import read


def _store(tmp_path: Path) -> Path:
    """A till store whose catalog knows one employee (no shop needed)."""
    path = tmp_path / "till.sqlite3"
    with open_store("T1", path) as store, store.write() as session:
        employee = {"id_employee": 1, "firstname": "Ana", "lastname": "Gil", "email": "a@x.es"}
        upsert(
            session, CatalogEmployee, [employee | {"id_profile": 2, "id_lang": 1, "active": True}]
        )
    return path


def _settings(tmp_path: Path, tax_id: str) -> cfg.Settings:
    settings = cfg.Settings(tmp_path / "settings.json")
    settings.set(cfg.RECEIPT_TAX_ID, tax_id)
    settings.set(cfg.VERIFACTU_ENVIRONMENT, "test")
    settings.set(cfg.PRINTER, f"file:{tmp_path / 'paper.bin'}")
    return settings


def test_a_till_with_a_tax_id_issues_chained_records_and_prints_the_aeat_qr(
    tmp_path: Path,
) -> None:
    settings = _settings(tmp_path, "89890001K")
    runtime = open_till(None, "T1", _store(tmp_path), settings=settings)
    try:
        assert runtime.fiscal is not None
        runtime.start_sync()  # no shop: only the fiscal sender runs
        open_cash_session(runtime.store, D("50.00"), 1)
        ticket = record(runtime, sample_ticket("T1", [Item(1, 2, D("3.00"))]))
        fiscal = fiscal_record(runtime.store, ticket.number)
        assert fiscal is not None and fiscal.number == ticket.number
        assert print_ticket(runtime.store, ticket.number, settings).ok
    finally:
        runtime.close()
    assert runtime.fiscal is None  # stopped with the till
    decoded = read((tmp_path / "paper.bin").read_bytes())
    fiscal_qr = decoded.qr[0]  # at the top, before the ticket-number code at the foot
    assert fiscal_qr.startswith("https://prewww2.aeat.es/wlpl/TIKE-CONT/ValidarQR?nif=89890001K")
    assert f"numserie={ticket.number}" in fiscal_qr and "importe=6.00" in fiscal_qr
    assert "QR tributario:" in decoded.text and "VERI*FACTU" in decoded.text


def test_without_a_tax_id_the_till_sells_without_fiscal_records(tmp_path: Path) -> None:
    runtime = open_till(None, "T1", _store(tmp_path), settings=_settings(tmp_path, ""))
    try:
        assert runtime.fiscal is None
        open_cash_session(runtime.store, D("50.00"), 1)
        ticket = record(runtime, sample_ticket("T1", [Item(1, 1, D("3.00"))]))
        assert fiscal_record(runtime.store, ticket.number) is None
    finally:
        runtime.close()
