"""The main window: a shell (menus, status bar, screen stack). Screens live in their own modules.

The window owns the open till (:class:`~app.till_runtime.TillRuntime`): it opens it on a
worker as soon as it starts (the first time, the catalog is pulled), then asks who is
selling (the sign-in screen). The employee signed in is the one recorded on every ticket;
locking the till (Ctrl+L) goes back to the sign-in screen and anyone may take over, the
cart staying as it was. Tickets are printed after they are recorded (``PrintFlow``); the
sync state is always in the status bar.
"""

from __future__ import annotations

import gc
import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QWidget,
)

from app import paths
from app.bugreport.report import ReportContext, gather_context, shop_facts
from app.config import settings as cfg
from app.connection import ShopTarget
from app.errors import UserFacingError
from app.i18n import _, ngettext
from app.sale.price_inputs import Employee
from app.setup.runtime import ShopStarted
from app.shop_status import ShopStatus, load_shop_status
from app.sync.worker import SyncStatus
from app.till.cash_session import MovementKind
from app.till.records import Ticket
from app.till_ops import ZPrintRequest, load_settings, print_z_report
from app.till_runtime import TillRuntime
from app.update_hooks import report_ready
from app.verifactu.setup import sender_config
from app.verifactu.worker import FiscalStatus
from printing.backends import PrintResult
from ui.crash_handler import open_log_folder, open_report_dialog, wake_bug_reports
from ui.help import HelpKeyInDialogs, show_help
from ui.home_screen import HomeScreen
from ui.printing.print_flow import PrintFlow
from ui.printing.printer_settings import PrinterSettingsDialog
from ui.printing.reprint_dialog import ReprintDialog
from ui.profile_switch import ShopSwitching
from ui.qt_events import QtEventListener
from ui.shop_connection import ShopStarter
from ui.sync_status import SyncStatusWidget
from ui.tasks import TaskManager
from ui.tpv.cash_close import CashCloseScreen
from ui.tpv.cash_move import CashMoveDialog
from ui.tpv.login_screen import LoginScreen, role_text
from ui.tpv.manager_approval import ask_manager_approval
from ui.tpv.pin_dialog import SetPinDialog
from ui.tpv.returns_screen import ReturnsScreen
from ui.tpv.sale_screen import SaleScreen
from ui.tpv.z_preview import ZPreview
from ui.verifactu_screen import VerifactuScreen
from ui.window_actions import build_menus
from ui.window_updates import UpdatesAndAbout

logger = logging.getLogger(__name__)

# F1 opens the page of the screen (or dialog) in use.
DIALOG_HELP = {
    "PaymentDialog": "payment",
    "CustomerDialog": "customer",
    "ParkedDialog": "park",
    "DiscountDialog": "discount",
    "CashOpenDialog": "cash_open",
    "CashMoveDialog": "cash_move",
    "ReprintDialog": "printer",
    "PrinterSettingsDialog": "printer",
    "PrintProblemDialog": "printer",
    "SetPinDialog": "login",
    "ManagerApprovalDialog": "discount",
    "ProfileSwitchDialog": "shop",
    "PasswordPrompt": "shop",
    "SetupWizard": "shop",
    "InvoiceDialog": "invoice",
    "VerifactuScreen": "fiscal",  # a window of its own, not modal: see show_help
    "CorrectionDialog": "fiscal",
    "UpdateDialog": "updates",
    "UpdateSettingsDialog": "updates",
    "AboutDialog": "updates",
    # The back office's own dialogs (its window answers F1 itself: ui/erp/erp_window.py).
    "ProductFormDialog": "back_office",
    "CombinationsDialog": "back_office",
    "OrderDetailDialog": "back_office",
    "SupplierDialog": "back_office",
    "AddressDialog": "back_office",
}


def help_id(widget: QWidget) -> str | None:
    """A dialog's help page: its own ``help_id()`` when the page depends on what it shows
    (the payment dialog with the full invoice's form), else :data:`DIALOG_HELP`'s."""
    own = getattr(widget, "help_id", None)
    return str(own()) if callable(own) else DIALOG_HELP.get(type(widget).__name__)


UPDATE_CHECK_DELAY_MS = 60_000  # after start, once the till is selling


