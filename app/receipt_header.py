"""What a receipt says about the shop: PrestaShop's shop name and address (from the till's
last catalog pull) and what PrestaShop does not keep, such as the tax id, from the settings."""

from __future__ import annotations

from app.config import settings as cfg
from app.sync.catalog_pull import shop_config
from app.till.store import TillStore
from printing.receipt import ShopHeader


def shop_header(store: TillStore, settings: cfg.Settings) -> ShopHeader:
    config = shop_config(store)
    postcode, city = config.get("PS_SHOP_CODE", ""), config.get("PS_SHOP_CITY", "")
    town = " ".join(p for p in (postcode, city) if p)
    address = "\n".join(p for p in (config.get("PS_SHOP_ADDR1", ""), town) if p)
    return ShopHeader(
        name=config.get("PS_SHOP_NAME") or store.till,
        address=address,
        nif=settings.get(cfg.RECEIPT_TAX_ID),
        phone=config.get("PS_SHOP_PHONE", ""),
        footer=settings.get(cfg.RECEIPT_FOOTER),
    )
