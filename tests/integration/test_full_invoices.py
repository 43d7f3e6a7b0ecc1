"""Full invoices on a real till store: F1 at the counter, F3 exchanging tickets, R1 refunds,
their XML, and the printed "FACTURA"."""

from __future__ import annotations

import json
import sqlite3
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import datetime
from decimal import Decimal as D
from pathlib import Path

import pytest
from lxml import etree

from app.config import settings as cfg
from app.till.cash_drawer import open_cash_session
from app.till.errors import TicketRefused
from app.till.invoice_print import print_document_file
from app.till.invoices import check_exchangeable, exchange_tickets, invoice_for, known_recipient
from app.till.records import Ticket, TicketCustomer, TicketKind
from app.till.samples import Item, sample_ticket
from app.till.store import TillStore, open_store
from app.till.tickets import get_ticket, record_refund, record_sale
from app.verifactu.ledger import Identity, RecordKind, records_after
from app.verifactu.recipient import VAT, Recipient, RecipientRefused
from app.verifactu.records import configure, fiscal_record
from app.verifactu.xml import LR, SF, envelope
from tests.support.aeat_schemas import aeat_schema
from tests.support.escpos_reader import read

NIF = "89890001K"
ACME = Recipient("Ferretería Acme SL", "B12345674", "C/ Mayor 2", "28013", "Madrid")
FOREIGN = Recipient("Dupont SARL", "FR12345678901", "1 rue Haute", "75001", "Paris", "FR", VAT)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[TillStore]:
    with open_store("T1", tmp_path / "till-T1.sqlite3") as till:
        open_cash_session(till, D("100.00"), 1)
        configure(till, Identity(True, NIF, "Tienda Demo SL", "T1-0001", "test"))
        yield till


def _sale(created_at: datetime | None = None) -> Ticket:
    items = [Item(1, 2, D("3.10")), Item(2, 1, D("9.99"), D("10"))]
    return sample_ticket("T1", items, created_at=created_at)


def _refund(original: Ticket, quantity: int = 1) -> Ticket:
    line = original.lines[0]
    item = Item(line.id_product, quantity, line.unit_price_tax_incl)
    return sample_ticket(
        "T1", [item], kind=TicketKind.REFUND, original=original, original_lines=[1]
    )


def _body(store: TillStore, number: str) -> dict[str, object]:
    record = fiscal_record(store, number)
    assert record is not None
    return dict(record.body)


def test_a_sale_with_a_recipient_is_an_f1_in_its_own_gapless_series(store: TillStore) -> None:
    first = record_sale(store, _sale(datetime(2026, 3, 5, 10, 0)), ACME)
    simple = record_sale(store, _sale(datetime(2026, 3, 5, 10, 5)))
    second = record_sale(store, _sale(datetime(2026, 3, 5, 10, 9)), FOREIGN)
    assert (first.number, simple.number, second.number) == (
        "T1-F-2026-000001",
        "T1-2026-000001",
        "T1-F-2026-000002",
    )
    record = fiscal_record(store, first.number)
    assert record is not None and record.invoice_type == "F1"
    assert record.body["recipient"] == {"name": "Ferretería Acme SL", "nif": "B12345674"}
    assert _body(store, second.number)["recipient"] == {
        "name": "Dupont SARL",
        "country": "FR",
        "id_type": "02",
        "id": "FR12345678901",
    }
    assert _body(store, simple.number).get("recipient") is None


def test_a_wrong_tax_id_refuses_the_sale_and_takes_no_number(store: TillStore) -> None:
    wrong = Recipient("Ferretería Acme SL", "B12345678", "C/ Mayor 2", "28013", "Madrid")
    with pytest.raises(RecipientRefused, match="should be 4"):
        record_sale(store, _sale(), wrong)
    assert record_sale(store, _sale(), ACME).number.endswith(
        "-F-" + str(datetime.now().year) + "-000001"
    )


