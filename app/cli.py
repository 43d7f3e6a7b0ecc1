"""Command line: the same code paths the windows use, for support, tests and benchmarks.

``mostrador`` alone opens the window; ``mostrador doctor`` and ``mostrador demo-shop`` run
without any display. The GUI is handed in by ``ui.launch`` so that this module never imports Qt.
"""

from __future__ import annotations

import argparse
import getpass
import logging
import sys
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

from app import __version__, paths
from app.config import settings as cfg
from app.connection import ShopTarget, demo_target, ensure_demo_shop, parse_url
from app.errors import MostradorError, UserFacingError
from app.i18n import _, set_language
from app.logging_setup import setup_logging
from app.sale.commands import SALE_COMMANDS, add_sale_parsers, run_sale_command
from app.setup.runtime import OpenedTarget, PasswordNeeded, TypedSecrets, open_requested
from app.sync.commands import add_sync_parser, run_sync
from connectors.prestashop.sale_types import PushOptions
from printing.commands import add_print_parser, run_print

logger = logging.getLogger(__name__)

GuiRunner = Callable[["LaunchOptions"], int]


class LaunchOptions:
    """What the window needs to start: the shop target (or None: ask) and the till."""

    def __init__(self, target: ShopTarget | None, till: str, store: Path | None) -> None:
        self.target = target
        self.till = till
        self.store = store


def _add_global_options(parser: argparse.ArgumentParser, in_subcommand: bool) -> None:
    """Global options, accepted before or after the subcommand (``demo-shop --db URL``)."""

    def add(*names: str, **kwargs: object) -> None:
        if in_subcommand:
            kwargs["default"] = argparse.SUPPRESS
        parser.add_argument(*names, **kwargs)  # type: ignore[arg-type]

    add("--db", metavar="URL", help=_("shop database (SQLAlchemy URL)"))
    add("--prefix", help=_("PrestaShop table prefix (default ps_)"))
    add("--shop", type=int, metavar="ID", help=_("PrestaShop shop id"))
    add("--lang", metavar="ISO", help=_("language of product names"))
    add("--store", type=Path, metavar="PATH", help=_("this till's local store"))
    add("--till", metavar="NAME", help=_("this till's name"))
    add("--demo", action="store_true", help=_("use the built-in demo shop"))
    add("--language", choices=("es", "en"), help=_("interface language"))
    add("--verbose", "-v", action="store_true", help=_("log debug details"))


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mostrador", description=_("Point of sale and back office for PrestaShop shops.")
    )
    parser.add_argument("--version", action="version", version=f"Mostrador {__version__}")
    parser.add_argument(
        "--self-test", action="store_true", help=_("check this installation and exit")
    )
    _add_global_options(parser, in_subcommand=False)
    sub = parser.add_subparsers(dest="command", metavar=_("command"))
    commands = {
        "run": _("open the window (default)"),
        "doctor": _("check the connection to the shop database"),
        "demo-shop": _("build a PrestaShop-shaped demo shop"),
    }
    subparsers = {name: sub.add_parser(name, help=text) for name, text in commands.items()}
    for subparser in subparsers.values():
        _add_global_options(subparser, in_subcommand=True)
    for subparser in add_sale_parsers(sub):
        _add_global_options(subparser, in_subcommand=True)
    _add_global_options(add_sync_parser(sub), in_subcommand=True)
    _add_global_options(add_print_parser(sub), in_subcommand=True)
    demo = subparsers["demo-shop"]
    demo.add_argument("--products", type=int, default=300)
    demo.add_argument("--orders", type=int, default=0)
    demo.add_argument("--seed", type=int, default=1)
    demo.add_argument(
        "--ps-version", default="8.2", help=_("PrestaShop schema version (1.7.8, 8.0, 8.2, 9.0)")
    )
    return parser


def resolve_target(args: argparse.Namespace, settings: cfg.Settings) -> ShopTarget | None:
    """The shop to open: ``--demo``, else ``--db``, else the settings; None when there is none."""
    if args.demo or (not args.db and settings.get(cfg.SHOP_DEMO)):  # chosen in the wizard
        return replace(demo_target(ensure_demo_shop()), lang_iso=args.lang or "es")
    url = args.db or settings.get(cfg.SHOP_DB_URL)
    if not url:
        return None
    return ShopTarget(
        url=parse_url(url),
        prefix=args.prefix or settings.get(cfg.SHOP_PREFIX),
        id_shop=args.shop or settings.get(cfg.SHOP_ID),
        lang_iso=args.lang or settings.get(cfg.SHOP_LANG),
    )


def open_command_target(
    args: argparse.Namespace, settings: cfg.Settings, offline_ok: bool = False
) -> OpenedTarget | None:
    """The shop for a command without a window, opened: through the settings' SSH tunnel when
    it is their shop; the password typed in the terminal when the settings say so.

    ``offline_ok``: nothing is asked and a shop that cannot be opened gives None (the command
    works on the till's own store)."""
    target = resolve_target(args, settings)
    if target is None:
        return None
    try:
        result = open_requested(target, settings, keep_trying=offline_ok)
        if isinstance(result, PasswordNeeded) and not offline_ok:
            result = open_requested(target, settings, _typed_in_terminal(result))
    except UserFacingError as exc:
        if not offline_ok:
            raise
        logger.warning("working without the shop: %s", exc.message)
        return None
    if isinstance(result, PasswordNeeded):
        if offline_ok:
            return None
        raise UserFacingError(result.message, result.hint)
    return result


