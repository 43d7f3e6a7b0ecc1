"""The bug reporter wired together: outbox, sender thread and crash guard, from the settings.

::

    reporter = BugReporter.from_settings()   # reads the settings file
    reporter.start()                         # background sender; reporter.stop() on quit
    reporter.submit(build_report(...))       # worker thread: saved first, then sent
"""

from __future__ import annotations

import logging
from pathlib import Path

from app import __version__, paths
from app.bugreport.crash import CrashGuard
from app.bugreport.outbox import QueuedReport, ReportOutbox
from app.bugreport.report import Report
from app.bugreport.sender import ReportSender, SendPolicy
from app.config import settings as cfg
from app.errors import ConfigError, MostradorError

logger = logging.getLogger(__name__)


class BugReporter:
    """What the windows use to queue reports and the crash handler to decide on them."""

    def __init__(
        self,
        outbox: ReportOutbox,
        endpoint: str,
        *,
        auto_send: bool = False,
        policy: SendPolicy | None = None,
        app_version: str = __version__,
    ) -> None:
        self.outbox = outbox
        self.endpoint = endpoint
        self.auto_send = auto_send
        self.app_version = app_version
        self.guard = CrashGuard(outbox)
        self.sender: ReportSender | None = None
        try:
            self.sender = ReportSender(outbox, endpoint, policy=policy, app_version=app_version)
        except ConfigError as exc:
            # Reports are still saved; they go once the address is fixed.
            logger.error("bug reports will not be sent: %s", exc)

    @classmethod
    def from_settings(
        cls, settings: cfg.Settings | None = None, outbox_dir: Path | None = None
    ) -> BugReporter:
        """Endpoint and auto-send from the settings (the file is read when none is given)."""
        if settings is None:
            try:
                settings = cfg.Settings.load(paths.config_dir() / cfg.FILE_NAME)
            except MostradorError as exc:
                logger.error("settings unreadable, bug reports use defaults: %s", exc)
                settings = cfg.Settings(paths.config_dir() / cfg.FILE_NAME)
        return cls(
            ReportOutbox(outbox_dir),
            settings.get(cfg.BUGREPORT_ENDPOINT),
            auto_send=settings.get(cfg.BUGREPORT_AUTO_SEND),
        )

    def start(self) -> None:
        if self.sender is not None:
            self.sender.start()

    def stop(self, timeout: float = 5.0) -> None:
        if self.sender is not None:
            self.sender.stop(timeout)

    def wake(self) -> None:
        """Try the queue now (e.g. the network came back)."""
        if self.sender is not None:
            self.sender.wake()

    def submit(self, report: Report) -> QueuedReport:
        """Save ``report`` to the outbox, then let the sender try it. Writes files: worker."""
        queued = self.outbox.add(report)
        self.wake()
        return queued

    def automatic_allowed(self) -> bool:
        """False once the server asked this version to stop sending crash reports."""
        try:
            return not self.outbox.automatic_stopped(self.app_version)
        except OSError:
            return True

    def pending_count(self) -> int:
        return len(self.outbox.pending())
