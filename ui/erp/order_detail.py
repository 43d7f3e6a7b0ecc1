"""One order: customer and addresses, lines, taxes, payments, state history, invoices and
credit slips; change its state (as PrestaShop's back office does) and save its invoice PDF."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import Signal as QtSignal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.erp.context import ErpContext
from app.erp.invoices import InvoiceFile, invoice_pdf
from app.erp.orders import OrderInfo, StateChanged, StateInfo, change_order_state, order_details
from app.formatting import format_decimal, format_money
from app.i18n import _
from ui.erp.table_view import TOUCH, erp_button
from ui.errors import show_error
from ui.tasks import TaskManager


def _when(value: object) -> str:
    return value.strftime("%d/%m/%Y %H:%M") if hasattr(value, "strftime") else ""


class OrderDetailDialog(QDialog):
    loaded = QtSignal(object)  # OrderInfo
    state_changed = QtSignal(object)  # StateChanged
    invoice_saved = QtSignal(str)

    def __init__(  # noqa: PLR0913
        self,
        tasks: TaskManager,
        ctx: ErpContext,
        id_order: int,
        states: Sequence[StateInfo],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.tasks, self.ctx, self.id_order = tasks, ctx, id_order
        self.order: OrderInfo | None = None
        self.setWindowTitle(_("Order {id_order}").format(id_order=id_order))
        self.resize(980, 680)
        self.header = QLabel(_("Loading…"))
        self.header.setWordWrap(True)
        self.tabs = QTabWidget()
        self.state = QComboBox()
        self.state.setMinimumHeight(TOUCH)
        for state in states:
            self.state.addItem(state.name, state.id_order_state)
        self.change_button = erp_button(_("Change state (Ctrl+S)"), "Ctrl+S")
        self.invoice_button = erp_button(_("Invoice PDF (Ctrl+P)"), "Ctrl+P")
        self.close_button = erp_button(_("Close (Esc)"))
        self.change_button.clicked.connect(self.ask_change_state)
        self.invoice_button.clicked.connect(self.ask_invoice)
        self.close_button.clicked.connect(self.reject)
        bar = QHBoxLayout()
        bar.addWidget(QLabel(_("New state:")))
        bar.addWidget(self.state, 1)
        for button in (self.change_button, self.invoice_button, self.close_button):
            bar.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.header)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(bar)
        self._busy(True)
        self.reload()

    def _busy(self, busy: bool) -> None:
        for button in (self.change_button, self.invoice_button):
            button.setEnabled(not busy)

    def reload(self) -> None:
        ctx, id_order = self.ctx, self.id_order
        self.tasks.run(lambda: order_details(ctx, id_order), self._on_loaded, self._on_failed)

    def _on_failed(self, error: BaseException) -> None:
        self._busy(False)
        show_error(self, error)

    def _on_loaded(self, order: OrderInfo) -> None:
        self.order = order
        self._busy(False)
        self.invoice_button.setEnabled(bool(order.invoice_number))
        self.header.setText(_header(order))
        if order.state is not None:
            index = self.state.findData(order.state.id_order_state)
            if index >= 0:
                self.state.setCurrentIndex(index)
        self._fill_tabs(order)
        self.loaded.emit(order)

    def _fill_tabs(self, order: OrderInfo) -> None:
        current = self.tabs.currentIndex()
        self.tabs.clear()
        self.tabs.addTab(_lines_table(order), _("Lines"))
        self.tabs.addTab(_table(
            [_("Tax"), _("Rate"), _("Base"), _("Amount")],
            [[t.name, f"{format_decimal(t.rate, 2)} %", format_money(t.base),
              format_money(t.amount)] for t in order.taxes],
        ), _("Taxes"))  # fmt: skip
        self.tabs.addTab(_table(
            [_("Date"), _("Method"), _("Amount"), _("Transaction")],
            [[_when(p.date_add), p.method, format_money(p.amount), p.transaction_id]
             for p in order.payments],
        ), _("Payments"))  # fmt: skip
        self.tabs.addTab(_table(
            [_("Date"), _("State"), _("Employee")],
            [[_when(h.date_add), h.state, h.employee] for h in order.history],
        ), _("History"))  # fmt: skip
        self.tabs.addTab(_addresses(order), _("Addresses"))
        self.tabs.addTab(_documents(order), _("Invoices and slips"))
        self.tabs.setCurrentIndex(max(current, 0))

    # --- state ----------------------------------------------------------------------------

    def ask_change_state(self) -> None:
        if self.order is None:
            return
        name = self.state.currentText()
        answer = QMessageBox.question(
            self, _("Change state"),
            _("Move order {reference} to «{state}»? Stock and documents change as in "
              "PrestaShop.").format(reference=self.order.reference, state=name),
        )  # fmt: skip
        if answer == QMessageBox.StandardButton.Yes:
            self.change_state(int(self.state.currentData()))

    def change_state(self, id_state: int) -> None:
        if self.order is None:
            return
        ctx, id_order, loaded = self.ctx, self.id_order, self.order.date_upd
        self._busy(True)
        self.tasks.run(
            lambda: change_order_state(ctx, id_order, id_state, loaded),
            self._on_changed,
            self._on_failed,
        )

    def _on_changed(self, changed: StateChanged) -> None:
        self.state_changed.emit(changed)
        self.reload()

    # --- invoice --------------------------------------------------------------------------

    def ask_invoice(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(self, _("Save invoice"), "", "PDF (*.pdf)")
        if path:
            self.save_invoice(Path(path))

    def save_invoice(self, path: Path) -> None:
        ctx, id_order = self.ctx, self.id_order

        def work() -> InvoiceFile:
            document = invoice_pdf(ctx, id_order)
            path.write_bytes(document.data)
            return document

        self.tasks.run(work, lambda _doc: self.invoice_saved.emit(str(path)), self._on_failed)


def _header(order: OrderInfo) -> str:
    state = order.state.name if order.state else "?"
    origin = (
        _("Till {till}, ticket {ticket}").format(till=order.till, ticket=order.ticket_number)
        if order.till
        else _("Web shop")
    )
    return _(
        "<b>{reference}</b> · {date} · {customer} ({email}) · <b>{state}</b> · {origin}<br>"
        "Total {total} · paid {paid} · {payment}"
    ).format(
        reference=order.reference, date=_when(order.date_add), customer=order.customer,
        email=order.email, state=state, origin=origin,
        total=format_money(order.total_paid_tax_incl), paid=format_money(order.total_paid_real),
        payment=order.payment,
    )  # fmt: skip


def _table(headers: list[str], rows: list[list[str]]) -> QTableWidget:
    table = QTableWidget(len(rows), len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.verticalHeader().hide()
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.setItem(r, c, QTableWidgetItem(text))
    table.resizeColumnsToContents()
    table.horizontalHeader().setStretchLastSection(True)
    return table


def _lines_table(order: OrderInfo) -> QTableWidget:
    return _table(
        [_("Reference"), _("Product"), _("Qty"), _("Refunded"), _("Unit price"), _("Tax"),
         _("Total (tax excl.)"), _("Total")],
        [[line.reference, line.name, str(line.quantity),
          str(line.quantity_refunded + line.quantity_returned),
          format_money(line.unit_price_tax_incl), f"{format_decimal(line.tax_rate, 0)} %",
          format_money(line.total_price_tax_excl), format_money(line.total_price_tax_incl)]
         for line in order.lines],
    )  # fmt: skip


def _addresses(order: OrderInfo) -> QLabel:
    parts = []
    for title, address in ((_("Delivery"), order.delivery), (_("Invoice"), order.invoice_address)):
        if address is not None:
            lines = [address.name, address.company, *address.lines, address.phone,
                     address.vat_number]  # fmt: skip
            parts.append(f"<b>{title}</b><br>" + "<br>".join(x for x in lines if x))
    label = QLabel("<br><br>".join(parts) or _("No address."))
    label.setWordWrap(True)
    return label


def _documents(order: OrderInfo) -> QTableWidget:
    rows = [
        [_("Invoice"), str(i.number or "-"), _when(i.date_add), format_money(i.total_paid_tax_incl),
         str(i.delivery_number or "")]
        for i in order.invoices
    ]  # fmt: skip
    rows += [
        [_("Credit slip"), str(s.id_order_slip), _when(s.date_add), format_money(s.amount), ""]
        for s in order.slips
    ]
    return _table([_("Document"), _("Number"), _("Date"), _("Amount"), _("Delivery slip")], rows)
