"""Pin the release root in the build: the public root metadata every update check starts from.

    python -m updater.pin release/metadata/root.json   # check it, copy it to updater/
    python -m updater.pin --check                      # what this checkout/build pins
    python -m updater.pin --check --require            # the release build: fail without one

The root is made once by the release manager with ``python -m updater.publish`` (the private
keys stay in the keys folder, outside the repository). The root is public: commit
``updater/trusted_root.json`` (or give it to the Windows workflow as the ``MOSTRADOR_TRUSTED_ROOT``
variable); ``build_windows.spec`` bundles it. A build without it has updates switched off and
says so (Help > About, the update check, ``--self-test``).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from updater.layout import atomic_write_bytes
from updater.verify import PINNED_ROOT, MetadataError, RootInfo, root_summary


def describe(info: RootInfo) -> str:
    return (
        f"root v{info.version}, {info.keys} keys, {info.threshold} signature(s) needed, "
        f"expires {info.expires}"
    )


def pin(source: Path, target: Path = PINNED_ROOT) -> RootInfo:
    """Copy ``source`` to ``target`` once it is checked as a valid, unexpired signed root."""
    data = source.read_bytes()
    info = root_summary(data)
    atomic_write_bytes(target, data)
    return info


def check(target: Path = PINNED_ROOT, require: bool = False) -> int:
    if not target.exists():
        print(f"no pinned root ({target}): updates are switched off in this build")
        return 1 if require else 0
    try:
        info = root_summary(target.read_bytes())
    except MetadataError as exc:
        print(f"{target}: {exc}", file=sys.stderr)
        return 2
    print(f"pinned: {describe(info)}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m updater.pin", description=__doc__)
    parser.add_argument("root", type=Path, nargs="?", help="root.json made by updater.publish")
    parser.add_argument("--check", action="store_true", help="check the pinned root")
    parser.add_argument("--require", action="store_true", help="with --check: fail without one")
    parser.add_argument("--target", type=Path, default=PINNED_ROOT)
    args = parser.parse_args(argv)
    if args.check or args.root is None:
        return check(args.target, args.require)
    try:
        info = pin(args.root, args.target)
    except (MetadataError, OSError) as exc:
        print(f"pin: {exc}", file=sys.stderr)
        return 2
    print(f"pinned into {args.target}: {describe(info)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
