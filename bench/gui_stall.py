"""Benchmark: the GUI event loop while the shop database is slow (see bench/README.md).

    .venv/bin/python bench/gui_stall.py                          # 500 ms each way, 90 s
    .venv/bin/python bench/gui_stall.py --delay-ms 500 --seconds 120 --products 10000
    xvfb-run -a .venv/bin/python bench/gui_stall.py --platform xcb   # a real X server

A throwaway MariaDB (tests/support/mariadb.py) is filled with the demo shop; a till store is
loaded from it directly, then the real :class:`~ui.main_window.MainWindow` is opened against
the shop *through* ``bench/latency_proxy.py`` (its own process, ``--delay-ms`` added each
way): the home screen's status read, the till opening and the sync worker (pushes of the sales
made here, catalog pulls) all talk to the slow shop. A cashier is played with key events: EAN
bursts of 13 digits + Enter (2 ms apart, like a keyboard-wedge scanner), search words typed
letter by letter, and a payment in cash every few scans. A 5 ms timer measures how late the
event loop serves it; the figures are the lateness (max, p99, p95, count over 50 ms).
Target: no stall above 50 ms.
"""

from __future__ import annotations

import argparse
import gc
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QElapsedTimer, QEventLoop, QObject, Qt, QTimer  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402
from sqlalchemy import select  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from app.connection import ShopTarget  # noqa: E402
from app.sync.worker import SyncStatus  # noqa: E402
from app.till.cash_drawer import current_cash_session, open_cash_session  # noqa: E402
from app.till.models_catalog import CatalogProduct  # noqa: E402
from app.till_runtime import open_till  # noqa: E402

PROBE_MS = 5
STALL_MS = 50.0
KEY_GAP_MS = 2  # between the characters of a scan
TYPE_GAP_MS = 110  # between the letters typed by hand
Step = tuple[int, Callable[[], bool]]  # (wait before, action: False = not yet, retry)


# --------------------------------------------------------------------------- the probe


@dataclass(frozen=True)
class StallReport:
    samples: int
    max_ms: float
    p99_ms: float
    p95_ms: float
    over_50: int
    worst_at_s: float  # seconds after the probe started

    def line(self) -> str:
        return (
            f"max {self.max_ms:.1f} ms · p99 {self.p99_ms:.1f} ms · p95 {self.p95_ms:.1f} ms · "
            f"{self.over_50} over {STALL_MS:.0f} ms · {self.samples:,} samples "
            f"(worst at {self.worst_at_s:.1f} s)"
        )


class StallProbe(QObject):
    """A precise 5 ms timer; each tick records how late it came (the loop's stall)."""

    def __init__(self, interval_ms: int = PROBE_MS) -> None:
        super().__init__()
        self.interval_ms = interval_ms
        self.lateness: list[tuple[float, float]] = []  # (ms late, seconds since start)
        self.context: Callable[[], str] = lambda: ""  # what ran last (named in stalls)
        self.stalls: list[tuple[float, float, str]] = []  # the ticks over STALL_MS
        self._clock = QElapsedTimer()
        self._last = 0
        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self._tick)
        self._watchdog = Watchdog()

    def start(self) -> None:
        self._clock.start()
        self._last = self._clock.nsecsElapsed()
        self._timer.start()
        self._watchdog.start()

    def stop(self) -> StallReport:
        self._timer.stop()
        self._watchdog.stop()
        return self.report()

    def _tick(self) -> None:
        now = self._clock.nsecsElapsed()
        late = (now - self._last) / 1e6 - self.interval_ms
        self._last = now
        self.lateness.append((max(late, 0.0), now / 1e9))
        self._watchdog.beat()
        if late > STALL_MS:
            where = self._watchdog.take() or self.context()
            self.stalls.append((late, now / 1e9, where))

    def report(self) -> StallReport:
        values = sorted(late for late, _at in self.lateness) or [0.0]
        worst = max(self.lateness, default=(0.0, 0.0))
        cuts = statistics.quantiles(values, n=100) if len(values) > 1 else values * 99
        return StallReport(
            len(self.lateness), values[-1], cuts[98], cuts[94],
            sum(v > STALL_MS for v in values), worst[1],
        )  # fmt: skip


