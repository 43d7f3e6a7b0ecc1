"""The Spanish catalog is complete: every message the code marks for translation (extracted as
scripts/update_translations.sh does) has a Spanish translation, with the same placeholders, the
same menu mnemonics, and nothing left fuzzy. After adding strings, run the script, translate
the new entries in resources/locale/es/LC_MESSAGES/mostrador.po and compile."""

from __future__ import annotations

import io
import re
from functools import cache
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
SOURCE_DIRS = ("app", "connectors", "ui", "printing", "updater")  # as update_translations.sh
KEYWORDS = {"_": None, "ngettext": (1, 2)}  # -k _ -k ngettext:1,2
SPANISH_PO = ROOT / "resources" / "locale" / "es" / "LC_MESSAGES" / "mostrador.po"
FIX = "run scripts/update_translations.sh and translate them in " + str(
    SPANISH_PO.relative_to(ROOT)
)

# {name}, {n:.1f}, {value!r} … and printf-style %s, %d, %(name)s.
PLACEHOLDER = re.compile(r"\{[^{}]*\}|%(?:\(\w+\))?[sdifr]")
MNEMONIC = re.compile(r"&(?!&)")
# A quick look first: about half the modules translate nothing and need no tokenizing.
CALLS = re.compile(rb"(?<!\w)(?:_|ngettext)\(")


@cache
def source_messages() -> dict[str, tuple[tuple[str, ...], str]]:
    """msgid → (the id, or singular and plural; where it is used) for the whole source tree."""
    found: dict[str, tuple[tuple[str, ...], str]] = {}
    for folder in SOURCE_DIRS:
        for path in sorted((ROOT / folder).rglob("*.py")):
            source = path.read_bytes()
            if not CALLS.search(source):
                continue
            where = path.relative_to(ROOT).as_posix()
            for lineno, message, _comments, _context in extract(
                "python", io.BytesIO(source), keywords=KEYWORDS
            ):
                forms = (message,) if isinstance(message, str) else tuple(message)
                if forms[0]:
                    found.setdefault(forms[0], (forms, f"{where}:{lineno}"))
    return found


@cache
def spanish() -> Catalog:
    with SPANISH_PO.open("rb") as po:
        return read_po(po)


def translations(message: Message) -> tuple[str, ...]:
    string = message.string
    return tuple(string) if isinstance(string, (tuple, list)) else (string,)


def placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text))


def test_the_source_has_messages() -> None:
    assert len(source_messages()) > 300  # the extraction itself works


def test_every_message_has_a_spanish_translation() -> None:
    catalog = spanish()
    missing = []
    for msgid, (forms, where) in sorted(source_messages().items()):
        message = catalog.get(msgid)
        if message is None or not all(translations(message)):
            missing.append(f"  {where}: {forms[0]!r}")
        elif len(forms) > 1 and not isinstance(message.id, (tuple, list)):
            missing.append(f"  {where}: {forms[0]!r} (plural forms missing)")
    assert not missing, f"{len(missing)} message(s) without Spanish; {FIX}:\n" + "\n".join(missing)


def test_translations_keep_the_placeholders() -> None:
    wrong = []
    for message in spanish():
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, (tuple, list)) else (message.id,)
        for index, text in enumerate(translations(message)):
            if not text:
                continue  # reported by the test above
            source = ids[min(index, len(ids) - 1)]
            if placeholders(text) != placeholders(source):
                wrong.append(f"  {source!r} → {text!r}")
    assert not wrong, "translations whose placeholders differ from the msgid:\n" + "\n".join(wrong)


def test_menu_labels_keep_one_mnemonic() -> None:
    wrong = []
    for message in spanish():
        if isinstance(message.id, str) and MNEMONIC.search(message.id):
            text = translations(message)[0]
            if text and len(MNEMONIC.findall(text)) != 1:
                wrong.append(f"  {message.id!r} → {text!r}")
    assert not wrong, "menu labels need exactly one & in Spanish:\n" + "\n".join(wrong)


def test_nothing_is_fuzzy() -> None:
    fuzzy = [repr(message.id) for message in spanish() if message.id and message.fuzzy]
    assert not fuzzy, "review these translations and drop their fuzzy flag:\n" + "\n".join(fuzzy)
