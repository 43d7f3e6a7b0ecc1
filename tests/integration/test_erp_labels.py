"""Barcode labels: items priced with tax from the shop, an A4 sheet starting at any position,
and the same labels for an ESC/POS printer (a file printer here)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import text

from app.connection import ShopTarget, parse_url
from app.erp import labels
from app.erp.context import ErpContext, open_erp
from app.erp.labels import LabelItem, SheetLayout
from app.errors import UserFacingError
from app.formatting import format_money
from tests.support.shop_db import ShopDb

ITEM = LabelItem(1, 0, "Camiseta de algodón orgánico", "CAM-01", "8400000000017", Decimal("12.10"))


COMBO_SQL = """
SELECT pa.id_product, pa.id_product_attribute, pa.ean13, ps.price, pas.price AS impact
FROM ps_product_attribute pa
JOIN ps_product_shop ps ON ps.id_product = pa.id_product AND ps.id_shop = 1
JOIN ps_product_attribute_shop pas
  ON pas.id_product_attribute = pa.id_product_attribute AND pas.id_shop = 1
WHERE pa.ean13 <> '' ORDER BY pa.id_product_attribute LIMIT 1
"""


@pytest.fixture
def ctx(demo_shop_db: ShopDb) -> Iterator[ErpContext]:
    target = ShopTarget(url=parse_url(demo_shop_db.url), prefix=demo_shop_db.prefix)
    context = open_erp(target, id_employee=1)
    yield context
    context.close()


@pytest.mark.parametrize("demo_shop_db", ["8.0", "sqlite"], indirect=True)
def test_items_carry_the_price_with_tax_and_the_combination_name(ctx: ErpContext) -> None:
    with ctx.engine.connect() as conn:
        combo = conn.execute(text(COMBO_SQL)).mappings().one()
    (item,) = labels.find_label_items(ctx, combo["ean13"])
    base = Decimal(str(combo["price"])) + Decimal(str(combo["impact"]))
    assert item.id_product_attribute == combo["id_product_attribute"]
    assert abs(item.price_ti - base * Decimal("1.21")) < Decimal("0.06")
    assert item.price_ti == item.price_ti.quantize(Decimal("0.01")) and "(" in item.name
    every = labels.label_items(ctx, [combo["id_product"]])
    assert len(every) > 1 and item in every


def test_a_sheet_starts_where_the_used_labels_end() -> None:
    data = labels.label_sheet_pdf([(ITEM, 3)], SheetLayout(), start=23, compress=False)
    assert len(re.findall(rb"/Type\s*/Page(?!s)", data)) == 2  # labels 23, 24, then a new sheet
    assert data.count("Camiseta de algod".encode("cp1252")) == 3
    assert format_money(ITEM.price_ti).encode("cp1252") in data and b"8400000000017" in data
    assert labels.valid_ean13("8400000000017") and not labels.valid_ean13("8400000000018")
    with pytest.raises(UserFacingError, match="between 1 and 24"):
        labels.label_sheet_pdf([(ITEM, 1)], SheetLayout(), start=25)
    with pytest.raises(UserFacingError, match="A4"):
        labels.label_sheet_pdf([(ITEM, 1)], SheetLayout(columns=4, width=70))


def test_the_label_printer_gets_one_cut_label_per_copy(tmp_path: Path) -> None:
    document = labels.label_document([(ITEM, 3)])
    assert sum(type(b).__name__ == "Cut" for b in document.blocks) == 3
    out = tmp_path / "labels.bin"
    result = labels.print_labels([(ITEM, 2)], f"file:{out}")
    assert result.ok, result.message
    data = out.read_bytes()
    assert data.count(b"8400000000017") >= 2 and b"Camiseta" in data
