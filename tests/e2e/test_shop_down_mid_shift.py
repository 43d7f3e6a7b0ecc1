"""The shop's MariaDB server stops in the middle of a shift: the till keeps selling from its
own store, and once the server is back every sale is pushed exactly once."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from connectors.prestashop.demo_shop import build_demo_shop
from connectors.prestashop.engine import make_engine
from tests.e2e.test_till_day import _ok, _runner
from tests.support.mariadb import MariaDBServer, MariaDBUnavailable, start_mariadb
from tests.support.shop_db import ShopDb


@pytest.fixture
def own_server(tmp_path: Path) -> Iterator[MariaDBServer]:
    """A server of this test alone: stopping it must not disturb the session's server."""
    try:
        server = start_mariadb(tmp_path / "mariadb")
    except MariaDBUnavailable as error:
        pytest.skip(str(error))
    try:
        yield server
    finally:
        server.stop()


def _count(url: str, sql: str) -> int:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return int(conn.execute(text(sql)).scalar_one())
    finally:
        engine.dispose()


def _exact_card_sale(run: Any, tmp_path: Path, ean13: str, price: str, n: int) -> str:
    sale = tmp_path / f"sale{n}.json"
    body = {"lines": [{"ean13": ean13, "quantity": 1}],
            "payments": [{"method": "card", "amount": price}]}  # fmt: skip
    sale.write_text(json.dumps(body), encoding="utf-8")
    return str(json.loads(_ok(run("sale", "--file", str(sale))))["ticket"])


def test_sales_go_on_while_the_shop_is_down_and_are_pushed_once_back(
    own_server: MariaDBServer, tmp_path: Path
) -> None:
    url = own_server.url(own_server.create_database("tienda"))
    engine = make_engine(url)
    build_demo_shop(engine, version="8.0", products=30, orders=0, seed=3)
    with engine.connect() as conn:
        ean13 = conn.execute(text(
            "SELECT p.ean13 FROM ps_product p JOIN ps_stock_available s "
            "ON s.id_product = p.id_product AND s.id_product_attribute = 0 "
            "WHERE p.cache_default_attribute = 0 AND p.ean13 <> '' AND s.quantity > 10 "
            "ORDER BY p.id_product LIMIT 1"
        )).scalar_one()  # fmt: skip
    engine.dispose()
    run = _runner(ShopDb(url=url, version="8.0", prefix="ps_", backend="mariadb"), tmp_path)
    _ok(run("sync", "--once"))
    _ok(run("cash", "open", "--float", "50.00"))
    cash = tmp_path / "probe.json"
    cash.write_text(json.dumps({"lines": [{"ean13": ean13, "quantity": 1}],
                                "payments": [{"method": "cash", "amount": "999.00"}]}))  # fmt: skip
    price = json.loads(_ok(run("sale", "--file", str(cash))))["total"]
    tickets = [_exact_card_sale(run, tmp_path, ean13, price, 1)]
    own_server.stop()  # the hosting's database goes away mid-shift
    offline = run("sync", "--once")
    assert offline.returncode == 1 and "cannot be reached" in offline.stdout
    tickets += [_exact_card_sale(run, tmp_path, ean13, price, n) for n in (2, 3)]
    assert len(set(tickets)) == 3
    own_server.restart()
    _ok(run("sync", "--once"))
    _ok(run("sync", "--once"))
    assert _count(url, "SELECT COUNT(*) FROM ps_mostrador_sale") == 4
    assert _count(url, "SELECT COUNT(*) FROM ps_orders WHERE module = 'mostrador'") == 4
