"""The VERI*FACTU QR on the printed ticket: first, the AEAT URL, error correction M, 30-40 mm."""

from __future__ import annotations

import re

import pytest

from app.till.records import TicketKind
from printing.document import CodeKind
from printing.escpos_render import DOTS_PER_MM, qr_modules, render
from printing.receipt import ReceiptOptions, build_receipt
from printing.sample import sample_shop, sample_ticket
from tests.support.escpos_reader import read

URL = (
    "https://www2.agenciatributaria.gob.es/wlpl/TIKE-CONT/ValidarQR?nif=89890001K"
    "&numserie=T1-2026-000123&fecha=05-03-2026&importe=16.19"
)


def _module_sizes(data: bytes) -> list[int]:
    """The module sizes sent with GS ( k <pL> <pH> 49 67 <n>."""
    return [m[0] for m in re.findall(rb"\x1d\(k\x03\x001C(.)", data, flags=re.DOTALL)]


@pytest.mark.parametrize("width", [32, 48])
@pytest.mark.parametrize("kind", [TicketKind.SALE, TicketKind.REFUND])
def test_fiscal_qr_is_printed_first_and_decodes_to_the_aeat_url(
    width: int, kind: TicketKind
) -> None:
    options = ReceiptOptions(width=width, fiscal_qr=URL, code=CodeKind.QR)
    data = render(build_receipt(sample_ticket(kind), sample_shop(), options))
    decoded = read(data)
    assert decoded.qr[0] == URL  # the fiscal QR comes before the ticket-number QR
    assert decoded.qr_error_correction[0] == "M"
    texts = decoded.texts
    assert texts[0] == "QR tributario:"
    assert "VERI*FACTU" in texts[1:3]
    assert texts.index("VERI*FACTU") < texts.index(sample_shop().name)
    assert decoded.events.index("qr") < 3
    assert URL not in decoded.text  # no caption under the fiscal QR
    size_mm = _module_sizes(data)[0] * qr_modules(URL) / DOTS_PER_MM
    assert 30 <= size_mm <= 40


def test_without_a_fiscal_record_the_ticket_prints_as_before() -> None:
    ticket = sample_ticket(TicketKind.SALE)
    plain = render(build_receipt(ticket, sample_shop(), ReceiptOptions(width=48)))
    assert "QR tributario:" not in read(plain).text
    assert read(plain).qr == [ticket.number]


def test_gift_ticket_has_no_fiscal_qr() -> None:
    options = ReceiptOptions(width=48, gift=True, fiscal_qr=URL)
    decoded = read(render(build_receipt(sample_ticket(TicketKind.SALE), sample_shop(), options)))
    assert URL not in decoded.qr
