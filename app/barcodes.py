"""Barcodes as shops use them."""

from __future__ import annotations


def barcode_forms(code: str) -> list[str]:
    """``code`` and, for a 12-digit UPC-A, the same number as an EAN13 with a leading 0 (and
    back): shops store either form and scanners send either."""
    forms = [code]
    if code.isdigit() and len(code) == 12:
        forms.append("0" + code)
    elif code.isdigit() and len(code) == 13 and code.startswith("0"):
        forms.append(code[1:])
    return forms
