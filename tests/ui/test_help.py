"""F1 help: a page for every screen in both languages, Spanish pages free of English, the
dialog opening on the page asked for, links and search."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QUrl
from pytestqt.qtbot import QtBot

from app.i18n import set_language
from ui.help import HELP_DIR, SCREENS, HelpDialog, load_help, parse_page, show_help
from ui.tasks import TaskManager

# Words that cannot be Spanish: one of them in a Spanish page means an untranslated sentence.
ENGLISH_WORDS = {
    "the", "and", "you", "your", "with", "when", "what", "how", "press", "click", "tap",
    "button", "cashier", "receipt", "printer", "till", "sales", "which", "this", "help",
    "store", "shop", "customer", "payment", "return", "refund", "cash", "drawer",
}  # fmt: skip
SPANISH_WORDS = {"el", "la", "los", "las", "caja", "venta", "pulse", "cliente", "con", "para"}
WORD = re.compile(r"[a-záéíóúüñ]+")


@pytest.fixture
def english() -> Iterator[None]:
    set_language("en")
    yield
    set_language("en")


@pytest.mark.parametrize("language", ["es", "en"])
@pytest.mark.parametrize("screen_id", SCREENS)
def test_every_screen_has_a_page_in_both_languages(language: str, screen_id: str) -> None:
    path = HELP_DIR / language / f"{screen_id}.html"
    assert path.is_file(), f"no help page {path}"
    page = parse_page(screen_id, path.read_text(encoding="utf-8"))
    assert page.title and page.title != screen_id
    assert len(page.text.split()) > 60, "a help page answers questions, it is not a stub"


@pytest.mark.parametrize("screen_id", SCREENS)
def test_spanish_pages_have_no_english(screen_id: str) -> None:
    page = parse_page(screen_id, (HELP_DIR / "es" / f"{screen_id}.html").read_text("utf-8"))
    found = set(WORD.findall(page.text)) & ENGLISH_WORDS
    assert not found, f"English words in es/{screen_id}.html: {sorted(found)}"


@pytest.mark.parametrize("screen_id", SCREENS)
def test_english_pages_are_not_spanish(screen_id: str) -> None:
    page = parse_page(screen_id, (HELP_DIR / "en" / f"{screen_id}.html").read_text("utf-8"))
    found = set(WORD.findall(page.text)) & SPANISH_WORDS
    assert not found, f"Spanish words in en/{screen_id}.html: {sorted(found)}"


@pytest.mark.parametrize("language", ["es", "en"])
def test_links_between_pages_lead_to_pages(language: str) -> None:
    for page in load_help(language):
        for target in re.findall(r'href="([^"]+)"', page.html):
            assert target.removesuffix(".html") in SCREENS, f"{page.screen_id} → {target}"


def test_the_questions_shops_ask_are_answered() -> None:
    pages = {page.screen_id: page.text for page in load_help("en")}
    assert "no barcode" in pages["sale"] and "type part of the name" in pages["sale"]
    assert "internet is down" in pages["sync"] and "keep selling" in pages["sync"]
    assert "how do i make a return" in pages["returns"]
    assert "del" in pages["sale"] and "remove line" in pages["sale"]
    assert "difference = counted − expected" in pages["cash_close"]
    assert "reprint" in pages["printer"] and "retry" in pages["printer"]
    assert "change my pin" in pages["login"]
    assert "f12" in pages["home"] and "ctrl+q" in pages["home"]


def test_a_missing_page_falls_back_to_spanish() -> None:
    pages = {page.screen_id: page for page in load_help("fr")}
    assert set(pages) == set(SCREENS)
    assert pages["sale"].title == "Vender"


def test_f1_opens_the_page_of_the_screen_in_use(qtbot: QtBot, english: None) -> None:
    dialog = show_help(None, "returns")
    qtbot.addWidget(dialog)
    assert dialog.isVisible()
    assert "How do I make a return?" in dialog.browser.toPlainText()
    assert dialog.index.currentItem().text() == "Returns"
    assert dialog.index.count() == len(SCREENS)


def test_the_spanish_interface_gets_the_spanish_page(qtbot: QtBot) -> None:
    set_language("es")
    try:
        dialog = show_help(None, "sync")
        qtbot.addWidget(dialog)
        assert "¿Puedo vender si se cae internet?" in dialog.browser.toPlainText()
    finally:
        set_language("en")


def test_pages_are_read_on_a_worker_when_a_task_helper_is_given(
    qtbot: QtBot, english: None
) -> None:
    from ui import help as help_module

    help_module._Cache.pages.clear()
    tasks = TaskManager()
    try:
        dialog = show_help(None, "printer", tasks)
        qtbot.addWidget(dialog)
        qtbot.waitUntil(lambda: "reprint a ticket" in dialog.browser.toPlainText())
    finally:
        tasks.shutdown()


def test_links_and_search_move_between_topics(qtbot: QtBot, english: None) -> None:
    dialog = HelpDialog(None, "home")
    qtbot.addWidget(dialog)
    dialog.set_pages(load_help("en"))
    dialog.on_link(QUrl("cash_close.html"))
    assert dialog.screen_id == "cash_close"
    assert "Closing the till" in dialog.browser.toPlainText()
    qtbot.keyClicks(dialog.search, "paper")
    assert "printer" in dialog.visible_topics()
    assert "login" not in dialog.visible_topics()
    dialog.search.clear()
    assert len(dialog.visible_topics()) == len(SCREENS)
