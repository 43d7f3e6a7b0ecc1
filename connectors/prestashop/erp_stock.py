"""Stock for the back office: the stock list, adjustments with a reason, and stock movements
written as PrestaShop's back office writes them (FACTS.md §7.1, §7.3, §10).

An adjustment of (product, combination) by ``delta`` changes ``stock_available.quantity`` and
``physical_quantity`` of that row (in the shop's stock scope) by ``delta``; for a combination
the product's row (id_product_attribute 0) becomes again the sum of its combinations, as
StockAvailable::postSave keeps it. Each adjustment writes one ``stock_mvt``: ``id_stock`` the
changed stock row, the reason, ``sign`` ±1, ``physical_quantity`` the units moved, the employee
and their names, ``date_add`` now, prices 0 and ``referer`` NULL; ``id_order`` NULL and
``id_supply_order`` NULL (0 from 9.0, its default there). The manual-edit reasons are the
configured PS_STOCK_MVT_INC/DEC_EMPLOYEE_EDITION (ids differ between 1.7/8 and 9.0).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Connection, and_, exists, func, or_, select, true

from connectors.prestashop.configuration import config_query, resolve
from connectors.prestashop.erp_products import ensure_stock_row
from connectors.prestashop.erp_suppliers import shop_now, table
from connectors.prestashop.order_lines import row
from connectors.prestashop.shop import ShopInfo

INC_KEY, DEC_KEY = "PS_STOCK_MVT_INC_EMPLOYEE_EDITION", "PS_STOCK_MVT_DEC_EMPLOYEE_EDITION"
Key = tuple[int, int]  # (id_product, id_product_attribute)


@dataclass(frozen=True)
class Reason:
    id: int
    name: str
    sign: int


@dataclass(frozen=True)
class StockLine:
    id_product: int
    id_product_attribute: int
    reference: str
    ean13: str
    name: str  # product name, plus the combination's attributes
    quantity: int
    reserved: int
    physical: int


@dataclass(frozen=True)
class Movement:
    id_product: int
    id_product_attribute: int
    delta: int  # units added (+) or removed (−)
    id_reason: int = 0  # 0: the configured employee-edition reason for the sign


@dataclass(frozen=True)
class StockFilter:
    text: str = ""
    max_quantity: int | None = None  # low stock: quantity ≤ this


# --------------------------------------------------------------------------- reads


def reasons(conn: Connection, shop: ShopInfo) -> list[Reason]:
    r, rl = table(shop, "stock_mvt_reason"), table(shop, "stock_mvt_reason_lang")
    rows = conn.execute(
        select(r.c.id_stock_mvt_reason, rl.c.name, r.c.sign)
        .outerjoin(
            rl,
            and_(rl.c.id_stock_mvt_reason == r.c.id_stock_mvt_reason, rl.c.id_lang == shop.id_lang),
        )  # fmt: skip
        .where(r.c.deleted == 0)
        .order_by(r.c.id_stock_mvt_reason)
    )
    return [Reason(int(i), n or str(i), 1 if int(s) >= 0 else -1) for i, n, s in rows]


def employee_reasons(conn: Connection, shop: ShopInfo) -> tuple[int, int]:
    """(increase, decrease) reason ids for manual edits, from configuration."""
    keys = [INC_KEY, DEC_KEY]
    query = config_query(shop.models, keys, shop.id_shop, shop.id_shop_group, None)
    found = resolve(conn.execute(query), keys, shop.id_shop, shop.id_shop_group)
    nine = shop.family in ("9.0", "9.1")
    return int(found[INC_KEY] or (4 if nine else 11)), int(found[DEC_KEY] or (5 if nine else 12))


def stock_page(
    conn: Connection, shop: ShopInfo, flt: StockFilter, after: Key | None, limit: int,
    *,
    only: Key | None = None,
) -> list[StockLine]:  # fmt: skip
    """Stock rows that can be adjusted (combinations, and products without any), by key;
    ``only``: just that row."""
    sa, p, pl, pa = (
        table(shop, n) for n in ("stock_available", "product", "product_lang", "product_attribute")
    )
    id_shop, id_group = shop.stock_scope
    other = pa.alias("other_pa")
    has_combinations = exists().where(other.c.id_product == sa.c.id_product)
    stmt = (
        select(
            sa.c.id_product,
            sa.c.id_product_attribute,
            sa.c.quantity,
            sa.c.reserved_quantity,
            sa.c.physical_quantity,
            pl.c.name,
            func.coalesce(pa.c.reference, p.c.reference).label("reference"),
            func.coalesce(pa.c.ean13, p.c.ean13).label("ean13"),
        )  # fmt: skip
        .select_from(sa)
        .join(p, p.c.id_product == sa.c.id_product)
        .outerjoin(pa, pa.c.id_product_attribute == sa.c.id_product_attribute)
        .outerjoin(
            pl,
            and_(
                pl.c.id_product == sa.c.id_product,
                pl.c.id_shop == shop.id_shop,
                pl.c.id_lang == shop.id_lang,
            ),
        )  # fmt: skip
        .where(
            sa.c.id_shop == id_shop,
            sa.c.id_shop_group == id_group,
            or_(sa.c.id_product_attribute != 0, ~has_combinations),
        )  # fmt: skip
        .where(*_stock_filters(shop, flt), _after(sa, after), _only(sa, only))
        .order_by(sa.c.id_product, sa.c.id_product_attribute)
        .limit(limit)
    )
    found = conn.execute(stmt).all()
    labels = attribute_labels(conn, shop, [r.id_product_attribute for r in found])
    return [_stock_line(r, labels.get(int(r.id_product_attribute), "")) for r in found]


def _after(sa: object, after: Key | None) -> ColumnElement[bool]:
    if after is None:
        return true()
    c = sa.c  # type: ignore[attr-defined]
    return or_(c.id_product > after[0],
               and_(c.id_product == after[0], c.id_product_attribute > after[1]))  # fmt: skip


def _only(sa: object, only: Key | None) -> ColumnElement[bool]:
    if only is None:
        return true()
    c = sa.c  # type: ignore[attr-defined]
    return and_(c.id_product == only[0], c.id_product_attribute == only[1])


def item_labels(
    conn: Connection, shop: ShopInfo, keys: Sequence[Key]
) -> dict[Key, tuple[str, str]]:
    """``{(product, combination): (reference, "name (attributes)")}``."""
    if not keys:
        return {}
    p, pl, pa = (table(shop, n) for n in ("product", "product_lang", "product_attribute"))
    products = sorted({k[0] for k in keys})
    heads = {
        int(r.id_product): (r.reference or "", r.name or "")
        for r in conn.execute(
            select(p.c.id_product, p.c.reference, pl.c.name)
            .outerjoin(
                pl,
                and_(
                    pl.c.id_product == p.c.id_product,
                    pl.c.id_shop == shop.id_shop,
                    pl.c.id_lang == shop.id_lang,
                ),
            )  # fmt: skip
            .where(p.c.id_product.in_(products))
        )
    }
    combos = sorted({k[1] for k in keys if k[1]})
    refs: dict[int, str] = dict(conn.execute(
        select(pa.c.id_product_attribute, pa.c.reference)
        .where(pa.c.id_product_attribute.in_(combos))
    ).all()) if combos else {}  # fmt: skip
    labels = attribute_labels(conn, shop, combos)
    found: dict[Key, tuple[str, str]] = {}
    for key in keys:
        reference, name = heads.get(key[0], ("", ""))
        if key[1]:
            reference = refs.get(key[1]) or reference
            name = f"{name} ({labels.get(key[1], '')})"
        found[key] = (reference, name)
    return found


def _stock_filters(shop: ShopInfo, flt: StockFilter) -> list[ColumnElement[bool]]:
    sa, p, pl, pa = (
        table(shop, n) for n in ("stock_available", "product", "product_lang", "product_attribute")
    )
    found: list[ColumnElement[bool]] = []
    if flt.max_quantity is not None:
        found.append(sa.c.quantity <= flt.max_quantity)
    for word in flt.text.split():
        like = f"%{word}%"
        found.append(or_(pl.c.name.like(like), p.c.reference.like(f"{word}%"),
                         pa.c.reference.like(f"{word}%"), p.c.ean13 == word,
                         pa.c.ean13 == word))  # fmt: skip
    return found


def _stock_line(r: object, label: str) -> StockLine:
    g = r._mapping  # type: ignore[attr-defined]
    name = g["name"] or ""
    return StockLine(
        int(g["id_product"]), int(g["id_product_attribute"]), g["reference"] or "",
        g["ean13"] or "", f"{name} ({label})" if label else name, int(g["quantity"]),
        int(g["reserved_quantity"]), int(g["physical_quantity"]),
    )  # fmt: skip


def attribute_labels(conn: Connection, shop: ShopInfo, ids: Sequence[int]) -> dict[int, str]:
    """``{id_product_attribute: "Talla: M, Color: Rojo"}`` in the shop's language."""
    wanted = sorted({i for i in ids if i})
    if not wanted:
        return {}
    pac, a, al, ag, agl = (
        table(shop, n)
        for n in ("product_attribute_combination", "attribute", "attribute_lang",
                  "attribute_group", "attribute_group_lang")
    )  # fmt: skip
    rows = conn.execute(
        select(pac.c.id_product_attribute, agl.c.public_name, al.c.name)
        .join(a, a.c.id_attribute == pac.c.id_attribute)
        .join(ag, ag.c.id_attribute_group == a.c.id_attribute_group)
        .outerjoin(al, and_(al.c.id_attribute == a.c.id_attribute, al.c.id_lang == shop.id_lang))
        .outerjoin(
            agl,
            and_(
                agl.c.id_attribute_group == ag.c.id_attribute_group, agl.c.id_lang == shop.id_lang
            ),
        )  # fmt: skip
        .where(pac.c.id_product_attribute.in_(wanted))
        .order_by(pac.c.id_product_attribute, ag.c.position, a.c.position)
    )
    labels: dict[int, list[str]] = {}
    for id_pa, group, value in rows:
        labels.setdefault(int(id_pa), []).append(f"{group or ''}: {value or ''}")
    return {k: ", ".join(v) for k, v in labels.items()}


