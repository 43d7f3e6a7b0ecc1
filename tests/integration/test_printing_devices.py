"""USB, serial and Windows printers as far as Linux can test them, and the status check switch."""

from __future__ import annotations

import os
import socket
import sys
import threading
import time
import tty
from collections.abc import Iterator

import pytest

from printing.backends import PrinterSpec, Transport, parse_spec, print_document
from printing.document import Document
from printing.escpos_render import render
from printing.receipt import ReceiptOptions, build_receipt
from printing.sample import sample_shop, sample_ticket
from tests.support.escpos_reader import read


@pytest.fixture
def document() -> Document:
    return build_receipt(sample_ticket(), sample_shop(), ReceiptOptions(width=32))


class PtyPrinter:
    """The far end of a pseudo-terminal pair: a serial printer that keeps what it receives."""

    def __init__(self) -> None:
        self.master, self.slave = os.openpty()
        tty.setraw(self.slave)
        self.port = os.ttyname(self.slave)
        self.received = bytearray()
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self) -> None:
        os.set_blocking(self.master, False)
        while not self.stop.is_set():
            try:
                chunk = os.read(self.master, 65536)
            except BlockingIOError:
                self.stop.wait(0.01)
                continue
            except OSError:
                return
            self.received += chunk

    def wait_for(self, size: int, seconds: float = 5) -> bytes:
        deadline = time.monotonic() + seconds
        while len(self.received) < size and time.monotonic() < deadline:
            self.stop.wait(0.01)
        return bytes(self.received)

    def close(self) -> None:
        self.stop.set()
        self.thread.join(5)
        os.close(self.master)
        os.close(self.slave)


@pytest.fixture
def pty_printer() -> Iterator[PtyPrinter]:
    printer = PtyPrinter()
    yield printer
    printer.close()


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")
def test_serial_printer_receives_the_ticket(document: Document, pty_printer: PtyPrinter) -> None:
    result = print_document(document, f"serial:{pty_printer.port}:19200", timeout=2)
    assert result.ok, result.message
    expected = render(document)
    decoded = read(pty_printer.wait_for(len(expected)))
    assert "T1-2026-000123" in decoded.text and "TOTAL" in decoded.text
    assert decoded.qr == ["T1-2026-000123"] and decoded.cuts == ["full"]


def test_missing_serial_port_says_which(document: Document) -> None:
    result = print_document(document, "serial:/dev/ttyNOPE", timeout=0.5)
    assert not result.ok
    assert "/dev/ttyNOPE" in result.message and "cannot be opened" in result.message


def test_usb_printer_not_connected_says_what_to_check(document: Document) -> None:
    result = print_document(document, "usb:04b8:0202", timeout=0.5)
    assert not result.ok
    # With libusb on the computer the device is looked for; without it, that is what is said.
    assert ("04b8:0202" in result.message and "cable" in result.message) or (
        "libusb" in result.message
    ), result.message


@pytest.mark.skipif(sys.platform == "win32", reason="the spooler exists on Windows")
def test_windows_printer_elsewhere_is_refused_clearly(document: Document) -> None:
    result = print_document(document, "win:EPSON TM-T20II Receipt", timeout=0.5)
    assert (result.ok, result.message) == (
        False,
        "Windows printers (win:EPSON TM-T20II Receipt) can be used only on Windows.",
    )


@pytest.mark.parametrize(
    ("text", "spec"),
    [
        ("serial:COM3:19200", PrinterSpec(Transport.SERIAL, "COM3", baudrate=19200)),
        ("serial:/dev/ttyUSB0", PrinterSpec(Transport.SERIAL, "/dev/ttyUSB0", baudrate=9600)),
        ("win:POS-80 (copy 1)", PrinterSpec(Transport.WIN, "POS-80 (copy 1)")),
    ],
)
def test_serial_and_windows_specs(text: str, spec: PrinterSpec) -> None:
    assert parse_spec(text) == spec


class MutePrintServer:
    """A print server that takes the bytes but never answers the status request."""

    def __init__(self) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.received = bytearray()
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        conn, _addr = self.server.accept()
        with conn:
            while chunk := conn.recv(65536):
                self.received += chunk
        self.done.set()

    def close(self) -> None:
        self.server.close()
        self.thread.join(5)


def test_status_check_off_prints_to_a_server_that_never_answers(document: Document) -> None:
    server = MutePrintServer()
    try:
        spec = f"tcp:127.0.0.1:{server.port}"
        started = time.monotonic()
        checked = print_document(document, spec, timeout=0.5)
        assert not checked.ok and "did not answer in 0.5 s" in checked.message
        assert time.monotonic() - started < 3
    finally:
        server.close()
    server = MutePrintServer()
    try:
        result = print_document(document, f"tcp:127.0.0.1:{server.port}", status_check=False)
        assert result.ok, result.message
        assert server.done.wait(5)
        assert bytes(server.received).startswith(b"\x1b@")  # no DLE EOT before the ticket
        assert "TOTAL" in read(bytes(server.received)).text
    finally:
        server.close()
