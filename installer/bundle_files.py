"""What ``build_windows.spec`` puts next to the code in the app bundle (no PyInstaller needed, so
the tests can check it).

The pinned release root (``updater/trusted_root.json``, see ``python -m updater.pin``) and the
build's default release folder (``updater/release_url.txt``) are bundled when present; without
the root the build has updates switched off and says so. Likewise the VERI*FACTU producer
identity (``resources/verifactu/producer.json``, see ``python -m app.verifactu.producer``) goes
with ``resources/verifactu`` when the build wrote it; without it the build is not an official
release and cannot send fiscal records to the AEAT's production service.
"""

from __future__ import annotations

from pathlib import Path

RESOURCE_DIRS = (
    "resources/locale",  # .po and the built .mo (the build runs pybabel compile first)
    "resources/help",  # F1 help pages (ui/help.py)
    "resources/icons",
    "resources/verifactu",  # the responsible declaration (Help > About), producer.json if any
    "connectors/prestashop/schemas",
)
UPDATER_FILES = ("trusted_root.json", "release_url.txt")
PRODUCER_FILE = "resources/verifactu/producer.json"


def data_files(root: Path) -> list[tuple[str, str]]:
    """(source, folder inside the bundle) pairs for PyInstaller's ``datas``."""
    datas = [(str(root / folder), folder) for folder in RESOURCE_DIRS]
    for name in UPDATER_FILES:
        path = root / "updater" / name
        if path.is_file():
            datas.append((str(path), "updater"))
    return datas


def pinned_root_bundled(datas: list[tuple[str, str]]) -> bool:
    return any(Path(source).name == UPDATER_FILES[0] for source, _folder in datas)


def producer_bundled(datas: list[tuple[str, str]]) -> bool:
    """The bundled ``resources/verifactu`` folder holds the producer identity."""
    folder = str(Path(PRODUCER_FILE).parent)
    name = Path(PRODUCER_FILE).name
    return any(Path(source, name).is_file() for source, target in datas if target == folder)
