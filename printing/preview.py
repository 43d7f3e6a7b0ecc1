"""A receipt :class:`~printing.document.Document` drawn as the paper looks, for the screen.

The same :func:`~printing.document.layout` as the ESC/POS renderer gives the lines, so wrapping
and columns are those of the paper. Sizes are in printer dots at 203 dpi (8 dots per mm): a 58 mm
roll (464 dots) prints 384 dots, an 80 mm roll (640 dots) prints 576, centred. Every character is
drawn in its own cell of ``printable / width`` dots, so columns line up with any font; a monospace
font is preferred (DejaVu Sans Mono, Consolas, Courier New), else Pillow's default. The roll starts
and ends torn at each cut; a drawer pulse prints nothing and is not shown.
"""

from __future__ import annotations

import os
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import qrcode
from barcode.codex import Code128
from PIL import Image, ImageDraw, ImageFont, ImageOps

from printing.document import WIDTH_58MM, Align, Code, CodeKind, Cut, Document, Laid, Line, layout
from printing.escpos_render import RenderOptions, qr_module_size

AnyFont = ImageFont.FreeTypeFont | ImageFont.ImageFont

DOTS_PER_MM = 8  # 203 dpi
LINE_DOTS = 30  # ESC/POS default line spacing (ESC 2), 3.75 mm
MARGIN_DOTS = 24  # paper shown above the first line and below the last one
TOOTH_DOTS = 8  # the torn edge's zigzag
BARCODE_DOTS = 80  # CODE128 height and module width, as escpos_render.code128 sends them
BARCODE_MODULE = 2
INK, PAPER, DESK = 0, 255, 205
_NOT_A_CHAR = "\U0010fffd"  # a private-use code point: no font draws it
_LOOK_ALIKES = {"€": "E", "¡": "!", "¿": "?", "«": "<", "»": ">", "–": "-", "—": "-"}

# (regular, bold) monospace faces, first found wins.
FONT_PATHS: tuple[tuple[str, str], ...] = (
    (
        "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf",
        "/usr/share/fonts/truetype/dejavu/DejaVuSansMono-Bold.ttf",
    ),
    (
        "/usr/share/fonts/dejavu-sans-mono-fonts/DejaVuSansMono.ttf",
        "/usr/share/fonts/dejavu-sans-mono-fonts/DejaVuSansMono-Bold.ttf",
    ),
    ("/usr/share/fonts/TTF/DejaVuSansMono.ttf", "/usr/share/fonts/TTF/DejaVuSansMono-Bold.ttf"),
    (r"C:\Windows\Fonts\consola.ttf", r"C:\Windows\Fonts\consolab.ttf"),
    (r"C:\Windows\Fonts\cour.ttf", r"C:\Windows\Fonts\courbd.ttf"),
    (
        "/System/Library/Fonts/Supplemental/Courier New.ttf",
        "/System/Library/Fonts/Supplemental/Courier New Bold.ttf",
    ),
)


@dataclass(frozen=True)
class Paper:
    mm: int
    printable_dots: int

    @property
    def dots(self) -> int:
        return self.mm * DOTS_PER_MM


PAPER_58MM = Paper(58, 384)
PAPER_80MM = Paper(80, 576)


def paper_for(document: Document) -> Paper:
    """32 characters a line (or fewer) is 58 mm paper; 42 or 48 is 80 mm."""
    return PAPER_58MM if document.width <= WIDTH_58MM else PAPER_80MM


def render_preview(document: Document, *, dpi_scale: int = 1) -> Image.Image:
    """``document`` as a greyscale image of the paper, ``dpi_scale`` pixels per printer dot."""
    painter = _Painter(document, max(dpi_scale, 1))
    strips: list[Image.Image] = []
    torn = True  # the roll starts where the last ticket was cut
    for item in layout(document):
        if isinstance(item, Line | Code) and torn:
            strips += [painter.edge(top=True), painter.blank(MARGIN_DOTS)]
            torn = False
        strips += painter.strips(item)
        torn = torn or isinstance(item, Cut)
    if not torn:
        strips.append(painter.blank(MARGIN_DOTS))
    return _stack(strips, painter.width)


@dataclass(frozen=True)
class Bitmap:
    """A preview as plain 8-bit grey pixels, row by row: handed from a worker to the screen."""

    width: int
    height: int
    pixels: bytes  # width * height bytes, 0 ink .. 255 paper


