"""ERP combinations on real shops: the grid's edits and a new combination leave
product_attribute(+_shop), product_attribute_combination, stock_available (parent = sum) and
the product's date_upd/indexed as PrestaShop keeps them."""

from __future__ import annotations

from decimal import Decimal

import pytest

from app.erp.context import ErpContext
from app.erp.product_combinations import CombinationEdit, add_combination, load_grid, save_grid
from app.erp.products import create_product, load_form
from app.errors import UserFacingError
from connectors.prestashop.erp_products import ProductValues
from tests.integration.test_erp_products import ctx, dec, one, rows, when

__all__ = ["ctx"]


def _parent_is_sum(ctx: ErpContext, id_product: int) -> None:
    parent = one(ctx, "SELECT quantity FROM {p}stock_available WHERE id_product = :p "
                 "AND id_product_attribute = 0", p=id_product)["quantity"]  # fmt: skip
    total = one(ctx, "SELECT COALESCE(SUM(quantity), 0) AS q FROM {p}stock_available "
                "WHERE id_product = :p AND id_product_attribute <> 0", p=id_product)  # fmt: skip
    assert int(parent) == int(total["q"])


def test_the_grid_saves_codes_impacts_and_stock(ctx: ErpContext) -> None:
    id_product = int(one(ctx, "SELECT MIN(id_product) AS p FROM {p}product_attribute")["p"])
    grid = load_grid(ctx, id_product)
    first = grid.rows[0]
    edit = CombinationEdit(first.id_product_attribute, "NEW-REF", "8412345678905",
                           Decimal("1.500000"), first.quantity + 7)  # fmt: skip
    others = [CombinationEdit(r.id_product_attribute, r.reference, r.ean13, r.price_impact,
                              r.quantity) for r in grid.rows[1:]]  # fmt: skip
    saved = save_grid(ctx, id_product, [edit, *others], grid.date_upd)
    assert saved.rows[0].reference == "NEW-REF" and saved.rows[0].quantity == first.quantity + 7
    pa = one(ctx, "SELECT reference, ean13, price FROM {p}product_attribute "
             "WHERE id_product_attribute = :a", a=first.id_product_attribute)  # fmt: skip
    pas = one(ctx, "SELECT price FROM {p}product_attribute_shop WHERE id_product_attribute = :a "
              "AND id_shop = 1", a=first.id_product_attribute)  # fmt: skip
    assert (pa["reference"], pa["ean13"]) == ("NEW-REF", "8412345678905")
    assert dec(pa["price"]) == dec(pas["price"]) == Decimal("1.5")
    _parent_is_sum(ctx, id_product)
    moves = rows(ctx, "SELECT m.sign, m.physical_quantity FROM {p}stock_mvt m JOIN "
                 "{p}stock_available s ON s.id_stock_available = m.id_stock "
                 "WHERE s.id_product_attribute = :a", a=first.id_product_attribute)  # fmt: skip
    assert moves[-1] == {"sign": 1, "physical_quantity": 7}
    product = one(ctx, "SELECT date_upd, indexed FROM {p}product_shop WHERE id_product = :p",
                  p=id_product)  # fmt: skip
    assert when(product["date_upd"]) == saved.date_upd and product["indexed"] == 0
    with pytest.raises(UserFacingError, match="reload"):
        save_grid(ctx, id_product, [edit], grid.date_upd.replace(year=2001))


def test_the_first_combination_of_a_new_product(ctx: ErpContext) -> None:
    form = load_form(ctx, None)
    record = create_product(ctx, ProductValues(
        {1: "Bufanda"}, "BUF", "", Decimal(10), form.tax_groups[0].id, form.categories[-1].id,
        True, Decimal(3)))  # fmt: skip
    grid = load_grid(ctx, record.id_product)
    assert grid.rows == () and grid.groups
    values = [g.values[0].id for g in grid.groups]
    new = CombinationEdit(0, "BUF-1", "", Decimal("0.5"), 0)
    grid = add_combination(ctx, record.id_product, values, new, grid.date_upd)
    (combination,) = grid.rows
    assert combination.default and combination.reference == "BUF-1"
    id_pa = combination.id_product_attribute
    product = one(ctx, "SELECT product_type, cache_default_attribute FROM {p}product "
                  "WHERE id_product = :p", p=record.id_product)  # fmt: skip
    assert product == {"product_type": "combinations", "cache_default_attribute": id_pa}
    shop = one(ctx, "SELECT default_on, id_product FROM {p}product_attribute_shop "
               "WHERE id_product_attribute = :a", a=id_pa)  # fmt: skip
    assert shop == {"default_on": 1, "id_product": record.id_product}
    attrs = rows(ctx, "SELECT id_attribute FROM {p}product_attribute_combination "
                 "WHERE id_product_attribute = :a ORDER BY id_attribute", a=id_pa)  # fmt: skip
    assert [r["id_attribute"] for r in attrs] == sorted(values)
    assert one(ctx, "SELECT quantity FROM {p}stock_available WHERE id_product_attribute = :a",
               a=id_pa)["quantity"] == 0  # fmt: skip
    _parent_is_sum(ctx, record.id_product)
    with pytest.raises(UserFacingError, match="already has"):
        add_combination(ctx, record.id_product, values, new, grid.date_upd)
