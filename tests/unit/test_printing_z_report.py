"""The Z report document: golden bytes per width and its figures read back."""

from __future__ import annotations

import gettext
import os
from collections.abc import Iterator
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pytest

from app import i18n
from app.till.cash_session import CashSessionState, CashTotals
from app.till.records import TenderKind
from app.till.z_report import KindTotals, MethodTotal, TaxTotal, ZReport
from printing.escpos_render import render
from printing.sample import sample_shop
from printing.z_report_doc import build_z_report
from tests.support.escpos_reader import read

GOLDENS = Path(__file__).resolve().parents[1] / "data" / "escpos"
D = Decimal


@pytest.fixture(autouse=True)
def spanish_source_strings() -> Iterator[None]:
    previous = (i18n._State.translation, i18n._State.language)
    i18n._State.translation, i18n._State.language = gettext.NullTranslations(), "es"
    yield
    i18n._State.translation, i18n._State.language = previous


def _report() -> ZReport:
    return ZReport(
        session_id="s1",
        till="T1",
        state=CashSessionState.CLOSED,
        opened_at=datetime(2026, 3, 14, 9, 0),
        closed_at=datetime(2026, 3, 14, 21, 0),
        opening_float=D("100.00"),
        sales=KindTotals(12, D("512.40"), D("430.00")),
        refunds=KindTotals(1, D("20.00"), D("19.23")),
        by_method=(
            MethodTotal("card", "Tarjeta", TenderKind.CARD, D("300.00"), D("0")),
            MethodTotal("cash", "Efectivo", TenderKind.CASH, D("212.40"), D("20.00")),
        ),
        sales_by_tax=(
            TaxTotal(D("21.000"), D("380.00"), D("79.80")),
            TaxTotal(D("4.000"), D("50.00"), D("2.00")),
        ),
        refunds_by_tax=(TaxTotal(D("4.000"), D("19.23"), D("0.77")),),
        cash=CashTotals(D("212.40"), D("20.00"), D("0"), D("50.00")),
        movements=(),
        expected=D("242.40"),
        counted=D("240.00"),
        difference=D("-2.40"),
        first_ticket="T1-2026-000100",
        last_ticket="T1-2026-000111",
        first_refund="T1-2026-000105",
        last_refund="T1-2026-000105",
    )


@pytest.mark.parametrize("width", [32, 48])
def test_z_report_golden_and_figures(width: int) -> None:
    data = render(build_z_report(_report(), sample_shop(), width))
    golden = GOLDENS / f"z_report_{width}.bin"
    if os.environ.get("UPDATE_ESCPOS_GOLDENS") == "1":
        golden.write_bytes(data)
    assert golden.exists(), "run with UPDATE_ESCPOS_GOLDENS=1 to write the goldens"
    assert data == golden.read_bytes()
    decoded = read(data)
    text = decoded.text
    assert all(len(line.text) <= width for line in decoded.lines)
    for figure in (
        "512,40 €",
        "-20,00 €",
        "492,40 €",
        "79,80 €",
        "242,40 €",
        "240,00 €",
        "-2,40 €",
    ):
        assert figure in text
    assert "Z REPORT" in text and "T1-2026-000111" in text and decoded.cuts == ["full"]
