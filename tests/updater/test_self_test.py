"""``mostrador --self-test``: what the build runs on the bundle it made."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.updater.conftest import REPO_ROOT


def test_self_test_passes_on_a_whole_installation(tmp_path: Path) -> None:
    env = dict(os.environ, MOSTRADOR_HOME=str(tmp_path), QT_QPA_PLATFORM="offscreen")
    result = subprocess.run(
        [sys.executable, "-m", "ui.launch", "--self-test"],
        cwd=REPO_ROOT, env=env, capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "self-test: ok" in result.stdout
    assert "self-test: window: ok (" in result.stdout  # Qt started off screen, screens import
    assert "self-test: demo shop: ok" in result.stdout
    assert not (tmp_path / "data").exists() or not list((tmp_path / "data").glob("till-*"))


def test_self_test_fails_when_a_part_of_the_installation_is_broken(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Exit 0 only when every check passes: a broken window toolkit or a lost catalogue fails."""
    from app import self_test

    def broken_window() -> None:
        raise ImportError("Qt platform plugin qxcb missing")

    assert self_test.run_self_test(window_check=broken_window) == 1
    out, err = capsys.readouterr()
    assert "FAILED window" in out and "qxcb missing" in err
    monkeypatch.setattr(self_test, "LOCALE_DIR", tmp_path)  # no compiled catalogues
    assert self_test.run_self_test(window_check=lambda: ["fake"]) == 1
    assert "FAILED translations" in capsys.readouterr().out
