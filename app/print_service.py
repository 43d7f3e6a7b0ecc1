"""Printing a recorded ticket: the sale is already safe in the till store, so a printer that is
off, out of paper or silent only yields a message (with Retry / Reprint in the window), never an
exception into the sale. Runs on a worker thread; the last tickets can be reprinted any time.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from app.config import settings as cfg
from app.errors import ConfigError
from app.i18n import _
from app.receipt_header import shop_header
from app.till.records import TenderKind, Ticket
from app.till.store import TillStore
from app.till.tickets import get_ticket
from printing.backends import PrintResult, print_document
from printing.document import WIDTH_58MM, WIDTH_80MM
from printing.escpos_render import CODE_PAGES, CutMode, DrawerSettings, RenderOptions
from printing.receipt import ReceiptOptions, build_receipt

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class PrinterSettings:
    spec: str
    width: int
    render: RenderOptions

    @classmethod
    def from_settings(cls, settings: cfg.Settings) -> PrinterSettings:
        width = {58: WIDTH_58MM, 80: WIDTH_80MM}.get(settings.get(cfg.PRINTER_WIDTH), WIDTH_80MM)
        page = CODE_PAGES.get(settings.get(cfg.PRINTER_CODE_PAGE).upper())
        cut = {m.value: m for m in CutMode}.get(settings.get(cfg.PRINTER_CUT).lower())
        if page is None or cut is None:
            raise ConfigError(_("The printer settings are not valid: check code page and cut."))
        drawer = DrawerSettings(pin=settings.get(cfg.PRINTER_DRAWER_PIN))
        render = RenderOptions(code_page=page, cut=cut, drawer=drawer)
        return cls(settings.get(cfg.PRINTER).strip(), width, render)


def print_ticket(
    store: TillStore,
    number: str,
    settings: cfg.Settings,
    *,
    copy: bool = False,
    gift: bool = False,
) -> PrintResult:
    """Print ticket ``number`` (a reprint when ``copy``); opens the drawer for cash sales."""
    try:
        printer = PrinterSettings.from_settings(settings)
        ticket = get_ticket(store, number)
        if ticket is None:
            return PrintResult(False, _("There is no ticket {number} on this till.").format(
                number=number))  # fmt: skip
        if not printer.spec:
            return PrintResult(False, _("No ticket printer is configured."))
        options = ReceiptOptions(
            width=printer.width, gift=gift, copy=copy, open_drawer=_opens_drawer(ticket, copy)
        )
        document = build_receipt(ticket, shop_header(store, settings), options)
        return print_document(document, printer.spec, printer.render)
    except ConfigError as error:
        return PrintResult(False, error.message)


def _opens_drawer(ticket: Ticket, copy: bool) -> bool:
    """The drawer opens when cash changes hands, not for a reprint."""
    return not copy and any(p.tender is TenderKind.CASH for p in ticket.payments)