class MainWindow(QMainWindow, ShopSwitching, UpdatesAndAbout):
    def __init__(self, target: ShopTarget | None, till: str, store: Path | None = None) -> None:
        super().__init__()
        self.requested, self.till, self.store = target, till, store  # the shop asked for
        self.target: ShopTarget | None = None  # that shop as reached (through its SSH tunnel)
        self.started: ShopStarted | None = None  # the till open on it, and the tunnel
        self.runtime: TillRuntime | None = None
        self.last_status: ShopStatus | None = None
        self.erp_window: QWidget | None = None
        self.employee: Employee | None = None
        self.tasks = TaskManager(self)
        self.starter = ShopStarter(self, self.tasks)
        self.starter.reached.connect(self.on_shop_reached)
        self.starter.started.connect(self.on_till_opened)
        self.starter.failed.connect(self.on_till_failed)
        self.starter.declined.connect(self.on_password_declined)
        self.print_flow = PrintFlow(self, self.tasks)
        self.events = QtEventListener(parent=self)
        self.setWindowTitle(_("Mostrador — {till}").format(till=till))
        self.setMinimumSize(1000, 700)
        self.resize(1024, 768)
        self._build_screens()
        self._build_status_bar()
        self.print_flow.printed.connect(self.on_printed)
        self.print_flow.print_failed.connect(
            lambda reason: self.statusBar().showMessage(reason, 8000)
        )
        self.actions_ = build_menus(self, self)
        app = QApplication.instance()
        if app is not None:  # F1 also inside modal dialogs (see HelpKeyInDialogs)
            app.installEventFilter(HelpKeyInDialogs(self.show_help, self))
        self.actions_.set_state(False)
        self.open_till()

    def _build_screens(self) -> None:
        self.home = HomeScreen()
        self.home.refresh_requested.connect(self.refresh_status)
        self.login = LoginScreen(self.tasks)
        self.login.signed_in.connect(self.on_signed_in)
        self.sale = SaleScreen(self.tasks)
        self.sale.ticket_paid.connect(self.on_ticket_paid)
        self.returns = ReturnsScreen(self.tasks)
        self.returns.refund_recorded.connect(self.on_ticket_paid)
        self.returns.done.connect(self.show_sale)
        self.cash_close = CashCloseScreen(self.tasks)
        self.cash_close.print_requested.connect(self.print_z)
        self.cash_close.done.connect(self.show_sale)
        self.z_preview = ZPreview(self.tasks)
        self.z_preview.print_requested.connect(self.print_z)
        self.z_preview.done.connect(self.show_sale)
        self.stack = QStackedWidget()
        for screen in (self.home, self.login, self.sale, self.returns, self.cash_close):
            self.stack.addWidget(screen)
        self.stack.addWidget(self.z_preview)
        self.setCentralWidget(self.stack)
        self.help_ids = {
            self.home: "home", self.login: "login", self.sale: "sale",
            self.returns: "returns", self.cash_close: "cash_close", self.z_preview: "z_report",
        }  # fmt: skip

    def _build_status_bar(self) -> None:
        self.employee_label = QLabel()
        self.sync_status = SyncStatusWidget()
        self.events.status_changed.connect(self.sync_status.show_status)
        self.events.status_changed.connect(self.on_sync_status)
        self.fiscal_label = QLabel()
        self.events.fiscal_changed.connect(self.on_fiscal_status)
        self.connection_label = QLabel()
        bar = self.statusBar()
        bar.addWidget(self.employee_label)
        bar.addPermanentWidget(self.fiscal_label)
        bar.addPermanentWidget(self.sync_status)
        bar.addPermanentWidget(self.connection_label)

    # --- the till -------------------------------------------------------------------------

    def open_till(self) -> None:
        """Reach the shop (SSH tunnel, typed password) and open the till on it, on a worker."""
        self.target = None
        self.starter.start(self.requested, self.till, self.store)
        self.refresh_status()  # "Connecting…", or no shop configured
        self.home.show_till_opening()

    def on_shop_reached(self, target: ShopTarget | None) -> None:
        self.target = target
        if target is not None and not self.tasks.closed:
            self.refresh_status()

    def on_till_opened(self, started: ShopStarted) -> None:
        self.started = started
        self.runtime = runtime = started.runtime
        self.events.attach(runtime.bus)
        runtime.start_sync()
        self.sale.attach(runtime)
        self.login.set_store(runtime.store, runtime.managers)
        self.home.show_till_ready()
        self.stack.setCurrentWidget(self.login)
        # What is loaded now lives all day: keep the collector from sweeping it while the
        # cashier scans (its pauses were the longest GUI stalls measured, bench/gui_stall.py).
        gc.collect()
        gc.freeze()
        store_file, settings_file = runtime.store.path, paths.config_dir() / cfg.FILE_NAME
        self.tasks.run(lambda: report_ready(store_file, settings_file), self.on_reported_ready)
        QTimer.singleShot(UPDATE_CHECK_DELAY_MS, self.check_for_updates)

    def on_till_failed(self, error: BaseException) -> None:
        self.home.show_till_failed(error.message if isinstance(error, UserFacingError) else "")
        if self.target is None and isinstance(error, UserFacingError):  # the SSH tunnel
            self.home.show_error(error.message, error.hint)
            self._set_connection(False, _("Not connected"))
        if not isinstance(error, UserFacingError):
            from ui.errors import show_error

            show_error(self, error)

    def on_signed_in(self, employee: Employee) -> None:
        runtime = self.runtime
        if runtime is None:
            return
        self.employee = employee
        runtime.employee = employee  # recorded on every ticket from now on
        self.sale.set_employee(employee)
        self.employee_label.setText(
            _("{name} ({role})").format(name=employee.name, role=role_text(employee))
        )
        self.actions_.set_state(True)
        self.show_sale()

    def lock(self) -> None:
        if self.runtime is None or self.employee is None:
            return
        self.login.lock_mode(self.employee)
        self.actions_.set_state(False)
        self.stack.setCurrentWidget(self.login)

    # --- screens --------------------------------------------------------------------------

    def _till(self) -> TillRuntime | None:
        """The open till when someone is signed in (else the sign-in screen is shown)."""
        if self.runtime is None or self.employee is None:
            return None
        return self.runtime

    def show_sale(self) -> None:
        if self._till() is not None:
            self.stack.setCurrentWidget(self.sale)

    def show_home(self) -> None:
        self.stack.setCurrentWidget(self.home)

    def show_returns(self) -> None:
        runtime = self._till()
        if runtime is not None:
            self.stack.setCurrentWidget(self.returns)
            self.returns.show_for(runtime)

    def show_cash_close(self) -> None:
        runtime = self._till()
        if runtime is not None:
            self.stack.setCurrentWidget(self.cash_close)
            self.cash_close.show_for(runtime)

    def show_last_z(self) -> None:
        runtime = self._till()
        if runtime is not None:
            self.stack.setCurrentWidget(self.z_preview)
            self.z_preview.show_last_closed(runtime)

    def cash_in(self) -> None:
        self._cash_move(MovementKind.CASH_IN)

    def cash_out(self) -> None:
        self._cash_move(MovementKind.CASH_OUT)

    def _cash_move(self, kind: MovementKind) -> None:
        runtime = self._till()
        if runtime is not None:
            CashMoveDialog(self, self.tasks, runtime, kind=kind).open()

    def show_reprint(self) -> None:
        runtime = self._till()
        if runtime is not None:
            ReprintDialog(self, self.tasks, runtime.store, self.print_flow).open()

    def show_back_office(self) -> None:
        """The manager's back office (ERP), in its own window, on the same shop."""
        target, runtime = self.target, self.runtime
        if target is None or runtime is None:
            return

        def open_window(manager: Employee) -> None:
            from ui.erp.erp_window import open_erp_window

            self.erp_window = open_erp_window(self, target, manager, runtime.store)

        self._as_manager(_("Open the back office"), open_window)

    def show_fiscal_records(self) -> None:
        """VERI*FACTU: records, chain, sending status (managers)."""
        runtime = self._till()
        if runtime is None:
            return

        def open_screen(_manager: Employee) -> None:
            screen = VerifactuScreen(
                self.tasks, runtime.store, lambda: sender_config(load_settings()),
                events=self.events,
            )  # fmt: skip
            screen.setParent(self, Qt.WindowType.Window)
            screen.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            screen.setWindowTitle(_("Fiscal records (VERI*FACTU)"))
            screen.resize(960, 640)
            screen.show()

        self._as_manager(_("See the fiscal records"), open_screen)

    def show_printer_settings(self) -> None:
        self._as_manager(
            _("Change the ticket printer"),
            lambda _manager: PrinterSettingsDialog(self, self.tasks).open(),
        )

    def show_pins(self) -> None:
        runtime = self.runtime

        def open_pins(manager: Employee) -> None:
            if runtime is not None:
                dialog = SetPinDialog(self, self.tasks, runtime.store, manager)
                dialog.pins_changed.connect(self.login.reload)
                dialog.open()

        self._as_manager(_("Set employee PINs"), open_pins)

    def _as_manager(self, reason: str, then: Callable[[Employee], None]) -> None:
        """Run ``then(manager)`` now for a manager, after a manager's approval otherwise."""
        runtime, employee = self._till(), self.employee
        if runtime is None or employee is None:
            return
        if employee.is_manager:
            then(employee)
        else:
            ask_manager_approval(
                self, self.tasks, runtime.store, reason, then, managers=runtime.managers
            )

    # --- printing -------------------------------------------------------------------------

    def on_ticket_paid(self, ticket: Ticket) -> None:
        """A sale or a refund was recorded: print it (a printer fault never undoes it)."""
        if self.runtime is not None:
            self.print_flow.print_ticket(self.runtime, ticket)

    def on_printed(self, number: str) -> None:
        self.statusBar().showMessage(_("Ticket {number} printed.").format(number=number), 5000)

    def print_z(self, request: ZPrintRequest) -> None:
        runtime = self.runtime
        if runtime is not None:
            self.tasks.run(lambda: print_z_report(runtime, request), self.on_z_printed)

    def on_z_printed(self, result: PrintResult) -> None:
        if result.ok:
            self.statusBar().showMessage(_("Z report printed."), 5000)
        else:
            QMessageBox.warning(self, _("Z report"), result.message)

    # --- help, status ---------------------------------------------------------------------

    def show_help(self) -> None:
        """F1: the page of the dialog or window in use (e.g. the fiscal records' own window),
        else of the screen shown."""
        active = QApplication.activeModalWidget() or QApplication.activeWindow()
        over = active if active is not None and active is not self else None
        screen_id = help_id(over) if over is not None else None
        if screen_id is None:
            current = self.stack.currentWidget()
            screen_id = self.help_ids.get(current, "home") if current is not None else "home"
        show_help(over or self, screen_id, self.tasks)

    def report_problem(self) -> None:
        open_report_dialog(self, self.report_context)

    def report_context(self) -> ReportContext:
        """The till's facts for a problem report (runs on a worker: frozen values only)."""
        return gather_context(self.till, shop_facts(self.last_status, self.sync_status.status))

    def open_log_folder(self) -> None:
        open_log_folder()

    def on_password_declined(self) -> None:
        self.home.show_error(
            _("Not connected: the database password was not typed."),
            _("Press Check again (Ctrl+F5) to type it."),
        )
        self.home.show_till_failed(_("The till opens once the password is typed."))
        self._set_connection(False, _("Not connected"))

    def refresh_status(self) -> None:
        if self.runtime is None and not self.starter.busy and self.started is None:
            self.open_till()  # not connected (password not typed, tunnel refused): again
            return
        target, requested = self.target, self.requested
        if requested is None:
            self.home.show_unconfigured()
            self._set_connection(False, _("No shop configured"))
            return
        if target is None:  # the shop is being reached
            self.home.show_loading(requested)
            self._set_connection(None, _("Connecting…"))
            return
        self.home.show_loading(target)
        self._set_connection(None, _("Connecting…"))
        self.tasks.run(lambda: load_shop_status(target), self.on_status_loaded, self.on_failed)

    def on_status_loaded(self, status: ShopStatus) -> None:
        self.last_status = status
        self.home.show_status(status)
        self.setWindowTitle(
            _("Mostrador — {shop} — {till}").format(shop=status.shop_name, till=self.till)
        )
        label = _("Demo shop") if status.demo else _("Connected")
        self._set_connection(True, label)

    def on_failed(self, error: BaseException) -> None:
        message = error.message if isinstance(error, UserFacingError) else str(error)
        hint = error.hint if isinstance(error, UserFacingError) else ""
        self.home.show_error(message, hint)
        self._set_connection(False, _("Offline"))
        if not isinstance(error, UserFacingError):
            from ui.errors import show_error

            show_error(self, error)

    def on_sync_status(self, status: SyncStatus) -> None:
        if status.online:
            wake_bug_reports()  # queued problem reports go as soon as the network is back

    def on_fiscal_status(self, status: FiscalStatus) -> None:
        """VERI*FACTU records waiting for the AEAT: said calmly; the till keeps issuing."""
        text = ""
        if status.pending:
            text = ngettext(
                "VERI*FACTU: {n} record to send", "VERI*FACTU: {n} records to send", status.pending
            ).format(n=status.pending)
        if status.rejected:
            text += " · " + ngettext(
                "{n} rejected: see the fiscal records",
                "{n} rejected: see the fiscal records",
                status.rejected,
            ).format(n=status.rejected)
        text = text.strip(" ·")
        if status.clock_minutes:  # plainly, first: records would carry a wrong time
            from html import escape

            text = f"<b style='color:#b3261e'>{escape(status.clock_text)}</b>" + (
                " · " + escape(text) if text else ""
            )
        self.fiscal_label.setText(text)
        self.fiscal_label.setToolTip(status.last_error)

    def _set_connection(self, online: bool | None, text: str) -> None:
        colour = {True: "#1b7f3a", False: "#b3261e", None: "#8a6d00"}[online]
        self.connection_label.setText(f"<b style='color:{colour}'>●</b> {text}")

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt's name)
        self.hide()  # gone at once for the cashier, while a slow shop lets the sync stop
        self.tasks.shutdown()
        self.events.close()
        self.starter.discard_pending()  # a till opened while the window was closing
        started, self.started, self.runtime = self.started, None, None
        if started is not None:
            started.close()  # the till's workers, then the SSH tunnel
        super().closeEvent(event)
