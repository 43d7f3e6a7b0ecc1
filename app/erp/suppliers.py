"""Suppliers and their prices per product: plain operations for a worker thread.

Each function opens its own transaction on the shop database and returns frozen values
(``connectors/prestashop/erp_suppliers.py`` knows the tables). An edit carries the
``date_upd`` the form loaded; a supplier saved meanwhile by someone else is refused with
:class:`~connectors.prestashop.erp_suppliers.ChangedElsewhere`.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from app.erp.context import ErpContext
from app.erp.listing import Column, Key, ListQuery, Page, page_of
from app.errors import UserFacingError
from app.i18n import _
from connectors.prestashop import erp_suppliers as db
from connectors.prestashop.erp_suppliers import (
    ProductSupplierRow,
    SupplierData,
    SupplierRecord,
    SupplierSummary,
)

__all__ = [
    "ProductSupplierRow",
    "SupplierData",
    "SupplierRecord",
    "SupplierSummary",
    "create_supplier",
    "fetch_suppliers",
    "list_suppliers",
    "load_supplier",
    "product_suppliers",
    "save_product_supplier",
    "save_supplier",
]
NAME_MAX = 64  # supplier.name is varchar(64)


def list_suppliers(ctx: ErpContext, search: str = "") -> list[SupplierSummary]:
    """The first 100 suppliers matching ``search``, by name (pickers)."""
    return list(fetch_suppliers(ctx, ListQuery(search), None, 100).rows)


def fetch_suppliers(
    ctx: ErpContext, query: ListQuery, after: Key | None, limit: int
) -> Page[SupplierSummary]:
    """A keyset page of suppliers by (name, id): the ERP list's data source."""
    with ctx.engine.connect() as conn:
        rows = db.list_suppliers(conn, ctx.shop, query.text, after, limit + 1)
    return page_of(rows, limit, lambda r: (r.name, r.id_supplier))


def supplier_columns() -> tuple[Column[SupplierSummary], ...]:
    """What the suppliers list shows and exports (titles in the interface language)."""
    return (
        Column(_("Supplier"), lambda r: r.name, width=260),
        Column(_("City"), lambda r: r.city, width=160),
        Column(_("Phone"), lambda r: r.phone, width=140),
        Column(_("Products"), lambda r: r.products, "int", width=90),
        Column(_("Active"), lambda r: r.active, "bool", width=70),
    )


def load_supplier(ctx: ErpContext, id_supplier: int) -> SupplierRecord:
    with ctx.engine.connect() as conn:
        record = db.read_supplier(conn, ctx.shop, id_supplier)
    if record is None:
        raise UserFacingError(_("The supplier no longer exists in the shop."))
    return record


def create_supplier(ctx: ErpContext, data: SupplierData) -> SupplierRecord:
    _validate(data)
    with ctx.engine.begin() as conn:
        id_supplier = db.insert_supplier(conn, ctx.shop, data, db.shop_now(ctx.shop))
    return load_supplier(ctx, id_supplier)


def save_supplier(
    ctx: ErpContext, id_supplier: int, data: SupplierData, loaded: dt.datetime
) -> SupplierRecord:
    """Save an edited supplier; refused when it changed since ``loaded`` (its date_upd)."""
    _validate(data)
    with ctx.engine.begin() as conn:
        now = db.shop_now(ctx.shop)
        db.update_supplier(conn, ctx.shop, id_supplier, data, loaded=loaded, now=now)
    return load_supplier(ctx, id_supplier)


def product_suppliers(
    ctx: ErpContext, id_supplier: int | None = None, id_product: int | None = None
) -> list[ProductSupplierRow]:
    with ctx.engine.connect() as conn:
        return db.product_suppliers(conn, ctx.shop, id_supplier, id_product)


def save_product_supplier(
    ctx: ErpContext, item: tuple[int, int], id_supplier: int, reference: str, price_te: Decimal
) -> int:
    """Set the supplier's reference and price (tax excl.) for a product or combination."""
    if price_te < 0:
        raise UserFacingError(_("The supplier price cannot be negative."))
    id_product, id_pa = item
    with ctx.engine.begin() as conn:
        return db.set_product_supplier(
            conn, ctx.shop, (id_product, id_pa, id_supplier), reference=reference.strip(),
            price_te=price_te, now=db.shop_now(ctx.shop),
        )  # fmt: skip


def _validate(data: SupplierData) -> None:
    name = data.name.strip()
    if not name:
        raise UserFacingError(_("The supplier needs a name."))
    if len(name) > NAME_MAX:
        raise UserFacingError(
            _("The supplier name is too long (at most {count} characters).").format(count=NAME_MAX)
        )
    for char in "<>={}":  # PrestaShop's isCatalogName refuses them
        if char in name:
            raise UserFacingError(_("The supplier name cannot contain < > = { }."))
