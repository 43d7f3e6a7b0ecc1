"""Receipt previews: the paper as an image, laid out exactly as it prints."""

from __future__ import annotations

import gettext
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image, ImageChops

from app import i18n
from printing import preview
from printing.document import (
    Align,
    Code,
    CodeKind,
    Columns,
    Cut,
    Document,
    DrawerPulse,
    Separator,
    Text,
)
from printing.preview import (
    LINE_DOTS,
    PAPER_58MM,
    PAPER_80MM,
    has_glyph,
    receipt_font,
    render_preview,
    save_preview,
)
from printing.receipt import ReceiptOptions, build_receipt
from printing.sample import sample_shop, sample_ticket

DARK = 128


@pytest.fixture(autouse=True)
def spanish_source_strings() -> Iterator[None]:
    previous = (i18n._State.translation, i18n._State.language)
    i18n._State.translation, i18n._State.language = gettext.NullTranslations(), "es"
    yield
    i18n._State.translation, i18n._State.language = previous


def _receipt(width: int, *, gift: bool = False) -> Document:
    return build_receipt(sample_ticket(), sample_shop(), ReceiptOptions(width=width, gift=gift))


def _ink_box(image: Image.Image) -> tuple[int, int, int, int]:
    """The bounding box of the dark pixels (text, codes), ignoring the grey torn edges."""
    box = image.point(lambda v: 255 if v < DARK else 0).getbbox()
    assert box is not None
    return box


def _dark_pixels(image: Image.Image) -> int:
    return sum(image.histogram()[:DARK])


def _pixel(image: Image.Image, x: int, y: int) -> int:
    value = image.getpixel((x, y))
    assert isinstance(value, int)  # greyscale
    return value


@pytest.mark.parametrize(("width", "paper"), [(32, PAPER_58MM), (42, PAPER_80MM), (48, PAPER_80MM)])
def test_image_is_as_wide_as_the_roll(width: int, paper: preview.Paper) -> None:
    image = render_preview(_receipt(width))
    assert image.width == paper.mm * 8
    assert render_preview(_receipt(width), dpi_scale=2).width == 2 * paper.mm * 8
    left, _, right, _ = _ink_box(image)
    margin = (image.width - paper.printable_dots) // 2
    assert left >= margin and right <= image.width - margin  # nothing outside the printable dots


def test_roll_widths_in_dots() -> None:
    assert (PAPER_58MM.dots, PAPER_58MM.printable_dots) == (464, 384)
    assert (PAPER_80MM.dots, PAPER_80MM.printable_dots) == (640, 576)


def test_height_grows_with_the_lines() -> None:
    one = render_preview(Document(32, (Text("uno"),)))
    five = render_preview(Document(32, (Text("uno\ndos\ntres\ncuatro\ncinco"),)))
    assert five.height - one.height == 4 * LINE_DOTS
    double = render_preview(Document(32, (Text("uno", double=True),)))
    assert double.height - one.height == LINE_DOTS


def test_wrapping_follows_the_layout() -> None:
    long = Text("palabra " * 12)  # 96 characters: 3 lines of 32, 2 of 48
    narrow = render_preview(Document(32, (long,)))
    wide = render_preview(Document(48, (long,)))
    assert narrow.height - wide.height == LINE_DOTS


