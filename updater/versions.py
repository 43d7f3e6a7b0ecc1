"""Comparing version names (PEP 440, via ``packaging``): light enough for the launcher."""

from __future__ import annotations

from packaging.version import InvalidVersion, Version


def newer(candidate: str, current: str | None) -> bool:
    """True when ``candidate`` is a later version than ``current`` (or nothing is installed)."""
    if current is None:
        return True
    try:
        return Version(candidate) > Version(current)
    except InvalidVersion:
        return False
