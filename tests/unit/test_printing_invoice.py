"""The full invoice ("FACTURA") as ESC/POS bytes: goldens per kind and width, and read back."""

from __future__ import annotations

import gettext
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from app import i18n
from app.formatting import format_money
from printing.escpos_render import render
from printing.invoice import InvoiceOptions, build_invoice
from printing.sample import sample_invoice, sample_shop
from tests.support.escpos_reader import read

GOLDENS = Path(__file__).resolve().parents[1] / "data" / "escpos"
QR = "https://prewww2.aeat.es/wlpl/TIKE-CONT/ValidarQR?nif=B12345678&numserie=T1-F-2026-000043"


@pytest.fixture(autouse=True)
def source_strings() -> Iterator[None]:
    previous = (i18n._State.translation, i18n._State.language)
    i18n._State.translation, i18n._State.language = gettext.NullTranslations(), "es"
    yield
    i18n._State.translation, i18n._State.language = previous


@pytest.mark.parametrize("width", [32, 42, 48])
@pytest.mark.parametrize("kind", ["F1", "F3"])
def test_golden_bytes(kind: str, width: int) -> None:
    options = InvoiceOptions(width, open_drawer=kind == "F1", fiscal_qr=QR)
    data = render(build_invoice(sample_invoice(kind), sample_shop(), options))
    golden = GOLDENS / f"invoice_{kind.lower()}_{width}.bin"
    if os.environ.get("UPDATE_ESCPOS_GOLDENS") == "1":
        golden.write_bytes(data)
    assert golden.exists(), "run with UPDATE_ESCPOS_GOLDENS=1 to write the goldens"
    assert data == golden.read_bytes()


@pytest.mark.parametrize("width", [32, 48])
def test_f3_names_both_parties_the_vat_breakdown_and_the_ticket_it_replaces(width: int) -> None:
    invoice = sample_invoice("F3")
    options = InvoiceOptions(width, fiscal_qr=QR)
    decoded = read(render(build_invoice(invoice, sample_shop(), options)))
    text = "\n".join(decoded.texts)
    assert decoded.qr[0] == QR and "QR tributario:" in text
    assert "INVOICE" in decoded.texts
    assert "Replaces simplified invoice T1-2026-000123" in " ".join(decoded.texts)
    for fact in ("Tax ID: B12345678", "Tax ID: B12345674", "41001 Sevilla", "Librería Ñandú SL"):
        assert fact in text
    for row in invoice.breakdown:
        assert any(
            format_money(row.quota) in line and format_money(row.base) in line
            for line in decoded.texts
        )
    assert format_money(invoice.total_tax_incl) in decoded.texts[-1] or any(
        "TOTAL" in line and format_money(invoice.total_tax_incl) in line for line in decoded.texts
    )
    assert not decoded.pulses and not decoded.barcodes and decoded.qr == [QR]


def test_f1_shows_payments_and_the_ticket_code_for_returns() -> None:
    invoice = sample_invoice("F1")
    options = InvoiceOptions(48, copy=True)
    decoded = read(render(build_invoice(invoice, sample_shop(), options)))
    assert "*** COPY ***" in decoded.texts and not decoded.pulses
    assert any("Efectivo" in line for line in decoded.texts)
    assert decoded.qr == [invoice.number]
