"""The ERP window: the manager's back office, a shell of sections over the shop database.

``ErpWindow(target, manager)`` refuses a non-manager (:class:`ErpRefused`, a user-facing
error); :func:`open_erp_window` shows that refusal instead of raising. The window connects
(``open_erp``) on its own TaskManager, then shows a sidebar of the sections listed in
``ui/erp/sections.py``; each section is built the first time it is shown. The status bar names
the shop and the manager. Closing the window stops its workers and closes the engine.

F1 opens the help on the back office's page (:meth:`ErpWindow.show_help`). It is answered
here, not with a QShortcut: the till window's F1 is an application-wide shortcut, and two
shortcuts on one key are ambiguous to Qt (neither fires). The window takes F1 over (accepts
its ShortcutOverride) while it is the active window, and opens the help on the key press.
"""

from __future__ import annotations

from concurrent.futures import Future

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QCloseEvent, QFontMetrics, QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QStackedWidget,
    QWidget,
)

from app.connection import ShopTarget
from app.erp.context import ErpContext, open_erp
from app.errors import UserFacingError
from app.i18n import _
from app.sale.price_inputs import Employee
from app.till.store import TillStore
from ui.erp.sections import ErpSection, sections
from ui.errors import show_error
from ui.help import HelpDialog, show_help
from ui.tasks import TaskManager

HELP_ID = "back_office"  # resources/help/<language>/back_office.html
SIDEBAR_MIN_WIDTH, SIDEBAR_MAX_WIDTH = 140, 220
SIDEBAR_FONT_PX = 16
SIDEBAR_STYLE = (
    f"QListWidget {{ font-size: {SIDEBAR_FONT_PX}px; }} QListWidget::item {{ min-height: 44px; }}"
)


class ErpRefused(UserFacingError):
    """Only managers open the back office."""


def check_manager(manager: Employee) -> None:
    if not getattr(manager, "is_manager", False):
        raise ErpRefused(
            _("Only a manager can open the back office."),
            _("Ask a manager to sign in and open it."),
        )


def open_erp_window(
    parent: QWidget | None, target: ShopTarget, manager: Employee, store: TillStore | None = None
) -> ErpWindow | None:
    """The ERP window shown for ``manager``, or ``None`` after telling why not."""
    try:
        window = ErpWindow(target, manager, store)
    except ErpRefused as error:
        show_error(parent, error)
        return None
    window.show()
    return window


class ErpWindow(QMainWindow):
    connected = Signal()
    section_shown = Signal(str)  # section id

    def __init__(
        self, target: ShopTarget, manager: Employee, store: TillStore | None = None
    ) -> None:
        check_manager(manager)
        super().__init__()
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle(_("Mostrador — back office"))
        self.resize(1024, 768)
        self.manager = manager
        self.ctx: ErpContext | None = None
        self.tasks = TaskManager(self)
        self.sections = sections(store)
        self._built: dict[str, QWidget] = {}
        self._build()
        self.statusBar().showMessage(_("Connecting to the shop…"))
        self._opening: Future[ErpContext] | None = self.tasks.run(
            lambda: open_erp(target, manager.id_employee), self.on_connected, self.on_failed
        )

    def _build(self) -> None:
        self.sidebar = QListWidget()
        self.sidebar.setStyleSheet(SIDEBAR_STYLE)
        self.sidebar.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.stack = QStackedWidget()
        self.placeholder = QLabel(_("Connecting to the shop…"))
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack.addWidget(self.placeholder)
        for number, section in enumerate(self.sections, start=1):
            # Two lines, the shortcut under the title: a narrow sidebar leaves the width to lists.
            text = _("{title}\nCtrl+{n}").format(title=section.title, n=number)
            item = QListWidgetItem(text if number <= 9 else section.title)
            item.setData(Qt.ItemDataRole.UserRole, section.id)
            self.sidebar.addItem(item)
            if number <= 9:
                QShortcut(QKeySequence(f"Ctrl+{number}"), self, lambda i=number - 1: self._pick(i))
        self.sidebar.setFixedWidth(self._sidebar_width())
        self.sidebar.setEnabled(False)
        self.sidebar.currentRowChanged.connect(self._on_row)
        central = QWidget()
        layout = QHBoxLayout(central)
        layout.addWidget(self.sidebar)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)

    def _sidebar_width(self) -> int:
        """Wide enough for the longest title with its shortcut (16 px font), within bounds."""
        font = self.sidebar.font()
        font.setPixelSize(SIDEBAR_FONT_PX)
        metrics = QFontMetrics(font)
        texts = (self.sidebar.item(row).text() for row in range(self.sidebar.count()))
        lines = (line for text in texts for line in text.splitlines())
        widest = max((metrics.horizontalAdvance(line) for line in lines), default=0)
        return max(SIDEBAR_MIN_WIDTH, min(widest + 24, SIDEBAR_MAX_WIDTH))

    def on_connected(self, ctx: ErpContext) -> None:
        self.ctx, self._opening = ctx, None
        self.statusBar().showMessage(
            _("{shop} · manager: {name}").format(shop=ctx.shop.name, name=self.manager.name)
        )
        self.placeholder.setText(_("Choose a section on the left."))
        self.sidebar.setEnabled(True)
        self.sidebar.setFocus()
        self.connected.emit()
        if self.sections:
            self._pick(0)

    def on_failed(self, error: BaseException) -> None:
        self._opening = None
        self.placeholder.setText(_("Could not connect to the shop."))
        self.statusBar().showMessage(_("Not connected"))
        show_error(self, error)

    def _pick(self, row: int) -> None:
        if self.sidebar.isEnabled() and 0 <= row < len(self.sections):
            self.sidebar.setCurrentRow(row)

    def _on_row(self, row: int) -> None:
        if 0 <= row < len(self.sections):
            self.show_section(self.sections[row].id)

    def show_section(self, section_id: str) -> QWidget | None:
        """Show (building it the first time) the section ``section_id``; None if not connected."""
        if self.ctx is None:
            return None
        section = self._section(section_id)
        widget = self._built.get(section_id)
        if widget is None:
            widget = section.factory(self.tasks, self.ctx)
            self._built[section_id] = widget
            self.stack.addWidget(widget)
        self.stack.setCurrentWidget(widget)
        row = self.sections.index(section)
        if self.sidebar.currentRow() != row:
            self.sidebar.setCurrentRow(row)
        self.section_shown.emit(section_id)
        return widget

    def _section(self, section_id: str) -> ErpSection:
        for section in self.sections:
            if section.id == section_id:
                return section
        raise KeyError(section_id)

    # --- F1 -------------------------------------------------------------------------------

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and _is_help_key(event):
            event.accept()  # F1 comes here as a key press, not to the till window's shortcut
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt's name)
        if _is_help_key(event):
            self.show_help()
            return
        super().keyPressEvent(event)

    def show_help(self) -> HelpDialog:
        """The help on the back office's page (F1)."""
        return show_help(self, HELP_ID, self.tasks)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt's name)
        self.tasks.shutdown()
        opening, self._opening = self._opening, None
        if opening is not None and opening.done() and not opening.cancelled():
            if opening.exception() is None:
                opening.result().close()  # connected while the window was closing
        if self.ctx is not None:
            self.ctx.close()
            self.ctx = None
        super().closeEvent(event)


def _is_help_key(event: QEvent) -> bool:
    """F1 alone (Ctrl+Shift+F1 and the like stay the till window's)."""
    return (
        isinstance(event, QKeyEvent)
        and event.key() == Qt.Key.Key_F1
        and event.modifiers() == Qt.KeyboardModifier.NoModifier
    )
