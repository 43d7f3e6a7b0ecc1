"""Combinations of a product in the back office: the grid, its edits and new combinations.

Worker functions over ``connectors/prestashop/erp_product_combinations.py``: one transaction
each, frozen values out. The grid remembers the product's ``date_upd``; a save made after
someone else changed the product is refused (the combinations have no date of their own).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from app.erp.context import ErpContext
from app.erp.products import ean13_ok
from app.errors import UserFacingError
from app.i18n import _
from connectors.prestashop import erp_product_combinations as epc
from connectors.prestashop import erp_product_options as opt
from connectors.prestashop import erp_products as ep
from connectors.prestashop import erp_stock as es
from connectors.prestashop.erp_product_combinations import CombinationEdit, CombinationRow

__all__ = ["CombinationEdit", "CombinationRow"]


@dataclass(frozen=True)
class CombinationGrid:
    id_product: int
    rows: tuple[CombinationRow, ...]
    date_upd: dt.datetime  # the product's, when the grid was read
    groups: tuple[opt.AttributeGroupChoice, ...]


def load_grid(ctx: ErpContext, id_product: int) -> CombinationGrid:
    with ctx.engine.begin() as conn:
        record = ep.read_product(conn, ctx.shop, id_product)
        if record is None:
            raise UserFacingError(_("This product no longer exists in the shop."))
        rows = epc.list_combinations(conn, ctx.shop, id_product)
        groups = opt.attribute_groups(conn, ctx.shop)
    return CombinationGrid(id_product, tuple(rows), record.date_upd, tuple(groups))


def save_grid(
    ctx: ErpContext, id_product: int, edits: Sequence[CombinationEdit], loaded: dt.datetime
) -> CombinationGrid:
    """Save the edited rows (reference, EAN13, price impact, stock) and read the grid again."""
    for edit in edits:
        _check(edit)
    with ctx.engine.begin() as conn:
        epc.update_combinations(
            conn, ctx.shop, id_product, edits, loaded=loaded, id_employee=ctx.id_employee
        )
    return load_grid(ctx, id_product)


def add_combination(
    ctx: ErpContext,
    id_product: int,
    attributes: Sequence[int],
    values: CombinationEdit,
    loaded: dt.datetime,
) -> CombinationGrid:
    """A new combination of ``attributes`` (at most one value per group), stock 0."""
    _check(values)
    if not attributes:
        raise UserFacingError(_("Choose at least one attribute value."))
    with ctx.engine.begin() as conn:
        existing = {row.label for row in epc.list_combinations(conn, ctx.shop, id_product)}
        id_pa = epc.create_combination(
            conn, ctx.shop, id_product, attributes, values, loaded=loaded
        )
        labels = es.attribute_labels(conn, ctx.shop, [id_pa])
        if labels.get(id_pa) in existing:
            raise UserFacingError(_("This product already has that combination."))
    return load_grid(ctx, id_product)


def _check(edit: CombinationEdit) -> None:
    if edit.ean13 and not ean13_ok(edit.ean13):
        raise UserFacingError(
            _("{code} is not a valid EAN13: check the digits.").format(code=edit.ean13)
        )
    if edit.quantity < 0:
        raise UserFacingError(_("Stock cannot be negative here; use a stock adjustment."))
