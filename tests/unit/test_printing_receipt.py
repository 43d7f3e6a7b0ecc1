"""Receipts as ESC/POS bytes: goldens per document and width, and the bytes read back."""

from __future__ import annotations

import gettext
import os
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from app import i18n
from app.formatting import format_money
from app.till.records import Ticket, TicketKind
from printing.document import CodeKind, Document
from printing.escpos_render import CODE_PAGES, CutMode, DrawerSettings, RenderOptions, render
from printing.receipt import ReceiptOptions, build_receipt, split_combination, tax_breakdown
from printing.sample import sample_shop, sample_ticket
from tests.support.escpos_reader import Decoded, Pulse, read

GOLDENS = Path(__file__).resolve().parents[1] / "data" / "escpos"
WIDTHS = (32, 48)
KINDS = {
    "sale": (TicketKind.SALE, ReceiptOptions(open_drawer=True)),
    "gift": (TicketKind.SALE, ReceiptOptions(gift=True)),
    "refund": (TicketKind.REFUND, ReceiptOptions()),
    "copy": (TicketKind.SALE, ReceiptOptions(copy=True, code=CodeKind.CODE128)),
}


@pytest.fixture(autouse=True)
def spanish_source_strings() -> Iterator[None]:
    """Spanish numbers, labels as in the source: goldens do not change with the catalog."""
    previous = (i18n._State.translation, i18n._State.language)
    i18n._State.translation, i18n._State.language = gettext.NullTranslations(), "es"
    yield
    i18n._State.translation, i18n._State.language = previous


def _document(kind: str, width: int) -> tuple[Ticket, Document]:
    ticket_kind, options = KINDS[kind]
    ticket = sample_ticket(ticket_kind)
    options = ReceiptOptions(width, options.gift, options.copy, options.open_drawer, options.code)
    return ticket, build_receipt(ticket, sample_shop(), options)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("kind", sorted(KINDS))
def test_golden_bytes(kind: str, width: int) -> None:
    data = render(_document(kind, width)[1])
    golden = GOLDENS / f"{kind}_{width}.bin"
    if os.environ.get("UPDATE_ESCPOS_GOLDENS") == "1":
        golden.write_bytes(data)
    assert golden.exists(), "run with UPDATE_ESCPOS_GOLDENS=1 to write the goldens"
    assert data == golden.read_bytes()


def _amount(text: str) -> Decimal:
    """The money at the end of a printed row: ``"-2,50 €"`` → ``Decimal("-2.50")``."""
    figure = text.split()[-2]
    return Decimal(figure.replace(".", "").replace(",", "."))


@pytest.mark.parametrize("width", WIDTHS)
def test_sale_read_back_holds_every_line_and_total(width: int) -> None:
    ticket, document = _document("sale", width)
    decoded = read(render(document))
    text = decoded.text
    assert all(len(line.text) * (2 if line.double else 1) <= width for line in decoded.lines)
    for line in ticket.lines:
        name, combination = split_combination(line)
        assert " ".join(name.split()) in " ".join(text.split())
        assert combination in text
        unit_row = _row(decoded, f"  {line.quantity} x {format_money(line.unit_price_tax_incl)}")
        gross = (line.unit_price_tax_incl * line.quantity).quantize(Decimal("0.01"))
        assert unit_row.endswith(format_money(gross))
    assert _row(decoded, "TOTAL").endswith(format_money(ticket.total_tax_incl))
    # A shopper adds the right-hand column up to the total: gross amounts, then discounts.
    amounts = [
        _amount(row.text)
        for row in decoded.lines
        if row.text.startswith(("  1 x", "  2 x", "  3 x", "  Discount"))
    ]
    assert sum(amounts) == ticket.total_tax_incl
    assert _row(decoded, "Change").endswith(format_money(ticket.change))
    assert "Librería Ñandú" in text and "¡Gracias! ¿Dudas?" in text and "María Pérez" in text
    assert "VAT included" in text and "Discount 10 %" in text
    for row in tax_breakdown(ticket.lines):
        assert format_money(row.base) in text and format_money(row.quota) in text


