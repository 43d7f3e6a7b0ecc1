"""Extract the column facts of the tables Mostrador maps from PrestaShop's schema files.

Usage (from the repository root)::

    .venv/bin/python tests/data/make_mapping_facts.py [/work/shared/prestashop]

Reads ``schema-<version>.json`` (layout in FACTS.md §0) and writes ``mapping_facts.json`` next
to this script: ``{"versions": {version: {"family", "source", "tables": {table:
{"primary_key": [...], "columns": {column: {"type", "length"?, "precision"?, "scale"?,
"unsigned"? (only when true), "nullable"}}}}}}}``. ``type`` is normalised the way
``types.ColumnSpec`` names families: boolean → tinyint, numeric → decimal,
tinytext/mediumtext/longtext → text. Only the tables of the mapping are kept, with all their
columns, so that tests never read /work/shared.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from connectors.prestashop.models import mapped_tables  # noqa: E402

# schema file suffix → schema family (connectors.prestashop.version.FAMILIES)
SCHEMA_FILES = {"1.7.8": "1.7.8", "8.0": "8.0", "8.2": "8.1", "9.0": "9.0", "9.1-dev": "9.1"}
FAMILY_ALIASES = {
    "boolean": "tinyint",
    "numeric": "decimal",
    "tinytext": "text",
    "mediumtext": "text",
    "longtext": "text",
}
OUTPUT = Path(__file__).resolve().parent / "mapping_facts.json"


def column_facts(column: dict[str, Any]) -> dict[str, Any]:
    base = FAMILY_ALIASES.get(column["base_type"], column["base_type"])
    facts: dict[str, Any] = {"type": base}
    if base in ("varchar", "char"):
        facts["length"] = column["length"]
    if base == "decimal":
        facts["precision"], facts["scale"] = column["precision"], column["scale"]
    if column.get("unsigned"):
        facts["unsigned"] = True
    facts["nullable"] = bool(column["nullable"])
    return facts


def version_facts(path: Path, family: str) -> dict[str, Any]:
    schema = json.loads(path.read_text(encoding="utf-8"))
    tables: dict[str, Any] = {}
    for name in mapped_tables():
        table = schema["tables"].get(name)
        if table is None:
            continue
        tables[name] = {
            "primary_key": table["primary_key"],
            "columns": {c["name"]: column_facts(c) for c in table["columns"]},
        }
    return {"family": family, "source": schema.get("prestashop_version", ""), "tables": tables}


def render(versions: dict[str, Any]) -> str:
    """JSON with one line per table, so that a diff shows which table changed."""
    lines = ['{"versions": {']
    for v_index, (version, facts) in enumerate(versions.items()):
        head = {k: facts[k] for k in ("family", "source")}
        lines.append(f"{json.dumps(version)}: {json.dumps(head)[:-1]}, " + '"tables": {')
        tables = sorted(facts["tables"].items())
        for t_index, (name, table) in enumerate(tables):
            comma = "," if t_index < len(tables) - 1 else ""
            lines.append(f"  {json.dumps(name)}: {json.dumps(table, separators=(',', ':'))}{comma}")
        lines.append("}}" + ("," if v_index < len(versions) - 1 else ""))
    lines.append("}}")
    return "\n".join(lines) + "\n"


def main(source: Path) -> None:
    versions = {
        version: version_facts(source / f"schema-{version}.json", family)
        for version, family in SCHEMA_FILES.items()
    }
    OUTPUT.write_text(render(versions))
    print(f"wrote {OUTPUT} ({len(versions)} versions, {len(mapped_tables())} tables)")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "/work/shared/prestashop"))
