"""``mostrador cash …``, ``mostrador sale`` and ``mostrador return``: selling from the command line.

The same code paths as the TPV window (cart, payment plan, checkout, returns, cash drawer),
for support, scripts and benchmarks. Each prints its result as JSON on stdout (amounts as
strings, e.g. ``"62.30"``); bad input raises a :class:`~app.errors.UserFacingError`, which the
CLI prints on stderr with exit code 2.

``app/cli.py`` wires them in: :func:`add_sale_parsers` adds the parsers (it returns them so the
global options can be added to each), :func:`run_sale_command` runs the one chosen. The
namespace carries the global ``store`` and ``till`` options and this module's ``employee``.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from dataclasses import asdict
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from enum import Enum
from pathlib import Path
from typing import Any

from app import paths
from app.config import settings as cfg
from app.errors import UserFacingError
from app.i18n import _
from app.sale.cart import Cart
from app.sale.checkout import checkout
from app.sale.payment_methods import PaymentPlan
from app.sale.price_inputs import Employee, StoreSource, find_customer, find_employee
from app.sale.returns import ORIGINAL, ReturnLine, refund
from app.till.cash_drawer import add_cash_movement, close_cash_session, open_cash_session
from app.till.cash_session import MovementKind
from app.till.catalog import CatalogItem, find_by_barcode
from app.till.records import Ticket
from app.till.store import TillStore, default_path, open_store
from app.till.tickets import refundable_quantities
from app.till.z_report import z_report

SALE_COMMANDS = frozenset({"cash", "sale", "return"})
_CODE_FIELDS = ("ean13", "reference", "upc", "code")
Handler = Callable[[argparse.Namespace, TillStore, Employee], dict[str, Any]]


def add_sale_parsers(
    subparsers: argparse._SubParsersAction[argparse.ArgumentParser],
) -> list[argparse.ArgumentParser]:
    """Add ``cash`` (open, move, close), ``sale`` and ``return``; returns every parser added."""
    cash = subparsers.add_parser("cash", help=_("open, move and close the till's cash"))
    actions = cash.add_subparsers(dest="cash_command", metavar=_("action"), required=True)
    opening = actions.add_parser("open", help=_("open the cash session with a float"))
    opening.add_argument("--float", dest="amount", type=amount_arg, required=True)
    opening.set_defaults(sale_handler=_cash_open)
    move = actions.add_parser("move", help=_("put cash in or take it out, with a reason"))
    direction = move.add_mutually_exclusive_group(required=True)
    direction.add_argument("--in", dest="cash_in", type=amount_arg, metavar="AMOUNT")
    direction.add_argument("--out", dest="cash_out", type=amount_arg, metavar="AMOUNT")
    move.add_argument("--reason", required=True)
    move.set_defaults(sale_handler=_cash_move)
    closing = actions.add_parser("close", help=_("close the cash session; prints the Z report"))
    closing.add_argument("--counted", type=amount_arg, required=True)
    closing.add_argument("--note", default="")
    closing.set_defaults(sale_handler=_cash_close)
    sale = subparsers.add_parser("sale", help=_("record a sale described in a JSON file"))
    sale.add_argument("--file", type=Path, required=True, metavar="SALE.json")
    sale.set_defaults(sale_handler=_sale)
    parsers = [cash, opening, move, closing, sale, _add_return_parser(subparsers)]
    for parser in parsers[1:]:
        parser.add_argument("--employee", type=int, metavar="ID", help=_("employee id"))
    return parsers


def _add_return_parser(
    subparsers: argparse._SubParsersAction[argparse.ArgumentParser],
) -> argparse.ArgumentParser:
    parser = subparsers.add_parser("return", help=_("refund (part of) a sale ticket"))
    parser.add_argument("--ticket", required=True, metavar="NUMBER")
    parser.add_argument("--line", type=int, action="append", default=[], metavar="N")
    parser.add_argument("--quantity", type=int, action="append", default=[], metavar="Q")
    parser.add_argument("--no-restock", action="store_true", help=_("do not put back on sale"))
    parser.add_argument("--method", default=ORIGINAL, help=_("cash, card… (default: as paid)"))
    parser.set_defaults(sale_handler=_return)
    return parser


LiveLookupFn = Callable[[TillStore, str], list[CatalogItem]]


def run_sale_command(args: argparse.Namespace, live: LiveLookupFn | None = None) -> int:
    """Run the command the parsers of :func:`add_sale_parsers` chose; print its JSON.

    ``live`` asks the shop for codes the till does not know (``app.sync.live_lookup``)."""
    args.live_lookup = live
    handler: Handler = args.sale_handler
    with open_store(_till(args), _store_path(args)) as store:
        employee = find_employee(store, getattr(args, "employee", None))
        result = handler(args, store, employee)
    print(json.dumps(result, default=_json_default, ensure_ascii=False, indent=2))
    return 0


def amount_arg(text: str) -> Decimal:
    """An amount typed by the user: ``12.30`` or ``12,30``."""
    try:
        value = Decimal(text.strip().replace(",", "."))
    except InvalidOperation as error:
        raise argparse.ArgumentTypeError(
            _("{text!r} is not an amount.").format(text=text)
        ) from error
    if not value.is_finite():
        raise argparse.ArgumentTypeError(_("{text!r} is not an amount.").format(text=text))
    return _money(value)


# --- cash ----------------------------------------------------------------------------------


def _cash_open(args: argparse.Namespace, store: TillStore, employee: Employee) -> dict[str, Any]:
    cash = open_cash_session(store, args.amount, employee.id_employee)
    return {"session": cash.id, "state": cash.state, "opened_at": cash.opened_at,
            "float": cash.opening_float}  # fmt: skip


def _cash_move(args: argparse.Namespace, store: TillStore, employee: Employee) -> dict[str, Any]:
    kind = MovementKind.CASH_IN if args.cash_in is not None else MovementKind.CASH_OUT
    amount = args.cash_in if args.cash_in is not None else args.cash_out
    movement = add_cash_movement(store, kind, amount, args.reason, employee.id_employee)
    return asdict(movement)


def _cash_close(args: argparse.Namespace, store: TillStore, employee: Employee) -> dict[str, Any]:
    closed = close_cash_session(store, args.counted, employee.id_employee, note=args.note)
    return asdict(z_report(store, closed.id))


# --- sale ----------------------------------------------------------------------------------


def _sale(args: argparse.Namespace, store: TillStore, employee: Employee) -> dict[str, Any]:
    spec = _read_sale_file(args.file)
    cart = Cart(StoreSource(store))
    if isinstance(customer := spec.get("customer"), dict) and customer.get("email"):
        cart.set_customer(find_customer(store, str(customer["email"])))
    live: LiveLookupFn | None = getattr(args, "live_lookup", None)
    for line in _list(spec, "lines"):
        _add_line(store, cart, line, employee, live)
    if "discount_percent" in spec:
        cart.set_ticket_discount(_decimal(spec["discount_percent"]), employee.id_employee)
    now = datetime.now()
    totals = cart.priced(now).totals
    plan = PaymentPlan(totals.total_tax_incl)
    for payment in _list(spec, "payments"):
        plan.add(str(payment.get("method", "")), _decimal(payment.get("amount")))
    ticket = checkout(store, cart, plan, employee, now=now)
    taxes = [
        {"name": row.name, "rate": row.rate, "base": row.base, "quota": row.quota}
        for row in totals.breakdown
    ]
    return ticket_summary(ticket) | {"taxes": taxes}


def _add_line(
    store: TillStore,
    cart: Cart,
    line: dict[str, Any],
    employee: Employee,
    live: LiveLookupFn | None = None,
) -> None:
    item = _find_item(store, line, live)
    quantity = line.get("quantity", 1)
    cart.add(item, quantity)
    if "discount_percent" in line:
        key = (item.id_product, item.id_product_attribute)
        [added] = [ln for ln in cart.lines if ln.key == key]
        approver = line.get("approved_by", employee.id_employee)
        cart.set_line_discount(added, _decimal(line["discount_percent"]), approver)


def _find_item(store: TillStore, line: dict[str, Any], live: LiveLookupFn | None) -> CatalogItem:
    field = next((f for f in _CODE_FIELDS if line.get(f)), None)
    if field is None:
        raise UserFacingError(_("Each line needs an ean13, a reference or a upc."))
    code = str(line[field]).strip()
    found = [item for item in find_by_barcode(store, code) if _matches(item, field, code)]
    if not found and live is not None:  # not in the till yet: ask the shop, when online
        found = [item for item in live(store, code) if _matches(item, field, code)]
    if not found:
        raise UserFacingError(
            _("There is no product with {field} {code}.").format(field=field, code=code)
        )
    return found[0]


def _matches(item: CatalogItem, field: str, code: str) -> bool:
    if field == "code":
        return True
    value: str = getattr(item, field)
    return value == code or value.lstrip("0") == code.lstrip("0")


def _read_sale_file(path: Path) -> dict[str, Any]:
    try:
        spec = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise UserFacingError(
            _("Cannot read {path}: {reason}").format(path=path, reason=error.strerror)
        ) from error
    except ValueError as error:
        raise UserFacingError(
            _("{path} is not valid JSON: {reason}").format(path=path, reason=error)
        ) from error
    if not isinstance(spec, dict) or not _list(spec, "lines"):
        raise UserFacingError(_('{path} must be a JSON object with "lines".').format(path=path))
    return spec


def _list(spec: dict[str, Any], key: str) -> list[dict[str, Any]]:
    value = spec.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise UserFacingError(_('"{key}" must be a list of objects.').format(key=key))
    return value


def _decimal(value: object) -> Decimal:
    if isinstance(value, str | int) and not isinstance(value, bool):
        try:
            result = Decimal(str(value).strip().replace(",", "."))
        except InvalidOperation:
            result = Decimal("NaN")
        if result.is_finite():
            return result
    raise UserFacingError(
        _('{value!r} is not an amount (write it as a string, "12.30").').format(value=value)
    )


# --- return --------------------------------------------------------------------------------


def _return(args: argparse.Namespace, store: TillStore, employee: Employee) -> dict[str, Any]:
    restock = not args.no_restock
    lines: list[ReturnLine] | None = None
    if args.line:
        quantities = args.quantity or [None] * len(args.line)
        if len(quantities) != len(args.line):
            raise UserFacingError(_("Give one --quantity for each --line, or none."))
        lines = [
            _return_line(store, args.ticket, n, q, restock)
            for n, q in zip(args.line, quantities, strict=True)
        ]
    elif args.quantity:
        raise UserFacingError(_("--quantity needs the --line it refers to."))
    ticket = refund(store, args.ticket, employee, lines, method=args.method, restock=restock)
    return ticket_summary(ticket) | {"original": ticket.original_ticket}


def _return_line(
    store: TillStore, number: str, line: int, quantity: int | None, restock: bool
) -> ReturnLine:
    if quantity is None:
        quantity = refundable_quantities(store, number).get(line, 0)
    return ReturnLine(line, quantity, restock)


# --- output --------------------------------------------------------------------------------


def ticket_summary(ticket: Ticket) -> dict[str, Any]:
    return {
        "ticket": ticket.number,
        "total": ticket.total_tax_incl,
        "total_tax_excl": ticket.total_tax_excl,
        "change": ticket.change,
        "lines": [
            {
                "line": line.line_no,
                "name": line.name,
                "reference": line.reference,
                "ean13": line.ean13,
                "quantity": line.quantity,
                "unit_price": line.unit_price_tax_incl.quantize(Decimal("0.01")),
                "discount_percent": line.discount_percent,
                "total": _money(line.total_tax_incl),
            }
            for line in ticket.lines
        ],  # fmt: skip
        "payments": [
            {
                "method": p.method,
                "label": p.label,
                "amount": p.amount,
                "given": p.given,
                "change": p.change,
            }
            for p in ticket.payments
        ],  # fmt: skip
    }


def _money(value: Decimal) -> Decimal:
    """Cents when that is exact (``24.200000`` → ``24.20``), else every decimal."""
    cents = value.quantize(Decimal("0.01"))
    return cents if cents == value else value


def _json_default(value: object) -> object:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat(sep=" ") if isinstance(value, datetime) else value.isoformat()
    if isinstance(value, Enum):
        return value.value
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def _till(args: argparse.Namespace) -> str:
    till = getattr(args, "till", None)
    if till:
        return str(till)
    return cfg.Settings.load(paths.config_dir() / cfg.FILE_NAME).get(cfg.TILL_NAME)


def _store_path(args: argparse.Namespace) -> Path:
    store = getattr(args, "store", None)
    return Path(store) if store else default_path(_till(args))


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m app.sale.commands [--store PATH] [--till NAME] COMMAND …`` (before wiring)."""
    parser = argparse.ArgumentParser(prog="mostrador")
    parser.add_argument("--store", type=Path)
    parser.add_argument("--till")
    add_sale_parsers(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    try:
        return run_sale_command(args)
    except UserFacingError as error:
        print(_("Error: {message}").format(message=error), file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
