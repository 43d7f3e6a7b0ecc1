"""First-run setup: the demo shop, or the owner's PrestaShop, in a few checked steps.

Pages: welcome (demo or my shop) → connection (checked live) → shop and language → this till's
name and series (registered in the shop) → printer → finish (password to the keyring, choices
to the settings). Every I/O runs through the task manager; the wizard emits
``finished_with(ShopTarget)`` once the settings are saved.

For the window::

    if needs_setup(settings):
        target = run_setup_wizard(None)   # None: the user cancelled
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from app import paths
from app.config import settings as cfg
from app.connection import ShopTarget
from app.i18n import _
from app.setup.finish import SetupChoices, SetupSaved, finish_setup
from app.setup.form import ConnectionForm, Credentials
from app.setup.profiles import needs_setup
from app.setup.till_series import new_till_uuid
from ui.setup_connection import ConnectionPage, touch
from ui.setup_pages import PrinterPage, ShopPage, TillPage
from ui.tasks import TaskManager

__all__ = ["SetupWizard", "needs_setup", "run_setup_wizard"]

WELCOME, CONNECTION, SHOP, TILL, PRINTER, FINISH = range(6)


class WelcomePage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle(_("Welcome to Mostrador"))
        self.setSubTitle(_("Try it first with a demo shop, or connect it to your PrestaShop."))
        self.demo = False
        self.chosen = False
        self.demo_button = self._choice(_("Try with the demo shop (F2)"), "F2", True)
        self.shop_button = self._choice(_("Connect to my PrestaShop (F3)"), "F3", False)
        layout = QVBoxLayout(self)
        layout.addWidget(self.demo_button)
        layout.addWidget(self.shop_button)
        layout.addStretch(1)

    def _choice(self, text: str, key: str, demo: bool) -> QPushButton:
        button = touch(QPushButton(text))
        button.setMinimumHeight(72)
        button.clicked.connect(lambda: self.choose(demo))
        QShortcut(QKeySequence(key), self, lambda: self.choose(demo))
        return button

    def choose(self, demo: bool) -> None:
        if not self.isVisible():
            return
        self.demo, self.chosen = demo, True
        self.completeChanged.emit()
        self.wizard().next()

    def isComplete(self) -> bool:  # noqa: N802 - Qt's name
        return self.chosen

    def nextId(self) -> int:  # noqa: N802 - Qt's name
        return FINISH if self.demo else CONNECTION


class FinishPage(QWizardPage):
    """Saves on entering; when the keyring is missing, the user chooses to type the password."""

    def __init__(self, tasks: TaskManager) -> None:
        super().__init__()
        self.tasks = tasks
        self.setTitle(_("Ready"))
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.ask_each_start = touch(QCheckBox(_("Type the password each time Mostrador starts")))
        self.ask_each_start.setVisible(False)
        self.ask_each_start.toggled.connect(self._on_ask_toggled)
        self.result: SetupSaved | None = None
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addWidget(self.ask_each_start)
        layout.addStretch(1)

    def wizard_(self) -> SetupWizard:
        return self.wizard()  # type: ignore[return-value]

    def initializePage(self) -> None:  # noqa: N802 - Qt's name
        self.ask_each_start.setVisible(False)
        self.save(ask_password=False)

    def save(self, ask_password: bool) -> None:
        self.result = None
        self.completeChanged.emit()
        self.status.setText(_("Saving…"))
        wizard = self.wizard_()
        choices = wizard.choices(ask_password)
        creds, path = wizard.credentials(), wizard.settings_path
        self.tasks.run(lambda: finish_setup(path, choices, creds), self._on_saved, self._on_failed)

    def _on_saved(self, result: SetupSaved) -> None:
        if result.saved:
            self.result = result
            kept = result.secrets.message if result.secrets else ""
            self.status.setText(" ".join([_("Mostrador is set up."), kept]).strip())
        else:
            assert result.secrets is not None
            self.status.setText(f"{result.secrets.message}\n\n{result.secrets.hint}")
            self.ask_each_start.setVisible(True)
        self.completeChanged.emit()

    def _on_failed(self, error: BaseException) -> None:
        self.status.setText(getattr(error, "message", str(error)))

    def _on_ask_toggled(self, checked: bool) -> None:
        if checked:
            self.save(ask_password=True)

    def isComplete(self) -> bool:  # noqa: N802 - Qt's name
        return self.result is not None


class SetupWizard(QWizard):
    finished_with = Signal(object)  # the ShopTarget saved in the settings

    def __init__(
        self,
        parent: QWidget | None = None,
        tasks: TaskManager | None = None,
        settings_path: Path | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Mostrador setup"))
        self.tasks = tasks or TaskManager(self)
        self._own_tasks = tasks is None
        self.settings_path = settings_path or paths.config_dir() / cfg.FILE_NAME
        self.till_uuid = new_till_uuid()
        self.welcome = WelcomePage()
        self.connection = ConnectionPage(self.tasks)
        self.shop_page = ShopPage(self.tasks)
        self.till_page = TillPage(self.tasks, "T1", "")
        self.printer_page = PrinterPage()
        self.finish_page = FinishPage(self.tasks)
        pages = (self.welcome, self.connection, self.shop_page, self.till_page)
        for page_id, page in enumerate((*pages, self.printer_page, self.finish_page)):
            self.setPage(page_id, page)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)
        self._label_buttons()
        self.setStyleSheet("QPushButton { min-height: 44px; padding: 0 12px; }")
        self.resize(1000, 700)

    def _label_buttons(self) -> None:
        labels = {
            QWizard.WizardButton.NextButton: _("Next (Ctrl+Enter)"),
            QWizard.WizardButton.FinishButton: _("Finish (Ctrl+Enter)"),
            QWizard.WizardButton.BackButton: _("Back (Alt+Left)"),
            QWizard.WizardButton.CancelButton: _("Cancel (Esc)"),
        }
        for button, text in labels.items():
            self.setButtonText(button, text)
        QShortcut(QKeySequence("Ctrl+Return"), self, self._forward)
        QShortcut(QKeySequence("Alt+Left"), self, self.back)

    def _forward(self) -> None:
        page = self.currentPage()
        if page is None or not page.isComplete():
            return
        if self.currentId() == FINISH:
            self.accept()
        else:
            self.next()

    def connection_form(self) -> ConnectionForm:
        return self.connection.checked_form()

    def credentials(self) -> Credentials:
        return self.connection.credentials()

    def choices(self, ask_password: bool) -> SetupChoices:
        if self.welcome.demo:
            return SetupChoices(form=None)
        claim = self.till_page.claim()
        return SetupChoices(
            form=self.connection_form(),
            id_shop=claim.id_shop,
            lang_iso=self.shop_page.lang_iso(),
            series=claim.series,
            label=claim.label,
            till_uuid=self.till_uuid,
            ask_password=ask_password,
        )

    def accept(self) -> None:
        result = self.finish_page.result
        if result is None or result.target is None:
            return
        super().accept()
        self.finished_with.emit(result.target)

    def done(self, code: int) -> None:
        super().done(code)
        if self._own_tasks:
            self.tasks.shutdown()


def run_setup_wizard(parent: QWidget | None) -> ShopTarget | None:
    """Show the wizard modally (before the main window exists); the target, or None."""
    wizard = SetupWizard(parent)
    chosen: list[ShopTarget] = []
    wizard.finished_with.connect(chosen.append)
    wizard.setWindowModality(Qt.WindowModality.ApplicationModal)
    wizard.exec()
    return chosen[0] if chosen else None
