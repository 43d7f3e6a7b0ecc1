"""The help pages of the newer screens (shops, full invoices, fiscal records, updates, back
office): both languages say the same, the buttons they name are the screens' own, the index
lists them, and F1 opens them over the dialog or window in use."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from babel.messages.pofile import read_po
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from app.connection import ShopTarget, parse_url
from app.i18n import set_language
from app.sale.price_inputs import Employee
from app.till.store import open_store
from tests.support.tpv import wait_dialog
from tests.ui.test_help import ENGLISH_WORDS, SPANISH_WORDS, WORD
from ui.erp.erp_window import ErpWindow
from ui.help import HELP_DIR, SCREENS, HelpDialog, parse_page, show_help
from ui.main_window import DIALOG_HELP, MainWindow
from ui.tpv.invoice_form import InvoiceDialog
from ui.tpv.payment_dialog import PaymentDialog
from ui.verifactu_screen import VerifactuScreen

NEW_PAGES = ("shop", "invoice", "fiscal", "updates", "back_office")
LOCALE = HELP_DIR.parent / "locale"
HEADING = re.compile(r"<h([12])\b")
LINK = re.compile(r'href="([^"]+)"')
BUTTON = re.compile(r"<b>([^<]*\((?:Enter|Esc|Del|PgUp|PgDn|Intro|Supr|RePág|AvPág|Ctrl\+|F\d)"
                    r"[^<]*\)[^<]*)</b>")  # fmt: skip
MANAGER = Employee(1, "Ana Gerente", 1, is_manager=True)


def source(screen_id: str, language: str) -> str:
    return (HELP_DIR / language / f"{screen_id}.html").read_text(encoding="utf-8")


def page_text(screen_id: str, language: str) -> str:
    return parse_page(screen_id, source(screen_id, language)).text


@pytest.fixture
def english() -> Iterator[None]:
    set_language("en")
    yield
    set_language("en")


# --- the pages --------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["es", "en"])
@pytest.mark.parametrize("screen_id", NEW_PAGES)
def test_each_page_is_a_real_how_to_in_both_languages(language: str, screen_id: str) -> None:
    text = source(screen_id, language)
    page = parse_page(screen_id, text)
    assert page.title and page.title != screen_id
    assert len(page.text.split()) > 300, "a how-to, not a stub"
    assert len(text.splitlines()) <= 120, "short enough to read at the counter"


@pytest.mark.parametrize("screen_id", NEW_PAGES)
def test_both_languages_have_the_same_headings_and_links(screen_id: str) -> None:
    es, en = source(screen_id, "es"), source(screen_id, "en")
    assert HEADING.findall(es) == HEADING.findall(en)
    assert LINK.findall(es) == LINK.findall(en)
    for target in LINK.findall(es):
        assert (HELP_DIR / "es" / target).is_file(), f"{screen_id} → {target}"


@pytest.mark.parametrize("screen_id", NEW_PAGES)
def test_each_language_stays_in_its_language(screen_id: str) -> None:
    english_in_es = set(WORD.findall(page_text(screen_id, "es"))) & ENGLISH_WORDS
    spanish_in_en = set(WORD.findall(page_text(screen_id, "en"))) & SPANISH_WORDS
    assert not english_in_es, f"English in es/{screen_id}.html: {sorted(english_in_es)}"
    assert not spanish_in_en, f"Spanish in en/{screen_id}.html: {sorted(spanish_in_en)}"


def _catalog(language: str) -> set[str]:
    """The interface's texts: the msgids (English) or their Spanish translations."""
    path = LOCALE / "es" / "LC_MESSAGES" / "mostrador.po"
    with path.open("rb") as file:
        catalog = read_po(file)
    texts: set[str] = set()
    for message in catalog:
        value = message.id if language == "en" else message.string
        values = value if isinstance(value, tuple) else (value,)
        texts.update(str(v) for v in values if v)
    return texts


