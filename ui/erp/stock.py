"""Stock section of the ERP window: the stock list (low stock with a threshold) and
adjustments with a reason, each written with its stock movement."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.erp.context import ErpContext
from app.erp.listing import Column
from app.erp.stock import DEFAULT_LOW, Adjusted, Reason, StockLine, adjust, reasons, stock_page
from app.formatting import format_int
from app.i18n import _
from ui.erp.table_view import TOUCH, ListView, erp_button
from ui.tasks import TaskManager

MAX_UNITS = 100_000


def stock_columns() -> list[Column[StockLine]]:
    return [
        Column(_("Product"), lambda s: s.id_product, "int", 70),
        Column(_("Reference"), lambda s: s.reference, width=150),
        Column(_("EAN13"), lambda s: s.ean13, width=130),
        Column(_("Name"), lambda s: s.name, width=330),
        Column(_("Available"), lambda s: s.quantity, "int", 90),
        Column(_("Reserved"), lambda s: s.reserved, "int", 90),
        Column(_("Physical"), lambda s: s.physical, "int", 90),
    ]


class StockSection(QWidget):
    """Stock"""

    adjusted = Signal(object)  # Adjusted

    def __init__(self, tasks: TaskManager, ctx: ErpContext) -> None:
        super().__init__()
        self.tasks, self.ctx = tasks, ctx
        self.list = ListView(tasks, ctx, stock_page, stock_columns(), title=_("Stock"))
        self.low = QCheckBox(_("Only low stock (Ctrl+L)"))
        self.low.setShortcut("Ctrl+L")
        self.threshold = QSpinBox(minimum=-MAX_UNITS, maximum=MAX_UNITS, value=DEFAULT_LOW)
        self.threshold.setPrefix(_("at most "))
        self.list.add_filter("low", self.low)
        self.list.add_filter("threshold", self.threshold)
        self.delta = QSpinBox(minimum=-MAX_UNITS, maximum=MAX_UNITS, value=0)
        self.delta.setMinimumHeight(TOUCH)
        self.delta.setPrefix(_("units ± "))
        self.reason = QComboBox()
        self.reason.setMinimumHeight(TOUCH)
        self.reason.addItem(_("Manual edit (automatic reason)"), 0)
        self.reason.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.reason.setMinimumContentsLength(18)
        self.adjust_button = erp_button(_("Adjust stock (Ctrl+Enter)"), "Ctrl+Return")
        self.adjust_button.clicked.connect(self.adjust_selected)
        self.result = QLabel()
        bar = QHBoxLayout()
        for widget in (QLabel(_("Adjust the selected item:")), self.delta, self.reason,
                       self.adjust_button):  # fmt: skip
            bar.addWidget(widget)
        bar.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.list, 1)
        layout.addLayout(bar)
        layout.addWidget(self.result)
        tasks.run(lambda: reasons(ctx), self.on_reasons)
        self.list.reload()

    def on_reasons(self, found: list[Reason]) -> None:
        for reason in found:
            sign = "+" if reason.sign > 0 else "−"
            self.reason.addItem(f"{sign} {reason.name}", reason.id)

    def adjust_selected(self) -> None:
        line = self.list.selected_row()
        delta = self.delta.value()
        if line is None or not delta:
            self.result.setText(_("Pick an item and type the units to add or remove."))
            return
        ctx, id_reason = self.ctx, int(self.reason.currentData() or 0)
        key = (line.id_product, line.id_product_attribute)
        self.adjust_button.setEnabled(False)
        self.tasks.run(
            lambda: adjust(ctx, key[0], key[1], delta, id_reason),
            self.on_adjusted,
            self.on_failed,
        )

    def on_adjusted(self, done: Adjusted) -> None:
        self.adjust_button.setEnabled(True)
        self.delta.setValue(0)
        self.result.setText(
            _("{name}: now {quantity} available.").format(
                name=done.line.name, quantity=format_int(done.line.quantity)
            )
        )
        self.list.refresh()
        self.adjusted.emit(done)

    def on_failed(self, error: BaseException) -> None:
        from ui.errors import show_error

        self.adjust_button.setEnabled(True)
        show_error(self, error)
