"""``mostrador print``: a ticket recorded in a real till store, printed to a file."""

from __future__ import annotations

import argparse
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from app.till.cash_drawer import open_cash_session
from app.till.store import open_store
from app.till.tickets import record_sale
from printing.commands import add_print_parser, run_print
from printing.sample import sample_shop, sample_ticket
from tests.support.escpos_reader import read


def test_print_command_prints_a_recorded_ticket(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = open_store("T1", tmp_path / "till.sqlite")
    try:
        open_cash_session(store, Decimal("100.00"), employee=2)
        ticket = record_sale(store, replace(sample_ticket(), number=""))
        parser = argparse.ArgumentParser()
        add_print_parser(parser.add_subparsers(dest="command"))
        out = tmp_path / "paper.bin"
        args = parser.parse_args(
            [
                "print",
                "--ticket",
                ticket.number,
                "--printer",
                f"file:{out}",
                "--width",
                "58",
                "--gift",
            ]
        )
        assert run_print(args, store, sample_shop()) == 0
        decoded = read(out.read_bytes())
        assert ticket.number in decoded.qr and "€" not in decoded.text
        missing = parser.parse_args(["print", "--ticket", "NOPE", "--printer", f"file:{out}"])
        assert run_print(missing, store) == 1
        assert "NOPE" in capsys.readouterr().err
    finally:
        store.close()
