"""The one-time discovery made when Mostrador connects to a shop database.

:func:`open_shop` finds which mapped columns the shop lacks (one reflection query), reads the
PrestaShop version, builds the typed models for the table prefix, and reads what every later
operation needs: shop group and its sharing flags, shop name, language, default currency and
the shop's country. The result is a frozen :class:`ShopInfo` holding plain values and the
models; it is safe to pass between threads.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from app.errors import ShopSchemaError
from app.i18n import _
from connectors.prestashop.configuration import get_many, to_int
from connectors.prestashop.models import (
    DEFAULT_PREFIX,
    ShopModels,
    build_models,
    declared_table_columns,
    mapped_tables,
)
from connectors.prestashop.schema_check import (
    MARKER_TABLES,
    LiveTables,
    find_prefixes,
    reflect_columns,
)
from connectors.prestashop.version import ShopVersion, optional_columns, read_version

logger = logging.getLogger(__name__)

SHOP_KEYS = (
    "PS_SHOP_NAME",
    "PS_LANG_DEFAULT",
    "PS_CURRENCY_DEFAULT",
    "PS_SHOP_COUNTRY_ID",
    "PS_COUNTRY_DEFAULT",
    "PS_TIMEZONE",
)


@dataclass(frozen=True)
class ShopInfo:
    """What Mostrador knows about the shop after connecting (plain values + the models)."""

    prefix: str
    models: ShopModels
    version: ShopVersion
    family: str
    id_shop: int
    id_shop_group: int
    name: str
    share_customer: bool
    share_order: bool
    share_stock: bool
    id_lang: int
    lang_iso: str
    id_currency: int
    currency_iso: str
    currency_precision: int
    id_country: int
    country_iso: str
    timezone: str | None

    @property
    def stock_scope(self) -> tuple[int, int]:
        """``(id_shop, id_shop_group)`` of this shop's stock_available rows (FACTS.md §7.1)."""
        return (0, self.id_shop_group) if self.share_stock else (self.id_shop, 0)


@dataclass(frozen=True)
class _Localisation:
    id_lang: int
    lang_iso: str
    id_currency: int
    currency_iso: str
    currency_precision: int
    id_country: int
    country_iso: str


@dataclass(frozen=True)
class _LangRow:
    id_lang: int
    iso_code: str


def open_shop(
    engine: Engine, prefix: str = DEFAULT_PREFIX, id_shop: int = 1, lang_iso: str = "es"
) -> ShopInfo:
    """Discover the shop under ``prefix``; raises ``ShopSchemaError`` when Mostrador cannot
    work with it (no PrestaShop tables there, unsupported version, unknown shop)."""
    with engine.connect() as connection:
        live = reflect_columns(connection, [prefix + t for t in mapped_tables()])
        if not all(prefix + t in live for t in MARKER_TABLES):
            raise _no_tables_error(prefix, find_prefixes(connection))
    missing = [prefix + t for t in mapped_tables() if prefix + t not in live]
    if missing:
        logger.warning("shop tables missing: %s", ", ".join(missing))
    absent = absent_columns(prefix, live)
    models = build_models(prefix, absent)
    with Session(engine) as session:
        version = read_version(session, models)
        family = _require_supported(version)
        _log_unexpected(absent, family)
        return _discover(session, models, version, id_shop, lang_iso)


def count_products(session: Session, shop: ShopInfo) -> int:
    """Products associated to the shop (rows of product_shop)."""
    product_shop = shop.models.ProductShop
    stmt = select(func.count()).select_from(product_shop)
    return session.execute(stmt.where(product_shop.id_shop == shop.id_shop)).scalar_one()


def absent_columns(prefix: str, live: LiveTables) -> dict[str, frozenset[str]]:
    """Declared columns missing from the tables that exist (tables without prefix)."""
    absent: dict[str, frozenset[str]] = {}
    for table in mapped_tables():
        columns = live.get(prefix + table)
        if columns is None:
            continue
        declared = declared_table_columns(table)
        missing = frozenset(name for name in declared if name not in columns)
        keys = [name for name in missing if declared[name].primary_key]
        if keys:
            raise _broken_table_error(prefix + table, keys)
        if missing:
            absent[table] = missing
    return absent


# --------------------------------------------------------------------------- discovery


