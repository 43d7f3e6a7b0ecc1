"""build_windows.spec bundles the pinned release root when the checkout has one, and says that
a build without it has updates switched off. The spec runs here as PyInstaller runs it, with
PyInstaller's build steps recorded instead of performed."""

from __future__ import annotations

import shutil
import sys
import types
from pathlib import Path
from typing import Any

import pytest

from tests.updater.conftest import REPO_ROOT
from updater.pin import main as pin_main
from updater.publish import publish


class _Step:
    """Stands for Analysis/PYZ/EXE/COLLECT: records its arguments."""

    calls: list[tuple[str, tuple[Any, ...], dict[str, Any]]]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.calls.append((type(self).__name__, args, kwargs))
        self.pure = self.scripts = self.binaries = self.datas = []


def _run_spec(root: Path, monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """Run build_windows.spec from ``root``; returns the app's ``datas``."""
    calls: list[tuple[str, tuple[Any, ...], dict[str, Any]]] = []
    steps = {n: type(n, (_Step,), {"calls": calls}) for n in ("Analysis", "PYZ", "EXE", "COLLECT")}
    hooks = types.ModuleType("PyInstaller.utils.hooks")
    hooks.collect_data_files = lambda package: []  # type: ignore[attr-defined]
    hooks.collect_submodules = lambda package: [package]  # type: ignore[attr-defined]
    for name in ("PyInstaller", "PyInstaller.utils"):
        monkeypatch.setitem(sys.modules, name, types.ModuleType(name))
    monkeypatch.setitem(sys.modules, "PyInstaller.utils.hooks", hooks)
    monkeypatch.delitem(sys.modules, "bundle_files", raising=False)
    monkeypatch.setattr(sys, "path", list(sys.path))
    spec = root / "build_windows.spec"
    exec(compile(spec.read_text(), str(spec), "exec"), {"SPECPATH": str(root), **steps})
    (app,) = [kwargs for name, _args, kwargs in calls if name == "Analysis" and "datas" in kwargs]
    datas: list[tuple[str, str]] = app["datas"]
    assert "ui.self_test" in app["hiddenimports"]
    return datas


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    """The files the spec reads, copied from this checkout (never writing into it)."""
    root = tmp_path / "checkout"
    for name in ("build_windows.spec", "app/__init__.py", "installer/bundle_files.py"):
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(REPO_ROOT / name, root / name)
    return root


def test_the_pinned_root_is_bundled_when_present(
    checkout: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    publish(tmp_path / "release", tmp_path / "keys")
    pinned = checkout / "updater" / "trusted_root.json"
    assert (
        pin_main([str(tmp_path / "release" / "metadata" / "root.json"), "--target", str(pinned)])
        == 0
    )
    datas = _run_spec(checkout, monkeypatch)
    assert (str(pinned), "updater") in datas
    assert (str(checkout / "resources" / "locale"), "resources/locale") in datas


def test_a_build_without_a_pinned_root_says_updates_are_off(
    checkout: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    datas = _run_spec(checkout, monkeypatch)
    assert not [source for source, folder in datas if folder == "updater"]
    assert "updates switched off" in capsys.readouterr().out
