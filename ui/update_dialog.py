"""The update prompt ("Install now / Later / Skip this version") and "Restore previous version".

Public API (for ui/main_window.py to wire):

* ``UpdateDialog(offer, tasks, busy, parent)``: ``offer`` from ``app.update_hooks
  .check_for_update()`` (run through ``tasks.run``); ``busy()`` returns True while a ticket is
  open. "Install now" downloads and stages the update on a worker (progress bar with sizes,
  cancellable, resumed next time), then waits until no ticket is open and emits
  ``restart_requested(version)``: the main window then closes as usual (the sync worker stops
  cleanly; queued sales stay in the till store) and exits with ``update_hooks.EXIT_RESTART``,
  and the launcher starts the new version after a data snapshot. ``show_offer()`` opens it
  beside the till without blocking it or taking the focus, so the cashier finishes the sale.
* ``ask_restore_previous(parent, tasks, busy, on_restart)``: the Help menu's "Restore previous
  version": confirms, asks the launcher to go back, then calls ``on_restart()`` (quit with
  ``EXIT_RESTART``) once no ticket is open.
* ``UpdateSettingsDialog(tasks, parent)``: a manager's "Updates…" entry: whether updates are
  configured in this build and installation, and the release address (setting ``update.url``;
  empty goes back to the installer's or the build's).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from PySide6.QtCore import QPoint, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app import update_hooks
from app.errors import UserFacingError
from app.i18n import _
from ui.tasks import TaskManager

logger = logging.getLogger(__name__)

TOUCH = 44
BUSY_POLL_MS = 1000
RESTART_GRACE_S = 6.0  # after the ticket it waited for: the change stays on screen a moment
PROGRESS_POLL_MS = 100
Installer = Callable[..., str]
OFFER_WIDTH, OFFER_HEIGHT = 460, 320  # fits beside the ticket at 1024×768
OFFER_MARGIN = 16
OFFER_BOTTOM = 120  # above the sale screen's line buttons and the status bar


def megabytes(size: int) -> str:
    return _("{size} MB").format(size=f"{size / 1024**2:.1f}".replace(".", ","))


class _ProgressBox:
    """The worker's progress, read by a GUI timer: the worker touches no Qt object (one it
    held the last reference to would be deleted on the wrong thread)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._value = (0, 0)

    def update(self, done: int, total: int) -> None:
        with self._lock:
            self._value = (done, total)

    def read(self) -> tuple[int, int]:
        with self._lock:
            return self._value


