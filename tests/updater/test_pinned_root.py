"""Trust starts from the root pinned in the build: never from the server's or the cache's word;
a build without a pinned root has updates off and says so; ``python -m updater.pin`` pins only
a valid signed root."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from app import update_hooks
from tests.updater.conftest import ReleaseServer, install_root
from updater import verify
from updater.client import UpdateSource, check_for_update
from updater.health import ROOT_ENV, VERSION_ENV
from updater.layout import Layout
from updater.pin import check, pin
from updater.publish import publish


def _root(server: ReleaseServer) -> Path:
    return server.repo / "metadata" / "root.json"


def test_a_root_planted_in_the_cache_does_not_replace_the_pinned_one(
    release_server: ReleaseServer, tmp_path: Path
) -> None:
    layout = install_root(tmp_path)
    release_server.publish("0.2.0")
    pinned = UpdateSource(release_server.url, _root(release_server).read_bytes())
    assert check_for_update(layout, pinned) is not None
    # Someone else's repository, served at the same address, with its root put in the cache.
    other = tmp_path / "other"
    publish(other, tmp_path / "other-keys")
    planted = (other / "metadata" / "root.json").read_bytes()
    for name in ("root.json", "root_history/1.root.json", "root_history/2.root.json"):
        target = layout.metadata / name
        target.unlink(missing_ok=True)
        target.write_bytes(planted)
    shutil.rmtree(release_server.repo / "metadata")
    shutil.copytree(other / "metadata", release_server.repo / "metadata")
    with pytest.raises(verify.MetadataError):
        check_for_update(layout, pinned)


@pytest.fixture
def managed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Layout:
    layout = install_root(tmp_path)
    monkeypatch.setenv(ROOT_ENV, str(layout.root))
    monkeypatch.setenv(VERSION_ENV, "0.1.0")
    monkeypatch.delenv(update_hooks.URL_ENV, raising=False)
    return layout


def test_the_app_refuses_releases_signed_under_another_root(
    release_server: ReleaseServer, managed: Layout, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    publish(tmp_path / "ours", tmp_path / "our-keys")
    monkeypatch.setattr(verify, "PINNED_ROOT", tmp_path / "ours" / "metadata" / "root.json")
    monkeypatch.setenv(update_hooks.URL_ENV, release_server.url)
    release_server.publish("0.2.0")
    check = update_hooks.check_for_update(tmp_path / "settings.json")
    assert check.offer is None
    assert check.message == "Could not check for updates; will try again later."


def test_a_build_without_a_pinned_root_says_updates_are_not_configured(
    release_server: ReleaseServer, managed: Layout, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(verify, "PINNED_ROOT", tmp_path / "absent" / "trusted_root.json")
    monkeypatch.setenv(update_hooks.URL_ENV, release_server.url)
    release_server.publish("0.2.0")
    check = update_hooks.check_for_update(tmp_path / "settings.json")
    assert check.offer is None
    assert "not configured" in check.message
    status = update_hooks.update_status(tmp_path / "settings.json")
    assert not status.configured and "no pinned release key" in status.describe()
    assert list(managed.metadata.glob("*.json")) == []  # nothing fetched, nothing trusted


def test_pin_accepts_only_a_valid_signed_root(
    release_server: ReleaseServer, tmp_path: Path
) -> None:
    target = tmp_path / "pinned" / "trusted_root.json"
    assert check(target, require=True) == 1  # a release build without one fails
    assert check(target) == 0  # a development build is told, not stopped
    timestamp = release_server.repo / "metadata" / "timestamp.json"
    with pytest.raises(verify.MetadataError, match="not a root"):
        pin(timestamp, target)
    tampered = json.loads(_root(release_server).read_text())
    tampered["signed"]["expires"] = "2099-01-01T00:00:00Z"
    forged = tmp_path / "forged.json"
    forged.write_text(json.dumps(tampered))
    with pytest.raises(verify.MetadataError):
        pin(forged, target)
    assert not target.exists()
    info = pin(_root(release_server), target)
    assert (info.version, info.keys, info.threshold) == (1, 4, 1)
    assert check(target, require=True) == 0
