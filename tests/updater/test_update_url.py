"""Where the till looks for releases: the manager's setting ``update.url`` wins over the
installer's ``update.json`` and the build's default, and clearing it goes back to them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app import update_hooks
from app.errors import UserFacingError
from tests.updater.conftest import ReleaseServer, install_root
from updater import verify
from updater.health import ROOT_ENV, VERSION_ENV
from updater.layout import Layout


@pytest.fixture
def managed(
    release_server: ReleaseServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Layout:
    """Installed 0.1.0 whose installer pointed at a folder where nothing is published."""
    layout = install_root(tmp_path)
    monkeypatch.setenv(ROOT_ENV, str(layout.root))
    monkeypatch.setenv(VERSION_ENV, "0.1.0")
    monkeypatch.delenv(update_hooks.URL_ENV, raising=False)
    monkeypatch.setattr(verify, "PINNED_ROOT", release_server.repo / "metadata" / "root.json")
    monkeypatch.setattr(verify, "BUILD_URL", tmp_path / "no-build-default.txt")
    empty = tmp_path / "empty-release"
    empty.mkdir()
    (layout.root / "update.json").write_text(json.dumps({"url": empty.as_uri() + "/"}))
    return layout


def test_the_update_url_setting_is_honoured(
    release_server: ReleaseServer, managed: Layout, tmp_path: Path
) -> None:
    settings = tmp_path / "config" / "settings.json"
    release_server.publish("0.2.0")
    before = update_hooks.check_for_update(settings)
    assert before.offer is None  # the installer's folder has no metadata: nothing offered
    assert release_server.requests == []
    status = update_hooks.set_update_url(f"  {release_server.url}  ", settings)
    assert (status.url, status.origin, status.configured) == (release_server.url, "setting", True)
    assert json.loads(settings.read_text())["update.url"] == release_server.url
    after = update_hooks.check_for_update(settings)
    assert after.offer is not None and after.offer.version == "0.2.0"
    assert release_server.requests  # the release server was asked
    assert release_server.url in update_hooks.update_status(settings).describe()

    status = update_hooks.set_update_url("", settings)
    assert status.origin == "installer"


def test_the_build_default_is_used_when_nothing_else_names_a_folder(
    release_server: ReleaseServer, managed: Layout, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (managed.root / "update.json").unlink()
    default = tmp_path / "release_url.txt"
    default.write_text(release_server.url + "\n")
    monkeypatch.setattr(verify, "BUILD_URL", default)
    settings = tmp_path / "settings.json"
    assert update_hooks.release_url(settings) == (release_server.url, "build")
    release_server.publish("0.2.0")
    check = update_hooks.check_for_update(settings)
    assert check.offer is not None and check.offer.version == "0.2.0"


def test_an_address_that_is_not_https_is_refused(managed: Layout, tmp_path: Path) -> None:
    settings = tmp_path / "settings.json"
    for url in ("http://updates.example.com/mostrador/", "http://localhost.example.com/"):
        with pytest.raises(UserFacingError, match="https://"):
            update_hooks.set_update_url(url, settings)
    assert not settings.exists()
