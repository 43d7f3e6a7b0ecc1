"""The sync state in the status bar, always visible: online or not, sales waiting, last sync.

:class:`SyncStatusWidget` shows a :class:`~app.sync.worker.SyncStatus` (connect it to
:attr:`ui.qt_events.QtEventListener.status_changed`)::

    ● Online · All sales sent · Last sync 2 min ago
    ● Offline — sales are kept and will be sent on their own · 3 sales waiting · …
    ⚠ 1 sale refused by the shop: a manager must review it

Being offline is normal for a till: it is said calmly (amber, no popup) and the till keeps
selling. Refused sales are a warning for a manager. The relative time is refreshed every
:data:`REFRESH_MS`; the last error is in the tooltip.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from app.formatting import format_int
from app.i18n import _, ngettext
from app.sync.worker import SyncStatus

REFRESH_MS = 30_000
DOT_COLOURS = {True: "#1b7f3a", False: "#b26a00", None: "#7a7a7a"}  # green, amber, grey
WARNING_STYLE = "color: #7a3e00; background: #fff1db; padding: 1px 8px; border-radius: 3px;"
MINUTE = 60
HOUR = 60 * MINUTE
DAY = 24 * HOUR


def relative_time(then: datetime, now: datetime) -> str:
    """``then`` said from ``now``: "just now", "5 min ago", "3 h ago", "yesterday", a date."""
    seconds = (now - then).total_seconds()
    if seconds < MINUTE:
        return _("just now")
    if seconds < HOUR:
        minutes = int(seconds // MINUTE)
        return ngettext("{n} min ago", "{n} min ago", minutes).format(n=minutes)
    if seconds < DAY:
        hours = int(seconds // HOUR)
        return ngettext("{n} h ago", "{n} h ago", hours).format(n=hours)
    if seconds < 2 * DAY:
        return _("yesterday at {time}").format(time=then.strftime("%H:%M"))
    return _("on {date}").format(date=then.strftime("%d/%m/%Y %H:%M"))


def connection_text(status: SyncStatus) -> str:
    if status.online is None:
        return _("Connecting to the shop…") if status.running else _("Not syncing")
    if status.online:
        return _("Online")
    return _("Offline — sales are kept and will be sent on their own")


def pending_text(pending: int) -> str:
    if pending == 0:
        return _("All sales sent")
    return ngettext("{n} sale waiting to be sent", "{n} sales waiting to be sent", pending).format(
        n=format_int(pending)
    )


def last_sync_text(last_sync: datetime | None, now: datetime) -> str:
    if last_sync is None:
        return _("Not synced yet")
    return _("Last sync {when}").format(when=relative_time(last_sync, now))


def refused_text(refused: int) -> str:
    return ngettext(
        "{n} sale refused by the shop: a manager must review it",
        "{n} sales refused by the shop: a manager must review them",
        refused,
    ).format(n=format_int(refused))


class SyncStatusWidget(QWidget):
    """The status-bar widget; :meth:`show_status` is its slot."""

    def __init__(
        self, parent: QWidget | None = None, clock: Callable[[], datetime] = datetime.now
    ) -> None:
        super().__init__(parent)
        self._clock = clock
        self.status = SyncStatus()
        self.dot = QLabel()
        self.connection = QLabel()
        self.pending = QLabel()
        self.last_sync = QLabel()
        self.refused = QLabel()
        self.refused.setStyleSheet(WARNING_STYLE)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 0, 4, 0)
        layout.setSpacing(6)
        layout.addWidget(self.dot)
        layout.addWidget(self.connection)
        for label in (self.pending, self.last_sync):
            layout.addWidget(_separator())
            layout.addWidget(label)
        layout.addWidget(self.refused)
        self._timer = QTimer(self)
        self._timer.setInterval(REFRESH_MS)
        self._timer.timeout.connect(self.refresh_time)
        self._timer.start()
        self.show_status(self.status)

    def show_status(self, status: SyncStatus) -> None:
        self.status = status
        colour = DOT_COLOURS[status.online]
        self.dot.setText(f"<span style='color:{colour}; font-size: 16px'>●</span>")
        self.connection.setText(connection_text(status))
        self.pending.setText(pending_text(status.pending))
        self.refused.setText(refused_text(status.refused))
        self.refused.setVisible(status.refused > 0)
        self.setToolTip(status.last_error)
        self.refresh_time()

    def refresh_time(self) -> None:
        self.last_sync.setText(last_sync_text(self.status.last_sync, self._clock()))

    def text(self) -> str:
        """Everything the widget says, as plain text (tests, the bug reporter)."""
        parts = [self.connection.text(), self.pending.text(), self.last_sync.text()]
        if self.refused.isVisibleTo(self):
            parts.append(self.refused.text())
        return " · ".join(parts)


def _separator() -> QLabel:
    label = QLabel("·")
    label.setStyleSheet("color: #999;")
    return label
