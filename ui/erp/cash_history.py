"""Cash sessions: the history of this till's cash sessions with their differences.

Cash sessions live in the till's own store, so the section shows the till the ERP was opened
from (``store``); without one it says so."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from PySide6.QtCore import QDate
from PySide6.QtCore import Signal as QtSignal
from PySide6.QtWidgets import (
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.erp.context import ErpContext
from app.erp.exports import export_table
from app.erp.listing import Column, row_values
from app.erp.report_cash import CashSessionLine, cash_history, total_difference
from app.formatting import format_money
from app.i18n import _
from app.till.store import TillStore
from ui.erp.table_view import TOUCH, RowsModel, erp_button
from ui.tasks import TaskManager


def _columns() -> list[Column[CashSessionLine]]:
    return [
        Column(_("Opened"), lambda r: r.opened_at, "datetime"),
        Column(_("Closed"), lambda r: r.closed_at, "datetime"),
        Column(_("Float"), lambda r: r.opening_float, "money"),
        Column(_("Cash sales"), lambda r: r.cash_sales, "money"),
        Column(_("Cash refunds"), lambda r: r.cash_refunds, "money"),
        Column(_("Cash in"), lambda r: r.cash_in, "money"),
        Column(_("Cash out"), lambda r: r.cash_out, "money"),
        Column(_("Expected"), lambda r: r.expected, "money"),
        Column(_("Counted"), lambda r: r.counted, "money"),
        Column(_("Difference"), lambda r: r.difference, "money"),
    ]


class CashHistorySection(QWidget):
    """Cash sessions"""

    loaded = QtSignal(object)  # tuple of CashSessionLine

    def __init__(
        self,
        tasks: TaskManager,
        ctx: ErpContext,
        store: TillStore | None = None,
        today: date | None = None,
    ) -> None:
        super().__init__()
        self.tasks, self.ctx, self.store = tasks, ctx, store
        today = today or date.today()
        start = today - timedelta(days=30)
        self.date_from = QDateEdit(QDate(start.year, start.month, start.day), calendarPopup=True)
        self.date_to = QDateEdit(QDate(today.year, today.month, today.day), calendarPopup=True)
        self.show_button = erp_button(_("Show (F5)"), "F5")
        self.export_button = erp_button(_("Export (Ctrl+E)"), "Ctrl+E")
        self.model = RowsModel(_columns())
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()  # whole titles ("Cash refunds"…); scroll if need be
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.summary = QLabel()
        bar = QHBoxLayout()
        for widget in (self.date_from, self.date_to):
            widget.setMinimumHeight(TOUCH)
            widget.dateChanged.connect(self.reload)
            bar.addWidget(widget)
        bar.addStretch(1)
        bar.addWidget(self.show_button)
        bar.addWidget(self.export_button)
        self.show_button.clicked.connect(self.reload)
        self.export_button.clicked.connect(self.ask_export)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.summary)
        self.reload()

    def reload(self) -> None:
        store = self.store
        first, last = self.date_from.date().toPython(), self.date_to.date().toPython()
        self.tasks.run(lambda: cash_history(store, first, last), self._on_loaded)

    def _on_loaded(self, lines: tuple[CashSessionLine, ...]) -> None:
        self.model.set_rows(lines)
        if self.store is None:
            self.summary.setText(
                _("Cash sessions are kept by each till: open the back office from a till.")
            )
        else:
            self.summary.setText(
                _("{count} sessions of till {till} · total difference {amount}").format(
                    count=len(lines),
                    till=self.store.till,
                    amount=format_money(total_difference(lines)),
                )  # fmt: skip
            )
        self.loaded.emit(lines)

    def ask_export(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(
            self, _("Export"), "", _("Excel (*.xlsx);;CSV (*.csv)")
        )
        if path:
            self.export_to(Path(path))

    def export_to(self, path: Path) -> None:
        columns = _columns()
        rows = [row_values(line, columns) for line in self.model.rows]
        headers = [c.title for c in columns]
        self.tasks.run(lambda: export_table(path, headers, rows, _("Cash sessions")))
