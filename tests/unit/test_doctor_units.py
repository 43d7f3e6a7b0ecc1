from __future__ import annotations

import socket

from app.connection import ShopTarget, parse_url
from app.doctor import Severity, parse_grants, run_doctor


def test_grants_on_the_database_and_patterns() -> None:
    grants = [
        "GRANT USAGE ON *.* TO `shop`@`%` IDENTIFIED BY PASSWORD '*ABC'",
        "GRANT SELECT, INSERT, UPDATE ON `tienda\\_ps`.* TO `shop`@`%`",
        "GRANT DELETE ON `tienda%`.* TO `shop`@`%`",
        "GRANT ALL PRIVILEGES ON `other`.* TO `shop`@`%`",
        "GRANT INDEX ON `tienda_ps`.`ps_product` TO `shop`@`%`",
    ]
    assert parse_grants(grants, "tienda_ps") == {"USAGE", "SELECT", "INSERT", "UPDATE", "DELETE"}
    assert "SELECT" not in parse_grants(grants, "tiendaXps") - {"DELETE"}
    assert "CREATE" in parse_grants(grants, "other")


def test_unknown_host_is_named() -> None:
    target = ShopTarget(url=parse_url("mysql://u:p@no-such-host.invalid:3306/ps"))
    report = run_doctor(target, connect_timeout=2)
    assert not report.ok
    error = next(f for f in report.findings if f.severity is Severity.ERROR)
    assert "no-such-host.invalid" in error.message


def test_closed_port_is_named() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    # Nobody listens on that port once the socket is closed.
    target = ShopTarget(url=parse_url(f"mysql://u:p@127.0.0.1:{port}/ps"))
    report = run_doctor(target, connect_timeout=2)
    assert not report.ok
    errors = [f for f in report.findings if f.severity is Severity.ERROR]
    assert len(errors) == 1
    assert errors[0].message == f"Port {port} on 127.0.0.1 is closed."
