"""``mostrador sync [--once] [--full]``: pull the catalog and push the outbox from a shell.

With ``--once`` one round runs (the catalog pull first, then the push of pending tickets)
and a summary is printed; without it the sync worker runs until Ctrl-C, printing each status
change. ``--full`` reloads the whole catalog on the first round.
"""

from __future__ import annotations

import argparse
import logging
import sys
import threading
from pathlib import Path
from typing import Any

from app.connection import ShopTarget, password_for
from app.errors import ConfigError
from app.events import Changes, EventBus
from app.i18n import _
from app.logging_setup import register_secret
from app.sync.push import make_push_engine
from app.sync.worker import RoundResult, SyncSettings, SyncStatus, SyncWorker
from app.till.store import open_store
from connectors.prestashop.sale_types import PushOptions

logger = logging.getLogger(__name__)


def add_sync_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Add the ``sync`` subcommand to ``subparsers`` (from ``add_subparsers``)."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "sync", help=_("pull the catalog from the shop and push the till's sales")
    )
    parser.add_argument("--once", action="store_true", help=_("run one round and exit"))
    parser.add_argument("--full", action="store_true", help=_("reload the whole catalog"))
    parser.add_argument(
        "--interval", type=float, default=5.0, metavar="SECONDS", help=_("seconds between rounds")
    )
    return parser


def run_sync(
    args: argparse.Namespace,
    target: ShopTarget | None,
    till: str,
    store_path: Path | None,
    push_options: PushOptions | None = None,
) -> int:
    """Run the ``sync`` command; returns the process exit code."""
    if target is None:
        raise ConfigError(_("No shop database configured: use --db URL or --demo."))
    password = password_for(target.url)
    if password:
        register_secret(password)
    engine = make_push_engine(target.url, password)
    bus = EventBus()
    try:
        with open_store(till, store_path) as store:
            settings = SyncSettings(
                interval_s=args.interval, push_options=push_options or PushOptions()
            )
            worker = SyncWorker(engine, store, target, bus, settings)
            return _once(worker, args.full) if args.once else _loop(worker, bus, args.full)
    finally:
        engine.dispose()


def _once(worker: SyncWorker, full: bool) -> int:
    pulled = worker.run_once(full=full, push=False)
    if pulled.status.online:
        pushed = worker.run_once(pull=False)
        print(_summary(pulled, pushed))
        return 0 if not pushed.status.last_error and not pulled.status.last_error else 1
    print(_("The shop cannot be reached: {error}").format(error=pulled.status.last_error))
    return 1


def _loop(worker: SyncWorker, bus: EventBus, full: bool) -> int:
    bus.subscribe(SyncStatus, _StatusPrinter())
    bus.subscribe(Changes, _print_changes)
    if full:
        _once(worker, full=True)
    worker.start()
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        print(_("Stopping…"), file=sys.stderr)
    try:
        worker.stop(timeout=30)
    except KeyboardInterrupt:  # a second Ctrl-C: leave the (daemon) thread behind
        pass
    return 0


def _summary(pulled: RoundResult, pushed: RoundResult) -> str:
    pull = pulled.pull
    rows = (
        ", ".join(f"{kind} {count}" for kind, count in sorted(pull.upserted.items()))
        if pull
        else ""
    )
    gone = (
        ", ".join(f"{kind} {count}" for kind, count in sorted(pull.deleted.items())) if pull else ""
    )
    lines = [
        _("Catalog: {kind} pull in {seconds:.1f} s, {trips} round trips.").format(
            kind=_("full") if pull and pull.full else _("incremental"),
            seconds=pull.seconds if pull else 0.0,
            trips=pull.round_trips if pull else 0,
        ),
        _("  written: {rows}").format(rows=rows or _("nothing")),
        _("  deleted: {rows}").format(rows=gone or _("nothing")),
        _("Sales: {pushed} pushed, {refused} refused, {pending} pending.").format(
            pushed=pushed.pushed, refused=pushed.status.refused, pending=pushed.status.pending
        ),
    ]
    error = pushed.status.last_error or pulled.status.last_error
    if error:
        lines.append(_("Error: {message}").format(message=error))
    return "\n".join(lines)


class _StatusPrinter:
    """Prints a status line when what a person cares about changed (not each round)."""

    def __init__(self) -> None:
        self._last: tuple[object, ...] | None = None

    def __call__(self, status: SyncStatus) -> None:
        shown = (status.online, status.pending, status.refused, status.last_error)
        if status.online is None or shown == self._last:
            return
        self._last = shown
        print(
            _("[sync] {state}; {pending} pending, {refused} refused{error}").format(
                state=_("online") if status.online else _("offline"),
                pending=status.pending,
                refused=status.refused,
                error=f" — {status.last_error}" if status.last_error else "",
            ),
            flush=True,
        )


def _print_changes(changes: Changes) -> None:
    print(_("[sync] changed: {what}").format(what=_flags(changes)), flush=True)


def _flags(changes: Changes) -> str:
    return ", ".join(name for name, value in vars(changes).items() if value)
