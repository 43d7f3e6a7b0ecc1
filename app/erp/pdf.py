"""A small A4 PDF writer for the back office (purchase orders, invoices, label sheets), on fpdf2.

Usage (the orders helper writes invoices the same way)::

    head = read_letterhead(ctx)                    # worker: one query for the shop's details
    doc = PdfDocument(_("Purchase order {number}").format(number="PO-000012"), head)
    doc.party(_("Supplier"), ["Proveedor Peñas S.L.", "Calle Mayor 1", "28001 Madrid"])
    doc.facts([(_("Date"), "31/05/2024"), (_("Status"), _("Sent"))])
    doc.table(
        [PdfColumn(_("Product"), 90), PdfColumn(_("Qty"), 20, "R"), PdfColumn(_("Total"), 30, "R")],
        [["Camiseta azul", "3", "30,00 €"]],
    )
    doc.totals([(_("Total"), "30,00 €")])
    data: bytes = doc.output()

Every page gets the header (shop name, address lines, tax id; the document title on the right)
and a footer with "page n / N". Tables break across pages and repeat their heading row.

Text is drawn with the PDF core font Helvetica in the Windows-1252 encoding, which holds the
Spanish and Western European letters and the euro sign (``€ ñ á ü ç``…) with no font file to
ship or find on Windows. A character outside that set prints as ``?`` instead of failing.
``PdfDocument(..., compress=False)`` writes the page streams uncompressed, so tests can look
for the encoded text (``"Peñas".encode("cp1252") in data``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from fpdf import FPDF
from sqlalchemy.orm import Session

from app.erp.context import ErpContext
from app.i18n import _
from connectors.prestashop.configuration import get_many

Align = Literal["L", "R", "C"]
ENCODING = "windows-1252"
FONT = "helvetica"
MARGIN = 15.0  # mm
LINE = 5.0  # mm, height of a text line
ROW = 6.5  # mm, height of a table row
GREY = (235, 235, 235)
LETTERHEAD_KEYS = (
    "PS_SHOP_NAME",
    "PS_SHOP_ADDR1",
    "PS_SHOP_ADDR2",
    "PS_SHOP_CODE",
    "PS_SHOP_CITY",
    "PS_SHOP_PHONE",
    "PS_SHOP_EMAIL",
    "PS_SHOP_DETAILS",
)


@dataclass(frozen=True)
class Letterhead:
    """The shop as it heads its documents."""

    name: str
    lines: tuple[str, ...] = ()  # address, postcode and city, phone, e-mail
    tax_id: str = ""  # PrestaShop's "shop details" (Shop parameters > Contact > Stores)


@dataclass(frozen=True)
class PdfColumn:
    title: str
    width: float  # mm; the widths of a table add up to at most 180 (A4 minus margins)
    align: Align = "L"


def read_letterhead(ctx: ErpContext) -> Letterhead:
    """The shop's name, address and tax id from its configuration (database: on a worker)."""
    shop = ctx.shop
    with Session(ctx.engine) as session:
        conf = get_many(session, shop.models, LETTERHEAD_KEYS, shop.id_shop, shop.id_shop_group)
    return letterhead_from_config(conf, shop.name)


def letterhead_from_config(conf: dict[str, str | None], fallback_name: str) -> Letterhead:
    def value(key: str) -> str:
        return (conf.get(key) or "").strip()

    city = " ".join(v for v in (value("PS_SHOP_CODE"), value("PS_SHOP_CITY")) if v)
    lines = [value("PS_SHOP_ADDR1"), value("PS_SHOP_ADDR2"), city]
    lines += [value("PS_SHOP_PHONE"), value("PS_SHOP_EMAIL")]
    return Letterhead(
        name=value("PS_SHOP_NAME") or fallback_name,
        lines=tuple(line for line in lines if line),
        tax_id=value("PS_SHOP_DETAILS"),
    )


def printable(text: str) -> str:
    """``text`` limited to what the core font can draw (others become ``?``)."""
    return text.encode(ENCODING, "replace").decode(ENCODING)