def preview_bitmap(document: Document, *, dpi_scale: int = 1) -> Bitmap:
    """The preview of ``document`` as a :class:`Bitmap` (the screen wraps it in an image)."""
    image = render_preview(document, dpi_scale=dpi_scale)
    return Bitmap(image.width, image.height, image.tobytes())


def save_preview(document: Document, path: str | os.PathLike[str], *, dpi_scale: int = 1) -> None:
    """Write the preview of ``document`` to ``path`` as PNG."""
    render_preview(document, dpi_scale=dpi_scale).save(Path(path), format="PNG")


def receipt_font(size: int, *, bold: bool = False) -> AnyFont:
    """The preview's font at ``size`` pixels: the first of :data:`FONT_PATHS`, else Pillow's."""
    face = _Face.load(size)
    return face.bold if bold else face.regular


@dataclass(frozen=True)
class _Face:
    regular: AnyFont
    bold: AnyFont
    faux_bold: bool  # no bold face: struck twice, a dot apart, as a printer emphasises
    height: int  # from the top of an accented capital to the bottom of a descender
    drawn: dict[str, str] = field(default_factory=dict, compare=False)

    def glyph(self, char: str) -> str:
        """``char``, or a look-alike the font has (Pillow's default font is only ASCII)."""
        if char not in self.drawn:
            self.drawn[char] = _substitute(char, self.regular)
        return self.drawn[char]

    @classmethod
    def load(cls, size: int) -> _Face:
        for regular, bold in FONT_PATHS:
            heavy = bold if os.path.isfile(bold) else regular
            try:
                font, strong = ImageFont.truetype(regular, size), ImageFont.truetype(heavy, size)
            except OSError:  # absent or unreadable: try the next one
                continue
            return cls(font, strong, heavy == regular, _height(font))
        fallback = ImageFont.load_default(size=size)
        return cls(fallback, fallback, True, _height(fallback))


def has_glyph(font: AnyFont, char: str) -> bool:
    """Whether ``font`` draws ``char`` as itself, not as its "missing glyph" box."""
    mask, missing = font.getmask(char), font.getmask(_NOT_A_CHAR)
    if mask.getbbox() is None:
        return False
    return (mask.size, bytes(mask)) != (missing.size, bytes(missing))


def _substitute(char: str, font: AnyFont) -> str:
    if has_glyph(font, char):
        return char
    base = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
    candidates = (base[:1], _LOOK_ALIKES.get(char, ""), "?")
    return next((c for c in candidates if c and has_glyph(font, c)), char)


def _height(font: AnyFont) -> int:
    return int(font.getbbox("ÁÑgjy|")[3])


def _font_size(cell: float) -> int:
    """The size whose widest glyph fills a cell of ``cell`` pixels."""
    probe = _Face.load(100).regular
    widest = max(float(probe.getlength(char)) for char in "M0")
    return max(round(100 * cell / widest), 6)


