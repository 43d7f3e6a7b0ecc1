"""Suppliers as PrestaShop's back office keeps them, and what they charge per product.

A supplier is a ``supplier`` row (name, active, dates), one ``supplier_lang`` row per language
(description), one ``supplier_shop`` row per shop it is visible in, and an ``address`` row with
``id_supplier`` set (alias, first and last name all "supplier", as AddSupplierHandler writes).
``product_supplier`` holds the supplier's reference and price (tax excluded) per product and
combination; when the supplier is the product's default one (``product.id_supplier``), the
product's (or combination's) ``supplier_reference`` and ``wholesale_price`` follow it, as
ProductSupplierUpdater does.

Also here, for every ERP writer: :func:`shop_now` (dates in the shop's time zone, FACTS.md §1.4)
and :func:`check_unchanged` (an edit refused when the row's ``date_upd`` moved since it was
loaded: :class:`ChangedElsewhere`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import Connection, and_, delete, func, insert, or_, select, update

from app.errors import UserFacingError
from app.i18n import _
from connectors.prestashop.order_lines import row
from connectors.prestashop.shop import ShopInfo

SUPPLIER_ADDRESS_NAME = "supplier"
PAGE = 100


class ChangedElsewhere(UserFacingError):
    """The row was saved by someone else (PrestaShop, another manager) since it was loaded."""


@dataclass(frozen=True)
class SupplierSummary:
    id_supplier: int
    name: str
    active: bool
    city: str
    phone: str
    products: int  # distinct products with a product_supplier row


@dataclass(frozen=True)
class SupplierData:
    """What the supplier form edits."""

    name: str
    active: bool = True
    description: str = ""
    address1: str = ""
    address2: str = ""
    postcode: str = ""
    city: str = ""
    id_country: int = 0
    phone: str = ""
    phone_mobile: str = ""
    dni: str = ""  # tax id


@dataclass(frozen=True)
class SupplierRecord:
    id_supplier: int
    data: SupplierData
    date_upd: dt.datetime


@dataclass(frozen=True)
class ProductSupplierRow:
    id_product_supplier: int
    id_product: int
    id_product_attribute: int
    id_supplier: int
    reference: str
    price_te: Decimal
    id_currency: int


# --------------------------------------------------------------------------- shared helpers


def shop_now(shop: ShopInfo) -> dt.datetime:
    """Now in the shop's time zone (PS_TIMEZONE), naive and to the second, as PHP writes it."""
    try:
        zone = ZoneInfo(shop.timezone) if shop.timezone else None
    except (ZoneInfoNotFoundError, ValueError):
        zone = None
    now = dt.datetime.now(zone) if zone else dt.datetime.now()
    return now.replace(tzinfo=None, microsecond=0)


def table(shop: ShopInfo, name: str) -> Any:
    return shop.models.by_table[name].__table__  # type: ignore[attr-defined]


def check_unchanged(
    conn: Connection, shop: ShopInfo, name: str, key: Mapping[str, int], loaded: dt.datetime
) -> None:
    """Lock the row and refuse when its date_upd is not the one the form loaded."""
    t = table(shop, name)
    where = and_(*(t.c[column] == value for column, value in key.items()))
    current = conn.execute(select(t.c.date_upd).where(where).with_for_update()).scalar()
    if current is None:
        raise UserFacingError(_("This record no longer exists in the shop."), _("Reload the list."))
    if current.replace(microsecond=0) != loaded.replace(microsecond=0):
        raise ChangedElsewhere(
            _("Changed in PrestaShop by someone else at {time} — reload.").format(
                time=current.strftime("%H:%M")
            ),
            _("Your changes were not saved; reload to see the other changes first."),
        )


def language_ids(conn: Connection, shop: ShopInfo) -> list[int]:
    """Every language of the shop database (PrestaShop writes _lang rows for all of them)."""
    lang = table(shop, "lang")
    return [int(i) for i in conn.execute(select(lang.c.id_lang).order_by(lang.c.id_lang)).scalars()]