class UpdateDialog(QDialog):
    restart_requested = Signal(str)  # the staged version: quit with EXIT_RESTART

    def __init__(
        self,
        offer: update_hooks.UpdateOffer,
        tasks: TaskManager,
        busy: Callable[[], bool],
        parent: QWidget | None = None,
        installer: Installer = update_hooks.install_update,
    ) -> None:
        super().__init__(parent)
        self.offer = offer
        self._tasks = tasks
        self._busy = busy
        self._installer = installer
        self._cancel = threading.Event()
        self._staged: str | None = None
        self._grace_until = 0.0  # monotonic time before which no restart (see RESTART_GRACE_S)
        self._progress = _ProgressBox()
        self._progress_timer = QTimer(self)
        self._progress_timer.setInterval(PROGRESS_POLL_MS)
        self._progress_timer.timeout.connect(self._show_progress)
        self._busy_timer = QTimer(self)
        self._busy_timer.setInterval(BUSY_POLL_MS)
        self._busy_timer.timeout.connect(self._restart_when_free)
        self.setWindowTitle(_("Update Mostrador"))
        self._build()

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        title = _("Mostrador {version} is available").format(version=self.offer.version)
        if self.offer.rollback:
            title = _("Mostrador asks to go back to version {version}").format(
                version=self.offer.version
            )
        self.title_label = QLabel(f"<h2>{title}</h2>")
        layout.addWidget(self.title_label)
        facts = _("You have version {current}. Download: {size}.").format(
            current=self.offer.current, size=megabytes(self.offer.size_bytes)
        )
        layout.addWidget(QLabel(facts))
        self.critical_label = QLabel(
            _("Important update: it fixes a serious problem. Please install it today.")
        )
        self.critical_label.setStyleSheet("color: #b00020; font-weight: bold;")
        self.critical_label.setVisible(self.offer.critical)
        layout.addWidget(self.critical_label)
        self.notes = QPlainTextEdit(self.offer.notes or _("No release notes."))
        self.notes.setReadOnly(True)
        layout.addWidget(self.notes, 1)
        self.progress_bar = QProgressBar()
        self.progress_bar.setVisible(False)
        self.progress_bar.setMinimumHeight(TOUCH)
        layout.addWidget(self.progress_bar)
        self.status_label = QLabel("")
        self.status_label.setWordWrap(True)
        layout.addWidget(self.status_label)
        layout.addLayout(self._buttons())
        self.resize(560, 420)

    def _buttons(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.install_button = self._button(_("Install now (Enter)"), "Return", self.install)
        self.later_button = self._button(_("Later (Esc)"), "Escape", self.later)
        self.skip_button = self._button(_("Skip this version (F8)"), "F8", self.skip)
        self.skip_button.setVisible(not self.offer.critical and not self.offer.rollback)
        self.install_button.setDefault(True)
        for button in (self.skip_button, self.later_button, self.install_button):
            row.addWidget(button)
        return row

    def _button(self, text: str, key: str, slot: Callable[[], None]) -> QPushButton:
        button = QPushButton(text)
        button.setMinimumHeight(TOUCH)
        button.setShortcut(key)
        button.clicked.connect(slot)
        return button

    def show_offer(self) -> None:
        """Open in the lower left corner of the till, not modal and without taking the focus:
        the cashier finishes the sale (the scanner's Enter stays in the scan field); a click on
        the offer makes it active and its keys work."""
        active = QApplication.activeWindow()
        focus = QApplication.focusWidget()
        self.setWindowModality(Qt.WindowModality.NonModal)
        self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
        self.resize(OFFER_WIDTH, OFFER_HEIGHT)
        parent = self.parentWidget()
        if parent is not None:
            area = parent.geometry()
            corner = QPoint(area.left() + OFFER_MARGIN, area.bottom() - OFFER_BOTTOM)
            self.move(corner.x(), max(area.top(), corner.y() - OFFER_HEIGHT))
        self.show()
        if active is not None and active is not self:  # a platform that ignored the attribute
            active.activateWindow()
            if focus is not None:
                focus.setFocus(Qt.FocusReason.ActiveWindowFocusReason)

    # --- actions -------------------------------------------------------------------------

    def install(self) -> None:
        if not self.install_button.isEnabled():
            return
        self.install_button.setEnabled(False)
        self.skip_button.setEnabled(False)
        self.later_button.setText(_("Cancel download (Esc)"))
        self.progress_bar.setVisible(True)
        self.progress_bar.setRange(0, max(1, self.offer.size_bytes // 1024))
        self.status_label.setText(_("Downloading…"))
        self._cancel.clear()
        offer, progress, cancelled = self.offer, self._progress.update, self._cancel.is_set
        self._progress_timer.start()
        self._tasks.run(
            lambda: self._installer(offer, progress, cancelled), self._on_staged, self._on_failed
        )

    def later(self) -> None:
        self.reject()

    def reject(self) -> None:
        """Later, Esc or the window closed: a download under way stops (what came is kept for
        the next try); a staged update starts at the next launch anyway."""
        if self.progress_bar.isVisible() and self._staged is None:
            self._cancel.set()
        self._busy_timer.stop()
        self._progress_timer.stop()
        super().reject()

    def skip(self) -> None:
        version = self.offer.version
        self._tasks.run(lambda: update_hooks.skip_version(version))
        self.reject()

    # --- results -------------------------------------------------------------------------

    def _show_progress(self) -> None:
        done, total = self._progress.read()
        if total == 0:
            return
        self.progress_bar.setValue(done // 1024)
        self.progress_bar.setFormat(
            _("{done} of {total}").format(done=megabytes(done), total=megabytes(total))
        )

    def _on_staged(self, version: str) -> None:
        self._staged = version
        self._progress_timer.stop()
        self._show_progress()
        self.progress_bar.setValue(self.progress_bar.maximum())
        self.later_button.setText(_("Later (Esc)"))
        self._restart_when_free()
        if self._staged is not None and self.isVisible():
            self._busy_timer.start()

    def _restart_when_free(self) -> None:
        if self._staged is None:
            return
        if self._busy():
            self.status_label.setText(
                _("Ready. Mostrador will restart when the open ticket is finished.")
            )
            self._grace_until = time.monotonic() + RESTART_GRACE_S
            return
        if time.monotonic() < self._grace_until:  # the cashier still reads the change
            self.status_label.setText(_("Restarting Mostrador in a few seconds…"))
            return
        self._busy_timer.stop()
        self.status_label.setText(_("Restarting Mostrador…"))
        self.restart_requested.emit(self._staged)
        self.accept()

    def _on_failed(self, error: BaseException) -> None:
        logger.warning("Update failed: %s", error)
        self._progress_timer.stop()
        self.progress_bar.setVisible(False)
        self.later_button.setText(_("Later (Esc)"))
        if self._cancel.is_set():
            return
        self.install_button.setEnabled(True)
        self.skip_button.setEnabled(True)
        self.status_label.setText(
            _("The update could not be installed; this version keeps working. ({reason})").format(
                reason=error
            )
        )


def ask_restore_previous(
    parent: QWidget,
    tasks: TaskManager,
    busy: Callable[[], bool],
    on_restart: Callable[[], None],
) -> None:
    """Help ▸ Restore previous version."""
    previous = update_hooks.previous_version()
    if previous is None:
        QMessageBox.information(
            parent,
            _("Restore previous version"),
            _("There is no previous version to go back to."),
        )
        return
    if busy():
        QMessageBox.information(
            parent,
            _("Restore previous version"),
            _("Finish or park the open ticket first."),
        )
        return
    answer = QMessageBox.question(
        parent,
        _("Restore previous version"),
        _(
            "Go back to version {version}? Mostrador restarts. Its settings return to what "
            "they were before the update; every sale is kept."
        ).format(version=previous),
    )
    if answer == QMessageBox.StandardButton.Yes:
        tasks.run(update_hooks.request_restore_previous, lambda _result: on_restart())


class UpdateSettingsDialog(QDialog):
    """Where this till takes its updates from, and whether updates work in this build."""

    saved = Signal(object)  # the new update_hooks.UpdateStatus

    def __init__(self, tasks: TaskManager, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._tasks = tasks
        self.setWindowTitle(_("Updates"))
        layout = QVBoxLayout(self)
        self.status_label = QLabel(_("Reading the update settings…"))
        self.status_label.setWordWrap(True)
        layout.addWidget(self.status_label)
        layout.addWidget(QLabel(_("Release address (empty: the installer's or the build's):")))
        self.url_edit = QLineEdit()
        self.url_edit.setMinimumHeight(TOUCH)
        self.url_edit.setEnabled(False)
        layout.addWidget(self.url_edit)
        self.error_label = QLabel("")
        self.error_label.setStyleSheet("color: #b00020;")
        self.error_label.setWordWrap(True)
        layout.addWidget(self.error_label)
        row = QHBoxLayout()
        self.cancel_button = _touch_button(_("Cancel (Esc)"), "Escape", self.reject)
        self.save_button = _touch_button(_("Save (Ctrl+S)"), "Ctrl+S", self.save)
        self.save_button.setEnabled(False)
        row.addWidget(self.cancel_button)
        row.addWidget(self.save_button)
        layout.addLayout(row)
        self.resize(560, 220)
        tasks.run(update_hooks.update_status, self._show_status)

    def _show_status(self, status: update_hooks.UpdateStatus) -> None:
        self.status_label.setText(status.describe())
        self.url_edit.setText(status.url if status.origin == "setting" else "")
        self.url_edit.setPlaceholderText(status.url if status.origin != "setting" else "")
        self.url_edit.setEnabled(True)
        self.save_button.setEnabled(True)
        self.url_edit.setFocus()

    def save(self) -> None:
        if not self.save_button.isEnabled():
            return
        self.save_button.setEnabled(False)
        url = self.url_edit.text()
        self._tasks.run(lambda: update_hooks.set_update_url(url), self._on_saved, self._on_failed)

    def _on_saved(self, status: update_hooks.UpdateStatus) -> None:
        self.saved.emit(status)
        self.accept()

    def _on_failed(self, error: BaseException) -> None:
        self.save_button.setEnabled(True)
        if not isinstance(error, UserFacingError):
            logger.warning("update.url not saved: %s", error)
        self.error_label.setText(str(error))


def _touch_button(text: str, key: str, slot: Callable[[], None]) -> QPushButton:
    button = QPushButton(text)
    button.setMinimumHeight(TOUCH)
    button.setShortcut(key)
    button.clicked.connect(slot)
    return button
