"""Asking the shop for a barcode the till does not know yet (a product created minutes ago).

Online, the shop's answer is stored in the till and returned; offline, or when the shop
answers with an error, the lookup quietly returns nothing and the till stays with what it
knows: a scan never waits on a broken connection for long (the connect timeout is short).
"""

from __future__ import annotations

import logging

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from app.connection import ShopTarget, password_for
from app.errors import ShopSchemaError, ShopUnreachable
from app.sync.catalog_pull import lookup_live_barcode
from app.till.catalog import CatalogItem
from app.till.store import TillStore
from connectors.prestashop.engine import make_engine
from connectors.prestashop.shop import ShopInfo, open_shop

logger = logging.getLogger(__name__)

CONNECT_TIMEOUT_S = 3


class LiveLookup:
    """``lookup(store, code)``: the shop's products with that code, or [] when offline."""

    def __init__(self, target: ShopTarget) -> None:
        self.target = target
        self._engine: Engine | None = None
        self._shop: ShopInfo | None = None

    def __call__(self, store: TillStore, code: str) -> list[CatalogItem]:
        try:
            engine, shop = self._connected()
            return lookup_live_barcode(engine, shop, store, code)
        except (SQLAlchemyError, ShopUnreachable, ShopSchemaError) as error:
            logger.info("live lookup of %s skipped: %s", code, error)
            return []

    def _connected(self) -> tuple[Engine, ShopInfo]:
        if self._engine is None:
            password = password_for(self.target.url)
            self._engine = make_engine(
                self.target.url, password=password, connect_timeout=CONNECT_TIMEOUT_S
            )
        if self._shop is None:
            self._shop = open_shop(
                self._engine, self.target.prefix, self.target.id_shop, self.target.lang_iso
            )
        return self._engine, self._shop

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
        self._engine, self._shop = None, None
