"""``mostrador --self-test``: is this installation whole? The build runs it on the bundle it
made (scripts/build_bundle.sh, the Windows workflow); support can run it on a till.

Each check does real work with the installed files, in a temporary folder, and touches nothing
of the user's: the core modules import; the bundled translations are compiled and translate; the
help pages, icons, fiscal declaration and PrestaShop schemas are there; a till store is created,
migrated, written and read; a tiny demo shop (SQLite shaped like PrestaShop) is built and read
back through the shop mapping; the window toolkit starts off screen with its platform plugin,
image formats and translations (``ui/self_test.py``); the update settings are reported (a build
without a pinned release root says so, it does not fail); so is the VERI*FACTU producer identity
(a build without ``resources/verifactu/producer.json`` says it cannot send to the AEAT's
production service; an invalid file fails). Exit 0 only when every check passes.

The window check lives in ``ui/`` (the core never imports Qt); it is found by name only here,
so that ``--self-test`` needs no Qt when the window packages are absent from a core-only install.
"""

from __future__ import annotations

import gettext
import importlib
import importlib.util
import logging
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from app import __version__
from app.i18n import DOMAIN, LOCALE_DIR

logger = logging.getLogger(__name__)

ROOT = LOCALE_DIR.parent.parent  # the install folder (the checkout, or the bundle's data)
WINDOW_CHECK = "ui.self_test"  # run_window_checks() -> list[str] (what was checked)
CORE_MODULES = (
    "app.sale.commands", "app.sync.commands", "app.bugreport.service", "app.verifactu.system",
    "printing.commands", "connectors.prestashop.engine", "connectors.prestashop.demo_shop",
    "updater.launcher", "updater.verify", "app.update_hooks",
)  # fmt: skip
KNOWN_MESSAGE = "Point of sale and back office for PrestaShop shops."

Check = Callable[[], object]


def run_self_test(window_check: Check | None = None) -> int:
    """Run every check, print one line per failure and a summary; 0 when all pass."""
    with tempfile.TemporaryDirectory(prefix="mostrador-self-test-") as tmp:
        checks = _checks(Path(tmp), window_check or _window_check)
        failed = [name for name, check in checks.items() if not _passes(name, check)]
    summary = f"{'FAILED ' + ', '.join(failed) if failed else 'ok'} ({__version__})"
    print(f"self-test: {update_line()}")
    print(f"self-test: {summary}")
    logger.info("self-test: %s; %s", summary, update_line())
    return 1 if failed else 0


def _checks(tmp: Path, window_check: Check) -> dict[str, Check]:
    return {
        "modules": lambda: [importlib.import_module(m) for m in CORE_MODULES],
        "translations": check_translations,
        "resources": check_resources,
        "till store": lambda: check_till_store(tmp / "till-T1.sqlite3"),
        "demo shop": lambda: check_demo_shop(tmp / "shop.sqlite3"),
        "window": window_check,
        "update settings": check_update_settings,
        "producer identity": check_producer,
    }


def _passes(name: str, check: Check) -> bool:
    try:
        result = check()
    except Exception as exc:  # noqa: BLE001 - every failure is reported, none hidden
        # Also to the log file: a windowed build on Windows has no console to print to.
        logger.error("self-test: %s failed", name, exc_info=True)
        print(f"self-test: {name}: {type(exc).__name__}: {exc}", file=sys.stderr)
        return False
    details = ", ".join(r for r in result if isinstance(r, str)) if isinstance(result, list) else ""
    print(f"self-test: {name}: ok" + (f" ({details})" if details else ""))
    return True


def check_translations() -> None:
    """The compiled Spanish catalogue is bundled and translates a known message."""
    for language in ("es", "en"):
        catalogue = gettext.translation(DOMAIN, str(LOCALE_DIR), [language])
        if language == "es" and catalogue.gettext(KNOWN_MESSAGE) == KNOWN_MESSAGE:
            raise LookupError(f"the {language} catalogue does not translate {KNOWN_MESSAGE!r}")


def check_resources() -> None:
    """Help pages in both languages, the icons, the fiscal declaration, the shop schemas."""
    wanted = {
        "help (es)": "resources/help/es/*.html",
        "help (en)": "resources/help/en/*.html",
        "icon": "resources/icons/mostrador.png",
        "fiscal declaration": "resources/verifactu/*.txt",
        "PrestaShop schemas": "connectors/prestashop/schemas/*.json",
    }
    missing = [name for name, pattern in wanted.items() if not _non_empty(ROOT.glob(pattern))]
    if missing:
        raise FileNotFoundError(f"missing under {ROOT}: {', '.join(missing)}")


def _non_empty(paths: object) -> bool:
    return any(path.stat().st_size > 0 for path in paths)  # type: ignore[attr-defined]


def check_till_store(path: Path) -> None:
    """Create and migrate a till store, then write and read it back."""
    from sqlalchemy import text

    from app.till.store import open_store

    store = open_store("T1", path)
    try:
        with store.engine.begin() as connection:
            connection.execute(text("CREATE TABLE self_test (n INTEGER)"))
            connection.execute(text("INSERT INTO self_test VALUES (42)"))
        with store.engine.connect() as connection:
            if connection.execute(text("SELECT n FROM self_test")).scalar_one() != 42:
                raise RuntimeError("the till store did not read back what was written")
    finally:
        store.close()


def check_demo_shop(path: Path) -> None:
    """Build a tiny PrestaShop-shaped shop and read it back the way the till opens a shop."""
    from sqlalchemy.orm import Session

    from connectors.prestashop.demo_shop import build_demo_shop
    from connectors.prestashop.engine import make_engine
    from connectors.prestashop.shop import count_products, open_shop

    engine = make_engine(f"sqlite:///{path}")
    try:
        build_demo_shop(engine, products=5, orders=1)
        shop = open_shop(engine)
        with Session(engine) as session:
            count = count_products(session, shop)
        if count < 5:
            raise RuntimeError(f"the demo shop has {count} products, not 5")
    finally:
        engine.dispose()


def _window_check() -> object:
    """The window toolkit and screens, from ``ui/`` when it is installed."""
    if importlib.util.find_spec("ui") is None:
        raise ImportError("the window packages (ui) are missing")
    checks: Callable[[], list[str]] = importlib.import_module(WINDOW_CHECK).run_window_checks
    return checks()


def check_update_settings() -> None:
    """A pinned release root, when the build has one, must be a valid TUF root."""
    from updater.verify import pinned_root, root_summary

    data = pinned_root()
    if data is not None:
        root_summary(data)


def check_producer() -> list[str]:
    """The build's VERI*FACTU producer, when it has one, must be valid; says which it is."""
    from app.verifactu.producer import DEVELOPMENT, load

    return [(load() or DEVELOPMENT).describe()]


def update_line() -> str:
    from app.update_hooks import update_status

    return update_status().describe()
