"""Mostrador's own tables in the shop database: the one exception to "never create tables".

``<prefix>mostrador_sale`` records every ticket pushed to the shop, keyed by the ticket's
uuid. Its row is the first thing a push inserts and is committed in the same transaction as
the order it describes, so a replay (after a crash, a timeout, a lost commit reply) meets the
duplicate key and writes nothing: the push is exactly once.

``<prefix>mostrador_till`` registers each till's ticket series per shop (primary key
``(id_shop, series)``), so two tills cannot take the same series: see
:func:`app.setup.till_series.register_till_series`.

``<prefix>mostrador_lock`` holds one row per serialised resource. A push locks the
``invoice`` row (``SELECT … FOR UPDATE``) before it reads ``MAX(order_invoice.number)``:
PrestaShop numbers invoices and delivery slips as MAX+1 without any lock (FACTS.md §8, §17),
so concurrent tills must queue there. The lock is transactional: a killed till releases it
with its rollback, unlike ``GET_LOCK`` whose owner is a connection.

:func:`ensure_tables` creates both if missing (InnoDB, utf8mb4 on MySQL; SQLite alike); it is
idempotent and safe when several tills start at once.
"""

from __future__ import annotations

from functools import cache

from sqlalchemy import (
    CHAR,
    Column,
    DateTime,
    Engine,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    inspect,
    select,
)
from sqlalchemy.dialects import mysql
from sqlalchemy.schema import CreateIndex, CreateTable

INVOICE_LOCK = "invoice"
_UINT = Integer().with_variant(mysql.INTEGER(unsigned=True), "mysql", "mariadb")


@cache
def mostrador_tables(prefix: str) -> tuple[Table, Table]:
    """``(mostrador_sale, mostrador_lock)`` for the shop's table prefix."""
    metadata = MetaData()
    sale = Table(
        f"{prefix}mostrador_sale",
        metadata,
        Column("uuid", CHAR(36), primary_key=True),
        Column("ticket_number", String(64), nullable=False),
        Column("till", String(64), nullable=False),
        Column("kind", String(10), nullable=False),  # "sale" / "refund"
        Column("id_shop", _UINT, nullable=False),
        Column("id_order", _UINT, nullable=False, server_default="0"),
        Column("id_order_slip", _UINT, nullable=False, server_default="0"),
        Column("reference", String(255), nullable=False, server_default=""),
        Column("invoice_number", _UINT, nullable=False, server_default="0"),
        Column("ticket_date", DateTime, nullable=False),
        Column("pushed_at", DateTime, nullable=False),
        Index(f"{prefix}mostrador_sale_ticket", "ticket_number"),
        Index(f"{prefix}mostrador_sale_order", "id_order"),
        mysql_engine="InnoDB",
        mysql_charset="utf8mb4",
    )
    lock = Table(
        f"{prefix}mostrador_lock",
        metadata,
        Column("name", String(32), primary_key=True),
        Column("counter", _UINT, nullable=False, server_default="0"),
        mysql_engine="InnoDB",
        mysql_charset="utf8mb4",
    )
    return sale, lock


def sale_table(prefix: str) -> Table:
    return mostrador_tables(prefix)[0]


def lock_table(prefix: str) -> Table:
    return mostrador_tables(prefix)[1]


def ensure_tables(engine: Engine, prefix: str) -> None:
    """Create Mostrador's tables and the lock row when missing (idempotent, race-safe)."""
    sale, lock = mostrador_tables(prefix)
    with engine.begin() as conn:
        # Only what is missing: MariaDB refuses even CREATE TABLE IF NOT EXISTS to a user
        # without CREATE, and a shop's admin may have made our tables for such a user.
        existing = set(inspect(conn).get_table_names())
        for table in (sale, lock):
            if table.name in existing:
                continue
            conn.execute(CreateTable(table, if_not_exists=True))
            for index in table.indexes:
                conn.execute(CreateIndex(index, if_not_exists=True))
    with engine.begin() as conn:
        present = conn.execute(select(lock.c.name).where(lock.c.name == INVOICE_LOCK)).first()
        if present is None:
            ignore = "OR IGNORE" if engine.dialect.name == "sqlite" else "IGNORE"
            conn.execute(lock.insert().prefix_with(ignore), {"name": INVOICE_LOCK, "counter": 0})


@cache
def till_table(prefix: str) -> Table:
    """``<prefix>mostrador_till``: one row per (shop, ticket series), owned by one till."""
    return Table(
        f"{prefix}mostrador_till",
        MetaData(),
        Column("id_shop", _UINT, nullable=False),
        Column("series", String(32), nullable=False),
        Column("till_uuid", CHAR(36), nullable=False),
        Column("label", String(64), nullable=False, server_default=""),
        Column("registered_at", DateTime, nullable=False),
        Column("seen_at", DateTime, nullable=False),
        PrimaryKeyConstraint("id_shop", "series"),
        mysql_engine="InnoDB",
        mysql_charset="utf8mb4",
    )


def ensure_till_table(engine: Engine, prefix: str) -> None:
    """Create ``<prefix>mostrador_till`` when missing (idempotent)."""
    with engine.begin() as conn:
        conn.execute(CreateTable(till_table(prefix), if_not_exists=True))
