"""``mostrador --self-test``: what the build runs on the bundle it made."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.updater.conftest import REPO_ROOT


def test_self_test_passes_on_a_whole_installation(tmp_path: Path) -> None:
    env = dict(os.environ, MOSTRADOR_HOME=str(tmp_path), QT_QPA_PLATFORM="offscreen")
    result = subprocess.run(
        [sys.executable, "-m", "ui.launch", "--self-test"],
        cwd=REPO_ROOT, env=env, capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "self-test: ok" in result.stdout
    assert not (tmp_path / "data").exists() or not list((tmp_path / "data").glob("till-*"))
