"""VERI*FACTU huella and QR: the AEAT's published vectors, amounts, dates and URL encoding."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from decimal import Decimal as D

from app.verifactu.chain import (
    AltaFields,
    AnulacionFields,
    aeat_date,
    alta_text,
    amount,
    generated_at,
    huella,
)
from app.verifactu.qr import Environment, qr_url

# "Detalle de las especificaciones técnicas para generación de la huella o hash", AEAT.
FIRST = "3C464DAF61ACB827C65FDA19F352A4E3BDC2C640E9E9FC4CC058073F38F12F60"
SECOND = "F7B94CFD8924EDFF273501B01EE5153E4CE8F259766F88CF6ACB8935802A2B97"
ANNULMENT = "177547C0D57AC74748561D054A9CEC14B4C4EA23D1BEFD6F2E69E3A388F90C68"


def _alta(number: str, previous: str, moment: str, kind: str = "F1") -> AltaFields:
    return AltaFields("89890001K", number, "01-01-2024", kind, "12.35", "123.45", previous, moment)


def test_first_record_of_a_chain_matches_the_aeat_vector() -> None:
    fields = _alta("12345678/G33", "", "2024-01-01T19:20:30+01:00")
    assert alta_text(fields) == (
        "IDEmisorFactura=89890001K&NumSerieFactura=12345678/G33&FechaExpedicionFactura="
        "01-01-2024&TipoFactura=F1&CuotaTotal=12.35&ImporteTotal=123.45&Huella="
        "&FechaHoraHusoGenRegistro=2024-01-01T19:20:30+01:00"
    )
    assert huella(fields) == FIRST


def test_chained_record_matches_the_aeat_vector() -> None:
    assert huella(_alta("12345679/G34", FIRST, "2024-01-01T19:20:35+01:00")) == SECOND


def test_annulment_record_matches_the_aeat_vector() -> None:
    fields = AnulacionFields(
        "89890001K", "12345679/G34", "01-01-2024", SECOND, "2024-01-01T19:20:40+01:00"
    )
    assert huella(fields) == ANNULMENT


def test_values_are_trimmed_and_any_change_changes_the_huella() -> None:
    spaced = AltaFields(
        " 89890001K ",
        " 12345678/G33",
        "01-01-2024 ",
        "F1",
        " 12.35",
        "123.45 ",
        "",
        " 2024-01-01T19:20:30+01:00",
    )
    assert huella(spaced) == FIRST
    simplified = _alta("12345678/G33", "", "2024-01-01T19:20:30+01:00", kind="F2")
    assert huella(simplified) != FIRST
    assert len(huella(simplified)) == 64 and huella(simplified) == huella(simplified).upper()


def test_amounts_always_have_two_decimals_and_dates_are_day_first() -> None:
    assert amount(D("123.4")) == "123.40"
    assert amount(D("5")) == "5.00"
    assert amount(D("-2.105")) == "-2.11"
    assert amount(D("0")) == "0.00"
    assert aeat_date(date(2024, 1, 1)) == "01-01-2024"
    madrid = timezone(timedelta(hours=1))
    assert generated_at(datetime(2024, 1, 1, 19, 20, 30, 999, madrid)) == (
        "2024-01-01T19:20:30+01:00"
    )
    assert generated_at(datetime(2024, 7, 1, 9, 0)).startswith("2024-07-01T09:00:00")


def test_qr_url_is_the_aeat_validation_address_with_encoded_values() -> None:
    url = qr_url("89890001K", "12345678&G33", "01-01-2024", "241.40", Environment.PRODUCTION)
    assert url == (
        "https://www2.agenciatributaria.gob.es/wlpl/TIKE-CONT/ValidarQR?nif=89890001K"
        "&numserie=12345678%26G33&fecha=01-01-2024&importe=241.40"
    )
    test = qr_url("89890001K", "T1-R-2026-000001", "02-01-2026", "-3.10", Environment.TEST)
    assert test == (
        "https://prewww2.aeat.es/wlpl/TIKE-CONT/ValidarQR?nif=89890001K"
        "&numserie=T1-R-2026-000001&fecha=02-01-2026&importe=-3.10"
    )