def find_code(conn: Connection, shop: ShopInfo, code: str) -> list[Key]:
    """(product, combination) whose EAN13 or reference is exactly ``code``."""
    p, pa = table(shop, "product"), table(shop, "product_attribute")
    combos = conn.execute(
        select(pa.c.id_product, pa.c.id_product_attribute).where(
            or_(pa.c.ean13 == code, pa.c.reference == code)
        )
    ).all()
    products = conn.execute(
        select(p.c.id_product).where(or_(p.c.ean13 == code, p.c.reference == code))
    ).scalars()
    return [(int(a), int(b)) for a, b in combos] + [(int(i), 0) for i in products]


def has_combinations(conn: Connection, shop: ShopInfo, id_product: int) -> bool:
    pa = table(shop, "product_attribute")
    found = conn.execute(select(pa.c.id_product_attribute).where(pa.c.id_product == id_product))
    return found.first() is not None


def quantities(
    conn: Connection, shop: ShopInfo, keys: Sequence[Key], lock: bool = False
) -> dict[Key, int]:
    """Current ``quantity`` of each (product, combination) in the shop's scope (0 if none);
    ``lock``: the rows stay locked until the transaction ends."""
    sa = table(shop, "stock_available")
    id_shop, id_group = shop.stock_scope
    found: dict[Key, int] = dict.fromkeys(keys, 0)
    products = sorted({k[0] for k in keys})
    for start in range(0, len(products), 500):
        stmt = select(sa.c.id_product, sa.c.id_product_attribute, sa.c.quantity).where(
            sa.c.id_product.in_(products[start : start + 500]),
            sa.c.id_shop == id_shop,
            sa.c.id_shop_group == id_group,
        )
        rows = conn.execute(stmt.with_for_update() if lock else stmt)
        for a, b, q in rows:
            if (int(a), int(b)) in found:
                found[(int(a), int(b))] = int(q)
    return found


