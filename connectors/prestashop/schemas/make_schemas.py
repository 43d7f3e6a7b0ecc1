"""Build the compact schema facts shipped with the app (run by hand, never at runtime).

Reads ``schema-<version>.json`` (the PrestaShop table definitions established in
``shared/prestashop``, layout in FACTS.md §0) and writes ``ps-<version>.json`` beside this
script: every table with its columns in order, primary key, unique keys, indexes and table
options, nothing else. The output is one line of JSON per file, to keep the package small;
column facts equal to their usual value (``unsigned``/``auto_increment``/``has_default`` false,
``default`` null) are left out and restored by ``connectors.prestashop.ddl.load_facts``.

Usage::

    .venv/bin/python connectors/prestashop/schemas/make_schemas.py [SOURCE_DIR]

``SOURCE_DIR`` defaults to ``../shared/prestashop`` relative to the repository root.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

VERSIONS = ("1.7.8", "8.0", "8.2", "9.0")
HERE = Path(__file__).resolve().parent
DEFAULT_SOURCE = HERE.parents[3] / "shared" / "prestashop"
FORMAT = 1

_COLUMN_KEYS = (
    "name",
    "type",
    "base_type",
    "length",
    "precision",
    "scale",
    "unsigned",
    "nullable",
    "has_default",
    "default",
    "auto_increment",
    "enum_values",
    "collate",
)
_OPTIONAL_KEYS = {"length", "precision", "scale", "enum_values", "collate"}
# Facts left out when they hold this value; ``ddl.load_facts`` puts them back.
OMITTED_WHEN = {"unsigned": False, "has_default": False, "default": None, "auto_increment": False}
_PREFIX_LENGTH = re.compile(r"^(?P<name>\w+)\((?P<length>\d+)\)$")


def compact_column(column: dict[str, Any]) -> dict[str, Any]:
    """The column facts we keep; optional facts only when the source has them."""
    out: dict[str, Any] = {}
    for key in _COLUMN_KEYS:
        value = column.get(key)
        if key in _OPTIONAL_KEYS and value is None:
            continue
        if key in OMITTED_WHEN and value == OMITTED_WHEN[key]:
            continue
        out[key] = value
    # A nullable column declared without DEFAULT gets DEFAULT NULL from MySQL.
    if column.get("implicit_default_null"):
        out["has_default"] = True
    return out


def _in_key(column: dict[str, Any], primary_key: set[str]) -> dict[str, Any]:
    """MySQL makes primary-key columns NOT NULL (and drops a DEFAULT NULL) whatever declared."""
    if column["name"] in primary_key and column["nullable"]:
        column["nullable"] = False
        if column.get("default") is None:
            column.pop("has_default", None)
    return column


def compact_key(key: dict[str, Any]) -> dict[str, Any]:
    """An index: plain column names, and ``lengths`` for prefix indexes like ``recipient(10)``."""
    names: list[str] = []
    lengths: dict[str, int] = {}
    for column in key["columns"]:
        match = _PREFIX_LENGTH.match(column)
        if match:
            names.append(match["name"])
            lengths[match["name"]] = int(match["length"])
        else:
            names.append(column)
    out: dict[str, Any] = {"name": key["name"], "columns": names}
    if lengths:
        out["lengths"] = lengths
    return out


def compact_options(options: dict[str, Any]) -> dict[str, Any]:
    """Installer placeholders (``_MYSQL_ENGINE_``, COLLATION) become InnoDB / database default."""
    collate = options.get("collate")
    if collate is not None and not collate.startswith("utf8"):
        collate = None
    return {"engine": "InnoDB", "charset": options.get("charset") or "utf8mb4", "collate": collate}


def compact_table(table: dict[str, Any]) -> dict[str, Any]:
    primary_key = set(table["primary_key"])
    return {
        "columns": [_in_key(compact_column(c), primary_key) for c in table["columns"]],
        "primary_key": list(table["primary_key"]),
        "unique_keys": [compact_key(k) for k in table["unique_keys"]],
        "indexes": [compact_key(k) for k in table["indexes"]],
        "options": compact_options(table.get("options") or {}),
    }


def compact_schema(source: dict[str, Any], version: str) -> dict[str, Any]:
    tables = source["tables"]
    return {
        "format": FORMAT,
        "version": version,
        "prestashop_version": source.get("prestashop_version"),
        "table_count": len(tables),
        "tables": {name: compact_table(tables[name]) for name in sorted(tables)},
    }


def main(argv: list[str]) -> int:
    source_dir = Path(argv[1]) if len(argv) > 1 else DEFAULT_SOURCE
    for version in VERSIONS:
        source = json.loads((source_dir / f"schema-{version}.json").read_text("utf-8"))
        target = HERE / f"ps-{version}.json"
        text = json.dumps(compact_schema(source, version), separators=(",", ":"), sort_keys=False)
        target.write_text(text + "\n", encoding="utf-8")
        print(f"{target.name}: {len(source['tables'])} tables, {len(text) // 1024} KiB")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
