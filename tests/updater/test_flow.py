"""The whole update over a real HTTP server: offer, download, verify, stage, switch, health."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.updater.conftest import ReleaseServer, install_root, package_app, started
from updater.apply import ApplyError, stage_update, verify_folder
from updater.client import check_for_update, download_and_stage
from updater.launcher import run
from updater.state import load_state
from updater.verify import Release


def test_update_is_offered_installed_and_started_after_a_snapshot(
    release_server: ReleaseServer, tmp_path: Path
) -> None:
    layout = install_root(tmp_path)
    settings = tmp_path / "settings.json"
    settings.write_text('{"language": "es"}')
    from updater.health import register_data

    register_data(layout, [], [settings])
    release_server.publish("0.2.0", critical=True, notes="Faster search.")

    offer = check_for_update(layout, release_server.source)
    assert offer is not None
    assert (offer.version, offer.critical, offer.notes) == ("0.2.0", True, "Faster search.")
    progress: list[tuple[int, int]] = []
    assert download_and_stage(layout, offer, lambda d, t: progress.append((d, t))) == "0.2.0"
    assert progress[-1] == (offer.length, offer.length)
    assert load_state(layout).pending == "0.2.0"
    assert load_state(layout).current == "0.1.0"  # nothing switches while the app runs

    assert run(layout) == 0
    state = load_state(layout)
    assert (state.current, state.previous, state.pending, state.trial) == (
        "0.2.0", "0.1.0", None, None
    )  # fmt: skip
    assert started(layout) == ["0.2.0 healthy"]
    assert verify_folder(layout.version_dir("0.2.0"))
    assert (layout.snapshots / state.snapshot / "snapshot.json").exists()
    assert list(layout.downloads.iterdir()) == []
    assert check_for_update(layout, release_server.source) is None  # up to date


def test_skipped_version_is_not_offered_unless_critical(
    release_server: ReleaseServer, tmp_path: Path
) -> None:
    from updater.state import skip_version

    layout = install_root(tmp_path)
    release_server.publish("0.2.0")
    skip_version(layout, "0.2.0")
    assert check_for_update(layout, release_server.source) is None
    release_server.publish("0.3.0", critical=True)
    skip_version(layout, "0.3.0")
    offer = check_for_update(layout, release_server.source)
    assert offer is not None and offer.version == "0.3.0"


def test_an_older_package_is_refused_unless_a_signed_rollback_entry_names_it(
    release_server: ReleaseServer, tmp_path: Path
) -> None:
    layout = install_root(tmp_path, "0.2.0")
    older = package_app(tmp_path, "0.1.5")
    with pytest.raises(ApplyError, match="not newer"):
        stage_update(layout, older)
    assert not older.exists()  # refused packages are deleted
    assert load_state(layout).pending is None

    release_server.publish("0.1.5", rollback=True, notes="0.2.0 prints badly; back to 0.1.5")
    offer = check_for_update(layout, release_server.source)
    assert offer is not None and (offer.version, offer.rollback) == ("0.1.5", True)
    assert download_and_stage(layout, offer) == "0.1.5"
    assert load_state(layout).pending == "0.1.5"


def test_the_version_inside_the_package_must_be_the_signed_one(tmp_path: Path) -> None:
    layout = install_root(tmp_path)
    package = package_app(tmp_path, "0.0.9")
    signed = Release("0.3.0", "mostrador-0.3.0.zip", 1, "0" * 64, "http://x/")
    with pytest.raises(ApplyError, match="holds 0.0.9"):
        stage_update(layout, package, signed)
    assert sorted(p.name for p in layout.versions.iterdir()) == ["0.1.0"]


def test_a_newer_version_copied_by_the_installer_starts_like_an_update(tmp_path: Path) -> None:
    from tests.updater.conftest import build_app

    layout = install_root(tmp_path)
    folder = build_app(layout.version_dir("0.3.0"), "0.3.0")  # the installer run again
    (folder / "mostrador-release.json").write_text('{"version": "0.3.0", "entry": "app.py"}')
    assert run(layout) == 0
    state = load_state(layout)
    assert (state.current, state.previous) == ("0.3.0", "0.1.0")
    assert state.snapshot and verify_folder(folder)
    assert started(layout) == ["0.3.0 healthy"]
