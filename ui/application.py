"""Create the QApplication, load Qt's own translations, open the main window."""

from __future__ import annotations

import sys

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import QApplication

from app.cli import LaunchOptions
from app.i18n import current_language
from ui.crash_handler import install_crash_handler, shutdown_bug_reports
from ui.gc_guard import collect_on_gui_thread
from ui.main_window import MainWindow
from ui.setup_wizard import run_setup_wizard


def install_qt_translations(app: QApplication) -> list[QTranslator]:
    """Qt's standard dialogs (Yes/No/Cancel…) in the interface language."""
    language = current_language()
    QLocale.setDefault(QLocale(language))
    path = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    translators = []
    for name in ("qtbase", "qt"):
        translator = QTranslator(app)
        if translator.load(f"{name}_{language}", path):
            app.installTranslator(translator)
            translators.append(translator)
    return translators


def run_application(options: LaunchOptions) -> int:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("Mostrador")
    app.setOrganizationName("Mostrador")
    collect_on_gui_thread(app)  # never in a worker: it could delete a Qt object there
    install_qt_translations(app)
    target = options.target
    if target is None:  # first start: connect to the shop (or choose the demo) in the wizard
        target = run_setup_wizard(None)
        if target is None:
            return 0
    window = MainWindow(target, options.till, options.store)
    install_crash_handler(app, lambda: window, window.report_context)
    window.show()
    try:
        return app.exec()
    finally:
        shutdown_bug_reports()
