"""Column types and ``Annotated`` aliases for PrestaShop's recurring column shapes.

Each type carries the facts of the MySQL column it maps (integer size and sign, decimal
precision and scale, varchar length…), so that the mapping can be checked against the real
schema (:func:`column_spec`, used by ``schema_check`` and the tests). On SQLite (the demo shop)
the same types read and write values the way the MySQL ones do.

PrestaShop stores "not set" dates as ``0000-00-00 00:00:00`` in NOT NULL columns (FACTS.md §1):
:class:`PsDateTime` reads such a value as ``None`` and writes ``None`` back as the zero date.
Engines run with ``sql_mode = ''`` (see ``engine.py``), which is what lets MySQL accept it.

Version differences are declared on the column with ``info=since(...)`` (the column exists only
from that schema family on) or ``info=until(..., **changes)`` (older families declare the column
differently, e.g. a narrower varchar).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Literal

from sqlalchemy import (
    CHAR,
    BigInteger,
    Boolean,
    ColumnElement,
    Date,
    DateTime,
    Integer,
    Numeric,
    SmallInteger,
    String,
    Text,
    or_,
)
from sqlalchemy.dialects import mysql
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import mapped_column
from sqlalchemy.schema import Column
from sqlalchemy.types import TypeDecorator, TypeEngine

from connectors.prestashop.version import FAMILIES, family_range

ZERO_DATETIME = "0000-00-00 00:00:00"
ZERO_DATE = "0000-00-00"
VERSIONS_INFO_KEY = "ps_versions"

IntSize = Literal["tinyint", "smallint", "mediumint", "int", "bigint"]
INT_SIZES: tuple[str, ...] = ("tinyint", "smallint", "mediumint", "int", "bigint")
_MYSQL_INTS: dict[str, Callable[..., TypeEngine[int]]] = {
    "tinyint": mysql.TINYINT,
    "smallint": mysql.SMALLINT,
    "mediumint": mysql.MEDIUMINT,
    "int": mysql.INTEGER,
    "bigint": mysql.BIGINT,
}


# --------------------------------------------------------------------------- column facts


@dataclass(frozen=True)
class ColumnSpec:
    """The shape of one column as MySQL declares it, without display widths.

    ``family`` is one of ``tinyint smallint mediumint int bigint decimal varchar char text
    enum date datetime timestamp``.
    """

    family: str
    length: int | None = None
    precision: int | None = None
    scale: int | None = None
    unsigned: bool = False
    nullable: bool = True

    def describe(self) -> str:
        """``"decimal(20,6)"``, ``"int unsigned"``, ``"varchar(9) NULL"``…"""
        text = self.family
        if self.length is not None:
            text += f"({self.length})"
        elif self.precision is not None:
            text += f"({self.precision},{self.scale})"
        if self.unsigned:
            text += " unsigned"
        return text + (" NULL" if self.nullable else " NOT NULL")


@dataclass(frozen=True)
class ColumnVersions:
    """Where a column exists and how older families declare it differently."""

    families: frozenset[str]
    changes: Mapping[str, Mapping[str, Any]]


def since(first: str) -> dict[str, Any]:
    """``info=`` for a column that exists only from schema family ``first`` on."""
    versions = ColumnVersions(families=family_range(first), changes={})
    return {VERSIONS_INFO_KEY: versions}


def until(last: str, **changes: Any) -> dict[str, Any]:
    """``info=`` for a column that families up to ``last`` declare with ``changes``.

    E.g. ``until("8.1", length=9)``: varchar(9) in 1.7.8, 8.0 and 8.1, the declared (wider)
    type from 9.0 on. ``changes`` are :class:`ColumnSpec` fields.
    """
    older = family_range(FAMILIES[0], last)
    versions = ColumnVersions(
        families=frozenset(FAMILIES), changes={family: changes for family in older}
    )
    return {VERSIONS_INFO_KEY: versions}


def column_versions(column: Column[Any]) -> ColumnVersions | None:
    found = column.info.get(VERSIONS_INFO_KEY)
    return found if isinstance(found, ColumnVersions) else None


def exists_in(column: Column[Any], family: str) -> bool:
    versions = column_versions(column)
    return versions is None or family in versions.families


def column_spec(column: Column[Any], family: str | None = None) -> ColumnSpec | None:
    """The declared shape of ``column``; for ``family``, as that family declares it.

    ``None`` when the column does not exist in ``family``.
    """
    spec = dataclasses.replace(type_spec(column.type), nullable=bool(column.nullable))
    if family is None:
        return spec
    versions = column_versions(column)
    if versions is None:
        return spec
    if family not in versions.families:
        return None
    return dataclasses.replace(spec, **versions.changes.get(family, {}))


def type_spec(type_: TypeEngine[Any]) -> ColumnSpec:
    """The MySQL shape of one of the types of this module (or a plain String/Text/CHAR)."""
    if isinstance(type_, _PsType):
        return type_.ps_spec()
    if isinstance(type_, Text):
        return ColumnSpec("text")
    if isinstance(type_, String):
        family = "char" if isinstance(type_, CHAR) else "varchar"
        return ColumnSpec(family, length=type_.length)
    raise TypeError(f"no PrestaShop column shape for {type_!r}")


# --------------------------------------------------------------------------- types


class _PsType:
    """A type of this module: knows the MySQL shape it maps."""

    def ps_spec(self) -> ColumnSpec:
        raise NotImplementedError


class PsInt(TypeDecorator[int], _PsType):
    """An integer of a MySQL size (``tinyint`` … ``bigint``), signed or unsigned."""

    impl = Integer
    cache_ok = True

    def __init__(self, size: IntSize = "int", unsigned: bool = False) -> None:
        super().__init__()
        self.size = size
        self.unsigned = unsigned

    def ps_spec(self) -> ColumnSpec:
        return ColumnSpec(self.size, unsigned=self.unsigned)

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name in ("mysql", "mariadb"):
            return dialect.type_descriptor(_MYSQL_INTS[self.size](unsigned=self.unsigned))
        if self.size == "bigint":
            return dialect.type_descriptor(BigInteger())
        if self.size in ("tinyint", "smallint"):
            return dialect.type_descriptor(SmallInteger())
        return dialect.type_descriptor(Integer())


class PsBool(TypeDecorator[bool], _PsType):
    """A ``tinyint(1)`` holding 0/1 (PrestaShop's flags), read as ``bool``."""

    impl = Boolean
    cache_ok = True

    def __init__(self, unsigned: bool = False) -> None:
        super().__init__(create_constraint=False)
        self.unsigned = unsigned

    def ps_spec(self) -> ColumnSpec:
        return ColumnSpec("tinyint", unsigned=self.unsigned)

    def process_result_value(self, value: Any | None, dialect: Dialect) -> bool | None:
        # MySQL hands tinyint(1) back as an int.
        return None if value is None else bool(value)


class PsDecimal(TypeDecorator[Decimal], _PsType):
    """``decimal(p,s)`` read as a ``Decimal`` with ``s`` places on MySQL and SQLite alike.

    SQLite stores decimals as REAL: values are sent as text and read back through ``str``, so
    no binary-float digits leak into the ``Decimal``.
    """

    impl = Numeric
    cache_ok = True

    def __init__(self, precision: int, scale: int) -> None:
        super().__init__(precision, scale, asdecimal=True)
        self.precision = precision
        self.scale = scale
        self._quantum = Decimal(1).scaleb(-scale)

    def ps_spec(self) -> ColumnSpec:
        return ColumnSpec("decimal", precision=self.precision, scale=self.scale)

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(String())
        return dialect.type_descriptor(Numeric(self.precision, self.scale, asdecimal=True))

    def process_bind_param(self, value: Decimal | None, dialect: Dialect) -> Any:
        if value is None or dialect.name != "sqlite":
            return value
        return str(value)

    def process_result_value(self, value: Any | None, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        number = value if isinstance(value, Decimal) else Decimal(str(value))
        return number.quantize(self._quantum)


class PsEnum(TypeDecorator[str], _PsType):
    """A MySQL ``enum``, read and written as plain text.

    The allowed values differ between PrestaShop versions, so nothing is validated here.
    """

    impl = String
    cache_ok = True

    def __init__(self, *values: str) -> None:
        super().__init__(max(len(v) for v in values))
        self.values = values

    def ps_spec(self) -> ColumnSpec:
        return ColumnSpec("enum")


class PsDateTime(TypeDecorator[dt.datetime], _PsType):
    """A ``datetime``/``timestamp`` where ``0000-00-00 00:00:00`` means "not set".

    Reads a zero date (PyMySQL gives it back as a string) as ``None``. With ``zero_for_none``
    (NOT NULL columns) ``None`` is written as the zero date, otherwise as NULL. Datetimes are
    written without microseconds, as PrestaShop does; on SQLite as ``YYYY-MM-DD HH:MM:SS`` text.
    """

    impl = DateTime
    cache_ok = True

    def __init__(self, zero_for_none: bool = True, sql_type: str = "datetime") -> None:
        super().__init__()
        self.zero_for_none = zero_for_none
        self.sql_type = sql_type

    def ps_spec(self) -> ColumnSpec:
        return ColumnSpec(self.sql_type)

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(String())
        return dialect.type_descriptor(DateTime())

    def process_bind_param(self, value: dt.datetime | str | None, dialect: Dialect) -> Any:
        if value is None:
            return ZERO_DATETIME if self.zero_for_none else None
        if isinstance(value, str):
            return value
        value = value.replace(microsecond=0, tzinfo=None)
        return value.strftime("%Y-%m-%d %H:%M:%S") if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any | None, dialect: Dialect) -> dt.datetime | None:
        return _to_datetime(value)


class PsDate(TypeDecorator[dt.date], _PsType):
    """A ``date`` where ``0000-00-00`` means "not set" (read as ``None``, ``None`` → NULL)."""

    impl = Date
    cache_ok = True

    def ps_spec(self) -> ColumnSpec:
        return ColumnSpec("date")

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(String())
        return dialect.type_descriptor(Date())

    def process_bind_param(self, value: dt.date | str | None, dialect: Dialect) -> Any:
        if value is None or isinstance(value, str) or dialect.name != "sqlite":
            return value
        return value.isoformat()

    def process_result_value(self, value: Any | None, dialect: Dialect) -> dt.date | None:
        if value is None or isinstance(value, dt.date):
            return value.date() if isinstance(value, dt.datetime) else value
        text = value.decode() if isinstance(value, bytes) else str(value)
        if text.startswith("0000"):
            return None
        return dt.date.fromisoformat(text[:10])


def _to_datetime(value: Any) -> dt.datetime | None:
    if value is None or isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    text = value.decode() if isinstance(value, bytes) else str(value)
    if text.startswith("0000"):
        return None
    return dt.datetime.fromisoformat(text)


def unset_date(column: ColumnElement[Any]) -> ColumnElement[bool]:
    """``column`` holds no date: NULL or PrestaShop's zero date."""
    return or_(column.is_(None), column == ZERO_DATETIME)


# --------------------------------------------------------------------------- aliases

# Integers. "U" = unsigned; ids are int(10/11) unsigned unless PrestaShop declares them signed.
UInt = Annotated[int, mapped_column(PsInt("int", unsigned=True))]
Int = Annotated[int, mapped_column(PsInt("int"))]
UIntPK = Annotated[int, mapped_column(PsInt("int", unsigned=True), primary_key=True)]
IntPK = Annotated[int, mapped_column(PsInt("int"), primary_key=True)]
TinyInt = Annotated[int, mapped_column(PsInt("tinyint"))]
UTinyInt = Annotated[int, mapped_column(PsInt("tinyint", unsigned=True))]
SmallInt = Annotated[int, mapped_column(PsInt("smallint"))]
USmallInt = Annotated[int, mapped_column(PsInt("smallint", unsigned=True))]
UMediumInt = Annotated[int, mapped_column(PsInt("mediumint", unsigned=True))]
BigInt = Annotated[int, mapped_column(PsInt("bigint"))]

# tinyint(1) 0/1 flags as bool (signed / unsigned as declared).
Flag = Annotated[bool, mapped_column(PsBool())]
UFlag = Annotated[bool, mapped_column(PsBool(unsigned=True))]

# Decimals: prices and amounts decimal(20,6), ecotax (17,6), currency rates (13,6), tax rates
# (10,3), percentages (5,2), group-reduction fractions (5,4), order_detail_tax (16,6),
# order_invoice_tax (10,6), ecotax rate (5,3).
Price = Annotated[Decimal, mapped_column(PsDecimal(20, 6))]
Ecotax = Annotated[Decimal, mapped_column(PsDecimal(17, 6))]
ConversionRate = Annotated[Decimal, mapped_column(PsDecimal(13, 6))]
TaxRate = Annotated[Decimal, mapped_column(PsDecimal(10, 3))]
Percent = Annotated[Decimal, mapped_column(PsDecimal(5, 2))]
Fraction = Annotated[Decimal, mapped_column(PsDecimal(5, 4))]
TaxAmount = Annotated[Decimal, mapped_column(PsDecimal(16, 6))]
InvoiceTaxAmount = Annotated[Decimal, mapped_column(PsDecimal(10, 6))]
EcotaxRate = Annotated[Decimal, mapped_column(PsDecimal(5, 3))]

# Texts (text in 1.7.8/8.0, mediumtext from 8.1.7: same family).
LongText = Annotated[str, mapped_column(Text)]

# Dates. DateAdd: NOT NULL, always set by PrestaShop (date_add/date_upd). ZeroDateTime: NOT
# NULL, zero date = not set (None). NullDateTime: nullable; a zero date also reads as None.
DateAdd = Annotated[dt.datetime, mapped_column(PsDateTime(), nullable=False)]
ZeroDateTime = Annotated[dt.datetime | None, mapped_column(PsDateTime(), nullable=False)]
NullDateTime = Annotated[
    dt.datetime | None, mapped_column(PsDateTime(zero_for_none=False), nullable=True)
]
Timestamp = Annotated[dt.datetime, mapped_column(PsDateTime(sql_type="timestamp"), nullable=False)]
NullDate = Annotated[dt.date | None, mapped_column(PsDate(), nullable=True)]


def varchar(length: int) -> String:
    """``varchar(length)``; used as ``mapped_column(varchar(64))``."""
    return String(length)


# --------------------------------------------------------------------------- declarations


class PsTable:
    """Base of the column declarations of one PrestaShop table (not mapped by itself).

    ``models.build_models`` maps a concrete subclass per table prefix; ``__ps_table__`` is the
    table name without prefix.
    """

    __ps_table__: ClassVar[str]

    if TYPE_CHECKING:

        def __init__(self, **kwargs: Any) -> None: ...
