"""Inventory count sessions, kept in Mostrador's own tables in the shop database.

``<prefix>mostrador_inventory``: one row per count session (name, shop, employee, status
``open`` → ``applied``, dates). ``<prefix>mostrador_inventory_line``: what was counted per
(product, combination); once applied, also the quantity the shop had and the change made.
PrestaShop has no such thing; applying a session changes ``stock_available`` with stock
movements (``erp_stock.set_quantities``) in the same transaction that marks it applied.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache

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
    and_,
    func,
    or_,
    select,
    true,
)
from sqlalchemy.dialects import mysql
from sqlalchemy.schema import CreateIndex, CreateTable

from connectors.prestashop.erp_products import new_id
from connectors.prestashop.erp_suppliers import shop_now
from connectors.prestashop.shop import ShopInfo

OPEN, APPLIED = "open", "applied"
_UINT = Integer().with_variant(mysql.INTEGER(unsigned=True), "mysql", "mariadb")
_ENSURED: set[tuple[str, str]] = set()


@dataclass(frozen=True)
class Inventory:
    id_inventory: int
    name: str
    status: str
    lines: int
    date_add: dt.datetime
    date_applied: dt.datetime | None


@dataclass(frozen=True)
class CountLine:
    id_product: int
    id_product_attribute: int
    counted: int
    before: int | None  # the shop's quantity when applied
    delta: int | None  # the change applied


@cache
def inventory_tables(prefix: str) -> tuple[Table, Table]:
    metadata = MetaData()
    head = Table(
        f"{prefix}mostrador_inventory", metadata,
        Column("id_inventory", _UINT, primary_key=True, autoincrement=True),
        Column("id_shop", _UINT, nullable=False),
        Column("name", String(128), nullable=False),
        Column("status", String(10), nullable=False, server_default=OPEN),
        Column("id_employee", _UINT, nullable=False, server_default="0"),
        Column("date_add", DateTime, nullable=False),
        Column("date_applied", DateTime, nullable=True),
        Index(f"{prefix}mostrador_inventory_shop", "id_shop", "id_inventory"),
        mysql_engine="InnoDB", mysql_charset="utf8mb4",
    )  # fmt: skip
    lines = Table(
        f"{prefix}mostrador_inventory_line", metadata,
        Column("id_inventory", _UINT, primary_key=True),
        Column("id_product", _UINT, primary_key=True),
        Column("id_product_attribute", _UINT, primary_key=True),
        Column("counted", Integer, nullable=False, server_default="0"),
        Column("quantity_before", Integer, nullable=True),
        Column("delta", Integer, nullable=True),
        mysql_engine="InnoDB", mysql_charset="utf8mb4",
    )  # fmt: skip
    return head, lines


def ensure_inventory_tables(engine: Engine, prefix: str) -> None:
    """Create the two tables when missing (idempotent; once per engine and prefix)."""
    key = (str(engine.url), prefix)
    if key in _ENSURED:
        return
    with engine.begin() as conn:
        for t in inventory_tables(prefix):
            conn.execute(CreateTable(t, if_not_exists=True))
            for index in t.indexes:
                conn.execute(CreateIndex(index, if_not_exists=True))
    _ENSURED.add(key)


def create_inventory(conn: Connection, shop: ShopInfo, name: str, id_employee: int) -> int:
    head, _lines = inventory_tables(shop.prefix)
    values = dict(id_shop=shop.id_shop, name=name, status=OPEN, id_employee=id_employee,
                  date_add=shop_now(shop))  # fmt: skip
    return new_id(conn.execute(head.insert().values(values)))


def inventory_page(
    conn: Connection, shop: ShopInfo, after: int | None, limit: int
) -> list[Inventory]:
    """The shop's sessions, newest first (keyset on id, descending)."""
    head, lines = inventory_tables(shop.prefix)
    count = (
        select(func.count()).where(lines.c.id_inventory == head.c.id_inventory).scalar_subquery()
    )
    stmt = (
        select(head, count.label("lines"))
        .where(head.c.id_shop == shop.id_shop)
        .where(head.c.id_inventory < after if after is not None else true())
        .order_by(head.c.id_inventory.desc())
        .limit(limit)
    )
    return [_inventory(r) for r in conn.execute(stmt)]


