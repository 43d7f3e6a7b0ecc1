"""Trying the demo shop on a real till touches nothing of the real shop's till: its own store
(catalog, outbox, ticket series) and no VERI*FACTU records, even with the shop's tax id set."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from app.config import settings as cfg
from app.connection import ShopTarget, parse_url
from app.till.cash_drawer import open_cash_session
from app.till.samples import Item, sample_ticket
from app.till.store import default_path
from app.till.tickets import last_tickets
from app.till_runtime import demo_store_path, open_till, record
from app.verifactu.records import fiscal_record
from tests.integration.test_verifactu_till import _settings, _store


@pytest.mark.parametrize("demo_shop_db", ["sqlite"], indirect=True)
def test_the_demo_sells_in_its_own_store_without_fiscal_records(
    demo_shop_db: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MOSTRADOR_HOME", str(tmp_path / "home"))
    real = _store(tmp_path)  # the real shop's store, VERI*FACTU on by the settings
    settings: cfg.Settings = _settings(tmp_path, "89890001K")
    url, prefix = demo_shop_db.url, demo_shop_db.prefix  # type: ignore[attr-defined]
    demo = ShopTarget(url=parse_url(url), prefix=prefix, demo=True)
    runtime = open_till(demo, "T1", None, settings=settings)
    try:
        assert runtime.store.path == demo_store_path("T1") != default_path("T1")
        assert runtime.fiscal is None
        open_cash_session(runtime.store, Decimal("50"), runtime.employee.id_employee)
        ticket = record(runtime, sample_ticket("T1", [Item(1, 2, Decimal("3.00"))]))
        assert fiscal_record(runtime.store, ticket.number) is None
        assert [t.number for t in last_tickets(runtime.store, 5)] == [ticket.number]
    finally:
        runtime.close()
    assert real.exists() and not default_path("T1").exists()
