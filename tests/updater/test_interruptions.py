"""The updater killed (SIGKILL) at each step leaves a startable version; a half-staged folder is
never used; a version folder held by a running process is never replaced."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.updater.conftest import PYTHON, ReleaseServer, install_root, package_app, started
from updater.apply import STEP_ENV, ApplyError, stage_update, verify_folder
from updater.client import check_for_update, download_and_stage
from updater.launcher import run
from updater.layout import STAGING_PREFIX, Layout, version_lock_path
from updater.state import load_state

CLIENT_STEPS = ["downloaded", "verified", "extracted", "complete", "installed", "pending"]
LAUNCHER_STEPS = ["snapshot", "state-saved"]


def _kill_at(command: list[str], target: str, env: dict[str, str]) -> None:
    """Run ``command`` pausing at each step; SIGKILL it when it reaches ``target``."""
    env = dict(env, **{STEP_ENV: "1"})
    process = subprocess.Popen(
        command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env, text=True
    )
    assert process.stdin is not None and process.stdout is not None
    try:
        for line in process.stdout:
            if line.strip() == f"STEP {target}":
                process.send_signal(signal.SIGKILL)
                break
            if line.startswith("STEP "):
                process.stdin.write("\n")
                process.stdin.flush()
        else:
            pytest.fail(f"the process never reached step {target}")
    finally:
        process.wait(30)
    assert process.returncode == -signal.SIGKILL


def _client(layout: Layout, server: ReleaseServer) -> list[str]:
    root_file = server.repo / "metadata" / "root.json"
    return [PYTHON, "-m", "updater.client", "--root", str(layout.root), "--url", server.url,
            "--trusted-root", str(root_file), "install"]  # fmt: skip


def _assert_startable(layout: Layout, expected: str) -> None:
    assert run(layout) == 0
    version = started(layout)[-1].split()[0]
    assert version == expected
    assert verify_folder(layout.version_dir(version))
    assert not [p for p in layout.versions.iterdir() if p.name.startswith(STAGING_PREFIX)]


@pytest.mark.parametrize("step", CLIENT_STEPS)
def test_killed_while_installing_leaves_a_startable_version(
    release_server: ReleaseServer, tmp_path: Path, python_env: dict[str, str], step: str
) -> None:
    layout = install_root(tmp_path)
    release_server.publish("0.2.0")
    _kill_at(_client(layout, release_server), step, python_env)

    _assert_startable(layout, "0.2.0" if step == "pending" else "0.1.0")
    if step != "pending":  # the next try installs it
        offer = check_for_update(layout, release_server.source)
        assert offer is not None
        download_and_stage(layout, offer)
        _assert_startable(layout, "0.2.0")


@pytest.mark.parametrize("step", LAUNCHER_STEPS)
def test_launcher_killed_while_switching_leaves_a_startable_version(
    release_server: ReleaseServer, tmp_path: Path, python_env: dict[str, str], step: str
) -> None:
    layout = install_root(tmp_path)
    stage_update(layout, package_app(tmp_path, "0.2.0"))
    command = [PYTHON, "-m", "updater.launcher", "--root", str(layout.root)]
    _kill_at(command, step, python_env)
    # Killed before the state was saved the switch is redone; after, the new version runs.
    _assert_startable(layout, "0.2.0")
    state = load_state(layout)
    assert (state.current, state.previous) == ("0.2.0", "0.1.0")


def test_a_half_staged_folder_is_never_started(tmp_path: Path) -> None:
    layout = install_root(tmp_path)
    half = layout.versions / f"{STAGING_PREFIX}0.2.0-123"
    half.mkdir()
    (half / "app.py").write_text("raise SystemExit(9)")
    partial = layout.version_dir("0.3.0")  # a folder without its completion mark
    partial.mkdir()
    from dataclasses import replace

    from updater.state import edit_state

    with edit_state(layout) as edit:
        edit.state = replace(edit.state, pending="0.3.0")
    _assert_startable(layout, "0.1.0")
    assert not half.exists()
    assert load_state(layout).pending is None


def _hold_lock(path: Path, env: dict[str, str]) -> subprocess.Popen[str]:
    code = (
        "import sys; from pathlib import Path; from updater.layout import file_lock\n"
        f"with file_lock(Path({str(path)!r})):\n"
        "    print('held', flush=True); sys.stdin.readline()\n"
    )
    holder = subprocess.Popen(
        [sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        env=env, text=True,
    )  # fmt: skip
    assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
    return holder


def test_a_version_folder_in_use_makes_the_apply_fail_cleanly(
    tmp_path: Path, python_env: dict[str, str]
) -> None:
    layout = install_root(tmp_path)
    existing = layout.version_dir("0.2.0")  # e.g. left by an earlier try, and running
    existing.mkdir()
    (existing / "app.py").write_text("# in use")
    holder = _hold_lock(version_lock_path(layout, "0.2.0"), python_env)
    package = package_app(tmp_path, "0.2.0")
    try:
        with pytest.raises(ApplyError, match="in use"):
            stage_update(layout, package)
        assert (existing / "app.py").read_text() == "# in use"  # untouched
        assert sorted(p.name for p in layout.versions.iterdir()) == ["0.1.0", "0.2.0"]
        assert load_state(layout).pending is None
    finally:
        assert holder.stdin is not None
        holder.stdin.write("\n")
        holder.stdin.close()
        holder.wait(10)
    assert stage_update(layout, package) == "0.2.0"  # once closed, it goes through
    assert verify_folder(existing)
    _assert_startable(layout, "0.2.0")
