"""Orders: web and till orders together, newest first, a keyset page at a time; filters by
dates, state, payment, employee and till; Enter opens the order."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtCore import Signal as QtSignal
from PySide6.QtWidgets import QCheckBox, QComboBox, QDateEdit, QVBoxLayout, QWidget

from app.erp.context import ErpContext
from app.erp.listing import Column
from app.erp.orders import WEB, OrderChoices, OrderListRow, list_orders, order_choices
from app.i18n import _
from ui.erp.order_detail import OrderDetailDialog
from ui.erp.table_view import ListView, erp_button
from ui.tasks import TaskManager

ANY = None


class OrdersSection(QWidget):
    """Orders"""

    detail_opened = QtSignal(object)  # the OrderDetailDialog

    def __init__(self, tasks: TaskManager, ctx: ErpContext, today: date | None = None) -> None:
        super().__init__()
        self.tasks, self.ctx = tasks, ctx
        self.states: dict[int, str] = {}
        self.choices: OrderChoices | None = None
        today = today or date.today()
        self.view = ListView(
            tasks, ctx, list_orders, self._columns(), title=_("Orders"),
            placeholder=_("Order number or reference (Ctrl+F)"),
        )  # fmt: skip
        self._filters(today)
        self.open_button = erp_button(_("Open (Enter)"))
        self.open_button.clicked.connect(self.open_selected)
        self.view.add_button(self.open_button)
        self.view.row_activated.connect(self.open_order)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)
        self.tasks.run(lambda: order_choices(ctx), self._on_choices)

    def _columns(self) -> list[Column[OrderListRow]]:
        return [
            Column(_("Order"), lambda r: r.id_order, "int", 70),
            Column(_("Reference"), lambda r: r.reference, "text", 110),
            Column(_("Date"), lambda r: r.date_add, "datetime", 140),
            Column(_("Customer"), lambda r: r.customer, "text", 180),
            Column(_("Total"), lambda r: r.total_paid_tax_incl, "money", 100),
            Column(_("Payment"), lambda r: r.payment, "text", 140),
            Column(_("State"), lambda r: self.states.get(r.id_state, str(r.id_state)), "text", 160),
            Column(_("Till"), lambda r: r.till or _("Web"), "text", 60),
            Column(_("Ticket"), lambda r: r.ticket_number, "text"),
        ]

    def _filters(self, today: date) -> None:
        self.use_dates = QCheckBox(_("Dates"))
        self.date_from = QDateEdit(QDate(today.year, today.month, 1), calendarPopup=True)
        self.date_to = QDateEdit(QDate(today.year, today.month, today.day), calendarPopup=True)
        self.view.add_filter("use_dates", self.use_dates, lambda: None)
        self.view.add_filter("date_from", self.date_from, lambda: self._date(self.date_from))
        self.view.add_filter("date_to", self.date_to, lambda: self._date(self.date_to))
        self.state = QComboBox()
        self.payment = QComboBox()
        self.employee = QComboBox()
        self.till = QComboBox()
        self.state.addItem(_("Any state"), ANY)
        self.payment.addItem(_("Any payment"), ANY)
        self.employee.addItem(_("Any employee"), ANY)
        self.till.addItem(_("Web and tills"), ANY)
        self.till.addItem(_("Web shop"), WEB)
        self.view.add_filter("id_state", self.state)
        self.view.add_filter("payment", self.payment)
        self.view.add_filter("id_employee", self.employee)
        self.view.add_filter("till", self.till)

    def _date(self, widget: QDateEdit) -> date | None:
        return widget.date().toPython() if self.use_dates.isChecked() else None

    def _on_choices(self, choices: OrderChoices) -> None:
        self.choices = choices
        self.states = {s.id_order_state: s.name for s in choices.states}
        for combo in (self.state, self.payment, self.employee):
            combo.blockSignals(True)
        for state in choices.states:
            self.state.addItem(state.name, state.id_order_state)
        for payment in choices.payments:
            self.payment.addItem(payment, payment)
        for employee in choices.employees:
            self.employee.addItem(employee.label, employee.value)
        for till in choices.tills:
            self.till.addItem(till, till)
        for combo in (self.state, self.payment, self.employee):
            combo.blockSignals(False)
        self.view.reload()

    def open_selected(self) -> None:
        row = self.view.selected_row()
        if row is not None:
            self.open_order(row)

    def open_order(self, row: OrderListRow) -> OrderDetailDialog:
        states = self.choices.states if self.choices else ()
        dialog = OrderDetailDialog(self.tasks, self.ctx, row.id_order, states, self)
        dialog.state_changed.connect(lambda _changed: self.view.refresh())
        self.detail_opened.emit(dialog)
        dialog.open()
        return dialog
