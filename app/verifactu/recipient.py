"""Who a full invoice is issued to: name, tax id and address, checked before anything is issued.

A full invoice (F1, F3, and the R1 rectifying one) names its recipient (RD 1619/2012 art. 6:
name, tax id and address). In the AEAT record the recipient is ``IDDestinatario``: its
``NombreRazon`` and either its Spanish ``NIF`` or, for a foreign id, ``IDOtro`` (country code,
id type, id). :func:`checked` trims and checks what the cashier typed and says plainly what is
wrong; Spanish tax ids are checked with their control character (:func:`spanish_tax_id`).

Id types (``IDOtro/IDType``): 02 EU VAT number (NIF-IVA), 03 passport, 04 official id of the
country of residence, 05 residence certificate, 06 other document. A VAT number starting with
``ES`` is a Spanish NIF and is recorded as one (the AEAT refuses IDOtro for Spanish ids).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass, replace
from typing import Any

from app.errors import UserFacingError
from app.i18n import _

NIF = "NIF"  # a Spanish NIF / NIE / CIF, written as <NIF>
VAT = "02"
PASSPORT = "03"
FOREIGN_ID = "04"
ID_TYPES = (NIF, VAT, PASSPORT, FOREIGN_ID, "05", "06")
MAX_NAME = 120  # NombreRazon
MAX_FOREIGN_ID = 20  # IDOtro/ID
_DNI_LETTERS = "TRWAGMYFPDXBNJZSQVHLCKE"
_CIF_LETTERS = "JABCDEFGHI"
_NOT_IN_NAME = re.compile(r"[<>\"'=]")  # refused in names by the AEAT's validations
_FOREIGN = re.compile(r"^[A-Z0-9]+$")
_VAT = re.compile(r"^[A-Z]{2}[A-Z0-9+*]{2,18}$")


class RecipientRefused(UserFacingError):
    """The recipient's data are not enough for a full invoice, or a tax id is not valid."""


@dataclass(frozen=True)
class Recipient:
    name: str  # the company's name, or the person's full name
    tax_id: str
    address: str
    postcode: str
    city: str
    country: str = "ES"  # ISO 3166-1 alpha-2
    id_type: str = NIF

    @property
    def is_spanish_nif(self) -> bool:
        return self.id_type == NIF

    def address_lines(self) -> tuple[str, ...]:
        place = " ".join(part for part in (self.postcode, self.city) if part)
        lines = [self.address, place]
        if self.country != "ES":
            lines.append(self.country)
        return tuple(line for line in lines if line)

    def as_dict(self) -> dict[str, str]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Recipient:
        names = cls.__dataclass_fields__
        return cls(**{name: str(data[name]) for name in names if name in data})


def checked(recipient: Recipient) -> Recipient:
    """``recipient`` trimmed and checked; :class:`RecipientRefused` says what is wrong."""
    clean = Recipient(*(" ".join(str(value).split()) for value in asdict(recipient).values()))
    clean = replace(clean, country=clean.country.upper() or "ES", tax_id=clean.tax_id.upper())
    if not clean.name:
        raise RecipientRefused(_("Type the customer's name or company name for the invoice."))
    if len(clean.name) > MAX_NAME or _NOT_IN_NAME.search(clean.name):
        raise RecipientRefused(
            _("The name has at most {n} characters and none of < > \" ' =.").format(n=MAX_NAME)
        )
    clean = _checked_id(clean)
    for value, label in (
        (clean.address, _("address")),
        (clean.postcode, _("postcode")),
        (clean.city, _("town")),
    ):
        if not value:
            raise RecipientRefused(
                _("Type the customer's {field} for the invoice.").format(field=label)
            )
    return clean


