"""The right-hand side of the sale screen: who sells to whom, the large total, the messages,
the sale's actions (customer, park, recall, discounts, product grid) and Charge.

Every button says its shortcut and never takes the focus (the scan field keeps it).
"""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QGridLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
)

from app.formatting import format_int, format_money
from app.i18n import _, ngettext
from app.sale.cart import CartPricing
from app.till.records import TicketCustomer
from ui.tpv import cart_model
from ui.tpv.cart_model import CartModel

ZERO = Decimal(0)
MESSAGE_STYLES = {
    "info": "color: #0b5d1e; background: #e6f4ea;",
    "warning": "color: #7a3e00; background: #fff1db;",
    "error": "color: #8c1d18; background: #fce8e6;",
}
TOTAL_STYLE = "background: #111; color: #fff; font-size: 52px; font-weight: 800; padding: 8px 16px;"
TOTAL_CAPTION_STYLE = "background: #111; color: #ddd; font-size: 18px; padding: 6px 16px 0;"
PAY_STYLE = "font-size: 26px; font-weight: 700; background: #1b7f3a; color: white;"
ACTION_STYLE = "font-size: 15px; padding: 0 6px;"
PANEL_WIDTH = 340


def button(
    text: str, height: int = 52, style: str = "font-size: 18px;", shortcut: str | None = None
) -> QPushButton:
    """A touch-sized button that never takes the focus (the scan field keeps it)."""
    made = QPushButton(text)
    made.setMinimumHeight(height)
    made.setStyleSheet(style)
    made.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    if shortcut:
        made.setShortcut(QKeySequence(shortcut))
    return made


def cart_table(model: CartModel) -> QTableView:
    table = QTableView()
    table.setModel(model)
    table.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the scan field keeps the focus
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.setStyleSheet("font-size: 18px;")
    table.verticalHeader().hide()
    table.verticalHeader().setDefaultSectionSize(46)
    header = table.horizontalHeader()
    header.setStyleSheet("font-size: 15px; font-weight: 600;")
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(cart_model.NAME, QHeaderView.ResizeMode.Stretch)
    return table


class SalePanel(QFrame):
    """Labels and buttons only: the screen connects the buttons and feeds the figures."""

    def __init__(self) -> None:
        super().__init__()
        self.setFixedWidth(PANEL_WIDTH)
        self.header = QLabel()
        self.header.setWordWrap(True)
        self.header.setStyleSheet("font-size: 15px; color: #333;")
        self.customer_label = QLabel()
        self.customer_label.setWordWrap(True)
        self.customer_label.setStyleSheet("font-size: 17px; font-weight: 600; color: #1a3d7c;")
        total_caption = QLabel(_("TOTAL"))
        total_caption.setStyleSheet(TOTAL_CAPTION_STYLE)
        self.total_label = QLabel(format_money(ZERO))
        self.total_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.total_label.setStyleSheet(TOTAL_STYLE)
        self.discount_label = QLabel()
        self.discount_label.setStyleSheet("font-size: 16px; color: #7a3e00;")
        self.count_label = QLabel()
        self.count_label.setStyleSheet("font-size: 18px;")
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setMinimumHeight(72)
        self.message.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.pay_button = button(_("Charge (F12)"), height=80, style=PAY_STYLE, shortcut="F12")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.header)
        layout.addWidget(self.customer_label)
        total_box = QVBoxLayout()
        total_box.setSpacing(0)
        total_box.addWidget(total_caption)
        total_box.addWidget(self.total_label)
        layout.addLayout(total_box)
        layout.addWidget(self.discount_label)
        layout.addWidget(self.count_label)
        layout.addWidget(self.message)
        layout.addStretch(1)
        layout.addLayout(self._build_actions())
        layout.addWidget(self.pay_button)

    def _build_actions(self) -> QGridLayout:
        def action(text: str, shortcut: str) -> QPushButton:
            return button(text, height=46, style=ACTION_STYLE, shortcut=shortcut)

        self.customer_button = action(_("Customer (F4)"), "F4")
        self.products_button = action(_("Products (F3)"), "F3")
        self.park_button = action(_("Park (F6)"), "F6")
        self.recall_button = action(_("Recall (F7)"), "F7")
        self.line_discount_button = action(_("Line disc. (F8)"), "F8")
        self.ticket_discount_button = action(_("Ticket disc. (⇧F8)"), "Shift+F8")
        grid = QGridLayout()
        grid.setSpacing(6)
        buttons = (
            self.customer_button, self.products_button, self.park_button,
            self.recall_button, self.line_discount_button, self.ticket_discount_button,
        )  # fmt: skip
        for index, made in enumerate(buttons):
            grid.addWidget(made, index // 2, index % 2)
        return grid

    def show_message(self, kind: str, text: str, big: bool = False) -> None:
        size = "26px; font-weight: 700" if big else "18px"
        self.message.setStyleSheet(f"{MESSAGE_STYLES[kind]} font-size: {size}; padding: 10px;")
        self.message.setText(text)

    def show_customer(self, customer: TicketCustomer | None) -> None:
        if customer is None or customer.is_walk_in:
            self.customer_label.setText(_("Customer: walk-in"))
        else:
            name = f"{customer.firstname} {customer.lastname}".strip() or customer.email
            self.customer_label.setText(_("Customer: {name}").format(name=name))

    def show_totals(self, pricing: CartPricing | None, ticket_discount: Decimal) -> None:
        total = pricing.totals.total_tax_incl if pricing is not None else ZERO
        self.total_label.setText(format_money(total))
        lines = len(pricing.lines) if pricing is not None else 0
        units = sum(priced.line.quantity for priced in pricing.lines) if pricing else 0
        self.count_label.setText(
            ngettext("{n} line", "{n} lines", lines).format(n=format_int(lines))
            + " · "
            + ngettext("{n} item", "{n} items", units).format(n=format_int(units))
        )
        self.discount_label.setText(
            _("Ticket discount: {percent}").format(percent=cart_model.percent(ticket_discount))
            if ticket_discount
            else ""
        )
