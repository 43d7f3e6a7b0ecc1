"""In-app help: F1 opens the page of the screen in use, with an index of topics and a search.

Pages are HTML files, ``resources/help/<language>/<screen id>.html``, one per screen id of
:data:`SCREENS`; a page missing in the interface language is taken in Spanish. Each page's
``<title>`` names it in the index; links between pages are written ``href="sale.html"``.

    show_help(parent, "sale")             # F1 on the sale screen
    show_help(parent, "sync", tasks)      # the pages are read on a worker the first time

:func:`load_help` is a plain function (it reads the files); :func:`show_help` runs it through
the :class:`~ui.tasks.TaskManager` given (or the parent window's ``tasks``) the first time per
language, the dialog showing "Loading…" meanwhile; without one it reads the small packaged
files directly.
"""

from __future__ import annotations

import html
import logging
import re
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from app.i18n import DEFAULT_LANGUAGE, _, current_language
from ui.tasks import TaskManager

logger = logging.getLogger(__name__)

HELP_DIR = Path(__file__).resolve().parent.parent / "resources" / "help"
SCREENS = (
    "home", "login", "sale", "payment", "invoice", "customer", "park", "discount", "returns",
    "cash_open", "cash_move", "cash_close", "z_report", "fiscal", "printer", "sync", "shop",
    "updates", "back_office",
)  # fmt: skip
_ID_ROLE = Qt.ItemDataRole.UserRole
_TITLE = re.compile(r"<title>(.*?)</title>", re.IGNORECASE | re.DOTALL)
_BODY = re.compile(r"<body[^>]*>(.*)</body>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class HelpPage:
    screen_id: str
    title: str
    html: str
    text: str  # plain lowercase text, for the search


def help_path(screen_id: str, language: str, root: Path = HELP_DIR) -> Path:
    """The page of ``screen_id`` in ``language``, else in Spanish."""
    path = root / language / f"{screen_id}.html"
    return path if path.is_file() else root / DEFAULT_LANGUAGE / f"{screen_id}.html"


def parse_page(screen_id: str, source: str) -> HelpPage:
    match = _TITLE.search(source)
    title = html.unescape(match.group(1).strip()) if match else screen_id
    body = _BODY.search(source)
    plain = html.unescape(_TAG.sub(" ", body.group(1) if body else source))
    return HelpPage(screen_id, title, source, " ".join(plain.split()).lower())


def load_help(language: str, root: Path = HELP_DIR) -> tuple[HelpPage, ...]:
    """Every page of :data:`SCREENS` in ``language`` (worker function: reads files)."""
    pages = []
    for screen_id in SCREENS:
        path = help_path(screen_id, language, root)
        try:
            pages.append(parse_page(screen_id, path.read_text(encoding="utf-8")))
        except OSError:
            logger.warning("help page missing: %s", path)
    return tuple(pages)


class _Cache:
    lock = threading.Lock()
    pages: dict[str, tuple[HelpPage, ...]] = {}


def cached_help(language: str) -> tuple[HelpPage, ...]:
    """:func:`load_help`, remembered per language."""
    with _Cache.lock:
        found = _Cache.pages.get(language)
    if found is None:
        found = load_help(language)
        with _Cache.lock:
            _Cache.pages[language] = found
    return found


class HelpDialog(QDialog):
    def __init__(self, parent: QWidget | None, screen_id: str) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Help"))
        self.resize(900, 640)
        self.screen_id = screen_id
        self.pages: dict[str, HelpPage] = {}
        self.search = QLineEdit()
        self.search.setPlaceholderText(_("Search the help"))
        self.search.setMinimumHeight(44)
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.on_search)
        self.index = QListWidget()
        self.index.setStyleSheet("QListWidget { font-size: 15px; } QListWidget::item "
                                 "{ min-height: 44px; }")  # fmt: skip
        self.index.setMinimumWidth(280)  # topic titles are read whole, not clipped
        self.index.currentItemChanged.connect(self.on_topic_chosen)
        self.browser = QTextBrowser()
        self.browser.setOpenLinks(False)
        self.browser.anchorClicked.connect(self.on_link)
        self.browser.setStyleSheet("font-size: 15px;")
        self.browser.setText(_("Loading…"))
        close = QPushButton(_("Close (Esc)"))
        close.setMinimumHeight(44)
        close.setShortcut(QKeySequence(Qt.Key.Key_Escape))
        close.clicked.connect(self.reject)
        self._lay_out(close)

    def _lay_out(self, close: QPushButton) -> None:
        left = QVBoxLayout()
        left.addWidget(self.search)
        left.addWidget(self.index, 1)
        body = QHBoxLayout()
        body.addLayout(left, 2)
        body.addWidget(self.browser, 5)
        layout = QVBoxLayout(self)
        layout.addLayout(body, 1)
        layout.addWidget(close, alignment=Qt.AlignmentFlag.AlignRight)

    def set_pages(self, pages: Sequence[HelpPage]) -> None:
        self.pages = {page.screen_id: page for page in pages}
        self.index.clear()
        for page in pages:
            item = QListWidgetItem(page.title)
            item.setData(_ID_ROLE, page.screen_id)
            self.index.addItem(item)
        self.show_page(self.screen_id if self.screen_id in self.pages else "home")

    def show_page(self, screen_id: str) -> None:
        page = self.pages.get(screen_id)
        if page is None:
            return
        self.screen_id = screen_id
        self.browser.setHtml(page.html)
        for row in range(self.index.count()):
            item = self.index.item(row)
            if item.data(_ID_ROLE) == screen_id and self.index.currentItem() is not item:
                self.index.setCurrentItem(item)

    def on_topic_chosen(self, item: QListWidgetItem | None) -> None:
        if item is not None:
            self.show_page(str(item.data(_ID_ROLE)))

    def on_link(self, url: QUrl) -> None:
        target = url.toString()
        screen_id = target.removesuffix(".html")
        if url.isRelative() and screen_id in self.pages:
            self.show_page(screen_id)
        elif url.scheme() in ("http", "https", "mailto"):
            QDesktopServices.openUrl(url)

    def on_search(self, text: str) -> None:
        words = text.lower().split()
        for row in range(self.index.count()):
            item = self.index.item(row)
            page = self.pages[str(item.data(_ID_ROLE))]
            haystack = f"{page.title.lower()} {page.text}"
            item.setHidden(not all(word in haystack for word in words))

    def visible_topics(self) -> list[str]:
        items = (self.index.item(row) for row in range(self.index.count()))
        return [str(item.data(_ID_ROLE)) for item in items if not item.isHidden()]


