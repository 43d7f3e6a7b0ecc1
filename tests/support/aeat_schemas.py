"""The AEAT's VERI*FACTU schemas for the XML tests, when this machine has them.

They are not kept in the repository (a third party's files): ``scripts/aeat_schemas.sh``
downloads them into ``.cache/aeat-xsd/``, used automatically; ``MOSTRADOR_AEAT_XSD_DIR`` names
another folder. Without them the tests that validate against them are skipped and say so.
``SuministroInformacion.xsd`` imports the W3C's XML signature schema by its web address: it is
read from the same folder, never from the network.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from lxml import etree

REPO_ROOT = Path(__file__).resolve().parents[2]
CACHE_DIR = REPO_ROOT / ".cache" / "aeat-xsd"
ENTRY = "SuministroLR.xsd"
XMLDSIG = "xmldsig-core-schema.xsd"
SKIP_REASON = (
    "the AEAT schemas are not here: run scripts/aeat_schemas.sh or set MOSTRADOR_AEAT_XSD_DIR"
)


def xsd_dir() -> Path | None:
    """The folder holding ``SuministroLR.xsd``: the environment's, else the cache; or None."""
    configured = os.environ.get("MOSTRADOR_AEAT_XSD_DIR", "")
    for folder in (Path(configured) if configured else None, CACHE_DIR):
        if folder is not None and (folder / ENTRY).is_file():
            return folder
    return None


class _LocalSchemas(etree.Resolver):
    """Imports by web address (the W3C's xmldsig, the AEAT's own) from the local folder."""

    def __init__(self, folder: Path) -> None:
        super().__init__()
        self.folder = folder

    def resolve(self, system_url: str, public_id: str, context: object) -> object:
        local = self.folder / system_url.rsplit("/", 1)[-1]
        if "://" in system_url and local.is_file():
            return self.resolve_filename(str(local), context)
        return None


def aeat_schema() -> etree.XMLSchema:
    """``SuministroLR.xsd`` (with what it imports), or the test is skipped."""
    folder = xsd_dir()
    if folder is None:
        pytest.skip(SKIP_REASON)
    parser = etree.XMLParser(no_network=True)
    parser.resolvers.add(_LocalSchemas(folder))
    return etree.XMLSchema(etree.parse(str(folder / ENTRY), parser))
