"""The returns screen: scan or type the sale's number, choose what comes back, refund it.

``ReturnsScreen(tasks)`` is a QWidget for the main window's screen stack:

* ``show_for(runtime)`` empties it and puts the focus on the number field; ``load(number)``
  looks a sale up as if it had been scanned (e.g. from a list of the last tickets).
* The field keeps the focus: the receipt's QR code (or its number typed) + Enter shows the sale:
  each line with the units sold, already returned and still returnable, and a − / + quantity
  (0 up to what is returnable). "Return all (F5)" takes everything left; "Put back on sale (F6)"
  (on by default) restocks the units; the refund goes back in cash (F8) or the way the sale was
  paid (F7, offered when it was not all cash). The amount to refund updates live, priced exactly
  as sold (``app.sale.returns``).
* "Refund (F12)" records the refund on the till-store writer; :attr:`refund_recorded` then
  carries the refund ``Ticket`` (for the owner to print). "Back (Esc)" emits :attr:`done`.

An unknown number, a refund's number, a sale already fully refunded or more units than are left
are said in the message line; nothing is recorded.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.errors import UserFacingError
from app.formatting import format_int, format_money
from app.i18n import _, ngettext
from app.sale.returns import ORIGINAL
from app.till.records import Ticket
from app.till_ops import ReturnableLine, ReturnContext, load_return, record_return, refund_preview
from app.till_runtime import TillRuntime
from ui.errors import show_error
from ui.tasks import TaskManager
from ui.tpv.cash_screens import BIG_STYLE, PRIMARY_STYLE, MessageLine, touch_button

NAME, PRICE, SOLD, RETURNED, LEFT, QUANTITY = range(6)
METHOD_KEYS = {ORIGINAL: "F7", "cash": "F8"}


class QuantityCell(QWidget):
    """− [units] + for one line, from 0 to what it can still give back."""

    changed = Signal()
    over_asked = Signal(int)  # the line's returnable units

    def __init__(self, line: ReturnableLine) -> None:
        super().__init__()
        self.line = line
        self.spin = QSpinBox()
        self.spin.setRange(0, line.returnable)
        self.spin.setButtonSymbols(QSpinBox.ButtonSymbols.NoButtons)
        self.spin.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.spin.setFixedSize(56, 44)
        self.spin.setStyleSheet("font-size: 20px;")
        self.spin.valueChanged.connect(lambda _value: self.changed.emit())
        self.minus = touch_button("−", height=44, style="font-size: 22px; min-width: 48px;")
        self.minus.setFixedWidth(48)
        self.minus.clicked.connect(lambda: self.spin.stepBy(-1))
        self.plus = touch_button("+", height=44, style="font-size: 22px; min-width: 48px;")
        self.plus.setFixedWidth(48)
        self.plus.clicked.connect(self.on_plus)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        for widget in (self.minus, self.spin, self.plus):
            layout.addWidget(widget)
        self.setEnabled(line.returnable > 0)

    @property
    def quantity(self) -> int:
        return self.spin.value()

    def on_plus(self) -> None:
        if self.spin.value() >= self.line.returnable:
            self.over_asked.emit(self.line.returnable)
            return
        self.spin.stepBy(1)


def _cell(text: str, align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignRight) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setTextAlignment(align | Qt.AlignmentFlag.AlignVCenter)
    return item


def _lines_table() -> QTableWidget:
    headers = [_("Product"), _("Price"), _("Sold"), _("Back"), _("Left"), _("Return")]
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the number field keeps the focus
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
    table.setStyleSheet("font-size: 17px;")
    table.verticalHeader().hide()
    table.verticalHeader().setDefaultSectionSize(56)
    table.setWordWrap(True)  # long product names on two lines
    header = table.horizontalHeader()
    header.setStyleSheet("font-size: 15px; font-weight: 600;")
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(NAME, QHeaderView.ResizeMode.Stretch)
    return table


class ReturnsScreen(QWidget):
    refund_recorded = Signal(object)  # Ticket (the refund)
    done = Signal()

    def __init__(self, tasks: TaskManager) -> None:
        super().__init__()
        self.tasks = tasks
        self.runtime: TillRuntime | None = None
        self.context: ReturnContext | None = None
        self.cells: list[QuantityCell] = []
        self.busy = False
        self._seq = 0
        self.number = QLineEdit()
        self.number.setMinimumHeight(52)
        self.number.setStyleSheet("font-size: 22px; padding: 4px 10px;")
        self.number.setPlaceholderText(_("Scan the receipt's code or type the ticket number"))
        self.number.setClearButtonEnabled(True)
        self.number.returnPressed.connect(self.on_number_entered)
        self.ticket_label = QLabel()
        self.ticket_label.setWordWrap(True)
        self.ticket_label.setStyleSheet("font-size: 17px; color: #333;")
        self.table = _lines_table()
        left = QVBoxLayout()
        left.addWidget(self.number)
        left.addWidget(self.ticket_label)
        left.addWidget(self.table, 1)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.addLayout(left, 1)
        layout.addWidget(self._build_side())
        self.clear()

    def _build_side(self) -> QFrame:
        self.all_button = touch_button(_("Return all (F5)"), "F5")
        self.all_button.clicked.connect(self.on_return_all)
        self.restock = QCheckBox(_("Put back on sale (F6)"))
        self.restock.setShortcut("F6")
        self.restock.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.restock.setMinimumHeight(44)
        self.restock.setStyleSheet("font-size: 17px;")
        self.restock.toggled.connect(lambda _on: self.refresh_total())
        self.methods = QButtonGroup(self)
        self.methods.setExclusive(True)
        self.methods.buttonToggled.connect(lambda _b, _on: self.refresh_total())
        self.methods_box = QVBoxLayout()
        self.total_label = QLabel()
        self.total_label.setWordWrap(True)
        self.total_label.setStyleSheet(BIG_STYLE)
        self.payments_label = QLabel()
        self.payments_label.setWordWrap(True)
        self.payments_label.setStyleSheet("font-size: 17px;")
        self.message = MessageLine()
        self.message.setMinimumHeight(90)
        self.refund_button = touch_button(_("Refund (F12)"), "F12", height=72, style=PRIMARY_STYLE)
        self.refund_button.clicked.connect(self.on_refund_requested)
        back = touch_button(_("Back (Esc)"), "Esc", height=52)
        back.clicked.connect(self.done.emit)
        frame = QFrame()
        frame.setFixedWidth(330)
        side = QVBoxLayout(frame)
        side.setContentsMargins(0, 0, 0, 0)
        side.addWidget(self.all_button)
        side.addWidget(self.restock)
        side.addLayout(self.methods_box)
        side.addWidget(self.total_label)
        side.addWidget(self.payments_label)
        side.addWidget(self.message)
        side.addStretch(1)
        side.addWidget(self.refund_button)
        side.addWidget(back)
        return frame

    # --- finding the sale ---------------------------------------------------------------

    def show_for(self, runtime: TillRuntime) -> None:
        self.runtime = runtime
        self.clear()
        self.message.show_message("info", _("Scan the receipt's code or type its number."))
        self.number.setFocus()

    def on_number_entered(self) -> None:
        number = self.number.text().strip()
        if number:
            self.load(number)

    def load(self, number: str) -> None:
        runtime = self.runtime
        if runtime is None or self.busy:
            return
        self._seq += 1
        seq = self._seq
        self.message.show_message("info", _("Looking for ticket {number}…").format(number=number))
        self.tasks.run(
            lambda: load_return(runtime, number),
            lambda context: self._if_current(seq, lambda: self.on_loaded(context)),
            lambda error: self._if_current(seq, lambda: self.on_failed(error, clear=True)),
        )

    def _if_current(self, seq: int, apply: Callable[[], None]) -> None:
        if seq == self._seq:  # else another number was scanned meanwhile
            apply()

    def on_loaded(self, context: ReturnContext) -> None:
        self.context = context
        self.number.clear()
        ticket = context.ticket
        paid = " + ".join(f"{p.label} {format_money(p.amount)}" for p in ticket.payments)
        self.ticket_label.setText(
            _("Ticket {number} · {when} · {total} · paid {paid}").format(
                number=ticket.number,
                when=ticket.created_at.strftime("%d/%m/%Y %H:%M"),
                total=format_money(ticket.total_tax_incl),
                paid=paid,
            )
        )
        self._fill_table(context)
        self._fill_methods(context)
        self.restock.setChecked(True)
        if context.fully_returned:
            self.message.show_message("warning", _(
                "Everything on ticket {number} has already been refunded.").format(
                number=ticket.number))  # fmt: skip
        else:
            self.message.show_message(
                "info", _("Choose what comes back: + on each line, or Return all (F5).")
            )
        self.refresh_total()
        self.number.setFocus()

    def _fill_table(self, context: ReturnContext) -> None:
        self.table.setRowCount(len(context.lines))
        self.cells = []
        for row, line in enumerate(context.lines):
            self.table.setItem(row, NAME, _cell(line.name, Qt.AlignmentFlag.AlignLeft))
            self.table.setItem(row, PRICE, _cell(format_money(line.unit_price)))
            for column, units in ((SOLD, line.sold), (RETURNED, line.returned),
                                  (LEFT, line.returnable)):  # fmt: skip
                self.table.setItem(row, column, _cell(format_int(units)))
            cell = QuantityCell(line)
            cell.changed.connect(self.refresh_total)
            cell.over_asked.connect(lambda left, n=line.line_no: self.on_over_asked(n, left))
            self.table.setCellWidget(row, QUANTITY, cell)
            self.cells.append(cell)

    def _fill_methods(self, context: ReturnContext) -> None:
        self._remove_methods()
        for method in context.methods:
            key = METHOD_KEYS.get(method.code, "")
            button = touch_button(f"{method.label} ({key})" if key else method.label, key)
            button.setCheckable(True)
            button.setProperty("method", method.code)
            self.methods.addButton(button)
            self.methods_box.addWidget(button)
        first = self.methods.buttons()
        if first:
            first[0].setChecked(True)

    # --- choosing -----------------------------------------------------------------------

    def quantities(self) -> dict[int, int]:
        return {cell.line.line_no: cell.quantity for cell in self.cells}

    def method(self) -> str:
        button = self.methods.checkedButton()
        return str(button.property("method")) if button is not None else "cash"

    def cell(self, line_no: int) -> QuantityCell:
        return next(cell for cell in self.cells if cell.line.line_no == line_no)

    def on_return_all(self) -> None:
        for cell in self.cells:
            cell.spin.setValue(cell.line.returnable)

    def on_over_asked(self, line_no: int, left: int) -> None:
        self.message.show_message("warning", ngettext(
            "Line {n}: only {left} unit can be returned.",
            "Line {n}: only {left} units can be returned.", left,
        ).format(n=line_no, left=format_int(left)))  # fmt: skip

    def refresh_total(self) -> None:
        context, runtime = self.context, self.runtime
        preview: Ticket | None = None
        if context is not None and runtime is not None:
            try:
                preview = refund_preview(
                    context,
                    self.quantities(),
                    method=self.method(),
                    restock=self.restock.isChecked(),
                    employee=runtime.employee,
                )
            except UserFacingError as error:
                self.message.show_message("error", error.message)
        total = preview.total_tax_incl if preview is not None else None
        self.total_label.setText(
            _("To refund: {amount}").format(amount=format_money(total)) if total else ""
        )
        self.payments_label.setText(
            "\n".join(f"{p.label}: {format_money(p.amount)}" for p in preview.payments)
            if preview is not None
            else ""
        )
        self.refund_button.setEnabled(bool(total) and not self.busy)
        self.all_button.setEnabled(context is not None and not context.fully_returned)

    # --- refunding ----------------------------------------------------------------------

    def on_refund_requested(self) -> None:
        runtime, context = self.runtime, self.context
        if runtime is None or context is None or self.busy:
            return
        quantities, method = self.quantities(), self.method()
        if not any(quantities.values()):
            self.message.show_message("warning", _("Choose at least one unit to refund."))
            return
        restock, number = self.restock.isChecked(), context.ticket.number
        self.busy = True
        self.refund_button.setEnabled(False)
        self.message.show_message("info", _("Recording the refund…"))
        self.tasks.run_write(
            lambda: record_return(runtime, number, quantities, method=method, restock=restock),
            self.on_recorded,
            lambda error: self.on_failed(error, clear=False),
        )

    def on_recorded(self, ticket: Ticket) -> None:
        self.busy = False
        self.clear()
        paid = ", ".join(f"{p.label} {format_money(p.amount)}" for p in ticket.payments)
        self.message.show_message(
            "info",
            _("Refund {number}: {amount} ({paid})").format(
                number=ticket.number, amount=format_money(ticket.total_tax_incl), paid=paid
            ),
            big=True,
        )
        self.refund_recorded.emit(ticket)
        self.number.setFocus()

    def on_failed(self, error: BaseException, *, clear: bool) -> None:
        self.busy = False
        if clear:
            self.clear()
        self.refresh_total()
        if isinstance(error, UserFacingError):
            self.message.show_message("error", str(error))
        else:
            show_error(self, error)
        self.number.setFocus()

    def clear(self) -> None:
        self.context = None
        self.cells = []
        self.table.setRowCount(0)
        self.ticket_label.clear()
        self._remove_methods()
        self.refresh_total()

    def _remove_methods(self) -> None:
        for button in self.methods.buttons():
            self.methods.removeButton(button)
            self.methods_box.removeWidget(button)
            button.deleteLater()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt's name)
        super().showEvent(event)
        self.number.setFocus()