def test_qr_block_is_a_dark_square_with_finder_patterns() -> None:
    image = render_preview(Document(32, (Code("1", CodeKind.QR),)))
    left, top, right, _ = _ink_box(image)
    side = right - left
    module = 6  # RenderOptions().qr_size
    assert side % module == 0 and (side // module - 17) % 4 == 0  # 21, 25, 29... modules
    assert abs((left + right) / 2 - image.width / 2) <= 1  # centred
    square = image.crop((left, top, right, top + side))
    assert 0.3 < _dark_pixels(square) / side**2 < 0.75
    for x, y in ((0, 0), (side - 7 * module, 0), (0, side - 7 * module)):  # three finders
        ring = _pixel(square, x + module // 2, y + module // 2)
        gap = _pixel(square, x + module + module // 2, y + module + module // 2)
        eye = _pixel(square, x + 3 * module + module // 2, y + 3 * module + module // 2)
        assert (ring, gap, eye) == (0, 255, 0)


def test_receipt_qr_and_payload_are_printed() -> None:
    with_code = render_preview(_receipt(32))
    options = ReceiptOptions(width=32, code=None)
    without = render_preview(build_receipt(sample_ticket(), sample_shop(), options))
    assert with_code.height > without.height + 21 * 6


def test_code128_draws_bars() -> None:
    image = render_preview(Document(48, (Code("T1-2026-000123", CodeKind.CODE128),)))
    left, top, right, _ = _ink_box(image)
    row = [_pixel(image, x, top + 10) for x in range(left, right)]
    changes = sum(1 for a, b in zip(row, row[1:], strict=False) if a != b)
    assert changes > 40  # bars and spaces, not a block
    assert right - left <= PAPER_80MM.printable_dots


def test_euro_and_enye_have_glyphs() -> None:
    for bold in (False, True):
        font = receipt_font(20, bold=bold)
        for char in "€ñÑáé¡¿":
            assert font.getmask(char).getbbox() is not None
            assert has_glyph(font, char), char
    image = render_preview(Document(32, (Text("€ ñ"),)))
    assert _dark_pixels(image) > 20


def test_gift_ticket_is_shorter_than_the_sale() -> None:
    sale = render_preview(_receipt(32))
    gift = render_preview(_receipt(32, gift=True))
    assert gift.height < sale.height


def test_drawer_pulse_prints_nothing() -> None:
    text = (Text("Hola"), Cut())
    plain = render_preview(Document(32, text))
    pulsed = render_preview(Document(32, (DrawerPulse(), *text)))
    assert ImageChops.difference(plain, pulsed).getbbox() is None


def test_bold_is_darker_and_alignment_as_printed() -> None:
    regular = render_preview(Document(32, (Text("Total"),)))
    bold = render_preview(Document(32, (Text("Total", bold=True),)))
    assert _dark_pixels(bold) > _dark_pixels(regular)
    margin = (PAPER_58MM.dots - PAPER_58MM.printable_dots) // 2
    centred = _ink_box(render_preview(Document(32, (Text("AB", Align.CENTER),))))
    assert abs((centred[0] + centred[2]) / 2 - PAPER_58MM.dots / 2) <= 3
    right = _ink_box(render_preview(Document(32, (Columns("Total", "9,99 €"),))))
    assert PAPER_58MM.dots - margin - 12 <= right[2] <= PAPER_58MM.dots - margin


def test_separator_is_a_dashed_rule() -> None:
    image = render_preview(Document(32, (Separator(),)))
    left, top, right, bottom = _ink_box(image)
    row = [_pixel(image, x, (top + bottom) // 2) for x in range(left, right)]
    gaps = sum(1 for a, b in zip(row, row[1:], strict=False) if a < DARK <= b)
    assert gaps == 31  # 32 dashes
    assert bottom - top <= 4


def test_a_cut_tears_the_paper() -> None:
    image = render_preview(Document(32, (Text("uno"), Cut(), Text("dos"), Cut())))
    column = [_pixel(image, 4, y) for y in range(image.height)]
    assert column[-1] != 255 and column[0] != 255  # torn at both ends
    middle = column[LINE_DOTS:-LINE_DOTS]
    assert any(v not in (0, 255) for v in middle)  # torn between the two tickets


def test_works_without_truetype_fonts(monkeypatch: pytest.MonkeyPatch) -> None:
    with_font = render_preview(_receipt(32))
    monkeypatch.setattr(preview, "FONT_PATHS", ())
    image = render_preview(_receipt(32))
    assert image.size == with_font.size  # the same lines, the same paper
    assert _dark_pixels(image) > 1000
    font = receipt_font(20)
    assert font.getmask("€").getbbox() is not None
    # Pillow's default font is ASCII: "ñ" and "€" are drawn as look-alikes, not as boxes.
    with_accents = render_preview(Document(32, (Text("ñ€"),)))
    plain = render_preview(Document(32, (Text("nE"),)))
    assert ImageChops.difference(with_accents, plain).getbbox() is None


def test_save_preview_writes_a_png(tmp_path: Path) -> None:
    path = tmp_path / "ticket.png"
    save_preview(_receipt(48), path)
    with Image.open(path) as image:
        assert image.format == "PNG"
        assert image.size == render_preview(_receipt(48)).size
