"""Screenshots of the real window on the demo shop, every screen in both languages.

    make screenshots                                  # → screenshots/<lang>/<screen>.png
    .venv/bin/python scripts/screenshots.py --out /tmp/shots --lang es --only sale payment

Without a ``DISPLAY`` an Xvfb server is started on a free display (and stopped at the end);
the window uses Qt's xcb platform there, as on a desktop. Everything happens in a temporary
``MOSTRADOR_HOME``: the demo shop is built there and the till store lives there.

The screens are a table, :data:`SCREENS`: ``(name, function)`` where the function brings the
window to that screen and returns the widget to photograph (the window, or a dialog open over
it: then the window is shot with the dialog on top). To add a screen, write a function taking
a :class:`Shots` and append it to the table.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

LANGUAGES = ("es", "en")
SIZE = (1024, 768)
TIMEOUT_S = float(os.environ.get("SHOTS_TIMEOUT_S", "120"))


# --------------------------------------------------------------------------- display


def _free_display() -> int:
    for number in range(99, 200):
        if not (
            Path(f"/tmp/.X{number}-lock").exists() or Path(f"/tmp/.X11-unix/X{number}").exists()
        ):
            return number
    raise RuntimeError("no free X display between :99 and :199")


@contextmanager
def display() -> Iterator[None]:
    """An Xvfb server when there is no display; nothing when there is one."""
    if os.environ.get("DISPLAY"):
        yield
        return
    xvfb = shutil.which("Xvfb")
    if xvfb is None:
        raise SystemExit("No DISPLAY and no Xvfb: apt-get install xvfb (or run make setup).")
    number = _free_display()
    command = [xvfb, f":{number}", "-screen", "0", "1280x1024x24", "-nolisten", "tcp"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 20
        while not Path(f"/tmp/.X11-unix/X{number}").exists():
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"Xvfb did not start on :{number}")
            time.sleep(0.05)
        os.environ["DISPLAY"] = f":{number}"
        os.environ["QT_QPA_PLATFORM"] = "xcb"
        yield
    finally:
        process.terminate()
        process.wait(timeout=10)


# --------------------------------------------------------------------------- the session


@dataclass
class Shots:
    """The open window of one language, and helpers for the screen functions."""

    window: Any  # ui.main_window.MainWindow (imported once Qt is set up)
    language: str

    def wait(self, predicate: Callable[[], bool], what: str) -> None:
        from PySide6.QtCore import QEventLoop, QTimer

        deadline = time.monotonic() + TIMEOUT_S
        loop = QEventLoop()
        while not predicate():
            if time.monotonic() > deadline:
                raise RuntimeError(f"timed out waiting for {what}")
            QTimer.singleShot(20, loop.quit)
            loop.exec()

    def settle(self, ms: int = 300) -> None:
        """Let the window paint (animations, late layouts)."""
        deadline = time.monotonic() + ms / 1000
        self.wait(lambda: time.monotonic() > deadline, "nothing")

    def runtime(self) -> Any:
        """The till, once the window has opened it."""
        self.wait(lambda: self.window.runtime is not None, "the till to open")
        return self.window.runtime

    def signed_in(self) -> Any:
        """Sign the till's first employee in (no PIN: this is a script); the open till."""
        runtime = self.runtime()
        if self.window.employee is None:
            self.window.on_signed_in(runtime.employee)
        return runtime


def _codes(runtime: Any, count: int = 3) -> list[str]:
    """EAN13 codes of simple, active products (to scan into the cart)."""
    from sqlalchemy import select

    from app.till.models_catalog import CatalogProduct

    with runtime.store.read() as session:
        return list(
            session.scalars(
                select(CatalogProduct.ean13)
                .where(CatalogProduct.ean13 != "", CatalogProduct.active)
                .where(~CatalogProduct.has_combinations)
                .order_by(CatalogProduct.id_product)
                .limit(count)
            )
        )


# --------------------------------------------------------------------------- the screens


