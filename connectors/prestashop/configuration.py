"""Reading PrestaShop configuration keys the way PrestaShop resolves them (FACTS.md §10).

For a key in shop S of group G the row with ``id_shop = S`` wins, else the group row
(``id_shop_group = G`` and no shop), else the global row (neither; NULL and 0 both mean "not
set"). ``name`` is not unique: several rows of one scope may exist, the newest (highest id)
wins, as when PrestaShop loads them in table order. A row whose value is NULL does not win:
PrestaShop treats a NULL value as "no value at this level". Multilanguage keys keep their
text in ``configuration_lang``: with ``id_lang`` given, that text is used when a row exists
for the language.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from sqlalchemy import ColumnElement, and_, or_, select

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from connectors.prestashop.models import ShopModels

_SHOP, _GROUP, _GLOBAL = 0, 1, 2


def get_many(
    session: Session,
    models: ShopModels,
    keys: Iterable[str],
    id_shop: int,
    id_shop_group: int,
    *,
    id_lang: int | None = None,
) -> dict[str, str | None]:
    """``{key: value}`` for every key of ``keys`` (``None`` when unset), in one query."""
    wanted = list(dict.fromkeys(keys))
    rows = session.execute(config_query(models, wanted, id_shop, id_shop_group, id_lang))
    return resolve(rows, wanted, id_shop, id_shop_group, id_lang=id_lang)


def resolve(
    rows: Iterable[Any],
    keys: Iterable[str],
    id_shop: int,
    id_shop_group: int,
    *,
    id_lang: int | None = None,
) -> dict[str, str | None]:
    """PrestaShop's precedence over rows of :func:`config_query` (shop, group, global; newest
    row first within a level). Rows only need the query's columns as attributes."""
    found: dict[str, tuple[int, int, str]] = {}
    for row in rows:
        rank = _rank(row, id_shop, id_shop_group)
        value = _value(row, id_lang)
        if rank is None or value is None:
            continue
        candidate = (rank, -int(row.id_configuration), value)
        if row.name not in found or candidate < found[row.name]:
            found[row.name] = candidate
    return {key: found[key][2] if key in found else None for key in keys}


def get(
    session: Session,
    models: ShopModels,
    key: str,
    id_shop: int,
    id_shop_group: int,
    *,
    id_lang: int | None = None,
) -> str | None:
    """The value of one key (``None`` when unset); prefer :func:`get_many` for several."""
    return get_many(session, models, [key], id_shop, id_shop_group, id_lang=id_lang)[key]


def get_int(
    session: Session, models: ShopModels, key: str, id_shop: int, id_shop_group: int
) -> int | None:
    """An integer key (ids, flags); ``None`` when unset or not a number."""
    value = get(session, models, key, id_shop, id_shop_group)
    return to_int(value)


def to_int(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def config_query(
    models: ShopModels, keys: list[str], id_shop: int, id_shop_group: int, id_lang: int | None
) -> Any:
    """The select of every configuration row that may hold one of ``keys`` for this shop."""
    conf = models.Configuration
    columns = [conf.id_configuration, conf.name, conf.id_shop, conf.id_shop_group, conf.value]
    scope = or_(
        conf.id_shop == id_shop,
        and_(conf.id_shop_group == id_shop_group, _unset(conf.id_shop)),
        and_(_unset(conf.id_shop_group), _unset(conf.id_shop)),
    )
    if id_lang is None:
        return select(*columns).where(conf.name.in_(keys), scope)
    lang = models.ConfigurationLang
    joined = and_(lang.id_configuration == conf.id_configuration, lang.id_lang == id_lang)
    return (
        select(*columns, lang.id_lang, lang.value.label("lang_value"))
        .outerjoin(lang, joined)
        .where(conf.name.in_(keys), scope)
    )


def _unset(column: ColumnElement[Any] | Any) -> ColumnElement[bool]:
    return or_(column.is_(None), column == 0)


def _rank(row: Any, id_shop: int, id_shop_group: int) -> int | None:
    if row.id_shop:
        return _SHOP if row.id_shop == id_shop else None
    if row.id_shop_group:
        return _GROUP if row.id_shop_group == id_shop_group else None
    return _GLOBAL


def _value(row: Any, id_lang: int | None) -> str | None:
    if id_lang is not None and row.id_lang is not None:
        return row.lang_value  # type: ignore[no-any-return]
    return row.value  # type: ignore[no-any-return]
