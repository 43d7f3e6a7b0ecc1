"""The ERP's connection to the shop: one engine and the discovered shop, opened once.

Every ERP operation is a plain function ``op(ctx: ErpContext, ...)`` meant to run on a worker
(``ui/tasks.py``); it opens its own ``with ctx.engine.begin() as connection:`` (or a Session
bound to it) for exactly one operation and returns frozen values, never ORM instances.
The PrestaShop tables are reached through ``ctx.shop.models`` (``connectors/prestashop``);
the app's own tables in the shop database live under ``<prefix>mostrador_…``.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine

from app.connection import ShopTarget, password_for
from app.logging_setup import register_secret
from connectors.prestashop.engine import make_engine
from connectors.prestashop.shop import ShopInfo, open_shop


@dataclass(frozen=True)
class ErpContext:
    engine: Engine
    shop: ShopInfo
    id_employee: int = 0  # the signed-in manager, recorded on the rows PrestaShop keeps it in

    def close(self) -> None:
        self.engine.dispose()


def open_erp(target: ShopTarget, id_employee: int = 0) -> ErpContext:
    """Connect to ``target`` and discover the shop (network: run it on a worker)."""
    password = password_for(target.url)
    if password:
        register_secret(password)
    engine = make_engine(target.url, password)
    try:
        shop = open_shop(engine, target.prefix, target.id_shop, target.lang_iso)
    except BaseException:
        engine.dispose()
        raise
    return ErpContext(engine, shop, id_employee)
