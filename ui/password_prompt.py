"""The database password, typed at each start when the system keyring is not available, or
once when the keyring does not hold it yet (settings imported from another till).

:class:`PasswordPrompt` ``(parent, needed)`` names the shop, says why the last password was
refused (the doctor's words) and, with an SSH tunnel, asks for its password or key passphrase
too. ``typed`` carries the secrets once, in memory only; the fields are cleared as soon as
they are handed over, and nothing of them is logged, put in a problem report or written to a
file (the start keeps them in the system keyring when ``needed.kept`` and they work).
``cancelled`` means: stay offline (the window says so and offers to try again).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.i18n import _
from app.setup.runtime import PasswordNeeded, TypedSecrets

ERROR_STYLE = "color: #b3261e; font-size: 16px; font-weight: 600;"
FIELD_HEIGHT = 44


def _why(needed: PasswordNeeded) -> str:
    if needed.kept:
        return _(
            "This computer does not have the password yet (for example, the settings came "
            "from another till). Once it works it is kept in the system keyring, so it is "
            "not asked again."
        )
    return _(
        "The system keyring is not available, so Mostrador asks for it each time it "
        "starts. It is kept in memory only, never saved."
    )


class PasswordPrompt(QDialog):
    typed = Signal(object)  # TypedSecrets
    cancelled = Signal()

    def __init__(self, parent: QWidget | None, needed: PasswordNeeded) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Database password"))
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setMinimumWidth(520)
        self.title = QLabel(_("Password of the database of {shop}").format(shop=needed.shop))
        self.title.setStyleSheet("font-size: 20px; font-weight: 600;")
        self.title.setWordWrap(True)
        self.error = QLabel(f"{needed.message}\n{needed.hint}".strip())
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.error.setVisible(bool(needed.message))
        self.why = QLabel(_why(needed))
        self.why.setWordWrap(True)
        self.password = self._secret_field()
        self.ssh_secret = self._secret_field()
        form = QFormLayout()
        form.addRow(_("Password"), self.password)
        if needed.ssh_secret:
            form.addRow(_("SSH password or key passphrase"), self.ssh_secret)
        layout = QVBoxLayout(self)
        for widget in (self.title, self.error, self.why):
            layout.addWidget(widget)
        layout.addLayout(form)
        layout.addLayout(self._buttons())
        self.password.setFocus()

    @staticmethod
    def _secret_field() -> QLineEdit:
        field = QLineEdit()
        field.setEchoMode(QLineEdit.EchoMode.Password)
        field.setMinimumHeight(FIELD_HEIGHT)
        return field

    def _buttons(self) -> QHBoxLayout:
        self.connect_button = QPushButton(_("Connect (Enter)"))
        self.connect_button.setDefault(True)
        self.connect_button.clicked.connect(self.accept)
        self.cancel_button = QPushButton(_("Cancel (Esc)"))
        self.cancel_button.clicked.connect(self.reject)
        QShortcut(QKeySequence("Ctrl+Return"), self, self.accept)
        row = QHBoxLayout()
        row.addStretch(1)
        for button in (self.cancel_button, self.connect_button):
            button.setMinimumHeight(FIELD_HEIGHT)
            row.addWidget(button)
        return row

    def accept(self) -> None:
        if not self.password.text():
            self.password.setFocus()
            return
        secrets = TypedSecrets(self.password.text(), self.ssh_secret.text())
        self.password.clear()
        self.ssh_secret.clear()
        super().accept()
        self.typed.emit(secrets)

    def reject(self) -> None:
        self.password.clear()
        self.ssh_secret.clear()
        super().reject()
        self.cancelled.emit()