class Watchdog:
    """A thread that notes where the GUI thread is when the probe's beat is late: the stack
    names what stalled the loop (Python code; a wait in C++ shows its Python caller)."""

    def __init__(self, threshold_s: float = STALL_MS / 1000) -> None:
        self.threshold_s = threshold_s
        self._gui = threading.get_ident()
        self._beat = time.monotonic()
        self._seen: str | None = None
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._watch, name="stall-watchdog", daemon=True)

    def start(self) -> None:
        self._beat = time.monotonic()
        self._thread.start()

    def stop(self) -> None:
        self._stopping.set()
        self._thread.join(timeout=2)

    def beat(self) -> None:
        self._beat = time.monotonic()

    def take(self) -> str | None:
        seen, self._seen = self._seen, None
        return seen

    def _watch(self) -> None:
        while not self._stopping.wait(0.01):
            if self._seen is None and time.monotonic() - self._beat > self.threshold_s:
                frame = sys._current_frames().get(self._gui)
                if frame is not None:
                    stack = traceback.format_stack(frame, limit=14)
                    self._seen = "\n" + "".join(stack)


# --------------------------------------------------------------------------- the cashier


class StepDriver(QObject):
    """Plays steps from the event loop: each waits its delay, then acts (or retries)."""

    def __init__(self, steps: Iterator[Step]) -> None:
        super().__init__()
        self._steps = steps
        self._action: Callable[[], bool] | None = None
        self._stopped = False
        self.done = 0
        self.last = ""  # the step that ran last

    def start(self) -> None:
        self._advance()

    def stop(self) -> None:
        self._stopped = True

    def _advance(self) -> None:
        delay, self._action = next(self._steps, (0, None))
        if self._action is not None:
            QTimer.singleShot(delay, self._run)

    def _run(self) -> None:
        if self._stopped or self._action is None:
            return
        self.last = getattr(self._action, "__qualname__", "?")
        if not self._action():
            QTimer.singleShot(10, self._run)
            return
        self.done += 1
        self._advance()


@dataclass
class Cashier:
    """What the played cashier did (the steps count as they run)."""

    scans: int = 0
    searches: int = 0
    payments: int = 0
    log: list[str] = field(default_factory=list)


def _key(widget: Callable[[], QWidget], key: Qt.Key, text: str = "") -> Callable[[], bool]:
    def press() -> bool:
        if text:
            QTest.keyClicks(widget(), text)
        else:
            QTest.keyClick(widget(), key)
        return True

    return press


def _counted(cashier: Cashier, attribute: str) -> Callable[[], bool]:
    def count() -> bool:
        setattr(cashier, attribute, getattr(cashier, attribute) + 1)
        return True

    return count


def scan_steps(field: Callable[[], QWidget], code: str) -> Iterator[Step]:
    """A keyboard-wedge scanner: the digits 2 ms apart, then Enter."""
    for char in code:
        yield KEY_GAP_MS, _key(field, Qt.Key.Key_unknown, char)
    yield KEY_GAP_MS, _key(field, Qt.Key.Key_Return)


