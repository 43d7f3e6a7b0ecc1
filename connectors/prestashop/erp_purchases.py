"""Purchase orders: Mostrador's own tables in the shop database, and receiving goods.

PrestaShop (without the advanced stock management of 1.6) has no purchase orders, so they live
in three tables of our own, declared here and created when missing (like
``mostrador_tables.py``; never an index on a PrestaShop table):

* ``<prefix>mostrador_purchase_order``: one order to one supplier, its status
  (draft → sent → partial → received, or cancelled), who made it and when;
* ``<prefix>mostrador_purchase_order_line``: product/combination, a snapshot of its name,
  references and EAN13, quantity ordered and received, unit cost (tax excl.) and tax rate;
* ``<prefix>mostrador_purchase_receipt``: one row per line and delivery, with the stock
  movement it wrote.

Receiving (:func:`receive_lines`, inside the caller's transaction) raises ``stock_available``
as a back-office quantity edit does (``quantity`` and ``physical_quantity`` + n; for a
combination the product's own row too, FACTS.md §7.1) and writes one ``stock_mvt`` per line
(sign +1, reason PS_STOCK_MVT_SUPPLY_ORDER when the shop still has that reason, else
PS_STOCK_MVT_INC_EMPLOYEE_EDITION; ``price_te`` = the unit cost; the employee and names).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Any

from sqlalchemy import (
    Column,
    Connection,
    DateTime,
    Engine,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    and_,
    or_,
    select,
    update,
)
from sqlalchemy.dialects import mysql
from sqlalchemy.orm import Session
from sqlalchemy.schema import CreateIndex, CreateTable

from connectors.prestashop.configuration import get_many, to_int
from connectors.prestashop.erp_suppliers import table
from connectors.prestashop.order_lines import row
from connectors.prestashop.shop import ShopInfo
from connectors.prestashop.types import PsDecimal

_UINT = Integer().with_variant(mysql.INTEGER(unsigned=True), "mysql", "mariadb")
NAME_MAX = 32  # stock_mvt.employee_firstname/lastname are varchar(32) up to 8.0
REASON_KEYS = ("PS_STOCK_MVT_SUPPLY_ORDER", "PS_STOCK_MVT_INC_EMPLOYEE_EDITION")


@dataclass(frozen=True)
class PurchaseTables:
    order: Table
    line: Table
    receipt: Table


@cache
def purchase_tables(prefix: str) -> PurchaseTables:
    """The three tables for the shop's table prefix."""
    metadata = MetaData()
    name = f"{prefix}mostrador_purchase_"
    order = Table(
        f"{name}order", metadata,
        Column("id_purchase_order", _UINT, primary_key=True, autoincrement=True),
        Column("id_shop", _UINT, nullable=False),
        Column("id_supplier", _UINT, nullable=False),
        Column("status", String(12), nullable=False),
        Column("id_currency", _UINT, nullable=False),
        Column("id_employee", _UINT, nullable=False, server_default="0"),
        Column("note", Text, nullable=True),
        Column("date_add", DateTime, nullable=False),
        Column("date_upd", DateTime, nullable=False),
        Column("date_sent", DateTime, nullable=True),
        Index(f"{name}order_supplier", "id_supplier", "id_purchase_order"),
        Index(f"{name}order_status", "status", "id_purchase_order"),
        mysql_engine="InnoDB",
        mysql_charset="utf8mb4",
    )  # fmt: skip
    line = Table(
        f"{name}order_line", metadata,
        Column("id_purchase_order_line", _UINT, primary_key=True, autoincrement=True),
        Column("id_purchase_order", _UINT, nullable=False),
        Column("position", _UINT, nullable=False, server_default="0"),
        Column("id_product", _UINT, nullable=False),
        Column("id_product_attribute", _UINT, nullable=False, server_default="0"),
        Column("name", String(255), nullable=False),
        Column("reference", String(64), nullable=False, server_default=""),
        Column("supplier_reference", String(64), nullable=False, server_default=""),
        Column("ean13", String(20), nullable=False, server_default=""),
        Column("quantity", _UINT, nullable=False),
        Column("quantity_received", _UINT, nullable=False, server_default="0"),
        Column("unit_cost", PsDecimal(20, 6), nullable=False),
        Column("tax_rate", PsDecimal(10, 3), nullable=False),
        Index(f"{name}line_order", "id_purchase_order", "position"),
        mysql_engine="InnoDB",
        mysql_charset="utf8mb4",
    )  # fmt: skip
    receipt = Table(
        f"{name}receipt", metadata,
        Column("id_purchase_receipt", _UINT, primary_key=True, autoincrement=True),
        Column("id_purchase_order", _UINT, nullable=False),
        Column("id_purchase_order_line", _UINT, nullable=False),
        Column("quantity", _UINT, nullable=False),
        Column("unit_cost", PsDecimal(20, 6), nullable=False),
        Column("id_stock_mvt", _UINT, nullable=True),
        Column("id_employee", _UINT, nullable=False, server_default="0"),
        Column("date_add", DateTime, nullable=False),
        Index(f"{name}receipt_order", "id_purchase_order"),
        mysql_engine="InnoDB",
        mysql_charset="utf8mb4",
    )  # fmt: skip
    return PurchaseTables(order, line, receipt)


