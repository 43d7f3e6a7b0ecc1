"""``mostrador doctor`` against real MariaDB servers holding PrestaShop schemas."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from app.cli import main
from app.connection import ShopTarget, parse_url
from app.doctor import DoctorReport, Severity, run_doctor
from app.i18n import set_language

MARIADB_VERSIONS = ["1.7.8", "8.0", "9.0"]


def _errors(report: DoctorReport) -> list[str]:
    return [f.message for f in report.findings if f.severity is Severity.ERROR]


def _target(db: Any, prefix: str | None = None, password: str | None = None) -> ShopTarget:
    url = parse_url(db.url)
    if password is not None:
        url = url.set(password=password)
    return ShopTarget(url=url, prefix=prefix or db.prefix)


@pytest.mark.parametrize("demo_shop_db", MARIADB_VERSIONS + ["sqlite"], indirect=True)
def test_doctor_says_ok_on_each_supported_version(demo_shop_db: Any) -> None:
    report = run_doctor(_target(demo_shop_db))
    assert _errors(report) == []
    assert report.ok
    assert report.version is not None and report.version.startswith(demo_shop_db.version)
    assert report.latency_ms is not None and report.latency_ms < 1000


@pytest.fixture
def restore_language() -> Iterator[None]:
    yield
    set_language("en")


@pytest.mark.parametrize("demo_shop_db", ["8.0"], indirect=True)
@pytest.mark.usefixtures("restore_language")
def test_cli_exit_code_and_plain_words(
    demo_shop_db: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--language", "en", "--db", demo_shop_db.url, "doctor"]) == 0
    out = capsys.readouterr().out
    assert "Mostrador can work with this database" in out
    assert main(["--language", "es", "--db", demo_shop_db.url, "--prefix", "zz_", "doctor"]) == 1
    out = capsys.readouterr().out
    assert "zz_" in out and "ps_" in out


@pytest.mark.parametrize("demo_shop_db", ["8.0"], indirect=True)
def test_missing_column_is_named(demo_shop_db: Any) -> None:
    engine = create_engine(demo_shop_db.url)
    with engine.begin() as conn:
        conn.execute(text(f"ALTER TABLE {demo_shop_db.prefix}order_detail DROP COLUMN tax_rate"))
        conn.execute(
            text(f"ALTER TABLE {demo_shop_db.prefix}product_shop MODIFY price VARCHAR(32)")
        )
    engine.dispose()
    report = run_doctor(_target(demo_shop_db))
    errors = " | ".join(_errors(report))
    assert not report.ok
    assert "order_detail.tax_rate" in errors
    assert "product_shop.price" in errors


@pytest.mark.parametrize("demo_shop_db", ["8.0"], indirect=True)
def test_wrong_password_is_access_denied(demo_shop_db: Any) -> None:
    report = run_doctor(_target(demo_shop_db, password="not-the-password"))
    errors = _errors(report)
    assert len(errors) == 1
    assert errors[0].startswith("Access denied for")
    user = make_url(demo_shop_db.url).username
    assert f"'{user}'@" in errors[0]


@pytest.mark.parametrize("demo_shop_db", ["8.0"], indirect=True)
def test_wrong_prefix_lists_the_prefixes_found(demo_shop_db: Any) -> None:
    report = run_doctor(_target(demo_shop_db, prefix="tienda_"))
    errors = _errors(report)
    assert len(errors) == 1
    assert "tienda_" in errors[0]
    assert demo_shop_db.prefix in " ".join(f.hint for f in report.findings)


@pytest.mark.parametrize("demo_shop_db", ["8.0"], indirect=True)
def test_missing_database_is_named(demo_shop_db: Any) -> None:
    url = make_url(demo_shop_db.url).set(database="no_such_db")
    report = run_doctor(ShopTarget(url=url))
    assert _errors(report) == ["The database no_such_db does not exist on 127.0.0.1."]


@pytest.mark.parametrize("demo_shop_db", ["8.0"], indirect=True)
def test_unsupported_version_is_refused(demo_shop_db: Any) -> None:
    engine = create_engine(demo_shop_db.url)
    with engine.begin() as conn:
        conn.execute(
            text(
                f"UPDATE {demo_shop_db.prefix}configuration SET value = '1.6.1.24' "
                "WHERE name IN ('PS_VERSION_DB', 'PS_INSTALL_VERSION')"
            )
        )
    engine.dispose()
    report = run_doctor(_target(demo_shop_db))
    assert not report.ok
    assert any("1.6.1.24" in message for message in _errors(report))


@pytest.mark.parametrize("demo_shop_db", ["8.0"], indirect=True)
def test_latency_of_a_remote_hosting_is_measured(demo_shop_db: Any) -> None:
    from bench.latency_proxy import LatencyProxy

    url = make_url(demo_shop_db.url)
    with LatencyProxy(url.host or "127.0.0.1", url.port or 3306, delay_ms=40) as proxy:
        target = ShopTarget(url=url.set(port=proxy.port), prefix=demo_shop_db.prefix)
        report = run_doctor(target)
    assert report.ok, _errors(report)
    assert report.latency_ms is not None and 80 <= report.latency_ms < 400
