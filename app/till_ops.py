"""Worker functions of the cash-session and returns screens (Qt-free).

Plain arguments in, frozen values out; each runs on a worker thread through ``ui/tasks.py``
(writes on the till-store writer: :func:`open_cash`, :func:`move_cash`, :func:`begin_closing`,
:func:`resume_selling`, :func:`close_session`, :func:`record_return`; the rest are reads, except
:func:`check_cash` and :func:`refund_preview`, pure enough for the GUI thread).

Blind closing: a cashier who is not a manager counts without seeing what the drawer should
hold, and the Z report shown or printed for them (``blind``) has its cash-drawer section reduced
to the counted amount (float, cash sales and movements would give the expected amount away).
The store records the expected amount and the difference all the same; a manager sees them
while counting and afterwards in the full Z report (:func:`last_closed_session_id`).
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import select

from app import paths
from app.config import settings as cfg
from app.errors import ConfigError
from app.formatting import format_money
from app.i18n import _
from app.print_service import PrinterSettings
from app.receipt_header import shop_header
from app.sale.payment_methods import PaymentMethods
from app.sale.price_inputs import Employee
from app.sale.returns import ORIGINAL, ReturnLine, Sold, build_refund, refund, sold_lines
from app.till.cash_drawer import (
    CashMovement,
    add_cash_movement,
    close_cash_session,
    current_cash_session,
    open_cash_session,
    resume_cash_session,
    start_closing,
)
from app.till.cash_session import (
    CashSession,
    CashSessionState,
    Denominations,
    MovementKind,
    check_cash_amount,
    count_denominations,
)
from app.till.errors import CashSessionRefused, TicketRefused
from app.till.models import CashSessionRow, TicketRow
from app.till.records import TenderKind, Ticket
from app.till.store import TillStore
from app.till.ticket_rows import load_tickets
from app.till.tickets import find_ticket_for_return
from app.till.z_report import ZReport, z_report
from app.till_runtime import TillRuntime
from printing.backends import PrintResult, print_document
from printing.document import WIDTH_58MM, WIDTH_80MM, Block, Columns, Cut, Document, Text
from printing.preview import render_preview
from printing.z_report_doc import build_z_report

MAX_CASH = Decimal("100000.00")  # more than any drawer holds: a code typed in the amount field


def is_manager(employee: Employee) -> bool:
    """Managers see the expected cash and the difference."""
    return employee.is_manager


def check_cash(value: Decimal | None, what: str, *, allow_zero: bool = False) -> Decimal:
    """``value`` (as parsed from what the cashier typed, None: not a number) or a clear refusal."""
    if value is None:
        raise CashSessionRefused(_("{what}: type an amount, for example 20,00.").format(what=what))
    check_cash_amount(value, what, allow_zero=allow_zero)
    if value > MAX_CASH:
        raise CashSessionRefused(
            _("{what} cannot be more than {most}: check the amount.").format(
                what=what, most=format_money(MAX_CASH)
            )
        )
    return value


def counted_total(counted: Decimal | Denominations) -> Decimal:
    """An amount as it is, or the sum of a count by note and coin (refused when invalid)."""
    return counted if isinstance(counted, Decimal) else count_denominations(counted)[0]


# --------------------------------------------------------------------------- cash session


def open_cash(runtime: TillRuntime, counted: Decimal | Denominations) -> CashSession:
    """Open the cash session with the float (an amount or a count by note and coin)."""
    amount = check_cash(counted_total(counted), _("The opening float"), allow_zero=True)
    return open_cash_session(runtime.store, amount, runtime.employee.id_employee)


def move_cash(
    runtime: TillRuntime, kind: MovementKind, amount: Decimal | None, reason: str
) -> CashMovement:
    """Cash in (``CASH_IN``) or out (``CASH_OUT``) of the drawer, with a reason."""
    checked = check_cash(amount, _("The amount"))
    return add_cash_movement(runtime.store, kind, checked, reason, runtime.employee.id_employee)


@dataclass(frozen=True)
class ClosingStart:
    """The session being closed (no more sales meanwhile) and what the drawer should hold."""

    session: CashSession
    expected: Decimal
    manager: bool  # may see ``expected`` and the difference


def begin_closing(runtime: TillRuntime) -> ClosingStart:
    """open → closing (a session already being closed stays so) while the cashier counts."""
    current = current_cash_session(runtime.store)
    if current is None:
        raise CashSessionRefused(_("There is no open cash session to close."))
    if current.state is CashSessionState.OPEN:
        current = start_closing(runtime.store)
    report = z_report(runtime.store, current.id)
    return ClosingStart(current, report.expected, is_manager(runtime.employee))


def resume_selling(runtime: TillRuntime) -> CashSession:
    """closing → open: the cashier went back to selling without closing."""
    return resume_cash_session(runtime.store)


@dataclass(frozen=True)
class ClosingResult:
    session: CashSession  # closed: counted, expected, difference
    report: ZReport


def close_session(
    runtime: TillRuntime, counted: Decimal | Denominations, note: str = ""
) -> ClosingResult:
    """Close the session with the counted cash; the difference is recorded as it is."""
    check_cash(counted_total(counted), _("The counted cash"), allow_zero=True)
    closed = close_cash_session(runtime.store, counted, runtime.employee.id_employee, note.strip())
    return ClosingResult(closed, z_report(runtime.store, closed.id))


def last_closed_session_id(store: TillStore) -> str | None:
    """The till's most recently closed cash session, for a manager to review its Z report."""
    with store.read() as session:
        return session.scalars(
            select(CashSessionRow.id)
            .where(
                CashSessionRow.till == store.till,
                CashSessionRow.state == CashSessionState.CLOSED.value,
            )
            .order_by(CashSessionRow.closed_at.desc())
            .limit(1)
        ).first()


