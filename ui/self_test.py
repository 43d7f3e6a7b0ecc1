"""The window half of ``mostrador --self-test`` (the core half is ``app/self_test.py``).

Starts Qt off screen (nothing is shown) and checks what a bundle most often loses: the platform
plugin this system's window needs, the image formats of the icons, Qt's own translations of the
standard dialogs, fonts that render text, and every screen module importing (hidden imports,
pyqtgraph). Raises on the first failure; returns what was checked.
"""

from __future__ import annotations

import importlib
import os
import sys
from pathlib import Path

SCREENS = (
    "ui.application", "ui.main_window", "ui.tpv.sale_screen", "ui.erp.erp_window",
    "ui.setup_wizard", "ui.update_dialog", "ui.bug_dialog", "ui.verifactu_screen",
)  # fmt: skip
NATIVE_PLATFORM = {"win32": "qwindows", "darwin": "qcocoa"}.get(sys.platform, "qxcb")
ICON = Path(__file__).resolve().parent.parent / "resources" / "icons"


def run_window_checks() -> list[str]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # never a window on screen
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    checks = [_platform_plugin, _icons, _qt_translations, _text_renders, _screens]
    return [check() for check in checks]


def _platform_plugin() -> str:
    from PySide6.QtCore import QLibraryInfo

    folder = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath)) / "platforms"
    if not any(p.name.startswith(("lib" + NATIVE_PLATFORM, NATIVE_PLATFORM)) for p in _ls(folder)):
        raise FileNotFoundError(f"Qt platform plugin {NATIVE_PLATFORM} missing in {folder}")
    return NATIVE_PLATFORM


def _ls(folder: Path) -> list[Path]:
    return list(folder.iterdir()) if folder.is_dir() else []


def _icons() -> str:
    from PySide6.QtGui import QImage

    for name in ("mostrador.png", "mostrador.ico"):
        if QImage(str(ICON / name)).isNull():
            raise ValueError(f"the icon {name} does not load (image format plugin missing?)")
    return "icons"


def _qt_translations() -> str:
    from PySide6.QtCore import QLibraryInfo, QTranslator

    translator = QTranslator()
    if not translator.load(
        "qtbase_es", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    ):
        raise FileNotFoundError("Qt's own Spanish translations (qtbase_es.qm) are missing")
    if translator.translate("QPlatformTheme", "Cancel") in ("", "Cancel"):
        raise LookupError("qtbase_es.qm does not translate 'Cancel'")
    return "qt translations"


def _text_renders() -> str:
    from PySide6.QtWidgets import QLabel

    label = QLabel("Mostrador 1.234,50 €")
    label.adjustSize()
    if label.grab().toImage().isNull() or label.fontMetrics().horizontalAdvance("€") <= 0:
        raise RuntimeError("text does not render (no usable font)")
    return "fonts"


def _screens() -> str:
    for name in SCREENS:
        importlib.import_module(name)
    return "screens"
