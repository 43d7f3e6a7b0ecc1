"""Which PrestaShop a shop database runs, and which schema family that version belongs to.

The version is read from the configuration key ``PS_VERSION_DB`` (written by the installer and
by every upgrade), falling back to ``PS_INSTALL_VERSION`` (FACTS.md §10). Schema families group
the releases whose tables Mostrador maps identically (FACTS.md §12.1):

====== ===================================================================================
family releases
====== ===================================================================================
1.7.8  1.7.8.x
8.0    8.0.x (product.unit_price, category_lang.additional_description appear)
8.1    8.1.x and 8.2.x (order_payment.id_employee; stock_mvt names varchar(255))
9.0    9.0.x (orders.reference varchar(255), ean13 varchar(20), category.redirect_type)
9.1    9.1 and any later 9.x (checked against a 9.1 development snapshot)
====== ===================================================================================

Older than 1.7.8 and 10 or newer are not supported.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from packaging.version import InvalidVersion, Version

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from connectors.prestashop.models import ShopModels

# Oldest first; the order matters for ``family_range``.
FAMILIES: tuple[str, ...] = ("1.7.8", "8.0", "8.1", "9.0", "9.1")
VERSION_KEYS: tuple[str, ...] = ("PS_VERSION_DB", "PS_INSTALL_VERSION")
OLDEST_SUPPORTED = "1.7.8"
FIRST_UNSUPPORTED_MAJOR = 10


@dataclass(frozen=True)
class ShopVersion:
    """A PrestaShop version as read from a shop, classified.

    ``raw`` is the text found (``""`` when the shop has none), ``family`` one of
    :data:`FAMILIES` or ``None`` when the version is unsupported or unreadable.
    """

    raw: str
    release: tuple[int, ...]
    family: str | None

    @property
    def supported(self) -> bool:
        return self.family is not None

    @property
    def short(self) -> str:
        """``"8.2.1"`` style, for messages."""
        return ".".join(str(part) for part in self.release) if self.release else self.raw


def classify(raw: str) -> ShopVersion:
    """Parse ``raw`` (e.g. ``"8.2.1"``, ``"1.7.8.11"``) and find its schema family."""
    text = raw.strip()
    try:
        release = Version(text).release
    except InvalidVersion:
        return ShopVersion(raw=text, release=(), family=None)
    return ShopVersion(raw=text, release=release, family=_family_of(release))


def _family_of(release: tuple[int, ...]) -> str | None:
    major, minor = release[0], release[1] if len(release) > 1 else 0
    if major == 1 and minor == 7:
        patch = release[2] if len(release) > 2 else 0
        return "1.7.8" if patch == 8 else None
    if major == 8:
        return "8.0" if minor == 0 else "8.1"
    if major == 9:
        return "9.0" if minor == 0 else "9.1"
    return None


def family_range(first: str, last: str | None = None) -> frozenset[str]:
    """The families from ``first`` to ``last`` (inclusive; ``None``: the newest)."""
    start = FAMILIES.index(first)
    end = FAMILIES.index(last) if last is not None else len(FAMILIES) - 1
    return frozenset(FAMILIES[start : end + 1])


def read_version(session: Session, models: ShopModels) -> ShopVersion:
    """The version of the shop behind ``session`` (global configuration rows)."""
    from connectors.prestashop.configuration import get_many

    values = get_many(session, models, VERSION_KEYS, id_shop=0, id_shop_group=0)
    for key in VERSION_KEYS:
        value = values.get(key)
        if value:
            return classify(value)
    return ShopVersion(raw="", release=(), family=None)


def optional_columns(family: str) -> Mapping[str, frozenset[str]]:
    """Columns Mostrador maps that do not exist in ``family``: ``{table: {column, …}}``.

    Derived from the version facts declared on the mapped columns themselves
    (``connectors.prestashop.types.since``), so there is one source of truth.
    """
    from connectors.prestashop.models import absent_in_family

    return absent_in_family(family)
