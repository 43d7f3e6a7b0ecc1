"""``RegFactuSistemaFacturacion`` SOAP messages (AEAT ``SuministroLR.xsd`` /
``SuministroInformacion.xsd``) built from stored records, and the AEAT's answers read back.

One message holds up to 1,000 records of one issuer (``ObligadoEmision``). Each record is
written from what the store kept when it was generated (its huella covers part of it), so a
record sent again is sent identically.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from app.verifactu.ledger import FiscalRecord, RecordKind

SOAP = "http://schemas.xmlsoap.org/soap/envelope/"
BASE = "https://www2.agenciatributaria.gob.es/static_files/common/internet/dep/aplicaciones/es/aeat/tike/cont/ws/"
LR = BASE + "SuministroLR.xsd"
SF = BASE + "SuministroInformacion.xsd"
MAX_RECORDS = 1000

ET.register_namespace("soapenv", SOAP)
ET.register_namespace("sum", LR)
ET.register_namespace("sum1", SF)


def _sf(parent: ET.Element, name: str, value: str | None = None) -> ET.Element:
    element = ET.SubElement(parent, f"{{{SF}}}{name}")
    if value is not None:
        element.text = value
    return element


def envelope(records: Sequence[FiscalRecord]) -> bytes:
    """The SOAP message registering ``records`` (1 to 1,000, all of one issuer)."""
    if not 1 <= len(records) <= MAX_RECORDS:
        raise ValueError(f"a message holds 1 to {MAX_RECORDS} records, not {len(records)}")
    if len({(r.issuer_nif, r.issuer_name) for r in records}) != 1:
        raise ValueError("a message holds the records of one issuer")
    root = ET.Element(f"{{{SOAP}}}Envelope")
    ET.SubElement(root, f"{{{SOAP}}}Header")
    body = ET.SubElement(root, f"{{{SOAP}}}Body")
    body.append(registration(records))
    data: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return data


def registration(records: Sequence[FiscalRecord]) -> ET.Element:
    """The ``sum:RegFactuSistemaFacturacion`` element (what the XSD describes)."""
    message = ET.Element(f"{{{LR}}}RegFactuSistemaFacturacion")
    header = ET.SubElement(message, f"{{{LR}}}Cabecera")
    issuer = _sf(header, "ObligadoEmision")
    _sf(issuer, "NombreRazon", records[0].issuer_name)
    _sf(issuer, "NIF", records[0].issuer_nif)
    for record in records:
        entry = ET.SubElement(message, f"{{{LR}}}RegistroFactura")
        if record.kind is RecordKind.ANULACION:
            _anulacion(entry, record)
        else:
            _alta(entry, record)
    return message


def _alta(parent: ET.Element, record: FiscalRecord) -> None:
    alta = _sf(parent, "RegistroAlta")
    _sf(alta, "IDVersion", "1.0")
    _invoice_id(_sf(alta, "IDFactura"), record.issuer_nif, record.number, record.issued_on)
    body = record.body
    _sf(alta, "NombreRazonEmisor", record.issuer_name)
    correction = body.get("correction")
    if correction is not None:  # a subsanación: RechazoPrevio X or S, or absent (N)
        _sf(alta, "Subsanacion", "S")
        if correction.get("rechazo_previo"):
            _sf(alta, "RechazoPrevio", correction["rechazo_previo"])
    _sf(alta, "TipoFactura", record.invoice_type)
    if body.get("rectification"):
        _sf(alta, "TipoRectificativa", body["rectification"])
    _references(alta, "FacturasRectificadas", "IDFacturaRectificada", body.get("rectified"))
    _references(alta, "FacturasSustituidas", "IDFacturaSustituida", body.get("substituted"))
    if body.get("operation_date"):
        _sf(alta, "FechaOperacion", body["operation_date"])
    _sf(alta, "DescripcionOperacion", body.get("description") or "Venta")
    if body.get("recipient"):
        _recipient(_sf(_sf(alta, "Destinatarios"), "IDDestinatario"), body["recipient"])
    _breakdown(_sf(alta, "Desglose"), body.get("breakdown") or [])
    _sf(alta, "CuotaTotal", record.tax_total)
    _sf(alta, "ImporteTotal", record.total)
    _trailer(alta, record)


def _recipient(element: ET.Element, recipient: Mapping[str, str]) -> None:
    """``IDDestinatario``: the name, then a Spanish NIF or a foreign id (``IDOtro``)."""
    _sf(element, "NombreRazon", recipient["name"])
    if recipient.get("nif"):
        _sf(element, "NIF", recipient["nif"])
        return
    other = _sf(element, "IDOtro")
    _sf(other, "CodigoPais", recipient["country"])
    _sf(other, "IDType", recipient["id_type"])
    _sf(other, "ID", recipient["id"])


def _anulacion(parent: ET.Element, record: FiscalRecord) -> None:
    anulacion = _sf(parent, "RegistroAnulacion")
    _sf(anulacion, "IDVersion", "1.0")
    invoice = _sf(anulacion, "IDFactura")
    _sf(invoice, "IDEmisorFacturaAnulada", record.issuer_nif)
    _sf(invoice, "NumSerieFacturaAnulada", record.number)
    _sf(invoice, "FechaExpedicionFacturaAnulada", record.issued_on)
    _trailer(anulacion, record)


def _trailer(element: ET.Element, record: FiscalRecord) -> None:
    """Encadenamiento, SistemaInformatico, FechaHoraHusoGenRegistro, TipoHuella, Huella."""
    chain = _sf(element, "Encadenamiento")
    previous = record.body.get("previous")
    if previous is None:
        _sf(chain, "PrimerRegistro", "S")
    else:
        before = _sf(chain, "RegistroAnterior")
        _invoice_id(before, previous["nif"], previous["number"], previous["issued_on"])
        _sf(before, "Huella", previous["hash"])
    _system(_sf(element, "SistemaInformatico"), record.body["system"])
    _sf(element, "FechaHoraHusoGenRegistro", record.generated_at)
    _sf(element, "TipoHuella", "01")
    _sf(element, "Huella", record.hash)


def _invoice_id(element: ET.Element, nif: str, number: str, issued_on: str) -> None:
    _sf(element, "IDEmisorFactura", nif)
    _sf(element, "NumSerieFactura", number)
    _sf(element, "FechaExpedicionFactura", issued_on)


def _references(
    parent: ET.Element, group: str, name: str, refs: Sequence[Mapping[str, str]] | None
) -> None:
    if not refs:
        return
    element = _sf(parent, group)
    for ref in refs:
        _invoice_id(_sf(element, name), ref["nif"], ref["number"], ref["issued_on"])


def _breakdown(element: ET.Element, rows: Sequence[Mapping[str, str]]) -> None:
    for row in rows:
        detail = _sf(element, "DetalleDesglose")
        _sf(detail, "Impuesto", "01")  # IVA
        _sf(detail, "ClaveRegimen", "01")  # general regime
        _sf(detail, "CalificacionOperacion", "S1")  # subject, not exempt, no reverse charge
        _sf(detail, "TipoImpositivo", row["rate"])
        _sf(detail, "BaseImponibleOimporteNoSujeto", row["base"])
        _sf(detail, "CuotaRepercutida", row["quota"])


def _system(element: ET.Element, system: Mapping[str, Any]) -> None:
    _sf(element, "NombreRazon", system["producer_name"])
    _sf(element, "NIF", system["producer_nif"])
    _sf(element, "NombreSistemaInformatico", system["name"])
    _sf(element, "IdSistemaInformatico", system["system_id"])
    _sf(element, "Version", system["version"])
    _sf(element, "NumeroInstalacion", system["installation"])
    _sf(element, "TipoUsoPosibleSoloVerifactu", "S" if system["only_verifactu"] else "N")
    _sf(element, "TipoUsoPosibleMultiOT", "S" if system["multi_taxpayer"] else "N")
    _sf(element, "IndicadorMultiplesOT", "S" if system["several_taxpayers"] else "N")


# --- The AEAT's answer ----------------------------------------------------------------------


@dataclass(frozen=True)
class LineAnswer:
    number: str  # NumSerieFactura
    operation: str  # "Alta" or "Anulacion"
    status: str  # Correcto, AceptadoConErrores, Incorrecto
    code: str = ""
    description: str = ""


@dataclass(frozen=True)
class Answer:
    wait_seconds: int | None  # TiempoEsperaEnvio
    status: str  # EstadoEnvio: Correcto, ParcialmenteCorrecto, Incorrecto
    csv: str
    lines: tuple[LineAnswer, ...]


@dataclass(frozen=True)
class Fault:
    """A SOAP fault: ``server`` when the AEAT failed (send again later), else the message."""

    server: bool
    code: str
    text: str


def read_answer(data: bytes) -> Answer | Fault:
    """The AEAT's answer to a registration message; ValueError when it is neither."""
    root = ET.fromstring(data)
    fault = _first(root, "Fault")
    if fault is not None:
        code = _text(fault, "faultcode")
        return Fault("server" in code.lower(), code, _text(fault, "faultstring"))
    answer = _first(root, "RespuestaRegFactuSistemaFacturacion")
    if answer is None:
        raise ValueError("not an answer to RegFactuSistemaFacturacion")
    wait = _text(answer, "TiempoEsperaEnvio")
    lines = tuple(_line(line) for line in answer.iter() if _local(line.tag) == "RespuestaLinea")
    return Answer(
        int(wait) if wait.isdigit() else None,
        _text(answer, "EstadoEnvio"),
        _text(answer, "CSV"),
        lines,
    )


def _line(element: ET.Element) -> LineAnswer:
    invoice = _first(element, "IDFactura")
    number = _text(invoice, "NumSerieFactura") if invoice is not None else ""
    return LineAnswer(
        number=number or _text(element, "NumSerieFacturaAnulada"),
        operation=_text(element, "TipoOperacion") or "Alta",
        status=_text(element, "EstadoRegistro"),
        code=_text(element, "CodigoErrorRegistro"),
        description=_text(element, "DescripcionErrorRegistro"),
    )


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _first(element: ET.Element, name: str) -> ET.Element | None:
    return next((e for e in element.iter() if _local(e.tag) == name), None)


def _text(element: ET.Element, name: str) -> str:
    found = _first(element, name)
    return (found.text or "").strip() if found is not None else ""
