"""The app's side of the self-updater: Qt-free worker functions and the health report.

The launcher starts the app with ``MOSTRADOR_INSTALL_ROOT``/``MOSTRADOR_APP_VERSION``; without
them (a development checkout, ``pip install``) updates are off and every function here says so.
Where to look for releases: ``<install root>/update.json`` (``{"url": "https://…/"}``, written by
the installer) or ``MOSTRADOR_UPDATE_URL``; the trusted root is the one pinned in the build.

Wiring (ui/main_window.py):
* once the main window is shown, the till store open and the sync worker started:
  ``tasks.run(lambda: report_ready(store_path, settings_path), on_reports)`` — marks this
  version healthy, names the data to snapshot, returns the launcher's queued reports for the
  bug reporter;
* ``tasks.run(check_for_update)`` a while after start, then ``ui.update_dialog``.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.i18n import _
from updater import apply, client, health, launcher, state, verify
from updater.download import DownloadError

logger = logging.getLogger(__name__)

EXIT_RESTART = launcher.EXIT_RESTART  # quit the app with this code to restart into an update
URL_ENV = "MOSTRADOR_UPDATE_URL"


@dataclass(frozen=True)
class UpdateOffer:
    version: str
    current: str
    notes: str
    critical: bool
    rollback: bool
    size_bytes: int
    release: verify.Release


@dataclass(frozen=True)
class UpdateCheck:
    offer: UpdateOffer | None
    message: str  # why there is no offer, for the status bar ("" when up to date)


def managed() -> health.Managed | None:
    return health.managed_install()


def update_source(install: health.Managed) -> client.UpdateSource | None:
    url = os.environ.get(URL_ENV, "")
    config = install.layout.root / "update.json"
    if not url and config.exists():
        url = str(json.loads(config.read_text("utf-8")).get("url", ""))
    root = verify.pinned_root()
    if not url or root is None:
        return None
    return client.UpdateSource(url, root)


def report_ready(store: Path | None, settings_file: Path | None) -> list[dict[str, Any]]:
    """The main window, store and sync are up: mark healthy; returns the launcher's reports."""
    install = managed()
    if install is None:
        return []
    health.mark_healthy(install.layout, install.version)
    health.register_data(
        install.layout, [store] if store else [], [settings_file] if settings_file else []
    )
    return health.take_reports(install.layout)


def check_for_update() -> UpdateCheck:
    """Worker: ask the release server (signed metadata) for a newer version."""
    install = managed()
    source = update_source(install) if install else None
    if install is None or source is None:
        return UpdateCheck(None, _("Updates are not available in this installation."))
    try:
        release = client.check_for_update(install.layout, source)
    except verify.MetadataError as exc:
        logger.warning("Update metadata refused or unreachable: %s", exc)
        return UpdateCheck(None, _("Could not check for updates; will try again later."))
    if release is None:
        return UpdateCheck(None, "")
    offer = UpdateOffer(
        release.version, install.version, release.notes, release.critical, release.rollback,
        release.length, release,
    )  # fmt: skip
    return UpdateCheck(offer, "")


def install_update(
    offer: UpdateOffer,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> str:
    """Worker: download (resuming), verify and stage ``offer``; it starts at the next launch."""
    install = managed()
    if install is None:
        raise apply.ApplyError("not a managed installation")
    try:
        return client.download_and_stage(install.layout, offer.release, progress, cancelled)
    except DownloadError as exc:
        raise apply.ApplyError(str(exc)) from exc


def skip_version(version: str) -> None:
    install = managed()
    if install is not None:
        state.skip_version(install.layout, version)


def previous_version() -> str | None:
    """The version "Restore previous version" would go back to, or None."""
    install = managed()
    return state.load_state(install.layout).previous if install else None


def request_restore_previous() -> None:
    """Ask the launcher to go back; then quit the app with :data:`EXIT_RESTART`."""
    install = managed()
    if install is None:
        raise apply.ApplyError("not a managed installation")
    apply.request_rollback(install.layout)
