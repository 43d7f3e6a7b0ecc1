"""The updater runs when the installed app is broken: it imports nothing of Mostrador."""

from __future__ import annotations

import subprocess
import sys

from tests.updater.conftest import REPO_ROOT

MODULES = [
    "updater", "updater.apply", "updater.archive", "updater.client", "updater.download",
    "updater.health", "updater.launcher", "updater.layout", "updater.package",
    "updater.publish", "updater.snapshot", "updater.state", "updater.verify", "updater.versions",
]  # fmt: skip


def test_updater_imports_with_the_app_unimportable() -> None:
    code = (
        "import sys\n"
        "for name in ('app', 'ui', 'connectors', 'printing', 'PySide6', 'sqlalchemy'):\n"
        "    sys.modules[name] = None\n"
        f"for module in {MODULES!r}:\n"
        "    __import__(module)\n"
        "leaked = [m for m in sys.modules if m.split('.')[0] in "
        "('app', 'ui', 'connectors', 'printing') and sys.modules[m] is not None]\n"
        "assert not leaked, leaked\n"
        "from updater.launcher import main\n"
        "print('ok')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO_ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


def test_launcher_says_when_nothing_is_installed(tmp_path: object) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "updater.launcher", "--root", str(tmp_path)],
        cwd=REPO_ROOT, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 3
    assert "no version installed" in result.stderr


def test_the_launcher_needs_neither_tuf_nor_cryptography() -> None:
    """The launcher is frozen on its own, small; verification happens in the app."""
    code = (
        "import sys\n"
        "for name in ('tuf', 'securesystemslib', 'cryptography', 'app', 'ui', 'PySide6'):\n"
        "    sys.modules[name] = None\n"
        "from updater.launcher import main\n"
        "sys.exit(main(['--self-test']))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO_ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert "launcher self-test: ok" in result.stdout