# --------------------------------------------------------------------------- reads


def list_suppliers(
    conn: Connection,
    shop: ShopInfo,
    search: str = "",
    after: tuple[Any, ...] | None = None,
    limit: int = PAGE,
) -> list[SupplierSummary]:
    """Up to ``limit`` suppliers of the shop by name, after ``(name, id)`` (keyset)."""
    s, ss, a, ps = (
        table(shop, n) for n in ("supplier", "supplier_shop", "address", "product_supplier")
    )
    products = (
        select(func.count(func.distinct(ps.c.id_product)))
        .where(ps.c.id_supplier == s.c.id_supplier)
        .scalar_subquery()
    )
    addr = and_(a.c.id_supplier == s.c.id_supplier, a.c.deleted == 0, a.c.id_customer == 0)
    stmt = (
        select(s.c.id_supplier, s.c.name, s.c.active, a.c.city, a.c.phone, products.label("n"))
        .join(ss, and_(ss.c.id_supplier == s.c.id_supplier, ss.c.id_shop == shop.id_shop))
        .outerjoin(a, addr)
        .order_by(s.c.name, s.c.id_supplier)
        .limit(limit)
    )
    if search.strip():
        stmt = stmt.where(s.c.name.like(f"%{search.strip()}%"))
    if after is not None:
        name, id_supplier = after
        stmt = stmt.where(
            or_(s.c.name > name, and_(s.c.name == name, s.c.id_supplier > id_supplier))
        )
    return [
        SupplierSummary(r.id_supplier, r.name, bool(r.active), r.city or "", r.phone or "", r.n)
        for r in conn.execute(stmt)
    ]


def read_supplier(conn: Connection, shop: ShopInfo, id_supplier: int) -> SupplierRecord | None:
    s, sl, a = (table(shop, n) for n in ("supplier", "supplier_lang", "address"))
    head = conn.execute(select(s).where(s.c.id_supplier == id_supplier)).first()
    if head is None:
        return None
    description = conn.execute(
        select(sl.c.description).where(
            sl.c.id_supplier == id_supplier, sl.c.id_lang == shop.id_lang
        )
    ).scalar()
    address = _supplier_address(conn, shop, id_supplier)
    data = SupplierData(
        name=head.name,
        active=bool(head.active),
        description=description or "",
        **{k: (address[k] or "") if address else "" for k in _ADDRESS_TEXT},
        id_country=int(address["id_country"]) if address else 0,
    )
    return SupplierRecord(id_supplier, data, head.date_upd)


_ADDRESS_TEXT = ("address1", "address2", "postcode", "city", "phone", "phone_mobile", "dni")


def _supplier_address(conn: Connection, shop: ShopInfo, id_supplier: int) -> Any:
    a = table(shop, "address")
    stmt = (
        select(a)
        .where(a.c.id_supplier == id_supplier, a.c.id_customer == 0, a.c.deleted == 0)
        .order_by(a.c.id_address)
        .limit(1)
    )
    found = conn.execute(stmt).mappings().first()
    return dict(found) if found else None


def product_suppliers(
    conn: Connection, shop: ShopInfo, id_supplier: int | None = None, id_product: int | None = None
) -> list[ProductSupplierRow]:
    ps = table(shop, "product_supplier")
    stmt = select(ps).order_by(ps.c.id_product, ps.c.id_product_attribute, ps.c.id_supplier)
    if id_supplier is not None:
        stmt = stmt.where(ps.c.id_supplier == id_supplier)
    if id_product is not None:
        stmt = stmt.where(ps.c.id_product == id_product)
    return [
        ProductSupplierRow(
            r.id_product_supplier,
            r.id_product,
            r.id_product_attribute,
            r.id_supplier,
            r.product_supplier_reference or "",
            r.product_supplier_price_te,
            r.id_currency,
        )  # fmt: skip
        for r in conn.execute(stmt)
    ]


