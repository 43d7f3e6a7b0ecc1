"""Health check and rollback: a version that never reports healthy is rolled back by the
launcher; after a rollback the version folder and the till store are what they were before the
update, plus the sales recorded since."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from decimal import Decimal as D
from pathlib import Path

import pytest

from app.till.cash_drawer import open_cash_session
from app.till.migrations import MIGRATIONS, Migration
from app.till.samples import Item, cash, sample_ticket
from app.till.store import open_store
from app.till.tickets import get_ticket, record_sale
from tests.updater.conftest import install_root, package_app, started
from updater.apply import ApplyError, request_rollback, stage_update, verify_folder
from updater.health import register_data, take_reports
from updater.launcher import run
from updater.layout import COMPLETE_FILE, Layout
from updater.state import load_state


def _folder_checksums(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


LEDGER = ("tickets", "ticket_lines", "line_taxes", "payments", "cash_movements", "cash_sessions")


def _rows(store: Path) -> dict[str, set[tuple[object, ...]]]:
    """Every row of the sales ledger (append-only tables), as comparable sets."""
    connection = sqlite3.connect(store)
    try:
        return {t: set(connection.execute(f'SELECT * FROM "{t}"')) for t in LEDGER}
    finally:
        connection.close()


def test_a_version_failing_its_health_check_is_rolled_back(tmp_path: Path) -> None:
    layout = install_root(tmp_path)
    stage_update(layout, package_app(tmp_path, "0.2.0", behaviour="crash"))

    assert run(layout, max_failed=2) == 0
    assert started(layout) == ["0.2.0 crash", "0.2.0 crash", "0.1.0 healthy"]
    state = load_state(layout)
    assert (state.current, state.previous, state.trial) == ("0.1.0", None, None)
    assert state.rolled_back == ("0.2.0",)
    (report,) = take_reports(layout)  # queued for the bug reporter
    assert report["kind"] == "rollback" and report["version"] == "0.2.0"
    assert report["exit_codes"] == [1, 1]
    assert take_reports(layout) == []


def test_a_version_that_exits_before_healthy_is_tried_again_at_the_next_start(
    tmp_path: Path,
) -> None:
    layout = install_root(tmp_path)
    stage_update(layout, package_app(tmp_path, "0.2.0", behaviour="quit"))
    for _ in range(3):
        assert run(layout, max_failed=3) == 0
    assert load_state(layout).current == "0.2.0"  # three starts, none failed-and-rolled back
    assert run(layout, max_failed=3) == 0  # the fourth start: K starts without health
    assert load_state(layout).current == "0.1.0"


def _new_version_migration() -> tuple[Migration, ...]:
    """What 0.2.0 adds to the store: expand-only (a new column), readable by 0.1.0."""
    step = Migration(
        MIGRATIONS[-1].version + 1, 1, "loyalty points (0.2.0)",
        ("ALTER TABLE tickets ADD COLUMN loyalty_points INTEGER NOT NULL DEFAULT 0",),
    )  # fmt: skip
    return (*MIGRATIONS, step)


def _sale(store_path: Path, migrations: tuple[Migration, ...] = MIGRATIONS) -> str:
    with open_store("T1", store_path, migrations=migrations) as store:
        ticket = record_sale(store, sample_ticket("T1", [Item(1, 2, D("3.10"))], [cash(D("6.20"))]))
        return ticket.number


def test_rollback_restores_the_version_folder_and_keeps_sales_made_since(tmp_path: Path) -> None:
    layout = install_root(tmp_path)
    data = tmp_path / "home" / "data"
    store_path = data / "till-T1.sqlite3"
    settings = tmp_path / "home" / "config" / "settings.json"
    settings.parent.mkdir(parents=True)
    settings.write_text(json.dumps({"schema_version": 3, "language": "es"}))
    with open_store("T1", store_path) as store:
        open_cash_session(store, D("100.00"), 1)
    before_sale = _sale(store_path)
    register_data(layout, [store_path], [settings])
    folder_before = _folder_checksums(layout.version_dir("0.1.0"))
    rows_before = _rows(store_path)
    settings_before = settings.read_bytes()

    stage_update(layout, package_app(tmp_path, "0.2.0"))
    assert run(layout) == 0  # 0.2.0 starts (snapshot first) and reports healthy
    assert load_state(layout).current == "0.2.0"
    after_sale = _sale(store_path, _new_version_migration())  # sold with 0.2.0
    settings.write_text(json.dumps({"schema_version": 4, "language": "es", "new": 1}))

    request_rollback(layout)  # "Restore previous version"; the launcher does it
    assert run(layout) == 0
    assert load_state(layout).current == "0.1.0"
    assert started(layout)[-1] == "0.1.0 healthy"
    assert _folder_checksums(layout.version_dir("0.1.0")) == folder_before
    assert verify_folder(layout.version_dir("0.1.0"))
    assert settings.read_bytes() == settings_before

    rows_after = _rows(store_path)
    for table, rows in rows_before.items():
        width = len(next(iter(rows))) if rows else 0
        kept = {row[:width] for row in rows_after[table]}  # 0.2.0's column comes last
        assert rows <= kept, table  # nothing recorded before the update changed or vanished
    with open_store("T1", store_path) as store:  # 0.1.0's code reads the store 0.2.0 left
        assert get_ticket(store, before_sale) is not None
        sold_since = get_ticket(store, after_sale)
        assert sold_since is not None and sold_since.total_tax_incl == D("6.20")
    new_tickets = {r for r in rows_after["tickets"]} - {r + (0,) for r in rows_before["tickets"]}
    assert len(new_tickets) == 1  # exactly the sale made since


def test_a_damaged_store_is_put_back_from_the_snapshot(tmp_path: Path) -> None:
    layout = install_root(tmp_path)
    store_path = tmp_path / "data" / "till-T1.sqlite3"
    with open_store("T1", store_path) as store:
        open_cash_session(store, D("100.00"), 1)
    sold = _sale(store_path)
    register_data(layout, [store_path], [])
    stage_update(layout, package_app(tmp_path, "0.2.0"))
    run(layout)
    store_path.write_bytes(b"garbage" * 1000)  # the new version wrecked it
    request_rollback(layout)
    run(layout)
    with open_store("T1", store_path) as store:
        assert get_ticket(store, sold) is not None
    assert list(store_path.parent.glob("till-T1.sqlite3.broken-*"))  # kept for the report


def test_rollback_needs_a_previous_version(tmp_path: Path) -> None:
    layout = install_root(tmp_path)
    with pytest.raises(ApplyError, match="no previous"):
        request_rollback(layout)


def test_the_layout_marks_complete_versions(tmp_path: Path) -> None:
    layout: Layout = install_root(tmp_path)
    assert (layout.version_dir("0.1.0") / COMPLETE_FILE).exists()
