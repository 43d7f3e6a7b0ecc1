"""Help → About tells support what is installed and where, and shows the producer's
responsible declaration in full."""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from ui.about_dialog import AboutDialog, AboutInfo

INFO = AboutInfo(
    version="1.4.2",
    till="T1 · Mostrador 1",
    installation="5b0c6c1e-1111-4a4a-9c9c-000000000001",
    shop="Mostrador Demo · PrestaShop 8.2.1",
    data_dir="/home/tienda/.local/share/mostrador",
    log_dir="/home/tienda/.local/state/mostrador/log",
    updates="Updates are not configured",
    declaration="DECLARACIÓN RESPONSABLE DEL SISTEMA INFORMÁTICO DE FACTURACIÓN\n…",
)


def test_about_shows_what_support_asks_and_copies_it(qtbot: QtBot) -> None:
    dialog = AboutDialog(None, INFO)
    qtbot.addWidget(dialog)
    dialog.show()
    shown = [label.text() for label in dialog.tabs.widget(0).findChildren(QLabel)]
    for value in ("1.4.2", "T1 · Mostrador 1", "Mostrador Demo · PrestaShop 8.2.1",
                  "Updates are not configured", INFO.installation):  # fmt: skip
        assert value in shown
    dialog.copy_button.click()
    copied = QGuiApplication.clipboard().text()
    assert "Version: 1.4.2" in copied and "Installation number: 5b0c6c1e" in copied
    assert "/home/tienda/.local/share/mostrador" in copied
    assert dialog.copy_button.text() == "Copied"


def test_the_declaration_is_readable_in_full(qtbot: QtBot) -> None:
    dialog = AboutDialog(None, INFO)
    qtbot.addWidget(dialog)
    assert dialog.declaration.toPlainText() == INFO.declaration
    assert dialog.declaration.isReadOnly()
    assert "VERI*FACTU" in dialog.tabs.tabText(1)


def test_not_connected_yet_is_said_plainly() -> None:
    info = AboutInfo("1.0", "T1", "", "", "/d", "/l", "…", "")
    values = dict(info.rows())
    assert values["Shop"] == "Not connected yet" and values["Installation number"] == "—"
