"""Benchmark: the ERP's orders list and sales reports on 1,000,000 orders / 3,000,000 lines.

    .venv/bin/python bench/erp_orders.py                 # build once under /tmp/bench, measure
    .venv/bin/python bench/erp_orders.py --build-only    # only make (or keep) the data
    .venv/bin/python bench/erp_orders.py --rounds 20

The data: a demo shop (``build_demo_shop``, schema 8.2, 10,000 products, 10,000 orders over
a year) multiplied inside MariaDB with ``INSERT … SELECT`` (the demo generator writes about
700 orders a second; a million would take half an hour): every order is copied 99 times with
a new id, a reference of its own and its dates moved back by a few minutes per copy, with its
history, payments and invoice; order lines are copied until there are 3,000,000 of them,
spread evenly over the orders (so a copied order's lines do not add up to its totals — the
figures measured here do not depend on that). Till orders (module ``mostrador``) get their
``mostrador_sale`` row (tills T1/T2). The server's data directory is kept under
``--data`` (default /tmp/bench/erp_orders) and reused by the next run.

Measured through the ERP's own functions, as the screens call them: the first page of the
orders list (unfiltered, and filtered by state, by payment and by till), a deeper page
(keyset), one order's details, and sales by day over the last 365 days (with and without the
comparison with the previous period) from the summary table ``ps_mostrador_sales_day``, warm
(nothing new) and cold (a new order and a new history row on an older order before each call),
and the raw query over the orders for comparison. Each is run ``--rounds`` times (warm cases
after one warm-up); p50 / p95 / max are printed, with the summary's full build time and the
load average before and after. The rows the cold cases add are deleted at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pymysql

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from connectors.prestashop.engine import make_engine  # noqa: E402
from tests.support.mariadb import (  # noqa: E402
    TEST_PASSWORD,
    TEST_USER,
    MariaDBServer,
    find_binary,
    free_port,
    install_datadir,
    server_command,
)

DATABASE = "erp_bench"
PREFIX = "ps_"
BASE_ORDERS = 10_000
COPIES = 100  # the base orders and 99 copies
TARGET_LINES = 3_000_000
MARKER = "built.json"


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--data", type=Path, default=Path("/tmp/bench/erp_orders"))
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--buffer-pool-mb", type=int, default=4096)
    parser.add_argument("--build-only", action="store_true")
    return parser.parse_args(argv)


# --------------------------------------------------------------------------- server


@contextmanager
def server(base: Path, buffer_pool_mb: int) -> Iterator[MariaDBServer]:
    """A MariaDB on ``base/data`` (kept between runs), temporary files under ``base/tmp``."""
    if not (base / MARKER).exists():
        shutil.rmtree(base, ignore_errors=True)  # none yet, or a build that did not finish
        install_datadir(base / "data")
    (base / "tmp").mkdir(parents=True, exist_ok=True)
    running = _start(base, buffer_pool_mb)
    try:
        yield running
    finally:
        running.stop()


def _start(base: Path, buffer_pool_mb: int) -> MariaDBServer:
    mariadbd = find_binary("mariadbd") or find_binary("mysqld")
    assert mariadbd, "mariadbd not found (apt-get install mariadb-server)"
    datadir, sock = base / "data", base / "mysqld.sock"
    port = free_port()
    command = server_command(mariadbd, datadir, port, sock, buffer_pool_mb)
    command.append(f"--tmpdir={base / 'tmp'}")
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    running = MariaDBServer(
        "127.0.0.1", port, TEST_USER, TEST_PASSWORD, sock, datadir, process,
        datadir / "error.log",
    )  # fmt: skip
    deadline = time.monotonic() + 120
    while True:
        try:
            running.admin_connection().close()
            return running
        except pymysql.err.Error:
            if process.poll() is not None or time.monotonic() > deadline:
                running.stop()
                raise
        if _create_user(sock):
            continue
        time.sleep(0.2)


def _create_user(sock: Path) -> bool:
    """On a fresh data dir root logs in on the socket without password: add the bench user."""
    try:
        conn = pymysql.connect(unix_socket=str(sock), user="root", autocommit=True)
    except pymysql.err.Error:
        return False
    with conn, conn.cursor() as cur:
        cur.execute(f"CREATE USER IF NOT EXISTS '{TEST_USER}'@'%' IDENTIFIED BY '{TEST_PASSWORD}'")
        cur.execute(f"GRANT ALL PRIVILEGES ON *.* TO '{TEST_USER}'@'%'")
    return True


# --------------------------------------------------------------------------- data


def build(base: Path, running: MariaDBServer) -> None:
    if (base / MARKER).exists():
        print("reusing the data in", base, file=sys.stderr)
        return
    from connectors.prestashop.demo_shop import build_demo_shop

    url = running.url(running.create_database(DATABASE))
    engine = make_engine(url)
    started = time.perf_counter()
    try:
        build_demo_shop(
            engine, version="8.2", prefix=PREFIX, products=10_000, orders=BASE_ORDERS,
            customers=1000, seed=1,
        )  # fmt: skip
        _log(f"demo shop built in {time.perf_counter() - started:.0f} s")
    finally:
        engine.dispose()
    with running.connection(DATABASE) as conn, conn.cursor() as cur:
        multiply(cur, running.url(DATABASE))
    (base / MARKER).write_text(json.dumps({"orders": BASE_ORDERS * COPIES}))
    _log(f"data ready in {time.perf_counter() - started:.0f} s")


def multiply(cur: Any, url: str) -> None:
    cur.execute("SET SESSION sql_mode = ''")
    cur.execute("CREATE TABLE bench_seq (k INT PRIMARY KEY)")
    cur.execute("INSERT INTO bench_seq VALUES " + ",".join(f"({k})" for k in range(1, 1000)))
    n = BASE_ORDERS
    shift = "INTERVAL s.k * 7 MINUTE"
    reference = "CONCAT(SUBSTRING({c}, 1, 7), CHAR(65 + s.k DIV 26), CHAR(65 + s.k MOD 26))"
    copies = f"s.k < {COPIES}"
    sizes = {t: _max_id(cur, t, key) for t, key in _KEYS.items()}
    _copy(cur, "orders", copies, {
        "id_order": f"id_order + s.k * {n}", "reference": reference.format(c="reference"),
        "date_add": f"date_add - {shift}", "date_upd": f"date_upd - {shift}",
        "invoice_number": f"IF(invoice_number > 0, invoice_number + s.k * {n}, 0)",
    })  # fmt: skip
    _copy(cur, "order_history", copies, {
        "id_order_history": f"id_order_history + s.k * {sizes['order_history']}",
        "id_order": f"id_order + s.k * {n}", "date_add": f"date_add - {shift}",
    })  # fmt: skip
    _copy(cur, "order_payment", copies, {
        "id_order_payment": f"id_order_payment + s.k * {sizes['order_payment']}",
        "order_reference": reference.format(c="order_reference"),
        "date_add": f"date_add - {shift}",
    })  # fmt: skip
    _copy(cur, "order_invoice", copies, {
        "id_order_invoice": f"id_order_invoice + s.k * {sizes['order_invoice']}",
        "id_order": f"id_order + s.k * {n}", "number": f"number + s.k * {n}",
        "date_add": f"date_add - {shift}",
    })  # fmt: skip
    lines = sizes["order_detail"]
    extra = -(-TARGET_LINES // lines) - 1
    _copy(cur, "order_detail", f"s.k <= {extra}", {
        "id_order_detail": f"id_order_detail + s.k * {lines}",
        "id_order": f"id_order + (s.k MOD {COPIES}) * {n}",
    }, limit=TARGET_LINES - lines)  # fmt: skip
    _till_sales(cur, url)
    tables = ("orders", "order_detail", "order_history", "order_payment", "order_invoice")
    for table in (*tables, "mostrador_sale"):
        cur.execute(f"ANALYZE TABLE {PREFIX}{table}")
        cur.fetchall()
    cur.execute("DROP TABLE bench_seq")


_KEYS = {
    "order_history": "id_order_history",
    "order_payment": "id_order_payment",
    "order_invoice": "id_order_invoice",
    "order_detail": "id_order_detail",
}


def _max_id(cur: Any, table: str, key: str) -> int:
    cur.execute(f"SELECT MAX({key}) FROM {PREFIX}{table}")
    return int(cur.fetchone()[0])


def _copy(
    cur: Any, table: str, which: str, overrides: dict[str, str], limit: int | None = None
) -> None:
    cur.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_schema = DATABASE() "
        "AND table_name = %s ORDER BY ordinal_position",
        (PREFIX + table,),
    )
    columns = [row[0] for row in cur.fetchall()]
    values = [overrides.get(c, f"t.{c}") for c in columns]
    cur.execute("DROP TABLE IF EXISTS bench_base")
    cur.execute(f"CREATE TABLE bench_base AS SELECT * FROM {PREFIX}{table}")
    sql = (
        f"INSERT INTO {PREFIX}{table} ({', '.join(columns)}) "
        f"SELECT {', '.join(values)} FROM bench_base t JOIN bench_seq s ON {which}"
    )
    if limit is not None:
        sql += f" ORDER BY s.k, t.{columns[0]} LIMIT {limit}"
    started = time.perf_counter()
    cur.execute(sql)
    _log(f"{table}: {cur.rowcount:,} rows copied in {time.perf_counter() - started:.0f} s")
    cur.execute("DROP TABLE bench_base")


def _till_sales(cur: Any, url: str) -> None:
    from connectors.prestashop.mostrador_tables import ensure_tables

    engine = make_engine(url)
    try:
        ensure_tables(engine, PREFIX)
    finally:
        engine.dispose()
    started = time.perf_counter()
    cur.execute(
        f"INSERT INTO {PREFIX}mostrador_sale (uuid, ticket_number, till, kind, id_shop, "
        "id_order, id_order_slip, reference, invoice_number, ticket_date, pushed_at) "
        "SELECT UUID(), CONCAT('T', 1 + id_order MOD 2, '-', LPAD(id_order, 7, '0')), "
        "CONCAT('T', 1 + id_order MOD 2), 'sale', id_shop, id_order, 0, reference, "
        f"invoice_number, date_add, date_add FROM {PREFIX}orders WHERE module = 'mostrador'"
    )
    _log(f"mostrador_sale: {cur.rowcount:,} till sales in {time.perf_counter() - started:.0f} s")


def _log(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- measures


def measure(running: MariaDBServer, rounds: int) -> None:
    from app.connection import ShopTarget, parse_url
    from app.erp.context import open_erp

    target = ShopTarget(url=parse_url(running.url(DATABASE)), prefix=PREFIX)
    ctx = open_erp(target, id_employee=1)
    try:
        _counts(ctx)
        _load()
        _summary_build(ctx)
        for name, call in _cases(ctx):
            _report(name, _timings(call, rounds))
        for name, call in _cold_cases(ctx):
            _report(name, _cold_timings(ctx, call, rounds))
        _load()
    finally:
        _forget_bench_rows(ctx)
        ctx.close()


def _load() -> None:
    one, five, fifteen = os.getloadavg()
    print(f"load average {one:.2f} {five:.2f} {fifteen:.2f}", flush=True)


def _summary_build(ctx: Any) -> None:
    """The first full build of the sales-by-day summary (what "Recalculate" costs)."""
    from connectors.prestashop.erp_sales_day import ensure_sales_day, refresh

    ensure_sales_day(ctx.engine, PREFIX)
    done = refresh(ctx.engine, ctx.shop, full=True)
    print(f"sales-by-day summary full build: {done.days:,} days in {done.seconds:.2f} s")


def _counts(ctx: Any) -> None:
    with ctx.engine.connect() as conn:
        for table in ("orders", "order_detail", "mostrador_sale"):
            count = conn.exec_driver_sql(f"SELECT COUNT(*) FROM {PREFIX}{table}").scalar_one()
            print(f"{table}: {count:,} rows")


def _cases(ctx: Any) -> list[tuple[str, Callable[[], object]]]:
    from app.erp.listing import ListQuery
    from app.erp.orders import list_orders, order_details
    from app.erp.reports import ReportRequest, run_report

    first = list_orders(ctx, ListQuery(), None, 50)
    deep_key = first.next_key
    for _ in range(200):  # 10,000 orders down the list
        deep_key = list_orders(ctx, ListQuery(), deep_key, 50).next_key
    today = date.today()
    year = ReportRequest("day", today - timedelta(days=364), today)
    return [
        ("orders list, first page", lambda: list_orders(ctx, ListQuery(), None, 50)),
        ("orders list, page 201 (keyset)", lambda: list_orders(ctx, ListQuery(), deep_key, 50)),
        ("orders list, state Delivered", lambda: _filtered(ctx, {"id_state": 5})),
        ("orders list, state Canceled", lambda: _filtered(ctx, {"id_state": 6})),
        ("orders list, payment Tarjeta", lambda: _filtered(ctx, {"payment": "Tarjeta"})),
        ("orders list, till T1", lambda: _filtered(ctx, {"till": "T1"})),
        ("orders list, web orders only", lambda: _filtered(ctx, {"till": ""})),
        ("orders list, employee 2", lambda: _filtered(ctx, {"id_employee": 2})),
        ("orders list, last month", lambda: _filtered(ctx, {
            "date_from": today - timedelta(days=30), "date_to": today})),
        ("order details", lambda: order_details(ctx, first.rows[0].id_order)),
        ("sales by day, 365 days", lambda: run_report(ctx, year)),
        ("sales by day, 365 days + previous", lambda: run_report(ctx, _compare(year))),
        ("sales by day, raw query (no summary)", lambda: _raw_days(ctx, year)),
    ]  # fmt: skip


def _raw_days(ctx: Any, request: Any) -> object:
    from sqlalchemy.orm import Session

    from connectors.prestashop.erp_reports import by_period

    start = datetime.combine(request.date_from, datetime.min.time())
    with Session(ctx.engine) as session:
        return by_period(session, ctx.shop, start, start + timedelta(days=365), "day")


def _cold_cases(ctx: Any) -> list[tuple[str, Callable[[], object]]]:
    from app.erp.reports import ReportRequest, run_report

    today = date.today()
    year = ReportRequest("day", today - timedelta(days=364), today)
    return [
        ("sales by day, 365 days, cold", lambda: run_report(ctx, year)),
        ("sales by day, 365 + previous, cold", lambda: run_report(ctx, _compare(year))),
    ]


def _new_rows(ctx: Any) -> None:
    """What a busy shop adds between two reports: a new order (dated now) and a new history
    row on an order of months ago (same state: the figures stay comparable)."""
    with ctx.engine.begin() as conn:
        columns = [
            r[0] for r in conn.exec_driver_sql(
                "SELECT column_name FROM information_schema.columns WHERE table_schema = "
                f"DATABASE() AND table_name = '{PREFIX}orders' ORDER BY ordinal_position"
            )
        ]  # fmt: skip
        values = [
            {"id_order": "NULL", "reference": "'BENCHNEW'", "date_add": "NOW()",
             "date_upd": "NOW()"}.get(c, c) for c in columns
        ]  # fmt: skip
        conn.exec_driver_sql(
            f"INSERT INTO {PREFIX}orders ({', '.join(columns)}) SELECT {', '.join(values)} "
            f"FROM {PREFIX}orders WHERE id_order = 5000"
        )
        conn.exec_driver_sql(
            f"INSERT INTO {PREFIX}order_history (id_employee, id_order, id_order_state, date_add)"
            f" SELECT 0, id_order, current_state, NOW() FROM {PREFIX}orders"
            " WHERE id_order = 505000"
        )


def _forget_bench_rows(ctx: Any) -> None:
    """Take the rows the cold cases added out again (the data dir is reused)."""
    with ctx.engine.begin() as conn:
        conn.exec_driver_sql(f"DELETE FROM {PREFIX}orders WHERE reference = 'BENCHNEW'")
        conn.exec_driver_sql(
            f"DELETE FROM {PREFIX}order_history WHERE id_order = 505000 AND id_employee = 0 "
            "AND date_add > NOW() - INTERVAL 1 DAY"
        )


def _cold_timings(ctx: Any, call: Callable[[], object], rounds: int) -> list[float]:
    found = []
    for _ in range(rounds):
        _new_rows(ctx)
        started = time.perf_counter()
        call()
        found.append((time.perf_counter() - started) * 1000)
    return found


def _filtered(ctx: Any, filters: dict[str, object]) -> object:
    from app.erp.listing import ListQuery
    from app.erp.orders import list_orders

    return list_orders(ctx, ListQuery(filters=filters), None, 50)


def _compare(request: Any) -> Any:
    from dataclasses import replace

    return replace(request, compare=True)


def _timings(call: Callable[[], object], rounds: int) -> list[float]:
    call()  # warm-up
    found = []
    for _ in range(rounds):
        started = time.perf_counter()
        call()
        found.append((time.perf_counter() - started) * 1000)
    return found


def _report(name: str, timings: list[float]) -> None:
    ordered = sorted(timings)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    print(
        f"{name:<38} p50 {statistics.median(ordered):8.1f} ms   p95 {p95:8.1f} ms   "
        f"max {ordered[-1]:8.1f} ms",
        flush=True,
    )


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    with server(args.data, args.buffer_pool_mb) as running:
        build(args.data, running)
        if not args.build_only:
            measure(running, args.rounds)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
