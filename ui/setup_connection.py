"""The wizard's connection page: server, database, user, password, TLS and SSH tunnel.

"Check (F5)" runs the doctor's checks on a worker (``app.setup.checks.check_server``) and
shows them as a list that ticks green or says what failed and what to do. The page is complete
once the check of the values now in the fields passed.
"""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from app.doctor import Finding, Severity
from app.i18n import _
from app.setup.checks import ServerCheck, check_server
from app.setup.form import ConnectionForm, Credentials, TlsOptions
from app.tunnel import TunnelOptions
from ui.tasks import TaskManager

TOUCH = 44
MARKS = {Severity.OK: "✔", Severity.WARNING: "⚠", Severity.ERROR: "✘"}
COLOURS = {Severity.OK: "#1b7f2a", Severity.WARNING: "#9a6700", Severity.ERROR: "#b3261e"}


W = TypeVar("W", bound=QWidget)


def touch(widget: W) -> W:
    widget.setMinimumHeight(TOUCH)
    return widget


def line(placeholder: str = "", password: bool = False) -> QLineEdit:
    edit = QLineEdit()
    edit.setPlaceholderText(placeholder)
    if password:
        edit.setEchoMode(QLineEdit.EchoMode.Password)
    touch(edit)
    return edit


def port_box(value: int) -> QSpinBox:
    box = QSpinBox()
    box.setRange(1, 65535)
    box.setValue(value)
    touch(box)
    return box


def finding_item(finding: Finding) -> QListWidgetItem:
    text = f"{MARKS[finding.severity]}  {finding.message}"
    if finding.hint:
        text += f"\n     → {finding.hint}"
    item = QListWidgetItem(text)
    item.setForeground(QBrush(QColor(COLOURS[finding.severity])))
    item.setData(Qt.ItemDataRole.UserRole, finding.severity.value)
    return item


