"""The rectifying invoice ("FACTURA RECTIFICATIVA", R1) of a refund: goldens and read back."""

from __future__ import annotations

import gettext
import os
from collections.abc import Iterator
from datetime import datetime
from decimal import Decimal as D
from pathlib import Path

import pytest

from app import i18n
from app.formatting import format_money
from app.till.records import TicketKind
from printing.escpos_render import render
from printing.invoice import FullInvoice, InvoiceOptions, InvoiceParty, build_invoice
from printing.rectifying import rectifying_invoice
from printing.sample import sample_shop, sample_ticket
from tests.support.escpos_reader import read

GOLDENS = Path(__file__).resolve().parents[1] / "data" / "escpos"
QR = "https://prewww2.aeat.es/wlpl/TIKE-CONT/ValidarQR?nif=B12345678&numserie=T1-R-2026-000007"
ACME = InvoiceParty("Distribuciones Ñandú y Asociados, S.L.", "B12345674", ("C/ Mayor 2",))


@pytest.fixture(autouse=True)
def source_strings() -> Iterator[None]:
    previous = (i18n._State.translation, i18n._State.language)
    i18n._State.translation, i18n._State.language = gettext.NullTranslations(), "es"
    yield
    i18n._State.translation, i18n._State.language = previous


def sample_r1() -> FullInvoice:
    refund = sample_ticket(TicketKind.REFUND, number="T1-R-2026-000007")
    return rectifying_invoice(
        refund, ACME, "T1-F-2026-000042", datetime(2026, 3, 2, 12, 0), "Librería Ñandú SL"
    )


@pytest.mark.parametrize("width", [32, 42, 48])
def test_golden_bytes(width: int) -> None:
    options = InvoiceOptions(width, open_drawer=True, fiscal_qr=QR)
    data = render(build_invoice(sample_r1(), sample_shop(), options))
    golden = GOLDENS / f"rectifying_r1_{width}.bin"
    if os.environ.get("UPDATE_ESCPOS_GOLDENS") == "1":
        golden.write_bytes(data)
    assert golden.exists(), "run with UPDATE_ESCPOS_GOLDENS=1 to write the goldens"
    assert data == golden.read_bytes()


@pytest.mark.parametrize("width", [32, 48])
def test_r1_names_the_invoice_it_corrects_and_shows_negative_amounts(width: int) -> None:
    invoice = sample_r1()
    decoded = read(
        render(build_invoice(invoice, sample_shop(), InvoiceOptions(width, fiscal_qr=QR)))
    )
    text = "\n".join(decoded.texts)
    assert "CORRECTIVE INVOICE" in text and "T1-R-2026-000007" in text
    assert "Corrects invoice T1-F-2026-000042 of 02/03/2026" in " ".join(decoded.texts)
    for fact in ("Tax ID: B12345674", "C/ Mayor 2", "Librería Ñandú SL"):
        assert fact in text
    assert invoice.total_tax_incl < 0 and all(row.quota < 0 for row in invoice.breakdown)
    for row in invoice.breakdown:
        assert any(
            format_money(row.quota) in line and format_money(row.base) in line
            for line in decoded.texts
        )
    assert any(
        "TOTAL" in line and format_money(invoice.total_tax_incl) in line for line in decoded.texts
    )
    assert any(line.startswith("  -2 x") for line in decoded.texts)
    assert any("Refunded by Efectivo" in line for line in decoded.texts)
    assert decoded.qr == [QR] and not decoded.barcodes


def test_a_negative_line_with_a_discount_adds_up_to_its_base() -> None:
    line = sample_r1().lines[0]
    assert line.quantity == -2 and line.discount < 0  # printed as a positive "Discount"
    assert line.total_tax_excl + line.discount == (line.unit_price_tax_excl * -2).quantize(
        D("0.01")
    )
