"""How long a till sale takes to reach a remote shop: round trips and wall time of one push,
and the catch-up of a queue of tickets, through a proxy adding latency each way.

    .venv/bin/python bench/push.py                  # 30 ms each way, 1,000 queued tickets
    .venv/bin/python bench/push.py --delay-ms 0 --tickets 200

A throwaway MariaDB (tests/support/mariadb.py) gets a small demo shop (PrestaShop 8.2 schema);
the tickets are the 4-line sale of tests/support/push_tickets.py. Rows: the one-request path
(multi-statement batches, ``make_push_engine``) and the statement-per-request path (a plain
``make_engine``), each timed on fresh tickets.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sqlalchemy import Engine  # noqa: E402

from app.sync.push import RoundTripCounter, make_push_engine, prepare_shop, push_ticket  # noqa: E402
from bench.latency_proxy import LatencyProxy  # noqa: E402
from connectors.prestashop.demo_shop import build_demo_shop  # noqa: E402
from connectors.prestashop.engine import make_engine  # noqa: E402
from connectors.prestashop.shop import ShopInfo, open_shop  # noqa: E402
from tests.support.mariadb import start_mariadb  # noqa: E402
from tests.support.push_tickets import sale_ticket  # noqa: E402


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--delay-ms", type=float, default=30.0, help="latency each way")
    parser.add_argument("--tickets", type=int, default=1000, help="queued tickets to catch up")
    parser.add_argument("--single", type=int, default=10, help="single pushes to average")
    return parser.parse_args(argv)


def via_proxy(url: str, port: int) -> str:
    parts = urlsplit(url)
    netloc = parts.netloc.rsplit("@", 1)[0] + f"@127.0.0.1:{port}"
    return urlunsplit(parts._replace(netloc=netloc))


def single_pushes(engine: Engine, shop: ShopInfo, label: str, count: int) -> tuple[float, str]:
    """Mean wall time of one push and its requests (statements + commit + pool ping)."""
    counter = RoundTripCounter(engine)
    push_ticket(engine, shop, sale_ticket(f"W-{label}"))  # warm the pool
    counter.reset()
    start = time.perf_counter()
    for n in range(count):
        push_ticket(engine, shop, sale_ticket(f"S-{label}-{n}"))
    elapsed = (time.perf_counter() - start) / count
    trips = (
        f"{counter.statements / count:.0f} stmt + {counter.commits / count:.0f} commit + "
        f"{counter.checkouts / count:.0f} ping"
    )
    counter.close()
    return elapsed, trips


def catch_up(engine: Engine, shop: ShopInfo, label: str, count: int) -> float:
    tickets = [sale_ticket(f"Q-{label}-{n:05d}") for n in range(count)]
    start = time.perf_counter()
    for ticket in tickets:
        push_ticket(engine, shop, ticket)
    return time.perf_counter() - start


def run(url: str, args: argparse.Namespace) -> None:
    with LatencyProxy("127.0.0.1", urlsplit(url).port or 3306, args.delay_ms) as proxy:
        remote = via_proxy(url, proxy.port)
        rows = []
        for label, engine in (
            ("batched", make_push_engine(remote)),
            ("plain", make_engine(remote)),
        ):
            shop = open_shop(engine, "ps_", 1, "es")
            prepare_shop(engine, shop)
            one, trips = single_pushes(engine, shop, label, args.single)
            queue = catch_up(engine, shop, label, args.tickets) if label == "batched" else None
            rows.append((label, trips, one, queue))
            engine.dispose()
    print(f"\nlatency {args.delay_ms:g} ms each way; sale of 4 lines, 2 payments, new invoice")
    print(f"{'path':<9} {'requests per push':<32} {'one push':>9} {'catch-up':>22}")
    for label, trips, one, queue in rows:
        backlog = f"{args.tickets} in {queue:.1f} s ({queue / args.tickets * 1000:.0f} ms)" if (
            queue is not None) else "-"  # fmt: skip
        print(f"{label:<9} {trips:<32} {one * 1000:>7.0f} ms {backlog:>22}")


def main(argv: list[str] | None = None) -> None:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    base = Path(tempfile.mkdtemp(prefix="mostrador-bench-push-"))
    server = start_mariadb(base)
    try:
        url = server.url(server.create_database("bench_push"))
        engine = make_engine(url)
        build_demo_shop(engine, version="8.2", prefix="ps_", products=200, orders=200,
                        customers=50, seed=7)  # fmt: skip
        engine.dispose()
        run(url, args)
    finally:
        server.stop()
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
