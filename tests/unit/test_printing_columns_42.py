"""80 mm printers with the 42-column font: golden bytes of every document, read back."""

from __future__ import annotations

import gettext
import os
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from app import i18n
from app.formatting import format_money
from printing.escpos_render import render
from printing.sample import sample_shop
from printing.z_report_doc import build_z_report
from tests.support.escpos_reader import read
from tests.unit.test_printing_receipt import KINDS, _document
from tests.unit.test_printing_z_report import _report

GOLDENS = Path(__file__).resolve().parents[1] / "data" / "escpos"
WIDTH = 42


@pytest.fixture(autouse=True)
def spanish_source_strings() -> Iterator[None]:
    previous = (i18n._State.translation, i18n._State.language)
    i18n._State.translation, i18n._State.language = gettext.NullTranslations(), "es"
    yield
    i18n._State.translation, i18n._State.language = previous


def _check_golden(name: str, data: bytes) -> None:
    golden = GOLDENS / f"{name}_{WIDTH}.bin"
    if os.environ.get("UPDATE_ESCPOS_GOLDENS") == "1":
        golden.write_bytes(data)
    assert golden.exists(), "run with UPDATE_ESCPOS_GOLDENS=1 to write the goldens"
    assert data == golden.read_bytes()


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_golden_bytes_42_columns(kind: str) -> None:
    ticket, document = _document(kind, WIDTH)
    data = render(document)
    _check_golden(kind, data)
    decoded = read(data)
    assert all(len(line.text) * (2 if line.double else 1) <= WIDTH for line in decoded.lines)
    assert decoded.cuts == ["full"]
    assert ticket.number in decoded.text
    if kind != "gift":
        assert format_money(ticket.total_tax_incl) in decoded.text
        assert "€".encode("cp858") in data


def test_sale_42_columns_right_column_adds_up() -> None:
    ticket, document = _document("sale", WIDTH)
    decoded = read(render(document))
    rows = [
        line.text for line in decoded.lines if line.text.startswith(("  1 x", "  2 x", "  3 x"))
    ]
    rows += [line.text for line in decoded.lines if line.text.startswith("  Discount")]
    amounts = [Decimal(row.split()[-2].replace(".", "").replace(",", ".")) for row in rows]
    assert len(rows) == 4 and sum(amounts) == ticket.total_tax_incl
    assert all(len(row) == WIDTH for row in rows)  # amounts end at the last column


def test_z_report_golden_42_columns() -> None:
    data = render(build_z_report(_report(), sample_shop(), WIDTH))
    _check_golden("z_report", data)
    text = read(data).text
    assert "Z REPORT" in text and "512,40 €" in text and "-2,40 €" in text
