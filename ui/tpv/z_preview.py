"""A Z report drawn as the paper looks, in a scroll area, with "Print (F9)" and "Close (Esc)".

``ZPreview(tasks)`` is a QWidget (a page of :class:`~ui.tpv.cash_close.CashCloseScreen`, or a
screen of its own for a manager reviewing a closing):

* ``show_session(runtime, session_id, blind=...)`` draws that session's report on a worker
  (``app.till_ops.z_report_image``); ``blind`` leaves the expected cash out (a cashier's view).
* ``show_last_closed(runtime)`` shows the till's last closed session in full (a manager's view).
* :attr:`print_requested` carries an ``app.till_ops.ZPrintRequest`` (session and blind); the
  owner prints it on a worker with ``app.till_ops.print_z_report``.
* :attr:`done` — the cashier closed the preview.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QLabel, QScrollArea, QVBoxLayout, QWidget

from app.errors import UserFacingError
from app.i18n import _
from app.till_ops import ZPrintRequest, last_closed_session_id, z_report_image
from app.till_runtime import TillRuntime
from ui.errors import show_error
from ui.tasks import TaskManager
from ui.tpv.cash_screens import PRIMARY_STYLE, MessageLine, button_row, touch_button


class ZPreview(QWidget):
    print_requested = Signal(object)  # ZPrintRequest
    done = Signal()

    def __init__(self, tasks: TaskManager) -> None:
        super().__init__()
        self.tasks = tasks
        self.request: ZPrintRequest | None = None
        self._seq = 0
        self.image = QLabel()
        self.image.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.image.setStyleSheet("background: #cdcdcd; padding: 12px;")
        self.scroll_area = QScrollArea()
        self.scroll_area.setWidget(self.image)
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.message = MessageLine()
        self.message.hide()
        self.print_button = touch_button(_("Print (F9)"), "F9", height=56, style=PRIMARY_STYLE)
        self.print_button.clicked.connect(self.on_print_clicked)
        self.close_button = touch_button(_("Close (Esc)"), "Esc", height=56)
        self.close_button.clicked.connect(self.done.emit)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.scroll_area, 1)
        layout.addWidget(self.message)
        layout.addLayout(button_row(self.close_button, self.print_button))
        self.print_button.setEnabled(False)

    @property
    def image_shown(self) -> bool:
        pixmap = self.image.pixmap()
        return pixmap is not None and not pixmap.isNull()

    def show_session(self, runtime: TillRuntime, session_id: str, *, blind: bool) -> None:
        self._seq += 1
        seq, self.request = self._seq, ZPrintRequest(session_id, blind)
        self.image.clear()
        self.image.setText(_("Drawing the Z report…"))
        self.print_button.setEnabled(True)
        self.message.hide()
        self.tasks.run(
            lambda: z_report_image(runtime, session_id, blind=blind),
            lambda png: self.on_image(seq, png),
            self.on_failed,
        )

    def show_last_closed(self, runtime: TillRuntime) -> None:
        self.tasks.run(
            lambda: last_closed_session_id(runtime.store),
            lambda found: self.on_last_closed(runtime, found),
            self.on_failed,
        )

    def on_last_closed(self, runtime: TillRuntime, session_id: str | None) -> None:
        if session_id is None:
            self.request = None
            self.print_button.setEnabled(False)
            self.image.setText(_("This till has not been closed yet."))
            return
        self.show_session(runtime, session_id, blind=False)

    def on_image(self, seq: int, png: bytes) -> None:
        if seq != self._seq:
            return  # another report was asked for meanwhile
        pixmap = QPixmap()
        pixmap.loadFromData(png, "PNG")
        self.image.setPixmap(pixmap)

    def on_print_clicked(self) -> None:
        if self.request is not None:
            self.print_requested.emit(self.request)

    def on_failed(self, error: BaseException) -> None:
        self.image.setText("")
        if isinstance(error, UserFacingError):
            self.message.show_message("error", error.message)
            self.message.show()
        else:
            show_error(self, error)