def test_tickets_are_exchanged_once_for_an_f3_listing_them(store: TillStore) -> None:
    one = record_sale(store, _sale(datetime(2026, 3, 5, 10, 0)))
    two = record_sale(store, _sale(datetime(2026, 3, 6, 11, 0)))
    issued = exchange_tickets(store, [one.number, two.number], ACME, datetime(2026, 3, 9, 9, 0))
    assert issued.number == "T1-F-2026-000001"
    assert issued.total == one.total_tax_incl + two.total_tax_incl
    record = fiscal_record(store, issued.number)
    assert record is not None and record.invoice_type == "F3"
    assert record.total == str(issued.total) and record.issued_on == "09-03-2026"
    assert [r["number"] for r in record.body["substituted"]] == [one.number, two.number]
    assert record.body["operation_date"] == "06-03-2026"
    with pytest.raises(TicketRefused, match=f"already exchanged for invoice {issued.number}"):
        exchange_tickets(store, [one.number], ACME)
    with pytest.raises(TicketRefused, match="already exchanged"):
        check_exchangeable(store, two.number)


def test_a_full_invoice_or_a_refund_cannot_be_exchanged(store: TillStore) -> None:
    full = record_sale(store, _sale(), ACME)
    with pytest.raises(TicketRefused, match="already a full invoice"):
        check_exchangeable(store, full.number)
    sale = record_sale(store, _sale())
    refund = record_refund(store, _refund(sale))
    with pytest.raises(TicketRefused, match="is a refund"):
        check_exchangeable(store, refund.number)


def test_a_partly_refunded_ticket_is_invoiced_for_what_was_kept(store: TillStore) -> None:
    sale = record_sale(store, _sale())
    refund = record_refund(store, _refund(sale))
    issued = exchange_tickets(store, [sale.number], ACME)
    assert issued.total == sale.total_tax_incl - refund.total_tax_incl
    assert issued.replaces == (sale.number, refund.number)
    invoice = invoice_for(store, issued.number)
    assert invoice is not None and invoice.lines[0].quantity == 1
    assert sum((r.base + r.quota for r in invoice.breakdown), D(0)) == issued.total
    other = record_sale(store, _sale())
    record_refund(store, _refund(other, 2))
    record_refund(
        store,
        sample_ticket(
            "T1",
            [Item(2, 1, D("9.99"), D("10"))],
            kind=TicketKind.REFUND,
            original=other,
            original_lines=[2],
        ),
    )
    with pytest.raises(TicketRefused, match="refunded in full"):
        check_exchangeable(store, other.number)


def test_refunds_of_full_invoices_are_r1_with_the_recipient(store: TillStore) -> None:
    full = record_sale(store, _sale(), ACME)
    r1 = fiscal_record(store, record_refund(store, _refund(full)).number)
    assert r1 is not None and r1.invoice_type == "R1" and D(r1.total) < 0
    assert r1.body["rectified"][0]["number"] == full.number
    assert r1.body["recipient"]["nif"] == "B12345674"
    sale = record_sale(store, _sale())
    issued = exchange_tickets(store, [sale.number], FOREIGN)
    after = fiscal_record(store, record_refund(store, _refund(sale)).number)
    assert after is not None and after.invoice_type == "R1"
    assert after.body["rectified"][0]["number"] == issued.number
    assert after.body["recipient"]["id"] == "FR12345678901"


def test_the_cashier_is_offered_the_customers_last_invoice_data(store: TillStore) -> None:
    customer = TicketCustomer(42, "ana@example.com", "Ana", "Gil", 3)
    draft = _sale()
    record_sale(store, Ticket(**{**draft.__dict__, "customer": customer}), ACME)
    assert known_recipient(store, customer) == ACME
    assert known_recipient(store, TicketCustomer(7, "x@example.com", "X", "Y", 3)) is None


def _records_xml(store: TillStore) -> ET.Element:
    with store.read() as session:
        records = records_after(session, 0, 100)
    return ET.fromstring(envelope(records))


