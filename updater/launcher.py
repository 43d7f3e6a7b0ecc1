"""The small launcher: starts the current version, watches its health, goes back after K
failed starts.

``python -m updater.launcher --root DIR [-- app arguments]`` (frozen: ``Mostrador.exe`` at the
install root). Before each start, under the state lock: leftovers of an interrupted apply are
removed; a requested rollback is done; a pending version is switched to (data snapshot first);
a version on trial that has failed ``K`` starts is rolled back and a bug report queued. The app
runs with ``MOSTRADOR_INSTALL_ROOT`` and ``MOSTRADOR_APP_VERSION`` set; exit code 75 asks for a
restart (to start a staged update or to go back).
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from updater.apply import adopt_installed, read_complete, roll_back, step, switch_to_pending
from updater.health import ROOT_ENV, VERSION_ENV, queue_report
from updater.layout import Layout, LockedError, file_lock, version_lock_path
from updater.state import InstallState, Trial, load_state, save_state, state_lock

logger = logging.getLogger(__name__)

EXIT_RESTART = 75
DEFAULT_MAX_FAILED_STARTS = 3


class NothingToStart(Exception):
    pass


@dataclass(frozen=True)
class Start:
    version: str
    command: list[str]


def prepare(layout: Layout, max_failed: int = DEFAULT_MAX_FAILED_STARTS) -> Start:
    """Bring the install to a startable state and say what to start."""
    layout.ensure()
    with state_lock(layout):
        layout.cleanup_leftovers()
        before = load_state(layout)
        state = _next_state(layout, adopt_installed(layout, before), max_failed)
        if state != before:
            save_state(layout, state)
            step("state-saved")
    if state.current is None:
        raise NothingToStart(f"no version installed under {layout.root}")
    return Start(state.current, _command(layout, state.current))


def _next_state(layout: Layout, state: InstallState, max_failed: int) -> InstallState:
    if state.rollback_requested and state.previous:
        return roll_back(layout, state)
    state = switch_to_pending(layout, state)
    trial = state.trial
    if trial is None or trial.version != state.current:
        return state
    if trial.attempts >= max_failed and state.previous:
        queue_report(
            layout,
            "rollback",
            {"version": trial.version, "attempts": trial.attempts,
             "exit_codes": list(trial.exit_codes), "back_to": state.previous},
        )  # fmt: skip
        return roll_back(layout, state)
    return replace(state, trial=replace(trial, attempts=trial.attempts + 1))


def _command(layout: Layout, version: str) -> list[str]:
    folder = layout.version_dir(version)
    complete = read_complete(folder)
    if complete is None:
        raise NothingToStart(f"version {version} is incomplete")
    entry = folder / complete["entry"]
    if entry.suffix == ".py":
        return [sys.executable, str(entry)]
    return [str(entry)]


def record_exit(layout: Layout, version: str, code: int) -> InstallState:
    with state_lock(layout):
        state = load_state(layout)
        trial = state.trial
        if trial is not None and trial.version == version:
            codes = (*trial.exit_codes, code)[-10:]
            state = replace(state, trial=Trial(trial.version, trial.attempts, codes))
            save_state(layout, state)
    return state


def run(
    layout: Layout, args: Sequence[str] = (), max_failed: int = DEFAULT_MAX_FAILED_STARTS
) -> int:
    """Start the current version until it exits for good; return its exit code."""
    code = 0
    for _ in range(2 * max_failed + 4):
        start = prepare(layout, max_failed)
        code = _run_child(layout, start, args)
        state = record_exit(layout, start.version, code)
        failed_trial = state.trial is not None and state.trial.version == start.version
        if code == EXIT_RESTART or (code != 0 and failed_trial):
            continue
        return code
    return code


def _run_child(layout: Layout, start: Start, args: Sequence[str]) -> int:
    env = dict(os.environ, **{ROOT_ENV: str(layout.root), VERSION_ENV: start.version})
    with contextlib.ExitStack() as stack:
        try:
            stack.enter_context(file_lock(version_lock_path(layout, start.version), wait_s=0))
        except LockedError:
            logger.info("Version %s is already running in another process", start.version)
        logger.info("Starting %s", start.version)
        return subprocess.call([*start.command, *args], env=env)  # noqa: S603
    return 0  # pragma: no cover (mypy: ExitStack may swallow)


def default_root() -> Path:
    if getattr(sys, "frozen", False):
        return Path(sys.executable).resolve().parent
    return Path.cwd()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="mostrador-launcher")
    parser.add_argument("--root", type=Path, default=None)
    parser.add_argument("--max-failed-starts", type=int, default=DEFAULT_MAX_FAILED_STARTS)
    parser.add_argument("--self-test", action="store_true", help="check the launcher and exit")
    parser.add_argument("app_args", nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    layout = Layout((args.root or default_root()).resolve())
    if args.self_test:
        print(f"launcher self-test: ok ({layout.root})")
        return 0
    app_args = [a for a in args.app_args if a != "--"]
    try:
        return run(layout, app_args, args.max_failed_starts)
    except NothingToStart as exc:
        print(f"Mostrador: {exc}", file=sys.stderr)
        return 3


if __name__ == "__main__":
    sys.exit(main())
