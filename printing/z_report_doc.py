"""The cash session's Z report (X report while the session is open) as a receipt document."""

from __future__ import annotations

from datetime import datetime

from app.formatting import format_money
from app.i18n import _
from app.till.z_report import TaxTotal, ZReport
from printing.document import Align, Block, Columns, Cut, Document, Separator, Text
from printing.receipt import ShopHeader, format_percent, shop_header


def build_z_report(report: ZReport, shop: ShopHeader, width: int = 48) -> Document:
    title = _("Z REPORT") if report.closed_at is not None else _("X REPORT (session open)")
    blocks: list[Block] = [*shop_header(shop), Text(title, Align.CENTER, bold=True)]
    blocks += _session(report)
    blocks += _sales(report)
    blocks += _taxes(_("Sales by VAT rate"), report.sales_by_tax)
    blocks += _taxes(_("Refunds by VAT rate"), report.refunds_by_tax)
    blocks += _cash(report)
    blocks.append(Cut())
    return Document(width, tuple(blocks))


def _when(moment: datetime | None) -> str:
    return moment.strftime("%d/%m/%Y %H:%M") if moment else "-"


def _session(report: ZReport) -> list[Block]:
    return [
        Columns(_("Till"), report.till),
        Columns(_("Opened"), _when(report.opened_at)),
        Columns(_("Closed"), _when(report.closed_at)),
        Columns(_("First ticket"), report.first_ticket or "-"),
        Columns(_("Last ticket"), report.last_ticket or "-"),
        Separator(),
    ]


def _sales(report: ZReport) -> list[Block]:
    blocks: list[Block] = [
        Columns(
            _("Sales ({count})").format(count=report.sales.count),
            format_money(report.sales.total_tax_incl),
        ),
        Columns(
            _("Refunds ({count})").format(count=report.refunds.count),
            format_money(-report.refunds.total_tax_incl),
        ),
        Columns(_("NET SALES"), format_money(report.net_sales), bold=True),
        Separator(),
    ]
    for method in report.by_method:
        blocks.append(Columns(method.label, format_money(method.net)))
    blocks.append(Separator())
    return blocks


def _taxes(title: str, rows: tuple[TaxTotal, ...]) -> list[Block]:
    if not rows:
        return []
    blocks: list[Block] = [Text(title, bold=True)]
    for row in rows:
        left = f"{format_percent(row.rate):>7} {format_money(row.base):>12}"
        blocks.append(Columns(left, format_money(row.quota)))
    blocks.append(Separator())
    return blocks


def _cash(report: ZReport) -> list[Block]:
    cash = report.cash
    blocks: list[Block] = [
        Text(_("Cash drawer"), bold=True),
        Columns(_("Opening float"), format_money(report.opening_float)),
        Columns(_("Cash sales"), format_money(cash.cash_sales)),
        Columns(_("Cash refunds"), format_money(-cash.cash_refunds)),
        Columns(_("Cash in"), format_money(cash.cash_in)),
        Columns(_("Cash out"), format_money(-cash.cash_out)),
        Columns(_("Expected in drawer"), format_money(report.expected), bold=True),
    ]
    if report.counted is not None:
        blocks.append(Columns(_("Counted"), format_money(report.counted)))
    if report.difference is not None:
        blocks.append(Columns(_("Difference"), format_money(report.difference), bold=True))
    return blocks