def _checked_id(recipient: Recipient) -> Recipient:
    tax_id = re.sub(r"[\s.\-/]", "", recipient.tax_id)
    if not tax_id:
        raise RecipientRefused(_("Type the customer's tax id (NIF, NIE or VAT number)."))
    if recipient.id_type not in ID_TYPES:
        raise RecipientRefused(_("Choose the kind of id of the customer."))
    if recipient.id_type == VAT and tax_id.startswith("ES"):
        return replace(recipient, tax_id=spanish_tax_id(tax_id[2:]), id_type=NIF, country="ES")
    if recipient.id_type == NIF:
        return replace(recipient, tax_id=spanish_tax_id(tax_id), country="ES")
    if not re.fullmatch(r"[A-Z]{2}", recipient.country) or recipient.country == "ES":
        raise RecipientRefused(
            _("A foreign id needs the customer's country as two letters (FR, DE, PT…).")
        )
    prefix = _vat_prefix(recipient.country)
    if recipient.id_type == VAT and not (_VAT.match(tax_id) and tax_id[:2] == prefix):
        raise RecipientRefused(
            _("A VAT number starts with the country's two letters ({country}…).").format(
                country=prefix
            )
        )
    if len(tax_id) > MAX_FOREIGN_ID or not _FOREIGN.match(tax_id.strip("+*")):
        raise RecipientRefused(
            _("A foreign id has letters and digits only, {n} at most.").format(n=MAX_FOREIGN_ID)
        )
    return replace(recipient, tax_id=tax_id)


def _vat_prefix(country: str) -> str:
    return "EL" if country == "GR" else country  # Greece's VAT numbers start with EL


def spanish_tax_id(text: str) -> str:
    """A Spanish NIF (DNI, NIE, K/L/M, or a company's CIF) normalized; refused with the reason."""
    value = re.sub(r"[\s.\-/]", "", text).upper()
    if len(value) != 9:
        raise RecipientRefused(
            _("A Spanish tax id has 9 characters; «{value}» has {n}.").format(
                value=value, n=len(value)
            )
        )
    head, body, control = value[0], value[1:8], value[8]
    if not body.isdigit():
        raise RecipientRefused(
            _("«{value}»: the 2nd to 8th characters of a tax id are digits.").format(value=value)
        )
    if head.isdigit() or head in "XYZ":  # DNI, or NIE (X, Y, Z stand for 0, 1, 2)
        number = int({"X": "0", "Y": "1", "Z": "2"}.get(head, head) + body)
        return _with_control(value, _DNI_LETTERS[number % 23])
    if head in "KLM":  # NIF of Spaniards without DNI and of foreigners without NIE
        return _with_control(value, _DNI_LETTERS[int(body) % 23])
    if head in "ABCDEFGHJNPQRSUVW":
        return _cif(value, head, body, control)
    raise RecipientRefused(
        _("«{value}» is not a Spanish tax id: it cannot start with «{head}».").format(
            value=value, head=head
        )
    )


def _cif(value: str, head: str, body: str, control: str) -> str:
    total = 0
    for position, char in enumerate(body):
        digit = int(char)
        if position % 2 == 0:  # 1st, 3rd, 5th, 7th digit: doubled, its digits added
            digit = sum(divmod(digit * 2, 10))
        total += digit
    check = (10 - total % 10) % 10
    if head in "NPQRSW":
        allowed = _CIF_LETTERS[check]
    elif head in "ABEH":
        allowed = str(check)
    else:
        allowed = str(check) + _CIF_LETTERS[check]
    if control not in allowed:
        raise RecipientRefused(
            _("The check character of {value} is wrong: it should be {control}.").format(
                value=value, control=" or ".join(allowed)
            ),
            _("Check the tax id on the customer's card or invoice."),
        )
    return value


def _with_control(value: str, letter: str) -> str:
    if value[8] != letter:
        raise RecipientRefused(
            _("The check letter of {value} is wrong: it should be {letter}.").format(
                value=value, letter=letter
            ),
            _("Check the tax id on the customer's card or invoice."),
        )
    return value
