"""What the main window shows about the shop: name, version, product count, connection."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from sqlalchemy.orm import Session

from app.connection import ShopTarget, open_engine
from app.errors import ShopUnreachable, UserFacingError
from app.i18n import _
from connectors.prestashop.shop import count_products, open_shop

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ShopStatus:
    shop_name: str
    prestashop_version: str
    product_count: int
    latency_ms: float
    demo: bool


def load_shop_status(target: ShopTarget) -> ShopStatus:
    """Connect, discover the shop and count its products. Runs on a worker thread."""
    engine = open_engine(target)
    try:
        shop = open_shop(
            engine, prefix=target.prefix, id_shop=target.id_shop, lang_iso=target.lang_iso
        )
        with Session(engine) as session:
            products = count_products(session, shop)
            start = time.perf_counter()
            session.execute(text("SELECT 1"))
            latency_ms = (time.perf_counter() - start) * 1000
        return ShopStatus(shop.name, shop.version.raw, products, latency_ms, target.demo)
    except UserFacingError:
        raise
    except DBAPIError as exc:
        logger.warning("shop unreachable: %s", exc.orig)
        raise ShopUnreachable(
            _("Cannot reach the shop database."),
            _("Run «mostrador doctor» or Help → Check the connection to see why."),
        ) from exc
    except SQLAlchemyError as exc:
        raise ShopUnreachable(
            _("The shop database answered with an error: {error}").format(error=exc)
        ) from exc
    finally:
        engine.dispose()
