"""Where the bytes go: a file or device, a network printer, USB, serial, the Windows spooler.

A printer is named by a spec string: ``file:PATH``, ``tcp:HOST[:PORT]`` (port 9100 by default),
``usb:VID:PID`` (hex), ``serial:PORT``, ``win:PRINTER NAME``. :func:`print_document` is what the
till calls after a sale is recorded, off the GUI thread: it never raises, it returns a
:class:`PrintResult` whose message, translated, says what to do (the sale stays done either way).

A network printer is asked for its status first (``DLE EOT``), so a printer that is switched off
behind a print server, out of paper or hung is reported before the ticket is lost in a buffer.
"""

from __future__ import annotations

import enum
import logging
import socket
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.errors import ConfigError
from app.i18n import _
from printing.document import Document
from printing.escpos_render import RenderOptions, render

logger = logging.getLogger(__name__)

DEFAULT_PORT = 9100
DEFAULT_TIMEOUT = 5.0
_STATUS_ONLINE = b"\x10\x04\x01"  # DLE EOT 1: printer status (bit 3: offline)
_STATUS_PAPER = b"\x10\x04\x04"  # DLE EOT 4: roll paper sensor (bits 5-6: paper end)


class Transport(enum.Enum):
    FILE = "file"
    TCP = "tcp"
    USB = "usb"
    SERIAL = "serial"
    WIN = "win"


@dataclass(frozen=True)
class PrinterSpec:
    transport: Transport
    target: str  # path, host, port name or printer name
    port: int = DEFAULT_PORT  # tcp only
    vendor_id: int = 0  # usb only
    product_id: int = 0  # usb only


@dataclass(frozen=True)
class PrintResult:
    ok: bool
    message: str


class PrinterProblem(Exception):
    """A printer failure described for the user (translated); caught by :func:`print_document`."""


def parse_spec(text: str) -> PrinterSpec:
    """The printer named by ``text``; :class:`ConfigError` when it is not a valid spec."""
    kind, _sep, rest = text.strip().partition(":")
    try:
        transport = Transport(kind.lower())
    except ValueError:
        raise _bad_spec(text) from None
    if not rest:
        raise _bad_spec(text)
    if transport is Transport.TCP:
        return _tcp_spec(text, rest)
    if transport is Transport.USB:
        return _usb_spec(text, rest)
    return PrinterSpec(transport, rest)


def _tcp_spec(text: str, rest: str) -> PrinterSpec:
    host, _sep, port = rest.rpartition(":") if ":" in rest else (rest, "", str(DEFAULT_PORT))
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise _bad_spec(text)
    return PrinterSpec(Transport.TCP, host.strip("[]"), port=int(port))


def _usb_spec(text: str, rest: str) -> PrinterSpec:
    vendor, _sep, product = rest.partition(":")
    try:
        return PrinterSpec(
            Transport.USB, rest, vendor_id=int(vendor, 16), product_id=int(product, 16)
        )
    except ValueError:
        raise _bad_spec(text) from None


def _bad_spec(text: str) -> ConfigError:
    return ConfigError(
        _("'{spec}' is not a printer.").format(spec=text),
        _("Use file:PATH, tcp:HOST:PORT, usb:VID:PID, serial:PORT or win:PRINTER NAME."),
    )


def print_document(
    document: Document,
    printer: str | PrinterSpec,
    options: RenderOptions | None = None,
    timeout: float = DEFAULT_TIMEOUT,
) -> PrintResult:
    """Render and send ``document``; never raises: failures come back as a result."""
    try:
        spec = parse_spec(printer) if isinstance(printer, str) else printer
        send(render(document, options), spec, timeout)
    except ConfigError as error:
        return PrintResult(False, str(error))
    except PrinterProblem as error:
        logger.warning("print failed: %s", error)
        return PrintResult(False, str(error))
    except Exception as error:  # a print must never break the sale (STYLE rule 11)
        logger.exception("print failed unexpectedly")
        return PrintResult(False, _("The ticket could not be printed: {error}").format(error=error))
    return PrintResult(True, _("Printed."))