def show_help(
    parent: QWidget | None, screen_id: str, tasks: TaskManager | None = None
) -> HelpDialog:
    """Open the help on ``screen_id``'s page (see the module docstring)."""
    dialog = HelpDialog(parent, screen_id)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    language = current_language()
    if tasks is None and parent is not None:
        found = getattr(parent.window(), "tasks", None)
        tasks = found if isinstance(found, TaskManager) else None
    with _Cache.lock:
        pages = _Cache.pages.get(language)
    if pages is not None or tasks is None:
        dialog.set_pages(pages if pages is not None else cached_help(language))
    else:
        tasks.run(lambda: cached_help(language), lambda found: _fill(dialog, found))
    dialog.open()
    return dialog


def _fill(dialog: HelpDialog, pages: Sequence[HelpPage]) -> None:
    if isValid(dialog):  # closed (and deleted) before the pages were read
        dialog.set_pages(pages)


def is_help_key(event: QEvent) -> bool:
    """F1 alone (Ctrl+Shift+F1 and the like are other actions)."""
    return (
        isinstance(event, QKeyEvent)
        and event.key() == Qt.Key.Key_F1
        and event.modifiers() == Qt.KeyboardModifier.NoModifier
        and not event.isAutoRepeat()
    )


class HelpKeyInDialogs(QObject):
    """F1 inside a modal dialog. Qt does not fire a window's shortcut, even an application-wide
    one, while a modal dialog blocks that window; so the key press reaching the dialog is caught
    here (installed on the application) and ``open_help`` runs. Elsewhere the key goes on."""

    def __init__(self, open_help: Callable[[], object], parent: QObject) -> None:
        super().__init__(parent)
        self.open_help = open_help

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if event.type() != QEvent.Type.KeyPress or not is_help_key(event):
            return False
        modal = QApplication.activeModalWidget()
        if modal is None or isinstance(modal, HelpDialog):
            return False
        if QApplication.activeWindow() is not modal:  # e.g. F1 in the back office's window
            return False
        self.open_help()
        return True