# --------------------------------------------------------------------------- Z report


@dataclass(frozen=True)
class ZPrintRequest:
    """What ``print_requested`` carries: print this session's Z report (blind or full)."""

    session_id: str
    blind: bool


def load_settings() -> cfg.Settings:
    return cfg.Settings.load(paths.config_dir() / cfg.FILE_NAME)


def z_report_document(
    store: TillStore, session_id: str, settings: cfg.Settings, *, blind: bool, width: int = 0
) -> Document:
    """The Z report as paper (the configured width unless ``width``), blind or full."""
    report = z_report(store, session_id)
    if not width:
        width = WIDTH_58MM if settings.get(cfg.PRINTER_WIDTH) == 58 else WIDTH_80MM
    document = build_z_report(report, shop_header(store, settings), width)
    return blind_document(document, report) if blind else document


def blind_document(document: Document, report: ZReport) -> Document:
    """``document`` with its cash-drawer section reduced to the counted amount."""
    section = Text(_("Cash drawer"), bold=True)
    if section not in document.blocks:
        raise ValueError("the Z report has no cash-drawer section")
    kept = document.blocks[: document.blocks.index(section)]
    blocks: list[Block] = [*kept, section]
    if report.counted is not None:
        blocks.append(Columns(_("Counted"), format_money(report.counted), bold=True))
    blocks.append(Cut())
    return Document(document.width, tuple(blocks))


def z_report_image(
    runtime: TillRuntime,
    session_id: str,
    *,
    blind: bool,
    settings: cfg.Settings | None = None,
    scale: int = 1,
) -> bytes:
    """The Z report drawn as the paper looks, as PNG bytes."""
    settings = settings or load_settings()
    document = z_report_document(runtime.store, session_id, settings, blind=blind)
    buffer = io.BytesIO()
    render_preview(document, dpi_scale=scale).save(buffer, format="PNG")
    return buffer.getvalue()


def print_z_report(
    runtime: TillRuntime, request: ZPrintRequest, settings: cfg.Settings | None = None
) -> PrintResult:
    """Print the Z report with the configured printer; a fault is a message, never raised."""
    settings = settings or load_settings()
    try:
        printer = PrinterSettings.from_settings(settings)
    except ConfigError as error:
        return PrintResult(False, error.message)
    if not printer.spec:
        return PrintResult(False, _("No ticket printer is configured."))
    document = z_report_document(
        runtime.store, request.session_id, settings, blind=request.blind, width=printer.width
    )
    return print_document(document, printer.spec, printer.render)


