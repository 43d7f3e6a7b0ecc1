"""The update operations the app calls from a worker thread (and a command line for support).

    python -m updater.client --root DIR --url URL [--trusted-root FILE] check
    python -m updater.client --root DIR --url URL [--trusted-root FILE] install

``install`` downloads (resuming), verifies, stages and marks the newest release pending; the
launcher starts it at the next launch.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from updater.apply import stage_update, step
from updater.download import Progress
from updater.layout import Layout
from updater.state import load_state
from updater.verify import Release, ReleaseClient, fetch_package, pick_offer, pinned_root

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class UpdateSource:
    base_url: str  # the release folder, served over HTTPS
    trusted_root: bytes  # the pinned root metadata


def check_for_update(layout: Layout, source: UpdateSource) -> Release | None:
    """The release to offer, or None. Raises ``MetadataError`` when the metadata is refused."""
    state = load_state(layout)
    client = ReleaseClient(layout.metadata, source.base_url, source.trusted_root)
    return pick_offer(client.releases(), state.current, state.skipped)


def download_and_stage(
    layout: Layout,
    release: Release,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> str:
    """Fetch the package, check it against the signed metadata, unpack it as pending."""
    layout.ensure()
    package = fetch_package(release, layout.downloads, progress, cancelled)
    step("downloaded")
    return stage_update(layout, package, release)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m updater.client")
    parser.add_argument("--root", type=Path, required=True)
    parser.add_argument("--url", required=True)
    parser.add_argument("--trusted-root", type=Path)
    parser.add_argument("action", choices=("check", "install"))
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO)
    root = args.trusted_root.read_bytes() if args.trusted_root else pinned_root()
    if root is None:
        print("no trusted root: pass --trusted-root", file=sys.stderr)
        return 2
    layout = Layout(args.root)
    release = check_for_update(layout, UpdateSource(args.url, root))
    if release is None:
        print("up to date")
        return 0
    print(f"available: {release.version} ({release.length} bytes)")
    if args.action == "install":
        print(f"staged: {download_and_stage(layout, release)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