def _discover(
    session: Session,
    models: ShopModels,
    version: ShopVersion,
    id_shop: int,
    lang_iso: str,
) -> ShopInfo:
    shop = session.get(models.Shop, id_shop)
    if shop is None:
        raise ShopSchemaError(
            _("The shop number {id_shop} does not exist in this database.").format(id_shop=id_shop),
            _("Check the shop number in the connection settings."),
        )
    group = session.get(models.ShopGroup, shop.id_shop_group)
    config = get_many(session, models, SHOP_KEYS, id_shop, shop.id_shop_group)
    local = _localisation(session, models, config, lang_iso)
    return ShopInfo(
        prefix=models.prefix,
        models=models,
        version=version,
        family=_require_supported(version),
        id_shop=id_shop,
        id_shop_group=shop.id_shop_group,
        name=config["PS_SHOP_NAME"] or shop.name,
        share_customer=bool(group and group.share_customer),
        share_order=bool(group and group.share_order),
        share_stock=bool(group and group.share_stock),
        timezone=config["PS_TIMEZONE"],
        **vars(local),
    )


def _localisation(
    session: Session, models: ShopModels, config: Mapping[str, str | None], lang_iso: str
) -> _Localisation:
    lang = _lang(session, models, lang_iso, to_int(config["PS_LANG_DEFAULT"]))
    currency = session.get(models.Currency, to_int(config["PS_CURRENCY_DEFAULT"]) or 0)
    if currency is None:
        raise ShopSchemaError(
            _("The shop's default currency is missing."),
            _("Check the currency settings in the PrestaShop back office."),
        )
    id_country = to_int(config["PS_SHOP_COUNTRY_ID"]) or to_int(config["PS_COUNTRY_DEFAULT"]) or 0
    country = session.get(models.Country, id_country)
    return _Localisation(
        id_lang=lang.id_lang,
        lang_iso=lang.iso_code,
        id_currency=currency.id_currency,
        currency_iso=currency.iso_code,
        currency_precision=currency.precision,
        id_country=country.id_country if country else 0,
        country_iso=country.iso_code if country else "",
    )


def _lang(session: Session, models: ShopModels, iso: str, default_id: int | None) -> _LangRow:
    lang = models.Lang
    stmt = select(lang.id_lang, lang.iso_code).order_by(lang.active.desc(), lang.id_lang)
    row = session.execute(stmt.where(lang.iso_code == iso).limit(1)).first()
    if row is None and default_id is not None:
        row = session.execute(stmt.where(lang.id_lang == default_id).limit(1)).first()
    if row is None:
        row = session.execute(stmt.limit(1)).first()
    if row is None:
        raise ShopSchemaError(_("The shop has no languages."))
    return _LangRow(row.id_lang, row.iso_code)


# --------------------------------------------------------------------------- errors


def _require_supported(version: ShopVersion) -> str:
    if version.family is not None:
        return version.family
    if not version.raw:
        raise ShopSchemaError(
            _("Cannot tell which PrestaShop version this shop runs."),
            _("The configuration has no PS_VERSION_DB; is this a complete PrestaShop database?"),
        )
    raise ShopSchemaError(
        _("PrestaShop {version} is not supported.").format(version=version.raw),
        _("Mostrador works with PrestaShop 1.7.8 up to 9.x."),
    )


def _no_tables_error(prefix: str, found: list[str]) -> ShopSchemaError:
    message = _("There are no PrestaShop tables with the prefix «{prefix}» here.").format(
        prefix=prefix
    )
    if found:
        shown = ", ".join(f"«{p}»" for p in found)
        hint = _("Prefixes found in this database: {prefixes}.").format(prefixes=shown)
    else:
        hint = _("No PrestaShop tables were found: check the database name.")
    return ShopSchemaError(message, hint)


def _broken_table_error(table: str, keys: list[str]) -> ShopSchemaError:
    return ShopSchemaError(
        _("The table {table} lacks its key columns: {columns}.").format(
            table=table, columns=", ".join(sorted(keys))
        ),
        _("Run «mostrador doctor» to see every difference."),
    )


def _log_unexpected(absent: Mapping[str, frozenset[str]], family: str) -> None:
    """Warn about columns missing although PrestaShop ``family`` has them."""
    optional = optional_columns(family)
    for table, columns in sorted(absent.items()):
        unexpected = columns - optional.get(table, frozenset())
        if unexpected:
            logger.warning(
                "table %s lacks columns %s that PrestaShop %s has; they are not mapped",
                table,
                ", ".join(sorted(unexpected)),
                family,
            )
