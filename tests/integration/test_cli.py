"""The ``mostrador`` command as support and scripts use it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parents[2]


def _mostrador(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "MOSTRADOR_HOME": str(home), "LANGUAGE": "en"}
    return subprocess.run(
        [sys.executable, "-m", "ui.launch", "--language", "en", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def test_demo_shop_command_builds_a_sqlite_shop(tmp_path: Path) -> None:
    db = tmp_path / "shop.sqlite3"
    result = _mostrador(
        "demo-shop",
        "--db",
        f"sqlite:///{db}",
        "--products",
        "25",
        "--orders",
        "10",
        home=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert "Demo shop built in" in result.stdout
    engine = create_engine(f"sqlite:///{db}")
    with engine.connect() as conn:
        products = conn.execute(text("SELECT COUNT(*) FROM ps_product")).scalar_one()
        orders = conn.execute(text("SELECT COUNT(*) FROM ps_orders")).scalar_one()
    engine.dispose()
    assert (products, orders) == (25, 10)
    doctor = _mostrador("--db", f"sqlite:///{db}", "doctor", home=tmp_path)
    assert doctor.returncode == 0, doctor.stdout + doctor.stderr
    assert "Mostrador can work with this database." in doctor.stdout


def test_doctor_without_a_database_says_what_to_do(tmp_path: Path) -> None:
    result = _mostrador("doctor", home=tmp_path)
    assert result.returncode == 2
    assert "--db URL" in result.stderr


def test_doctor_on_a_closed_port_exits_non_zero(tmp_path: Path) -> None:
    result = _mostrador("--db", "mysql://shop:pw@127.0.0.1:1/ps", "doctor", home=tmp_path)
    assert result.returncode == 1
    assert "Port 1 on 127.0.0.1 is closed." in result.stdout
    assert "pw@" not in result.stdout, "the password is never printed"
