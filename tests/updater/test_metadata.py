"""Signed metadata: a missing or wrong signature, an older copy (rollback attack) and an expired
one (freeze attack) are refused, and the client keeps its trusted copy."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from securesystemslib.signer._crypto_signer import CryptoSigner
from tuf.api.metadata import Metadata

from tests.updater.conftest import ReleaseServer, install_root
from updater.client import check_for_update
from updater.layout import Layout
from updater.publish import Expiry
from updater.verify import MetadataError


def _trusted(layout: Layout) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(layout.metadata.glob("*.json"))}


def _served_timestamp(server: ReleaseServer) -> Path:
    return server.repo / "metadata" / "timestamp.json"


def _refused_and_kept(layout: Layout, server: ReleaseServer, match: str) -> None:
    before = _trusted(layout)
    with pytest.raises(MetadataError, match=match):
        check_for_update(layout, server.source)
    assert _trusted(layout) == before


@pytest.fixture
def trusting(release_server: ReleaseServer, tmp_path: Path) -> Layout:
    """An install that has already accepted the metadata offering 0.2.0."""
    layout = install_root(tmp_path)
    release_server.publish("0.2.0")
    offer = check_for_update(layout, release_server.source)
    assert offer is not None and offer.version == "0.2.0"
    assert json.loads((layout.metadata / "timestamp.json").read_text())["signed"]["version"] == 2
    return layout


def test_metadata_without_signature_is_refused(
    release_server: ReleaseServer, trusting: Layout
) -> None:
    release_server.publish("0.3.0")
    path = _served_timestamp(release_server)
    data = json.loads(path.read_text())
    data["signatures"] = []
    path.write_text(json.dumps(data))
    _refused_and_kept(trusting, release_server, "signed by 0/1 keys")


def test_metadata_signed_with_another_key_is_refused(
    release_server: ReleaseServer, trusting: Layout
) -> None:
    release_server.publish("0.3.0")
    path = _served_timestamp(release_server)
    metadata = Metadata.from_file(str(path))
    metadata.signed.version += 1
    metadata.sign(CryptoSigner.generate_ed25519())  # not the key the root names
    metadata.to_file(str(path))
    _refused_and_kept(trusting, release_server, "signed by 0/1 keys")


def test_a_targets_file_changed_after_signing_is_refused(
    release_server: ReleaseServer, trusting: Layout
) -> None:
    release_server.publish("0.3.0")
    (targets,) = (release_server.repo / "metadata").glob("3.targets.json")
    data = json.loads(targets.read_text())
    data["signed"]["targets"]["releases.json"]["length"] += 1
    targets.write_text(json.dumps(data))
    with pytest.raises(MetadataError):
        check_for_update(trusting, release_server.source)


def test_metadata_older_than_the_trusted_copy_is_refused(
    release_server: ReleaseServer, tmp_path: Path
) -> None:
    layout = install_root(tmp_path)
    release_server.publish("0.2.0")
    old = tmp_path / "old-metadata"
    shutil.copytree(release_server.repo / "metadata", old)
    release_server.publish("0.3.0")
    offer = check_for_update(layout, release_server.source)
    assert offer is not None and offer.version == "0.3.0"
    shutil.rmtree(release_server.repo / "metadata")
    shutil.copytree(old, release_server.repo / "metadata")  # a mirror replaying the past
    _refused_and_kept(layout, release_server, "version")


def test_expired_metadata_is_refused(release_server: ReleaseServer, trusting: Layout) -> None:
    release_server.publish("0.3.0", expiry=Expiry(timestamp_days=-1))
    _refused_and_kept(trusting, release_server, "expired")


def test_a_fresh_install_refuses_expired_metadata(
    release_server: ReleaseServer, tmp_path: Path
) -> None:
    release_server.publish("0.2.0", expiry=Expiry(snapshot_days=-1))
    with pytest.raises(MetadataError, match="expired"):
        check_for_update(install_root(tmp_path), release_server.source)


def test_a_root_not_matching_the_pinned_one_is_refused(
    release_server: ReleaseServer, tmp_path: Path
) -> None:
    from updater.client import UpdateSource
    from updater.publish import publish

    other = tmp_path / "other"
    publish(other, tmp_path / "other-keys")  # another publisher's root
    release_server.publish("0.2.0")
    layout = install_root(tmp_path)
    pinned = UpdateSource(release_server.url, (other / "metadata" / "root.json").read_bytes())
    with pytest.raises(MetadataError):
        check_for_update(layout, pinned)
