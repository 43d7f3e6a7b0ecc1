"""Uncaught exceptions, Qt half: the report dialog opens prefilled, on the GUI thread, one at a
time.

The Qt-free :class:`app.bugreport.crash.CrashHandler` catches exceptions of the main thread,
of worker threads and of Qt slots (PySide hands those to ``sys.excepthook``), logs them and
decides whether each deserves a report; this module marshals that decision to the GUI thread
with a queued signal. With ``bugreport.auto_send`` on, the report is sent without a dialog
(until the server asks this version to stop). The lead's launch code calls::

    handler = install_crash_handler(app, lambda: window, context_provider)

and the Help menu calls :func:`open_report_dialog` and :func:`open_log_folder`.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable

from PySide6.QtCore import (
    QMessageLogContext,
    QObject,
    Qt,
    QtMsgType,
    QUrl,
    Signal,
    Slot,
    qInstallMessageHandler,
)
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from app import paths
from app.bugreport.crash import CrashHandler
from app.bugreport.report import (
    CrashInfo,
    ReportContext,
    UserInput,
    build_report,
    gather_context,
)
from app.bugreport.service import BugReporter
from app.config import settings as cfg
from app.errors import MostradorError
from app.i18n import _
from ui.bug_dialog import BugReportDialog, ContextProvider, grab_png
from ui.tasks import TaskManager

logger = logging.getLogger(__name__)

WindowProvider = Callable[[], QWidget | None]
MAX_WAITING = 3
_NOT_INSTALLED = object()
qt_logger = logging.getLogger("qt")
_QT_LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}


def log_qt_message(mode: QtMsgType, context: QMessageLogContext, message: str) -> None:
    """Qt's own warnings go to the log file (a windowed build has no console)."""
    qt_logger.log(_QT_LEVELS.get(mode, logging.WARNING), "%s", message)


class _Shared:
    reporter: BugReporter | None = None
    tasks: TaskManager | None = None
    context_provider: ContextProvider | None = None
    handler: QtCrashHandler | None = None


def reporter() -> BugReporter:
    """The application's bug reporter (made from the settings, and started, on first use)."""
    if _Shared.reporter is None:
        _Shared.reporter = BugReporter.from_settings()
        _Shared.reporter.start()
        app = QApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(shutdown_bug_reports)
    return _Shared.reporter


def wake_bug_reports() -> None:
    """Send queued reports now (the network is back), if the reporter has started."""
    if _Shared.reporter is not None:
        _Shared.reporter.wake()


def set_reporter(value: BugReporter | None) -> None:
    """Use ``value`` from now on (tests, or a reporter made elsewhere)."""
    _Shared.reporter = value


def _tasks() -> TaskManager:
    if _Shared.tasks is None:
        _Shared.tasks = TaskManager()
    return _Shared.tasks


def default_context_provider() -> ContextProvider:
    """The provider given to :func:`install_crash_handler`, else one knowing only the till."""
    return _Shared.context_provider or _settings_context


def _settings_context() -> ReportContext:
    try:
        till = cfg.Settings.load(paths.config_dir() / cfg.FILE_NAME).get(cfg.TILL_NAME)
    except MostradorError:
        till = ""
    return gather_context(till)


def open_report_dialog(
    parent: QWidget | None,
    context_provider: ContextProvider | None = None,
    *,
    crash: CrashInfo | None = None,
) -> BugReportDialog:
    """Open the report dialog (not modal to the application; returns at once).

    ``context_provider`` runs on a worker thread and returns the till's facts, e.g.
    ``lambda: gather_context(till, shop_facts(shop_status, sync_status))``.
    """
    screenshot = grab_png(parent) if parent is not None else None
    dialog = BugReportDialog(
        reporter(),
        context_provider or default_context_provider(),
        _tasks(),
        crash=crash,
        screenshot_png=screenshot,
        parent=parent,
    )
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.show()
    return dialog


def open_log_folder() -> bool:
    """Show the log folder in the system's file manager (Help → Open log folder)."""
    folder = paths.log_dir()
    folder.mkdir(parents=True, exist_ok=True)
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))


