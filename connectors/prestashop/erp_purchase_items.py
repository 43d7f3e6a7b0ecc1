"""Products and combinations as a purchase order line or a label sees them.

:func:`find_items` looks an EAN13 or reference up exactly (products and combinations), else
product names; :func:`items_for` gives the items of chosen products (each combination, or the
product itself) with their names ("Camiseta (M, Azul)"), codes, sale price tax excl. and
the cost: the supplier's ``product_supplier`` price when known, else the wholesale price.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, and_, or_, select

from app.sale.taxes import TaxRule
from connectors.prestashop.erp_suppliers import table
from connectors.prestashop.shop import ShopInfo


@dataclass(frozen=True)
class PurchaseItem:
    """A product or combination that can go on a purchase order or a label."""

    id_product: int
    id_product_attribute: int
    name: str  # with the combination's attributes, e.g. "Camiseta (M, Azul)"
    reference: str
    ean13: str
    supplier_reference: str
    cost: Decimal  # the supplier's price if known, else the wholesale price
    price_te: Decimal  # sale price tax excl. (product + combination impact)
    id_tax_rules_group: int


def find_items(
    conn: Connection, shop: ShopInfo, text: str, id_supplier: int = 0, limit: int = 50
) -> list[PurchaseItem]:
    """Products and combinations whose EAN13 or reference is ``text``, or whose name holds it."""
    text = text.strip()
    if not text:
        return []
    p, pa = table(shop, "product"), table(shop, "product_attribute")
    by_code = select(pa.c.id_product, pa.c.id_product_attribute).where(
        or_(pa.c.ean13 == text, pa.c.reference == text)
    )
    combos = [(int(r[0]), int(r[1])) for r in conn.execute(by_code)]
    exact = select(p.c.id_product).where(or_(p.c.ean13 == text, p.c.reference == text))
    products = [int(r[0]) for r in conn.execute(exact)]
    if not combos and not products:
        products = _by_name(conn, shop, text, limit)
    return items_for(conn, shop, products, combos, id_supplier)[:limit]


def _by_name(conn: Connection, shop: ShopInfo, text: str, limit: int) -> list[int]:
    pl = table(shop, "product_lang")
    stmt = (
        select(pl.c.id_product)
        .where(pl.c.id_shop == shop.id_shop, pl.c.id_lang == shop.id_lang)
        .where(pl.c.name.like(f"%{text}%"))
        .order_by(pl.c.name, pl.c.id_product)
        .limit(limit)
    )
    return [int(r[0]) for r in conn.execute(stmt)]


def items_for(
    conn: Connection,
    shop: ShopInfo,
    products: Sequence[int],
    combos: Sequence[tuple[int, int]] = (),
    id_supplier: int = 0,
) -> list[PurchaseItem]:
    """Items of whole products (each combination, or the product itself) and of combinations."""
    ids = sorted(set(products) | {c[0] for c in combos})
    if not ids:
        return []
    heads = {int(r.id_product): r for r in conn.execute(_product_select(shop, ids))}
    pa = table(shop, "product_attribute")
    all_combos = conn.execute(
        select(pa).where(pa.c.id_product.in_(ids)).order_by(pa.c.id_product_attribute)
    ).all()
    wanted = set(combos)
    labels = _attribute_labels(conn, shop, [int(c.id_product_attribute) for c in all_combos])
    costs = _supplier_costs(conn, shop, ids, id_supplier)
    items: list[PurchaseItem] = []
    for pid in ids:
        head = heads.get(pid)
        mine = [c for c in all_combos if c.id_product == pid]
        if head is None:
            continue
        if not mine:
            items.append(_item(head, None, "", costs))
        for combo in mine:
            if pid in products or (pid, combo.id_product_attribute) in wanted:
                items.append(_item(head, combo, labels.get(combo.id_product_attribute, ""), costs))
    return items


def _product_select(shop: ShopInfo, ids: Sequence[int]) -> Any:
    p, ps, pl = (table(shop, n) for n in ("product", "product_shop", "product_lang"))
    name = and_(
        pl.c.id_product == p.c.id_product, pl.c.id_shop == shop.id_shop,
        pl.c.id_lang == shop.id_lang,
    )  # fmt: skip
    return (
        select(
            p.c.id_product,
            p.c.reference,
            p.c.ean13,
            p.c.supplier_reference,
            pl.c.name,
            ps.c.price,
            ps.c.wholesale_price,
            ps.c.id_tax_rules_group,
        )  # fmt: skip
        .join(ps, and_(ps.c.id_product == p.c.id_product, ps.c.id_shop == shop.id_shop))
        .outerjoin(pl, name)
        .where(p.c.id_product.in_(ids))
    )


def _attribute_labels(conn: Connection, shop: ShopInfo, ids: Sequence[int]) -> dict[int, str]:
    if not ids:
        return {}
    pac, a, al = (
        table(shop, n) for n in ("product_attribute_combination", "attribute", "attribute_lang")
    )
    ag = table(shop, "attribute_group")
    stmt = (
        select(pac.c.id_product_attribute, al.c.name)
        .join(a, a.c.id_attribute == pac.c.id_attribute)
        .join(ag, ag.c.id_attribute_group == a.c.id_attribute_group)
        .outerjoin(al, and_(al.c.id_attribute == a.c.id_attribute, al.c.id_lang == shop.id_lang))
        .where(pac.c.id_product_attribute.in_(ids))
        .order_by(pac.c.id_product_attribute, ag.c.position, a.c.position)
    )
    labels: dict[int, list[str]] = {}
    for r in conn.execute(stmt):
        labels.setdefault(int(r[0]), []).append(r[1] or "")
    return {key: ", ".join(names) for key, names in labels.items()}


def _supplier_costs(
    conn: Connection, shop: ShopInfo, ids: Sequence[int], id_supplier: int
) -> dict[tuple[int, int], tuple[str, Decimal]]:
    if not id_supplier:
        return {}
    ps = table(shop, "product_supplier")
    stmt = select(ps).where(ps.c.id_product.in_(ids), ps.c.id_supplier == id_supplier)
    return {
        (int(r.id_product), int(r.id_product_attribute)): (
            r.product_supplier_reference or "",
            r.product_supplier_price_te,
        )
        for r in conn.execute(stmt)
    }


def _item(
    head: Any, combo: Any | None, label: str, costs: dict[tuple[int, int], tuple[str, Decimal]]
) -> PurchaseItem:
    pid, pa_id = int(head.id_product), int(combo.id_product_attribute) if combo else 0
    name = head.name or ""
    wholesale = head.wholesale_price
    reference, ean13, supplier_ref = head.reference, head.ean13, head.supplier_reference
    price = head.price
    if combo is not None:
        name = f"{name} ({label})" if label else name
        wholesale = combo.wholesale_price or wholesale
        reference, ean13 = combo.reference or reference, combo.ean13 or ""
        supplier_ref = combo.supplier_reference or supplier_ref
        price = price + combo.price
    known = costs.get((pid, pa_id))
    return PurchaseItem(
        pid, pa_id, name, reference or "", ean13 or "",
        known[0] if known and known[0] else supplier_ref or "",
        known[1] if known and known[1] else wholesale or Decimal(0),
        price, int(head.id_tax_rules_group or 0),
    )  # fmt: skip


def tax_rules(conn: Connection, shop: ShopInfo, groups: Sequence[int]) -> dict[int, list[TaxRule]]:
    """The tax_rule rows (with their tax) of ``groups`` for the shop's country, by group."""
    wanted = sorted({g for g in groups if g})
    if not wanted:
        return {}
    tr, t, trg = (table(shop, n) for n in ("tax_rule", "tax", "tax_rules_group"))
    stmt = (
        select(tr, t.c.rate)
        .join(t, t.c.id_tax == tr.c.id_tax)
        .join(trg, trg.c.id_tax_rules_group == tr.c.id_tax_rules_group)
        .where(tr.c.id_tax_rules_group.in_(wanted), tr.c.id_country == shop.id_country)
        .where(trg.c.active != 0)
        .order_by(tr.c.id_tax_rule)
    )
    found: dict[int, list[TaxRule]] = {}
    for r in conn.execute(stmt):
        rule = TaxRule(
            int(r.id_country), int(r.id_state), r.zipcode_from or "", r.zipcode_to or "",
            int(r.behavior), int(r.id_tax), Decimal(r.rate),
        )  # fmt: skip
        found.setdefault(int(r.id_tax_rules_group), []).append(rule)
    return found
