"""ERP stock on real shops (MariaDB 1.7.8 / 8.0 / 9.0 and SQLite): adjustments and applied
inventory counts leave stock_available and stock_mvt as PrestaShop's back office does."""

from __future__ import annotations

import pytest

from app.erp.context import ErpContext
from app.erp.listing import ListQuery, iter_rows
from app.erp.stock import (
    adjust,
    apply_inventory,
    count_code,
    count_page,
    create_inventory,
    low_stock_page,
    reasons,
    set_count,
    stock_page,
)
from app.errors import UserFacingError
from tests.integration.test_erp_products import ctx, one, rows, when

__all__ = ["ctx"]

CONFIG = "SELECT value FROM {p}configuration WHERE name = :n"


def _stock(ctx: ErpContext, id_product: int, id_pa: int) -> dict[str, object]:
    return one(ctx, "SELECT id_stock_available, quantity, physical_quantity, reserved_quantity "
               "FROM {p}stock_available WHERE id_product = :p AND id_product_attribute = :a "
               "AND id_shop = 1 AND id_shop_group = 0", p=id_product, a=id_pa)  # fmt: skip


def _combination(ctx: ErpContext) -> tuple[int, int]:
    found = one(ctx, "SELECT id_product, MIN(id_product_attribute) AS a FROM {p}product_attribute "
                "WHERE id_product = (SELECT MIN(id_product) FROM {p}product_attribute)"
                " GROUP BY id_product")  # fmt: skip
    return int(found["id_product"]), int(found["a"])


def _mvts(ctx: ErpContext) -> list[dict[str, object]]:
    return rows(ctx, "SELECT * FROM {p}stock_mvt WHERE id_order IS NULL OR id_order = 0 "
                "ORDER BY id_stock_mvt")  # fmt: skip


def test_an_adjustment_moves_stock_and_writes_the_movement(ctx: ErpContext) -> None:
    id_product, id_pa = _combination(ctx)
    before, parent = _stock(ctx, id_product, id_pa), _stock(ctx, id_product, 0)
    dec_reason = int(one(ctx, CONFIG, n="PS_STOCK_MVT_DEC_EMPLOYEE_EDITION")["value"])
    known = len(_mvts(ctx))

    done = adjust(ctx, id_product, id_pa, -2)

    assert done.line.quantity == int(str(before["quantity"])) - 2
    after = _stock(ctx, id_product, id_pa)
    assert after["quantity"] == int(str(before["quantity"])) - 2
    assert after["physical_quantity"] == int(str(before["physical_quantity"])) - 2
    assert _stock(ctx, id_product, 0)["quantity"] == int(str(parent["quantity"])) - 2
    sums = one(ctx, "SELECT SUM(quantity) AS q FROM {p}stock_available WHERE id_product = :p "
               "AND id_product_attribute <> 0", p=id_product)  # fmt: skip
    assert _stock(ctx, id_product, 0)["quantity"] == int(str(sums["q"]))
    new = _mvts(ctx)[known:]
    assert len(new) == 1
    mvt = new[0]
    assert mvt["id_stock"] == before["id_stock_available"]
    assert (mvt["id_stock_mvt_reason"], mvt["sign"], mvt["physical_quantity"]) == (
        dec_reason,
        -1,
        2,
    )
    assert mvt["id_employee"] == 1 and mvt["employee_lastname"]
    assert when(mvt["date_add"]).year >= 2024


def test_an_adjustment_with_a_chosen_reason_and_a_refused_one(ctx: ErpContext) -> None:
    id_product, id_pa = _combination(ctx)
    plus = next(r for r in reasons(ctx) if r.sign > 0)
    adjust(ctx, id_product, id_pa, 5, plus.id)
    assert _mvts(ctx)[-1]["id_stock_mvt_reason"] == plus.id
    with pytest.raises(UserFacingError, match="direction"):
        adjust(ctx, id_product, id_pa, -1, plus.id)
    with pytest.raises(UserFacingError, match="combinations"):
        adjust(ctx, id_product, 0, 1)


def test_low_stock_lists_only_items_at_or_below_the_threshold(ctx: ErpContext) -> None:
    every = list(iter_rows(stock_page, ctx, ListQuery(), batch=50))
    low = list(iter_rows(low_stock_page, ctx, ListQuery(filters={"threshold": 2}), batch=50))
    assert low and all(line.quantity <= 2 for line in low)
    assert {(x.id_product, x.id_product_attribute) for x in every if x.quantity <= 2} == {
        (x.id_product, x.id_product_attribute) for x in low
    }
    parents = {x.id_product for x in every if x.id_product_attribute}
    assert not any(x.id_product in parents and not x.id_product_attribute for x in every)


def test_an_inventory_count_is_applied_all_at_once(ctx: ErpContext) -> None:
    id_product, id_pa = _combination(ctx)
    code = str(one(ctx, "SELECT ean13 FROM {p}product_attribute WHERE id_product_attribute = :a",
                   a=id_pa)["ean13"])  # fmt: skip
    plain = one(ctx, "SELECT p.id_product, p.ean13 FROM {p}product p WHERE NOT EXISTS "
                "(SELECT 1 FROM {p}product_attribute pa WHERE pa.id_product = p.id_product) "
                "ORDER BY p.id_product LIMIT 1")  # fmt: skip
    session = create_inventory(ctx, "Almacén")
    count_code(ctx, session.id_inventory, code)
    view = count_code(ctx, session.id_inventory, code, 2)
    assert view.counted == 3 and view.difference == 3 - view.quantity
    set_count(ctx, session.id_inventory, (int(plain["id_product"]), 0), 50)
    with pytest.raises(UserFacingError, match="No product"):
        count_code(ctx, session.id_inventory, "0000000000000")
    lines = count_page(ctx, ListQuery(filters={"id_inventory": session.id_inventory}), None, 10)
    assert len(lines.rows) == 2
    known = len(_mvts(ctx))

    applied = apply_inventory(ctx, session.id_inventory)

    assert applied.inventory.status == "applied"
    assert _stock(ctx, id_product, id_pa)["quantity"] == 3
    assert _stock(ctx, int(plain["id_product"]), 0)["quantity"] == 50
    assert len(_mvts(ctx)) - known == applied.changed
    with pytest.raises(UserFacingError, match="already been applied"):
        count_code(ctx, session.id_inventory, code)
    shown = count_page(ctx, ListQuery(filters={"id_inventory": session.id_inventory}), None, 10)
    assert {x.counted - x.difference for x in shown.rows} == {x.quantity for x in shown.rows}
