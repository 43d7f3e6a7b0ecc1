"""Sales reports for the ERP: by day, hour, product, category, employee, payment method and
till, with margins from the cost price and the comparison with the previous period.

``run_report(ctx, ReportRequest(kind, date_from, date_to, compare))`` runs on a worker and
returns a frozen :class:`Report`: rows (one per day, hour, product…), their totals and, with
``compare``, the previous period of the same length (the days just before ``date_from``) with
each row's previous figure matched by key — by position for days (day 1 with day 1).

What counts as a sale and as a refund is written in the connector's docstring
(``erp_reports``): valid orders (``orders.valid = 1``) dated by their ``date_add``, minus
credit slips dated by the slip. Net = sales − refunds (tax included).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Literal

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from app.erp.context import ErpContext
from app.erp.orders import ensure_own_tables
from app.i18n import _
from connectors.prestashop import erp_reports as sql
from connectors.prestashop import erp_sales_day as sales_day
from connectors.prestashop.erp_orders import employee_names
from connectors.prestashop.erp_reports import Figure

ReportKind = Literal["day", "hour", "product", "category", "employee", "payment", "till"]
_Source = ReportKind | Literal["day_summary"]  # sales by day read from the summary table
KINDS: tuple[ReportKind, ...] = (
    "day",
    "hour",
    "product",
    "category",
    "employee",
    "payment",
    "till",
)
ZERO = Decimal(0)
CENT = Decimal("0.01")
logger = logging.getLogger(__name__)
_SUMMARY_LOCK = threading.Lock()
_SUMMARY: dict[Engine, bool] = {}  # engine → its summary tables exist (False: cannot create)


def kind_title(kind: ReportKind) -> str:
    titles = {
        "day": _("Sales by day"), "hour": _("Sales by hour"), "product": _("Sales by product"),
        "category": _("Sales by category"), "employee": _("Sales by employee"),
        "payment": _("Sales by payment method"), "till": _("Sales by till"),
    }  # fmt: skip
    return titles[kind]


@dataclass(frozen=True)
class ReportRequest:
    kind: ReportKind
    date_from: date
    date_to: date  # included
    compare: bool = False

    @property
    def days(self) -> int:
        return (self.date_to - self.date_from).days + 1

    def previous(self) -> tuple[date, date]:
        """The period of the same length just before this one."""
        end = self.date_from - timedelta(days=1)
        return end - timedelta(days=self.days - 1), end


@dataclass(frozen=True)
class ReportRow:
    key: str
    label: str
    orders: int
    quantity: int
    sales_tax_excl: Decimal
    sales_tax_incl: Decimal
    refunds_tax_incl: Decimal
    net_tax_incl: Decimal
    cost: Decimal
    margin: Decimal  # net sales tax excl. − cost (product and category reports)
    previous_net_tax_incl: Decimal | None = None  # with ``compare``


@dataclass(frozen=True)
class Report:
    request: ReportRequest
    rows: tuple[ReportRow, ...]
    total: ReportRow
    previous_total: ReportRow | None
    previous_from: date | None
    previous_to: date | None

    @property
    def change_percent(self) -> Decimal | None:
        """Net sales change against the previous period, in percent (None: nothing before)."""
        if self.previous_total is None or not self.previous_total.net_tax_incl:
            return None
        before = self.previous_total.net_tax_incl
        return ((self.total.net_tax_incl - before) / before * 100).quantize(CENT)


def run_report(ctx: ErpContext, request: ReportRequest) -> Report:
    _own_tables(ctx)
    kind: _Source = request.kind
    if kind == "day" and refresh_sales_days(ctx):
        kind = "day_summary"
    with Session(ctx.engine) as session:
        rows = _rows(session, ctx, kind, request.date_from, request.date_to)
        previous: list[ReportRow] | None = None
        start = end = None
        if request.compare:
            start, end = request.previous()
            previous = _rows(session, ctx, kind, start, end)
    if previous is None:
        return Report(request, tuple(rows), _total(rows), None, None, None)
    before = _total(previous)
    rows = _matched(request, rows, previous)
    total = _with_previous(_total(rows), before.net_tax_incl)
    return Report(request, tuple(rows), total, before, start, end)


def _own_tables(ctx: ErpContext) -> None:
    """The till table the till report joins; a user who may not create tables still gets
    the reports when a till created it (MariaDB checks CREATE even for IF NOT EXISTS)."""
    try:
        ensure_own_tables(ctx)
    except DBAPIError as error:
        logger.warning("Mostrador's tables not ensured: %s", error.orig)


def refresh_sales_days(ctx: ErpContext, *, full: bool = False) -> bool:
    """Bring the sales-by-day summary up to date; False when it cannot be used here (the
    database user may not create our table, or the refresh failed: logged, and the report
    reads the orders themselves)."""
    if not _summary_tables(ctx):
        return False
    try:
        done = sales_day.refresh(ctx.engine, ctx.shop, full=full)
    except DBAPIError as error:
        logger.warning("sales-by-day summary not refreshed, reading the orders: %s", error.orig)
        return False
    if done.full or done.seconds > 1:
        logger.info("sales-by-day summary: %d days in %.1f s (full: %s)", done.days,
                    done.seconds, done.full)  # fmt: skip
    return True


def recalculate_sales_days(ctx: ErpContext) -> bool:
    """Rebuild every day of the summary ("Recalculate"); False when there is no summary."""
    return refresh_sales_days(ctx, full=True)


def _summary_tables(ctx: ErpContext) -> bool:
    with _SUMMARY_LOCK:
        if ctx.engine not in _SUMMARY:
            try:
                sales_day.ensure_sales_day(ctx.engine, ctx.shop.prefix)
                _SUMMARY[ctx.engine] = True
            except DBAPIError as error:
                logger.warning(
                    "no sales-by-day summary (cannot create %smostrador_sales_day: %s): "
                    "day reports read the orders",
                    ctx.shop.prefix,
                    error.orig,
                )
                _SUMMARY[ctx.engine] = False
        return _SUMMARY[ctx.engine]


def _rows(
    session: Session, ctx: ErpContext, kind: _Source, first: date, last: date
) -> list[ReportRow]:
    start = datetime.combine(first, time())
    end = datetime.combine(last + timedelta(days=1), time())
    figures = _FETCH[kind](session, ctx, start, end)
    if kind in ("day", "day_summary"):
        figures = _every_day(figures, first, last)
    elif kind == "employee":
        figures = _named_employees(session, ctx, figures)
    elif kind == "till":
        figures = [_web_till(f) for f in figures]
    rows = [_row(f, with_margin=kind in ("product", "category")) for f in figures]
    if kind not in ("day", "day_summary", "hour"):
        rows.sort(key=lambda r: (-r.net_tax_incl, r.label))
    return rows


_Fetch = Callable[[Session, ErpContext, datetime, datetime], list[Figure]]
_FETCH: dict[_Source, _Fetch] = {
    "day": lambda s, c, a, b: sql.by_period(s, c.shop, a, b, "day"),
    "day_summary": lambda s, c, a, b: sales_day.read_days(
        s, c.shop, a.date(), b.date() - timedelta(days=1)
    ),
    "hour": lambda s, c, a, b: sql.by_period(s, c.shop, a, b, "hour"),
    "product": lambda s, c, a, b: sql.by_line_group(s, c.shop, a, b, "product"),
    "category": lambda s, c, a, b: sql.by_line_group(s, c.shop, a, b, "category"),
    "employee": lambda s, c, a, b: sql.by_order_group(s, c.shop, a, b, "employee"),
    "till": lambda s, c, a, b: sql.by_order_group(s, c.shop, a, b, "till"),
    "payment": lambda s, c, a, b: sql.by_payment(s, c.shop, a, b),
}


def _every_day(figures: list[Figure], first: date, last: date) -> list[Figure]:
    """One figure per day of the period, zero where nothing was sold (a chart needs them)."""
    found = {f.key: f for f in figures}
    days = ((first + timedelta(days=n)).isoformat() for n in range((last - first).days + 1))
    return [found.get(day, Figure(day, day)) for day in days]


def _named_employees(session: Session, ctx: ErpContext, figures: list[Figure]) -> list[Figure]:
    names = employee_names(session, ctx.shop, {int(f.key) for f in figures if f.key != "0"})
    web = _("Customer (web)")
    return [
        Figure(
            f.key,
            names.get(int(f.key), f"#{f.key}") if f.key != "0" else web,
            f.orders,
            f.quantity,
            f.tax_excl,
            f.tax_incl,
            f.refunds_tax_excl,
            f.refunds_tax_incl,
            f.cost,
        )  # fmt: skip
        for f in figures
    ]


def _web_till(figure: Figure) -> Figure:
    if figure.key:
        return figure
    return Figure("", _("Web shop"), figure.orders, figure.quantity, figure.tax_excl,
                  figure.tax_incl, figure.refunds_tax_excl, figure.refunds_tax_incl,
                  figure.cost)  # fmt: skip


def _row(figure: Figure, with_margin: bool) -> ReportRow:
    net_excl = figure.tax_excl - figure.refunds_tax_excl
    margin = (net_excl - figure.cost) if with_margin else ZERO
    return ReportRow(
        key=figure.key, label=figure.label, orders=figure.orders, quantity=figure.quantity,
        sales_tax_excl=_cents(figure.tax_excl), sales_tax_incl=_cents(figure.tax_incl),
        refunds_tax_incl=_cents(figure.refunds_tax_incl),
        net_tax_incl=_cents(figure.tax_incl - figure.refunds_tax_incl),
        cost=_cents(figure.cost), margin=_cents(margin),
    )  # fmt: skip


def _cents(value: Decimal) -> Decimal:
    return value.quantize(CENT)


def _matched(
    request: ReportRequest, rows: list[ReportRow], before: list[ReportRow]
) -> list[ReportRow]:
    if request.kind == "day":
        pairs = zip(rows, [r.net_tax_incl for r in before], strict=False)
        return [_with_previous(row, value) for row, value in pairs]
    previous = {r.key: r.net_tax_incl for r in before}
    return [_with_previous(row, previous.get(row.key, ZERO)) for row in rows]


def _with_previous(row: ReportRow, value: Decimal) -> ReportRow:
    return ReportRow(
        row.key, row.label, row.orders, row.quantity, row.sales_tax_excl, row.sales_tax_incl,
        row.refunds_tax_incl, row.net_tax_incl, row.cost, row.margin, value,
    )  # fmt: skip


def _total(rows: list[ReportRow]) -> ReportRow:
    def total(get: Callable[[ReportRow], Decimal]) -> Decimal:
        return sum((get(r) for r in rows), ZERO)

    previous = [r.previous_net_tax_incl for r in rows if r.previous_net_tax_incl is not None]
    return ReportRow(
        key="", label=_("Total"), orders=sum(r.orders for r in rows),
        quantity=sum(r.quantity for r in rows), sales_tax_excl=total(lambda r: r.sales_tax_excl),
        sales_tax_incl=total(lambda r: r.sales_tax_incl),
        refunds_tax_incl=total(lambda r: r.refunds_tax_incl),
        net_tax_incl=total(lambda r: r.net_tax_incl), cost=total(lambda r: r.cost),
        margin=total(lambda r: r.margin),
        previous_net_tax_incl=sum(previous, ZERO) if previous else None,
    )  # fmt: skip
