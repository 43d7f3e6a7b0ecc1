"""Barcode labels for products and combinations: an A4 sheet of labels, or a label printer.

A label shows the item's name, its price with tax (the shop's base price plus the
combination's impact, taxes of the shop's country; no temporary discounts) and its EAN13 as
a barcode with the digits below. An item without a valid EAN13 gets its reference in text.

* :func:`label_sheet_pdf` draws ``copies`` of each item on sheets of sticky labels
  (:class:`SheetLayout`, default 3 × 8 labels of 70 × 37 mm), starting at any position so a
  partly used sheet can be used up.
* :func:`label_document` is the same for an ESC/POS printer (printing's document model:
  name, price large, the code as CODE128, a cut after each label); :func:`print_labels` sends
  it with ``printing.backends.print_document`` and returns its result (it never raises).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

import barcode
from fpdf import FPDF

from app.erp.context import ErpContext
from app.erp.pdf import ENCODING, FONT, printable
from app.erp.purchases import item_tax_rates
from app.errors import UserFacingError
from app.formatting import format_money
from app.i18n import _
from app.sale.rounding import ps_round
from connectors.prestashop import erp_purchase_items as items_db
from printing.backends import PrintResult, print_document
from printing.document import WIDTH_58MM, Align, Code, CodeKind, Cut, Document, Text

EAN_MODULE = 0.26  # mm per bar module: 95 modules ≈ 25 mm, scannable on 70 mm labels
A4 = (210.0, 297.0)


@dataclass(frozen=True)
class LabelItem:
    id_product: int
    id_product_attribute: int
    name: str
    reference: str
    ean13: str
    price_ti: Decimal


@dataclass(frozen=True)
class SheetLayout:
    """A sheet of labels, in millimetres."""

    columns: int = 3
    rows: int = 8
    width: float = 70.0
    height: float = 37.0
    top: float = 0.5  # margin above the first row
    left: float = 0.0
    gap_x: float = 0.0
    gap_y: float = 0.0

    @property
    def per_sheet(self) -> int:
        return self.columns * self.rows

    def check(self) -> None:
        wide = self.left + self.columns * self.width + (self.columns - 1) * self.gap_x
        high = self.top + self.rows * self.height + (self.rows - 1) * self.gap_y
        if self.columns < 1 or self.rows < 1 or wide > A4[0] + 0.01 or high > A4[1] + 0.01:
            raise UserFacingError(_("These labels do not fit on an A4 sheet."))

    def position(self, cell: int) -> tuple[float, float]:
        """Top-left corner of cell ``cell`` (0-based, row by row) on its sheet."""
        row, column = divmod(cell % self.per_sheet, self.columns)
        return (
            self.left + column * (self.width + self.gap_x),
            self.top + row * (self.height + self.gap_y),
        )


# --------------------------------------------------------------------------- items


def find_label_items(ctx: ErpContext, text: str) -> list[LabelItem]:
    """Items by EAN13, reference or name, with their price with tax."""
    with ctx.engine.connect() as conn:
        found = items_db.find_items(conn, ctx.shop, text)
    return _priced(ctx, found)


def label_items(
    ctx: ErpContext, products: Sequence[int], combos: Sequence[tuple[int, int]] = ()
) -> list[LabelItem]:
    """The items of whole products (every combination) and of single combinations."""
    with ctx.engine.connect() as conn:
        found = items_db.items_for(conn, ctx.shop, products, combos)
    return _priced(ctx, found)


def _priced(ctx: ErpContext, found: Sequence[items_db.PurchaseItem]) -> list[LabelItem]:
    rates = item_tax_rates(ctx, [item.id_tax_rules_group for item in found])
    places = ctx.shop.currency_precision
    return [
        LabelItem(
            item.id_product,
            item.id_product_attribute,
            item.name,
            item.reference,
            item.ean13,
            ps_round(
                item.price_te * (1 + rates.get(item.id_tax_rules_group, Decimal(0)) / 100), places
            ),
        )  # fmt: skip
        for item in found
    ]


def valid_ean13(code: str) -> bool:
    """13 digits whose last one is the check digit."""
    if len(code) != 13 or not code.isdigit():
        return False
    odd = sum(int(d) for d in code[0:12:2])
    even = sum(int(d) for d in code[1:12:2])
    return (10 - (odd + 3 * even) % 10) % 10 == int(code[12])


# --------------------------------------------------------------------------- A4 sheet


def label_sheet_pdf(
    items: Sequence[tuple[LabelItem, int]],
    layout: SheetLayout | None = None,
    start: int = 1,
    *,
    compress: bool = True,
) -> bytes:
    """Labels for ``(item, copies)`` from position ``start`` (1 = top left) of the first sheet."""
    layout = layout or SheetLayout()
    layout.check()
    if not 1 <= start <= layout.per_sheet:
        raise UserFacingError(
            _("The first label must be between 1 and {count}.").format(count=layout.per_sheet)
        )
    labels = [item for item, copies in items for _copy in range(max(0, copies))]
    if not labels:
        raise UserFacingError(_("Choose at least one label to print."))
    pdf = FPDF(unit="mm", format="A4")
    pdf.core_fonts_encoding = ENCODING
    pdf.set_compression(compress)
    pdf.set_auto_page_break(False)
    pdf.set_margins(0, 0, 0)
    for offset, item in enumerate(labels):
        cell = start - 1 + offset
        if offset == 0 or cell % layout.per_sheet == 0:
            pdf.add_page()
        x, y = layout.position(cell)
        _draw_label(pdf, item, x, y, layout)
    return bytes(pdf.output())


def _draw_label(pdf: FPDF, item: LabelItem, x: float, y: float, layout: SheetLayout) -> None:
    pad = 3.0
    width = layout.width - 2 * pad
    pdf.set_xy(x + pad, y + pad)
    pdf.set_font(FONT, "", 9)
    lines = pdf.multi_cell(width, 3.8, printable(item.name), dry_run=True, output="LINES")
    assert isinstance(lines, list)
    for line in lines[:2]:  # at most two lines of name
        pdf.cell(width, 3.8, str(line), new_x="LEFT", new_y="NEXT")
    pdf.set_font(FONT, "B", 14)
    pdf.set_xy(x + pad, y + pad + 8)
    pdf.cell(width, 6, printable(format_money(item.price_ti)), align="R")
    bars_top, bars_height = y + pad + 15, layout.height - pad * 2 - 19
    if valid_ean13(item.ean13) and bars_height > 4:
        _draw_ean13(pdf, item.ean13, x + pad, bars_top, bars_height)
        text = item.ean13
    else:
        text = item.reference or item.ean13
    pdf.set_font(FONT, "", 8)
    pdf.set_xy(x + pad, y + layout.height - pad - 4)
    pdf.cell(width, 4, printable(text), align="L")


def _draw_ean13(pdf: FPDF, code: str, x: float, y: float, height: float) -> None:
    modules = barcode.get("ean13", code[:12]).build()[0]
    pdf.set_fill_color(0, 0, 0)
    for index, bit in enumerate(modules):
        if bit == "1":
            pdf.rect(x + index * EAN_MODULE, y, EAN_MODULE, height, style="F")


# --------------------------------------------------------------------------- label printer


def label_document(items: Sequence[tuple[LabelItem, int]], width: int = WIDTH_58MM) -> Document:
    """The labels for a receipt/label printer: name, price, code, cut — once per copy."""
    blocks: list[Text | Code | Cut] = []
    for item, copies in items:
        for _copy in range(max(0, copies)):
            blocks.append(Text(item.name, Align.CENTER, bold=True))
            blocks.append(Text(format_money(item.price_ti), Align.CENTER, bold=True, double=True))
            code = item.ean13 if item.ean13 else item.reference
            if code:
                blocks.append(Code(code, CodeKind.CODE128))
            blocks.append(Cut())
    if not blocks:
        raise UserFacingError(_("Choose at least one label to print."))
    return Document(width, tuple(blocks))


def print_labels(
    items: Sequence[tuple[LabelItem, int]], printer: str, width: int = WIDTH_58MM
) -> PrintResult:
    """Send the labels to the ESC/POS printer ``printer`` (e.g. ``tcp:192.168.1.50``)."""
    return print_document(label_document(items, width), printer)