def ensure_purchase_tables(engine: Engine, prefix: str) -> None:
    """Create the purchase tables and their indexes when missing (idempotent)."""
    tables = purchase_tables(prefix)
    with engine.begin() as conn:
        for t in (tables.order, tables.line, tables.receipt):
            conn.execute(CreateTable(t, if_not_exists=True))
            for index in t.indexes:
                conn.execute(CreateIndex(index, if_not_exists=True))


# --------------------------------------------------------------------------- receiving


@dataclass(frozen=True)
class StockMove:
    """What one received line does to stock."""

    id_product: int
    id_product_attribute: int
    quantity: int
    unit_cost: Decimal


def receive_reason(conn: Connection, shop: ShopInfo) -> int:
    """The stock_mvt reason of a delivery from a supplier, as configured in this shop."""
    with Session(bind=conn) as session:
        conf = get_many(session, shop.models, REASON_KEYS, shop.id_shop, shop.id_shop_group)
    reasons = table(shop, "stock_mvt_reason")
    for key in REASON_KEYS:
        id_reason = to_int(conf.get(key))
        if not id_reason:
            continue
        found = conn.execute(
            select(reasons.c.deleted).where(reasons.c.id_stock_mvt_reason == id_reason)
        ).first()
        if found is not None and not found.deleted:
            return id_reason
    return 0


def raise_stock(
    conn: Connection,
    shop: ShopInfo,
    move: StockMove,
    *,
    reason: int,
    employee: tuple[int, str, str],
    now: dt.datetime,
) -> int:
    """``quantity`` and ``physical_quantity`` + n (and the product's row for a combination),
    then the stock_mvt row; the id of that movement."""
    id_stock = _stock_row(conn, shop, move.id_product, move.id_product_attribute)
    _add_stock(conn, shop, id_stock, move.quantity)
    if move.id_product_attribute:
        _add_stock(conn, shop, _stock_row(conn, shop, move.id_product, 0), move.quantity)
    id_employee, firstname, lastname = employee
    values = row(
        shop, "stock_mvt", id_stock=id_stock, id_order=None, id_supply_order=0,
        id_stock_mvt_reason=reason, id_employee=id_employee, employee_firstname=firstname,
        employee_lastname=lastname, physical_quantity=move.quantity, date_add=now, sign=1,
        price_te=move.unit_cost, last_wa=0, current_wa=0, referer=None,
    )  # fmt: skip
    return int(conn.execute(table(shop, "stock_mvt").insert().values(values)).lastrowid)


def _stock_row(conn: Connection, shop: ShopInfo, id_product: int, id_pa: int) -> int:
    """The stock_available row in the shop's stock scope (created when missing), locked."""
    sa = table(shop, "stock_available")
    id_shop, id_group = shop.stock_scope
    key = dict(id_product=id_product, id_product_attribute=id_pa, id_shop=id_shop,
               id_shop_group=id_group)  # fmt: skip
    where = and_(*(sa.c[c] == v for c, v in key.items()))
    found = conn.execute(select(sa.c.id_stock_available).where(where).with_for_update()).scalar()
    if found is not None:
        return int(found)
    values = row(shop, "stock_available", **key, quantity=0, physical_quantity=0,
                 reserved_quantity=0, depends_on_stock=0, out_of_stock=2, location="")  # fmt: skip
    return int(conn.execute(sa.insert().values(values)).lastrowid)


def _add_stock(conn: Connection, shop: ShopInfo, id_stock: int, quantity: int) -> None:
    sa = table(shop, "stock_available")
    conn.execute(
        update(sa)
        .where(sa.c.id_stock_available == id_stock)
        .values(
            quantity=sa.c.quantity + quantity, physical_quantity=sa.c.physical_quantity + quantity
        )
    )


def employee_names(conn: Connection, shop: ShopInfo, id_employee: int) -> tuple[int, str, str]:
    e = table(shop, "employee")
    found = conn.execute(
        select(e.c.firstname, e.c.lastname).where(e.c.id_employee == id_employee)
    ).first()
    if found is None:
        return (id_employee, "", "")
    return (id_employee, found.firstname[:NAME_MAX], found.lastname[:NAME_MAX])


# --------------------------------------------------------------------------- orders


@dataclass(frozen=True)
class NewLine:
    """A line as the order form holds it."""

    id_product: int
    id_product_attribute: int
    name: str
    reference: str
    supplier_reference: str
    ean13: str
    quantity: int
    unit_cost: Decimal
    tax_rate: Decimal


