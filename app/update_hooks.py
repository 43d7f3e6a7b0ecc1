"""The app's side of the self-updater: Qt-free worker functions and the health report.

The launcher starts the app with ``MOSTRADOR_INSTALL_ROOT``/``MOSTRADOR_APP_VERSION``; without
them (a development checkout, ``pip install``) updates are off and every function here says so.
The trusted root is the one pinned in the build (``updater/trusted_root.json``); a build without
one has updates off and :func:`update_status` says "not configured".

Where to look for releases, first found wins: ``MOSTRADOR_UPDATE_URL`` (support), the setting
``update.url`` (:func:`set_update_url`, a manager's choice), ``<install root>/update.json``
(``{"url": "https://…/"}``, written by the installer), ``updater/release_url.txt`` (the build's
default).

Wiring (ui/main_window.py):
* once the main window is shown, the till store open and the sync worker started:
  ``tasks.run(lambda: report_ready(store_path, settings_path), on_reports)`` — marks this
  version healthy, names the data to snapshot, returns the launcher's queued reports (taken
  off the launcher's queue); :func:`queue_launcher_reports` puts them in the bug reporter's
  outbox (urgent, sent when online);
* ``tasks.run(check_for_update)`` a while after start, then ``ui.update_dialog``;
* Help ▸ About: ``update_status().describe()``; a manager's "Updates…" entry opens
  ``ui.update_dialog.UpdateSettingsDialog``.
"""

from __future__ import annotations

import json
import logging
import os
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from app import paths
from app.bugreport.report import CrashInfo, Priority, Report, ReportContext, UserInput, build_report
from app.config import settings as cfg
from app.errors import ConfigError, UserFacingError
from app.i18n import _
from updater import apply, client, health, launcher, state, verify
from updater.download import DownloadError

logger = logging.getLogger(__name__)

EXIT_RESTART = launcher.EXIT_RESTART  # quit the app with this code to restart into an update
URL_ENV = "MOSTRADOR_UPDATE_URL"
UPDATE_URL = cfg.UPDATE_URL


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


@dataclass(frozen=True)
class UpdateStatus:
    """Where updates come from, for Help ▸ About, the settings dialog and ``--self-test``."""

    managed: bool  # started by the launcher of an install root
    pinned_root: bool  # the build carries the release root
    url: str
    origin: str  # "environment", "setting", "installer", "build" or "" (none)

    @property
    def configured(self) -> bool:
        return self.pinned_root and bool(self.url)

    def describe(self) -> str:
        if not self.pinned_root:
            return _("Updates are not configured: this build has no pinned release key.")
        if not self.url:
            return _("Updates are not configured: no release address is set.")
        if not self.managed:
            return _("Updates are off: this copy was not installed with the installer.")
        return _("Updates from {url} (signed releases).").format(url=self.url)


def _settings_file() -> Path:
    return paths.config_dir() / cfg.FILE_NAME


def _setting_url(settings_file: Path) -> str:
    try:
        return cfg.Settings.load(settings_file).get(UPDATE_URL).strip()
    except ConfigError as exc:
        logger.warning("update.url not read: %s", exc)
        return ""


def _installer_url(install: health.Managed | None) -> str:
    config = install.layout.root / "update.json" if install else None
    if config is None or not config.exists():
        return ""
    try:
        return str(json.loads(config.read_text("utf-8")).get("url", "")).strip()
    except (OSError, ValueError) as exc:
        logger.warning("%s not read: %s", config, exc)
        return ""


def release_url(settings_file: Path | None = None) -> tuple[str, str]:
    """The release folder to look at and where that came from (see the module's docstring)."""
    candidates: tuple[tuple[str, Callable[[], str]], ...] = (
        ("environment", lambda: os.environ.get(URL_ENV, "").strip()),
        ("setting", lambda: _setting_url(settings_file or _settings_file())),
        ("installer", lambda: _installer_url(managed())),
        ("build", verify.build_release_url),
    )
    for origin, read in candidates:
        url = read()
        if url:
            return url, origin
    return "", ""


def update_status(settings_file: Path | None = None) -> UpdateStatus:
    url, origin = release_url(settings_file)
    return UpdateStatus(managed() is not None, verify.pinned_root() is not None, url, origin)


def set_update_url(url: str, settings_file: Path | None = None) -> UpdateStatus:
    """Worker: save the release folder (empty: back to the installer's or build's default)."""
    url = url.strip()
    if url and not _acceptable_url(url):
        raise UserFacingError(
            _("The release address must start with https:// (got {url}).").format(url=url)
        )
    path = settings_file or _settings_file()
    settings = cfg.Settings.load(path)
    settings.set(UPDATE_URL, url)
    settings.save()
    return update_status(path)


def _acceptable_url(url: str) -> bool:
    """HTTPS, or plain HTTP to this computer (a test server)."""
    parts = urlsplit(url)
    local = parts.scheme == "http" and parts.hostname in {"127.0.0.1", "localhost", "::1"}
    return bool(parts.hostname) and (parts.scheme == "https" or local)


def update_source(settings_file: Path | None = None) -> client.UpdateSource | None:
    """The release folder and the pinned root, or None when updates are not configured."""
    url, _origin = release_url(settings_file)
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


def check_for_update(settings_file: Path | None = None) -> UpdateCheck:
    """Worker: ask the release server (signed metadata) for a newer version."""
    install = managed()
    source = update_source(settings_file) if install else None
    if install is None or source is None:
        return UpdateCheck(None, update_status(settings_file).describe())
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


def launcher_report_description(report: dict[str, Any]) -> str:
    """What support reads first about a report the launcher queued (a rolled-back update)."""
    if report.get("kind") == "rollback":
        return _(
            "Update to {version} failed its health check {attempts} times; "
            "rolled back to {back_to}."
        ).format(
            version=report.get("version", "?"),
            attempts=report.get("attempts", "?"),
            back_to=report.get("back_to", "?"),
        )
    return _("The launcher reported: {kind}.").format(kind=report.get("kind", "?"))


def launcher_bug_report(report: dict[str, Any], context: ReportContext) -> Report:
    """The launcher's report as an urgent, automatic problem report with the report attached.

    The same launcher report always gives the same report id (the outbox and the server take
    it once, even if it is handed over again after a crash)."""
    attached = json.dumps(report, sort_keys=True, ensure_ascii=False, default=str)
    report_id = uuid.uuid5(uuid.NAMESPACE_URL, "mostrador-launcher:" + attached).hex
    created = report.get("created")
    created_at = datetime.fromtimestamp(created, UTC) if isinstance(created, int | float) else None
    kind = str(report.get("kind", "launcher"))
    problem = CrashInfo(
        type_name="UpdateRolledBack" if kind == "rollback" else "LauncherReport",
        message=launcher_report_description(report),
        traceback=json.dumps(report, indent=2, sort_keys=True, ensure_ascii=False, default=str),
        thread="launcher",
        where="launcher",
        signature=f"launcher {kind} {report.get('version', '')}".strip(),
    )
    user = UserInput(what_happened=problem.message, priority=Priority.URGENT)
    return build_report(
        user, context, problem, report_id=report_id, created_at=created_at, automatic=True
    )


def queue_launcher_reports(
    reports: list[dict[str, Any]],
    context: ReportContext,
    submit: Callable[[Report], object],
) -> list[str]:
    """Worker: hand each launcher report to the bug reporter (``BugReporter.submit``: saved
    in the outbox, sent when online); returns the report ids."""
    ids = []
    for launcher_report in reports:
        report = launcher_bug_report(launcher_report, context)
        submit(report)
        ids.append(report.report_id)
    return ids
