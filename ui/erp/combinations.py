"""The combinations grid of one product: reference, EAN13, price impact and stock editable in
place; new combinations from one value per attribute group. Reads and writes on workers."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.erp.context import ErpContext
from app.erp.product_combinations import (
    CombinationEdit,
    CombinationGrid,
    add_combination,
    load_grid,
    save_grid,
)
from app.erp.products import parse_amount, plain_amount
from app.errors import UserFacingError
from app.i18n import _
from ui.erp.table_view import TOUCH, erp_button
from ui.errors import show_error
from ui.tasks import TaskManager

COLUMNS = 5  # combination, reference, EAN13, price impact, stock
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


class CombinationsDialog(QDialog):
    changed = Signal()
    loaded = Signal()

    def __init__(
        self, tasks: TaskManager, ctx: ErpContext, id_product: int, name: str,
        parent: QWidget | None,
    ) -> None:  # fmt: skip
        super().__init__(parent)
        self.tasks, self.ctx, self.id_product = tasks, ctx, id_product
        self.grid: CombinationGrid | None = None
        self.setWindowTitle(_("Combinations of {name}").format(name=name))
        self.resize(900, 600)
        self.table = QTableWidget(0, COLUMNS)
        self.table.setHorizontalHeaderLabels(
            [_("Combination"), _("Reference"), _("EAN13"), _("Price impact"), _("Stock")]
        )
        self.table.verticalHeader().setDefaultSectionSize(TOUCH - 4)
        self.table.horizontalHeader().setStretchLastSection(True)
        for column, width in enumerate((230, 170, 140, 130)):  # an EAN13 shows whole
            self.table.setColumnWidth(column, width)
        self.message = QLabel(_("Loading…"))
        self.attribute_bar = QHBoxLayout()
        self.pickers: list[QComboBox] = []
        self.add_button = erp_button(_("Add combination (Ctrl+N)"), "Ctrl+N")
        self.save_button = erp_button(_("Save (Ctrl+S)"), "Ctrl+S")
        close = erp_button(_("Close (Esc)"))
        self.add_button.clicked.connect(self.add)
        self.save_button.clicked.connect(self.save)
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.message, 1)
        buttons.addWidget(close)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(self.attribute_bar)
        layout.addLayout(buttons)
        self._run(lambda: load_grid(ctx, id_product), changed=False)

    def _run(self, work: Callable[[], CombinationGrid], *, changed: bool) -> None:
        self.save_button.setEnabled(False)
        self.add_button.setEnabled(False)
        self.tasks.run(work, lambda grid: self.on_grid(grid, changed), self.on_failed)

    def on_grid(self, grid: CombinationGrid, changed: bool) -> None:
        first = self.grid is None
        self.grid = grid
        if first:
            self._build_pickers(grid)
        self.table.setRowCount(len(grid.rows))
        for index, row in enumerate(grid.rows):
            label = row.label + (" ★" if row.default else "")
            texts = (label, row.reference, row.ean13, plain_amount(row.price_impact),
                     str(row.quantity))  # fmt: skip
            for column, text in enumerate(texts):
                item = QTableWidgetItem(text)
                if column == 0:
                    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                elif column >= 3:
                    item.setTextAlignment(RIGHT)
                self.table.setItem(index, column, item)
        self.save_button.setEnabled(bool(grid.rows))
        self.add_button.setEnabled(True)
        self.message.setText(_("Saved.") if changed else "")
        if changed:
            self.changed.emit()
        self.loaded.emit()

    def _build_pickers(self, grid: CombinationGrid) -> None:
        for group in grid.groups:
            combo = QComboBox()
            combo.setMinimumHeight(TOUCH)
            combo.addItem(_("{group}: —").format(group=group.name), 0)
            for value in group.values:
                combo.addItem(f"{group.name}: {value.name}", value.id)
            self.pickers.append(combo)
            self.attribute_bar.addWidget(combo)
        self.attribute_bar.addWidget(self.add_button)

    def on_failed(self, error: BaseException) -> None:
        self.save_button.setEnabled(self.grid is not None and bool(self.grid.rows))
        self.add_button.setEnabled(self.grid is not None)
        self.message.setText(getattr(error, "message", "") or _("Not saved."))
        show_error(self, error)

    def edits(self) -> list[CombinationEdit]:
        assert self.grid is not None
        found = []
        for index, row in enumerate(self.grid.rows):
            text = [self._text(index, column) for column in range(1, COLUMNS)]
            try:
                quantity = int(text[3])
            except ValueError as error:
                message = _("{text} is not a quantity.").format(text=text[3])
                raise UserFacingError(message) from error
            found.append(CombinationEdit(row.id_product_attribute, text[0], text[1],
                                         parse_amount(text[2]).quantize(Decimal("0.000001")),
                                         quantity))  # fmt: skip
        return found

    def _text(self, row: int, column: int) -> str:
        item = self.table.item(row, column)
        return item.text().strip() if item is not None else ""

    def save(self) -> None:
        if self.grid is None:
            return
        try:
            edits = self.edits()
        except UserFacingError as error:
            show_error(self, error)
            return
        ctx, id_product, loaded = self.ctx, self.id_product, self.grid.date_upd
        self._run(lambda: save_grid(ctx, id_product, edits, loaded), changed=True)

    def add(self) -> None:
        if self.grid is None:
            return
        attributes = [int(c.currentData()) for c in self.pickers if c.currentData()]
        values = CombinationEdit(0, "", "", Decimal(0), 0)
        ctx, id_product, loaded = self.ctx, self.id_product, self.grid.date_upd
        self._run(
            lambda: add_combination(ctx, id_product, attributes, values, loaded), changed=True
        )
