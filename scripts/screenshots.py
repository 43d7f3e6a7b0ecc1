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
TIMEOUT_S = 120.0


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


SCREENS: list[tuple[str, Callable[[Shots], Any]]] = [
    ("home", home),
    ("login", login),
    ("sale", sale),
    ("payment", payment),
    ("help", help_dialog),
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


def shoot_language(language: str, out: Path, only: set[str]) -> list[Path]:
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
    window.resize(*SIZE)
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
    return parser.parse_args(argv)


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
                p for lang in args.lang for p in shoot_language(lang, args.out, set(args.only))
            ]
        print(f"{len(saved)} screenshots in {args.out}")
        return 0
    finally:
        shutil.rmtree(home_dir, ignore_errors=True)


if __name__ == "__main__":
    code = main(sys.argv[1:])
    sys.stdout.flush()
    os._exit(code)  # skip PySide6's teardown at exit (it may crash collecting Qt objects)
