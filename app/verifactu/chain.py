"""The fingerprint ("huella") of a VERI*FACTU record and the checks of a chain of them.

The AEAT's specification ("Detalle de las especificaciones técnicas para generación de la huella
o hash de los registros de facturación"): the fields below, in this order, as ``name=value``
joined by ``&``, values trimmed, amounts with two decimals, the previous record's huella (empty
for the first record of the chain), the generation moment in ISO 8601 with its offset; SHA-256
of the UTF-8 text, in uppercase hexadecimal.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

_CENT = Decimal("0.01")


@dataclass(frozen=True)
class AltaFields:
    """The fields of a registration record (RegistroAlta) that its huella covers."""

    issuer_nif: str  # IDEmisorFactura
    number: str  # NumSerieFactura
    issued_on: str  # FechaExpedicionFactura, dd-mm-yyyy
    invoice_type: str  # TipoFactura: F1, F2, F3, R5…
    tax_total: str  # CuotaTotal, "12.35"
    total: str  # ImporteTotal, "123.45"
    previous_hash: str  # Huella of the previous record, "" for the first
    generated_at: str  # FechaHoraHusoGenRegistro, "2024-01-01T19:20:30+01:00"


@dataclass(frozen=True)
class AnulacionFields:
    """The fields of an annulment record (RegistroAnulacion) that its huella covers."""

    issuer_nif: str  # IDEmisorFacturaAnulada
    number: str  # NumSerieFacturaAnulada
    issued_on: str  # FechaExpedicionFacturaAnulada, dd-mm-yyyy
    previous_hash: str
    generated_at: str


def alta_text(fields: AltaFields) -> str:
    return _joined(
        ("IDEmisorFactura", fields.issuer_nif),
        ("NumSerieFactura", fields.number),
        ("FechaExpedicionFactura", fields.issued_on),
        ("TipoFactura", fields.invoice_type),
        ("CuotaTotal", fields.tax_total),
        ("ImporteTotal", fields.total),
        ("Huella", fields.previous_hash),
        ("FechaHoraHusoGenRegistro", fields.generated_at),
    )


def anulacion_text(fields: AnulacionFields) -> str:
    return _joined(
        ("IDEmisorFacturaAnulada", fields.issuer_nif),
        ("NumSerieFacturaAnulada", fields.number),
        ("FechaExpedicionFacturaAnulada", fields.issued_on),
        ("Huella", fields.previous_hash),
        ("FechaHoraHusoGenRegistro", fields.generated_at),
    )


def huella(fields: AltaFields | AnulacionFields) -> str:
    """The record's huella: 64 uppercase hexadecimal characters."""
    text = alta_text(fields) if isinstance(fields, AltaFields) else anulacion_text(fields)
    return hashlib.sha256(text.encode("utf-8")).hexdigest().upper()


def _joined(*pairs: tuple[str, str]) -> str:
    return "&".join(f"{name}={value.strip()}" for name, value in pairs)


def amount(value: Decimal) -> str:
    """An amount as the AEAT writes it: two decimals, a dot, a minus sign when negative."""
    return str(value.quantize(_CENT, ROUND_HALF_UP))


def aeat_date(day: date) -> str:
    """``date(2024, 1, 1)`` → ``"01-01-2024"``."""
    return day.strftime("%d-%m-%Y")


def generated_at(moment: datetime) -> str:
    """An aware moment in ISO 8601 to the second with its offset: 2024-01-01T19:20:30+01:00."""
    if moment.tzinfo is None:
        moment = moment.astimezone()
    return moment.replace(microsecond=0).isoformat()


def parse_generated_at(text: str) -> datetime:
    return datetime.fromisoformat(text)