class _Painter:
    """Draws each laid-out item as a horizontal strip of the paper."""

    def __init__(self, document: Document, scale: int) -> None:
        paper = paper_for(document)
        self.scale = scale
        self.width = paper.dots * scale
        self.printable = paper.printable_dots * scale
        self.left = (self.width - self.printable) // 2
        self.cell = self.printable / document.width
        size = _font_size(self.cell)
        self.normal, self.double = _Face.load(size), _Face.load(2 * size)
        self.options = RenderOptions()

    def blank(self, dots: int, fill: int = PAPER) -> Image.Image:
        return Image.new("L", (self.width, dots * self.scale), fill)

    def strips(self, item: Laid) -> list[Image.Image]:
        if isinstance(item, Line):
            return [self.line(item)]
        if isinstance(item, Code):
            return self.code(item)
        if isinstance(item, Cut):
            feed = self.blank(LINE_DOTS * self.options.feed_before_cut)
            return [feed, self.edge(top=False)]
        return []  # a drawer pulse: nothing on the paper

    def line(self, line: Line) -> Image.Image:
        factor = 2 if line.double else 1
        image = self.blank(LINE_DOTS * factor)
        cell = self.cell * factor
        if _is_rule(line, round(self.printable / cell)):
            self.rule(image, line.text[0])
            return image
        face = self.double if line.double else self.normal
        room = self.printable - len(line.text) * cell
        x = self.left + {Align.LEFT: 0.0, Align.CENTER: room / 2, Align.RIGHT: room}[line.align]
        y = (image.height - face.height) // 2
        self.text(image, (x, y), line, face, cell)
        return image

    def text(
        self, image: Image.Image, at: tuple[float, int], line: Line, face: _Face, cell: float
    ) -> None:
        draw = ImageDraw.Draw(image)
        font = face.bold if line.bold else face.regular
        strikes = (0, self.scale) if line.bold and face.faux_bold else (0,)
        for index, char in enumerate(line.text):
            if char.isspace():
                continue
            shown = face.glyph(char)
            x = at[0] + index * cell + (cell - float(font.getlength(shown))) / 2
            for dx in strikes:
                draw.text((x + dx, at[1]), shown, font=font, fill=INK)

    def rule(self, image: Image.Image, char: str) -> None:
        """A separator as a dashed rule, a dash per character ("=" draws two)."""
        draw = ImageDraw.Draw(image)
        middle, thick = image.height // 2, self.scale * 2
        rows = (middle - 2 * thick, middle + thick) if char == "=" else (middle - thick // 2,)
        count = round(self.printable / self.cell)
        for index in range(count):
            x0 = self.left + (index + 0.2) * self.cell
            x1 = self.left + (index + 0.8) * self.cell
            for y in rows:
                draw.rectangle((x0, y, x1, y + thick - 1), fill=INK)

    def code(self, code: Code) -> list[Image.Image]:
        """The symbol centred, then its payload (unless no caption), as escpos_render prints."""
        payload = Line(code.payload, Align.CENTER)
        if code.kind is CodeKind.QR:
            size = self.options.qr_size
            if code.size_mm:
                size = qr_module_size(code.payload, code.size_mm)
            images = [self.qr(code.payload, size), self.blank(LINE_DOTS)]
            return [*images, self.line(payload)] if code.caption else images
        images = [self.code128(code.payload)]
        return [*images, self.line(payload)] if code.caption else images

    def qr(self, payload: str, size: int) -> Image.Image:
        symbol = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=0)
        symbol.add_data(payload)
        symbol.make(fit=True)
        matrix: list[list[bool]] = symbol.get_matrix()
        module = size * self.scale
        image = self.blank(len(matrix) * size)
        x0 = (self.width - len(matrix) * module) // 2
        draw = ImageDraw.Draw(image)
        for row, modules in enumerate(matrix):
            for x in (x0 + column * module for column, dark in enumerate(modules) if dark):
                y = row * module
                draw.rectangle((x, y, x + module - 1, y + module - 1), fill=INK)
        return image

    def code128(self, payload: str) -> Image.Image:
        data = payload.encode("ascii", errors="replace").decode("ascii")[:250]
        bars: str = Code128(data).build()[0] if data else ""
        module = BARCODE_MODULE * self.scale
        if len(bars) * module > self.printable:
            module = self.scale
        image = self.blank(BARCODE_DOTS)
        x0 = (self.width - len(bars) * module) // 2
        draw = ImageDraw.Draw(image)
        for index in (i for i, bar in enumerate(bars) if bar == "1"):
            x = x0 + index * module
            draw.rectangle((x, 0, x + module - 1, image.height - 1), fill=INK)
        return image

    def edge(self, *, top: bool) -> Image.Image:
        """The paper torn at a cut: a zigzag onto the desk, below a ticket or above the next."""
        tooth = TOOTH_DOTS * self.scale
        image = self.blank(TOOTH_DOTS, fill=DESK)
        points = [(0, 0), (self.width, 0)]
        points += [(x, tooth if (x // tooth) % 2 else 0) for x in range(self.width, -1, -tooth)]
        ImageDraw.Draw(image).polygon(points, fill=PAPER)
        return ImageOps.flip(image) if top else image


def _is_rule(line: Line, cells: int) -> bool:
    """A separator line: one dash or equals sign repeated across the whole width."""
    text = line.text
    return len(text) == cells and text[:1] in ("-", "=") and text == text[0] * cells


def _stack(strips: list[Image.Image], width: int) -> Image.Image:
    image = Image.new("L", (width, sum(strip.height for strip in strips) or 1), PAPER)
    y = 0
    for strip in strips:
        image.paste(strip, (0, y))
        y += strip.height
    return image
