"""The recipient of a full invoice: Spanish tax ids checked by their control character, foreign
ids, and a plain message saying what is wrong."""

from __future__ import annotations

import pytest

from app.verifactu.recipient import (
    FOREIGN_ID,
    NIF,
    PASSPORT,
    VAT,
    Recipient,
    RecipientRefused,
    checked,
    spanish_tax_id,
)


@pytest.mark.parametrize(
    "typed, normalized",
    [
        ("12345678Z", "12345678Z"),  # DNI
        ("12.345.678-z", "12345678Z"),
        ("X1234567L", "X1234567L"),  # NIE
        ("Y1234567X", "Y1234567X"),
        ("Z1234567R", "Z1234567R"),
        ("B12345674", "B12345674"),  # company: digit control
        ("A58818501", "A58818501"),
        ("Q2826000H", "Q2826000H"),  # public body: letter control
        ("G12345674", "G12345674"),  # association: either
        ("G1234567D", "G1234567D"),
        ("K1234567L", "K1234567L"),  # K, L, M: as a DNI on the 7 digits
        ("89890001K", "89890001K"),  # the AEAT's test NIF
    ],
)
def test_valid_spanish_tax_ids(typed: str, normalized: str) -> None:
    assert spanish_tax_id(typed) == normalized


@pytest.mark.parametrize(
    "typed, message",
    [
        ("12345678A", "The check letter of 12345678A is wrong: it should be Z."),
        ("X1234567A", "it should be L"),
        ("B12345678", "The check character of B12345678 is wrong: it should be 4."),
        ("Q2826000A", "it should be H"),
        ("G12345670", "it should be 4 or D"),
        ("1234567Z", "A Spanish tax id has 9 characters; «1234567Z» has 8."),
        ("B1234X674", "the 2nd to 8th characters of a tax id are digits"),
        ("I12345674", "it cannot start with «I»"),
    ],
)
def test_wrong_spanish_tax_ids_say_what_is_wrong(typed: str, message: str) -> None:
    with pytest.raises(RecipientRefused) as refused:
        spanish_tax_id(typed)
    assert message in refused.value.message


def _recipient(**changes: str) -> Recipient:
    values = {
        "name": "  Ferretería   Acme SL ",
        "tax_id": "b-12345674",
        "address": "C/ Mayor 2",
        "postcode": "28013",
        "city": "Madrid",
    }
    return Recipient(**(values | changes))


def test_a_recipient_is_trimmed_and_normalized() -> None:
    clean = checked(_recipient())
    assert (clean.name, clean.tax_id, clean.id_type, clean.country) == (
        "Ferretería Acme SL",
        "B12345674",
        NIF,
        "ES",
    )
    assert clean.address_lines() == ("C/ Mayor 2", "28013 Madrid")


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"name": " "}, "Type the customer's name"),
        ({"name": "Acme <SL>"}, "none of <"),
        ({"tax_id": ""}, "Type the customer's tax id"),
        ({"address": ""}, "Type the customer's address"),
        ({"postcode": ""}, "Type the customer's postcode"),
        ({"city": ""}, "Type the customer's town"),
        ({"tax_id": "FR123", "id_type": VAT, "country": "DE"}, "starts with the country's"),
        ({"tax_id": "AB123", "id_type": PASSPORT, "country": "ES"}, "needs the customer's country"),
        ({"tax_id": "A" * 21, "id_type": PASSPORT, "country": "US"}, "20 at most"),
    ],
)
def test_what_a_full_invoice_needs_is_asked_for(changes: dict[str, str], message: str) -> None:
    with pytest.raises(RecipientRefused) as refused:
        checked(_recipient(**changes))
    assert message in refused.value.message


def test_foreign_ids_and_spanish_vat_numbers() -> None:
    french = checked(_recipient(tax_id="fr 12345678901", id_type=VAT, country="fr"))
    assert (french.tax_id, french.country, french.id_type) == ("FR12345678901", "FR", VAT)
    assert french.address_lines()[-1] == "FR"
    greek = checked(_recipient(tax_id="EL123456789", id_type=VAT, country="GR"))
    assert greek.tax_id == "EL123456789"
    spanish = checked(_recipient(tax_id="ESB12345674", id_type=VAT, country="ES"))
    assert (spanish.tax_id, spanish.id_type) == ("B12345674", NIF)
    passport = checked(_recipient(tax_id="XK1234567", id_type=FOREIGN_ID, country="US"))
    assert passport.id_type == FOREIGN_ID and passport.is_spanish_nif is False
