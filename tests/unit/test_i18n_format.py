from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import pytest

from app import i18n
from app.formatting import format_int, format_money


@pytest.fixture
def spanish() -> Iterator[None]:
    previous = i18n.current_language()
    i18n.set_language("es")
    yield
    i18n.set_language(previous)


def test_spanish_is_the_default_for_unknown_locales(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LANGUAGE", "fr_FR")
    assert i18n.system_language() == "es"
    monkeypatch.setenv("LANGUAGE", "en_GB.UTF-8")
    assert i18n.system_language() == "en"


def test_messages_are_translated_to_spanish(spanish: None) -> None:
    assert i18n._("Products") == "Productos"
    assert i18n._("The server {host} was not found.").format(host="x") == (
        "No se encuentra el servidor x."
    )


def test_spanish_numbers_and_money(spanish: None) -> None:
    assert format_int(1234567) == "1.234.567"
    assert format_money(Decimal("1234.5")) == "1.234,50 €"
    assert format_money(Decimal("0.005")) == "0,01 €"


def test_english_money() -> None:
    previous = i18n.current_language()
    i18n.set_language("en")
    try:
        assert format_money(Decimal("1234.5")) == "€1,234.50"
    finally:
        i18n.set_language(previous)


def test_plain_c_locale_gives_spanish(monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    assert i18n.system_language() == "es"


def test_windows_locale_names_are_understood() -> None:
    assert i18n._supported("English_United States") == "en"
    assert i18n._supported("Spanish_Spain") == "es"
