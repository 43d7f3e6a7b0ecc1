"""Stock in the back office: the stock list (and low stock), adjustments with a reason, and
inventory count sessions applied all at once.

Worker functions ``op(ctx, ...)``: each opens one transaction and returns frozen values. An
adjustment and an applied inventory write ``stock_available`` and ``stock_mvt`` as PrestaShop's
back office does (``connectors/prestashop/erp_stock.py``). A count session lives in
Mostrador's own tables; applying it sets every counted item to its count, with one movement
per difference, in ONE transaction: all of it or nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Connection

from app.erp.context import ErpContext
from app.erp.listing import Key, ListQuery, Page, page_of
from app.errors import UserFacingError
from app.i18n import _
from connectors.prestashop import erp_product_inventory as inv
from connectors.prestashop import erp_stock as es
from connectors.prestashop.erp_stock import Movement, Reason, StockFilter, StockLine

__all__ = ["Inventory", "Reason", "StockLine"]

Inventory = inv.Inventory
DEFAULT_LOW = 3


@dataclass(frozen=True)
class Adjusted:
    line: StockLine  # the row after the change
    delta: int


@dataclass(frozen=True)
class CountView:
    """One counted item of a session, with the shop's quantity now and the difference."""

    id_product: int
    id_product_attribute: int
    reference: str
    name: str
    counted: int
    quantity: int  # in the shop now (or before applying, once applied)
    difference: int  # counted − quantity


@dataclass(frozen=True)
class Applied:
    inventory: inv.Inventory
    changed: int  # items whose stock moved
    units_in: int
    units_out: int


# --------------------------------------------------------------------------- stock list


def stock_page(ctx: ErpContext, query: ListQuery, after: Key | None, limit: int) -> Page[StockLine]:
    """Stock rows (filters: ``low`` with ``threshold``), keyset on (product, combination)."""
    low = query.filter("low")
    threshold = int(str(query.filter("threshold", DEFAULT_LOW)))
    flt = StockFilter(query.text, threshold if low else None)
    key = (int(after[0]), int(after[1])) if after else None
    with ctx.engine.begin() as conn:
        rows = es.stock_page(conn, ctx.shop, flt, key, limit + 1)
    return page_of(rows, limit, lambda r: (r.id_product, r.id_product_attribute))


def low_stock_page(
    ctx: ErpContext, query: ListQuery, after: Key | None, limit: int
) -> Page[StockLine]:
    """Items at or below the threshold (``query.filters["threshold"]``, default 3)."""
    filters = {**query.filters, "low": True}
    return stock_page(ctx, ListQuery(query.text, filters), after, limit)


def reasons(ctx: ErpContext) -> list[Reason]:
    with ctx.engine.begin() as conn:
        return es.reasons(conn, ctx.shop)


def adjust(ctx: ErpContext, id_product: int, id_product_attribute: int, delta: int,
           id_reason: int = 0) -> Adjusted:  # fmt: skip
    """Add (or remove, negative) ``delta`` units with a stock movement of ``id_reason``."""
    if not delta:
        raise UserFacingError(_("Type how many units to add or remove."))
    with ctx.engine.begin() as conn:
        if id_reason:
            _check_reason(conn, ctx, id_reason, delta)
        if not id_product_attribute and es.has_combinations(conn, ctx.shop, id_product):
            raise UserFacingError(_("This product has combinations: adjust one of them."))
        move = Movement(id_product, id_product_attribute, delta, id_reason)
        es.apply_movements(conn, ctx.shop, [move], ctx.id_employee)
        line = _line(conn, ctx, (id_product, id_product_attribute))
    return Adjusted(line, delta)


def _check_reason(conn: Connection, ctx: ErpContext, id_reason: int, delta: int) -> None:
    found = {r.id: r for r in es.reasons(conn, ctx.shop)}.get(id_reason)
    if found is None:
        raise UserFacingError(_("That stock movement reason no longer exists."))
    if found.sign != (1 if delta > 0 else -1):
        raise UserFacingError(
            _("The reason “{reason}” does not match the direction of the change.").format(
                reason=found.name
            )
        )


def _line(conn: Connection, ctx: ErpContext, key: tuple[int, int]) -> StockLine:
    found = es.stock_page(conn, ctx.shop, StockFilter(), None, 1, only=key)
    if not found:
        raise UserFacingError(_("This product is not in the shop's stock."))
    return found[0]


# --------------------------------------------------------------------------- inventory


def _ready(ctx: ErpContext) -> None:
    inv.ensure_inventory_tables(ctx.engine, ctx.shop.prefix)


def create_inventory(ctx: ErpContext, name: str) -> inv.Inventory:
    _ready(ctx)
    clean = name.strip() or _("Count of {date}").format(date=dt.date.today().isoformat())
    with ctx.engine.begin() as conn:
        id_inventory = inv.create_inventory(conn, ctx.shop, clean[:128], ctx.id_employee)
        found = inv.read_inventory(conn, ctx.shop, id_inventory)
    assert found is not None
    return found


