"""Purchase orders: the list, and one order to edit, send, print and receive.

The list (newest first) filters by status and supplier; "New order (Ctrl+N)" makes a draft for
the supplier chosen in the filter. An order opens in place of the list: while it is a draft,
the code field adds products by EAN13, reference or name and the grid edits quantities and
costs; once sent, the code field receives instead — each scan adds one unit to "Receive now"
on its line — and "Receive (F9)" puts the delivery into stock in one transaction.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QGridLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.erp import purchases as po
from app.erp import suppliers
from app.erp.context import ErpContext
from app.erp.purchases import NewLine, PoStatus, PurchaseItem, PurchaseOrder
from app.formatting import format_decimal, format_money
from app.i18n import _
from ui.erp.table_view import TOUCH, ListView, erp_button
from ui.errors import show_error
from ui.tasks import TaskManager

COLUMN_COUNT = 9
ORDERED, COST, RECEIVE_NOW = 3, 5, 8


class PurchasesSection(QWidget):
    """Purchase orders"""

    order_shown = Signal(object)  # PurchaseOrder

    def __init__(self, tasks: TaskManager, ctx: ErpContext) -> None:
        super().__init__()
        self.tasks, self.ctx = tasks, ctx
        self.list = ListView(tasks, ctx, po.fetch_orders, po.order_columns(),
                             title=_("Purchase orders"),
                             placeholder=_("Number or supplier (Ctrl+F)"))  # fmt: skip
        self.status_filter = QComboBox()
        self.status_filter.addItem(_("Any status"), None)
        for status in PoStatus:
            self.status_filter.addItem(status.label, status.value)
        self.supplier_filter = QComboBox()
        self.supplier_filter.addItem(_("Any supplier"), None)
        self.list.add_filter("status", self.status_filter)
        self.list.add_filter("id_supplier", self.supplier_filter)
        self.new_button = erp_button(_("New order (Ctrl+N)"), "Ctrl+N")
        self.new_button.clicked.connect(self.new_order)
        self.list.add_button(self.new_button)
        self.list.row_activated.connect(lambda order: self.open_order(order.id_order))
        self.editor = OrderEditor(tasks, ctx)
        self.editor.closed.connect(self.show_list)
        self.editor.changed.connect(lambda _order: self.list.refresh())
        self.editor.loaded.connect(self.order_shown.emit)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.list)
        self.stack.addWidget(self.editor)
        QVBoxLayout(self).addWidget(self.stack)
        tasks.run(lambda: suppliers.list_suppliers(ctx), self._on_suppliers)
        self.list.reload()

    def _on_suppliers(self, found: list[suppliers.SupplierSummary]) -> None:
        for supplier in found:
            self.supplier_filter.addItem(supplier.name, supplier.id_supplier)

    def new_order(self) -> None:
        id_supplier = self.supplier_filter.currentData()
        if not id_supplier:
            self.list.status.setText(_("Choose the supplier in the filter first."))
            self.supplier_filter.setFocus()
            return
        ctx = self.ctx
        self.tasks.run(lambda: po.create_order(ctx, id_supplier), self._on_created,
                       lambda error: show_error(self, error))  # fmt: skip

    def _on_created(self, order: PurchaseOrder) -> None:
        self.list.refresh()
        self.stack.setCurrentWidget(self.editor)
        self.editor.show_order(order)

    def open_order(self, id_order: int) -> None:
        self.stack.setCurrentWidget(self.editor)
        self.editor.load(id_order)

    def show_list(self) -> None:
        self.stack.setCurrentWidget(self.list)
        self.list.refresh()


class OrderEditor(QWidget):
    loaded = Signal(object)  # PurchaseOrder shown
    changed = Signal(object)  # PurchaseOrder after a write
    received = Signal(object)  # ReceiveResult
    closed = Signal()

    def __init__(self, tasks: TaskManager, ctx: ErpContext) -> None:
        super().__init__()
        self.tasks, self.ctx = tasks, ctx
        self.order: PurchaseOrder | None = None
        self.lines: list[NewLine] = []
        self.receive_now: dict[int, int] = {}
        self.title = QLabel()
        self.title.setStyleSheet("font-size: 18px; font-weight: bold;")
        self.code = QLineEdit()
        self.code.setMinimumHeight(TOUCH)
        self.code.returnPressed.connect(self.on_code)
        self.table = QTableWidget(0, COLUMN_COUNT)
        self.table.setHorizontalHeaderLabels(_headers())
        self.table.verticalHeader().setDefaultSectionSize(TOUCH - 8)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setColumnWidth(1, 260)
        self.table.itemChanged.connect(self._on_item_changed)
        self.totals = QLabel()
        self.message = QLabel()
        self.wholesale = QCheckBox(_("Also set the product's cost price (wholesale price)"))
        self.wholesale.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.buttons = self._buttons()
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.code)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.totals)
        layout.addWidget(self.wholesale)
        layout.addWidget(self.message)
        grid = QGridLayout()  # two rows of four: the editor fits a 1024-pixel window
        for index, button in enumerate(self.buttons.values()):
            grid.addWidget(button, index // 4, index % 4)
        layout.addLayout(grid)
        QShortcut(QKeySequence("Esc"), self, self.closed.emit)
        self._refresh_buttons()

    def _buttons(self) -> dict[str, QWidget]:
        specs = {
            "back": (_("Back (Esc)"), None, self.closed.emit),
            "remove": (_("Remove line (Del)"), "Del", self.remove_line),
            "save": (_("Save (Ctrl+S)"), "Ctrl+S", self.save),
            "send": (_("Mark as sent (F8)"), "F8", self.send),
            "all": (_("Receive all (Ctrl+R)"), "Ctrl+R", self.fill_remaining),
            "receive": (_("Receive (F9)"), "F9", self.receive),
            "pdf": (_("PDF (Ctrl+P)"), "Ctrl+P", self.ask_pdf),
            "cancel": (_("Cancel order (Ctrl+Shift+X)"), "Ctrl+Shift+X", self.cancel),
        }
        buttons: dict[str, QWidget] = {}
        for key, (text, shortcut, slot) in specs.items():
            button = erp_button(text)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.clicked.connect(slot)
            if shortcut:
                action = QShortcut(QKeySequence(shortcut), self)
                action.activated.connect(button.click)  # a disabled button ignores it
            buttons[key] = button
        return buttons

    # --- loading ---------------------------------------------------------------------------

    def load(self, id_order: int) -> None:
        ctx = self.ctx
        self.message.setText(_("Loading…"))
        self.tasks.run(lambda: po.load_order(ctx, id_order), self.show_order, self._failed)

    def show_order(self, order: PurchaseOrder) -> None:
        self.order = order
        self.lines = [line.as_input() for line in order.lines]
        self.receive_now = {}
        self.title.setText(
            _("{number} · {supplier} · {status}").format(
                number=order.number, supplier=order.supplier_name, status=order.status.label
            )
        )
        self.code.setPlaceholderText(
            _("Scan or type a code to receive (Enter)") if order.can_receive
            else _("Scan or type a code or name to add a product (Enter)")
        )  # fmt: skip
        self.message.clear()
        self._fill_table()
        self._refresh_buttons()
        self.code.setFocus()
        self.loaded.emit(order)

    def _failed(self, error: BaseException) -> None:
        self.message.setText(_("Not saved."))
        show_error(self, error)

    def _fill_table(self) -> None:
        order = self.order
        self.table.blockSignals(True)
        self.table.setRowCount(len(self.lines))
        for index, line in enumerate(self.lines):
            received = order.lines[index].received if order and index < len(order.lines) else 0
            line_id = order.lines[index].id_line if order and index < len(order.lines) else 0
            total = (line.unit_cost * line.quantity).quantize(Decimal("0.01"))
            values = (line.supplier_reference or line.reference, line.name, line.ean13,
                      str(line.quantity), str(received), format_decimal(line.unit_cost, 2),
                      format_decimal(line.tax_rate, 0), format_money(total),
                      str(self.receive_now.get(line_id, 0)))  # fmt: skip
            for column, value in enumerate(values):
                self.table.setItem(index, column, self._cell(value, column))
        self.table.blockSignals(False)
        self._show_totals()

    def _cell(self, value: str, column: int) -> QTableWidgetItem:
        item = QTableWidgetItem(value)
        order = self.order
        editable = order is not None and (
            (order.can_edit and column in (ORDERED, COST))
            or (order.can_receive and column in (COST, RECEIVE_NOW))
        )
        if not editable:
            item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
        if column >= ORDERED:
            item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return item

    def _show_totals(self) -> None:
        total = sum(
            ((x.unit_cost * x.quantity).quantize(Decimal("0.01")) for x in self.lines), Decimal(0)
        )
        units = sum(self.receive_now.values())
        text = _("Total (tax excl.): {total}").format(total=format_money(total))
        if self.order is not None and self.order.can_receive:
            text += " · " + _("Receiving now: {units} units").format(units=units)
        self.totals.setText(text)

    def _refresh_buttons(self) -> None:
        order = self.order
        draft = order is not None and order.can_edit
        receiving = order is not None and order.can_receive
        states = {"back": True, "remove": draft, "save": draft, "send": draft, "all": receiving,
                  "receive": receiving, "pdf": order is not None,
                  "cancel": order is not None and order.can_cancel}  # fmt: skip
        for key, enabled in states.items():
            self.buttons[key].setEnabled(enabled)
        self.wholesale.setVisible(receiving)
        self.code.setEnabled(draft or receiving)

    # --- editing ---------------------------------------------------------------------------

    def _on_item_changed(self, item: QTableWidgetItem) -> None:
        row, column = item.row(), item.column()
        if self.order is None or row >= len(self.lines):
            return
        number = _number(item.text())
        if number is None or number < 0:
            self.message.setText(_("Type a number."))
        elif column == ORDERED:
            self.lines[row] = po.with_quantity(self.lines[row], int(number))
        elif column == COST:
            self.lines[row] = NewLine(**{**vars(self.lines[row]), "unit_cost": number})
        elif column == RECEIVE_NOW and row < len(self.order.lines):
            self.receive_now[self.order.lines[row].id_line] = int(number)
        self._fill_table()

    def on_code(self) -> None:
        text, order = self.code.text().strip(), self.order
        self.code.clear()
        if not text or order is None:
            return
        if order.can_receive:
            self.scan_received(text)
            return
        ctx = self.ctx
        self.tasks.run(
            lambda: po.find_items(ctx, text, order.id_supplier), self._on_items, self._failed
        )

    def scan_received(self, code: str) -> None:
        assert self.order is not None
        line = self.order.line_for_code(code)
        if line is None:
            self.message.setText(_("{code} is not on this order.").format(code=code))
            return
        now = self.receive_now.get(line.id_line, 0)
        if now >= line.remaining:
            self.message.setText(_("All of «{name}» is already counted.").format(name=line.name))
            return
        self.receive_now[line.id_line] = now + 1
        self.message.setText(_("«{name}»: {count} of {left}").format(
            name=line.name, count=now + 1, left=line.remaining))  # fmt: skip
        self._fill_table()

    def _on_items(self, found: list[PurchaseItem]) -> None:
        if not found:
            self.message.setText(_("No product has that code or name."))
            return
        item = found[0] if len(found) == 1 else self._pick(found)
        if item is None:
            return
        ctx = self.ctx
        self.tasks.run(lambda: po.new_line(ctx, item), self.add_line, self._failed)

    def _pick(self, found: list[PurchaseItem]) -> PurchaseItem | None:
        names = [f"{item.name} · {item.reference}" for item in found]
        chosen, ok = QInputDialog.getItem(self, _("Add a product"), _("Product"), names, 0, False)
        return found[names.index(chosen)] if ok else None

    def add_line(self, line: NewLine) -> None:
        for index, existing in enumerate(self.lines):
            if (existing.id_product, existing.id_product_attribute) == (
                line.id_product, line.id_product_attribute):  # fmt: skip
                self.lines[index] = po.with_quantity(existing, existing.quantity + 1)
                break
        else:
            self.lines.append(line)
        self.message.setText(_("«{name}» added; save with Ctrl+S.").format(name=line.name))
        self._fill_table()

    def remove_line(self) -> None:
        row = self.table.currentRow()
        if 0 <= row < len(self.lines):
            del self.lines[row]
            self._fill_table()

    # --- writes ----------------------------------------------------------------------------

    def _write(self, work: object, done: object = None) -> None:
        self.message.setText(_("Saving…"))
        self.tasks.run(work, done or self._on_written, self._failed)  # type: ignore[arg-type]

    def _on_written(self, order: PurchaseOrder) -> None:
        self.show_order(order)
        self.message.setText(_("Saved."))
        self.changed.emit(order)

    def save(self) -> None:
        if self.order is None:
            return
        ctx, order, lines = self.ctx, self.order, list(self.lines)
        self._write(lambda: po.save_lines(ctx, order.id_order, lines, order.date_upd))

    def send(self) -> None:
        if self.order is None:
            return
        ctx, order, lines = self.ctx, self.order, list(self.lines)

        def work() -> PurchaseOrder:
            saved = po.save_lines(ctx, order.id_order, lines, order.date_upd)
            return po.send_order(ctx, order.id_order, saved.date_upd)

        self._write(work)

    def cancel(self) -> None:
        if self.order is None:
            return
        ctx, order = self.ctx, self.order
        self._write(lambda: po.cancel_order(ctx, order.id_order, order.date_upd))

    def fill_remaining(self) -> None:
        if self.order is not None:
            self.receive_now = {line.id_line: line.remaining for line in self.order.lines}
            self._fill_table()

    def receive(self) -> None:
        if self.order is None:
            return
        ctx, order = self.ctx, self.order
        quantities = {k: v for k, v in self.receive_now.items() if v}
        costs = {line.id_line: self.lines[i].unit_cost for i, line in enumerate(order.lines)}
        wholesale = self.wholesale.isChecked()
        self._write(
            lambda: po.receive(
                ctx, order.id_order, quantities, costs=costs, update_wholesale=wholesale
            ),
            self._on_received,
        )

    def _on_received(self, result: po.ReceiveResult) -> None:
        self.show_order(result.order)
        self.message.setText(_("{units} units put into stock.").format(units=result.units))
        self.changed.emit(result.order)
        self.received.emit(result)

    def ask_pdf(self) -> None:
        if self.order is None:
            return
        path, _chosen = QFileDialog.getSaveFileName(
            self, _("Save the order as PDF"), f"{self.order.number}.pdf", _("PDF (*.pdf)")
        )
        if path:
            self.save_pdf(Path(path))

    def save_pdf(self, path: Path) -> None:
        assert self.order is not None
        ctx, id_order = self.ctx, self.order.id_order
        self.tasks.run(lambda: po.write_order_pdf(ctx, id_order, path),
                       lambda done: self.message.setText(_("Saved {name}").format(name=done.name)),
                       self._failed)  # fmt: skip


def _headers() -> list[str]:
    return [
        _("Reference"), _("Product"), _("EAN13"), _("Ordered"), _("Received"), _("Unit cost"),
        _("VAT %"), _("Total"), _("Receive now"),
    ]  # fmt: skip


def _number(text: str) -> Decimal | None:
    cleaned = text.strip().replace(" ", "")
    if "," in cleaned:
        cleaned = cleaned.replace(".", "").replace(",", ".")
    try:
        return Decimal(cleaned)
    except InvalidOperation:
        return None
