"""The wizard's live connection check against a real MariaDB: each failure its own message."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.engine import make_url

from app.doctor import Severity
from app.setup.checks import ServerCheck, check_server
from app.setup.form import ConnectionForm, Credentials
from tests.support.mariadb import MariaDBServer, free_port

pytestmark = pytest.mark.parametrize("demo_shop_db", ["8.0"], indirect=True)


def form_and_creds(db: Any, **changes: Any) -> tuple[ConnectionForm, Credentials]:
    url = make_url(db.url)
    password = changes.pop("password", url.password or "")
    values: dict[str, Any] = {
        "host": url.host or "",
        "port": url.port or 3306,
        "database": url.database or "",
        "user": url.username or "",
    }
    values.update(changes)
    return ConnectionForm(**values), Credentials(password=password)


def errors(check: ServerCheck) -> list[str]:
    return [f.message for f in check.findings if f.severity is Severity.ERROR]


def test_a_good_connection_ticks_every_line_and_detects_the_prefix(demo_shop_db: Any) -> None:
    check = check_server(*form_and_creds(demo_shop_db))
    assert check.ok, errors(check)
    assert check.prefix == "ps_" and check.prefixes == ("ps_",)
    assert check.version is not None and check.version.startswith("8.0")
    assert any(f.message == "Logged in to the database." for f in check.findings)


def _grant_user(server: MariaDBServer, name: str, grant: str | None, database: str) -> None:
    with server.connection() as conn, conn.cursor() as cur:
        cur.execute(f"DROP USER IF EXISTS '{name}'@'%'")
        cur.execute(f"CREATE USER '{name}'@'%' IDENTIFIED BY 'pw-{name}'")
        if grant:
            cur.execute(f"GRANT {grant} ON `{database}`.* TO '{name}'@'%'")


def failure_cases(db: Any, server: MariaDBServer) -> dict[str, tuple[ConnectionForm, Credentials]]:
    database = make_url(db.url).database or ""
    empty = server.create_database("setup_no_prestashop")
    _grant_user(server, "only_select", "SELECT", database)
    _grant_user(server, "no_grants", None, database)
    return {
        "wrong password": form_and_creds(db, password="not-the-password"),
        "wrong host": form_and_creds(db, host="no-such-host.invalid"),
        "closed port": form_and_creds(db, port=free_port()),
        "wrong database": form_and_creds(db, database="no_such_db"),
        "no PrestaShop tables": form_and_creds(db, database=empty),
        "missing privileges": form_and_creds(db, user="only_select", password="pw-only_select"),
        "no access at all": form_and_creds(db, user="no_grants", password="pw-no_grants"),
    }


EXPECTED = {
    "wrong password": "Access denied for 'mostrador'@",
    "wrong host": "The server no-such-host.invalid was not found.",
    "closed port": "Port ",
    "wrong database": "The database no_such_db does not exist on 127.0.0.1.",
    "no PrestaShop tables": "There are no PrestaShop tables with the prefix ps_ in",
    "missing privileges": "The database user lacks these privileges on",
    "no access at all": "The user 'no_grants'@",
}


def test_each_failure_has_its_own_message(demo_shop_db: Any, mariadb: MariaDBServer) -> None:
    messages = {}
    for case, (form, creds) in failure_cases(demo_shop_db, mariadb).items():
        check = check_server(form, creds)
        assert not check.ok, case
        first = errors(check)[0]
        assert first.startswith(EXPECTED[case]), (case, first)
        messages[case] = first
    assert len(set(messages.values())) == len(messages)
    mariadb.drop_database("setup_no_prestashop")


def test_a_closed_port_explains_remote_access_in_cpanel_and_plesk(demo_shop_db: Any) -> None:
    check = check_server(*form_and_creds(demo_shop_db, port=free_port()))
    hints = " ".join(f.hint for f in check.findings)
    assert "cPanel" in hints and "Plesk" in hints and "SSH tunnel" in hints


def test_missing_privileges_name_what_to_grant(demo_shop_db: Any, mariadb: MariaDBServer) -> None:
    database = make_url(demo_shop_db.url).database or ""
    _grant_user(mariadb, "only_select", "SELECT", database)
    form, creds = form_and_creds(demo_shop_db, user="only_select", password="pw-only_select")
    message = errors(check_server(form, creds))[0]
    assert "INSERT, UPDATE, DELETE" in message
