"""Make a release package from a one-folder build.

    python -m updater.package --bundle dist/Mostrador --version 0.2.0 --entry Mostrador.exe \
        --out mostrador-0.2.0.zip

The zip holds the build's files plus ``mostrador-release.json`` (version and entry point), the
version the updater trusts once the package's signed hash has been checked.
"""

from __future__ import annotations

import argparse
import json
import sys
import zipfile
from collections.abc import Sequence
from pathlib import Path

from updater.layout import RELEASE_FILE, check_version_name


def make_package(bundle: Path, version: str, entry: str, out: Path) -> Path:
    check_version_name(version)
    if not (bundle / entry).is_file():
        raise FileNotFoundError(f"{bundle / entry} is missing")
    release = json.dumps({"version": version, "entry": entry}, indent=2)
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(RELEASE_FILE, release)
        for path in sorted(bundle.rglob("*")):
            if path.is_symlink() and not _inside(path, bundle):
                raise ValueError(f"{path}: a link out of the build is not allowed")
            if path.is_file() and path.name != RELEASE_FILE:
                archive.write(path, path.relative_to(bundle).as_posix())
    return out


def _inside(link: Path, bundle: Path) -> bool:
    """A link to a file of the build (PyInstaller on Linux makes some) is stored as a copy:
    packages hold no links, the updater refuses them."""
    target = link.resolve()
    return target.is_file() and bundle.resolve() in target.parents


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m updater.package")
    parser.add_argument("--bundle", type=Path, required=True)
    parser.add_argument("--version", required=True)
    parser.add_argument("--entry", required=True)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    print(make_package(args.bundle, args.version, args.entry, args.out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
