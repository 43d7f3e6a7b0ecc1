"""A package is only unpacked when it is exactly what the signed metadata describes, and only
inside its staging folder."""

from __future__ import annotations

import os
import stat
import zipfile
from pathlib import Path

import pytest

from tests.updater.conftest import ReleaseServer, build_app, install_root
from updater.archive import UnsafeArchive
from updater.client import check_for_update, download_and_stage
from updater.download import DownloadError
from updater.layout import Layout
from updater.state import load_state


def _nothing_staged(layout: Layout) -> None:
    assert sorted(p.name for p in layout.versions.iterdir()) == ["0.1.0"]
    assert list(layout.downloads.iterdir()) == []  # the bad file was deleted
    assert load_state(layout).pending is None


@pytest.fixture
def layout(release_server: ReleaseServer, tmp_path: Path) -> Layout:
    release_server.publish("0.2.0")
    return install_root(tmp_path)


def test_a_package_whose_hash_does_not_match_is_deleted_unopened(
    release_server: ReleaseServer, layout: Layout
) -> None:
    served = release_server.package_file("0.2.0")
    data = bytearray(served.read_bytes())
    data[len(data) // 2] ^= 0xFF  # same length, one byte changed
    served.write_bytes(bytes(data))
    offer = check_for_update(layout, release_server.source)
    assert offer is not None
    with pytest.raises(DownloadError, match="hash"):
        download_and_stage(layout, offer)
    _nothing_staged(layout)


def test_a_package_shorter_than_signed_is_deleted(
    release_server: ReleaseServer, layout: Layout
) -> None:
    served = release_server.package_file("0.2.0")
    served.write_bytes(served.read_bytes()[:-100])
    offer = check_for_update(layout, release_server.source)
    assert offer is not None
    with pytest.raises(DownloadError, match="signed"):
        download_and_stage(layout, offer)
    _nothing_staged(layout)


def test_an_oversized_download_is_cut_off(release_server: ReleaseServer, layout: Layout) -> None:
    served = release_server.package_file("0.2.0")
    signed_length = served.stat().st_size
    with open(served, "ab") as handle:
        handle.write(os.urandom(20 * 1024 * 1024))  # the server sends 20 MB more
    offer = check_for_update(layout, release_server.source)
    assert offer is not None
    seen: list[int] = []
    with pytest.raises(DownloadError, match="longer than"):
        download_and_stage(layout, offer, lambda done, total: seen.append(done))
    assert max(seen, default=0) <= signed_length  # never more than the signed length was kept
    _nothing_staged(layout)


def test_an_interrupted_download_resumes_where_it_stopped(
    release_server: ReleaseServer, layout: Layout
) -> None:
    offer = check_for_update(layout, release_server.source)
    assert offer is not None
    calls = 0

    def cancel_halfway() -> bool:
        nonlocal calls
        calls += 1
        return calls > 1

    from updater.download import DownloadCancelled

    with pytest.raises(DownloadCancelled):
        download_and_stage(layout, offer, cancelled=cancel_halfway)
    (part,) = layout.downloads.glob("*.part")
    kept = part.stat().st_size
    assert 0 < kept < offer.length
    done: list[int] = []
    assert download_and_stage(layout, offer, lambda d, t: done.append(d)) == "0.2.0"
    assert done[0] > kept and done[-1] == offer.length  # the progress went on from there
    ranges = [r for path, r in release_server.requests if path.endswith(".zip") and r]
    assert ranges == [f"bytes={kept}-"]  # only the missing part was asked for
    assert load_state(layout).pending == "0.2.0"


def _evil_package(tmp_path: Path, name: str, link: bool = False) -> Path:
    bundle = build_app(tmp_path / "evil-build", "0.2.0")
    path = tmp_path / "evil.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mostrador-release.json", '{"version": "0.2.0", "entry": "app.py"}')
        archive.write(bundle / "app.py", "app.py")
        info = zipfile.ZipInfo(name)
        if link:
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
        archive.writestr(info, "/etc/passwd" if link else "pwned")
    return path


@pytest.mark.parametrize(
    ("name", "link"),
    [
        ("../outside.txt", False),
        ("lib/../../outside.txt", False),
        ("/tmp/outside.txt", False),
        ("C:/outside.txt", False),
        ("..\\outside.txt", False),
        ("lib/link-to-passwd", True),
    ],
)
def test_a_package_escaping_its_folder_is_refused_before_writing(
    tmp_path: Path, name: str, link: bool
) -> None:
    from updater.apply import stage_update

    layout = install_root(tmp_path)
    package = _evil_package(tmp_path, name, link)
    with pytest.raises(UnsafeArchive):
        stage_update(layout, package)
    assert not package.exists()
    assert sorted(p.name for p in layout.versions.iterdir()) == ["0.1.0"]
    assert not any(p.name == "outside.txt" for p in tmp_path.rglob("outside.txt"))
    assert not Path("/tmp/outside.txt").exists()
    assert load_state(layout).pending is None
