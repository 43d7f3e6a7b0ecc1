"""A till's day from the command line: pull the catalog, open the cash, sell, push the sale
into the shop database, close the cash. The same code paths as the TPV window."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from tests.support import escpos_reader
from tests.support.shop_db import ShopDb

ROOT = Path(__file__).resolve().parents[2]


def _runner(db: ShopDb, tmp_path: Path) -> Any:
    env = {**os.environ, "MOSTRADOR_HOME": str(tmp_path / "home"), "LANGUAGE": "en"}
    base = [sys.executable, "-m", "ui.launch", "--language", "en", "--db", db.url]
    base += ["--prefix", db.prefix, "--till", "T1", "--store", str(tmp_path / "till.sqlite3")]

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*base, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
            check=False,
        )  # fmt: skip

    return run


def _ok(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def _product_for_sale(db: ShopDb) -> tuple[str, int]:
    """An active product without combinations, with an EAN13 and stock: (ean13, id)."""
    sql = text(
        f"SELECT p.ean13, p.id_product FROM {db.prefix}product p "
        f"JOIN {db.prefix}product_shop ps ON ps.id_product = p.id_product AND ps.id_shop = 1 "
        f"JOIN {db.prefix}stock_available s ON s.id_product = p.id_product "
        "AND s.id_product_attribute = 0 "
        "WHERE ps.active = 1 AND p.cache_default_attribute = 0 AND p.ean13 <> '' "
        "AND s.quantity > 5 ORDER BY p.id_product LIMIT 1"
    )
    engine = db.engine()
    with engine.connect() as conn:
        ean13, id_product = conn.execute(sql).one()
    engine.dispose()
    return str(ean13), int(id_product)


def _shop_state(db: ShopDb, id_product: int) -> tuple[int, int]:
    engine = db.engine()
    with engine.connect() as conn:
        orders = conn.execute(text(f"SELECT COUNT(*) FROM {db.prefix}orders")).scalar_one()
        stock = conn.execute(
            text(
                f"SELECT SUM(quantity) FROM {db.prefix}stock_available "
                "WHERE id_product = :p AND id_product_attribute = 0"
            ),
            {"p": id_product},
        ).scalar_one()
    engine.dispose()
    return int(orders), int(stock)


@pytest.mark.parametrize("demo_shop_db", ["8.0", "sqlite"], indirect=True)
def test_a_sale_at_the_till_becomes_one_order_in_the_shop(
    demo_shop_db: ShopDb, tmp_path: Path
) -> None:
    run = _runner(demo_shop_db, tmp_path)
    ean13, id_product = _product_for_sale(demo_shop_db)
    orders_before, stock_before = _shop_state(demo_shop_db, id_product)
    _ok(run("sync", "--once"))
    _ok(run("cash", "open", "--float", "100.00"))
    sale_file = tmp_path / "sale.json"
    sale = {"lines": [{"ean13": ean13, "quantity": 2}], "payments": [
        {"method": "cash", "amount": "500.00"}]}  # fmt: skip
    sale_file.write_text(json.dumps(sale), encoding="utf-8")
    ticket = json.loads(_ok(run("sale", "--file", str(sale_file))))
    assert ticket["ticket"].startswith("T1-")
    total, change = Decimal(ticket["total"]), Decimal(ticket["change"])
    assert total > 0 and total + change == Decimal("500.00")
    _ok(run("sync", "--once"))
    _ok(run("sync", "--once"))  # a second round pushes nothing again
    orders_after, stock_after = _shop_state(demo_shop_db, id_product)
    assert orders_after == orders_before + 1
    assert stock_after == stock_before - 2
    paper = tmp_path / "ticket.bin"
    _ok(run("print", "--ticket", ticket["ticket"], "--printer", f"file:{paper}", "--width", "58"))
    printed = escpos_reader.read(paper.read_bytes())
    assert printed.texts[0] == "Mostrador Demo"
    assert ticket["ticket"] in printed.text and ticket["ticket"] in printed.qr
    assert "€" in printed.text and printed.cuts
    report = json.loads(_ok(run("cash", "close", "--counted", str(Decimal("100.00") + total))))
    assert Decimal(report["difference"]) == 0
    assert report["sales"]["count"] == 1
    assert report["last_ticket"] == ticket["ticket"]


@pytest.mark.parametrize("demo_shop_db", ["sqlite"], indirect=True)
def test_an_unknown_barcode_is_refused_and_nothing_is_recorded(
    demo_shop_db: ShopDb, tmp_path: Path
) -> None:
    run = _runner(demo_shop_db, tmp_path)
    _ok(run("sync", "--once"))
    _ok(run("cash", "open", "--float", "50.00"))
    sale_file = tmp_path / "sale.json"
    sale = {"lines": [{"ean13": "0000000000000", "quantity": 1}], "payments": [
        {"method": "cash", "amount": "5.00"}]}  # fmt: skip
    sale_file.write_text(json.dumps(sale), encoding="utf-8")
    result = run("sale", "--file", str(sale_file))
    assert result.returncode == 2
    assert "0000000000000" in result.stderr
    report = json.loads(_ok(run("cash", "close", "--counted", "50.00")))
    assert report["sales"]["count"] == 0
    assert report["last_ticket"] is None


@pytest.mark.parametrize("demo_shop_db", ["sqlite"], indirect=True)
def test_a_code_new_in_the_shop_is_found_live_when_online(
    demo_shop_db: ShopDb, tmp_path: Path
) -> None:
    run = _runner(demo_shop_db, tmp_path)
    _ok(run("sync", "--once"))
    _ok(run("cash", "open", "--float", "50.00"))
    _old, id_product = _product_for_sale(demo_shop_db)
    new_code = "2499999999990"  # given to the product in the shop after the till's pull
    engine = demo_shop_db.engine()
    with engine.begin() as conn:
        conn.execute(
            text(f"UPDATE {demo_shop_db.prefix}product SET ean13 = :c WHERE id_product = :p"),
            {"c": new_code, "p": id_product},
        )
    engine.dispose()
    sale_file = tmp_path / "sale.json"
    sale = {"lines": [{"ean13": new_code, "quantity": 1}], "payments": [
        {"method": "cash", "amount": "500.00"}]}  # fmt: skip
    sale_file.write_text(json.dumps(sale), encoding="utf-8")
    ticket = json.loads(_ok(run("sale", "--file", str(sale_file))))
    assert ticket["lines"][0]["ean13"] == new_code