def order_select(shop: ShopInfo) -> Any:
    """Orders with their supplier's name (newest first once ordered by id desc)."""
    po, s = purchase_tables(shop.prefix).order, table(shop, "supplier")
    return (
        select(po, s.c.name.label("supplier_name"))
        .outerjoin(s, s.c.id_supplier == po.c.id_supplier)
        .where(po.c.id_shop == shop.id_shop)
    )


def list_orders(
    conn: Connection,
    shop: ShopInfo,
    filters: dict[str, Any],
    after: int | None,
    limit: int,
) -> tuple[list[Any], dict[int, list[Any]]]:
    """Up to ``limit`` orders below id ``after`` matching ``filters`` (text, status,
    id_supplier), and the lines of each."""
    po = purchase_tables(shop.prefix).order
    stmt = order_select(shop).order_by(po.c.id_purchase_order.desc()).limit(limit)
    if after is not None:
        stmt = stmt.where(po.c.id_purchase_order < after)
    if filters.get("status"):
        stmt = stmt.where(po.c.status == filters["status"])
    if filters.get("id_supplier"):
        stmt = stmt.where(po.c.id_supplier == filters["id_supplier"])
    text = str(filters.get("text") or "").strip()
    if text:
        number = (
            int(text.upper().removeprefix("PO-"))
            if text.upper().removeprefix("PO-").isdigit()
            else 0
        )
        s = table(shop, "supplier")
        stmt = stmt.where(or_(po.c.id_purchase_order == number, s.c.name.like(f"%{text}%")))
    orders = list(conn.execute(stmt))
    return orders, order_lines(conn, shop, [int(o.id_purchase_order) for o in orders])


def order_lines(conn: Connection, shop: ShopInfo, ids: Sequence[int]) -> dict[int, list[Any]]:
    line = purchase_tables(shop.prefix).line
    found: dict[int, list[Any]] = {i: [] for i in ids}
    if not ids:
        return found
    stmt = select(line).where(line.c.id_purchase_order.in_(ids))
    for r in conn.execute(stmt.order_by(line.c.position, line.c.id_purchase_order_line)):
        found[int(r.id_purchase_order)].append(r)
    return found


def read_order(conn: Connection, shop: ShopInfo, id_order: int, *, lock: bool = False) -> Any:
    po = purchase_tables(shop.prefix).order
    stmt = order_select(shop).where(po.c.id_purchase_order == id_order)
    if lock:
        stmt = stmt.with_for_update()
    return conn.execute(stmt).first()


def insert_order(
    conn: Connection,
    shop: ShopInfo,
    id_supplier: int,
    note: str,
    *,
    id_employee: int,
    now: dt.datetime,
) -> int:
    po = purchase_tables(shop.prefix).order
    values = dict(id_shop=shop.id_shop, id_supplier=id_supplier, status="draft",
                  id_currency=shop.id_currency, id_employee=id_employee, note=note,
                  date_add=now, date_upd=now, date_sent=None)  # fmt: skip
    return int(conn.execute(po.insert().values(values)).lastrowid)


def replace_lines(
    conn: Connection, shop: ShopInfo, id_order: int, lines: Sequence[NewLine], now: dt.datetime
) -> None:
    tables = purchase_tables(shop.prefix)
    conn.execute(tables.line.delete().where(tables.line.c.id_purchase_order == id_order))
    rows = [
        dict(vars(line), id_purchase_order=id_order, position=position, quantity_received=0)
        for position, line in enumerate(lines, start=1)
    ]
    if rows:
        conn.execute(tables.line.insert(), rows)
    touch_order(conn, shop, id_order, now)


def touch_order(
    conn: Connection, shop: ShopInfo, id_order: int, now: dt.datetime, **values: Any
) -> None:
    po = purchase_tables(shop.prefix).order
    conn.execute(
        update(po).where(po.c.id_purchase_order == id_order).values(date_upd=now, **values)
    )


def record_receipt(
    conn: Connection,
    shop: ShopInfo,
    ids: tuple[int, int],
    move: StockMove,
    *,
    id_stock_mvt: int,
    id_employee: int,
    now: dt.datetime,
) -> None:
    """The receipt row of one line (``ids``: order, line) and its received quantity."""
    tables = purchase_tables(shop.prefix)
    id_order, id_line = ids
    values = dict(
        id_purchase_order=id_order,
        id_purchase_order_line=id_line,
        quantity=move.quantity,
        unit_cost=move.unit_cost,
        id_stock_mvt=id_stock_mvt,
        id_employee=id_employee,
        date_add=now,
    )
    conn.execute(tables.receipt.insert().values(values))
    lt = tables.line
    conn.execute(
        update(lt)
        .where(lt.c.id_purchase_order_line == id_line)
        .values(quantity_received=lt.c.quantity_received + move.quantity, unit_cost=move.unit_cost)
    )


def receipts(conn: Connection, shop: ShopInfo, id_order: int) -> list[Any]:
    r = purchase_tables(shop.prefix).receipt
    stmt = select(r).where(r.c.id_purchase_order == id_order).order_by(r.c.id_purchase_receipt)
    return list(conn.execute(stmt))
