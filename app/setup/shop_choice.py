"""The shops (multistore) and languages of a PrestaShop database, for the wizard to offer."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.connection import open_engine
from app.setup.form import ConnectionForm, Credentials, reach
from connectors.prestashop.models import build_models


@dataclass(frozen=True)
class ShopOption:
    id_shop: int
    name: str


@dataclass(frozen=True)
class LanguageOption:
    iso: str
    name: str


@dataclass(frozen=True)
class ShopChoices:
    shops: tuple[ShopOption, ...]
    languages: tuple[LanguageOption, ...]


def list_shops_and_languages(form: ConnectionForm, creds: Credentials) -> ShopChoices:
    """Active shops and languages under ``form.prefix`` (which the check has settled)."""
    with reach(form, creds) as reached:
        engine = open_engine(reached.target)
        try:
            with Session(engine) as session:
                return _read_choices(session, form.prefix or "ps_")
        finally:
            engine.dispose()


def _read_choices(session: Session, prefix: str) -> ShopChoices:
    models = build_models(prefix)
    shop, lang = models.Shop, models.Lang
    shops = session.execute(
        select(shop.id_shop, shop.name)
        .where(shop.active == 1, shop.deleted == 0)
        .order_by(shop.id_shop)
    ).all()
    languages = session.execute(
        select(lang.iso_code, lang.name).where(lang.active == 1).order_by(lang.id_lang)
    ).all()
    return ShopChoices(
        shops=tuple(ShopOption(int(row[0]), str(row[1])) for row in shops),
        languages=tuple(LanguageOption(str(row[0]), str(row[1])) for row in languages),
    )