# --------------------------------------------------------------------------- writes


def employee_names(conn: Connection, shop: ShopInfo, id_employee: int) -> tuple[str, str]:
    e = table(shop, "employee")
    found = conn.execute(
        select(e.c.firstname, e.c.lastname).where(e.c.id_employee == id_employee)
    ).first()
    return (found[0], found[1]) if found else ("", "")


def apply_movements(
    conn: Connection, shop: ShopInfo, movements: Sequence[Movement], id_employee: int
) -> int:
    """Change stock by each movement and write its stock_mvt; the caller's transaction."""
    inc, dec = employee_reasons(conn, shop)
    first, last = employee_names(conn, shop, id_employee)
    sa, mvt = table(shop, "stock_available"), table(shop, "stock_mvt")
    now, parents, done = shop_now(shop), set(), 0
    for move in movements:
        if not move.delta:
            continue
        id_stock = ensure_stock_row(conn, shop, move.id_product, move.id_product_attribute)
        conn.execute(
            sa.update()
            .where(sa.c.id_stock_available == id_stock)
            .values(
                quantity=sa.c.quantity + move.delta,
                physical_quantity=sa.c.physical_quantity + move.delta,
            )  # fmt: skip
        )
        reason = move.id_reason or (inc if move.delta > 0 else dec)
        values = row(
            shop, "stock_mvt", id_stock=id_stock, id_order=None,
            id_supply_order=0 if shop.family in ("9.0", "9.1") else None,
            id_stock_mvt_reason=reason, id_employee=id_employee, employee_firstname=first,
            employee_lastname=last, physical_quantity=abs(move.delta), date_add=now,
            sign=1 if move.delta > 0 else -1, price_te=0, last_wa=0, current_wa=0, referer=None,
        )  # fmt: skip
        conn.execute(mvt.insert().values(values))
        if move.id_product_attribute:
            parents.add(move.id_product)
        done += 1
    for id_product in sorted(parents):
        sync_parent(conn, shop, id_product)
    return done