class _Pdf(FPDF):
    """FPDF with our running header and footer."""

    def __init__(self, title: str, head: Letterhead) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.core_fonts_encoding = ENCODING
        self.doc_title = printable(title)
        self.head = head
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(True, margin=MARGIN + 5)
        self.alias_nb_pages()

    def header(self) -> None:
        top = self.get_y()
        self.set_font(FONT, "B", 13)
        self.cell(110, 7, printable(self.head.name))
        self.set_font(FONT, "B", 12)
        self.cell(0, 7, self.doc_title, align="R", new_x="LMARGIN", new_y="NEXT")
        self.set_font(FONT, "", 9)
        for line in self.head.lines:
            self.cell(110, 4.5, printable(line), new_x="LMARGIN", new_y="NEXT")
        if self.head.tax_id:
            self.cell(110, 4.5, printable(self.head.tax_id), new_x="LMARGIN", new_y="NEXT")
        bottom = max(self.get_y(), top + 12) + 2
        self.line(MARGIN, bottom, self.w - MARGIN, bottom)
        self.set_y(bottom + 4)

    def footer(self) -> None:
        self.set_y(-MARGIN)
        self.set_font(FONT, "", 8)
        text = _("Page {page} of {pages}").format(page=self.page_no(), pages="{nb}")
        self.cell(0, 5, printable(text), align="C")


class PdfDocument:
    """An A4 document being written: header on every page, then parties, tables, totals."""

    def __init__(self, title: str, head: Letterhead, *, compress: bool = True) -> None:
        self._pdf = _Pdf(title, head)
        self._pdf.set_compression(compress)
        self._pdf.set_title(printable(title))
        self._pdf.add_page()

    @property
    def pdf(self) -> FPDF:
        """The underlying fpdf2 object, for drawings of one's own (barcodes, lines)."""
        return self._pdf

    def heading(self, text: str) -> None:
        self._pdf.set_font(FONT, "B", 11)
        self._pdf.cell(0, 7, printable(text), new_x="LMARGIN", new_y="NEXT")

    def paragraph(self, text: str, size: float = 10) -> None:
        self._pdf.set_font(FONT, "", size)
        self._pdf.multi_cell(0, LINE, printable(text), new_x="LMARGIN", new_y="NEXT")

    def party(self, title: str, lines: Sequence[str]) -> None:
        """A block such as "Supplier" or "Customer" with its name and address lines."""
        self._pdf.set_font(FONT, "B", 10)
        self._pdf.cell(0, LINE, printable(title), new_x="LMARGIN", new_y="NEXT")
        self._pdf.set_font(FONT, "", 10)
        for line in lines:
            if line:
                self._pdf.cell(0, LINE, printable(line), new_x="LMARGIN", new_y="NEXT")
        self._pdf.ln(3)

    def facts(self, pairs: Sequence[tuple[str, str]]) -> None:
        """Label: value lines (number, date, status…)."""
        for label, value in pairs:
            self._pdf.set_font(FONT, "B", 10)
            self._pdf.cell(40, LINE, printable(label))
            self._pdf.set_font(FONT, "", 10)
            self._pdf.cell(0, LINE, printable(value), new_x="LMARGIN", new_y="NEXT")
        self._pdf.ln(3)

    def table(self, columns: Sequence[PdfColumn], rows: Sequence[Sequence[str]]) -> None:
        """Rows under a grey heading row; long cells are cut to their column."""
        self._table_heading(columns)
        self._pdf.set_font(FONT, "", 9)
        for row in rows:
            if self._pdf.will_page_break(ROW):
                self._pdf.add_page()
                self._table_heading(columns)
                self._pdf.set_font(FONT, "", 9)
            for column, text in zip(columns, row, strict=False):
                cell = self._fit(printable(text), column.width)
                self._pdf.cell(column.width, ROW, cell, border="B", align=column.align)
            self._pdf.ln(ROW)
        self._pdf.ln(3)

    def _table_heading(self, columns: Sequence[PdfColumn]) -> None:
        self._pdf.set_font(FONT, "B", 9)
        self._pdf.set_fill_color(*GREY)
        for column in columns:
            title = self._fit(printable(column.title), column.width)
            self._pdf.cell(column.width, ROW, title, fill=True, align=column.align)
        self._pdf.ln(ROW)

    def _fit(self, text: str, width: float) -> str:
        room = width - 2 * self._pdf.c_margin
        while text and self._pdf.get_string_width(text) > room:
            text = text[:-1]
        return text

    def totals(self, pairs: Sequence[tuple[str, str]], *, bold_last: bool = True) -> None:
        """Right-aligned label/amount lines; the last one (the total) in bold."""
        for position, (label, value) in enumerate(pairs, start=1):
            style = "B" if bold_last and position == len(pairs) else ""
            self._pdf.set_font(FONT, style, 10)
            self._pdf.cell(140, LINE + 1, printable(label), align="R")
            self._pdf.cell(0, LINE + 1, printable(value), align="R", new_x="LMARGIN", new_y="NEXT")
        self._pdf.ln(3)

    def output(self) -> bytes:
        return bytes(self._pdf.output())
