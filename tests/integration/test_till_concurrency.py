"""Several processes on one till store, and processes killed in the middle of a sale."""

from __future__ import annotations

import multiprocessing
import os
import random
import signal
import sqlite3
import threading
import time
from decimal import Decimal as D
from pathlib import Path

import pytest

from app.till.cash_drawer import open_cash_session
from app.till.samples import Item, card, cash, sample_ticket
from app.till.store import TillStore, open_store
from app.till.tickets import record_sale

SPAWN = multiprocessing.get_context("spawn")
CRASH_TRIALS = 20


def _sell(path: str, count: int) -> None:
    """Child process: record ``count`` sales (forever if ``count`` < 0)."""
    store = open_store("T1", Path(path))
    done = 0
    while done != count:
        items = [Item(1, 2, D("3.10")), Item(2, 1, D("9.99"), D("10")), Item(3, 5, D("0.45"))]
        payments = [card(D("6.19")), cash(D("12.25"), D("20.00"))]  # total 18.44
        record_sale(store, sample_ticket("T1", items, payments))
        done += 1
    store.close()


def _count(path: Path) -> int:
    with sqlite3.connect(path, timeout=10) as db:
        return int(db.execute("SELECT count(*) FROM tickets").fetchone()[0])


def _wait_for(path: Path, at_least: int, process: multiprocessing.process.BaseProcess) -> None:
    deadline = time.monotonic() + 60
    while _count(path) < at_least:
        assert process.is_alive(), f"child died with {process.exitcode}"
        assert time.monotonic() < deadline, "the child records no sale"
        time.sleep(0.002)  # bounded polling


def _check_store(path: Path) -> int:
    """Every ticket complete and every number taken once, in order; the ticket count."""
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []
        incomplete = db.execute(
            """SELECT t.number FROM tickets t WHERE
                 t.line_count <> (SELECT count(*) FROM ticket_lines l WHERE l.ticket_id = t.id)
              OR t.payment_count <> (SELECT count(*) FROM payments p WHERE p.ticket_id = t.id)
              OR t.total_tax_incl <> (SELECT sum(amount) FROM payments p WHERE p.ticket_id = t.id)
              OR NOT EXISTS (SELECT 1 FROM outbox o WHERE o.ticket_id = t.id)
              OR NOT EXISTS (SELECT 1 FROM cash_movements m WHERE m.ticket_id = t.id)
              OR EXISTS (SELECT 1 FROM ticket_lines l WHERE l.ticket_id = t.id AND l.tax_count <>
                         (SELECT count(*) FROM line_taxes x WHERE x.line_id = l.id))"""
        ).fetchall()
        assert incomplete == []
        seqs = [r[0] for r in db.execute("SELECT seq FROM tickets ORDER BY seq")]
        counters = db.execute("SELECT sum(last_number) FROM ticket_series").fetchone()[0]
        orphans = db.execute(
            "SELECT (SELECT count(*) FROM ticket_lines WHERE ticket_id NOT IN"
            " (SELECT id FROM tickets)) + (SELECT count(*) FROM outbox WHERE ticket_id NOT IN"
            " (SELECT id FROM tickets))"
        ).fetchone()[0]
    assert seqs == list(range(1, len(seqs) + 1))  # gapless, unique (one series per year here)
    assert (counters or 0) == len(seqs)  # no number burnt by a sale that never committed
    assert orphans == 0
    return len(seqs)


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    path = tmp_path / "till-T1.sqlite3"
    with open_store("T1", path) as store:
        open_cash_session(store, D("100.00"), 1)
    return path


def test_two_processes_recording_at_once_get_unique_gapless_numbers(store_path: Path) -> None:
    children = [SPAWN.Process(target=_sell, args=(str(store_path), 150)) for _ in range(2)]
    for child in children:
        child.start()
    for child in children:
        child.join(timeout=120)
        assert child.exitcode == 0
    assert _check_store(store_path) == 300


def test_a_till_killed_while_selling_leaves_only_whole_tickets(store_path: Path) -> None:
    rng = random.Random(20260)
    recorded = 0
    for _trial in range(CRASH_TRIALS):
        child = SPAWN.Process(target=_sell, args=(str(store_path), -1))
        child.start()
        try:
            _wait_for(store_path, recorded + rng.randint(1, 15), child)
            assert child.pid is not None
            os.kill(child.pid, signal.SIGKILL)
        finally:
            child.join(timeout=30)
        assert child.exitcode == -signal.SIGKILL
        count = _check_store(store_path)
        assert count > recorded
        recorded = count
    # The store still takes sales, numbered right after the last committed one.
    _sell(str(store_path), 1)
    assert _check_store(store_path) == recorded + 1


def test_threads_sharing_one_store_get_unique_gapless_numbers(store_path: Path) -> None:
    with open_store("T1", store_path) as store:
        workers = [threading.Thread(target=_sell_with, args=(store, 25)) for _ in range(4)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(timeout=60)
    assert _check_store(store_path) == 100


def _sell_with(store: TillStore, count: int) -> None:
    for _ in range(count):
        record_sale(store, sample_ticket("T1", [Item(1, 1, D("1.00"))]))