def _clear(widget: QWidget) -> bool:
    QTest.keyClick(widget, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClick(widget, Qt.Key.Key_Backspace)
    return True


def pay_steps(window: object) -> Iterator[Step]:
    """Charge (F12) when the scans are in, then Enter in the payment dialog (exact cash)."""
    screen = window.sale  # type: ignore[attr-defined]

    def ready() -> bool:
        return not screen.lookups_pending and not screen.busy

    def charge() -> bool:
        screen.pay_button.click()
        return True

    def dialog_open() -> bool:
        dialog = screen.payment_dialog
        return dialog is not None and dialog.isVisible()

    yield 300, ready
    yield 0, charge
    yield 0, dialog_open
    yield 400, _key(lambda: screen.payment_dialog.amount, Qt.Key.Key_Return)
    yield 0, lambda: not screen.busy and not screen.payment_dialog.isVisible()


@dataclass(frozen=True)
class Plan:
    codes: tuple[str, ...]
    words: tuple[str, ...]
    search_every: int = 4
    pay_every: int = 6
    pause_ms: int = 250  # between two items, the cashier takes the next one


def cashier_steps(window: object, plan: Plan, cashier: Cashier) -> Iterator[Step]:
    """Scan, search now and then, pay every few scans; forever (the driver is stopped)."""
    field = window.sale.search.field  # type: ignore[attr-defined]

    def get_field() -> QWidget:
        return field  # type: ignore[no-any-return]

    n = 0
    while True:
        code = plan.codes[n % len(plan.codes)]
        yield from scan_steps(get_field, code)
        yield 0, _counted(cashier, "scans")
        n += 1
        if plan.search_every and n % plan.search_every == 0:
            word = plan.words[(n // plan.search_every) % len(plan.words)]
            for char in word:
                yield TYPE_GAP_MS, _key(get_field, Qt.Key.Key_unknown, char)
            yield 700, lambda: _clear(field)
            yield 0, _counted(cashier, "searches")
        if plan.pay_every and n % plan.pay_every == 0:
            yield from pay_steps(window)
            yield 0, _counted(cashier, "payments")
        yield plan.pause_ms, lambda: True


# --------------------------------------------------------------------------- the shop and till


@dataclass
class SlowShop:
    """The shop behind ``bench/latency_proxy.py`` running in its own process."""

    target: ShopTarget  # through the proxy
    process: subprocess.Popen[str]

    def cut(self) -> None:
        """Stop the proxy: every connection through it fails at once."""
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


@contextmanager
def slow_proxy(target: ShopTarget, delay_ms: float) -> Iterator[SlowShop]:
    """The proxy in its own process (like a network: not this process's GIL)."""
    url = target.url
    command = [
        sys.executable, "-u", "-m", "bench.latency_proxy",
        "--target", f"{url.host}:{url.port or 3306}", "--delay-ms", str(delay_ms),
    ]  # fmt: skip
    process = subprocess.Popen(
        command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    shop = SlowShop(target, process)
    try:
        assert process.stdout is not None
        first = process.stdout.readline()  # "proxy on 127.0.0.1:PORT -> …"
        port = int(first.split()[2].rsplit(":", 1)[1])
        shop.target = replace(target, url=url.set(host="127.0.0.1", port=port))
        yield shop
    finally:
        shop.cut()


def prepare_till(target: ShopTarget, store: Path, limit: int = 60) -> Plan:
    """Load the till store straight from the shop (no proxy), open the cash session, and
    choose codes to scan (simple products with an EAN13) and words to search."""
    runtime = open_till(target, "B1", store)
    try:
        if current_cash_session(runtime.store) is None:
            open_cash_session(runtime.store, Decimal(150), runtime.employee.id_employee)
        with runtime.store.read() as session:
            rows = session.execute(
                select(CatalogProduct.ean13, CatalogProduct.name)
                .where(CatalogProduct.ean13 != "", CatalogProduct.active)
                .where(~CatalogProduct.has_combinations)
                .limit(limit)
            ).all()
    finally:
        runtime.close()
    words = {w.lower() for _code, name in rows for w in name.split() if _typable(w)}
    return Plan(tuple(code for code, _name in rows), tuple(sorted(words))[:20])


def _typable(word: str) -> bool:
    """QTest types ASCII letters only (an accented letter aborts it)."""
    return len(word) > 4 and word.isascii() and word.isalpha()


# --------------------------------------------------------------------------- one session


@dataclass(frozen=True)
class SessionResult:
    stalls: StallReport
    scans: int
    searches: int
    payments: int
    lines_in_cart: int
    statuses: int  # SyncStatus values the sync worker published while the cashier played
    sync: SyncStatus | None  # the worker's status at the end
    close_s: float  # how long closing the window took
    worst: tuple[tuple[float, float, str], ...] = ()  # (ms, at s, last step) over STALL_MS


def wait_until(predicate: Callable[[], bool], timeout_s: float) -> bool:
    """Run the event loop until ``predicate`` holds (benchmark code, not the app's)."""
    deadline = time.monotonic() + timeout_s
    loop = QEventLoop()
    while not predicate():
        if time.monotonic() > deadline:
            return False
        QTimer.singleShot(10, loop.quit)
        loop.exec()
    return True


def run_session(
    target: ShopTarget, store: Path, plan: Plan, seconds: float,
    before_close: Callable[[], None] = lambda: None, *, freeze_gc: bool = False,
) -> SessionResult:  # fmt: skip
    """The real main window on ``target``: open the sale screen (F2), then play the cashier
    for ``seconds`` while the probe measures the event loop; ``before_close`` runs after."""
    from ui.main_window import MainWindow
    from ui.qt_events import QtEventListener

    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    window = MainWindow(target, "B1", store)
    window.show()
    listener = QtEventListener()
    try:
        runtime = open_sale_screen(window)
        listener.attach(runtime.bus)
        if freeze_gc:  # what the app could do once started (see bench/README.md)
            gc.collect()
            gc.freeze()
        statuses: list[SyncStatus] = []
        listener.status_changed.connect(statuses.append)
        result = _play(window, plan, seconds, statuses)
    finally:
        if freeze_gc:
            gc.unfreeze()  # the objects go back to the collector (tests run on after this)
        listener.close()
        before_close()
        started = time.monotonic()
        window.close()
    return replace(result, close_s=time.monotonic() - started)


def open_sale_screen(window: Any, timeout_s: float = 120) -> Any:
    """Wait for the window to open its till, sign its first employee in (no PIN: this is a
    script), show the sale screen; returns the open till."""

    def runtime() -> Any:
        return getattr(window, "runtime", None) or window.sale.runtime

    window.show_sale()  # opens the till when the sale screen does it itself
    if not wait_until(lambda: runtime() is not None, timeout_s):
        raise RuntimeError(f"the till did not open in {timeout_s:.0f} s")
    if getattr(window, "employee", False) is None:  # the sign-in screen is shown
        window.on_signed_in(runtime().employee)
    window.show_sale()
    if window.stack.currentWidget() is not window.sale:
        raise RuntimeError("the sale screen did not show")
    return runtime()


def _play(window: object, plan: Plan, seconds: float, statuses: list[SyncStatus]) -> SessionResult:
    cashier = Cashier()
    probe, driver = StallProbe(), StepDriver(cashier_steps(window, plan, cashier))
    probe.context = lambda: driver.last
    probe.start()
    driver.start()
    wait_until(lambda: False, seconds)
    driver.stop()
    stalls = probe.stop()
    sale = window.sale  # type: ignore[attr-defined]
    worker = sale.runtime.worker
    return SessionResult(
        stalls, cashier.scans, cashier.searches, cashier.payments, sale.model.rowCount(),
        len(statuses), worker.status if worker is not None else None, 0.0,
        tuple(sorted(probe.stalls, reverse=True)[:5]),
    )  # fmt: skip


# --------------------------------------------------------------------------- command line


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--db", help="MariaDB/MySQL URL holding a demo shop (default: throwaway)")
    parser.add_argument("--products", type=int, default=2000, help="demo shop size")
    parser.add_argument("--delay-ms", type=float, default=500.0, help="added each way")
    parser.add_argument("--seconds", type=float, default=90.0, help="cashier playing time")
    parser.add_argument("--pay-every", type=int, default=6, help="scans per sale (0: never)")
    parser.add_argument("--search-every", type=int, default=4, help="scans per search")
    parser.add_argument("--platform", default="offscreen", help="QT_QPA_PLATFORM")
    parser.add_argument(
        "--gc-freeze", action="store_true", help="gc.freeze() once the till is open"
    )
    return parser.parse_args(argv)


@contextmanager
def demo_database(args: argparse.Namespace) -> Iterator[str]:
    if args.db:
        yield args.db
        return
    from connectors.prestashop.demo_shop import build_demo_shop
    from connectors.prestashop.engine import make_engine
    from tests.support.mariadb import start_mariadb

    base = Path(tempfile.mkdtemp(prefix="mostrador-bench-stall-"))
    server = start_mariadb(base)
    try:
        url = server.url(server.create_database("bench"))
        engine = make_engine(url)
        try:
            build_demo_shop(engine, version="8.0", products=args.products)
        finally:
            engine.dispose()
        yield url
    finally:
        server.stop()
        shutil.rmtree(base, ignore_errors=True)


def print_result(result: SessionResult, args: argparse.Namespace) -> None:
    print(f"shop +{args.delay_ms:g} ms each way; {args.seconds:g} s of cashier")
    print(f"event loop : {result.stalls.line()}")
    print(
        f"cashier    : {result.scans} scans, {result.searches} searches, "
        f"{result.payments} sales paid, {result.lines_in_cart} lines in the cart at the end"
    )
    sync = result.sync
    if sync is not None:
        when = f"{sync.last_sync:%H:%M:%S}" if sync.last_sync else "never"
        print(
            f"sync       : {result.statuses} status changes while selling; at the end "
            f"online={sync.online}, {sync.pending} sales waiting, last sync {when}"
        )
    print(f"closing    : the window took {result.close_s:.1f} s to close")
    for late, at, step in result.worst:
        print(f"stall      : {late:.1f} ms at {at:.1f} s, after the step {step}")


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    os.environ["QT_QPA_PLATFORM"] = args.platform
    os.environ.setdefault("QT_LOGGING_RULES", "qt.qpa.*=false")
    home = Path(tempfile.mkdtemp(prefix="mostrador-bench-home-"))
    os.environ["MOSTRADOR_HOME"] = str(home)
    try:
        with demo_database(args) as url:
            direct = ShopTarget(url=make_url(url))
            plan = prepare_till(direct, home / "till-B1.sqlite3")
            plan = replace(plan, pay_every=args.pay_every, search_every=args.search_every)
            with slow_proxy(direct, args.delay_ms) as slow:
                result = run_session(
                    slow.target, home / "till-B1.sqlite3", plan, args.seconds,
                    freeze_gc=args.gc_freeze,
                )  # fmt: skip
        print_result(result, args)
        return 0 if result.stalls.max_ms <= STALL_MS else 1
    finally:
        shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    code = main(sys.argv[1:])
    sys.stdout.flush()
    # Skip the interpreter's teardown: PySide6 may crash collecting Qt objects at exit, after
    # the figures are printed and the throwaway server is gone.
    os._exit(code)
