"""The main window's updates and About (mixed into it): the update check after start, the
update offer, Settings → Updates…, Help → Restore the previous version and Help → About.

Everything that reads files or the network runs on the window's TaskManager; an update waits
while a ticket is being sold, and a restart closes the window as usual (queued sales stay in
the till store for the next start).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QApplication, QMainWindow

from app import __version__, paths
from app.bugreport.report import ReportContext
from app.config import settings as cfg
from app.i18n import _
from app.sale.price_inputs import Employee
from app.shop_status import ShopStatus
from app.till_ops import load_settings
from app.till_runtime import TillRuntime
from app.update_hooks import (
    EXIT_RESTART,
    UpdateCheck,
    check_for_update,
    queue_launcher_reports,
    update_status,
)
from app.verifactu.producer import declaration_text
from ui import crash_handler
from ui.about_dialog import AboutDialog, AboutInfo
from ui.tasks import TaskManager
from ui.update_dialog import UpdateDialog, UpdateSettingsDialog, ask_restore_previous

logger = logging.getLogger(__name__)

DECLARATION = (
    Path(__file__).resolve().parents[1] / "resources/verifactu/declaracion_responsable.txt"
)


class UpdatesAndAbout:
    """The main window's side of updates and About."""

    tasks: TaskManager
    till: str
    runtime: TillRuntime | None
    last_status: ShopStatus | None
    sale: object  # ui.tpv.sale_screen.SaleScreen

    _as_manager: Callable[[str, Callable[[Employee], None]], None]  # the window's
    report_context: Callable[[], ReportContext]  # the window's; runs on a worker

    def on_reported_ready(self, reports: list[dict[str, Any]]) -> None:
        """This version is healthy; the launcher's reports (a rolled-back update) go to the bug
        reporter's outbox, urgent, on a worker (sent when online, secrets scrubbed)."""
        if not reports:
            return
        for report in reports:
            logger.warning("the launcher reported: %s", report)
        context, submit = self.report_context, crash_handler.reporter().submit
        self.tasks.run(
            lambda: queue_launcher_reports(reports, context(), submit),
            lambda ids: logger.info("launcher reports queued: %s", ids),
            lambda error: logger.error("launcher reports not queued: %s", error),
        )

    def check_for_updates(self) -> None:
        self.tasks.run(check_for_update, self.on_update_checked, lambda _error: None)

    def on_update_checked(self, check: UpdateCheck) -> None:
        window = self._window()
        if check.offer is not None:
            shown = window.findChild(UpdateDialog)
            if shown is not None and shown.isVisible():
                return  # the offer is already there (e.g. under way)
            dialog = UpdateDialog(check.offer, self.tasks, self.ticket_open, window)
            dialog.restart_requested.connect(lambda _version: self.restart())
            dialog.show_offer()  # not modal: the cashier finishes the open ticket first
        elif check.message:  # e.g. updates not configured, the release server unreachable
            window.statusBar().showMessage(check.message, 15_000)

    def ticket_open(self) -> bool:
        """An update waits while a ticket is being sold."""
        cart = getattr(self.sale, "cart", None)
        return cart is not None and not cart.is_empty

    def restore_previous_version(self) -> None:
        ask_restore_previous(self._window(), self.tasks, self.ticket_open, self.restart)

    def restart(self) -> None:
        """Close as usual (queued sales stay in the store) and let the launcher restart us."""
        if self._window().close():
            QApplication.exit(EXIT_RESTART)

    def show_update_settings(self) -> None:
        """Settings → Updates… (a manager's): where this till takes its updates from."""
        self._as_manager(
            _("Change where updates come from"),
            lambda _manager: UpdateSettingsDialog(self.tasks, self._window()).open(),
        )

    def show_about(self) -> None:
        """Help → About: read on a worker (settings, the declaration, the update status)."""
        till, status = self.till, self.last_status
        self.tasks.run(lambda: about_info(till, status), self._open_about)

    def _open_about(self, info: AboutInfo) -> None:
        AboutDialog(self._window(), info).open()

    def _window(self) -> QMainWindow:
        assert isinstance(self, QMainWindow)
        return self


def about_info(till: str, status: ShopStatus | None) -> AboutInfo:
    """Worker: what Help → About shows."""
    settings = load_settings()
    label = settings.get(cfg.TILL_LABEL)
    shop = ""
    if status is not None:
        shop = f"{status.shop_name} · PrestaShop {status.prestashop_version}"
        shop += " " + _("(demo)") if status.demo else ""
    installation = settings.get(cfg.VERIFACTU_INSTALLATION) or settings.get(cfg.TILL_UUID)
    declaration = declaration_text(DECLARATION)  # the build's producer filled in
    return AboutInfo(
        version=__version__,
        till=f"{till} · {label}" if label else till,
        installation=str(installation or ""),
        shop=shop,
        data_dir=str(paths.data_dir()),
        log_dir=str(paths.log_dir()),
        updates=update_status().describe(),
        declaration=declaration,
    )
