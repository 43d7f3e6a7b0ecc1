"""Where the bytes go: a file or device, a network printer, USB, serial, the Windows spooler.

A printer is named by a spec string: ``file:PATH``, ``tcp:HOST[:PORT]`` (port 9100 by default),
``usb:VID:PID`` (hex), ``serial:PORT[:BAUD]`` (9600 baud by default), ``win:PRINTER NAME`` (the
Windows spooler in RAW mode, Windows only). :func:`print_document` is what the
till calls after a sale is recorded, off the GUI thread: it never raises, it returns a
:class:`PrintResult` whose message, translated, says what to do (the sale stays done either way).

A network printer is asked for its status first (``DLE EOT``), so a printer that is switched off
behind a print server, out of paper or hung is reported before the ticket is lost in a buffer
(unless ``status_check`` is off: some print servers never answer it). USB, serial and Windows
printers go through python-escpos's classes; a missing driver library, device or port is a
message naming what to check, never an exception.
"""

from __future__ import annotations

import enum
import importlib
import logging
import socket
import sys
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
DEFAULT_BAUDRATE = 9600
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
    baudrate: int = DEFAULT_BAUDRATE  # serial only


@dataclass(frozen=True)
class PrintResult:
    ok: bool
    message: str
    no_printer: bool = False  # nothing was tried: this till has no ticket printer set up


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
    if transport is Transport.SERIAL:
        return _serial_spec(rest)
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


def _serial_spec(rest: str) -> PrinterSpec:
    """``PORT`` or ``PORT:BAUD`` (``COM3:19200``, ``/dev/ttyUSB0:38400``)."""
    port, _sep, baud = rest.rpartition(":")
    if port and baud.isdigit() and int(baud) > 0:
        return PrinterSpec(Transport.SERIAL, port, baudrate=int(baud))
    return PrinterSpec(Transport.SERIAL, rest)


def _bad_spec(text: str) -> ConfigError:
    return ConfigError(
        _("'{spec}' is not a printer.").format(spec=text),
        _("Use file:PATH, tcp:HOST:PORT, usb:VID:PID, serial:PORT[:BAUD] or win:PRINTER NAME."),
    )


def print_document(
    document: Document,
    printer: str | PrinterSpec,
    options: RenderOptions | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    *,
    status_check: bool = True,
) -> PrintResult:
    """Render and send ``document``; never raises: failures come back as a result.

    ``status_check`` asks a network printer whether it is online and has paper first; switch it
    off for a print server or printer that does not answer ``DLE EOT``.
    """
    try:
        spec = parse_spec(printer) if isinstance(printer, str) else printer
        send(render(document, options), spec, timeout, status_check=status_check)
    except ConfigError as error:
        return PrintResult(False, str(error))
    except PrinterProblem as error:
        logger.warning("print failed: %s", error)
        return PrintResult(False, str(error))
    except Exception as error:  # a print must never break the sale (STYLE rule 11)
        logger.exception("print failed unexpectedly")
        return PrintResult(False, _("The ticket could not be printed: {error}").format(error=error))
    return PrintResult(True, _("Printed."))


def send(
    data: bytes, spec: PrinterSpec, timeout: float = DEFAULT_TIMEOUT, *, status_check: bool = True
) -> None:
    """Send ``data`` to the printer; :class:`PrinterProblem` with a translated message if not."""
    if spec.transport is Transport.FILE:
        _send_file(data, spec)
    elif spec.transport is Transport.TCP:
        _send_tcp(data, spec, timeout, status_check)
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


def _send_tcp(data: bytes, spec: PrinterSpec, timeout: float, status_check: bool) -> None:
    where = f"{spec.target}:{spec.port}"
    try:
        with socket.create_connection((spec.target, spec.port), timeout=timeout) as conn:
            conn.settimeout(timeout)
            if status_check:
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
        _open(printer, spec, timeout)
        printer._raw(data)
    except PrinterProblem:
        raise
    except Exception as error:
        raise PrinterProblem(
            _("The printer {printer} did not take the ticket: {reason}").format(
                printer=spec.target, reason=_reason(error)
            )
        ) from error
    finally:
        _close_quietly(printer)


