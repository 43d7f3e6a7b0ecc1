"""Reports: sales by day, hour, product, category, employee, payment method and till, with a
chart beside the table, the comparison with the previous period and CSV/XLSX export."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from PySide6.QtCore import QDate, Qt
from PySide6.QtCore import Signal as QtSignal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.erp.context import ErpContext
from app.erp.exports import export_table
from app.erp.listing import Column
from app.erp.reports import (
    KINDS,
    Report,
    ReportKind,
    ReportRequest,
    ReportRow,
    kind_title,
    recalculate_sales_days,
    run_report,
)
from app.formatting import format_money
from app.i18n import _
from ui.erp.charts import ReportChart
from ui.erp.table_view import TOUCH, RowsModel, erp_button
from ui.errors import show_error
from ui.tasks import TaskManager

PERIODS = ("this_month", "last_month", "this_year", "last_30", "custom")


def period_dates(period: str, today: date) -> tuple[date, date]:
    """First and last day of a named period (``custom`` is not one of them)."""
    if period == "this_month":
        return today.replace(day=1), today
    if period == "last_month":
        last = today.replace(day=1) - timedelta(days=1)
        return last.replace(day=1), last
    if period == "this_year":
        return today.replace(month=1, day=1), today
    return today - timedelta(days=29), today


def _period_title(period: str) -> str:
    return {
        "this_month": _("This month"), "last_month": _("Last month"),
        "this_year": _("This year"), "last_30": _("Last 30 days"), "custom": _("Custom dates"),
    }[period]  # fmt: skip


@dataclass(frozen=True)
class _Col:
    title: str
    get: Callable[[ReportRow], object]
    kind: str = "money"


class ReportsSection(QWidget):
    """Reports"""

    report_shown = QtSignal(object)  # the Report
    exported = QtSignal(str, int)

    def __init__(self, tasks: TaskManager, ctx: ErpContext, today: date | None = None) -> None:
        super().__init__()
        self.tasks, self.ctx = tasks, ctx
        self.today = today or date.today()
        self.report: Report | None = None
        self._serial = 0
        self._build()
        self.run()

    def _build(self) -> None:
        self.kind = QComboBox()
        for kind in KINDS:
            self.kind.addItem(kind_title(kind), kind)
        self.period = QComboBox()
        for period in PERIODS:
            self.period.addItem(_period_title(period), period)
        self.date_from, self.date_to = QDateEdit(calendarPopup=True), QDateEdit(calendarPopup=True)
        self.compare = QCheckBox(_("Compare with previous period (Ctrl+K)"))
        self.compare.setShortcut("Ctrl+K")
        self.run_button = erp_button(_("Show (F5)"), "F5")
        self.export_button = erp_button(_("Export (Ctrl+E)"), "Ctrl+E")
        self.recalc_button = erp_button(_("Recalculate (Ctrl+Shift+R)"), "Ctrl+Shift+R")
        self.recalc_button.setToolTip(
            _("Rebuild the sales by day from every order, e.g. after orders were edited in "
              "PrestaShop's back office.")
        )  # fmt: skip
        self.recalc_button.clicked.connect(self.recalculate)
        self._note = ""
        for widget in (self.kind, self.period, self.date_from, self.date_to, self.compare):
            widget.setMinimumHeight(TOUCH)
        self.kind.currentIndexChanged.connect(self.run)
        self.period.currentIndexChanged.connect(self._on_period)
        self.compare.toggled.connect(self.run)
        self.date_from.dateChanged.connect(self._on_custom_date)
        self.date_to.dateChanged.connect(self._on_custom_date)
        self.run_button.clicked.connect(self.run)
        self.export_button.clicked.connect(self.ask_export)
        self._set_dates(*period_dates("this_month", self.today))
        self.model = RowsModel([])
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.verticalHeader().hide()
        self.chart = ReportChart()
        self.summary = QLabel()
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.summary.setWordWrap(True)
        self._layout()

    def _layout(self) -> None:
        bar = QHBoxLayout()
        for widget in (self.kind, self.period, self.date_from, self.date_to, self.compare):
            bar.addWidget(widget)
        bar.addStretch(1)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.table)
        split.addWidget(self.chart)
        split.setSizes([520, 480])
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(split, 1)
        foot = QHBoxLayout()
        foot.addWidget(self.summary, 1)  # buttons below: the window fits 1024 pixels
        for button in (self.recalc_button, self.run_button, self.export_button):
            foot.addWidget(button)
        layout.addLayout(foot)

    # --- request --------------------------------------------------------------------------

    def _set_dates(self, first: date, last: date) -> None:
        for widget, day in ((self.date_from, first), (self.date_to, last)):
            widget.blockSignals(True)
            widget.setDate(QDate(day.year, day.month, day.day))
            widget.blockSignals(False)

    def _on_period(self) -> None:
        period = str(self.period.currentData())
        if period != "custom":
            self._set_dates(*period_dates(period, self.today))
            self.run()

    def _on_custom_date(self) -> None:
        self.period.blockSignals(True)
        self.period.setCurrentIndex(PERIODS.index("custom"))
        self.period.blockSignals(False)
        self.run()

    def request(self) -> ReportRequest:
        first, last = self.date_from.date().toPython(), self.date_to.date().toPython()
        if last < first:
            first, last = last, first
        kind: ReportKind = self.kind.currentData()
        return ReportRequest(kind, first, last, self.compare.isChecked())

    def run(self) -> None:
        self._serial += 1
        serial, ctx, request = self._serial, self.ctx, self.request()
        self.summary.setText(_("Loading…"))
        self.tasks.run(
            lambda: run_report(ctx, request),
            lambda report: self._on_report(serial, report),
            lambda error: self._on_failure(serial, error),
        )

    def recalculate(self) -> None:
        """Rebuild the sales-by-day summary from the orders, then show the report again."""
        ctx = self.ctx
        self.recalc_button.setEnabled(False)
        self.summary.setText(_("Recalculating the sales by day…"))
        self.tasks.run(
            lambda: recalculate_sales_days(ctx), self._on_recalculated, self._on_recalc_failure
        )

    def _on_recalculated(self, done: bool) -> None:
        self.recalc_button.setEnabled(True)
        self._note = "" if done else _(
            "Sales by day are read from the orders: the shop's database user may not create "
            "Mostrador's summary table."
        )  # fmt: skip
        self.run()

    def _on_recalc_failure(self, error: BaseException) -> None:
        self.recalc_button.setEnabled(True)
        self._on_failure(self._serial, error)

    def _on_failure(self, serial: int, error: BaseException) -> None:
        if serial == self._serial:
            self.summary.setText(_("Could not make the report."))
        show_error(self, error)

    # --- result ---------------------------------------------------------------------------

    def _on_report(self, serial: int, report: Report) -> None:
        if serial != self._serial:
            return
        self.report = report
        columns = [Column(c.title, c.get, c.kind) for c in self.columns()]  # type: ignore[arg-type]
        self.model = RowsModel(columns)
        self.model.set_rows(report.rows)
        self.table.setModel(self.model)
        self._draw(report)
        self.summary.setText(self._summary(report))
        self.report_shown.emit(report)

    def columns(self) -> list[_Col]:
        kind = self.report.request.kind if self.report else "day"
        found = [_Col(_label_title(kind), lambda r: r.label, "text"),
                 _Col(_("Orders"), lambda r: r.orders, "int")]  # fmt: skip
        if kind in ("product", "category"):
            found.append(_Col(_("Units"), lambda r: r.quantity, "int"))
        found += [
            _Col(_("Sales (tax excl.)"), lambda r: r.sales_tax_excl),
            _Col(_("Sales"), lambda r: r.sales_tax_incl),
            _Col(_("Refunds"), lambda r: r.refunds_tax_incl),
            _Col(_("Net sales"), lambda r: r.net_tax_incl),
        ]
        if kind in ("product", "category"):
            found += [_Col(_("Cost"), lambda r: r.cost), _Col(_("Margin"), lambda r: r.margin)]
        if self.report and self.report.request.compare:
            found.append(_Col(_("Previous period"), lambda r: r.previous_net_tax_incl))
        return found

    def _draw(self, report: Report) -> None:
        kind = report.request.kind
        labels = [_chart_label(kind, row.label) for row in report.rows]
        values = [float(row.net_tax_incl) for row in report.rows]
        previous = None
        if report.request.compare:
            previous = [float(row.previous_net_tax_incl or 0) for row in report.rows]
        self.chart.show_series(
            labels, values, previous, "line" if kind in ("day", "hour") else "bars",
            name=_("Net sales"), previous_name=_("Previous period"),
        )  # fmt: skip

    def _summary(self, report: Report) -> str:
        text = _("Net sales: {amount} in {orders} orders").format(
            amount=format_money(report.total.net_tax_incl), orders=report.total.orders
        )
        if report.previous_total is not None:
            text += " · " + _("previous period: {amount}").format(
                amount=format_money(report.previous_total.net_tax_incl)
            )
            change = report.change_percent
            if change is not None:
                text += f" ({'+' if change >= 0 else ''}{change} %)"
        return f"{text} · {self._note}" if self._note else text

    # --- export ---------------------------------------------------------------------------

    def ask_export(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(
            self, _("Export"), "", _("Excel (*.xlsx);;CSV (*.csv)")
        )
        if path:
            self.export_to(Path(path))

    def export_to(self, path: Path) -> None:
        report = self.report
        if report is None:
            return
        columns = self.columns()
        headers = [c.title for c in columns]
        rows = [[c.get(row) for c in columns] for row in (*report.rows, report.total)]
        title = kind_title(report.request.kind)
        self.tasks.run(
            lambda: export_table(path, headers, rows, title),
            lambda count: self.exported.emit(str(path), count),
        )


def _label_title(kind: ReportKind) -> str:
    return {
        "day": _("Day"), "hour": _("Hour"), "product": _("Product"), "category": _("Category"),
        "employee": _("Employee"), "payment": _("Payment method"), "till": _("Till"),
    }[kind]  # fmt: skip


def _chart_label(kind: ReportKind, label: str) -> str:
    if kind == "day" and len(label) == 10:
        return f"{label[8:10]}/{label[5:7]}"
    return label
