"""The ERP's reusable list: search, filters, keyset pages, export, open a row.

``ListView(tasks, ctx, fetch, columns, title=...)`` shows the rows of one data source — a
plain function ``fetch(ctx, query, after, limit) -> Page`` described in ``app/erp/listing.py``
— a page at a time, always through ``tasks.run``:

* the search field (Ctrl+F) searches after :data:`SEARCH_DELAY_MS` of quiet, or at once on Enter;
* filter widgets added with :meth:`ListView.add_filter` (QComboBox → ``currentData()``,
  QCheckBox → ``True`` when ticked else ``None``, spin boxes → ``value()``, QLineEdit → text);
  a change reloads the first page;
* "(PgDn) ▶" / "◀ (PgUp)" (next / previous page) walk the keyset pages (never OFFSET);
* "Export (Ctrl+E)" asks for a .csv/.xlsx file and writes EVERY matching row on a worker
  (``iter_rows`` → ``export_table``), streaming;
* double click or Enter on a row emits :attr:`ListView.row_activated` with the frozen row.

Sections put their own buttons next to the export one with :meth:`ListView.add_button`, and
call :meth:`ListView.refresh` after a write. :func:`erp_button` makes a 44 px button whose
shortcut is shown on its text.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
)
from PySide6.QtCore import Signal as QtSignal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractSpinBox,
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.erp.exports import export_table
from app.erp.listing import Column, Key, ListQuery, Page, PageFetch, iter_rows, row_values
from app.formatting import format_decimal, format_int, format_money
from app.i18n import _
from ui.errors import show_error
from ui.tasks import TaskManager

SEARCH_DELAY_MS = 300
PAGE_SIZE = 100
TOUCH = 44
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_NUMERIC = ("int", "decimal", "money")
ModelIndex = QModelIndex | QPersistentModelIndex


def erp_button(text: str, shortcut: str | None = None) -> QPushButton:
    """A 44 px button; ``text`` already names its shortcut, e.g. ``_("Save (Ctrl+S)")``."""
    button = QPushButton(text)
    button.setMinimumHeight(TOUCH)
    button.setStyleSheet("padding: 0 12px;")
    if shortcut:
        button.setShortcut(QKeySequence(shortcut))
    return button


def display_text(value: object, kind: str) -> str:
    """A value as the list shows it (money as ``1.234,50 €``, dates ``31/05/2024``)."""
    if value is None:
        return ""
    if kind == "bool" or isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, Decimal):
        return format_money(value) if kind == "money" else format_decimal(value)
    if isinstance(value, int):
        return format_int(value)
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y %H:%M" if isinstance(value, dt.datetime) else "%d/%m/%Y")
    return str(value)


class RowsModel(QAbstractTableModel):
    """A page of frozen rows shown through their columns; read-only."""

    def __init__(self, columns: Sequence[Column[Any]]) -> None:
        super().__init__()
        self.columns = list(columns)
        self.rows: tuple[Any, ...] = ()

    def set_rows(self, rows: tuple[Any, ...]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        column = self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return display_text(column.value(self.rows[index.row()]), column.kind)
        if role == Qt.ItemDataRole.TextAlignmentRole and column.kind in _NUMERIC:
            return int(_RIGHT.value)
        return None

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.columns[section].title
        return None


def row_identity(row: Any) -> tuple[object, ...]:
    """What names a row across reloads: its leading ``id_…`` fields (a product, an order, a
    product's combination…), or the whole row when it has none."""
    if not dataclasses.is_dataclass(row):
        return (row,)
    ids: list[object] = []
    for field in dataclasses.fields(row):
        if not field.name.startswith("id_"):
            break
        ids.append(getattr(row, field.name))
    return tuple(ids) if ids else (row,)


class ListView(QWidget):
    row_activated = QtSignal(object)  # the frozen row
    page_loaded = QtSignal(int)  # rows on the page now shown
    exported = QtSignal(str, int)  # path, rows written

    def __init__(
        self,
        tasks: TaskManager,
        ctx: Any,
        fetch: PageFetch[Any],
        columns: Sequence[Column[Any]],
        *,
        title: str,
        placeholder: str = "",
        page_size: int = PAGE_SIZE,
    ) -> None:
        super().__init__()
        self.tasks, self.ctx, self.fetch, self.title = tasks, ctx, fetch, title
        self.page_size = page_size
        self.model = RowsModel(columns)
        self._filters: list[tuple[str, Callable[[], object]]] = []
        self._afters: list[Key | None] = [None]  # keyset position of each page walked
        self._next_key: Key | None = None
        self._serial = 0
        self._build(placeholder)

    def _build(self, placeholder: str) -> None:
        self.search = QLineEdit(placeholderText=placeholder or _("Search (Ctrl+F)"))
        self.search.setMinimumHeight(TOUCH)
        self.search.setClearButtonEnabled(True)
        self._timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.reload)
        self.search.textEdited.connect(lambda _text: self._timer.start())
        self.search.returnPressed.connect(self.reload)
        QShortcut(QKeySequence("Ctrl+F"), self, self.search.setFocus)
        self.filter_bar = QHBoxLayout()
        self.filter_bar.addWidget(self.search, 3)
        self.table = self._make_table()
        self.status = QLabel()
        self.previous_button = erp_button(_("◀ (PgUp)"), "PgUp")
        self.next_button = erp_button(_("(PgDn) ▶"), "PgDown")
        self.previous_button.setToolTip(_("Previous page"))
        self.next_button.setToolTip(_("Next page"))
        self.export_button = erp_button(_("Export (Ctrl+E)"), "Ctrl+E")
        self.previous_button.clicked.connect(self.previous_page)
        self.next_button.clicked.connect(self.next_page)
        self.export_button.clicked.connect(self.ask_export)
        self.button_bar = QHBoxLayout()
        self.button_bar.addStretch(1)
        for widget in (self.previous_button, self.next_button, self.export_button):
            self.button_bar.addWidget(widget)
        layout = QVBoxLayout(self)
        layout.addLayout(self.filter_bar)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)
        layout.addLayout(self.button_bar)
        self._show_buttons(loading=True)

    def _make_table(self) -> QTableView:
        table = QTableView()
        table.setModel(self.model)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setAlternatingRowColors(True)
        table.verticalHeader().setDefaultSectionSize(TOUCH - 8)
        table.verticalHeader().hide()
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        table.horizontalHeader().setStretchLastSection(True)
        for index, column in enumerate(self.model.columns):
            if column.width:
                table.setColumnWidth(index, column.width)
        table.activated.connect(self._on_activated)
        return table

    # --- filters and buttons added by the section -------------------------------------------

    def add_filter(
        self, name: str, widget: QWidget, value: Callable[[], object] | None = None
    ) -> None:
        """A filter widget; its value goes to ``query.filters[name]``; a change reloads."""
        self._filters.append((name, value or _filter_value(widget)))
        _connect_change(widget, self.reload)
        if isinstance(widget, (QComboBox, QAbstractSpinBox, QLineEdit)):
            widget.setMinimumHeight(TOUCH)
        if isinstance(widget, QComboBox):  # long names must not widen the window past 1024
            widget.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            widget.setMinimumContentsLength(6)
        self.filter_bar.addWidget(widget, 1)

    def add_button(self, button: QPushButton) -> None:
        self.button_bar.insertWidget(1, button)

    # --- loading ----------------------------------------------------------------------------

    def query(self) -> ListQuery:
        values = {name: getter() for name, getter in self._filters}
        return ListQuery(self.search.text().strip(), values)

    def reload(self) -> None:
        """The first page of the current query."""
        self._timer.stop()
        self._afters = [None]
        self._load()

    def refresh(self) -> None:
        """The page shown, read again (after a write)."""
        self._load()

    def next_page(self) -> None:
        if self._next_key is not None:
            self._afters.append(self._next_key)
            self._load()

    def previous_page(self) -> None:
        if len(self._afters) > 1:
            self._afters.pop()
            self._load()

    def _load(self) -> None:
        self._serial += 1
        serial, query, after = self._serial, self.query(), self._afters[-1]
        fetch, ctx, limit = self.fetch, self.ctx, self.page_size
        self._show_buttons(loading=True)
        self.status.setText(_("Loading…"))
        self.tasks.run(
            lambda: fetch(ctx, query, after, limit),
            lambda page: self._on_page(serial, page),
            lambda error: self._on_failure(serial, error),
        )

    def _on_page(self, serial: int, page: Page[Any]) -> None:
        if serial != self._serial:
            return  # an older search answered late
        chosen = {row_identity(row) for row in self.selected_rows()}
        current = self.table.currentIndex()
        if current.isValid() and current.row() < len(self.model.rows):
            chosen_current: tuple[object, ...] | None = row_identity(self.model.rows[current.row()])
        else:
            chosen_current = None
        self.model.set_rows(page.rows)
        self._next_key = page.next_key
        self._show_buttons(loading=False)
        self.status.setText(self._status_text(len(page.rows)))
        self._select_again(chosen, chosen_current)
        self.page_loaded.emit(len(page.rows))

    def _select_again(
        self, chosen: set[tuple[object, ...]], current: tuple[object, ...] | None
    ) -> None:
        """Keep the manager's choice across a reload (Enter must open the row they chose):
        the same rows selected and the same current row; the first row when none is left."""
        rows = self.model.rows
        again = [i for i, row in enumerate(rows) if row_identity(row) in chosen]
        if not again:
            if rows:
                self.table.selectRow(0)
            return
        flags = QItemSelectionModel.SelectionFlag
        here = next((i for i in again if row_identity(rows[i]) == current), again[0])
        selection = self.table.selectionModel()
        selection.setCurrentIndex(self.model.index(here, 0), flags.ClearAndSelect | flags.Rows)
        for row in again:
            selection.select(self.model.index(row, 0), flags.Select | flags.Rows)
        self.table.scrollTo(self.model.index(here, 0))

    def _on_failure(self, serial: int, error: BaseException) -> None:
        if serial == self._serial:
            self._show_buttons(loading=False)
            self.status.setText(_("Could not load the list."))
        show_error(self, error)

    def _status_text(self, count: int) -> str:
        if not count:
            query = self.query()
            narrowed = query.text or any(v not in (None, False, "") for v in query.filters.values())
            return _("No rows match.") if narrowed else _("Nothing here yet.")
        first = (len(self._afters) - 1) * self.page_size + 1
        text = _("Rows {first}–{last}").format(
            first=format_int(first), last=format_int(first + count - 1)
        )
        return text + (" · " + _("more…") if self._next_key is not None else "")

    def _show_buttons(self, *, loading: bool) -> None:
        self.next_button.setEnabled(not loading and self._next_key is not None)
        self.previous_button.setEnabled(not loading and len(self._afters) > 1)

    # --- rows -------------------------------------------------------------------------------

    @property
    def rows(self) -> tuple[Any, ...]:
        return self.model.rows

    def selected_row(self) -> Any | None:
        rows = self.selected_rows()
        return rows[0] if rows else None

    def selected_rows(self) -> list[Any]:
        indexes = self.table.selectionModel().selectedRows()
        return [self.model.rows[index.row()] for index in sorted(indexes, key=lambda i: i.row())]

    def _on_activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.row_activated.emit(self.model.rows[index.row()])

    # --- export -----------------------------------------------------------------------------

    def ask_export(self) -> None:
        path, _chosen = QFileDialog.getSaveFileName(
            self, _("Export"), f"{self.title}.xlsx", _("Excel (*.xlsx);;CSV (*.csv)")
        )
        if path:
            self.export_to(Path(path))

    def export_to(self, path: Path) -> None:
        """Every row of the current query to ``path`` (.csv or .xlsx), on a worker."""
        columns, fetch, ctx, query = self.model.columns, self.fetch, self.ctx, self.query()
        headers = [column.title for column in columns]

        def work() -> int:
            rows = (row_values(row, columns) for row in iter_rows(fetch, ctx, query))
            return export_table(path, headers, rows, self.title)

        self.export_button.setEnabled(False)
        self.status.setText(_("Exporting…"))
        self.tasks.run(work, lambda count: self._on_exported(path, count), self._on_export_failed)

    def _on_exported(self, path: Path, count: int) -> None:
        self.export_button.setEnabled(True)
        self.status.setText(
            _("{count} rows exported to {name}").format(count=format_int(count), name=path.name)
        )
        self.exported.emit(str(path), count)

    def _on_export_failed(self, error: BaseException) -> None:
        self.export_button.setEnabled(True)
        self.status.setText(_("The export failed."))
        show_error(self, error)


def _filter_value(widget: QWidget) -> Callable[[], object]:
    if isinstance(widget, QComboBox):
        return widget.currentData
    if isinstance(widget, QCheckBox):
        return lambda: True if widget.isChecked() else None
    if isinstance(widget, (QSpinBox, QDoubleSpinBox)):
        return widget.value
    if isinstance(widget, QLineEdit):
        return lambda: widget.text().strip() or None
    raise TypeError(f"no filter value for {type(widget).__name__}; pass value=")


def _connect_change(widget: QWidget, reload: Callable[[], None]) -> None:
    if isinstance(widget, QComboBox):
        widget.currentIndexChanged.connect(lambda _index: reload())
    elif isinstance(widget, QCheckBox):
        widget.toggled.connect(lambda _checked: reload())
    elif isinstance(widget, (QSpinBox, QDoubleSpinBox)):
        widget.editingFinished.connect(reload)
    elif isinstance(widget, QLineEdit):
        widget.returnPressed.connect(reload)