# --------------------------------------------------------------------------- writes


def insert_supplier(conn: Connection, shop: ShopInfo, data: SupplierData, now: dt.datetime) -> int:
    """supplier + supplier_lang (every language) + supplier_shop + its address; the new id."""
    values = dict(name=data.name, active=data.active, date_add=now, date_upd=now)
    id_supplier = int(conn.execute(insert(table(shop, "supplier")).values(values)).lastrowid)
    for id_lang in language_ids(conn, shop):
        lang_row = row(
            shop, "supplier_lang", id_supplier=id_supplier, id_lang=id_lang,
            description=data.description, meta_title="", meta_description="",
        )  # fmt: skip
        conn.execute(insert(table(shop, "supplier_lang")).values(lang_row))
    conn.execute(
        insert(table(shop, "supplier_shop")).values(id_supplier=id_supplier, id_shop=shop.id_shop)
    )
    conn.execute(insert(table(shop, "address")).values(_address_row(shop, id_supplier, data, now)))
    return id_supplier


def update_supplier(
    conn: Connection,
    shop: ShopInfo,
    id_supplier: int,
    data: SupplierData,
    *,
    loaded: dt.datetime,
    now: dt.datetime,
) -> None:
    """Save the form; :class:`ChangedElsewhere` when the supplier moved since ``loaded``."""
    check_unchanged(conn, shop, "supplier", {"id_supplier": id_supplier}, loaded)
    s, sl, a = (table(shop, n) for n in ("supplier", "supplier_lang", "address"))
    conn.execute(
        update(s)
        .where(s.c.id_supplier == id_supplier)
        .values(name=data.name, active=data.active, date_upd=now)
    )
    conn.execute(
        update(sl)
        .where(sl.c.id_supplier == id_supplier, sl.c.id_lang == shop.id_lang)
        .values(description=data.description)
    )
    address = _supplier_address(conn, shop, id_supplier)
    values = _address_row(shop, id_supplier, data, now)
    if address is None:
        conn.execute(insert(a).values(values))
        return
    del values["date_add"]
    conn.execute(update(a).where(a.c.id_address == address["id_address"]).values(values))


def _address_row(
    shop: ShopInfo, id_supplier: int, data: SupplierData, now: dt.datetime
) -> dict[str, Any]:
    name = SUPPLIER_ADDRESS_NAME
    return row(
        shop, "address", id_country=data.id_country or shop.id_country, id_state=0,
        id_customer=0, id_manufacturer=0, id_supplier=id_supplier, id_warehouse=0, alias=name,
        company="", lastname=name, firstname=name, address1=data.address1,
        address2=data.address2, postcode=data.postcode, city=data.city, other="",
        phone=data.phone, phone_mobile=data.phone_mobile, vat_number="", dni=data.dni,
        date_add=now, date_upd=now, active=True, deleted=False,
    )  # fmt: skip


def set_product_supplier(
    conn: Connection,
    shop: ShopInfo,
    key: tuple[int, int, int],
    *,
    reference: str | None,
    price_te: Decimal,
    now: dt.datetime,
    follow_default: bool = True,
) -> int:
    """Create or update the product_supplier row of ``(id_product, id_pa, id_supplier)``.

    ``reference`` None keeps the one it has. With ``follow_default``, a product with no default
    supplier gets this one, and for the default supplier the product's (or combination's)
    supplier_reference and wholesale_price follow, as the back office does.
    """
    id_product, id_pa, id_supplier = key
    ps = table(shop, "product_supplier")
    where = and_(
        ps.c.id_product == id_product,
        ps.c.id_product_attribute == id_pa,
        ps.c.id_supplier == id_supplier,
    )
    found = conn.execute(
        select(ps.c.id_product_supplier, ps.c.product_supplier_reference).where(where)
    ).first()
    values: dict[str, Any] = {"product_supplier_price_te": price_te}
    if reference is not None:
        values["product_supplier_reference"] = reference
    if found is None:
        values.update(id_product=id_product, id_product_attribute=id_pa, id_supplier=id_supplier,
                      id_currency=shop.id_currency)  # fmt: skip
        values.setdefault("product_supplier_reference", "")
        id_row = int(conn.execute(insert(ps).values(values)).lastrowid)
    else:
        id_row = int(found.id_product_supplier)
        conn.execute(update(ps).where(ps.c.id_product_supplier == id_row).values(values))
    if follow_default:
        kept = (
            reference
            if reference is not None
            else (found.product_supplier_reference if found else "")
        )
        _follow_default_supplier(conn, shop, key, reference=kept or "", price_te=price_te, now=now)
    return id_row


