"""The shared back-office PDF writer: the shop's letterhead, tables across pages, € and ñ."""

from __future__ import annotations

from app.erp.pdf import Letterhead, PdfColumn, PdfDocument, letterhead_from_config, printable

HEAD = Letterhead("Ferretería Peñas", ("Calle Mayor 1", "28001 Madrid"), "CIF B12345678")


def _text(data: bytes, text: str) -> bool:
    return text.encode("cp1252") in data


def test_header_table_and_totals_print_spanish_text_and_the_euro() -> None:
    doc = PdfDocument("Pedido de compra PO-000001", HEAD, compress=False)
    doc.party("Proveedor", ["Distribuciones Núñez S.L.", "Avda. de la Ñ 3"])
    doc.table(
        [PdfColumn("Producto", 100), PdfColumn("Total", 40, "R")],
        [["Tornillo ácido", "1.234,50 €"]],
    )
    doc.totals([("Total", "1.234,50 €")])
    data = doc.output()
    assert data.startswith(b"%PDF")
    for text in ("Ferretería Peñas", "CIF B12345678", "PO-000001", "Distribuciones Núñez S.L."):
        assert _text(data, text), text
    assert _text(data, "1.234,50 €")


def test_a_long_table_repeats_its_heading_on_every_page() -> None:
    doc = PdfDocument("Listado", HEAD, compress=False)
    rows = [[f"Línea {n}", str(n)] for n in range(120)]
    doc.table([PdfColumn("Cabecera única", 100), PdfColumn("N", 20, "R")], rows)
    data = doc.output()
    assert doc.pdf.page_no() >= 2
    assert data.count("Cabecera única".encode("cp1252")) == doc.pdf.page_no()
    assert _text(data, "Línea 119")


def test_characters_outside_the_font_become_question_marks() -> None:
    assert printable("Año 2024 — ok €") == "Año 2024 — ok €"
    assert printable("Zürich 東京") == "Zürich ??"


def test_letterhead_from_configuration_skips_empty_lines() -> None:
    conf = {"PS_SHOP_NAME": "Tienda", "PS_SHOP_ADDR1": "C/ Sol 2", "PS_SHOP_CODE": "41001",
            "PS_SHOP_CITY": "Sevilla", "PS_SHOP_DETAILS": "NIF 1234"}  # fmt: skip
    head = letterhead_from_config(conf, "fallback")
    assert head == Letterhead("Tienda", ("C/ Sol 2", "41001 Sevilla"), "NIF 1234")
    assert letterhead_from_config({}, "Demo").name == "Demo"
