"""Inventory counts section of the ERP window: count sessions, a scan field to count
(or type a count), the differences with the shop's stock, and "apply" all at once."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.erp.context import ErpContext
from app.erp.listing import Column, Key, ListQuery, Page
from app.erp.stock import (
    Applied,
    CountView,
    Inventory,
    apply_inventory,
    count_code,
    count_page,
    create_inventory,
    inventory_page,
    set_count,
)
from app.formatting import format_int
from app.i18n import _
from ui.erp.table_view import TOUCH, ListView, erp_button
from ui.errors import show_error
from ui.tasks import TaskManager

MAX_UNITS = 100_000


def session_columns() -> list[Column[Inventory]]:
    return [
        Column(_("Id"), lambda s: s.id_inventory, "int", 50),
        Column(_("Name"), lambda s: s.name, width=160),
        Column(
            _("Status"), lambda s: _("Applied") if s.status == "applied" else _("Open"), width=80
        ),  # fmt: skip
        Column(_("Items"), lambda s: s.lines, "int", 60),
        Column(_("Started"), lambda s: s.date_add, "datetime", 130),
    ]


def count_columns() -> list[Column[CountView]]:
    return [
        Column(_("Reference"), lambda c: c.reference, width=140),
        Column(_("Name"), lambda c: c.name, width=300),
        Column(_("Counted"), lambda c: c.counted, "int", 80),
        Column(_("In the shop"), lambda c: c.quantity, "int", 90),
        Column(_("Difference"), lambda c: c.difference, "int", 90),
    ]


class InventorySection(QWidget):
    """Inventory counts"""

    applied = Signal(object)  # Applied
    counted = Signal(object)  # CountView

    def __init__(self, tasks: TaskManager, ctx: ErpContext) -> None:
        super().__init__()
        self.tasks, self.ctx = tasks, ctx
        self.id_inventory = 0
        self.sessions = ListView(tasks, ctx, inventory_page, session_columns(),
                                 title=_("Count sessions"))  # fmt: skip
        self.new_name = QLineEdit(placeholderText=_("Name of a new count"))
        self.new_name.setMinimumHeight(TOUCH)
        self.new_button = erp_button(_("New count (Ctrl+N)"), "Ctrl+N")
        self.new_button.clicked.connect(self.new_session)
        self.sessions.search.hide()
        self.sessions.filter_bar.addWidget(self.new_name, 2)
        self.sessions.filter_bar.addWidget(self.new_button)
        self.sessions.row_activated.connect(self.open_session)
        self.sessions.table.selectionModel().currentRowChanged.connect(
            lambda current, _previous: self._pick(current.row())
        )
        self.lines = ListView(tasks, ctx, self._count_page, count_columns(),
                              title=_("Count"), placeholder=_("Filter"))  # fmt: skip
        self.lines.search.hide()
        self._build_count_bar()
        splitter = QSplitter()
        splitter.addWidget(self.sessions)
        right = QWidget()
        column = QVBoxLayout(right)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(self.count_bar)
        column.addWidget(self.lines, 1)
        splitter.addWidget(right)
        splitter.setSizes([300, 520])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)
        self.sessions.page_loaded.connect(self._first_load)
        self.sessions.reload()

    def _build_count_bar(self) -> None:
        self.title = QLabel(_("Choose or start a count."))
        self.scan = QLineEdit(placeholderText=_("Scan or type a code, Enter counts it"))
        self.scan.setMinimumHeight(TOUCH)
        self.scan.returnPressed.connect(self.count_scanned)
        self.units = QSpinBox(minimum=-1, maximum=MAX_UNITS, value=1)
        self.units.setMinimumHeight(TOUCH)
        self.units.setToolTip(_("Units each scan adds; with Set: the count (−1 removes)"))
        self.set_button = erp_button(_("Set (Ctrl+T)"), "Ctrl+T")
        self.set_button.clicked.connect(self.set_selected)
        self.apply_button = erp_button(_("Apply (Ctrl+Shift+A)"), "Ctrl+Shift+A")
        self.apply_button.clicked.connect(self.confirm_apply)
        self.title.setWordWrap(True)
        self.count_bar = QVBoxLayout()
        self.count_bar.addWidget(self.title)
        row = QHBoxLayout()
        for widget in (self.scan, self.units, self.set_button, self.apply_button):
            row.addWidget(widget, 1 if widget is self.scan else 0)
        self.count_bar.addLayout(row)
        self._enable(False)

    def _count_page(
        self, ctx: ErpContext, query: ListQuery, after: Key | None, limit: int
    ) -> Page[CountView]:
        query = ListQuery(query.text, {**query.filters, "id_inventory": self.id_inventory})
        return count_page(ctx, query, after, limit)

    def _first_load(self, rows: int) -> None:
        if rows and not self.id_inventory:
            self._pick(0)

    def _pick(self, row: int) -> None:
        if 0 <= row < len(self.sessions.rows):
            self.open_session(self.sessions.rows[row])

    def _enable(self, open_: bool) -> None:
        for widget in (self.scan, self.units, self.set_button, self.apply_button):
            widget.setEnabled(open_)

    def open_session(self, session: Inventory) -> None:
        self.id_inventory = int(session.id_inventory)
        is_open = session.status == "open"
        self.title.setText(session.name + ("" if is_open else " · " + _("Applied")))
        self._enable(is_open)
        self.lines.reload()
        if is_open:
            self.scan.setFocus()

    def new_session(self) -> None:
        ctx, name = self.ctx, self.new_name.text()
        self.tasks.run(lambda: create_inventory(ctx, name), self.on_created)

    def on_created(self, session: Inventory) -> None:
        self.new_name.clear()
        self.sessions.reload()
        self.open_session(session)

    def count_scanned(self) -> None:
        code, units = self.scan.text().strip(), max(1, self.units.value())
        if not code or not self.id_inventory:
            return
        self.scan.clear()
        ctx, id_inventory = self.ctx, self.id_inventory
        self.tasks.run(lambda: count_code(ctx, id_inventory, code, units), self.on_counted,
                       self.on_failed)  # fmt: skip

    def set_selected(self) -> None:
        line = self.lines.selected_row()
        if line is None:
            return
        ctx, id_inventory, value = self.ctx, self.id_inventory, self.units.value()
        key = (line.id_product, line.id_product_attribute)
        self.tasks.run(lambda: set_count(ctx, id_inventory, key, value), self.on_counted,
                       self.on_failed)  # fmt: skip

    def on_counted(self, view: CountView | None) -> None:
        if view is not None:
            self.title.setText(
                _("{name}: {counted} counted, {difference:+d}").format(
                    name=view.name, counted=format_int(view.counted), difference=view.difference
                )
            )
            self.counted.emit(view)
        self.lines.refresh()
        self.scan.setFocus()

    def on_failed(self, error: BaseException) -> None:
        show_error(self, error)
        self.scan.setFocus()

    def confirm_apply(self) -> None:
        box = QMessageBox(
            QMessageBox.Icon.Question,
            _("Apply count"),
            _("Set the shop's stock of every counted item to its count now?"),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            self,
        )
        box.accepted.connect(self.apply)
        box.open()
        self.confirm_box = box

    def apply(self) -> None:
        ctx, id_inventory = self.ctx, self.id_inventory
        self.apply_button.setEnabled(False)
        self.tasks.run(lambda: apply_inventory(ctx, id_inventory), self.on_applied,
                       self.on_apply_failed)  # fmt: skip

    def on_applied(self, done: Applied) -> None:
        self.title.setText(_("Applied: {items} items changed (+{units_in} / −{units_out})").format(
            items=format_int(done.changed), units_in=format_int(done.units_in),
            units_out=format_int(done.units_out)))  # fmt: skip
        self._enable(False)
        self.sessions.refresh()
        self.lines.refresh()
        self.applied.emit(done)

    def on_apply_failed(self, error: BaseException) -> None:
        self.apply_button.setEnabled(True)
        show_error(self, error)