def read_inventory(
    conn: Connection, shop: ShopInfo, id_inventory: int, lock: bool = False
) -> Inventory | None:
    head, lines = inventory_tables(shop.prefix)
    count = (
        select(func.count()).where(lines.c.id_inventory == head.c.id_inventory).scalar_subquery()
    )
    stmt = select(head, count.label("lines")).where(
        head.c.id_inventory == id_inventory, head.c.id_shop == shop.id_shop
    )
    found = conn.execute(stmt.with_for_update() if lock else stmt).first()
    return _inventory(found) if found is not None else None


def _inventory(r: object) -> Inventory:
    g = r._mapping  # type: ignore[attr-defined]
    return Inventory(int(g["id_inventory"]), g["name"], g["status"], int(g["lines"]),
                     g["date_add"], g["date_applied"])  # fmt: skip


def add_count(
    conn: Connection, shop: ShopInfo, id_inventory: int, key: tuple[int, int], quantity: int,
    *, replace: bool = False,
) -> int:  # fmt: skip
    """Add ``quantity`` to the line of ``key`` (or set it, ``replace``); the new count."""
    _head, lines = inventory_tables(shop.prefix)
    where = and_(lines.c.id_inventory == id_inventory, lines.c.id_product == key[0],
                 lines.c.id_product_attribute == key[1])  # fmt: skip
    current = conn.execute(select(lines.c.counted).where(where).with_for_update()).scalar()
    counted = quantity if replace or current is None else int(current) + quantity
    if current is None:
        conn.execute(
            lines.insert().values(
                id_inventory=id_inventory,
                id_product=key[0],
                id_product_attribute=key[1],
                counted=counted,
            )
        )
    else:
        conn.execute(lines.update().where(where).values(counted=counted))
    return counted


def remove_count(conn: Connection, shop: ShopInfo, id_inventory: int, key: tuple[int, int]) -> None:
    _head, lines = inventory_tables(shop.prefix)
    conn.execute(lines.delete().where(
        lines.c.id_inventory == id_inventory, lines.c.id_product == key[0],
        lines.c.id_product_attribute == key[1],
    ))  # fmt: skip


def count_lines(
    conn: Connection, shop: ShopInfo, id_inventory: int, after: tuple[int, int] | None,
    limit: int | None, *, only: tuple[int, int] | None = None,
) -> list[CountLine]:  # fmt: skip
    """A session's lines by (product, combination), after ``after`` (``only``: that one)."""
    _head, lines = inventory_tables(shop.prefix)
    stmt = select(lines).where(lines.c.id_inventory == id_inventory)
    if only is not None:
        stmt = stmt.where(lines.c.id_product == only[0],
                          lines.c.id_product_attribute == only[1])  # fmt: skip
    if after is not None:
        stmt = stmt.where(or_(lines.c.id_product > after[0],
                              and_(lines.c.id_product == after[0],
                                   lines.c.id_product_attribute > after[1])))  # fmt: skip
    stmt = stmt.order_by(lines.c.id_product, lines.c.id_product_attribute)
    if limit is not None:
        stmt = stmt.limit(limit)
    return [
        CountLine(int(r.id_product), int(r.id_product_attribute), int(r.counted),
                  r.quantity_before, r.delta)
        for r in conn.execute(stmt)
    ]  # fmt: skip


def mark_applied(
    conn: Connection, shop: ShopInfo, id_inventory: int,
    done: dict[tuple[int, int], tuple[int, int]],
) -> dt.datetime:  # fmt: skip
    """Status applied, now; each line's (quantity before, delta)."""
    head, lines = inventory_tables(shop.prefix)
    now = shop_now(shop)
    for (id_product, id_pa), (before, delta) in done.items():
        conn.execute(
            lines.update()
            .where(
                lines.c.id_inventory == id_inventory,
                lines.c.id_product == id_product,
                lines.c.id_product_attribute == id_pa,
            )  # fmt: skip
            .values(quantity_before=before, delta=delta)
        )
    conn.execute(head.update().where(head.c.id_inventory == id_inventory)
                 .values(status=APPLIED, date_applied=now))  # fmt: skip
    return now