def _typed_in_terminal(needed: PasswordNeeded) -> TypedSecrets:
    if not sys.stdin.isatty():
        raise UserFacingError(
            _("The database password of {shop} is typed at each start.").format(shop=needed.shop),
            _("Run the command in a terminal to type it, or give it in --db."),
        )
    password = getpass.getpass(_("Database password for {shop}: ").format(shop=needed.shop))
    ssh_secret = ""
    if needed.ssh_secret:
        ssh_secret = getpass.getpass(_("SSH password or key passphrase (empty if none): "))
    return TypedSecrets(password, ssh_secret)


def main(argv: Sequence[str] | None = None, gui: GuiRunner | None = None) -> int:
    settings = cfg.Settings.load(paths.config_dir() / cfg.FILE_NAME)
    set_language(settings.get(cfg.LANGUAGE) or None)
    args = build_parser().parse_args(argv)
    if args.language:
        set_language(args.language)
    setup_logging(paths.log_dir(), level=logging.DEBUG if args.verbose else logging.INFO)
    if args.self_test:
        return _self_test()
    try:
        return _dispatch(args, settings, gui)
    except UserFacingError as exc:
        print(_("Error: {message}").format(message=exc), file=sys.stderr)
        return 2
    except MostradorError as exc:
        logger.exception("command failed")
        print(_("Error: {message}").format(message=exc), file=sys.stderr)
        return 2


def _dispatch(args: argparse.Namespace, settings: cfg.Settings, gui: GuiRunner | None) -> int:
    if args.command == "demo-shop":
        return _cmd_demo_shop(args)
    args.till = args.till or settings.get(cfg.TILL_NAME)
    args.store = args.store or (Path(p) if (p := settings.get(cfg.TILL_STORE)) else None)
    if args.command == "print":
        return _cmd_print(args, settings)
    if args.command in SALE_COMMANDS or args.command in ("doctor", "sync"):
        # A sale works offline: it never waits for a password nor fails on the tunnel.
        offline_ok = args.command in SALE_COMMANDS
        opened = open_command_target(args, settings, offline_ok)
        try:
            return _shop_command(args, settings, opened.target if opened else None)
        finally:
            if opened is not None:
                opened.close()
    if gui is None:
        print(_("The window is not available in this installation."), file=sys.stderr)
        return 2
    # The window opens the settings' tunnel itself, on a worker (app.setup.runtime.start_shop).
    return gui(LaunchOptions(resolve_target(args, settings), args.till, args.store))


def _shop_command(
    args: argparse.Namespace, settings: cfg.Settings, target: ShopTarget | None
) -> int:
    if args.command in SALE_COMMANDS:
        return _cmd_sale(args, target)
    if args.command == "doctor":
        return _cmd_doctor(target)
    return run_sync(args, target, args.till, args.store, push_options(settings))


def _cmd_print(args: argparse.Namespace, settings: cfg.Settings) -> int:
    from app.receipt_header import shop_header
    from app.till.store import open_store

    with open_store(args.till, args.store) as store:
        return run_print(args, store, shop_header(store, settings))


def _cmd_sale(args: argparse.Namespace, target: ShopTarget | None) -> int:
    from app.sync.live_lookup import LiveLookup

    live = LiveLookup(target) if target is not None else None
    try:
        return run_sale_command(args, live)
    finally:
        if live is not None:
            live.close()


def push_options(settings: cfg.Settings) -> PushOptions:
    """How this till's sales become PrestaShop orders, from the settings."""
    state = settings.get(cfg.SALE_ORDER_STATE).strip()
    if state.isdigit():
        return PushOptions(id_order_state=int(state))
    return PushOptions(order_state_key=state or "PS_OS_DELIVERED")


def _cmd_doctor(target: ShopTarget | None) -> int:
    from app.doctor import render_report, run_doctor

    if target is None:
        print(_("No shop database configured: use --db URL or --demo."), file=sys.stderr)
        return 2
    report = run_doctor(target)
    print(render_report(report))
    return 0 if report.ok else 1


def _cmd_demo_shop(args: argparse.Namespace) -> int:
    from connectors.prestashop.demo_shop import build_demo_shop
    from connectors.prestashop.engine import make_engine

    if not args.db:
        print(_("demo-shop needs --db URL (e.g. sqlite:///demo.sqlite3)."), file=sys.stderr)
        return 2
    engine = make_engine(parse_url(args.db))
    try:
        report = build_demo_shop(
            engine,
            version=args.ps_version,
            prefix=args.prefix or "ps_",
            products=args.products,
            orders=args.orders,
            seed=args.seed,
            progress=_print_progress,
        )
    finally:
        engine.dispose()
    print(
        _(
            "Demo shop built in {seconds:.1f} s: {products} products, {combinations} "
            "combinations, {customers} customers, {orders} orders."
        ).format(
            seconds=report.elapsed,
            products=report.products,
            combinations=report.combinations,
            customers=report.customers,
            orders=report.orders,
        )
    )
    return 0


def _print_progress(step: str, done: int, total: int) -> None:
    print(f"  {step}: {done}/{total}", file=sys.stderr, flush=True)


def _self_test() -> int:
    """``--self-test``: is this installation whole? See :mod:`app.self_test`."""
    from app.self_test import run_self_test

    return run_self_test()
