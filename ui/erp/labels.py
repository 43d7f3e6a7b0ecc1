"""Barcode labels: pick products (scan or type a code or a name), say how many of each, then
an A4 sheet of labels as PDF or the labels on a label/receipt printer.

Other sections can hand products over with :meth:`LabelsSection.add_products`.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.erp import labels
from app.erp.context import ErpContext
from app.erp.labels import LabelItem, SheetLayout
from app.formatting import format_money
from app.i18n import _
from printing.backends import PrintResult
from ui.erp.table_view import TOUCH, erp_button
from ui.errors import show_error
from ui.tasks import TaskManager

COPIES = 4  # column of the copies


class LabelsSection(QWidget):
    """Labels"""

    items_changed = Signal(int)  # number of label lines
    done = Signal(str)  # what happened (PDF saved, printed…)

    def __init__(self, tasks: TaskManager, ctx: ErpContext) -> None:
        super().__init__()
        self.tasks, self.ctx = tasks, ctx
        self.items: list[LabelItem] = []
        self.copies: list[int] = []
        self.code = QLineEdit(placeholderText=_("Scan or type a code or name, then Enter"))
        self.code.setMinimumHeight(TOUCH)
        self.code.returnPressed.connect(self.on_code)
        self.table = QTableWidget(0, 5)
        self.table.setHorizontalHeaderLabels(
            [_("Product"), _("Reference"), _("EAN13"), _("Price"), _("Copies")]
        )
        self.table.setColumnWidth(0, 320)
        self.table.verticalHeader().setDefaultSectionSize(TOUCH - 8)
        self.table.itemChanged.connect(self._on_copies)
        self.message = QLabel()
        layout = QVBoxLayout(self)
        layout.addWidget(self.code)
        layout.addWidget(self.table, 1)
        layout.addLayout(self._settings())
        layout.addWidget(self.message)
        layout.addLayout(self._buttons())

    def _settings(self) -> QHBoxLayout:
        default = SheetLayout()
        self.columns, self.rows, self.start = QSpinBox(), QSpinBox(), QSpinBox()
        for spin, value, top in ((self.columns, default.columns, 10),
                                 (self.rows, default.rows, 30), (self.start, 1, 300)):  # fmt: skip
            spin.setRange(1, top)
            spin.setValue(value)
        self.width_mm, self.height_mm = QDoubleSpinBox(), QDoubleSpinBox()
        for spin, value in ((self.width_mm, default.width), (self.height_mm, default.height)):
            spin.setRange(10, 297)
            spin.setSuffix(" mm")
            spin.setValue(value)
        self.printer = QLineEdit(placeholderText=_("e.g. tcp:192.168.1.50 or usb:0x0416:0x5011"))
        sheet, device = QFormLayout(), QFormLayout()
        sheet.addRow(_("Columns × rows"), _pair(self.columns, self.rows))
        sheet.addRow(_("Label size"), _pair(self.width_mm, self.height_mm))
        sheet.addRow(_("Start at label"), self.start)
        device.addRow(_("Label printer"), self.printer)
        for widget in (self.columns, self.rows, self.start, self.width_mm, self.height_mm,
                       self.printer):  # fmt: skip
            widget.setMinimumHeight(TOUCH)
        row = QHBoxLayout()
        row.addLayout(sheet)
        row.addLayout(device)
        return row

    def _buttons(self) -> QHBoxLayout:
        row = QHBoxLayout()
        specs = ((_("Remove (Del)"), "Del", self.remove_selected),
                 (_("Clear (Ctrl+Shift+Del)"), "Ctrl+Shift+Del", self.clear),
                 (_("A4 sheet PDF (Ctrl+P)"), "Ctrl+P", self.ask_pdf),
                 (_("Label printer (Ctrl+L)"), "Ctrl+L", self.print_labels))  # fmt: skip
        for text, key, slot in specs:
            button = erp_button(text)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.clicked.connect(slot)
            QShortcut(QKeySequence(key), self, button.click)
            row.addWidget(button)
        return row

    # --- items -----------------------------------------------------------------------------

    def on_code(self) -> None:
        text, ctx = self.code.text().strip(), self.ctx
        self.code.clear()
        if text:
            self.tasks.run(lambda: labels.find_label_items(ctx, text), self._on_found, self._failed)

    def add_products(
        self, products: list[int], combos: list[tuple[int, int]] | None = None
    ) -> None:
        """Add labels for whole products (every combination) and single combinations."""
        ctx, pairs = self.ctx, list(combos or [])
        self.tasks.run(
            lambda: labels.label_items(ctx, products, pairs), self.add_items, self._failed
        )

    def _on_found(self, found: list[LabelItem]) -> None:
        if not found:
            self.message.setText(_("No product has that code or name."))
        elif len(found) == 1:
            self.add_items(found)
        else:
            names = [f"{item.name} · {item.reference}" for item in found]
            chosen, ok = QInputDialog.getItem(self, _("Labels"), _("Product"), names, 0, False)
            if ok:
                self.add_items([found[names.index(chosen)]])

    def add_items(self, found: list[LabelItem]) -> None:
        for item in found:
            if item in self.items:
                self.copies[self.items.index(item)] += 1
            else:
                self.items.append(item)
                self.copies.append(1)
        self._fill()
        self.code.setFocus()

    def _fill(self) -> None:
        self.table.blockSignals(True)
        self.table.setRowCount(len(self.items))
        for row, (item, copies) in enumerate(zip(self.items, self.copies, strict=True)):
            values = (
                item.name,
                item.reference,
                item.ean13,
                format_money(item.price_ti),
                str(copies),
            )
            for column, value in enumerate(values):
                cell = QTableWidgetItem(value)
                if column != COPIES:
                    cell.setFlags(cell.flags() & ~Qt.ItemFlag.ItemIsEditable)
                self.table.setItem(row, column, cell)
        self.table.blockSignals(False)
        total = sum(self.copies)
        self.message.setText(_("{count} labels").format(count=total))
        self.items_changed.emit(len(self.items))

    def _on_copies(self, cell: QTableWidgetItem) -> None:
        if cell.column() == COPIES and cell.row() < len(self.copies):
            text = cell.text().strip()
            self.copies[cell.row()] = int(text) if text.isdigit() else self.copies[cell.row()]
            self._fill()

    def remove_selected(self) -> None:
        row = self.table.currentRow()
        if 0 <= row < len(self.items):
            del self.items[row]
            del self.copies[row]
            self._fill()

    def clear(self) -> None:
        self.items, self.copies = [], []
        self._fill()

    # --- output ----------------------------------------------------------------------------

    def chosen(self) -> list[tuple[LabelItem, int]]:
        return list(zip(self.items, self.copies, strict=True))

    def layout_settings(self) -> SheetLayout:
        return SheetLayout(columns=self.columns.value(), rows=self.rows.value(),
                           width=self.width_mm.value(), height=self.height_mm.value())  # fmt: skip

    def ask_pdf(self) -> None:
        path, _chosen = QFileDialog.getSaveFileName(
            self, _("Save the labels as PDF"), "labels.pdf", _("PDF (*.pdf)")
        )
        if path:
            self.save_pdf(Path(path))

    def save_pdf(self, path: Path) -> None:
        chosen, sheet, start = self.chosen(), self.layout_settings(), self.start.value()

        def work() -> Path:
            path.write_bytes(labels.label_sheet_pdf(chosen, sheet, start))
            return path

        self.tasks.run(work, lambda done: self._done(_("Saved {name}").format(name=done.name)),
                       self._failed)  # fmt: skip

    def print_labels(self) -> None:
        printer = self.printer.text().strip()
        if not printer:
            self.message.setText(_("Type the label printer first."))
            self.printer.setFocus()
            return
        chosen = self.chosen()
        self.message.setText(_("Printing…"))
        self.tasks.run(lambda: labels.print_labels(chosen, printer), self._on_printed, self._failed)

    def _on_printed(self, result: PrintResult) -> None:
        self._done(result.message)

    def _done(self, text: str) -> None:
        self.message.setText(text)
        self.done.emit(text)

    def _failed(self, error: BaseException) -> None:
        self.message.setText(_("Not done."))
        show_error(self, error)


def _pair(first: QWidget, second: QWidget) -> QWidget:
    box = QWidget()
    row = QHBoxLayout(box)
    row.setContentsMargins(0, 0, 0, 0)
    row.addWidget(first)
    row.addWidget(QLabel("×"))
    row.addWidget(second)
    return box
