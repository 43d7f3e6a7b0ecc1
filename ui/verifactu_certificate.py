"""The shop's certificate for sending fiscal records (from the fiscal records screen, managers).

"Choose file… (Ctrl+O)" picks the .p12, the password is typed, "Check and save (F12)" opens
the file with it on a worker (a wrong password is refused with a plain message), shows whom it
names (holder, NIF) and until when, and keeps the password in the system keyring and the path
in the settings (``verifactu.certificate``); never the password in a file or a log. A
certificate expiring within 30 days is warned about.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.config import settings as cfg
from app.errors import UserFacingError
from app.i18n import _
from app.verifactu.clock import utc_now
from app.verifactu.setup import CertificateInfo, read_certificate, save_certificate
from ui.errors import show_error
from ui.tasks import TaskManager

SettingsLoader = Callable[[], cfg.Settings]


def install_certificate(load: SettingsLoader, path: str, password: str) -> CertificateInfo:
    """Worker: check the .p12 with its password, then keep both (keyring, settings)."""
    info = read_certificate(path, password)
    save_certificate(load(), info, password)
    return info


def current_certificate(load: SettingsLoader) -> str:
    return load().get(cfg.VERIFACTU_CERTIFICATE).strip()


def certificate_text(info: CertificateInfo, now: datetime) -> str:
    text = _("Certificate of {holder} (NIF {nif}), valid until {date}.").format(
        holder=info.holder or "?", nif=info.nif or "?", date=info.expires.strftime("%d/%m/%Y")
    )
    days = info.days_left(now)
    if days < 0:
        return text + " " + _("It has EXPIRED: the AEAT will refuse it. Get a new one.")
    if info.expires_soon(now):
        return text + " " + _("It expires in {n} days: renew it soon.").format(n=days)
    return text


class CertificateDialog(QDialog):
    saved = Signal(object)  # the CertificateInfo kept

    def __init__(
        self,
        parent: QWidget | None,
        tasks: TaskManager,
        load: SettingsLoader,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        super().__init__(parent)
        self.tasks, self.load, self.clock = tasks, load, clock
        self.setWindowTitle(_("Certificate for sending fiscal records"))
        self.path_edit = QLineEdit()
        self.path_edit.setMinimumHeight(44)
        self.password_edit = QLineEdit()
        self.password_edit.setMinimumHeight(44)
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_edit.returnPressed.connect(self.on_save)
        choose = self._button(_("Choose file… (Ctrl+O)"), "Ctrl+O", self.choose_file)
        self.save_button = self._button(_("Check and save (F12)"), "F12", self.on_save)
        cancel = self._button(_("Close (Esc)"), "", self.reject)
        self.result_label = QLabel()
        self.result_label.setWordWrap(True)
        self.result_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        file_row = QHBoxLayout()
        file_row.addWidget(self.path_edit, 1)
        file_row.addWidget(choose)
        form = QFormLayout()
        form.addRow(_("Certificate file (.p12)"), file_row)
        form.addRow(_("Password"), self.password_edit)
        buttons = QHBoxLayout()
        buttons.addWidget(cancel)
        buttons.addStretch()
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.result_label)
        layout.addLayout(buttons)
        self.resize(720, 260)
        self.tasks.run(lambda: current_certificate(load), self._show_current, lambda _e: None)

    def _button(self, text: str, keys: str, slot: Callable[[], None]) -> QPushButton:
        button = QPushButton(text)
        button.setMinimumHeight(44)
        button.setAutoDefault(False)
        button.clicked.connect(slot)
        if keys:
            QShortcut(QKeySequence(keys), self).activated.connect(slot)
        return button

    def _show_current(self, path: str) -> None:
        if path and not self.path_edit.text():
            self.path_edit.setText(path)

    def choose_file(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self, _("Choose the certificate"), "", _("Certificates (*.p12 *.pfx)")
        )
        if path:
            self.path_edit.setText(path)
            self.password_edit.setFocus()

    def on_save(self) -> None:
        path, password = self.path_edit.text().strip(), self.password_edit.text()
        if not path or not self.save_button.isEnabled():
            self._say(_("Choose the certificate file first."), error=True)
            return
        self.save_button.setEnabled(False)
        self._say(_("Checking the certificate…"), error=False)
        load = self.load
        self.tasks.run(lambda: install_certificate(load, path, password), self.on_saved, self._fail)

    def on_saved(self, info: CertificateInfo) -> None:
        self.save_button.setEnabled(True)
        self.password_edit.clear()
        text = certificate_text(info, self.clock())
        self._say(text + " " + _("Saved: the password is in the system keyring."), error=False)
        if info.expires_soon(self.clock()):
            self.result_label.setStyleSheet("color: #b3261e; font-weight: bold;")
        self.saved.emit(info)

    def _fail(self, error: BaseException) -> None:
        self.save_button.setEnabled(True)
        if not isinstance(error, UserFacingError):
            show_error(self, error)  # a bug: the usual triage (log, bug reporter)
            return
        self._say(" ".join(filter(None, (error.message, error.hint))), error=True)

    def _say(self, text: str, *, error: bool) -> None:
        self.result_label.setStyleSheet("color: #b3261e;" if error else "")
        self.result_label.setText(text)
