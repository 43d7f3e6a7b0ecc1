"""A :class:`~printing.document.Document` as ESC/POS bytes, through python-escpos's ``Dummy``.

python-escpos's automatic encoding is not used: with the default or Epson profile it sends the euro
sign under a Greek code page, and after ``ESC @`` it does not select its code page again. Here the
printer's code page is selected explicitly right after the reset, and text is encoded by Python's
codec of that code page; a character the page lacks is transliterated ("ł" → "l", "—" → "-"),
never dropped and never an error. Cut and drawer pulse are sent as commands of their own, so a
profile without a cutter still cuts. QR codes are rendered by the printer (``GS ( k``), error
correction M.
"""

from __future__ import annotations

import enum
import unicodedata
from dataclasses import dataclass, field

import qrcode
import qrcode.constants
import qrcode.util
from escpos.printer import Dummy

from printing.document import Code, CodeKind, Cut, Document, DrawerPulse, Line, layout

_GS = b"\x1d"
_QR_EC_M = 1
DOTS_PER_MM = 8  # 203 dpi, the resolution of thermal ticket printers on 58 and 80 mm paper


@dataclass(frozen=True)
class CodePage:
    """A printer character table: its Python codec and its ``ESC t n`` number."""

    name: str
    codec: str
    table: int


CODE_PAGES = {
    page.name: page
    for page in (
        CodePage("CP858", "cp858", 19),  # CP850 with the euro sign: the default
        CodePage("CP850", "cp850", 2),
        CodePage("CP437", "cp437", 0),
        CodePage("CP1252", "cp1252", 16),
        CodePage("ISO8859-15", "iso8859_15", 40),
    )
}


class CutMode(enum.Enum):
    FULL = "full"
    PARTIAL = "partial"
    NONE = "none"


@dataclass(frozen=True)
class DrawerSettings:
    """The drawer kick: connector pin 2 or 5, pulse on and off times in milliseconds."""

    pin: int = 2
    on_ms: int = 100
    off_ms: int = 200


@dataclass(frozen=True)
class RenderOptions:
    code_page: CodePage = field(default_factory=lambda: CODE_PAGES["CP858"])
    cut: CutMode = CutMode.FULL
    drawer: DrawerSettings = field(default_factory=DrawerSettings)
    feed_before_cut: int = 4  # lines, so the last text clears the cutter
    qr_size: int = 6  # module size in dots, 1-16


_TRANSLITERATIONS = {
    "€": "EUR",
    "‘": "'",
    "’": "'",
    "‚": ",",
    "“": '"',
    "”": '"',
    "„": '"',
    "–": "-",
    "—": "-",
    "…": "...",
    "•": "*",
    "ł": "l",
    "Ł": "L",
    "ß": "ss",
    "æ": "ae",
    "Æ": "AE",
    "œ": "oe",
    "Œ": "OE",
    "ø": "o",
    "Ø": "O",
    "đ": "d",
    "Đ": "D",
    "\u00a0": " ",
}


def encode_text(text: str, page: CodePage) -> bytes:
    """``text`` in the printer's code page; what it cannot hold is transliterated, else "?"."""
    return b"".join(_encode_char(char, page.codec) for char in text)


def _encode_char(char: str, codec: str) -> bytes:
    try:
        return char.encode(codec)
    except UnicodeEncodeError:
        pass
    if char in _TRANSLITERATIONS:
        return _TRANSLITERATIONS[char].encode(codec, errors="replace")
    if unicodedata.category(char)[0] == "C":
        return b""  # control characters would be printer commands: leave them out
    stripped = "".join(
        c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c)
    )
    return stripped.encode(codec, errors="replace") if stripped else b"?"


def render(document: Document, options: RenderOptions | None = None) -> bytes:
    """The ESC/POS bytes of ``document``."""
    options = options or RenderOptions()
    writer = _Writer(Dummy(), options)
    writer.start()
    for item in layout(document):
        writer.item(item)
    return bytes(writer.printer.output)


class _Writer:
    """Sends styles only when they change; ``ESC !`` resets bold, so size goes first."""

    def __init__(self, printer: Dummy, options: RenderOptions) -> None:
        self.printer = printer
        self.options = options
        self.align = "left"
        self.bold = False
        self.double = False

    def start(self) -> None:
        self.printer.hw("INIT")
        self.printer._raw(b"\x1bt" + bytes([self.options.code_page.table]))

    def item(self, item: Line | Code | Cut | DrawerPulse) -> None:
        if isinstance(item, Line):
            self.line(item)
        elif isinstance(item, Code):
            self.code(item)
        elif isinstance(item, Cut):
            self.cut()
        else:
            self.pulse()

    def style(self, align: str, bold: bool, double: bool) -> None:
        if double != self.double:
            self.printer.set(double_width=double, double_height=double, normal_textsize=True)
            self.double, self.bold = double, False
        if bold != self.bold:
            self.printer.set(bold=bold)
            self.bold = bold
        if align != self.align:
            self.printer.set(align=align)
            self.align = align

    def line(self, line: Line) -> None:
        self.style(line.align.value, line.bold, line.double)
        self.printer._raw(encode_text(line.text, self.options.code_page) + b"\n")

    def code(self, code: Code) -> None:
        self.style("center", False, False)
        if code.kind is CodeKind.QR:
            size = qr_module_size(code.payload, code.size_mm) if code.size_mm else None
            module = size or self.options.qr_size
            self.printer.qr(code.payload, ec=_QR_EC_M, size=module, native=True)
            self.printer._raw(b"\n")
        else:
            self.printer._raw(code128(code.payload))
        if code.caption:
            self.printer._raw(encode_text(code.payload, self.options.code_page) + b"\n")

    def cut(self) -> None:
        self.style("left", False, False)
        self.printer.print_and_feed(self.options.feed_before_cut)
        if self.options.cut is CutMode.FULL:
            self.printer._raw(_GS + b"V\x00")
        elif self.options.cut is CutMode.PARTIAL:
            self.printer._raw(_GS + b"V\x01")

    def pulse(self) -> None:
        drawer = self.options.drawer
        pin = 0 if drawer.pin == 2 else 1
        on, off = _units(drawer.on_ms), _units(drawer.off_ms)
        self.printer.cashdraw([27, 112, pin, on, off])


def qr_modules(payload: str) -> int:
    """Modules a side of the QR of ``payload`` at error correction M (smallest version)."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=0)
    code.add_data(qrcode.util.QRData(payload.encode("utf-8"), mode=qrcode.util.MODE_8BIT_BYTE))
    code.make(fit=True)
    return int(code.modules_count)


def qr_module_size(payload: str, size_mm: int, dots_per_mm: int = DOTS_PER_MM) -> int:
    """The module size (dots, 1-16) printing the QR of ``payload`` closest to ``size_mm``."""
    modules = qr_modules(payload)
    return min(max(round(size_mm * dots_per_mm / modules), 1), 16)


def _units(ms: int) -> int:
    """Milliseconds in the 2 ms units of ``ESC p``, within 1..255."""
    return min(max(ms // 2, 1), 255)


def code128(payload: str) -> bytes:
    """``GS k`` CODE128 (code set B) of an ASCII payload, 80 dots high, no printed text."""
    data = b"{B" + payload.encode("ascii", errors="replace")[:250]
    height = _GS + b"h" + bytes([80])
    width = _GS + b"w" + bytes([2])
    no_text = _GS + b"H" + bytes([0])
    return height + width + no_text + _GS + b"k" + bytes([73, len(data)]) + data