_DRIVER_LIBRARY = {Transport.USB: "pyusb", Transport.SERIAL: "pyserial", Transport.WIN: "pywin32"}


def _escpos_printer(spec: PrinterSpec, timeout: float) -> Any:
    if spec.transport is Transport.WIN and sys.platform != "win32":
        raise PrinterProblem(
            _("Windows printers (win:{name}) can be used only on Windows.").format(name=spec.target)
        )
    from escpos import printer as escpos_printer

    kind = {
        Transport.USB: escpos_printer.Usb,
        Transport.SERIAL: escpos_printer.Serial,
        Transport.WIN: escpos_printer.Win32Raw,
    }[spec.transport]
    if not kind.is_usable():  # its driver library is missing
        raise PrinterProblem(
            _("This computer cannot use {kind} printers ({library} is not installed).").format(
                kind=spec.transport.value, library=_DRIVER_LIBRARY[spec.transport]
            )
        )
    if spec.transport is Transport.USB:
        return kind(spec.vendor_id, spec.product_id, timeout=max(int(timeout * 1000), 1))
    if spec.transport is Transport.SERIAL:
        return kind(devfile=spec.target, baudrate=spec.baudrate, timeout=timeout)
    return kind(spec.target)


def _open(printer: Any, spec: PrinterSpec, timeout: float) -> None:
    """Open the device; a missing one is a :class:`PrinterProblem` saying what to check."""
    from escpos.exceptions import DeviceNotFoundError

    try:
        printer.open()
    except DeviceNotFoundError as error:
        raise PrinterProblem(_not_found(spec)) from error
    except ValueError as error:  # pyusb's NoBackendError: libusb is not on this computer
        if spec.transport is Transport.USB:
            raise PrinterProblem(
                _("USB printers need the libusb library, which is not installed.")
            ) from error
        raise
    if spec.transport is Transport.SERIAL:
        # Without a write timeout a printer holding the line (hardware flow control) would
        # block the print thread for ever.
        printer.device.write_timeout = timeout


def _not_found(spec: PrinterSpec) -> str:
    if spec.transport is Transport.USB:
        return _(
            "No USB printer {id} is connected: check the cable and that it is switched on."
        ).format(id=f"{spec.vendor_id:04x}:{spec.product_id:04x}")
    if spec.transport is Transport.SERIAL:
        return _(
            "The serial port {port} cannot be opened: check the port name and the cable."
        ).format(port=spec.target)
    return _(
        'Windows has no printer called "{name}": check the name in the printer settings.'
    ).format(name=spec.target)


def _reason(error: BaseException) -> str:
    """An exception as a short reason: python-escpos errors keep theirs in ``msg``."""
    text = str(getattr(error, "msg", "") or error or type(error).__name__)
    return " ".join(text.split())


def _close_quietly(printer: Any) -> None:
    try:
        printer.close()
    except Exception:  # closing a failed device must not hide the first error
        logger.debug("closing the printer failed", exc_info=True)


def windows_printers() -> list[str]:
    """The printers Windows knows (for the settings screen); empty elsewhere."""
    if sys.platform != "win32":
        return []
    try:
        win32print: Any = importlib.import_module("win32print")
        flags = win32print.PRINTER_ENUM_LOCAL | win32print.PRINTER_ENUM_CONNECTIONS
        return sorted(str(p[2]) for p in win32print.EnumPrinters(flags))
    except Exception:  # pywin32 missing or the spooler not running: the name is typed
        logger.warning("cannot list the Windows printers", exc_info=True)
        return []


def serial_ports() -> list[str]:
    """The serial ports of this computer (for the settings screen)."""
    try:
        list_ports: Any = importlib.import_module("serial.tools.list_ports")
        return sorted(str(port.device) for port in list_ports.comports())
    except Exception:  # pyserial missing: the port is typed
        logger.warning("cannot list the serial ports", exc_info=True)
        return []
