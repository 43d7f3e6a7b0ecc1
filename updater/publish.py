"""Sign a release into a folder that any static HTTPS server can serve.

    python -m updater.publish --repo DIR --keys KEYS --version X --package FILE \
        [--critical] [--notes FILE] [--rollback] [--timestamp-days N] [--snapshot-days N]
    python -m updater.publish --repo DIR --keys KEYS        # re-sign only (before expiry)

The keys folder (one Ed25519 PEM per role: root, targets, snapshot, timestamp) is created on the
first run and must live outside the source tree; the first run also writes the root metadata,
``DIR/metadata/root.json``, which the build pins as ``updater/trusted_root.json``. Each run adds
the package (stored as ``targets/<sha256>.mostrador-<X>.zip``) and appends it to the signed
``releases.json``, then signs targets, snapshot and timestamp with new version numbers and
expiry dates. Timestamp and snapshot expire after ``--timestamp-days``/``--snapshot-days``
(default 120): re-run without ``--version`` before then, or every till refuses the metadata as
possibly frozen. Consistent snapshots: files never change once written, so a mirror or cache
serving a half-published release is harmless; ``timestamp.json`` is written last.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.serialization import load_pem_private_key
from securesystemslib.signer._crypto_signer import CryptoSigner

# The classes live in tuf.api._payload; tuf.api.metadata re-exports them implicitly, which
# mypy --strict does not accept, so they are imported from where they are defined.
from tuf.api._payload import MetaFile, Root, Snapshot, TargetFile, Targets, Timestamp
from tuf.api.metadata import Metadata
from tuf.api.serialization.json import JSONSerializer

from updater.archive import read_manifest
from updater.layout import atomic_write_bytes
from updater.verify import INDEX_TARGET

ROLES = ("root", "targets", "snapshot", "timestamp")


@dataclass(frozen=True)
class Expiry:
    root_days: int = 1825
    targets_days: int = 365
    snapshot_days: int = 120
    timestamp_days: int = 120


class PublishError(Exception):
    pass


def _in(days: int) -> datetime:
    return datetime.now(UTC).replace(microsecond=0) + timedelta(days=days)


def load_signers(keys: Path, create: bool) -> dict[str, CryptoSigner]:
    signers = {}
    for role in ROLES:
        pem = keys / f"{role}.pem"
        if not pem.exists():
            if not create:
                raise PublishError(f"missing key {pem}")
            keys.mkdir(parents=True, exist_ok=True, mode=0o700)
            pem.write_bytes(CryptoSigner.generate_ed25519().private_bytes)
            pem.chmod(0o600)
        private = load_pem_private_key(pem.read_bytes(), None)
        signers[role] = CryptoSigner(private)
    return signers


class Repository:
    def __init__(self, folder: Path, signers: dict[str, CryptoSigner], expiry: Expiry) -> None:
        self.folder = folder
        self.meta = folder / "metadata"
        self.targets_dir = folder / "targets"
        self.signers = signers
        self.expiry = expiry

    def _write(self, md: Metadata[Any], name: str) -> bytes:
        md.sign(self.signers[md.signed.type])
        data = md.to_bytes(JSONSerializer(compact=False))
        atomic_write_bytes(self.meta / name, data)
        return data

    def init(self) -> None:
        root = Root(expires=_in(self.expiry.root_days), consistent_snapshot=True)
        for role, signer in self.signers.items():
            root.add_key(signer.public_key, role)
        data = self._write(Metadata(root), "1.root.json")
        atomic_write_bytes(self.meta / "root.json", data)
        self.targets_dir.mkdir(parents=True, exist_ok=True)
        self._sign_chain(Targets(version=1), first=True)

    def current(self) -> tuple[Targets, Snapshot, Timestamp]:
        timestamp = Metadata[Timestamp].from_file(str(self.meta / "timestamp.json")).signed
        snapshot = (
            Metadata[Snapshot]
            .from_file(str(self.meta / f"{timestamp.snapshot_meta.version}.snapshot.json"))
            .signed
        )
        version = snapshot.meta["targets.json"].version
        targets = Metadata[Targets].from_file(str(self.meta / f"{version}.targets.json")).signed
        return targets, snapshot, timestamp

    def _sign_chain(self, targets: Targets, first: bool = False) -> None:
        """New versions of targets, snapshot and timestamp (in that order: timestamp last)."""
        old_snapshot, old_timestamp = 0, 0
        if (self.meta / "timestamp.json").exists():
            _, snapshot, timestamp = self.current()
            old_snapshot, old_timestamp = snapshot.version, timestamp.version
        targets.version += 0 if first else 1
        targets.expires = _in(self.expiry.targets_days)
        self._write(Metadata(targets), f"{targets.version}.targets.json")
        snapshot = Snapshot(
            version=old_snapshot + 1,
            expires=_in(self.expiry.snapshot_days),
            meta={"targets.json": MetaFile(targets.version)},
        )
        self._write(Metadata(snapshot), f"{snapshot.version}.snapshot.json")
        stamp = Timestamp(
            version=old_timestamp + 1,
            expires=_in(self.expiry.timestamp_days),
            snapshot_meta=MetaFile(snapshot.version),
        )
        self._write(Metadata(stamp), "timestamp.json")

    def add_target(self, targets: Targets, name: str, data: bytes) -> TargetFile:
        info = TargetFile.from_data(name, data, ["sha256"])
        digest = hashlib.sha256(data).hexdigest()
        atomic_write_bytes(self.targets_dir / f"{digest}.{name}", data)
        targets.targets[name] = info
        return info

    def index(self, targets: Targets) -> dict[str, Any]:
        info = targets.targets.get(INDEX_TARGET)
        if info is None:
            return {"releases": []}
        path = self.targets_dir / f"{info.hashes['sha256']}.{INDEX_TARGET}"
        data: dict[str, Any] = json.loads(path.read_text("utf-8"))
        return data

    def publish(self, package: Path, entry: dict[str, Any]) -> None:
        targets, _, _ = self.current()
        name = f"mostrador-{entry['version']}.zip"
        self.add_target(targets, name, package.read_bytes())
        index = self.index(targets)
        index["releases"] = [r for r in index["releases"] if r["version"] != entry["version"]]
        index["releases"].append({**entry, "target": name})
        text = json.dumps(index, indent=2, ensure_ascii=False).encode("utf-8")
        self.add_target(targets, INDEX_TARGET, text)
        self._sign_chain(targets)

    def resign(self) -> None:
        targets, _, _ = self.current()
        self._sign_chain(targets)


def publish(
    repo: Path,
    keys: Path,
    package: Path | None = None,
    version: str | None = None,
    *,
    critical: bool = False,
    notes: str = "",
    rollback: bool = False,
    expiry: Expiry | None = None,
) -> None:
    """Add a release to ``repo`` (creating the repository and keys on the first call)."""
    fresh = not (repo / "metadata" / "root.json").exists()
    repository = Repository(repo, load_signers(keys, create=fresh), expiry or Expiry())
    if fresh:
        repository.init()
    if package is None:
        if not fresh:
            repository.resign()
        return
    inside = read_manifest(package).version
    if version is not None and version != inside:
        raise PublishError(f"the package says version {inside}, not {version}")
    entry = {
        "version": inside,
        "critical": critical,
        "notes": notes,
        "rollback": rollback,
        "published": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    repository.publish(package, entry)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m updater.publish", description=__doc__)
    parser.add_argument("--repo", type=Path, required=True, help="release folder to serve")
    parser.add_argument("--keys", type=Path, required=True, help="signing keys (keep private)")
    parser.add_argument("--version")
    parser.add_argument("--package", type=Path)
    parser.add_argument("--critical", action="store_true")
    parser.add_argument("--notes", type=Path, help="release notes (text file)")
    parser.add_argument("--rollback", action="store_true", help="signed downgrade entry")
    for role, default in (("timestamp", 120), ("snapshot", 120), ("targets", 365), ("root", 1825)):
        parser.add_argument(f"--{role}-days", type=int, default=default)
    args = parser.parse_args(argv)
    expiry = Expiry(args.root_days, args.targets_days, args.snapshot_days, args.timestamp_days)
    notes = args.notes.read_text("utf-8") if args.notes else ""
    try:
        publish(args.repo, args.keys, args.package, args.version, critical=args.critical,
                notes=notes, rollback=args.rollback, expiry=expiry)  # fmt: skip
    except PublishError as exc:
        print(f"publish: {exc}", file=sys.stderr)
        return 2
    print(f"published into {args.repo}; pin {args.repo / 'metadata' / 'root.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
