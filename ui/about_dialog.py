"""Help → About: what is installed and where, for the owner and for support on the phone.

Two tabs: **Mostrador** (version, this till, the shop it sells for, where its data and logs
live, how it updates) with "Copy for support" (Ctrl+C), and **Responsible declaration** (the
producer's VERI*FACTU "declaración responsable", in full, as the rules require it to be
readable from the software). Everything shown is already in memory or a small local file:
nothing here waits on the shop.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.i18n import _

TOUCH = 44


@dataclass(frozen=True)
class AboutInfo:
    """What the About dialog shows; the window fills it from what it holds."""

    version: str
    till: str  # "T1 · Mostrador 1" or "T1"
    installation: str  # the till's uuid / VERI*FACTU installation number; "" if none yet
    shop: str  # "Mostrador Demo · PrestaShop 8.2.1 (demo)" or "" when not connected yet
    data_dir: str
    log_dir: str
    updates: str  # e.g. "https://… (checked daily)" or "Updates are not configured"
    declaration: str  # the responsible declaration, "" when the build has none

    def rows(self) -> list[tuple[str, str]]:
        """(label, value) pairs, in the order shown and copied."""
        return [
            (_("Version"), self.version),
            (_("Till"), self.till),
            (_("Installation number"), self.installation or "—"),
            (_("Shop"), self.shop or _("Not connected yet")),
            (_("Data folder"), self.data_dir),
            (_("Log folder"), self.log_dir),
            (_("Updates"), self.updates),
        ]

    def as_text(self) -> str:
        return "\n".join(f"{label}: {value}" for label, value in self.rows())


class AboutDialog(QDialog):
    def __init__(self, parent: QWidget | None, info: AboutInfo) -> None:
        super().__init__(parent)
        self.info = info
        self.setWindowTitle(_("About Mostrador"))
        self.resize(640, 460)
        self.tabs = QTabWidget()
        self.tabs.addTab(self._about_tab(), "Mostrador")
        self.declaration = QPlainTextEdit(info.declaration or _("This build has no declaration."))
        self.declaration.setReadOnly(True)
        self.tabs.addTab(self.declaration, _("Responsible declaration (VERI*FACTU)"))
        self.copy_button = QPushButton(_("Copy for support (Ctrl+C)"))
        self.copy_button.clicked.connect(self.copy_info)
        QShortcut(QKeySequence.StandardKey.Copy, self, self.copy_info)
        close = QPushButton(_("Close (Esc)"))
        close.clicked.connect(self.accept)
        close.setDefault(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.copy_button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        for button in (self.copy_button, close):
            button.setMinimumHeight(TOUCH)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(buttons)

    def _about_tab(self) -> QWidget:
        page = QWidget()
        title = QLabel(
            "<b style='font-size:20px'>Mostrador</b><br>"
            + _("Point of sale and back office for PrestaShop shops.")
        )
        form = QFormLayout()
        for label, value in self.info.rows():
            shown = QLabel(value)
            shown.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            shown.setWordWrap(True)
            form.addRow(label, shown)
        layout = QVBoxLayout(page)
        layout.addWidget(title)
        layout.addLayout(form)
        layout.addStretch(1)
        return page

    def copy_info(self) -> None:
        """The facts as text on the clipboard, to paste in an e-mail to support."""
        QGuiApplication.clipboard().setText(self.info.as_text())
        self.copy_button.setText(_("Copied"))
