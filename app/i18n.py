"""Translations (gettext), owned by the core.

Source strings are English; Spanish is the default interface language. Use named ``.format``
fields, never f-strings inside ``_()``::

    _("Access denied for {user}").format(user=user)
"""

from __future__ import annotations

import gettext
import locale
import os
import re
import sys
from pathlib import Path

DOMAIN = "mostrador"
SUPPORTED = ("es", "en")
DEFAULT_LANGUAGE = "es"
LOCALE_DIR = Path(__file__).resolve().parent.parent / "resources" / "locale"


class _State:
    translation: gettext.NullTranslations = gettext.NullTranslations()
    language = "en"


def system_language() -> str:
    """The language of the user's environment when we support it, else Spanish."""
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "")
        if value and not value.upper().startswith(("C.", "POSIX")) and value.upper() != "C":
            return _supported(value)
    if sys.platform == "win32":
        # Windows names its locales in words: "Spanish_Spain", "English_United States".
        return _supported(locale.getlocale()[0] or "")
    return DEFAULT_LANGUAGE


_WINDOWS_NAMES = {"spanish": "es", "english": "en"}


def _supported(code: str) -> str:
    short = re.split(r"[:_.@-]", code, maxsplit=1)[0].lower()
    short = _WINDOWS_NAMES.get(short, short)
    return short if short in SUPPORTED else DEFAULT_LANGUAGE


def set_language(language: str | None = None) -> str:
    """Install the catalog of ``language`` (``None``: the system's); returns the code used."""
    code = _supported(language) if language else system_language()
    _State.translation = gettext.translation(
        DOMAIN, localedir=str(LOCALE_DIR), languages=[code], fallback=True
    )
    _State.language = code
    return code


def current_language() -> str:
    return _State.language


def _(message: str) -> str:
    return _State.translation.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _State.translation.ngettext(singular, plural, n)
