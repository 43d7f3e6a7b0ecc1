"""The core runs without Qt: app, connectors, printing and updater import with PySide6 absent."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CORE = ("app", "connectors", "printing", "updater")


def _modules(package: str) -> list[str]:
    names = []
    for path in sorted((ROOT / package).rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return names


def test_core_imports_without_pyside6() -> None:
    modules = [m for package in CORE for m in _modules(package)]
    assert len(modules) > 10
    code = (
        "import sys, importlib\n"
        "sys.modules['PySide6'] = None\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "assert not any(m.startswith('PySide6') and sys.modules[m] for m in sys.modules)\n"
        "print('ok')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


def test_core_never_imports_ui() -> None:
    offenders = []
    for package in CORE:
        for path in (ROOT / package).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            if "from ui" in text or "import ui" in text or "PySide6" in text:
                offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


def test_ui_never_touches_the_database_directly() -> None:
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "ui").rglob("*.py")
        if "sqlalchemy" in path.read_text(encoding="utf-8")
        or "connectors" in path.read_text(encoding="utf-8")
    ]
    assert offenders == []
