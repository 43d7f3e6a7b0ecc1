"""The wizard's pages after the connection: shop and language, the till's series, the printer."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWizardPage,
)

from app.i18n import _
from app.setup.shop_choice import ShopChoices, list_shops_and_languages
from app.setup.till_series import TillClaim, TillRegistration, register_till_series
from ui.setup_connection import line, touch
from ui.tasks import TaskManager

if TYPE_CHECKING:
    from ui.setup_wizard import SetupWizard


def _status(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    return label


class ShopPage(QWizardPage):
    """The shop (multistore) and the language of product names on the till."""

    def __init__(self, tasks: TaskManager) -> None:
        super().__init__()
        self.tasks = tasks
        self.setTitle(_("Shop and language"))
        self.shop = touch(QComboBox())
        self.language = touch(QComboBox())
        self.status = _status()
        self.choices: ShopChoices | None = None
        form = QFormLayout(self)
        form.addRow(_("Shop"), self.shop)
        form.addRow(_("Language"), self.language)
        form.addRow(self.status)

    def wizard_(self) -> SetupWizard:
        return self.wizard()  # type: ignore[return-value]

    def initializePage(self) -> None:  # noqa: N802 - Qt's name
        self.choices = None
        self.status.setText(_("Reading the shops…"))
        form, creds = self.wizard_().connection_form(), self.wizard_().credentials()
        self.tasks.run(
            lambda: list_shops_and_languages(form, creds), self._on_loaded, self._on_failed
        )

    def _on_loaded(self, choices: ShopChoices) -> None:
        self.choices = choices
        self.shop.clear()
        for shop in choices.shops:
            self.shop.addItem(f"{shop.id_shop} · {shop.name}", shop.id_shop)
        self.language.clear()
        for language in choices.languages:
            self.language.addItem(f"{language.name} ({language.iso})", language.iso)
        spanish = self.language.findData("es")
        self.language.setCurrentIndex(max(spanish, 0))
        self.status.setText("")
        self.completeChanged.emit()

    def _on_failed(self, error: BaseException) -> None:
        self.status.setText(getattr(error, "message", str(error)))

    def id_shop(self) -> int:
        return int(self.shop.currentData() or 1)

    def lang_iso(self) -> str:
        return str(self.language.currentData() or "es")

    def isComplete(self) -> bool:  # noqa: N802 - Qt's name
        return self.choices is not None and bool(self.choices.shops)


class TillPage(QWizardPage):
    """The till's name and ticket series, registered in the shop so no other till takes it."""

    def __init__(self, tasks: TaskManager, series: str, label: str) -> None:
        super().__init__()
        self.tasks = tasks
        self.setTitle(_("This till"))
        self.setSubTitle(_("Each till of the shop numbers its tickets with its own series."))
        self.label = line(_("Counter 1"))
        self.label.setText(label)
        self.series = line("T1")
        self.series.setText(series)
        self.register_button = touch(QPushButton(_("Register the series (F5)")))
        self.register_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.register_button.clicked.connect(self.run_register)
        QShortcut(QKeySequence("F5"), self, self.run_register)
        self.status = _status()
        self.registered: TillRegistration | None = None
        for edit in (self.label, self.series):
            edit.textChanged.connect(self._on_edited)
        form = QFormLayout(self)
        form.addRow(_("Till name"), self.label)
        form.addRow(_("Ticket series"), self.series)
        form.addRow(self.register_button)
        form.addRow(self.status)

    def wizard_(self) -> SetupWizard:
        return self.wizard()  # type: ignore[return-value]

    def claim(self) -> TillClaim:
        wizard = self.wizard_()
        return TillClaim(
            wizard.shop_page.id_shop(),
            self.series.text().strip().upper(),
            self.label.text().strip(),
            wizard.till_uuid,
        )

    def run_register(self) -> None:
        if not self.register_button.isEnabled() or not self.isVisible():
            return
        wizard, claim = self.wizard_(), self.claim()
        form, creds = wizard.connection_form(), wizard.credentials()
        self.register_button.setEnabled(False)
        self.status.setText(_("Registering…"))
        self.tasks.run(
            lambda: register_till_series(form, creds, claim), self._on_registered, self._on_failed
        )

    def _on_registered(self, result: TillRegistration) -> None:
        self.register_button.setEnabled(True)
        self.registered = result if result.ok else None
        text = f"✔ {result.message}" if result.ok else f"✘ {result.message}\n→ {result.hint}"
        self.status.setText(text)
        self.completeChanged.emit()

    def _on_failed(self, error: BaseException) -> None:
        self.register_button.setEnabled(True)
        message = getattr(error, "message", str(error))
        hint = getattr(error, "hint", "")
        self.status.setText(f"✘ {message}" + (f"\n→ {hint}" if hint else ""))

    def _on_edited(self) -> None:
        self.registered = None
        self.completeChanged.emit()

    def isComplete(self) -> bool:  # noqa: N802 - Qt's name
        done = self.registered
        return done is not None and done.series == self.series.text().strip().upper()


class PrinterPage(QWizardPage):
    """The ticket printer (optional: a till sells without one)."""

    def __init__(self) -> None:
        super().__init__()
        self.setTitle(_("Ticket printer"))
        self.setSubTitle(_("Optional: the till sells without a printer; set it up any time."))
        self.open_button = touch(QPushButton(_("Printer settings… (F7)")))
        self.open_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.open_button.clicked.connect(self.open_printer)
        QShortcut(QKeySequence("F7"), self, self.open_printer)
        self.status = _status(_("No printer chosen yet."))
        layout = QVBoxLayout(self)
        layout.addWidget(self.open_button)
        layout.addWidget(self.status)
        layout.addStretch(1)

    def open_printer(self) -> None:
        if not self.isVisible():
            return
        from ui.printing.printer_settings import PrinterSettingsDialog

        wizard: SetupWizard = self.wizard()  # type: ignore[assignment]
        dialog = PrinterSettingsDialog(self, wizard.tasks, wizard.settings_path)
        dialog.saved.connect(lambda _config: self.status.setText(_("Printer saved.")))
        dialog.open()
