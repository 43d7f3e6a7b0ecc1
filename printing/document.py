"""A printer-agnostic receipt document: what goes on the paper, not how a printer is told.

A :class:`Document` is a width (in characters of the printer's normal font: 32 on 58 mm paper,
48 on 80 mm, 42 on some 80 mm printers) and a sequence of frozen blocks. :func:`layout` resolves
every text block to the exact lines the paper shows, so the ESC/POS renderer, the image preview and
the tests all agree on wrapping and columns.
"""

from __future__ import annotations

import enum
import textwrap
from dataclasses import dataclass

WIDTH_58MM = 32
WIDTH_80MM = 48


class Align(enum.Enum):
    LEFT = "left"
    CENTER = "center"
    RIGHT = "right"


class CodeKind(enum.Enum):
    QR = "qr"
    CODE128 = "code128"


@dataclass(frozen=True)
class Text:
    """A paragraph, wrapped to the paper width (half of it when ``double``)."""

    text: str
    align: Align = Align.LEFT
    bold: bool = False
    double: bool = False  # double width and double height


@dataclass(frozen=True)
class Separator:
    char: str = "-"


@dataclass(frozen=True)
class Columns:
    """A label on the left and a value on the right; a long label wraps above the value."""

    left: str
    right: str
    bold: bool = False
    double: bool = False


@dataclass(frozen=True)
class Blank:
    lines: int = 1


@dataclass(frozen=True)
class Code:
    """A QR code or a CODE128 barcode, centered, with its payload printed below (``caption``).

    ``size_mm``: a QR printed at about that size on the paper (the printer's module size is
    chosen for it); 0 leaves the printer's default module size.
    """

    payload: str
    kind: CodeKind = CodeKind.QR
    caption: bool = True
    size_mm: int = 0


@dataclass(frozen=True)
class Cut:
    """End of the ticket: feed and cut (how, or whether, is the printer's setting)."""


@dataclass(frozen=True)
class DrawerPulse:
    """Open the cash drawer (pin and timings are the printer's setting)."""


Block = Text | Separator | Columns | Blank | Code | Cut | DrawerPulse


@dataclass(frozen=True)
class Document:
    width: int
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Line:
    """One printed line of text, as laid out: ``text`` fits the width (counting double chars)."""

    text: str
    align: Align = Align.LEFT
    bold: bool = False
    double: bool = False


Laid = Line | Code | Cut | DrawerPulse


def layout(document: Document) -> tuple[Laid, ...]:
    """The document as printed lines and the non-text blocks, in order."""
    laid: list[Laid] = []
    for block in document.blocks:
        laid.extend(_lay_block(block, document.width))
    return tuple(laid)


def _lay_block(block: Block, width: int) -> list[Laid]:
    if isinstance(block, Text):
        columns = width // 2 if block.double else width
        return [Line(t, block.align, block.bold, block.double) for t in wrap(block.text, columns)]
    if isinstance(block, Separator):
        return [Line((block.char or "-") * width)]
    if isinstance(block, Columns):
        columns = width // 2 if block.double else width
        return [Line(t, bold=block.bold, double=block.double) for t in two_columns(block, columns)]
    if isinstance(block, Blank):
        return [Line("")] * block.lines
    return [block]


def wrap(text: str, width: int) -> list[str]:
    """``text`` wrapped to ``width`` (words longer than the width are split); "" stays a line."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        lines.extend(textwrap.wrap(paragraph, width, break_on_hyphens=False) or [""])
    return lines


def two_columns(row: Columns, width: int) -> list[str]:
    """``left`` padded so that ``right`` ends at the last column; wraps a label that is too long."""
    right = row.right[:width]
    room = width - len(right) - 1 if right else width
    labels = wrap(row.left, max(room, 1))
    last = labels[-1]
    if len(last) + len(right) + (1 if right else 0) > width:
        labels.append("")
        last = ""
    labels[-1] = last + " " * (width - len(last) - len(right)) + right
    return labels


def plain_text(document: Document) -> str:
    """The document's text as the paper shows it (aligned in spaces), for logs and tests."""
    rows: list[str] = []
    for item in layout(document):
        if isinstance(item, Line):
            rows.append(aligned(item, document.width))
        elif isinstance(item, Code):
            rows.append(f"[{item.kind.value}: {item.payload}]")
    return "\n".join(rows)


def aligned(line: Line, width: int) -> str:
    """The line padded with spaces as the printer aligns it (in character cells of its size)."""
    cells = width // 2 if line.double else width
    if line.align is Align.CENTER:
        return line.text.center(cells).rstrip()
    if line.align is Align.RIGHT:
        return line.text.rjust(cells)
    return line.text
