"""``mostrador print --ticket NUMBER --printer SPEC [--width 58|80] [--gift] [--copy]``.

Wired into ``app/cli.py`` by ``add_print_parser(subparsers)`` and ``run_print(args, store)``.
"""

from __future__ import annotations

import argparse
import sys

from app.i18n import _
from app.till.store import TillStore
from app.till.tickets import get_ticket
from printing.backends import print_document
from printing.document import WIDTH_58MM, WIDTH_80MM
from printing.receipt import ReceiptOptions, ShopHeader, build_receipt

WIDTHS = {"58": WIDTH_58MM, "80": WIDTH_80MM}


def add_print_parser(
    subparsers: argparse._SubParsersAction[argparse.ArgumentParser],
) -> argparse.ArgumentParser:
    parser = subparsers.add_parser("print", help=_("print a recorded ticket"))
    parser.add_argument("--ticket", required=True, metavar=_("NUMBER"), help=_("ticket number"))
    parser.add_argument(
        "--printer",
        required=True,
        metavar="SPEC",
        help=_("file:PATH, tcp:HOST:PORT, usb:VID:PID, serial:PORT[:BAUD] or win:PRINTER NAME"),
    )
    parser.add_argument("--width", choices=sorted(WIDTHS), default="80", help=_("paper in mm"))
    parser.add_argument("--gift", action="store_true", help=_("gift ticket, without prices"))
    parser.add_argument("--copy", action="store_true", help=_("mark the ticket as a copy"))
    return parser


def run_print(args: argparse.Namespace, store: TillStore, shop: ShopHeader | None = None) -> int:
    """Print ticket ``args.ticket``; 0 when printed, 1 when not (the message says why)."""
    ticket = get_ticket(store, args.ticket)
    if ticket is None:
        print(
            _("There is no ticket {number} on this till.").format(number=args.ticket),
            file=sys.stderr,
        )
        return 1
    options = ReceiptOptions(width=WIDTHS[args.width], gift=args.gift, copy=args.copy)
    document = build_receipt(ticket, shop or ShopHeader(name=ticket.till), options)
    result = print_document(document, args.printer)
    print(result.message, file=sys.stdout if result.ok else sys.stderr)
    return 0 if result.ok else 1