def home(shots: Shots) -> Any:
    window = shots.window
    shots.runtime()
    window.show_home()
    shots.wait(lambda: window.last_status is not None, "the shop status")
    return window


def login(shots: Shots) -> Any:
    """Who is selling? (the sign-in screen, before anyone signed in)."""
    window = shots.window
    shots.runtime()
    window.stack.setCurrentWidget(window.login)
    shots.settle(800)  # the employees are read on a worker
    return window


def sale(shots: Shots) -> Any:
    """The sale screen with three items in the cart."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    window, runtime = shots.window, shots.signed_in()
    screen = window.sale
    window.show_sale()
    if screen.model.rowCount() < 3:
        for code in _codes(runtime):
            QTest.keyClicks(screen.search.field, code)
            QTest.keyClick(screen.search.field, Qt.Key.Key_Return)
        shots.wait(lambda: screen.model.rowCount() >= 3, "three lines in the cart")
    return window


def payment(shots: Shots) -> Any:
    """The payment dialog over the sale screen (the cash session opened beforehand)."""
    from app.till.cash_drawer import current_cash_session, open_cash_session

    sale(shots)
    screen, runtime = shots.window.sale, shots.window.runtime
    if current_cash_session(runtime.store) is None:
        employee = runtime.employee.id_employee
        runtime.cash_session = open_cash_session(runtime.store, Decimal(150), employee)
    screen.on_pay_requested()
    shots.wait(lambda: screen.payment_dialog is not None and screen.payment_dialog.isVisible(),
               "the payment dialog")  # fmt: skip
    return screen.payment_dialog


def help_dialog(shots: Shots) -> Any:
    """F1 on the sale screen."""
    from ui.help import show_help

    sale(shots)
    dialog = show_help(shots.window, "sale")
    shots.wait(lambda: bool(dialog.pages), "the help pages")
    return dialog


def _dialog(shots: Shots, kind: Any, what: str) -> Any:
    """The visible dialog of ``kind`` once it has opened."""
    from PySide6.QtWidgets import QApplication

    def found() -> list[Any]:
        return [w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()]

    shots.wait(lambda: bool(found()), what)
    return found()[0]


def _cash_open(shots: Shots) -> Any:
    from app.till.cash_drawer import current_cash_session, open_cash_session

    runtime = shots.signed_in()
    if current_cash_session(runtime.store) is None:
        employee = runtime.employee.id_employee
        runtime.cash_session = open_cash_session(runtime.store, Decimal(150), employee)
    return runtime


def products(shots: Shots) -> Any:
    """The product grid by category (F3)."""
    window = shots.window
    sale(shots)
    window.sale.toggle_products()
    shots.settle(1200)  # categories and tiles are read on a worker
    return window


def variants(shots: Shots) -> Any:
    """The sizes × colours grid of a product with versions."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from sqlalchemy import select

    from app.till.models_catalog import CatalogProduct
    from ui.tpv.dialogs import CombinationDialog

    window, runtime = shots.window, shots.signed_in()
    window.show_sale()
    with runtime.store.read() as session:
        code = session.scalars(
            select(CatalogProduct.ean13)
            .where(CatalogProduct.ean13 != "", CatalogProduct.has_combinations)
            .order_by(CatalogProduct.id_product)
        ).first()
    QTest.keyClicks(window.sale.search.field, str(code))
    QTest.keyClick(window.sale.search.field, Qt.Key.Key_Return)
    return _dialog(shots, CombinationDialog, "the versions")


def customer(shots: Shots) -> Any:
    """The customer chooser (F4) with a search typed."""
    from PySide6.QtTest import QTest

    from ui.tpv.customer_dialog import CustomerDialog

    sale(shots)
    shots.window.sale.customers.start()
    dialog = _dialog(shots, CustomerDialog, "the customer chooser")
    QTest.keyClicks(dialog.field, "mar")
    shots.settle(800)
    return dialog