class ConnectionPage(QWizardPage):
    def __init__(self, tasks: TaskManager) -> None:
        super().__init__()
        self.tasks = tasks
        self.setTitle(_("Connect to my PrestaShop"))
        self.setSubTitle(_("The data your hosting's control panel shows for the shop database."))
        self.check: ServerCheck | None = None
        self._checked: tuple[ConnectionForm, Credentials] | None = None
        self._build_fields()
        self._lay_out()
        for edit in self._edits():
            signal = getattr(edit, "textChanged", None) or getattr(edit, "toggled", None)
            signal.connect(self._on_edited)  # type: ignore[union-attr]
        for box in (self.port, self.ssh_port):
            box.valueChanged.connect(self._on_edited)
        self.prefix.currentTextChanged.connect(self._on_edited)

    def _build_fields(self) -> None:
        self.host = line("shop.example.com")
        self.port = port_box(3306)
        self.database = line("prestashop")
        self.user = line(_("database user"))
        self.password = line(password=True)
        self.prefix = QComboBox()
        self.prefix.setEditable(True)
        self.prefix.setEditText("")
        touch(self.prefix)
        self.tls_box = QGroupBox(_("Encrypt the connection (TLS)"))
        self.tls_box.setCheckable(True)
        self.tls_box.setChecked(False)
        self.ca_file = line(_("CA file (optional; empty: the system's)"))
        self.ca_browse = touch(QPushButton(_("Browse…")))
        self.ca_browse.clicked.connect(self._on_browse_ca)
        self.tls_verify = QCheckBox(_("Check the server's certificate"))
        self.tls_verify.setChecked(True)
        touch(self.tls_verify)
        self.ssh_box = QGroupBox(_("Through an SSH tunnel (when MySQL is closed to the internet)"))
        self.ssh_box.setCheckable(True)
        self.ssh_box.setChecked(False)
        self.ssh_host = line("ssh.example.com")
        self.ssh_port = port_box(22)
        self.ssh_user = line(_("SSH user"))
        self.ssh_key = line(_("private key file (empty: password)"))
        self.ssh_secret = line(_("SSH password or key passphrase"), password=True)
        self.check_button = touch(QPushButton(_("Check connection (F5)")))
        self.check_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.check_button.clicked.connect(self.run_check)
        QShortcut(QKeySequence("F5"), self, self.run_check)
        self.results = QListWidget()
        self.results.setWordWrap(True)

    def _lay_out(self) -> None:
        form = QFormLayout()
        form.addRow(_("Server"), self.host)
        form.addRow(_("Port"), self.port)
        form.addRow(_("Database"), self.database)
        form.addRow(_("User"), self.user)
        form.addRow(_("Password"), self.password)
        form.addRow(_("Table prefix"), self.prefix)
        tls = QFormLayout(self.tls_box)
        ca_row = QHBoxLayout()
        ca_row.addWidget(self.ca_file)
        ca_row.addWidget(self.ca_browse)
        tls.addRow(_("CA file"), ca_row)
        tls.addRow(self.tls_verify)
        ssh = QFormLayout(self.ssh_box)
        ssh.addRow(_("SSH server"), self.ssh_host)
        ssh.addRow(_("SSH port"), self.ssh_port)
        ssh.addRow(_("SSH user"), self.ssh_user)
        ssh.addRow(_("Key file"), self.ssh_key)
        ssh.addRow(_("Password"), self.ssh_secret)
        fields = QWidget()
        left = QVBoxLayout(fields)
        left.setContentsMargins(0, 0, 6, 0)
        left.addLayout(form)
        left.addWidget(self.tls_box)
        left.addWidget(self.ssh_box)
        left.addStretch(1)
        scroll = QScrollArea()  # TLS and SSH open below the fields: it fits 1024 × 768
        scroll.setWidget(fields)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        right = QVBoxLayout()
        right.addWidget(self.check_button)
        right.addWidget(self.results, 1)
        layout = QHBoxLayout(self)
        layout.addWidget(scroll, 4)
        layout.addLayout(right, 3)

    def _edits(self) -> list[QWidget]:
        return [
            self.host,
            self.database,
            self.user,
            self.password,
            self.ca_file,
            self.tls_verify,
            self.tls_box,
            self.ssh_box,
            self.ssh_host,
            self.ssh_user,
            self.ssh_key,
            self.ssh_secret,
        ]

    # ------------------------------------------------------------------ values

    def form(self, host_key: str = "") -> ConnectionForm:
        tls = None
        if self.tls_box.isChecked():
            tls = TlsOptions(self.ca_file.text().strip(), self.tls_verify.isChecked())
        tunnel = None
        if self.ssh_box.isChecked():
            tunnel = TunnelOptions(
                host=self.ssh_host.text().strip(),
                user=self.ssh_user.text().strip(),
                port=self.ssh_port.value(),
                key_file=self.ssh_key.text().strip(),
                host_key=host_key,
            )
        return ConnectionForm(
            host=self.host.text().strip(),
            database=self.database.text().strip(),
            user=self.user.text().strip(),
            port=self.port.value(),
            prefix=self.prefix.currentText().strip(),
            tls=tls,
            tunnel=tunnel,
        )

    def credentials(self) -> Credentials:
        return Credentials(self.password.text(), self.ssh_secret.text())

    def checked_form(self) -> ConnectionForm:
        """The form as checked: prefix settled, the SSH server's key trusted."""
        assert self.check is not None
        form = self.form(self.check.host_key)
        prefix = form.prefix or self.check.prefix
        return ConnectionForm(**{**vars(form), "prefix": prefix})

    # ------------------------------------------------------------------ checking

    def run_check(self) -> None:
        if not self.check_button.isEnabled():
            return
        form, creds = self.form(), self.credentials()
        self.check_button.setEnabled(False)
        self.results.clear()
        self.results.addItem(_("Checking…"))
        self.tasks.run(
            lambda: check_server(form, creds),
            lambda check: self._on_checked(form, creds, check),
            self._on_check_failed,
        )

    def _on_checked(self, form: ConnectionForm, creds: Credentials, check: ServerCheck) -> None:
        self.check_button.setEnabled(True)
        self.check = check
        self._checked = (form, creds) if check.ok else None
        self.results.clear()
        for finding in check.findings:
            self.results.addItem(finding_item(finding))
        if len(check.prefixes) > 1 and not form.prefix:
            self.prefix.clear()
            self.prefix.addItems(list(check.prefixes))
            self.prefix.setCurrentText(check.prefix)
            self._checked = (self.form(), creds) if check.ok else None
        self.completeChanged.emit()

    def _on_check_failed(self, error: BaseException) -> None:
        self.check_button.setEnabled(True)
        self.results.clear()
        message = getattr(error, "message", str(error))
        self.results.addItem(finding_item(Finding(Severity.ERROR, message)))

    def _on_edited(self, *_args: object) -> None:
        if self._checked is not None:
            self._checked = None
            self.completeChanged.emit()

    def _on_browse_ca(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self, _("CA file"), "", _("Certificates (*.pem *.crt);;All files (*)")
        )
        if path:
            self.ca_file.setText(path)

    def isComplete(self) -> bool:  # noqa: N802 - Qt's name
        return self._checked is not None and self._checked == (self.form(), self.credentials())