def sync_parent(conn: Connection, shop: ShopInfo, id_product: int) -> None:
    """The product's stock row = the sum of its combinations' rows (quantity and physical)."""
    sa = table(shop, "stock_available")
    id_shop, id_group = shop.stock_scope
    scope = and_(sa.c.id_product == id_product, sa.c.id_shop == id_shop,
                 sa.c.id_shop_group == id_group)  # fmt: skip
    totals = conn.execute(
        select(
            func.coalesce(func.sum(sa.c.quantity), 0),
            func.coalesce(func.sum(sa.c.physical_quantity), 0),
        ).where(scope, sa.c.id_product_attribute != 0)  # fmt: skip
    ).one()
    ensure_stock_row(conn, shop, id_product, 0)
    conn.execute(
        sa.update()
        .where(scope, sa.c.id_product_attribute == 0)
        .values(quantity=int(totals[0]), physical_quantity=int(totals[1]))
    )


def set_quantities(
    conn: Connection, shop: ShopInfo, targets: Mapping[Key, int], id_employee: int
) -> dict[Key, int]:
    """Bring each (product, combination) to a target quantity with movements; the deltas."""
    current = quantities(conn, shop, list(targets), lock=True)
    deltas = {key: target - current[key] for key, target in targets.items()}
    moves = [Movement(k[0], k[1], d) for k, d in sorted(deltas.items()) if d]
    apply_movements(conn, shop, moves, id_employee)
    return deltas
