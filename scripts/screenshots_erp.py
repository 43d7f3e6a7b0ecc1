"""Screenshots of the back office (ERP window) on the demo shop, every section in both languages.

    .venv/bin/python scripts/screenshots_erp.py --out /tmp/shots --lang es
    .venv/bin/python scripts/screenshots_erp.py --only orders order_detail --size 1920x1080

Same conventions as ``scripts/screenshots.py`` (Xvfb when there is no display, a temporary
``MOSTRADOR_HOME`` with the demo shop): the window is opened for the demo shop's first manager
and each entry of :data:`SCREENS` brings it to a section or opens a dialog over it.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from scripts.screenshots import (  # noqa: E402 (the path above first)
    LANGUAGES,
    Shots,
    capture,
    close_dialogs,
    display,
)


def _section(name: str, ms: int = 1500) -> Callable[[Shots], Any]:
    def bring(shots: Shots) -> Any:
        shots.window.show_section(name)
        shots.settle(ms)  # the first page is read on a worker
        return shots.window

    return bring


def _first_row(shots: Shots, view: Any) -> Any:
    shots.wait(lambda: bool(view.rows), "the first page")
    return view.rows[0]


def product_form(shots: Shots) -> Any:
    section = shots.window.show_section("products")
    row = _first_row(shots, section.list)
    dialog = section.open_product(row.id_product)
    shots.settle(1200)
    return dialog


def combinations(shots: Shots) -> Any:
    from sqlalchemy import select

    section = shots.window.show_section("products")
    _first_row(shots, section.list)
    ctx = shots.window.ctx
    pa = ctx.shop.models.ProductAttribute
    with ctx.engine.connect() as conn:
        id_product = conn.scalar(select(pa.id_product).order_by(pa.id_product).limit(1))
    from ui.erp.combinations import CombinationsDialog

    dialog = CombinationsDialog(section.tasks, ctx, int(id_product), "—", section)
    dialog.open()
    shots.settle(1500)
    return dialog


def order_detail(shots: Shots) -> Any:
    section = shots.window.show_section("orders")
    dialog = section.open_order(_first_row(shots, section.view))
    shots.settle(1500)
    return dialog


def customer_form(shots: Shots) -> Any:
    section = shots.window.show_section("customers")
    row = _first_row(shots, section.list)
    dialog = section.open_form(row.id_customer)
    shots.settle(1200)
    return dialog


def purchase_order(shots: Shots) -> Any:
    """A new purchase order for the first supplier."""
    section = shots.window.show_section("purchases")
    combo = section.supplier_filter
    shots.wait(lambda: combo.count() > 1, "the suppliers")
    combo.setCurrentIndex(1)
    section.new_order()
    editor = section.editor
    shots.wait(lambda: editor.order is not None, "the new order")
    shots.settle(800)  # (scanning a line opens a quantity dialog: not shot here)
    return shots.window


def reports(shots: Shots) -> Any:
    section = shots.window.show_section("reports")
    section.period.setCurrentIndex(section.period.findData("this_year"))
    section.compare.setChecked(True)
    section.run()
    shots.settle(3000)
    return shots.window


SCREENS: list[tuple[str, Callable[[Shots], Any]]] = [
    ("products", _section("products")),
    ("product_form", product_form),
    ("combinations", combinations),
    ("stock", _section("stock")),
    ("inventory", _section("inventory")),
    ("orders", _section("orders")),
    ("order_detail", order_detail),
    ("customers", _section("customers")),
    ("customer_form", customer_form),
    ("suppliers", _section("suppliers")),
    ("purchases", _section("purchases")),
    ("purchase_order", purchase_order),
    ("reports", reports),
    ("cash", _section("cash")),
    ("labels", _section("labels")),
]


def _manager(target: Any) -> Any:
    from sqlalchemy import create_engine, text

    from app.sale.price_inputs import Employee

    engine = create_engine(target.url)
    with engine.connect() as conn:
        row = conn.execute(
            text(
                f"SELECT id_employee, firstname, lastname FROM {target.prefix}employee "
                "WHERE active = 1 ORDER BY id_employee LIMIT 1"
            )  # fmt: skip
        ).one()
    engine.dispose()
    return Employee(row[0], f"{row[1]} {row[2]}", 1, True, is_manager=True)


def shoot_language(language: str, out: Path, only: set[str], size: tuple[int, int]) -> int:
    from PySide6.QtWidgets import QApplication

    from app.connection import demo_target, ensure_demo_shop
    from app.i18n import set_language
    from ui.application import install_qt_translations
    from ui.erp.erp_window import ErpWindow

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    set_language(language)
    translators = install_qt_translations(app)
    target = demo_target(ensure_demo_shop())
    window = ErpWindow(target, _manager(target))
    window.resize(*size)
    window.show()
    shots, count = Shots(window, language), 0
    try:
        shots.wait(lambda: window.ctx is not None, "the shop to connect")
        for name, bring in SCREENS:
            if only and name not in only:
                continue
            widget = bring(shots)
            shots.settle()
            path = out / language / f"erp_{name}.png"
            path.parent.mkdir(parents=True, exist_ok=True)
            capture(window, widget).save(str(path))
            print(path)
            count += 1
            close_dialogs()
    finally:
        window.close()
        for translator in translators:
            app.removeTranslator(translator)
    return count


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--out", type=Path, default=ROOT / "screenshots", help="folder")
    parser.add_argument("--lang", nargs="+", default=list(LANGUAGES), choices=LANGUAGES)
    parser.add_argument("--only", nargs="+", default=[], help="screen names (default: all)")
    parser.add_argument("--size", default="1024x768", help="window size, e.g. 1920x1080")
    args = parser.parse_args(argv)
    width, _x, height = args.size.lower().partition("x")
    home_dir = Path(tempfile.mkdtemp(prefix="mostrador-screenshots-"))
    os.environ["MOSTRADOR_HOME"] = str(home_dir)
    os.environ.setdefault("QT_LOGGING_RULES", "qt.qpa.*=false")
    try:
        with display():
            from PySide6.QtWidgets import QApplication

            app = QApplication.instance() or QApplication(sys.argv[:1])
            app.setApplicationName("Mostrador")
            size = (int(width), int(height))
            total = sum(shoot_language(lang, args.out, set(args.only), size) for lang in args.lang)
        print(f"{total} screenshots in {args.out}")
        return 0
    finally:
        shutil.rmtree(home_dir, ignore_errors=True)


if __name__ == "__main__":
    code = main(sys.argv[1:])
    sys.stdout.flush()
    os._exit(code)  # skip PySide6's teardown at exit
