"""ERP exports: a CSV Spanish Excel opens as columns, an XLSX with real numbers and dates."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from openpyxl import load_workbook

from app.erp.exports import export_table

HEADERS = ["Reference", "Name", "Price", "Stock", "Updated", "Day"]
ROWS = [
    ["CAM-01", "Camiseta; roja", Decimal("1234.50"), 7, dt.datetime(2024, 5, 31, 13, 5, 9), None],
    ["PAN-02", "Pantalón ñandú", Decimal("-0.10"), 0, None, dt.date(2024, 1, 2)],
]


def test_csv_has_bom_semicolons_and_decimal_commas(tmp_path: Path) -> None:
    path = tmp_path / "products.csv"
    assert export_table(path, HEADERS, iter(ROWS)) == 2
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    lines = raw.decode("utf-8-sig").splitlines()
    assert lines[0] == "Reference;Name;Price;Stock;Updated;Day"
    assert lines[1] == 'CAM-01;"Camiseta; roja";1234,50;7;2024-05-31 13:05:09;'
    assert lines[2] == "PAN-02;Pantalón ñandú;-0,10;0;;2024-01-02"


def test_xlsx_keeps_numbers_dates_and_a_bold_frozen_header(tmp_path: Path) -> None:
    path = tmp_path / "products.xlsx"
    assert export_table(path, HEADERS, ROWS, title="Products: all") == 2
    sheet = load_workbook(path).active
    assert sheet is not None
    assert sheet.title == "Products  all"
    assert [c.value for c in sheet[1]] == HEADERS
    assert sheet["A1"].font.bold
    assert sheet.freeze_panes == "A2"
    assert sheet["C2"].value == 1234.5 and sheet["C2"].number_format == "#,##0.00"
    assert sheet["D2"].value == 7
    assert sheet["E2"].value == dt.datetime(2024, 5, 31, 13, 5, 9)
    assert sheet["F3"].value == dt.datetime(2024, 1, 2)
    assert sheet["F3"].is_date
    assert sheet.column_dimensions["B"].width >= len("Pantalón ñandú")


def test_a_large_export_streams_every_row(tmp_path: Path) -> None:
    rows = ((i, f"Product {i}", Decimal(i) / 100) for i in range(20_000))
    path = tmp_path / "big.xlsx"
    assert export_table(path, ["Id", "Name", "Price"], rows) == 20_000
    sheet = load_workbook(path, read_only=True).active
    assert sheet is not None
    last = list(sheet.iter_rows(min_row=20_001, max_row=20_001, values_only=True))
    assert last == [(19_999, "Product 19999", 199.99)]