def remove_product_supplier(conn: Connection, shop: ShopInfo, id_product_supplier: int) -> None:
    ps = table(shop, "product_supplier")
    conn.execute(delete(ps).where(ps.c.id_product_supplier == id_product_supplier))


def _follow_default_supplier(
    conn: Connection,
    shop: ShopInfo,
    key: tuple[int, int, int],
    *,
    reference: str,
    price_te: Decimal,
    now: dt.datetime,
) -> None:
    id_product, id_pa, id_supplier = key
    p = table(shop, "product")
    current = conn.execute(select(p.c.id_supplier).where(p.c.id_product == id_product)).first()
    if current is None:
        return
    default = int(current.id_supplier or 0)
    if default not in (0, id_supplier) or (default == 0 and id_pa):
        return
    values = dict(supplier_reference=reference, wholesale_price=price_te)
    if id_pa:
        set_wholesale_price(conn, shop, (id_product, id_pa), price_te, now=now, reference=reference)
        return
    # supplier_reference is searchable: indexed = 0 lets PrestaShop re-index (FACTS.md §14)
    product_values = dict(values, id_supplier=id_supplier, date_upd=now, indexed=False)
    conn.execute(update(p).where(p.c.id_product == id_product).values(product_values))
    _touch_product_shop(conn, shop, id_product, now, wholesale_price=price_te, indexed=False)


def set_wholesale_price(
    conn: Connection,
    shop: ShopInfo,
    item: tuple[int, int],
    price_te: Decimal,
    *,
    now: dt.datetime,
    reference: str | None = None,
) -> None:
    """The cost price of a product (product + product_shop) or of a combination
    (product_attribute + product_attribute_shop); the product's date_upd moves either way."""
    id_product, id_pa = item
    if id_pa:
        pa, pas = table(shop, "product_attribute"), table(shop, "product_attribute_shop")
        values: dict[str, Any] = {"wholesale_price": price_te}
        if reference is not None:
            values["supplier_reference"] = reference
        conn.execute(update(pa).where(pa.c.id_product_attribute == id_pa).values(values))
        conn.execute(
            update(pas)
            .where(pas.c.id_product_attribute == id_pa, pas.c.id_shop == shop.id_shop)
            .values(wholesale_price=price_te)
        )
        p = table(shop, "product")
        conn.execute(update(p).where(p.c.id_product == id_product).values(date_upd=now))
        _touch_product_shop(conn, shop, id_product, now)
        return
    p = table(shop, "product")
    conn.execute(
        update(p).where(p.c.id_product == id_product).values(wholesale_price=price_te, date_upd=now)
    )
    _touch_product_shop(conn, shop, id_product, now, wholesale_price=price_te)


def _touch_product_shop(
    conn: Connection, shop: ShopInfo, id_product: int, now: dt.datetime, **values: Any
) -> None:
    ps = table(shop, "product_shop")
    conn.execute(
        update(ps)
        .where(ps.c.id_product == id_product, ps.c.id_shop == shop.id_shop)
        .values(date_upd=now, **values)
    )