@pytest.mark.parametrize("language", ["es", "en"])
def test_the_buttons_a_page_names_are_the_screens_own(language: str) -> None:
    """A button renamed in a screen ("Receive (F9)") and not in the help fails here."""
    interface = _catalog(language)
    named = {
        " ".join(label.split())
        for screen_id in NEW_PAGES
        for label in BUTTON.findall(source(screen_id, language))
    }
    assert len(named) > 30
    assert sorted(named - interface) == []


def test_the_questions_managers_ask_are_answered() -> None:
    shop, invoice, fiscal = (page_text(p, "en") for p in ("shop", "invoice", "fiscal"))
    updates, back_office = page_text("updates", "en"), page_text("back_office", "en")
    assert "ctrl+shift+t" in shop and "makes no veri*factu records" in shop
    assert "why can't i switch shop?" in shop and "holds no passwords" in shop
    assert "in memory only" in shop and "ctrl+f5" in shop
    assert "full invoice (f10)" in invoice and "full invoice (f8)" in invoice
    assert "the check letter of" in invoice and "corrective invoice" in invoice
    assert "refunded in full" in invoice and "already exchanged" in invoice
    assert "ctrl+shift+v" in fiscal and "correct customer (f6)" in fiscal
    assert "accepted with errors" in fiscal and "when to call support" in fiscal
    assert ".p12" in fiscal and "clock" in fiscal and "ticket printer" in fiscal
    assert "skip this version (f8)" in updates and "restore the previous version" in updates
    assert "updates are not configured" in updates and "are not lost" in updates
    assert "three times in a row" in updates
    assert "ctrl+9" in back_office and "(pgdn)" in back_office and "export (ctrl+e)" in back_office
    assert "saved nothing" in back_office and "apply (ctrl+shift+a)" in back_office
    assert "partially received" in back_office and "compare with previous period" in back_office


# --- the index and F1 -------------------------------------------------------------------------


def test_the_index_lists_the_new_pages_and_the_search_finds_them(
    qtbot: QtBot, english: None
) -> None:
    assert set(NEW_PAGES) <= set(SCREENS)
    dialog = show_help(None, "invoice")
    qtbot.addWidget(dialog)
    titles = [dialog.index.item(row).text() for row in range(dialog.index.count())]
    for title in ("Connection and shops", "Full invoices", "Fiscal records (VERI*FACTU)",
                  "Updates", "Back office (managers' window)"):  # fmt: skip
        assert title in titles
    assert dialog.index.currentItem().text() == "Full invoices"
    qtbot.keyClicks(dialog.search, "skip this version")
    assert dialog.visible_topics() == ["updates"]


def test_the_new_dialogs_have_their_pages() -> None:
    for name in ("ProfileSwitchDialog", "PasswordPrompt", "InvoiceDialog", "UpdateDialog",
                 "UpdateSettingsDialog", "AboutDialog", "VerifactuScreen"):  # fmt: skip
        assert DIALOG_HELP[name] in SCREENS, name


def _help_over(qtbot: QtBot, focus: QWidget) -> HelpDialog:
    """Press F1 where the cashier is, and the help that opened."""
    focus.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is focus.window())
    qtbot.keyClick(focus, Qt.Key.Key_F1)
    dialog: HelpDialog = wait_dialog(qtbot, HelpDialog)
    return dialog


@pytest.fixture
def till_window(qtbot: QtBot, demo_shop_db: Any, tmp_path: Path, english: None) -> Iterator[Any]:
    target = ShopTarget(url=parse_url(demo_shop_db.url), prefix=demo_shop_db.prefix, demo=True)
    window = MainWindow(target, till="T1", store=tmp_path / "till-T1.sqlite3")
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    yield window, target
    window.close()


