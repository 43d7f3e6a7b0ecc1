"""Backends for real: a TCP printer on 127.0.0.1, a silent one, one out of paper, a file."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.errors import ConfigError
from printing.backends import PrinterSpec, Transport, parse_spec, print_document
from printing.document import Document
from printing.receipt import ReceiptOptions, build_receipt
from printing.sample import sample_shop, sample_ticket
from tests.support.escpos_reader import read

STATUS_OK, PAPER_OUT = 0x12, 0x72


class FakePrinter:
    """Answers ``DLE EOT n`` with ``status`` (or never, when ``silent``) and keeps what it gets."""

    def __init__(self, status: int = STATUS_OK, silent: bool = False) -> None:
        self.status, self.silent = status, silent
        self.received = bytearray()
        self.done = threading.Event()
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        conn, _addr = self.server.accept()
        with conn:
            if self.silent:
                self.done.wait(10)  # accepts, never reads, never answers
                return
            while chunk := conn.recv(65536):
                self.received += chunk
                for _ in range(chunk.count(b"\x10\x04")):
                    conn.sendall(bytes([self.status]))
        self.done.set()

    def close(self) -> None:
        self.done.set()
        self.thread.join(5)
        self.server.close()


@pytest.fixture
def document() -> Document:
    return build_receipt(sample_ticket(), sample_shop(), ReceiptOptions(width=48))


@pytest.fixture
def printer() -> Iterator[FakePrinter]:
    fake = FakePrinter()
    yield fake
    fake.close()


def test_network_print_reaches_the_printer(document: Document, printer: FakePrinter) -> None:
    result = print_document(document, f"tcp:127.0.0.1:{printer.port}", timeout=2)
    assert result.ok, result.message
    assert printer.done.wait(5)
    job = bytes(printer.received)
    assert job.startswith(b"\x10\x04\x01\x10\x04\x04\x1b@")  # status asked before the ticket
    decoded = read(job[6:])
    assert "T1-2026-000123" in decoded.text and decoded.cuts == ["full"]
    assert decoded.qr == ["T1-2026-000123"]


def test_silent_printer_gives_the_timeout_message(document: Document) -> None:
    fake = FakePrinter(silent=True)
    try:
        result = print_document(document, f"tcp:127.0.0.1:{fake.port}", timeout=0.5)
    finally:
        fake.close()
    assert not result.ok
    assert f"127.0.0.1:{fake.port}" in result.message and "did not answer" in result.message


def test_out_of_paper_is_reported(document: Document) -> None:
    fake = FakePrinter(status=PAPER_OUT)
    try:
        result = print_document(document, f"tcp:127.0.0.1:{fake.port}", timeout=2)
    finally:
        fake.close()
    assert not result.ok and "out of paper" in result.message


def test_printer_switched_off_is_reported(document: Document) -> None:
    with socket.create_server(("127.0.0.1", 0)) as probe:
        port = probe.getsockname()[1]
    result = print_document(document, f"tcp:127.0.0.1:{port}", timeout=1)
    assert not result.ok and "Cannot reach the printer" in result.message


def test_file_backend_and_bad_paths(document: Document, tmp_path: Path) -> None:
    target = tmp_path / "ticket.bin"
    assert print_document(document, f"file:{target}").ok
    assert "TOTAL" in read(target.read_bytes()).text
    missing = print_document(document, f"file:{tmp_path}/no/such/dir/x.bin")
    assert not missing.ok and "Cannot write to the printer" in missing.message


def test_usb_without_a_device_is_a_message_not_an_exception(document: Document) -> None:
    for spec in ("usb:04b8:0202", "serial:/dev/ttyNOPE", "win:EPSON TM-T20"):
        result = print_document(document, spec, timeout=0.5)
        assert not result.ok and result.message


@pytest.mark.parametrize(
    ("text", "spec"),
    [
        ("tcp:192.168.1.50", PrinterSpec(Transport.TCP, "192.168.1.50", 9100)),
        ("tcp:printer.local:9101", PrinterSpec(Transport.TCP, "printer.local", 9101)),
        ("usb:04b8:0e15", PrinterSpec(Transport.USB, "04b8:0e15", 9100, 0x04B8, 0x0E15)),
        ("serial:COM3", PrinterSpec(Transport.SERIAL, "COM3")),
        ("win:EPSON TM-T20II Receipt", PrinterSpec(Transport.WIN, "EPSON TM-T20II Receipt")),
        ("file:/dev/usb/lp0", PrinterSpec(Transport.FILE, "/dev/usb/lp0")),
    ],
)
def test_parse_spec(text: str, spec: PrinterSpec) -> None:
    assert parse_spec(text) == spec


@pytest.mark.parametrize("text", ["", "lpt:1", "tcp:", "tcp:host:port", "usb:zz:01", "file:"])
def test_bad_specs(text: str, document: Document) -> None:
    with pytest.raises(ConfigError):
        parse_spec(text)
    assert not print_document(document, text).ok