def _row(decoded: Decoded, label: str) -> str:
    return next(t for t in decoded.texts if t.startswith(label + " "))


def test_tax_breakdown_adds_up_to_the_ticket() -> None:
    ticket = sample_ticket()
    rows = tax_breakdown(ticket.lines)
    assert [r.rate for r in rows] == [Decimal("21"), Decimal("4")]
    assert sum(r.base for r in rows) == ticket.total_tax_excl
    assert sum(r.base + r.quota for r in rows) == ticket.total_tax_incl


def test_euro_and_spanish_letters_are_in_cp858() -> None:
    data = render(_document("sale", 48)[1])
    assert data.startswith(b"\x1b@\x1bt\x13")  # reset, then code page 19 (CP858)
    assert "47,34 €".encode("cp858") in data and b"\xd5" in data
    assert "Ñandú".encode("cp858") == b"\xa5and\xa3"
    for word in ("¡Gracias!", "¿Dudas?", "días", "María", "Pérez", "orgánico", "edición"):
        assert word.encode("cp858") in data


def test_qr_of_the_ticket_number_native_error_correction_m() -> None:
    decoded = read(render(_document("sale", 48)[1]))
    assert decoded.qr == ["T1-2026-000123"]
    assert decoded.qr_error_correction == ["M"]
    assert decoded.events[0] == "pulse" and decoded.events[-1] == "cut"


def test_gift_ticket_shows_no_prices() -> None:
    ticket, document = _document("gift", 48)
    decoded = read(render(document))
    assert "€" not in decoded.text and "TOTAL" not in decoded.text
    assert "GIFT TICKET" in decoded.text and "Quantity: 2" in decoded.text
    assert decoded.qr == [ticket.number] and decoded.pulses == []


def test_refund_and_copy() -> None:
    refund = read(render(_document("refund", 32)[1])).text
    assert "REFUND" in refund and "T1-2026-000100" in refund
    assert "TOTAL REFUNDED" in refund and "Refunded by Efectivo" in refund
    copy = read(render(_document("copy", 32)[1]))
    assert copy.texts.count("*** COPY ***") == 2
    assert copy.barcodes == ["T1-2026-000123"] and copy.qr == []


@pytest.mark.parametrize(
    ("mode", "cuts"), [(CutMode.FULL, ["full"]), (CutMode.PARTIAL, ["partial"]), (CutMode.NONE, [])]
)
def test_cut_is_sent_whatever_the_profile(mode: CutMode, cuts: list[str]) -> None:
    data = render(_document("sale", 32)[1], RenderOptions(cut=mode))
    assert read(data).cuts == cuts


def test_drawer_pin_and_timings() -> None:
    options = RenderOptions(drawer=DrawerSettings(pin=5, on_ms=60, off_ms=400))
    decoded = read(render(_document("sale", 32)[1], options))
    assert decoded.pulses == [Pulse(5, 60, 400)]
    assert b"\x1bp\x01\x1e\xc8" in render(_document("sale", 32)[1], options)


def test_unencodable_text_is_transliterated_never_dropped() -> None:
    ticket = sample_ticket()
    line = ticket.lines[0]
    odd = line.__class__(**{**line.__dict__, "name": "Łódź “special” — 日本 ½ ő"})
    ticket = ticket.__class__(**{**ticket.__dict__, "lines": (odd,)})
    document = build_receipt(ticket, sample_shop(), ReceiptOptions())
    text = read(render(document)).text
    assert 'Lódz "special" - ?? ½ o' in text


def test_other_code_pages() -> None:
    options = RenderOptions(code_page=CODE_PAGES["CP437"])
    decoded = read(render(_document("sale", 48)[1], options))
    assert decoded.code_pages == ["cp437"]
    assert "TOTAL" in decoded.text and "47,34 EUR" in decoded.text  # CP437 has no euro sign
    assert "Ñandú" in decoded.text