def send(data: bytes, spec: PrinterSpec, timeout: float = DEFAULT_TIMEOUT) -> None:
    """Send ``data`` to the printer; :class:`PrinterProblem` with a translated message if not."""
    if spec.transport is Transport.FILE:
        _send_file(data, spec)
    elif spec.transport is Transport.TCP:
        _send_tcp(data, spec, timeout)
    else:
        _send_escpos(data, spec, timeout)


def _send_file(data: bytes, spec: PrinterSpec) -> None:
    try:
        with Path(spec.target).open("ab") as out:
            out.write(data)
    except OSError as error:
        raise PrinterProblem(
            _("Cannot write to the printer {path}: {reason}").format(
                path=spec.target, reason=error.strerror or error
            )
        ) from error


def _send_tcp(data: bytes, spec: PrinterSpec, timeout: float) -> None:
    where = f"{spec.target}:{spec.port}"
    try:
        with socket.create_connection((spec.target, spec.port), timeout=timeout) as conn:
            conn.settimeout(timeout)
            check_status(conn, where)
            conn.sendall(data)
    except TimeoutError as error:
        raise PrinterProblem(
            _("The printer {where} did not answer in {seconds} s. Is it on and ready?").format(
                where=where, seconds=f"{timeout:g}"
            )
        ) from error
    except OSError as error:
        raise PrinterProblem(
            _("Cannot reach the printer {where}: {reason}. Is it on and connected?").format(
                where=where, reason=error.strerror or error
            )
        ) from error


def check_status(conn: socket.socket, where: str) -> None:
    """Ask the printer whether it is online and has paper (ESC/POS real-time status)."""
    if _ask(conn, _STATUS_ONLINE) & 0x08:
        raise PrinterProblem(
            _("The printer {where} is offline (cover open or paper out).").format(where=where)
        )
    if _ask(conn, _STATUS_PAPER) & 0x60:
        raise PrinterProblem(_("The printer {where} is out of paper.").format(where=where))


def _ask(conn: socket.socket, request: bytes) -> int:
    conn.sendall(request)
    answer = conn.recv(1)
    if not answer:
        raise ConnectionResetError(0, _("the connection was closed"))
    return answer[0]


def _send_escpos(data: bytes, spec: PrinterSpec, timeout: float) -> None:
    """USB, serial and Windows spooler through python-escpos's printer classes."""
    printer = _escpos_printer(spec, timeout)
    try:
        printer.open()
        printer._raw(data)
    except Exception as error:
        raise PrinterProblem(
            _("The printer {printer} did not take the ticket: {reason}").format(
                printer=spec.target, reason=error
            )
        ) from error
    finally:
        _close_quietly(printer)


_DRIVER_LIBRARY = {Transport.USB: "pyusb", Transport.SERIAL: "pyserial", Transport.WIN: "pywin32"}


def _escpos_printer(spec: PrinterSpec, timeout: float) -> Any:
    from escpos import printer as escpos_printer

    kind = {
        Transport.USB: escpos_printer.Usb,
        Transport.SERIAL: escpos_printer.Serial,
        Transport.WIN: escpos_printer.Win32Raw,
    }[spec.transport]
    if not kind.is_usable():  # its driver library is missing (or it is not Windows)
        raise PrinterProblem(
            _("This computer cannot use {kind} printers ({library} is not installed).").format(
                kind=spec.transport.value, library=_DRIVER_LIBRARY[spec.transport]
            )
        )
    if spec.transport is Transport.USB:
        return kind(spec.vendor_id, spec.product_id, timeout=int(timeout * 1000))
    if spec.transport is Transport.SERIAL:
        return kind(devfile=spec.target, timeout=timeout)
    return kind(spec.target)


def _close_quietly(printer: Any) -> None:
    try:
        printer.close()
    except Exception:  # closing a failed device must not hide the first error
        logger.debug("closing the printer failed", exc_info=True)
