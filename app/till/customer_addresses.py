"""What the till knows of a customer's invoice data: their PrestaShop addresses.

The catalog pull brings the addresses of the shop's customers (``catalog_addresses``). For a
full invoice, :func:`customer_invoice_address` picks the one to offer: an address with a tax
id (``dni`` or ``vat_number``) before one without, then the most recently changed.

An address that is the shop's own (the one the push gives a customer taken at the counter,
FACTS.md §3: the shop's street, postcode and town) says nothing of where the customer lives:
it is never offered as the address, only its tax id is used when no other address has one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.till.models_catalog import CatalogAddress, CatalogSyncState
from app.till.store import TillStore
from app.verifactu.recipient import FOREIGN_ID, NIF, VAT, Recipient

SPAIN = "ES"
_SHOP_KEYS = ("config.PS_SHOP_ADDR1", "config.PS_SHOP_CODE", "config.PS_SHOP_CITY")
_OLDEST = datetime.min


@dataclass(frozen=True)
class AddressCandidate:
    """A customer's name, tax id and address as the shop holds them, for an invoice."""

    id_address: int
    name: str  # the address's company, else the person's full name
    tax_id: str  # '' when the shop has none
    id_type: str  # NIF for a Spanish id, else VAT (02) or FOREIGN_ID (04): recipient.py
    address: str  # street line(s), '' when only the tax id is known
    postcode: str
    city: str
    country: str  # ISO 3166-1 alpha-2

    def recipient(self) -> Recipient:
        """The invoice recipient these data make (checked when the invoice is issued)."""
        return Recipient(
            self.name, self.tax_id, self.address, self.postcode, self.city,
            self.country, self.id_type,
        )  # fmt: skip


def customer_invoice_address(store: TillStore, id_customer: int) -> AddressCandidate | None:
    """The address of customer ``id_customer`` to offer on a full invoice; None if the till
    knows none (nor a tax id)."""
    with store.read() as session:
        return invoice_address(session, id_customer)


def invoice_address(session: Session, id_customer: int) -> AddressCandidate | None:
    """:func:`customer_invoice_address` within the caller's ``session``."""
    rows = session.scalars(
        select(CatalogAddress).where(CatalogAddress.id_customer == id_customer)
    ).all()
    ranked = sorted(rows, key=_rank, reverse=True)
    shop = _shop_address(session)
    own = [row for row in ranked if not _is_shop_address(row, shop)]
    with_id = [row for row in ranked if _tax_id(row)[0]]
    if own:
        best = _candidate(own[0])
        if not best.tax_id and with_id:
            tax_id, id_type = _tax_id(with_id[0])
            return replace(best, tax_id=tax_id, id_type=id_type)
        return best
    if with_id:  # only the shop's own address: its tax id, the address to be typed
        return replace(_candidate(with_id[0]), address="", postcode="", city="")
    return None


def _rank(row: CatalogAddress) -> tuple[bool, datetime, int]:
    return bool(_tax_id(row)[0]), row.date_upd or _OLDEST, row.id_address


def _candidate(row: CatalogAddress) -> AddressCandidate:
    name = row.company.strip() or f"{row.firstname.strip()} {row.lastname.strip()}".strip()
    street = ", ".join(part.strip() for part in (row.address1, row.address2) if part.strip())
    tax_id, id_type = _tax_id(row)
    country = row.country_iso.upper() or SPAIN
    return AddressCandidate(
        row.id_address, name, tax_id, id_type, street, row.postcode.strip(), row.city.strip(),
        country,
    )  # fmt: skip


def _tax_id(row: CatalogAddress) -> tuple[str, str]:
    """The address's tax id and its kind: a Spanish address's ``dni`` (else its VAT number
    without ``ES``) is a NIF; abroad the VAT number (NIF-IVA) before the ``dni``."""
    dni = "".join(row.dni.split()).upper()
    vat = "".join(row.vat_number.split()).upper()
    if (row.country_iso.upper() or SPAIN) == SPAIN:
        spanish = dni or (vat[2:] if vat.startswith(SPAIN) else vat)
        return spanish, NIF
    if vat:
        return vat, VAT
    return dni, FOREIGN_ID


def _shop_address(session: Session) -> Mapping[str, str]:
    rows = session.execute(
        select(CatalogSyncState.key, CatalogSyncState.value).where(
            CatalogSyncState.key.in_(_SHOP_KEYS)
        )
    )
    return {key: value for key, value in rows}


def _is_shop_address(row: CatalogAddress, shop: Mapping[str, str]) -> bool:
    """As the push writes a counter customer's address: the shop's street (or "-"), postcode
    and town (or "-")."""
    street, postcode, city = (shop.get(key, "").strip() for key in _SHOP_KEYS)
    return (
        _same(row.address1, street or "-")
        and _same(row.postcode, postcode)
        and _same(row.city, city or "-")
    )


def _same(left: str, right: str) -> bool:
    return " ".join(left.split()).casefold() == " ".join(right.split()).casefold()
