"""Reprint one of the last tickets of this till, seeing it first as the paper.

The list holds the till's last tickets (newest first); typing filters it by number, and Enter
looks up a number that is not in it (an older ticket). The selected ticket is previewed as the
reprint will come out, marked COPY. "Reprint (F9)" prints that copy (the drawer stays shut),
"Gift ticket (F10)" a ticket without prices. Full invoices (an F1 sale, an F3 found by its
number) preview and reprint as the invoice.

"Full invoice (F8)" exchanges the selected sale ticket for a full invoice (F3): the core first
says whether it can be (already exchanged, a refund, refunded in full…), then the recipient's
data are asked (:class:`~ui.tpv.invoice_form.InvoiceDialog`, filled with what the till knows of
the customer), the invoice is issued on the till-store writer, added to the list and printed.
Every read and every print runs on ``tasks.run``; the exchange on ``tasks.run_write``.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.errors import UserFacingError
from app.formatting import format_money
from app.i18n import _
from app.till.invoice_print import document_preview
from app.till.invoices import (
    IssuedInvoice,
    check_exchangeable,
    exchange_tickets,
    invoice_for,
    prefill_recipient,
)
from app.till.records import Ticket, TicketKind
from app.till.store import TillStore
from app.till.tickets import get_ticket, last_tickets
from app.verifactu.recipient import Recipient
from printing.invoice import FullInvoice
from printing.preview import Bitmap
from ui.printing.preview_widget import PreviewWidget
from ui.printing.print_flow import PrintFlow
from ui.tasks import TaskManager
from ui.tpv.invoice_form import InvoiceDialog

LAST_COUNT = 50
_NUMBER_ROLE = Qt.ItemDataRole.UserRole
LIST_STYLE = "QListWidget { font-size: 17px; } QListWidget::item { min-height: 44px; }"


def ticket_caption(ticket: Ticket | FullInvoice) -> str:
    if isinstance(ticket, FullInvoice):
        kind, when = _("Invoice"), ticket.issued_at
    else:
        kind = _("Refund") if ticket.kind is TicketKind.REFUND else _("Sale")
        when = ticket.created_at
    moment = when.strftime("%d/%m %H:%M")
    return f"{ticket.number}   {moment}   {kind}   {format_money(ticket.total_tax_incl)}"


def find_document(store: TillStore, number: str) -> Ticket | FullInvoice | None:
    """On a worker: ticket ``number``, or the full invoice (an F3) of that number."""
    return get_ticket(store, number) or invoice_for(store, number)


def _button(text: str, shortcut: str) -> QPushButton:
    button = QPushButton(text)
    button.setMinimumHeight(52)
    button.setStyleSheet("font-size: 18px; padding: 0 16px;")
    button.setShortcut(QKeySequence(shortcut))
    button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    button.setAutoDefault(False)
    return button


class ReprintDialog(QDialog):
    def __init__(
        self,
        parent: QWidget | None,
        tasks: TaskManager,
        store: TillStore,
        flow: PrintFlow,
        settings_path: Path | None = None,
    ) -> None:
        super().__init__(parent)
        self.tasks, self.store, self.flow = tasks, store, flow
        self.settings_path = settings_path or flow.settings_path
        self._preview_seq = 0
        self._shown: str | None = None  # the ticket previewed
        self.setWindowTitle(_("Reprint a ticket"))
        self.resize(980, 680)
        self.search = QLineEdit()
        self.search.setPlaceholderText(_("Ticket number (Enter looks it up)"))
        self.search.setMinimumHeight(44)
        self.search.setStyleSheet("font-size: 18px;")
        self.search.textChanged.connect(self.on_search_changed)
        self.search.returnPressed.connect(self.on_search_entered)
        self.list = QListWidget()
        self.list.setStyleSheet(LIST_STYLE)
        self.list.currentItemChanged.connect(self.on_selection_changed)
        self.preview = PreviewWidget()
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setStyleSheet("font-size: 17px;")
        self.reprint_button = _button(_("Reprint (F9)"), "F9")
        self.reprint_button.clicked.connect(self.on_reprint)
        self.gift_button = _button(_("Gift ticket (F10)"), "F10")
        self.gift_button.clicked.connect(self.on_gift)
        self.invoice_button = _button(_("Full invoice (F8)"), "F8")
        self.invoice_button.clicked.connect(self.on_invoice_requested)
        self.invoice_dialog: InvoiceDialog | None = None
        close = _button(_("Close (Esc)"), "Esc")
        close.clicked.connect(self.reject)
        self._lay_out(close)
        flow.printed.connect(self.on_printed)
        flow.print_failed.connect(self.on_print_failed)
        self._listening = True
        self._enable()
        self.load()

    def _lay_out(self, close: QPushButton) -> None:
        left = QVBoxLayout()
        left.addWidget(self.search)
        left.addWidget(self.list, 1)
        body = QHBoxLayout()
        body.addLayout(left, 1)
        body.addWidget(self.preview, 1)
        buttons = QHBoxLayout()
        for button in (close, self.invoice_button, self.gift_button, self.reprint_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addLayout(body, 1)
        layout.addWidget(self.status)
        layout.addLayout(buttons)

    # --- the list -------------------------------------------------------------------------

    def load(self) -> None:
        store = self.store
        self.status.setText(_("Loading the last tickets…"))
        self.tasks.run(lambda: last_tickets(store, LAST_COUNT), self.on_loaded, self.on_failed)

    def on_loaded(self, tickets: list[Ticket]) -> None:
        self.list.clear()
        for ticket in tickets:
            self._add(ticket)
        self.status.setText("" if tickets else _("This till has no tickets yet."))
        if tickets:
            self.list.setCurrentRow(0)
        self.search.setFocus()

    def _add(self, ticket: Ticket | FullInvoice, row: int | None = None) -> QListWidgetItem:
        item = QListWidgetItem(ticket_caption(ticket))
        item.setData(_NUMBER_ROLE, ticket.number)
        self.list.insertItem(self.list.count() if row is None else row, item)
        return item

    def on_search_changed(self, text: str) -> None:
        wanted = text.strip().upper()
        for row in range(self.list.count()):
            item = self.list.item(row)
            item.setHidden(wanted not in str(item.data(_NUMBER_ROLE)).upper())
        current = self.list.currentItem()
        if current is None or current.isHidden():
            items = (self.list.item(row) for row in range(self.list.count()))
            first = next((item for item in items if not item.isHidden()), None)
            if first is not None:
                self.list.setCurrentItem(first)
        if self.selected_number() != self._shown:  # shown again, or nothing left to reprint
            self.on_selection_changed()

    def on_search_entered(self) -> None:
        number = self.search.text().strip().upper()
        if not number or self._find(number) is not None:
            return
        store = self.store
        self.tasks.run(lambda: find_document(store, number), self.on_found, self.on_failed)

    def on_found(self, ticket: Ticket | FullInvoice | None) -> None:
        if ticket is None:
            wanted = self.search.text().strip()
            message = _("There is no ticket {number} on this till.").format(number=wanted)
            self.status.setText(message)
            return
        self.list.setCurrentItem(self._find(ticket.number) or self._add(ticket, 0))

    def _find(self, number: str) -> QListWidgetItem | None:
        items = (self.list.item(row) for row in range(self.list.count()))
        return next((i for i in items if i.data(_NUMBER_ROLE) == number), None)

    def selected_number(self) -> str | None:
        item = self.list.currentItem()
        return None if item is None or item.isHidden() else str(item.data(_NUMBER_ROLE))

    # --- preview and printing --------------------------------------------------------------

    def on_selection_changed(self) -> None:
        self._enable()
        number = self._shown = self.selected_number()
        self._preview_seq += 1
        if number is None:
            self.preview.show_text("")
            return
        seq, store, path = self._preview_seq, self.store, self.settings_path
        self.preview.show_text(_("Drawing the ticket…"))
        self.tasks.run(
            lambda: document_preview(store, number, path, copy=True),
            lambda bitmap: self.on_preview(seq, bitmap),
            lambda error: self.on_preview_failed(seq, error),
        )

    def on_preview(self, seq: int, bitmap: Bitmap) -> None:
        if seq == self._preview_seq:  # an older selection's preview is dropped
            self.preview.show_bitmap(bitmap)

    def on_preview_failed(self, seq: int, error: BaseException) -> None:
        if seq == self._preview_seq:
            message = error.message if isinstance(error, UserFacingError) else str(error)
            self.preview.show_text(message)

    def on_reprint(self) -> None:
        self._print(gift=False)

    def on_gift(self) -> None:
        self._print(gift=True)

    def _print(self, gift: bool) -> None:
        number = self.selected_number()
        if number is None:
            return
        self.status.setText(_("Printing {number}…").format(number=number))
        self.flow.print_ticket(self.store, number, gift=gift, copy=not gift)

    # --- exchanging a ticket for a full invoice ----------------------------------------------

    def on_invoice_requested(self) -> None:
        number, store = self.selected_number(), self.store
        if number is None:
            return
        self.status.setText(_("Checking ticket {number}…").format(number=number))
        self.tasks.run(
            lambda: _exchange_context(store, number), self.on_exchangeable, self.on_failed
        )

    def on_exchangeable(self, context: tuple[Ticket, Recipient | None]) -> None:
        ticket, known = context
        self.status.clear()
        dialog = InvoiceDialog(self, ticket.number, known)
        self.invoice_dialog = dialog
        dialog.accepted.connect(lambda: self.issue(ticket.number, dialog.recipient))
        dialog.open()

    def issue(self, number: str, recipient: Recipient | None) -> None:
        if recipient is None:
            return
        store = self.store
        self.status.setText(_("Issuing the invoice…"))
        self.tasks.run_write(
            lambda: _issue(store, number, recipient), self.on_issued, self.on_failed
        )

    def on_issued(self, issued: tuple[IssuedInvoice, FullInvoice | None]) -> None:
        invoice, document = issued
        if document is not None:
            self.search.clear()
            self.list.setCurrentItem(self._add(document, 0))
        self.status.setText(
            _("Invoice {number} issued for {total}; printing it…").format(
                number=invoice.number, total=format_money(invoice.total)
            )
        )
        self.flow.print_ticket(self.store, invoice.number)

    def on_printed(self, number: str) -> None:
        self.status.setText(_("{number} printed.").format(number=number))

    def on_print_failed(self, reason: str) -> None:
        self.status.setText(reason)

    def on_failed(self, error: BaseException) -> None:
        message = error.message if isinstance(error, UserFacingError) else str(error)
        self.status.setText(message)

    def _enable(self) -> None:
        chosen = self.selected_number() is not None
        self.reprint_button.setEnabled(chosen)
        self.gift_button.setEnabled(chosen)
        self.invoice_button.setEnabled(chosen)

    def done(self, result: int) -> None:
        if self._listening:  # the flow outlives the dialog
            self._listening = False
            self.flow.printed.disconnect(self.on_printed)
            self.flow.print_failed.disconnect(self.on_print_failed)
        super().done(result)


def _exchange_context(store: TillStore, number: str) -> tuple[Ticket, Recipient | None]:
    """On a worker: the sale, if it can be exchanged (else why not), and its customer's data."""
    ticket = check_exchangeable(store, number)
    return ticket, prefill_recipient(store, ticket.customer)


def _issue(
    store: TillStore, number: str, recipient: Recipient
) -> tuple[IssuedInvoice, FullInvoice | None]:
    """On the store writer: the F3 exchanging ``number``, and the invoice as listed."""
    issued = exchange_tickets(store, [number], recipient)
    return issued, invoice_for(store, issued.number)
