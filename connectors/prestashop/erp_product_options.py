"""What the product screens offer to pick: languages, tax rules groups and their rules for the
shop's tax address, categories, suppliers, attribute groups and their values.

Small tables, read whole in one transaction when a form opens. Tax rules are those of the
shop's country (PS_SHOP_COUNTRY_ID, else the shop's default country) in active groups, as the
selling core reads them (``app/sale/taxes.py`` turns them into a calculator).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import Connection, and_, select

from connectors.prestashop.configuration import config_query, resolve
from connectors.prestashop.erp_suppliers import table
from connectors.prestashop.shop import ShopInfo

TAX_KEYS = ("PS_TAX", "PS_SHOP_COUNTRY_ID", "PS_SHOP_STATE_ID", "PS_SHOP_CODE")


@dataclass(frozen=True)
class Choice:
    id: int
    name: str


@dataclass(frozen=True)
class TaxRuleRow:
    id_tax_rules_group: int
    id_country: int
    id_state: int
    zipcode_from: str
    zipcode_to: str
    behavior: int
    id_tax: int
    rate: Decimal
    name: str


@dataclass(frozen=True)
class TaxSetting:
    """The shop's tax address and PS_TAX."""

    tax_enabled: bool
    id_country: int
    id_state: int
    postcode: str


@dataclass(frozen=True)
class AttributeGroupChoice:
    id: int
    name: str
    values: tuple[Choice, ...]


def languages(conn: Connection, shop: ShopInfo) -> list[Choice]:
    lang = table(shop, "lang")
    rows = conn.execute(select(lang.c.id_lang, lang.c.name).order_by(lang.c.id_lang))
    return [Choice(int(i), n) for i, n in rows]


def tax_groups(conn: Connection, shop: ShopInfo) -> list[Choice]:
    """The tax rules groups a product may get (active, not deleted), by name."""
    trg = table(shop, "tax_rules_group")
    rows = conn.execute(
        select(trg.c.id_tax_rules_group, trg.c.name)
        .where(trg.c.active != 0, trg.c.deleted == 0)
        .order_by(trg.c.name)
    )
    return [Choice(int(i), n) for i, n in rows]


def tax_setting(conn: Connection, shop: ShopInfo) -> TaxSetting:
    query = config_query(shop.models, list(TAX_KEYS), shop.id_shop, shop.id_shop_group, None)
    config = resolve(conn.execute(query), TAX_KEYS, shop.id_shop, shop.id_shop_group)
    country = _int(config["PS_SHOP_COUNTRY_ID"]) or shop.id_country
    return TaxSetting(
        tax_enabled=config["PS_TAX"] != "0",
        id_country=country,
        id_state=_int(config["PS_SHOP_STATE_ID"]),
        postcode=config["PS_SHOP_CODE"] or "",
    )


def tax_rules(conn: Connection, shop: ShopInfo, id_country: int) -> list[TaxRuleRow]:
    """Every rule of an active group for ``id_country``, with its tax's rate and name."""
    tr, t, tl, trg = (table(shop, n) for n in ("tax_rule", "tax", "tax_lang", "tax_rules_group"))
    rows = conn.execute(
        select(
            tr.c.id_tax_rules_group,
            tr.c.id_country,
            tr.c.id_state,
            tr.c.zipcode_from,
            tr.c.zipcode_to,
            tr.c.behavior,
            tr.c.id_tax,
            t.c.rate,
            tl.c.name,
        )  # fmt: skip
        .join(t, t.c.id_tax == tr.c.id_tax)
        .join(trg, trg.c.id_tax_rules_group == tr.c.id_tax_rules_group)
        .outerjoin(tl, and_(tl.c.id_tax == t.c.id_tax, tl.c.id_lang == shop.id_lang))
        .where(tr.c.id_country == id_country, trg.c.active != 0)
        .order_by(tr.c.id_tax_rule)
    )
    return [
        TaxRuleRow(int(r.id_tax_rules_group), int(r.id_country), int(r.id_state),
                   r.zipcode_from or "", r.zipcode_to or "", int(r.behavior), int(r.id_tax),
                   Decimal(r.rate), r.name or "")
        for r in rows
    ]  # fmt: skip


def categories(conn: Connection, shop: ShopInfo) -> list[Choice]:
    """The shop's categories except the root ones, in tree order (nleft)."""
    c, cl, cs = (table(shop, n) for n in ("category", "category_lang", "category_shop"))
    rows = conn.execute(
        select(c.c.id_category, cl.c.name, c.c.level_depth)
        .join(cs, and_(cs.c.id_category == c.c.id_category, cs.c.id_shop == shop.id_shop))
        .join(
            cl,
            and_(
                cl.c.id_category == c.c.id_category,
                cl.c.id_shop == shop.id_shop,
                cl.c.id_lang == shop.id_lang,
            ),
        )  # fmt: skip
        .where(c.c.level_depth >= 1)
        .order_by(c.c.nleft)
    )
    return [Choice(int(i), "  " * max(0, int(depth) - 1) + name) for i, name, depth in rows]


def suppliers(conn: Connection, shop: ShopInfo) -> list[Choice]:
    s, ss = table(shop, "supplier"), table(shop, "supplier_shop")
    rows = conn.execute(
        select(s.c.id_supplier, s.c.name)
        .join(ss, and_(ss.c.id_supplier == s.c.id_supplier, ss.c.id_shop == shop.id_shop))
        .order_by(s.c.name)
    )
    return [Choice(int(i), n) for i, n in rows]


def attribute_groups(conn: Connection, shop: ShopInfo) -> list[AttributeGroupChoice]:
    """Attribute groups of the shop and their values, in position order."""
    ag, agl, a, al = (
        table(shop, n)
        for n in ("attribute_group", "attribute_group_lang", "attribute", "attribute_lang")
    )
    groups = conn.execute(
        select(ag.c.id_attribute_group, agl.c.name)
        .join(
            agl,
            and_(
                agl.c.id_attribute_group == ag.c.id_attribute_group, agl.c.id_lang == shop.id_lang
            ),
        )  # fmt: skip
        .order_by(ag.c.position, ag.c.id_attribute_group)
    ).all()
    values = conn.execute(
        select(a.c.id_attribute, a.c.id_attribute_group, al.c.name)
        .join(al, and_(al.c.id_attribute == a.c.id_attribute, al.c.id_lang == shop.id_lang))
        .order_by(a.c.position, a.c.id_attribute)
    ).all()
    return [
        AttributeGroupChoice(
            int(g.id_attribute_group),
            g.name,
            tuple(
                Choice(int(v.id_attribute), v.name)
                for v in values
                if v.id_attribute_group == g.id_attribute_group
            ),
        )  # fmt: skip
        for g in groups
    ]


def _int(value: str | None) -> int:
    try:
        return int(value or 0)
    except ValueError:
        return 0
