"""Helpers of the demo shop generator: batched inserts, money, EAN13, slugs, bcrypt hashes."""

from __future__ import annotations

import datetime
import functools
import random
import time
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import bcrypt
from sqlalchemy import Connection, MetaData, insert

Row = dict[str, Any]
CENT = Decimal("0.01")
MICRO = Decimal("0.000001")
ZERO = Decimal(0)
ZERO_DATETIME = "0000-00-00 00:00:00"
BCRYPT_ALPHABET = "./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
# Rows per INSERT round trip: PyMySQL turns an executemany into multi-row INSERTs anyway.
CHUNK = 5000


def money(value: Decimal) -> Decimal:
    """Round to the currency precision (2), half up: PS_PRICE_ROUND_MODE=2."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def price6(value: Decimal) -> Decimal:
    """Round to PrestaShop's 6 stored decimals, half up."""
    return value.quantize(MICRO, rounding=ROUND_HALF_UP)


def ean13(prefix: str, number: int) -> str:
    """An EAN13 with a restricted-circulation GS1 prefix (20–29), so no real GTIN collides."""
    body = f"{prefix}{number:0{12 - len(prefix)}d}"
    if len(body) != 12:
        raise ValueError(f"EAN13 body too long: {body}")
    return body + str(ean13_check_digit(body))


def ean13_check_digit(body: str) -> int:
    """Check digit of the first 12 digits (weights 1, 3, 1, 3… from the left)."""
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(body[:12]))
    return (10 - total % 10) % 10


def slugify(text: str) -> str:
    """PrestaShop-like link_rewrite: ascii, lowercase, words joined by dashes."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = "".join(c if c.isalnum() else " " for c in ascii_text.lower()).split()
    return "-".join(words)[:128]


def ascii_lower(text: str) -> str:
    return slugify(text).replace("-", "")


def bcrypt_hash(password: str, rng: random.Random, cost: int = 10) -> str:
    """A bcrypt hash with a salt from ``rng`` (deterministic), in PHP's ``$2y$`` form."""
    salt_chars = "".join(rng.choice(BCRYPT_ALPHABET) for _ in range(21)) + rng.choice(".Oeu")
    return _bcrypt_with_salt(password, f"$2b${cost:02d}${salt_chars}")


@functools.lru_cache(maxsize=256)
def _bcrypt_with_salt(password: str, salt: str) -> str:
    """Cached: rebuilding a shop with the same seed (tests) does not pay bcrypt's cost again."""
    hashed = bcrypt.hashpw(password.encode(), salt.encode()).decode()
    return "$2y$" + hashed[4:]


def secure_key(rng: random.Random) -> str:
    """32 hex characters, like PrestaShop's md5(uniqid)."""
    return f"{rng.getrandbits(128):032x}"


class Sink:
    """Buffers rows per table and writes them with executemany, in chunks.

    Keys that the table of this schema version lacks are dropped (one row builder serves
    every version); rows of one table must all have the same keys.
    """

    def __init__(self, metadata: MetaData) -> None:
        self.metadata = metadata
        self.prefix: str = metadata.info["prefix"]
        self.buffers: dict[str, list[Row]] = {}
        self.counts: Counter[str] = Counter()
        self.seconds_writing = 0.0

    def has_table(self, name: str) -> bool:
        return self.prefix + name in self.metadata.tables

    def has_column(self, table: str, column: str) -> bool:
        full = self.metadata.tables.get(self.prefix + table)
        return full is not None and column in full.c

    def add(self, table: str, row: Row) -> None:
        self.buffers.setdefault(table, []).append(row)

    def extend(self, table: str, rows: Iterable[Row]) -> None:
        self.buffers.setdefault(table, []).extend(rows)

    def flush(self, conn: Connection) -> int:
        """Insert every buffered row; return how many."""
        started, written = time.perf_counter(), 0
        for name, rows in self.buffers.items():
            if rows and self.has_table(name):
                written += self._insert(conn, name, rows)
        self.buffers.clear()
        self.seconds_writing += time.perf_counter() - started
        return written

    def _insert(self, conn: Connection, name: str, rows: list[Row]) -> int:
        table = self.metadata.tables[self.prefix + name]
        extra = set(rows[0]) - set(table.c.keys())
        if extra:
            rows = [{k: v for k, v in row.items() if k not in extra} for row in rows]
        statement = insert(table)
        for start in range(0, len(rows), CHUNK):
            conn.execute(statement, rows[start : start + CHUNK])
        self.counts[name] += len(rows)
        return len(rows)


@dataclass
class Context:
    """What every part of the generator shares: version, random stream, clock, row sink."""

    version: str
    rng: random.Random
    now: datetime.datetime  # the shop's "today": every date is before it
    sink: Sink
    state_ids: dict[str, int] = field(default_factory=dict)  # province ISO → id_state

    @property
    def installed(self) -> datetime.datetime:
        """When the shop was installed: two years before ``now``."""
        return self.now - datetime.timedelta(days=730)

    def ago(self, days: float) -> datetime.datetime:
        return (self.now - datetime.timedelta(days=days)).replace(microsecond=0)

    @property
    def is_9(self) -> bool:
        return self.version.startswith("9.")
