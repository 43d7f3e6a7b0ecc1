"""Error triage at the GUI boundary (STYLE rule 10)."""

from __future__ import annotations

import logging

from PySide6.QtWidgets import QMessageBox, QWidget

from app.errors import Cancelled, UserFacingError
from app.i18n import _

logger = logging.getLogger(__name__)


def show_error(parent: QWidget | None, error: BaseException) -> None:
    if isinstance(error, Cancelled):
        return
    if isinstance(error, UserFacingError):
        box = QMessageBox(QMessageBox.Icon.Warning, _("Mostrador"), error.message, parent=parent)
        if error.hint:
            box.setInformativeText(error.hint)
        box.open()
        return
    logger.error("unexpected error", exc_info=(type(error), error, error.__traceback__))
    box = QMessageBox(
        QMessageBox.Icon.Critical,
        _("Mostrador"),
        _("Something went wrong. Nothing you recorded has been lost."),
        parent=parent,
    )
    box.setDetailedText(f"{type(error).__name__}: {error}")
    box.open()