class QtCrashHandler(QObject):
    crash_caught = Signal(object)  # CrashInfo, emitted on any thread

    def __init__(
        self,
        app: QApplication,
        window_provider: WindowProvider,
        context_provider: ContextProvider | None = None,
    ) -> None:
        super().__init__()
        self.window_provider = window_provider
        self.context_provider = context_provider or default_context_provider()
        self.reporter = reporter()
        self.core = CrashHandler(self.crash_caught.emit, self.reporter.guard, paths.log_dir())
        self.dialog: BugReportDialog | None = None
        self.waiting: deque[CrashInfo] = deque(maxlen=MAX_WAITING)
        self.crash_caught.connect(self.on_crash, Qt.ConnectionType.QueuedConnection)
        self._previous_qt_handler: object = _NOT_INSTALLED
        app.aboutToQuit.connect(self.shutdown)

    def install(self) -> None:
        self.core.install()
        self._previous_qt_handler = qInstallMessageHandler(log_qt_message)
        self.reporter.start()
        fatal = self.core.previous_fatal_error()
        if fatal and self.reporter.guard.first_time("fatal at previous run"):
            self.crash_caught.emit(previous_run_crash(fatal))

    @Slot(object)
    def on_crash(self, info: CrashInfo) -> None:
        """On the GUI thread: send it, or show it to the user (one dialog at a time)."""
        if self.reporter.auto_send and self.reporter.automatic_allowed():
            self._send_automatically(info)
            return
        if self.dialog is not None and self.dialog.isVisible():
            self.waiting.append(info)
            return
        window = self.window_provider()
        self.dialog = open_report_dialog(window, self.context_provider, crash=info)
        self.dialog.finished.connect(self._next)

    def _next(self) -> None:
        self.dialog = None
        if self.waiting:
            self.on_crash(self.waiting.popleft())

    def _send_automatically(self, info: CrashInfo) -> None:
        provider, service = self.context_provider, self.reporter

        def send() -> str:
            report = build_report(UserInput(), provider(), info, automatic=True)
            return service.submit(report).report_id

        _tasks().run(send, None, lambda error: logger.error("automatic report failed: %s", error))
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            _("Mostrador"),
            _("Something went wrong. Nothing you recorded has been lost. "
              "A report has been sent to support."),
            parent=self.window_provider(),
        )  # fmt: skip
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    def shutdown(self) -> None:
        self.core.uninstall()
        if self._previous_qt_handler is not _NOT_INSTALLED:
            qInstallMessageHandler(self._previous_qt_handler)  # type: ignore[arg-type]
            self._previous_qt_handler = _NOT_INSTALLED
        self.reporter.stop()
        if _Shared.tasks is not None:
            _Shared.tasks.shutdown()
            _Shared.tasks = None


def previous_run_crash(fault_text: str) -> CrashInfo:
    """The hard crash the previous run left in the fault log, as a crash to report."""
    return CrashInfo(
        type_name="FatalError",
        message=_("Mostrador closed unexpectedly the last time."),
        traceback=fault_text[-20_000:],
        thread="previous run",
        where="previous run",
        signature="fatal at previous run",
    )


def shutdown_bug_reports() -> None:
    """Uninstall the crash handler, stop the sender and the dialogs' tasks (on quit, tests)."""
    if _Shared.handler is not None:
        _Shared.handler.shutdown()
        _Shared.handler = None
    if _Shared.reporter is not None:
        _Shared.reporter.stop()
    if _Shared.tasks is not None:
        _Shared.tasks.shutdown()
        _Shared.tasks = None
    _Shared.context_provider = None


def install_crash_handler(
    app: QApplication,
    window_provider: WindowProvider,
    context_provider: ContextProvider | None = None,
) -> QtCrashHandler:
    """Catch every uncaught exception from now on; uninstalled when the app quits."""
    if _Shared.handler is not None:
        _Shared.handler.shutdown()
    _Shared.context_provider = context_provider
    handler = QtCrashHandler(app, window_provider, context_provider)
    handler.install()
    _Shared.handler = handler
    return handler
