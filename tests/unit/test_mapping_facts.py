"""The typed PrestaShop mapping against the real table definitions of every supported version.

Facts come from tests/data/mapping_facts.json (made by tests/data/make_mapping_facts.py from the
schema files described in FACTS.md §0); nothing here touches a database.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.dialects import mysql, sqlite

from connectors.prestashop import models as models_module
from connectors.prestashop.models import (
    build_models,
    declared_table_columns,
    mapped_tables,
)
from connectors.prestashop.types import (
    ZERO_DATETIME,
    ColumnSpec,
    PsDate,
    PsDateTime,
    PsDecimal,
    column_spec,
    column_versions,
)
from connectors.prestashop.version import FAMILIES, classify, optional_columns

FACTS_PATH = Path(__file__).resolve().parents[1] / "data" / "mapping_facts.json"
SCHEMA_VERSIONS = ("1.7.8", "8.0", "8.2", "9.0", "9.1-dev")


@cache
def facts() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(FACTS_PATH.read_text(encoding="utf-8"))["versions"]
    return loaded


def fact_spec(column: dict[str, Any]) -> ColumnSpec:
    return ColumnSpec(
        family=column["type"],
        length=column.get("length"),
        precision=column.get("precision"),
        scale=column.get("scale"),
        unsigned=column.get("unsigned", False),
        nullable=column["nullable"],
    )


def mismatches(version: str) -> list[str]:
    """Every way the mapping differs from the facts of ``version``."""
    version_facts = facts()[version]
    family = version_facts["family"]
    problems: list[str] = []
    for table in mapped_tables():
        real = version_facts["tables"].get(table)
        if real is None:
            problems.append(f"{table}: table missing in {version}")
            continue
        for name, column in declared_table_columns(table).items():
            expected = column_spec(column, family)
            found = real["columns"].get(name)
            if expected is None and found is not None:
                problems.append(f"{table}.{name}: exists in {version} but declared absent")
            elif expected is not None and found is None:
                problems.append(f"{table}.{name}: missing in {version}")
            elif expected is not None and found is not None and expected != fact_spec(found):
                problems.append(
                    f"{table}.{name}: mapped {expected.describe()}, "
                    f"{version} has {fact_spec(found).describe()}"
                )
    return problems


def test_facts_cover_every_schema_version() -> None:
    assert tuple(facts()) == SCHEMA_VERSIONS
    assert {v["family"] for v in facts().values()} == set(FAMILIES)


@pytest.mark.parametrize("version", SCHEMA_VERSIONS)
def test_every_mapped_column_matches_the_schema(version: str) -> None:
    assert mismatches(version) == []


def test_a_wrong_declaration_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    """The comparison can fail: break one declared column and it must be reported."""
    column = declared_table_columns("orders")["total_paid"]
    monkeypatch.setattr(column.type, "scale", 2)
    assert "orders.total_paid: mapped decimal(20,2) NOT NULL" in " ".join(mismatches("9.0"))


@pytest.mark.parametrize("version", SCHEMA_VERSIONS)
def test_mapped_primary_keys_are_the_schema_ones(version: str) -> None:
    for table in mapped_tables():
        real_pk = facts()[version]["tables"][table]["primary_key"]
        mapper = build_models().by_table[table].__mapper__  # type: ignore[attr-defined]
        mapped_pk = [c.name for c in mapper.primary_key]
        if real_pk:
            assert sorted(mapped_pk) == sorted(real_pk), table
        else:  # tables without a key: the mapper's key is made of real columns
            assert set(mapped_pk) <= set(facts()[version]["tables"][table]["columns"]), table


EXPECTED_OPTIONAL = {
    "1.7.8": {
        "category": {"redirect_type", "id_type_redirected"},
        "category_lang": {"additional_description"},
        "product": {"unit_price"},
        "product_shop": {"unit_price"},
        "order_payment": {"id_employee"},
    },
    "8.0": {
        "category": {"redirect_type", "id_type_redirected"},
        "order_payment": {"id_employee"},
    },
    "8.1": {"category": {"redirect_type", "id_type_redirected"}},
    "9.0": {},
    "9.1": {},
}


@pytest.mark.parametrize("family", FAMILIES)
def test_version_optional_columns_per_family(family: str) -> None:
    assert {t: set(c) for t, c in optional_columns(family).items()} == EXPECTED_OPTIONAL[family]


def test_every_version_rule_matters() -> None:
    """A ``since``/``until`` declaration must describe a real difference between versions."""
    for table in mapped_tables():
        for name, column in declared_table_columns(table).items():
            if column_versions(column) is None:
                continue
            shapes = {str(column_spec(column, family)) for family in FAMILIES}
            assert len(shapes) > 1, f"{table}.{name} is the same in every version"


def test_columns_left_unmapped_on_purpose() -> None:
    assert "quantity" not in declared_table_columns("product_attribute")
    assert "location" not in declared_table_columns("product_attribute")
    for table in ("product_lang", "category_lang", "supplier_lang"):
        assert "meta_keywords" not in declared_table_columns(table)


# --------------------------------------------------------------------------- build_models


def test_models_use_the_prefix_and_are_cached() -> None:
    first = build_models("ps_")
    assert build_models("ps_") is first
    other = build_models("shop2_")
    assert other is not first
    assert other.Product.__table__.name == "shop2_product"  # type: ignore[attr-defined]
    stmt = select(other.Product).where(other.Product.id_product == 1)
    assert "FROM shop2_product" in str(stmt)


def test_absent_columns_are_not_mapped() -> None:
    models = build_models("ps_", {"order_payment": {"id_employee"}, "product": ["unit_price"]})
    assert build_models("ps_", {"product": {"unit_price"}, "order_payment": ["id_employee"]}) is (
        models
    )
    sql = str(select(models.OrderPayment).compile(dialect=mysql.dialect()))
    assert "id_employee" not in sql
    assert "unit_price" not in models.Product.__table__.c  # type: ignore[attr-defined]
    assert "unit_price" in models.ProductShop.__table__.c  # type: ignore[attr-defined]
    assert not models.has("order_payment", "id_employee")
    # a column declared by its annotation only is left out too
    noteless = build_models("ps_", {"orders": {"note"}})
    assert "note" not in noteless.Orders.__table__.c  # type: ignore[attr-defined]
    with pytest.raises(TypeError):
        noteless.Orders(note="x")
    assert models.has("order_payment", "amount")
    with pytest.raises(AttributeError, match="order_payment.id_employee"):
        _ = models.OrderPayment.id_employee
    with pytest.raises(TypeError):
        models.OrderPayment(id_employee=1)
    full = build_models("ps_")
    assert "id_employee" in str(select(full.OrderPayment).compile(dialect=mysql.dialect()))


def test_reserved_words_are_quoted() -> None:
    models = build_models("")
    sql = str(
        select(models.SpecificPrice.from_, models.Group.id_group).compile(dialect=mysql.dialect())
    )
    assert "`from`" in sql and "`group`" in sql


# --------------------------------------------------------------------------- types


def test_zero_dates_read_as_none_and_none_writes_zero() -> None:
    dialect = mysql.dialect()
    not_null, nullable = PsDateTime(), PsDateTime(zero_for_none=False)
    assert not_null.process_result_value(ZERO_DATETIME, dialect) is None
    assert not_null.process_result_value(None, dialect) is None
    assert not_null.process_bind_param(None, dialect) == ZERO_DATETIME
    assert nullable.process_bind_param(None, dialect) is None
    moment = dt.datetime(2024, 5, 1, 10, 30, 15, 123)
    assert not_null.process_bind_param(moment, dialect) == moment.replace(microsecond=0)
    lite = sqlite.dialect()
    assert not_null.process_bind_param(moment, lite) == "2024-05-01 10:30:15"
    assert not_null.process_bind_param(None, lite) == ZERO_DATETIME
    assert not_null.process_result_value("2024-05-01 10:30:15", lite) == moment.replace(
        microsecond=0
    )
    assert PsDate().process_result_value("0000-00-00", dialect) is None
    assert PsDate().process_result_value("2024-05-01", lite) == dt.date(2024, 5, 1)


def test_decimals_keep_their_scale_on_sqlite() -> None:
    price = PsDecimal(20, 6)
    lite = sqlite.dialect()
    assert price.process_bind_param(Decimal("12.50"), lite) == "12.50"
    assert price.process_result_value(12.5, lite) == Decimal("12.500000")
    assert price.process_result_value(0.1, lite) == Decimal("0.100000")
    assert str(price.process_result_value(Decimal("3.100000"), mysql.dialect())) == "3.100000"


# --------------------------------------------------------------------------- versions


@pytest.mark.parametrize(
    ("raw", "family"),
    [
        ("1.7.8.0", "1.7.8"),
        ("1.7.8.11", "1.7.8"),
        ("1.7.7.8", None),
        ("1.6.1.24", None),
        ("8.0.5", "8.0"),
        ("8.1.7", "8.1"),
        ("8.2.1", "8.1"),
        ("9.0.0", "9.0"),
        ("9.0.1", "9.0"),
        ("9.1.0", "9.1"),
        ("9.2.0", "9.1"),
        ("10.0.0", None),
        ("", None),
        ("not a version", None),
    ],
)
def test_versions_are_classified(raw: str, family: str | None) -> None:
    version = classify(raw)
    assert version.family == family
    assert version.supported is (family is not None)
    assert version.raw == raw


def test_module_exposes_every_declaration() -> None:
    models = build_models()
    for declaration in models_module.DECLARATIONS:
        mapped = getattr(models, declaration.__name__)
        assert issubclass(mapped, declaration)
        assert mapped.__table__.name == "ps_" + declaration.__ps_table__