# --------------------------------------------------------------------------- returns


@dataclass(frozen=True)
class ReturnableLine:
    line_no: int
    name: str
    reference: str
    unit_price: Decimal  # tax included, 6 decimals, before the till's discounts
    total: Decimal  # what the line was paid, tax included
    sold: int
    returned: int  # by earlier refunds
    returnable: int


@dataclass(frozen=True)
class RefundMethod:
    code: str  # ``returns.ORIGINAL`` or a payment method code
    label: str


@dataclass(frozen=True)
class ReturnContext:
    """A sale a customer brings back, with what each line can still give back."""

    ticket: Ticket
    lines: tuple[ReturnableLine, ...]
    sold: tuple[Sold, ...]
    methods: tuple[RefundMethod, ...]  # the first is the default

    @property
    def fully_returned(self) -> bool:
        return all(line.returnable == 0 for line in self.lines)

    def returnable(self, line_no: int) -> int:
        return next((ln.returnable for ln in self.lines if ln.line_no == line_no), 0)


def load_return(runtime: TillRuntime, number: str) -> ReturnContext:
    """Sale ``number`` (scanned or typed) and what is left to give back of it."""
    original = find_ticket_for_return(runtime.store, number.strip())
    sold = sold_lines(original, _refunds_of(runtime.store, original.number))
    lines = tuple(
        ReturnableLine(
            line_no=n,
            name=s.line.name,
            reference=s.line.reference,
            unit_price=s.line.unit_price_tax_incl,
            total=s.line.total_tax_incl,
            sold=s.line.quantity,
            returned=s.line.quantity - s.units_left,
            returnable=s.units_left,
        )
        for n, s in sorted(sold.items())
    )
    return ReturnContext(original, lines, tuple(sold.values()), _refund_methods(original))


def _refund_methods(original: Ticket) -> tuple[RefundMethod, ...]:
    cash = RefundMethod(PaymentMethods().cash.code, _("Cash"))
    other = [p.label for p in original.payments if p.tender is not TenderKind.CASH]
    if not other:
        return (cash,)
    paid = " + ".join(dict.fromkeys(p.label for p in original.payments))
    return (RefundMethod(ORIGINAL, _("As paid ({methods})").format(methods=paid)), cash)


def _wanted(quantities: Mapping[int, int], restock: bool) -> list[ReturnLine]:
    return [ReturnLine(n, q, restock) for n, q in sorted(quantities.items()) if q]


def refund_preview(
    context: ReturnContext,
    quantities: Mapping[int, int],
    *,
    method: str,
    restock: bool,
    employee: Employee,
) -> Ticket | None:
    """The refund the screen would record (pure: the amounts to show), None when empty."""
    wanted = _wanted(quantities, restock)
    if not wanted:
        return None
    sold = {s.line.line_no: s for s in context.sold}
    return build_refund(
        context.ticket.till,
        context.ticket,
        sold,
        wanted,
        employee=employee,
        method=method,
        methods=PaymentMethods(),
        now=datetime.now(),
    )


def record_return(
    runtime: TillRuntime,
    number: str,
    quantities: Mapping[int, int],
    *,
    method: str,
    restock: bool,
) -> Ticket:
    """Record the refund of ``quantities`` (line → units) of sale ``number``; wake the push."""
    wanted = _wanted(quantities, restock)
    if not wanted:
        raise TicketRefused(_("Choose at least one unit to refund."))
    ticket = refund(runtime.store, number, runtime.employee, wanted, method=method)
    runtime.wake()
    return ticket


def _refunds_of(store: TillStore, number: str) -> Sequence[Ticket]:
    with store.read() as session:
        rows = session.scalars(
            select(TicketRow).where(TicketRow.original_ticket == number).order_by(TicketRow.id)
        ).all()
        return load_tickets(session, rows)
