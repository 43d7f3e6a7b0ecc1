"""Error triage at the GUI boundary (STYLE rule 10).

A :class:`~app.errors.UserFacingError` is shown as is, :class:`~app.errors.Cancelled` is
silent, anything else is logged and shown with a "Report this problem…" button that opens the
report dialog prefilled with the error (once per error and session).
"""

from __future__ import annotations

import logging

from PySide6.QtWidgets import QAbstractButton, QMessageBox, QWidget

from app.bugreport.crash import crash_info
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
    show_unexpected(parent, error)


def show_unexpected(parent: QWidget | None, error: BaseException) -> QMessageBox:
    """The message for an error nobody expected, offering to report it."""
    from ui import crash_handler

    info = crash_info(type(error), error, error.__traceback__, "task")
    box = QMessageBox(
        QMessageBox.Icon.Critical,
        _("Mostrador"),
        _("Something went wrong. Nothing you recorded has been lost."),
        parent=parent,
    )
    box.setDetailedText(f"{type(error).__name__}: {error}")
    guard = crash_handler.reporter().guard
    report_button: QAbstractButton | None = None
    if guard.seen(info.signature):
        box.setInformativeText(_("This problem has already been reported."))
    else:
        report_button = box.addButton(_("Report this problem…"), QMessageBox.ButtonRole.ActionRole)
    box.addButton(QMessageBox.StandardButton.Close)

    def clicked(button: QAbstractButton) -> None:
        if button is report_button and guard.first_time(info.signature):
            crash_handler.open_report_dialog(parent, crash=info)

    box.buttonClicked.connect(clicked)
    box.open()
    return box