@pytest.mark.parametrize("demo_shop_db", ["sqlite"], indirect=True)
def test_f1_on_the_payment_dialog_follows_the_full_invoice_form(
    qtbot: QtBot, till_window: Any
) -> None:
    window, _target = till_window
    payment = PaymentDialog(window, Decimal("12.10"))
    payment.open()
    help_page = _help_over(qtbot, payment.amount)
    assert help_page.screen_id == "payment"
    help_page.close()
    payment.activateWindow()
    qtbot.waitUntil(payment.isActiveWindow)
    qtbot.keyClick(payment.amount, Qt.Key.Key_F10)  # "Full invoice (F10)": the form shows
    qtbot.waitUntil(payment.invoice_form.isVisible)
    help_page = _help_over(qtbot, payment.invoice_form.name)
    assert help_page.screen_id == "invoice"
    assert "Which details are needed" in help_page.browser.toPlainText()
    help_page.close()
    payment.reject()


@pytest.mark.parametrize("demo_shop_db", ["sqlite"], indirect=True)
def test_f1_on_the_exchange_for_an_invoice_opens_the_invoice_page(
    qtbot: QtBot, till_window: Any
) -> None:
    window, _target = till_window
    exchange = InvoiceDialog(window, "T1-2026-000001")
    exchange.open()
    help_page = _help_over(qtbot, exchange.form.name)
    assert help_page.screen_id == "invoice"
    assert "Tickets that cannot be exchanged" in help_page.browser.toPlainText()
    help_page.close()
    exchange.reject()


@pytest.mark.parametrize("demo_shop_db", ["sqlite"], indirect=True)
def test_f1_in_the_fiscal_records_window_opens_the_fiscal_page(
    qtbot: QtBot, till_window: Any, tmp_path: Path
) -> None:
    window, _target = till_window
    with open_store("T9", tmp_path / "till-T9.sqlite3") as store:
        screen = VerifactuScreen(window.tasks, store)
        screen.setParent(window, Qt.WindowType.Window)  # as Settings → Fiscal records shows it
        screen.show()
        qtbot.waitExposed(screen)
        help_page = _help_over(qtbot, screen.table)
        assert help_page.screen_id == "fiscal"
        assert "What each state means" in help_page.browser.toPlainText()
        help_page.close()
        qtbot.waitUntil(lambda: window.tasks.pending == 0)
        screen.close()


@pytest.fixture
def back_office(qtbot: QtBot, till_window: Any) -> Iterator[ErpWindow]:
    _window, target = till_window
    erp = ErpWindow(target, MANAGER)
    erp.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
    qtbot.addWidget(erp)
    with qtbot.waitSignal(erp.connected, timeout=20_000):
        erp.show()
    yield erp
    qtbot.waitUntil(lambda: erp.tasks.pending == 0, timeout=20_000)
    erp.close()


@pytest.mark.parametrize("demo_shop_db", ["sqlite"], indirect=True)
def test_f1_in_the_back_office_is_its_own_and_the_till_keeps_its_own(
    qtbot: QtBot, till_window: Any, back_office: ErpWindow
) -> None:
    """The till window's F1 is application-wide: a plain second F1 shortcut would make both
    ambiguous to Qt, and neither would open anything."""
    window, _target = till_window
    help_page = _help_over(qtbot, back_office.sidebar)  # exactly one help opens
    assert help_page.parent() is back_office
    help_page.close()
    qtbot.waitUntil(lambda: not help_page.isVisible())
    till_help = _help_over(qtbot, window.stack)
    assert till_help.parent() is window and till_help.screen_id in ("home", "login")
    till_help.close()


@pytest.mark.parametrize("demo_shop_db", ["sqlite"], indirect=True)
def test_f1_in_the_back_office_opens_its_page(qtbot: QtBot, back_office: ErpWindow) -> None:
    help_page = _help_over(qtbot, back_office.sidebar)
    assert help_page.screen_id == "back_office"
    assert "Sections and shortcuts" in help_page.browser.toPlainText()
    help_page.close()