def test_f1_and_f3_records_in_the_aeat_message(store: TillStore) -> None:
    full = record_sale(store, _sale(datetime(2026, 3, 5, 10, 0)), FOREIGN)
    sale = record_sale(store, _sale(datetime(2026, 3, 5, 11, 0)))
    issued = exchange_tickets(store, [sale.number], ACME, datetime(2026, 3, 7, 9, 0))
    record_refund(store, _refund(sale))
    altas = {
        alta.findtext(f"{{{SF}}}IDFactura/{{{SF}}}NumSerieFactura"): alta
        for alta in _records_xml(store).iter(f"{{{SF}}}RegistroAlta")
    }
    f1 = altas[full.number]
    assert f1.findtext(f"{{{SF}}}TipoFactura") == "F1"
    other = f"{{{SF}}}Destinatarios/{{{SF}}}IDDestinatario/{{{SF}}}IDOtro/{{{SF}}}"
    assert [f1.findtext(other + name) for name in ("CodigoPais", "IDType", "ID")] == [
        "FR",
        "02",
        "FR12345678901",
    ]
    f3 = altas[issued.number]
    assert f3.findtext(f"{{{SF}}}TipoFactura") == "F3"
    replaced = f"{{{SF}}}FacturasSustituidas/{{{SF}}}IDFacturaSustituida/{{{SF}}}NumSerieFactura"
    assert f3.findtext(replaced) == sale.number
    assert f3.findtext(f"{{{SF}}}FechaOperacion") == "05-03-2026"
    nif = f"{{{SF}}}Destinatarios/{{{SF}}}IDDestinatario/{{{SF}}}NIF"
    assert f3.findtext(nif) == "B12345674"
    r1 = [a for a in altas.values() if a.findtext(f"{{{SF}}}TipoFactura") == "R1"][0]
    rectified = f"{{{SF}}}FacturasRectificadas/{{{SF}}}IDFacturaRectificada/{{{SF}}}NumSerieFactura"
    assert r1.findtext(rectified) == issued.number and r1.findtext(nif) == "B12345674"


def test_f1_and_f3_messages_validate_against_the_aeat_schemas(store: TillStore) -> None:
    schema = aeat_schema()  # skipped without the AEAT schemas
    record_sale(store, _sale(), FOREIGN)
    sale = record_sale(store, _sale(datetime(2026, 1, 2, 10, 0)))
    exchange_tickets(store, [sale.number], ACME)
    record_refund(store, _refund(sale))
    root = etree.fromstring(ET.tostring(_records_xml(store)))
    registration = root.find(f".//{{{LR}}}RegFactuSistemaFacturacion")
    assert registration is not None
    schema.assertValid(registration)


def test_invoices_are_append_only_and_a_ticket_is_replaced_once(store: TillStore) -> None:
    sale = record_sale(store, _sale())
    exchange_tickets(store, [sale.number], ACME)
    db = sqlite3.connect(store.path, isolation_level=None)
    for statement in (
        "UPDATE invoices SET recipient = '{}'",
        "DELETE FROM invoices",
        "DELETE FROM invoice_substitutions",
        "INSERT INTO invoice_substitutions (invoice_id, ticket_id) "
        "SELECT 1, id FROM tickets WHERE number = '" + sale.number + "'",
    ):
        with pytest.raises(sqlite3.DatabaseError):
            db.execute(statement)


def _settings(tmp_path: Path) -> Path:
    settings = cfg.Settings(tmp_path / "settings.json")
    settings.set(cfg.RECEIPT_TAX_ID, NIF)
    settings.set(cfg.PRINTER, f"file:{tmp_path / 'paper.bin'}")
    settings.save()
    return tmp_path / "settings.json"


def test_an_f3_prints_as_an_invoice_naming_the_ticket_it_replaces(
    store: TillStore, tmp_path: Path
) -> None:
    sale = record_sale(store, _sale())
    issued = exchange_tickets(store, [sale.number], ACME)
    assert print_document_file(store, issued.number, _settings(tmp_path)).ok
    decoded = read((tmp_path / "paper.bin").read_bytes())
    text = "\n".join(decoded.texts)
    assert "INVOICE" in text and issued.number in text
    assert f"Replaces simplified invoice {sale.number}" in text
    assert "Ferretería Acme SL" in text and "B12345674" in text and "28013 Madrid" in text
    assert f"numserie={issued.number}" in decoded.qr[0]
    assert not decoded.pulses  # no cash changes hands


def test_an_f1_prints_as_an_invoice_and_opens_the_drawer(store: TillStore, tmp_path: Path) -> None:
    full = record_sale(store, _sale(), ACME)
    assert print_document_file(store, full.number, _settings(tmp_path)).ok
    decoded = read((tmp_path / "paper.bin").read_bytes())
    assert "INVOICE" in decoded.texts and decoded.pulses
    assert full.number in decoded.barcodes or full.number in decoded.qr
    ticket = get_ticket(store, full.number)
    assert ticket is not None and ticket.kind is TicketKind.SALE
    kinds = {r.invoice_type for r in [fiscal_record(store, full.number)] if r is not None}
    assert kinds == {"F1"} and RecordKind.ALTA.value == "alta"
    assert json.loads(json.dumps(_body(store, full.number)))["recipient"]["nif"] == "B12345674"
