"""Printing a recorded ticket: the sale is already safe in the till store, so a printer that is
off, out of paper or silent only yields a message (with Retry / Reprint in the window), never an
exception into the sale. Runs on a worker thread; the last tickets can be reprinted any time.

The window's workers call plain functions with plain arguments:

* :func:`print_ticket_file` (settings read from the settings file on the worker) and
  :func:`print_ticket` (settings given) print a recorded ticket, a reprint (``copy``) or a gift
  ticket; they never raise.
* :func:`ticket_preview` / :func:`sample_preview` draw the same document as the paper.
* :func:`load_printer_config` / :func:`save_printer_config` read and write the printer's settings
  as one :class:`PrinterConfig`; :func:`print_sample` prints the fixed sample ticket with a
  config that need not be saved yet (the settings screen's test print).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from app.config import settings as cfg
from app.errors import ConfigError
from app.i18n import _
from app.receipt_header import shop_header
from app.till.records import TenderKind, Ticket
from app.till.store import TillStore
from app.till.tickets import get_ticket
from app.verifactu.records import qr_for_ticket
from printing.backends import PrintResult, print_document
from printing.document import WIDTH_58MM, WIDTH_80MM, Document
from printing.escpos_render import CODE_PAGES, CutMode, DrawerSettings, RenderOptions
from printing.preview import Bitmap, preview_bitmap
from printing.receipt import ReceiptOptions, build_receipt
from printing.sample import sample_shop, sample_ticket

logger = logging.getLogger(__name__)

COLUMNS = {58: (WIDTH_58MM,), 80: (WIDTH_80MM, 42)}  # characters a line per paper width (mm)


@dataclass(frozen=True)
class PrinterConfig:
    """Everything the printer settings screen edits, as typed values (the settings' defaults)."""

    spec: str = cfg.PRINTER.default
    width_mm: int = cfg.PRINTER_WIDTH.default
    columns: int = cfg.PRINTER_COLUMNS.default  # 0: as the paper (32 or 48)
    code_page: str = cfg.PRINTER_CODE_PAGE.default
    cut: str = cfg.PRINTER_CUT.default
    drawer_pin: int = cfg.PRINTER_DRAWER_PIN.default
    drawer_on_ms: int = cfg.PRINTER_DRAWER_ON_MS.default
    drawer_off_ms: int = cfg.PRINTER_DRAWER_OFF_MS.default
    status_check: bool = cfg.PRINTER_STATUS_CHECK.default
    timeout_s: int = cfg.PRINTER_TIMEOUT.default
    tax_id: str = cfg.RECEIPT_TAX_ID.default
    footer: str = cfg.RECEIPT_FOOTER.default


_SETTING_OF: dict[str, cfg.Setting[Any]] = {
    "spec": cfg.PRINTER,
    "width_mm": cfg.PRINTER_WIDTH,
    "columns": cfg.PRINTER_COLUMNS,
    "code_page": cfg.PRINTER_CODE_PAGE,
    "cut": cfg.PRINTER_CUT,
    "drawer_pin": cfg.PRINTER_DRAWER_PIN,
    "drawer_on_ms": cfg.PRINTER_DRAWER_ON_MS,
    "drawer_off_ms": cfg.PRINTER_DRAWER_OFF_MS,
    "status_check": cfg.PRINTER_STATUS_CHECK,
    "timeout_s": cfg.PRINTER_TIMEOUT,
    "tax_id": cfg.RECEIPT_TAX_ID,
    "footer": cfg.RECEIPT_FOOTER,
}


def read_printer_config(settings: cfg.Settings) -> PrinterConfig:
    values = {item.name: settings.get(_SETTING_OF[item.name]) for item in fields(PrinterConfig)}
    return PrinterConfig(**values)


def load_printer_config(path: Path) -> PrinterConfig:
    """The printer settings in the settings file ``path`` (defaults when there is none)."""
    return read_printer_config(cfg.Settings.load(path))


def save_printer_config(path: Path, config: PrinterConfig) -> PrinterConfig:
    """Check ``config`` and write it to the settings file (other keys are kept); returns it."""
    PrinterSettings.from_config(config)  # refuses what could not print
    settings = cfg.Settings.load(path)
    for item in fields(PrinterConfig):
        settings.set(_SETTING_OF[item.name], getattr(config, item.name))
    settings.save()
    return config


@dataclass(frozen=True)
class PrinterSettings:
    spec: str
    width: int
    render: RenderOptions
    timeout: float
    status_check: bool

    @classmethod
    def from_settings(cls, settings: cfg.Settings) -> PrinterSettings:
        return cls.from_config(read_printer_config(settings))

    @classmethod
    def from_config(cls, config: PrinterConfig) -> PrinterSettings:
        """The printer as the renderer and backends take it; :class:`ConfigError` if invalid."""
        page = CODE_PAGES.get(config.code_page.upper())
        cut = {m.value: m for m in CutMode}.get(config.cut.lower())
        if page is None or cut is None:
            raise ConfigError(_("The printer settings are not valid: check code page and cut."))
        if config.drawer_pin not in (2, 5):
            raise ConfigError(_("The cash drawer pin must be 2 or 5."))
        drawer = DrawerSettings(config.drawer_pin, config.drawer_on_ms, config.drawer_off_ms)
        render = RenderOptions(code_page=page, cut=cut, drawer=drawer)
        timeout = float(max(config.timeout_s, 1))
        return cls(config.spec.strip(), _width(config), render, timeout, config.status_check)


def _width(config: PrinterConfig) -> int:
    """Characters a line: the paper's own unless ``columns`` names another it can hold."""
    allowed = COLUMNS.get(config.width_mm, COLUMNS[80])
    return config.columns if config.columns in allowed else allowed[0]


def print_ticket(
    store: TillStore,
    number: str,
    settings: cfg.Settings,
    *,
    copy: bool = False,
    gift: bool = False,
) -> PrintResult:
    """Print ticket ``number`` (a reprint when ``copy``, a gift ticket when ``gift``).

    The drawer opens for the receipt of a sale or refund paid in cash, never for a reprint or a
    gift ticket (printed later, when no cash changes hands).
    """
    try:
        printer = PrinterSettings.from_settings(settings)
        ticket = get_ticket(store, number)
        if ticket is None:
            return PrintResult(False, _no_ticket(number))
        if not printer.spec:
            return PrintResult(False, _("No ticket printer is configured."), no_printer=True)
        drawer = _opens_drawer(ticket, later=copy or gift)
        options = ReceiptOptions(
            width=printer.width,
            gift=gift,
            copy=copy,
            open_drawer=drawer,
            fiscal_qr=qr_for_ticket(store, number),
        )
        document = build_receipt(ticket, shop_header(store, settings), options)
        return _send(document, printer)
    except ConfigError as error:
        return PrintResult(False, error.message)


def print_ticket_file(
    store: TillStore, number: str, settings_path: Path, *, copy: bool = False, gift: bool = False
) -> PrintResult:
    """:func:`print_ticket` with the settings read from ``settings_path``; never raises."""
    try:
        settings = cfg.Settings.load(settings_path)
    except ConfigError as error:
        return PrintResult(False, error.message)
    return print_ticket(store, number, settings, copy=copy, gift=gift)


def _send(document: Document, printer: PrinterSettings) -> PrintResult:
    return print_document(
        document, printer.spec, printer.render, printer.timeout, status_check=printer.status_check
    )


def _no_ticket(number: str) -> str:
    return _("There is no ticket {number} on this till.").format(number=number)


def _opens_drawer(ticket: Ticket, later: bool) -> bool:
    """The drawer opens when cash changes hands, not for a ticket printed later."""
    return not later and any(p.tender is TenderKind.CASH for p in ticket.payments)


def ticket_preview(
    store: TillStore, number: str, settings_path: Path, *, copy: bool = False, gift: bool = False
) -> Bitmap:
    """Ticket ``number`` drawn as the configured paper; :class:`ConfigError` if it is not here."""
    settings = cfg.Settings.load(settings_path)
    printer = PrinterSettings.from_settings(settings)
    ticket = get_ticket(store, number)
    if ticket is None:
        raise ConfigError(_no_ticket(number))
    options = ReceiptOptions(
        width=printer.width, gift=gift, copy=copy, fiscal_qr=qr_for_ticket(store, number)
    )
    return preview_bitmap(build_receipt(ticket, shop_header(store, settings), options))


def sample_document(config: PrinterConfig) -> Document:
    """The fixed sample ticket (accents, €, two VAT rates, change) laid out for ``config``."""
    printer = PrinterSettings.from_config(config)
    shop = replace(sample_shop(), nif=config.tax_id, footer=config.footer)
    return build_receipt(sample_ticket(), shop, ReceiptOptions(width=printer.width))


def sample_preview(config: PrinterConfig) -> Bitmap:
    return preview_bitmap(sample_document(config))


def print_sample(config: PrinterConfig) -> PrintResult:
    """The settings screen's test print, with ``config`` as typed (saved or not); never raises."""
    try:
        printer = PrinterSettings.from_config(config)
        if not printer.spec:
            return PrintResult(False, _("No ticket printer is configured."), no_printer=True)
        return _send(sample_document(config), printer)
    except ConfigError as error:
        return PrintResult(False, error.message)
