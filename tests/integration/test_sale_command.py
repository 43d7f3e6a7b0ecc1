"""``cash open|move|close``, ``sale`` and ``return`` end to end, in a subprocess.

Run through ``ui.launch`` (the console entry) and through ``python -m app.sale.commands``
(the same handlers without the rest of the command line).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from app.till.store import open_store
from tests.integration.test_checkout import fill_shop

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(params=["app.sale.commands", "ui.launch"])
def mostrador(request: pytest.FixtureRequest, tmp_path: Path):  # noqa: ANN201
    store = tmp_path / "till-T1.sqlite3"
    with open_store("T1", store) as till:
        fill_shop(till)
    env = {**os.environ, "MOSTRADOR_HOME": str(tmp_path / "home"), "LANGUAGE": "en"}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", request.param, "--store", str(store), "--till", "T1"]
        return subprocess.run(
            [*command, *args],
            check=False,
            capture_output=True,
            text=True,
            env=env,
            cwd=ROOT,
            timeout=60,
        )

    return run


def _ok(result: subprocess.CompletedProcess[str]) -> Any:
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def _sale_file(tmp_path: Path, spec: dict[str, Any]) -> str:
    path = tmp_path / "sale.json"
    path.write_text(json.dumps(spec), encoding="utf-8")
    return str(path)


SALE = {
    "lines": [
        {"ean13": "8400000000011", "quantity": 2},
        {"reference": "PAN-M", "quantity": 1, "discount_percent": "10"},
    ],
    "customer": {"email": "ana.pro@example.com"},
    "payments": [{"method": "cash", "amount": "50.00"}, {"method": "card", "amount": "1.00"}],
}


def test_a_day_at_the_till_from_the_command_line(mostrador: Any, tmp_path: Path) -> None:
    opened = _ok(mostrador("cash", "open", "--float", "100", "--employee", "2"))
    assert opened["float"] == "100.00" and opened["state"] == "open"
    sale = _ok(mostrador("sale", "--file", _sale_file(tmp_path, SALE), "--employee", "2"))
    # group 4 takes 5 %: 2 × 12,10 × 0,95 = 22,99 + 26,62 × 0,95 × 0,9 = 22,76 → 45,75
    assert sale["ticket"] == f"T1-{datetime.now().year}-000001"
    assert (sale["total"], sale["change"]) == ("45.75", "5.25")
    assert [line["name"] for line in sale["lines"]] == ["Camiseta básica", "Pantalón (Talla: M)"]
    assert [line["total"] for line in sale["lines"]] == ["22.99", "22.76"]
    assert [(t["rate"], t["base"], t["quota"]) for t in sale["taxes"]] == [
        ("21.000000", "37.81", "7.94")
    ]
    back = _ok(mostrador("return", "--ticket", sale["ticket"], "--line", "1", "--quantity", "1",
                         "--method", "cash"))  # fmt: skip
    assert back["ticket"] == f"T1-R-{datetime.now().year}-000001" and back["total"] == "11.50"
    _ok(mostrador("cash", "move", "--out", "20", "--reason", "Banco"))
    z = _ok(mostrador("cash", "close", "--counted", "114.00"))
    # 100 + 44,75 cash kept − 11,50 refunded − 20 out = 113,25 expected
    assert (z["expected"], z["counted"], z["difference"]) == ("113.25", "114.00", "0.75")
    assert z["sales"]["count"] == 1 and z["refunds"]["total_tax_incl"] == "11.50"


def test_bad_input_exits_2_with_the_reason(mostrador: Any, tmp_path: Path) -> None:
    _ok(mostrador("cash", "open", "--float", "0"))
    unknown = {**SALE, "lines": [{"ean13": "0000000000000", "quantity": 1}]}
    result = mostrador("sale", "--file", _sale_file(tmp_path, unknown))
    assert result.returncode == 2 and "no product with ean13 0000000000000" in result.stderr
    short = {**SALE, "payments": [{"method": "card", "amount": "40.00"}]}
    result = mostrador("sale", "--file", _sale_file(tmp_path, short))
    assert result.returncode == 2 and "missing" in result.stderr
    result = mostrador("sale", "--file", str(tmp_path / "nowhere.json"))
    assert result.returncode == 2 and "Cannot read" in result.stderr
    result = mostrador("return", "--ticket", "T1-2020-000042")
    assert result.returncode == 2 and "There is no ticket T1-2020-000042" in result.stderr
    result = mostrador("cash", "open", "--float", "abc")
    assert result.returncode == 2 and "not an amount" in result.stderr
