"""Demo shop, part 2: the ``configuration`` rows of a Spanish shop (FACTS.md §10)."""

from __future__ import annotations

from connectors.prestashop import demo_words as w
from connectors.prestashop.demo_util import Context

PRIORITIES_1_7 = "id_shop;id_currency;id_country;id_group"
PRIORITIES_8 = "id_group;id_currency;id_country;id_shop"
# Multilingual keys: value per id_lang in configuration_lang (configuration.value is NULL).
LANG_KEYS = {
    "PS_INVOICE_PREFIX": ("#IN", "#IN"),
    "PS_DELIVERY_PREFIX": ("#DE", "#DE"),
    "PS_CREDIT_SLIP_PREFIX": ("#CR", "#CR"),
    "PS_RETURN_PREFIX": ("#RE", "#RE"),
    "PS_SHOP_DETAILS": ("", ""),
}


def configuration_values(ctx: Context, orders: int) -> dict[str, str]:
    """Every global key the demo shop writes, with its value as PrestaShop stores it."""
    values = _shop_keys(ctx) | _sales_keys(ctx) | _stock_keys(ctx)
    values |= {f"{state.key}": str(state.id) for state in w.ORDER_STATES}
    values["PS_OS_OUTOFSTOCK"] = "9"
    if orders == 0:
        values["PS_DELIVERY_NUMBER"] = "1"  # one-shot start number, cleared once used
    full = w.FULL_VERSIONS[ctx.version]
    values["PS_VERSION_DB"] = full
    values["PS_INSTALL_VERSION"] = full
    return values


def _shop_keys(ctx: Context) -> dict[str, str]:
    address, postcode, city, phone = w.SHOP_ADDRESS
    return {
        "PS_SHOP_DEFAULT": "1",
        "PS_LANG_DEFAULT": "1",
        "PS_CURRENCY_DEFAULT": "1",
        "PS_COUNTRY_DEFAULT": str(w.SPAIN),
        "PS_SHOP_COUNTRY_ID": str(w.SPAIN),
        "PS_SHOP_STATE_ID": str(ctx.state_ids.get("ES-M", 0)),
        "PS_SHOP_NAME": w.SHOP_NAME,
        "PS_SHOP_EMAIL": "tienda@demo.test",
        "PS_SHOP_ADDR1": address,
        "PS_SHOP_ADDR2": "",
        "PS_SHOP_CODE": postcode,
        "PS_SHOP_CITY": city,
        "PS_SHOP_PHONE": phone,
        "PS_SHOP_DOMAIN": w.SHOP_DOMAIN,
        "PS_SHOP_DOMAIN_SSL": w.SHOP_DOMAIN,
        "PS_SHOP_ENABLE": "1",
        "PS_SSL_ENABLED": "1",
        "PS_TIMEZONE": "Europe/Madrid",
        "PS_LOCALE_LANGUAGE": "es",
        "PS_LOCALE_COUNTRY": "es",
        "PS_WEIGHT_UNIT": "kg",
        "PS_DIMENSION_UNIT": "cm",
        "PS_ROOT_CATEGORY": "1",
        "PS_HOME_CATEGORY": "2",
        "PS_PASSWD_TIME_BACK": "360",
        "PS_PASSWD_TIME_FRONT": "360",
        "PS_SEARCH_INDEXATION": "1",
        "PS_CATALOG_MODE": "0",
    }


def _sales_keys(ctx: Context) -> dict[str, str]:
    old = ctx.version.startswith("1.7")
    return {
        "PS_PRICE_ROUND_MODE": "2",
        "PS_ROUND_TYPE": "2",
        "PS_TAX": "1",
        "PS_TAX_ADDRESS_TYPE": "id_address_delivery",
        "PS_TAX_DISPLAY": "0",
        "PS_USE_ECOTAX": "0",
        "PS_INVOICE": "1",
        "PS_ORDER_RETURN": "0",
        "PS_UNIDENTIFIED_GROUP": "1",
        "PS_GUEST_GROUP": "2",
        "PS_CUSTOMER_GROUP": "3",
        "PS_GUEST_CHECKOUT_ENABLED": "1",
        "PS_GROUP_FEATURE_ACTIVE": "1",
        "PS_SPECIFIC_PRICE_FEATURE_ACTIVE": "1",
        "PS_SPECIFIC_PRICE_PRIORITIES": PRIORITIES_1_7 if old else PRIORITIES_8,
        "PS_COMBINATION_FEATURE_ACTIVE": "1",
        "PS_CARRIER_DEFAULT": "1",
    }


def _stock_keys(ctx: Context) -> dict[str, str]:
    values = {
        "PS_STOCK_MANAGEMENT": "1",
        "PS_ORDER_OUT_OF_STOCK": "0",
        "PS_PACK_STOCK_TYPE": "0",
        "PS_DISPLAY_QTIES": "1",
    }
    reasons = w.STOCK_KEYS_9 if ctx.is_9 else w.STOCK_KEYS_LEGACY
    values |= {key: str(value) for key, value in reasons.items()}
    if not ctx.is_9:
        values["PS_ADVANCED_STOCK_MANAGEMENT"] = "0"
    if ctx.version in ("8.2", "9.0"):
        values["PS_ENABLE_BACKORDER_STATUS"] = "1" if ctx.version == "8.2" else "0"
    return values


def add_configuration(ctx: Context, orders: int) -> None:
    """Global rows (id_shop_group and id_shop NULL), then the multilingual keys."""
    when = ctx.installed
    rows: list[tuple[str, str | None]] = list(configuration_values(ctx, orders).items())
    rows += [(name, None) for name in LANG_KEYS]
    for id_configuration, (name, value) in enumerate(rows, start=1):
        ctx.sink.add(
            "configuration",
            dict(id_configuration=id_configuration, id_shop_group=None, id_shop=None, name=name,
                 value=value, date_add=when, date_upd=when),
        )  # fmt: skip
        if name in LANG_KEYS:
            for id_lang, text in enumerate(LANG_KEYS[name], start=1):
                ctx.sink.add(
                    "configuration_lang",
                    dict(id_configuration=id_configuration, id_lang=id_lang, value=text,
                         date_upd=when),
                )  # fmt: skip