def discount(shots: Shots) -> Any:
    """A line discount (F8)."""
    from ui.tpv.discount_dialog import DiscountDialog

    sale(shots)
    shots.window.sale.discounts.line_discount()
    return _dialog(shots, DiscountDialog, "the discount dialog")


def approval(shots: Shots) -> Any:
    """A manager's approval for a big discount."""
    from ui.tpv.manager_approval import ask_manager_approval

    runtime = shots.signed_in()
    sale(shots)
    dialog = ask_manager_approval(
        shots.window, shots.window.tasks, runtime.store, "Descuento del 40 %", lambda _m: None
    )
    shots.settle(600)
    return dialog


def parked(shots: Shots) -> Any:
    """Recall a parked ticket (F7), one parked before."""
    from ui.tpv.parked_dialog import ParkedDialog

    sale(shots)
    screen = shots.window.sale
    screen.parking.park_now("Señora del abrigo rojo")
    shots.wait(lambda: screen.model.rowCount() == 0, "the ticket parked")
    screen.parking.recall()
    return _dialog(shots, ParkedDialog, "the parked tickets")


def cash_open(shots: Shots) -> Any:
    """Opening the till with the float counted note by note."""
    from ui.tpv.cash_open import CashOpenDialog

    runtime = shots.signed_in()
    dialog = CashOpenDialog(shots.window, shots.window.tasks, runtime)
    dialog.open()
    dialog.set_by_pieces(True)
    return dialog


def cash_move(shots: Shots) -> Any:
    """Cash out with a reason."""
    from ui.tpv.cash_move import CashMoveDialog

    _cash_open(shots)
    shots.window.cash_out()
    return _dialog(shots, CashMoveDialog, "the cash movement dialog")


def returns(shots: Shots) -> Any:
    """The returns screen with the last ticket loaded."""
    from app.till.tickets import last_tickets

    payment_dialog = payment(shots)
    payment_dialog.amount.setText("500")
    payment_dialog.on_cash_entered()  # 500 € in cash: change given
    runtime = shots.window.runtime
    shots.wait(lambda: bool(last_tickets(runtime.store, 1)), "the sale recorded")
    close_dialogs()
    shots.window.show_returns()
    shots.window.returns.load(last_tickets(runtime.store, 1)[0].number)
    shots.wait(lambda: shots.window.returns.context is not None, "the ticket to return")
    return shots.window


def cash_close(shots: Shots) -> Any:
    """Closing the till: the count by note and coin."""
    _cash_open(shots)
    shots.window.show_cash_close()
    shots.wait(lambda: shots.window.cash_close.start is not None, "the closing to start")
    return shots.window


def reprint(shots: Shots) -> Any:
    """Reprint a ticket, previewed as paper."""
    from ui.printing.reprint_dialog import ReprintDialog

    returns(shots)
    shots.window.show_sale()
    shots.window.show_reprint()
    dialog = _dialog(shots, ReprintDialog, "the reprint dialog")
    shots.settle(1500)  # the preview is drawn on a worker
    return dialog


def printer(shots: Shots) -> Any:
    """The ticket printer settings (a manager signed in)."""
    from ui.printing.printer_settings import PrinterSettingsDialog

    shots.signed_in()
    dialog = PrinterSettingsDialog(shots.window, shots.window.tasks)
    dialog.open()
    shots.settle(800)
    return dialog


def report(shots: Shots) -> Any:
    """Report a problem."""
    from ui.bug_dialog import BugReportDialog

    shots.signed_in()
    shots.window.report_problem()
    dialog = _dialog(shots, BugReportDialog, "the report dialog")
    shots.settle(800)
    return dialog


def locked(shots: Shots) -> Any:
    """The till locked by the employee selling (Ctrl+L)."""
    shots.signed_in()
    shots.window.lock()
    shots.settle(600)
    return shots.window


