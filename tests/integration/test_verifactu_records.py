"""VERI*FACTU records on a real till store: one per ticket, chained, never edited nor deleted."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterator
from datetime import datetime, timedelta
from decimal import Decimal as D
from pathlib import Path

import pytest

from app.till.cash_drawer import open_cash_session
from app.till.errors import TicketRefused
from app.till.invoices import exchange_tickets
from app.till.records import Ticket, TicketKind
from app.till.samples import Item, sample_ticket
from app.till.store import TillStore, open_store
from app.till.tickets import get_ticket, record_refund, record_sale
from app.verifactu.ledger import FiscalRecordRefused, Identity
from app.verifactu.recipient import Recipient
from app.verifactu.records import annul_ticket, configure, fiscal_record, qr_for_ticket

NIF = "89890001K"
IDENTITY = Identity(True, NIF, "Tienda Demo SL", "T1-0001", "test")
ACME = Recipient("Ferretería Acme SL", "B12345674", "C/ Mayor 2", "28013", "Madrid")


@pytest.fixture
def store(tmp_path: Path) -> Iterator[TillStore]:
    with open_store("T1", tmp_path / "till-T1.sqlite3") as till:
        open_cash_session(till, D("100.00"), 1)
        configure(till, IDENTITY)
        yield till


def _sale(created_at: datetime | None = None) -> Ticket:
    items = [Item(1, 2, D("3.10")), Item(2, 1, D("9.99"), D("10"))]
    return sample_ticket("T1", items, created_at=created_at)


def _refund(original: Ticket) -> Ticket:
    line = original.lines[0]
    item = Item(line.id_product, 1, line.unit_price_tax_incl)
    return sample_ticket(
        "T1", [item], kind=TicketKind.REFUND, original=original, original_lines=[1]
    )


def _db(store: TillStore) -> sqlite3.Connection:
    return sqlite3.connect(store.path, isolation_level=None)


def test_a_sale_gets_an_f2_record_with_its_totals_and_vat_breakdown(store: TillStore) -> None:
    ticket = record_sale(store, _sale(datetime(2026, 3, 5, 10, 30)))
    record = fiscal_record(store, ticket.number)
    assert record is not None
    assert (record.invoice_type, record.number, record.issued_on) == (
        "F2",
        ticket.number,
        "05-03-2026",
    )
    assert (record.issuer_nif, record.total, record.tax_total) == (NIF, "16.19", "1.99")
    assert record.previous_hash == "" and record.body["previous"] is None
    assert record.body["breakdown"] == [
        {"rate": "21.00", "base": "5.12", "quota": "1.08"},
        {"rate": "10.00", "base": "9.08", "quota": "0.91"},
    ]
    assert record.body["system"]["installation"] == "T1-0001"


def test_a_refund_gets_an_r5_record_pointing_at_the_sale_with_negative_amounts(
    store: TillStore,
) -> None:
    sale = record_sale(store, _sale())
    refund = record_refund(store, _refund(sale))
    record = fiscal_record(store, refund.number)
    original = fiscal_record(store, sale.number)
    assert record is not None and original is not None
    assert record.invoice_type == "R5" and record.number.startswith("T1-R-")
    assert record.total == "-3.10"
    assert record.body["rectification"] == "I"
    assert record.body["rectified"] == [
        {"nif": NIF, "number": sale.number, "issued_on": original.issued_on}
    ]
    assert record.previous_hash == original.hash and record.previous_id == original.id


def test_the_ticket_qr_is_the_aeat_url_of_its_record(store: TillStore) -> None:
    ticket = record_sale(store, _sale(datetime(2026, 3, 5, 10, 30)))
    assert qr_for_ticket(store, ticket.number) == (
        "https://prewww2.aeat.es/wlpl/TIKE-CONT/ValidarQR?nif=89890001K"
        f"&numserie={ticket.number}&fecha=05-03-2026&importe=16.19"
    )
    configure(store, Identity(True, NIF, "Tienda Demo SL", "T1-0001", "production"))
    assert (qr_for_ticket(store, ticket.number) or "").startswith(
        "https://www2.agenciatributaria.gob.es/wlpl/TIKE-CONT/ValidarQR?"
    )


def test_with_the_mode_off_tickets_are_recorded_without_fiscal_record(store: TillStore) -> None:
    configure(store, Identity(False, NIF, "Tienda Demo SL", "T1-0001"))
    ticket = record_sale(store, _sale())
    assert fiscal_record(store, ticket.number) is None
    assert qr_for_ticket(store, ticket.number) is None


def _recompute(row: sqlite3.Row) -> str:
    """The huella as the AEAT documents it, written again here independently of the app."""
    if row["kind"] == "anulacion":
        names = (
            "IDEmisorFacturaAnulada",
            "NumSerieFacturaAnulada",
            "FechaExpedicionFacturaAnulada",
            "Huella",
            "FechaHoraHusoGenRegistro",
        )
        values = (
            row["issuer_nif"],
            row["number"],
            row["issued_on"],
            row["previous_hash"],
            row["generated_at"],
        )
    else:
        names = (
            "IDEmisorFactura",
            "NumSerieFactura",
            "FechaExpedicionFactura",
            "TipoFactura",
            "CuotaTotal",
            "ImporteTotal",
            "Huella",
            "FechaHoraHusoGenRegistro",
        )
        values = (
            row["issuer_nif"],
            row["number"],
            row["issued_on"],
            row["invoice_type"],
            row["tax_total"],
            row["total"],
            row["previous_hash"],
            row["generated_at"],
        )
    text = "&".join(f"{n}={v.strip()}" for n, v in zip(names, values, strict=True))
    return hashlib.sha256(text.encode()).hexdigest().upper()


def test_a_thousand_tickets_with_refunds_form_one_verifiable_chain(store: TillStore) -> None:
    sales = []
    for n in range(1, 1001):
        if n % 10 == 0:
            record_refund(store, _refund(sales[-1]))
        elif n % 50 == 7:  # a sale issued as a full invoice
            sales.append(record_sale(store, _sale(), ACME))
        else:
            sales.append(record_sale(store, _sale()))
        if n % 100 == 3:  # an earlier ticket exchanged for a full invoice
            exchange_tickets(store, [sales[-2].number], ACME)
    annul_ticket(store, sales[-1].number)
    db = _db(store)
    db.row_factory = sqlite3.Row
    rows = db.execute("SELECT * FROM verifactu_records ORDER BY id").fetchall()
    tickets = {r[0]: r[1] for r in db.execute("SELECT id, number FROM tickets")}
    invoices = {r[0] for r in db.execute("SELECT number FROM invoices WHERE kind = 'F3'")}
    assert len(rows) == 1011 and len(tickets) == 1000 and len(invoices) == 10
    previous = ""
    for row in rows:
        assert row["previous_hash"] == previous
        assert _recompute(row) == row["hash"]
        if row["invoice_type"] == "F3":
            assert row["ticket_id"] is None and row["number"] in invoices
        else:
            assert row["number"] == tickets[row["ticket_id"]]
        previous = row["hash"]
    kinds = [row["invoice_type"] for row in rows if row["kind"] == "alta"]
    assert kinds.count("F1") == 20 and kinds.count("F3") == 10
    assert kinds.count("R5") + kinds.count("R1") == 100 and kinds.count("F2") == 880
    assert rows[-1]["kind"] == "anulacion" and rows[-1]["number"] == sales[-1].number
    for row in rows:
        if row["invoice_type"] == "R5":
            assert D(row["total"]) < 0
            assert json.loads(row["body"])["rectified"][0]["number"].startswith("T1-")
    moments = [datetime.fromisoformat(row["generated_at"]) for row in rows]
    assert moments == sorted(moments)


def test_records_can_be_neither_edited_nor_deleted(store: TillStore) -> None:
    ticket = record_sale(store, _sale())
    db = _db(store)
    for statement in (
        "UPDATE verifactu_records SET total = '0.01'",
        "UPDATE verifactu_records SET hash = hash",
        "DELETE FROM verifactu_records",
        "UPDATE verifactu_identity SET nif = 'B00000000'",
        "DELETE FROM verifactu_identity",
        "DELETE FROM verifactu_queue",
    ):
        with pytest.raises(sqlite3.IntegrityError, match="never"):
            db.execute(statement)
    record = fiscal_record(store, ticket.number)
    assert record is not None and record.total == "16.19"


def test_a_record_that_does_not_chain_to_the_last_one_is_refused(store: TillStore) -> None:
    record_sale(store, _sale())
    record_sale(store, _sale())
    db = _db(store)
    with pytest.raises(sqlite3.IntegrityError, match="chains"):
        db.execute(
            "INSERT INTO verifactu_records (chain, kind, issuer_nif, issuer_name, number, "
            "issued_on, previous_id, previous_hash, generated_at, hash, body) VALUES "
            "('T1-0001', 'alta', ?, 'x', 'FORGED-1', '01-01-2026', 1, '', "
            "'2026-01-01T10:00:00+01:00', ?, '{}')",
            (NIF, "A" * 64),
        )


def test_a_ticket_is_refused_when_the_clock_is_behind_the_last_record(store: TillStore) -> None:
    record_sale(store, _sale())
    db = _db(store)
    last = db.execute("SELECT max(id) FROM verifactu_records").fetchone()[0]
    assert last == 1
    from app.verifactu import ledger

    with store.write() as session:
        identity = ledger.current_identity(session)
        assert identity is not None
        draft = ledger.RecordDraft(
            ledger.RecordKind.ALTA, None, "X-1", "01-01-2030", "F2", "0.00", "0.00"
        )
        ledger.insert_record(session, identity, draft, datetime.now() + timedelta(days=1))
    with pytest.raises(FiscalRecordRefused, match="clock"):
        record_sale(store, _sale())
    assert db.execute("SELECT count(*) FROM tickets").fetchone() == (1,)


def test_a_ticket_can_be_annulled_once_and_keeps_its_number(store: TillStore) -> None:
    ticket = record_sale(store, _sale())
    record = annul_ticket(store, ticket.number)
    assert record.kind.value == "anulacion" and record.number == ticket.number
    with pytest.raises(TicketRefused, match="already annulled"):
        annul_ticket(store, ticket.number)
    assert get_ticket(store, ticket.number) == ticket
