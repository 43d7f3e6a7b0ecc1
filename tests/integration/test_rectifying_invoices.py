"""Refunds of full invoices print as rectifying invoices (R1) on a real till store; a refund
netted by an F3 stays a refund receipt; a gift ticket of an F3 lists its lines without prices."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from decimal import Decimal as D
from pathlib import Path

import pytest

from app.config import settings as cfg
from app.till.cash_drawer import open_cash_session
from app.till.invoice_print import document_preview, print_document_file
from app.till.invoices import exchange_tickets, invoice_for
from app.till.records import Ticket, TicketKind
from app.till.samples import Item, sample_ticket
from app.till.store import TillStore, open_store
from app.till.tickets import record_refund, record_sale
from app.verifactu.ledger import Identity
from app.verifactu.recipient import Recipient
from app.verifactu.records import configure
from tests.support.escpos_reader import Decoded, read

NIF = "89890001K"
ACME = Recipient("Ferretería Acme SL", "B12345674", "C/ Mayor 2", "28013", "Madrid")


@pytest.fixture
def store(tmp_path: Path) -> Iterator[TillStore]:
    with open_store("T1", tmp_path / "till-T1.sqlite3") as till:
        open_cash_session(till, D("100.00"), 1)
        configure(till, Identity(True, NIF, "Tienda Demo SL", "T1-0001", "test"))
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


def _settings(tmp_path: Path) -> Path:
    settings = cfg.Settings(tmp_path / "settings.json")
    settings.set(cfg.RECEIPT_TAX_ID, NIF)
    settings.set(cfg.PRINTER, f"file:{tmp_path / 'paper.bin'}")
    settings.save()
    return tmp_path / "settings.json"


def _printed(store: TillStore, number: str, tmp_path: Path, **kwargs: bool) -> Decoded:
    paper = tmp_path / "paper.bin"
    paper.unlink(missing_ok=True)
    assert print_document_file(store, number, _settings(tmp_path), **kwargs).ok
    return read(paper.read_bytes())


def test_a_refund_of_an_f1_prints_as_a_rectifying_invoice(store: TillStore, tmp_path: Path) -> None:
    full = record_sale(store, _sale(datetime(2026, 3, 2, 10, 0)), ACME)
    refund = record_refund(store, _refund(full))
    decoded = _printed(store, refund.number, tmp_path)
    text = "\n".join(decoded.texts)
    assert "CORRECTIVE INVOICE" in text and refund.number in text
    assert f"Corrects invoice {full.number} of 02/03/2026" in " ".join(decoded.texts)
    assert "Ferretería Acme SL" in text and "B12345674" in text and "28013 Madrid" in text
    assert any(line.startswith("  -1 x") for line in decoded.texts)
    assert "REFUND" not in decoded.texts
    assert f"numserie={refund.number}" in decoded.qr[0] and "importe=-" in decoded.qr[0]
    assert decoded.pulses  # refunded in cash, printed at once
    reprint = _printed(store, refund.number, tmp_path, copy=True)
    assert "CORRECTIVE INVOICE" in "\n".join(reprint.texts) and "*** COPY ***" in reprint.texts
    assert not reprint.pulses
    assert document_preview(store, refund.number, _settings(tmp_path), copy=True).height > 0


def test_a_refund_after_an_exchange_rectifies_the_f3(store: TillStore, tmp_path: Path) -> None:
    sale = record_sale(store, _sale())
    issued = exchange_tickets(store, [sale.number], ACME, datetime(2026, 3, 9, 9, 0))
    refund = record_refund(store, _refund(sale))
    invoice = invoice_for(store, refund.number)
    assert invoice is not None and invoice.kind == "R1"
    assert invoice.rectified == issued.number and invoice.total_tax_incl == -refund.total_tax_incl
    text = " ".join(_printed(store, refund.number, tmp_path).texts)
    assert f"Corrects invoice {issued.number} of 09/03/2026" in text


def test_a_refund_netted_by_the_f3_stays_a_refund_receipt(store: TillStore, tmp_path: Path) -> None:
    sale = record_sale(store, _sale())
    refund = record_refund(store, _refund(sale))
    exchange_tickets(store, [sale.number], ACME)
    assert invoice_for(store, refund.number) is None
    decoded = _printed(store, refund.number, tmp_path, copy=True)
    assert "REFUND" in decoded.texts and "CORRECTIVE INVOICE" not in "\n".join(decoded.texts)
    simple = record_sale(store, _sale())
    assert invoice_for(store, record_refund(store, _refund(simple)).number) is None


def test_a_gift_ticket_of_an_f3_lists_its_lines_without_prices(
    store: TillStore, tmp_path: Path
) -> None:
    sale = record_sale(store, _sale())
    issued = exchange_tickets(store, [sale.number], ACME)
    decoded = _printed(store, issued.number, tmp_path, gift=True)
    text = "\n".join(decoded.texts)
    assert "GIFT TICKET" in text and issued.number in text
    assert "Quantity: 2" in text and "Quantity: 1" in text
    assert "€" not in text and "TOTAL" not in text and "B12345674" not in text
    assert decoded.qr == [sale.number] and not decoded.pulses  # returns start from the sale
    assert document_preview(store, issued.number, _settings(tmp_path), gift=True).height > 0
    sale_gift = _printed(store, sale.number, tmp_path, gift=True)  # a ticket's stays its own
    assert "GIFT TICKET" in sale_gift.texts and sale.number in "\n".join(sale_gift.texts)