def inventory_page(
    ctx: ErpContext, query: ListQuery, after: Key | None, limit: int
) -> Page[inv.Inventory]:
    """Count sessions, newest first."""
    _ready(ctx)
    with ctx.engine.begin() as conn:
        rows = inv.inventory_page(conn, ctx.shop, int(after[0]) if after else None, limit + 1)
    return page_of(rows, limit, lambda r: (r.id_inventory,))


def count_code(ctx: ErpContext, id_inventory: int, code: str, quantity: int = 1) -> CountView:
    """A scanned or typed code counted ``quantity`` more times in an open session."""
    _ready(ctx)
    with ctx.engine.begin() as conn:
        _open(conn, ctx, id_inventory)
        matches = es.find_code(conn, ctx.shop, code.strip())
        matches = [k for k in matches if k[1] or not es.has_combinations(conn, ctx.shop, k[0])]
        if len(matches) != 1:
            raise UserFacingError(_count_refusal(code, matches))
        inv.add_count(conn, ctx.shop, id_inventory, matches[0], quantity)
        return _views(conn, ctx, id_inventory, [matches[0]])[0]


def _count_refusal(code: str, matches: list[tuple[int, int]]) -> str:
    if not matches:
        return _("No product or combination has the code {code}.").format(code=code)
    return _("Several items have the code {code}; count them by hand.").format(code=code)


def set_count(
    ctx: ErpContext, id_inventory: int, key: tuple[int, int], counted: int
) -> CountView | None:
    """Correct a line's count (a negative count removes the line)."""
    _ready(ctx)
    with ctx.engine.begin() as conn:
        _open(conn, ctx, id_inventory)
        if counted < 0:
            inv.remove_count(conn, ctx.shop, id_inventory, key)
            return None
        inv.add_count(conn, ctx.shop, id_inventory, key, counted, replace=True)
        return _views(conn, ctx, id_inventory, [key])[0]


def count_page(ctx: ErpContext, query: ListQuery, after: Key | None, limit: int) -> Page[CountView]:
    """Lines of the session ``query.filters["id_inventory"]`` with their differences."""
    _ready(ctx)
    id_inventory = int(str(query.filter("id_inventory", 0)))
    key = (int(after[0]), int(after[1])) if after else None
    with ctx.engine.begin() as conn:
        lines = inv.count_lines(conn, ctx.shop, id_inventory, key, limit + 1)
        views = _views_of(conn, ctx, lines)
    return page_of(views, limit, lambda v: (v.id_product, v.id_product_attribute))


def apply_inventory(ctx: ErpContext, id_inventory: int) -> Applied:
    """Set every counted item to its count (movements for the differences), all at once."""
    _ready(ctx)
    with ctx.engine.begin() as conn:
        _open(conn, ctx, id_inventory, lock=True)
        lines = inv.count_lines(conn, ctx.shop, id_inventory, None, None)
        if not lines:
            raise UserFacingError(_("Nothing has been counted in this session yet."))
        targets = {(x.id_product, x.id_product_attribute): x.counted for x in lines}
        deltas = es.set_quantities(conn, ctx.shop, targets, ctx.id_employee)
        done = {k: (targets[k] - d, d) for k, d in deltas.items()}
        inv.mark_applied(conn, ctx.shop, id_inventory, done)
        found = inv.read_inventory(conn, ctx.shop, id_inventory)
    assert found is not None
    moved = [d for d in deltas.values() if d]
    return Applied(found, len(moved), sum(d for d in moved if d > 0),
                   -sum(d for d in moved if d < 0))  # fmt: skip


def _open(conn: Connection, ctx: ErpContext, id_inventory: int, lock: bool = False) -> None:
    found = inv.read_inventory(conn, ctx.shop, id_inventory, lock=lock)
    if found is None:
        raise UserFacingError(_("This count session no longer exists."))
    if found.status != inv.OPEN:
        raise UserFacingError(_("This count session has already been applied."))


def _views(
    conn: Connection, ctx: ErpContext, id_inventory: int, keys: list[tuple[int, int]]
) -> list[CountView]:
    lines = [
        line for key in keys
        for line in inv.count_lines(conn, ctx.shop, id_inventory, None, 1, only=key)
    ]  # fmt: skip
    return _views_of(conn, ctx, lines)


def _views_of(conn: Connection, ctx: ErpContext, lines: list[inv.CountLine]) -> list[CountView]:
    keys = [(x.id_product, x.id_product_attribute) for x in lines]
    now = es.quantities(conn, ctx.shop, keys)
    labels = es.item_labels(conn, ctx.shop, keys)
    views = []
    for x, key in zip(lines, keys, strict=True):
        quantity = x.before if x.before is not None else now[key]
        reference, name = labels.get(key, ("", ""))
        views.append(CountView(key[0], key[1], reference, name, x.counted, quantity,
                               x.counted - quantity))  # fmt: skip
    return views
