"""Printing any document of the till by its number: a ticket, or a full invoice (F1 / F3).

The print flow and the reprint screen call these instead of ``app.print_service``'s ticket
functions: a full invoice comes out as the invoice document (``printing.invoice``), anything
else as :mod:`app.print_service` prints it. Like those, :func:`print_document_file` never
raises (a result says what went wrong); both run on a worker thread.
"""

from __future__ import annotations

from pathlib import Path

from app.config import settings as cfg
from app.errors import ConfigError
from app.i18n import _
from app.print_service import PrinterSettings, print_ticket, ticket_preview
from app.receipt_header import shop_header
from app.till.invoices import invoice_for
from app.till.records import TenderKind
from app.till.store import TillStore
from app.till.tickets import get_ticket
from app.verifactu.records import qr_for_ticket
from printing.backends import PrintResult, print_document
from printing.document import Document
from printing.invoice import FullInvoice, InvoiceOptions, build_invoice, build_invoice_gift
from printing.preview import Bitmap, preview_bitmap


def print_document_file(
    store: TillStore, number: str, settings_path: Path, *, copy: bool = False, gift: bool = False
) -> PrintResult:
    """Print ticket or invoice ``number`` with the settings of ``settings_path``; never raises.

    A gift ticket is the ticket's (no prices), or for an F3 (no ticket of its own) the
    invoice's lines without prices; the drawer opens for a sale paid in cash
    printed at once (not for a copy, a gift ticket or an F3, where no cash changes hands)."""
    try:
        settings = cfg.Settings.load(settings_path)
        invoice = _invoice(store, number, gift)
        if invoice is None:
            return print_ticket(store, number, settings, copy=copy, gift=gift)
        printer = PrinterSettings.from_settings(settings)
        if not printer.spec:
            return PrintResult(False, _("No ticket printer is configured."), no_printer=True)
        document = _document(store, invoice, settings, printer.width, copy=copy, gift=gift)
        return print_document(
            document,
            printer.spec,
            printer.render,
            printer.timeout,
            status_check=printer.status_check,
        )
    except ConfigError as error:
        return PrintResult(False, error.message)


def document_preview(
    store: TillStore, number: str, settings_path: Path, *, copy: bool = False, gift: bool = False
) -> Bitmap:
    """Ticket or invoice ``number`` drawn as the configured paper."""
    invoice = _invoice(store, number, gift)
    if invoice is None:
        return ticket_preview(store, number, settings_path, copy=copy, gift=gift)
    settings = cfg.Settings.load(settings_path)
    width = PrinterSettings.from_settings(settings).width
    return preview_bitmap(_document(store, invoice, settings, width, copy=copy, gift=gift))


def _invoice(store: TillStore, number: str, gift: bool) -> FullInvoice | None:
    """The invoice to print for ``number``; for a gift ticket only an invoice without a ticket
    of its own (an F3): any other gift ticket is the ticket's."""
    if gift and get_ticket(store, number) is not None:
        return None
    return invoice_for(store, number)


def _document(
    store: TillStore,
    invoice: FullInvoice,
    settings: cfg.Settings,
    width: int,
    *,
    copy: bool,
    gift: bool,
) -> Document:
    if gift:
        return build_invoice_gift(invoice, shop_header(store, settings), width)
    return invoice_document(store, invoice, settings, width, copy=copy)


def invoice_document(
    store: TillStore, invoice: FullInvoice, settings: cfg.Settings, width: int, *, copy: bool
) -> Document:
    cash = any(p.tender is TenderKind.CASH for p in invoice.payments)
    options = InvoiceOptions(
        width=width,
        copy=copy,
        open_drawer=cash and not copy,
        fiscal_qr=qr_for_ticket(store, invoice.number),
    )
    return build_invoice(invoice, shop_header(store, settings), options)
