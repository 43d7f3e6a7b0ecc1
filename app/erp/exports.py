"""Every ERP list and report to CSV or XLSX, streamed so a 100,000-row list is fine.

``export_table(path, headers, rows, title)`` picks the format from the file's suffix
(``.xlsx``, anything else is CSV) and returns the number of data rows written.

* CSV: UTF-8 with a BOM and ``;`` between fields, so Spanish Excel opens it as columns;
  ``Decimal`` with a decimal comma (``1234,50``, no thousands separator), dates ISO
  (``2024-05-31``, ``2024-05-31 13:05:00``), booleans ``1``/``0``, ``None`` empty.
* XLSX (openpyxl, write-only): bold frozen header row, numbers as numbers (``Decimal`` with a
  ``#,##0.00`` format), dates as dates, column widths from the header and the first rows.
"""

from __future__ import annotations

import csv
import datetime as dt
import itertools
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

NUMBER_FORMAT = "#,##0.00"
DATE_FORMAT = "dd/mm/yyyy"
DATETIME_FORMAT = "dd/mm/yyyy hh:mm"
WIDTH_SAMPLE = 200  # rows looked at to size the columns
MIN_WIDTH, MAX_WIDTH = 8, 60
SHEET_TITLE_MAX = 31  # Excel's limit
_FORBIDDEN_IN_TITLE = str.maketrans({c: " " for c in "[]:*?/\\"})


def export_table(
    path: Path, headers: Sequence[str], rows: Iterable[Sequence[object]], title: str = ""
) -> int:
    """Write ``headers`` and ``rows`` to ``path`` (CSV or XLSX by suffix); rows written."""
    if path.suffix.lower() == ".xlsx":
        return _write_xlsx(path, headers, rows, title)
    return _write_csv(path, headers, rows)


def csv_text(value: object) -> str:
    """One value as a Spanish spreadsheet reads it from a CSV field."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, (Decimal, float)):
        text = format(value, "f") if isinstance(value, Decimal) else repr(value)
        return text.replace(".", ",")
    if isinstance(value, dt.date):
        return _date_text(value)
    return str(value)


def _date_text(value: dt.date) -> str:
    if isinstance(value, dt.datetime):
        return value.replace(microsecond=0, tzinfo=None).isoformat(sep=" ")
    return value.isoformat()


def _write_csv(path: Path, headers: Sequence[str], rows: Iterable[Sequence[object]]) -> int:
    count = 0
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=";", quoting=csv.QUOTE_MINIMAL)
        writer.writerow(headers)
        for row in rows:
            writer.writerow([csv_text(value) for value in row])
            count += 1
    return count


def _write_xlsx(
    path: Path, headers: Sequence[str], rows: Iterable[Sequence[object]], title: str
) -> int:
    workbook = Workbook(write_only=True)
    sheet: WriteOnlyWorksheet = workbook.create_sheet(_sheet_title(title))
    iterator = iter(rows)
    sample = list(itertools.islice(iterator, WIDTH_SAMPLE))
    _size_columns(sheet, headers, sample)
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    sheet.append([_header_cell(sheet, text, bold) for text in headers])
    count = 0
    for row in itertools.chain(sample, iterator):
        sheet.append([_xlsx_cell(sheet, value) for value in row])
        count += 1
    workbook.save(path)
    return count


def _sheet_title(title: str) -> str:
    clean = title.translate(_FORBIDDEN_IN_TITLE).strip()
    return clean[:SHEET_TITLE_MAX] or "Sheet1"


def _header_cell(sheet: WriteOnlyWorksheet, text: str, font: Font) -> Cell:
    cell = WriteOnlyCell(sheet, value=text)
    cell.font = font
    return cell


def _xlsx_cell(sheet: WriteOnlyWorksheet, value: object) -> Any:
    if isinstance(value, bool) or value is None or isinstance(value, (int, str)):
        return value
    if isinstance(value, (Decimal, float)):
        cell = WriteOnlyCell(sheet, value=_plain(value))
        cell.number_format = NUMBER_FORMAT
        return cell
    if isinstance(value, dt.datetime):
        cell = WriteOnlyCell(sheet, value=value.replace(tzinfo=None))
        cell.number_format = DATETIME_FORMAT
        return cell
    if isinstance(value, dt.date):
        cell = WriteOnlyCell(sheet, value=_plain(value))
        cell.number_format = DATE_FORMAT
        return cell
    return str(value)


def _plain(value: object) -> Any:
    """A value openpyxl writes as is (its stubs name fewer types than it accepts)."""
    return value


def _size_columns(
    sheet: WriteOnlyWorksheet, headers: Sequence[str], sample: Sequence[Sequence[object]]
) -> None:
    for index, header in enumerate(headers):
        lengths = _lengths(header, (row[index] for row in sample if index < len(row)))
        width = min(MAX_WIDTH, max(MIN_WIDTH, max(lengths) + 2))
        dimensions: Any = sheet.column_dimensions  # type: ignore[attr-defined]  # set in _setup
        dimensions[get_column_letter(index + 1)].width = width


def _lengths(header: str, values: Iterator[object]) -> list[int]:
    return [len(header)] + [len(csv_text(value)) for value in values]
