"""Exactly once under crashes: a process pushing a ticket is SIGKILLed at random points (before
a statement, before the commit, right after it, or after a random delay), then the push is
retried; every ticket ends as exactly one order and the stock is taken exactly once.

The child is this file run as a script: ``python test_push_faults.py <url> <seed> <mode> <n>``.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

import pytest

from app.sync.push import PushStatus, make_push_engine, prepare_shop, push_ticket
from app.till.records import Ticket
from connectors.prestashop.shop import open_shop
from tests.support.push_tickets import fetch, scalar, small_ticket, stock_of
from tests.support.shop_db import ShopDb

TRIALS = 50
ROOT = Path(__file__).resolve().parents[2]
MODES = ("statement", "commit", "after_commit", "delay")


def ticket_for(seed: int) -> Ticket:
    """The same ticket in the child and in the parent's retry (uuid derived from the seed)."""
    quantity = seed % 3 + 1
    return small_ticket(f"T9-F{seed:05d}", quantity=quantity,
                        uuid=str(uuid.uuid5(uuid.NAMESPACE_URL, f"fault-{seed}")))  # fmt: skip


def _child(url: str, seed: int, mode: str, at: int) -> None:
    from sqlalchemy import event

    engine = make_push_engine(url)
    shop = open_shop(engine, "ps_", 1, "es")
    statements = 0

    def die(*_args: Any) -> None:
        os.kill(os.getpid(), signal.SIGKILL)

    def count(*_args: Any) -> None:
        nonlocal statements
        statements += 1
        if statements == at:
            die()

    if mode == "statement":
        event.listen(engine, "before_cursor_execute", count)
    elif mode == "commit":
        event.listen(engine, "commit", die)
    elif mode == "after_commit":
        from sqlalchemy.orm import Session

        event.listen(Session, "after_commit", die)
    print("ready", flush=True)
    push_ticket(engine, shop, ticket_for(seed))
    print("done", flush=True)


@pytest.mark.parametrize("demo_shop_db", ["9.0", "sqlite"], indirect=True)
def test_killed_pushes_are_retried_into_exactly_one_order(demo_shop_db: ShopDb) -> None:
    engine = make_push_engine(demo_shop_db.url)
    shop = open_shop(engine, "ps_", 1, "es")
    prepare_shop(engine, shop)
    rng = random.Random(20250314)
    before = stock_of(engine, 1)
    orders_before = scalar(engine, "SELECT COUNT(*) FROM {p}orders")
    outcomes: dict[str, int] = {}
    sold = 0
    for seed in range(TRIALS):
        mode = rng.choice(MODES)
        killed = _run_child(demo_shop_db.url, seed, mode, rng)
        result = push_ticket(engine, shop, ticket_for(seed))  # the retry
        assert result.status in (PushStatus.PUSHED, PushStatus.ALREADY_PUSHED)
        key = f"{mode}:{'killed' if killed else 'finished'}:{result.status.value}"
        outcomes[key] = outcomes.get(key, 0) + 1
        sold += ticket_for(seed).lines[0].quantity
    print(outcomes)
    claims = fetch(engine, "SELECT s.ticket_number, COUNT(o.id_order) AS n FROM "
                   "{p}mostrador_sale s LEFT JOIN {p}orders o ON o.id_order = s.id_order "
                   "WHERE s.ticket_number LIKE 'T9-F%' GROUP BY s.ticket_number")  # fmt: skip
    assert len(claims) == TRIALS and all(c["n"] == 1 for c in claims)
    assert scalar(engine, "SELECT COUNT(*) FROM {p}orders") == orders_before + TRIALS
    assert stock_of(engine, 1) == (before[0] - sold, before[1] - sold, before[2])
    moved = scalar(engine, "SELECT SUM(physical_quantity) FROM {p}stock_mvt m JOIN "
                   "{p}mostrador_sale s ON s.id_order = m.id_order "
                   "WHERE s.ticket_number LIKE 'T9-F%'")  # fmt: skip
    assert int(moved) == sold
    assert any(":killed:" in key for key in outcomes)
    engine.dispose()


def _run_child(url: str, seed: int, mode: str, rng: random.Random) -> bool:
    """Run one child; True when it died by SIGKILL."""
    at = rng.randint(1, 3)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, __file__, url, str(seed), mode, str(at)]
    child = subprocess.Popen(command, stdout=subprocess.PIPE, cwd=ROOT, env=env, text=True)
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "ready"
    if mode == "delay":
        time.sleep(rng.uniform(0, 0.03))
        child.send_signal(signal.SIGKILL)
    child.wait(timeout=60)
    return child.returncode == -signal.SIGKILL


if __name__ == "__main__":
    _child(sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4]))