SCREENS: list[tuple[str, Callable[[Shots], Any]]] = [
    ("home", home),
    ("login", login),
    ("sale", sale),
    ("payment", payment),
    ("help", help_dialog),
    ("products", products),
    ("variants", variants),
    ("customer", customer),
    ("discount", discount),
    ("approval", approval),
    ("parked", parked),
    ("cash_open", cash_open),
    ("cash_move", cash_move),
    ("returns", returns),
    ("cash_close", cash_close),
    ("reprint", reprint),
    ("printer", printer),
    ("report", report),
    ("locked", locked),
]


# --------------------------------------------------------------------------- capture


def capture(window: Any, widget: Any) -> Any:
    """The window as a QPixmap; a dialog is drawn over it (dimmed) where it stands."""
    from PySide6.QtGui import QColor, QPainter
    from PySide6.QtWidgets import QWidget

    assert isinstance(window, QWidget) and isinstance(widget, QWidget)
    picture = window.grab()
    if widget is not window:
        painter = QPainter(picture)
        painter.fillRect(picture.rect(), QColor(0, 0, 0, 70))
        offset = widget.frameGeometry().topLeft() - window.geometry().topLeft()
        x = min(max(offset.x(), 0), max(picture.width() - widget.width(), 0))
        y = min(max(offset.y(), 0), max(picture.height() - widget.height(), 0))
        painter.drawPixmap(x, y, widget.grab())
        painter.end()
    return picture


def close_dialogs() -> None:
    from PySide6.QtWidgets import QApplication, QDialog

    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, QDialog) and widget.isVisible():
            widget.reject()


def shoot_language(
    language: str, out: Path, only: set[str], size: tuple[int, int] = SIZE
) -> list[Path]:
    from PySide6.QtWidgets import QApplication

    from app.connection import demo_target, ensure_demo_shop
    from app.i18n import set_language
    from ui.application import install_qt_translations
    from ui.main_window import MainWindow

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    set_language(language)
    translators = install_qt_translations(app)
    window = MainWindow(demo_target(ensure_demo_shop()), "T1")
    window.resize(*size)
    window.show()
    shots, saved = Shots(window, language), []
    try:
        for name, bring in SCREENS:
            if only and name not in only:
                continue
            widget = bring(shots)
            shots.settle()
            path = out / language / f"{name}.png"
            path.parent.mkdir(parents=True, exist_ok=True)
            capture(window, widget).save(str(path))
            saved.append(path)
            print(f"{path}")
            close_dialogs()
    finally:
        window.close()
        for translator in translators:
            app.removeTranslator(translator)
    return saved


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--out", type=Path, default=ROOT / "screenshots", help="folder")
    parser.add_argument("--lang", nargs="+", default=list(LANGUAGES), choices=LANGUAGES)
    parser.add_argument("--only", nargs="+", default=[], help="screen names (default: all)")
    parser.add_argument("--size", default="1024x768", help="window size, e.g. 1920x1080")
    return parser.parse_args(argv)


def _size(text: str) -> tuple[int, int]:
    width, _x, height = text.lower().partition("x")
    return int(width), int(height)


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    home_dir = Path(tempfile.mkdtemp(prefix="mostrador-screenshots-"))
    os.environ["MOSTRADOR_HOME"] = str(home_dir)
    os.environ.setdefault("QT_LOGGING_RULES", "qt.qpa.*=false")
    try:
        with display():
            from PySide6.QtWidgets import QApplication

            app = QApplication.instance() or QApplication(sys.argv[:1])
            app.setApplicationName("Mostrador")
            saved = [
                p
                for lang in args.lang
                for p in shoot_language(lang, args.out, set(args.only), _size(args.size))
            ]
        print(f"{len(saved)} screenshots in {args.out}")
        return 0
    finally:
        shutil.rmtree(home_dir, ignore_errors=True)


if __name__ == "__main__":
    code = main(sys.argv[1:])
    sys.stdout.flush()
    os._exit(code)  # skip PySide6's teardown at exit (it may crash collecting Qt objects)
