"""The scan field and its search results: the only widget of the sale screen that takes focus.

A keyboard-wedge scanner types the code and Enter faster than the search delay, so Enter on
digits always looks the code up. Typed text is searched after :data:`SEARCH_DELAY_MS`; the
arrows move in the results, Enter or a double click takes the selected one. With the field
empty, ``+``/``-`` change the selected line's quantity, Supr removes it and the arrows move in
the cart.

A scanner may also type into a field already holding a search ("cam" then a code): the digits
it types in one burst (each key within :data:`SCANNER_GAP_S` of the previous one, faster than
anyone types) at the end of the text are taken as the code.
"""

from __future__ import annotations

import time

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLineEdit, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from app.formatting import format_int
from app.i18n import _
from app.till.catalog import CatalogItem

SEARCH_DELAY_MS = 150
MIN_SEARCH = 2
SCANNER_GAP_S = 0.05  # keys closer than this come from a scanner
MIN_SCANNED = 8  # digits typed in a burst at the end of a search: a scanned code (EAN-8 up)
_ITEM_ROLE = Qt.ItemDataRole.UserRole


class ScanField(QLineEdit):
    """A line edit that hands the keys meant for the cart or the results to its box."""

    key_for_box = Signal(int)

    _BOX_KEYS = (Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_PageUp, Qt.Key.Key_PageDown)
    _EMPTY_KEYS = (Qt.Key.Key_Plus, Qt.Key.Key_Minus, Qt.Key.Key_Delete, Qt.Key.Key_Escape)

    def __init__(self) -> None:
        super().__init__()
        self._last_key = 0.0
        self.burst = 0  # characters typed in the current burst, at the end of the text

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt's name)
        key = Qt.Key(event.key())
        if key in self._BOX_KEYS or (not self.text() and key in self._EMPTY_KEYS):
            self.key_for_box.emit(int(key))
            return
        self._count_burst(event)
        super().keyPressEvent(event)

    def _count_burst(self, event: QKeyEvent) -> None:
        now = time.monotonic()
        if event.text().isprintable() and event.text():
            fast = now - self._last_key < SCANNER_GAP_S
            self.burst = self.burst + 1 if fast and self.cursorPosition() == len(self.text()) else 1
        elif event.key() not in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.burst = 0
        self._last_key = now

    def scanned_suffix(self) -> str:
        """The digits a scanner typed at the end of the text, when they look like a code."""
        text = self.text().strip()
        run = len(text) - len(text.rstrip("0123456789"))
        digits = min(run, self.burst)
        return text[-digits:] if digits >= MIN_SCANNED else ""


class SearchBox(QWidget):
    code_entered = Signal(str)
    item_chosen = Signal(object)  # CatalogItem
    search_requested = Signal(str)
    quantity_stepped = Signal(int)  # +1 / -1 on the selected line
    remove_requested = Signal()
    line_moved = Signal(int)  # -1 up, +1 down in the cart

    def __init__(self) -> None:
        super().__init__()
        self.field = ScanField()
        self.field.setPlaceholderText(_("Scan a barcode or type to search"))
        self.field.setMinimumHeight(52)
        self.field.setStyleSheet("font-size: 22px; padding: 4px 10px;")
        self.field.setClearButtonEnabled(True)
        self.field.textEdited.connect(self.on_text_edited)
        self.field.returnPressed.connect(self.on_return_pressed)
        self.field.key_for_box.connect(self.on_box_key)
        self.results = QListWidget()
        self.results.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.results.setStyleSheet(
            "QListWidget { font-size: 17px; } QListWidget::item { min-height: 44px; }"
        )
        self.results.setMaximumHeight(5 * 44 + 4)  # five results, never a half row
        self.results.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.results.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.results.itemActivated.connect(self.on_result_activated)
        self.results.hide()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.on_search_due)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.field)
        layout.addWidget(self.results)

    def text(self) -> str:
        return self.field.text().strip()

    def reset(self) -> None:
        """Ready for the next scan: empty field, no results, focus back here."""
        self._timer.stop()
        self.field.clear()
        self.show_results([])
        self.field.setFocus()

    def show_results(self, items: list[CatalogItem]) -> None:
        self.results.clear()
        for item in items:
            entry = QListWidgetItem(_result_text(item))
            entry.setData(_ITEM_ROLE, item)
            self.results.addItem(entry)
        self.results.setVisible(bool(items))
        if items:
            self.results.setCurrentRow(0)

    def on_text_edited(self, text: str) -> None:
        if len(text.strip()) >= MIN_SEARCH and not text.strip().isdigit():
            self._timer.start()
        else:
            self._timer.stop()
            self.show_results([])

    def on_search_due(self) -> None:
        if self.text():
            self.search_requested.emit(self.text())

    def on_return_pressed(self) -> None:
        self._timer.stop()
        text, scanned = self.text(), self.field.scanned_suffix()
        self.field.burst = 0
        current = self.results.currentItem()
        if scanned and not text.isdigit():
            self.code_entered.emit(scanned)  # scanned over a search being typed
        elif self.results.isVisible() and current is not None and not text.isdigit():
            self.on_result_activated(current)
        elif text:
            self.code_entered.emit(text)

    def on_result_activated(self, entry: QListWidgetItem) -> None:
        self.item_chosen.emit(entry.data(_ITEM_ROLE))

    def on_box_key(self, key: int) -> None:
        if key in (Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_PageUp, Qt.Key.Key_PageDown):
            self._move(key)
        elif key == Qt.Key.Key_Plus:
            self.quantity_stepped.emit(1)
        elif key == Qt.Key.Key_Minus:
            self.quantity_stepped.emit(-1)
        elif key == Qt.Key.Key_Delete:
            self.remove_requested.emit()

    def _move(self, key: int) -> None:
        step = -1 if key in (Qt.Key.Key_Up, Qt.Key.Key_PageUp) else 1
        if not self.results.isVisible():
            self.line_moved.emit(step)
            return
        row = min(max(self.results.currentRow() + step, 0), self.results.count() - 1)
        self.results.setCurrentRow(row)


def _result_text(item: CatalogItem) -> str:
    if item.has_combinations and not item.id_product_attribute:
        hint = _("choose a version")
    else:
        hint = _("stock {n}").format(n=format_int(item.quantity))
    return f"{item.display_name}  ·  {hint}  ·  {item.ean13 or item.reference}"
