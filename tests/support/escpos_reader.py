"""A small ESC/POS reader for the tests: bytes back into what the paper would show.

It understands the commands Mostrador sends (and refuses any other, so a surprise in the bytes
fails a test): reset, code page, alignment, bold, print mode, feed, cut, drawer kick, QR
(``GS ( k``) and CODE128 (``GS k``). Text is decoded with the code page selected by ``ESC t``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

ESC, GS, LF = 0x1B, 0x1D, 0x0A
TABLES = {0: "cp437", 2: "cp850", 16: "cp1252", 19: "cp858", 40: "iso8859_15"}
ALIGN = {0: "left", 1: "center", 2: "right"}


@dataclass(frozen=True)
class PrintedLine:
    text: str
    align: str
    bold: bool
    double: bool


@dataclass(frozen=True)
class Pulse:
    pin: int
    on_ms: int
    off_ms: int


@dataclass
class Decoded:
    lines: list[PrintedLine] = field(default_factory=list)
    cuts: list[str] = field(default_factory=list)  # "full" / "partial"
    pulses: list[Pulse] = field(default_factory=list)
    qr: list[str] = field(default_factory=list)
    qr_error_correction: list[str] = field(default_factory=list)
    barcodes: list[str] = field(default_factory=list)
    code_pages: list[str] = field(default_factory=list)
    events: list[str] = field(default_factory=list)  # "text", "cut", "pulse", "qr" in order

    @property
    def texts(self) -> list[str]:
        return [line.text for line in self.lines]

    @property
    def text(self) -> str:
        return "\n".join(self.texts)


class UnknownCommand(AssertionError):
    pass


@dataclass
class _State:
    codec: str = "cp437"
    align: str = "left"
    bold: bool = False
    double: bool = False
    buffer: bytearray = field(default_factory=bytearray)


def read(data: bytes) -> Decoded:
    """Decode ``data``; raises :class:`UnknownCommand` on a command it does not know."""
    out, state, i = Decoded(), _State(), 0
    while i < len(data):
        byte = data[i]
        if byte == ESC:
            i = _esc(data, i, state, out)
        elif byte == GS:
            i = _gs(data, i, state, out)
        elif byte == LF:
            _flush(state, out)
            i += 1
        elif byte < 0x20:
            raise UnknownCommand(f"control byte {byte:#04x} at {i}")
        else:
            state.buffer.append(byte)
            i += 1
    if state.buffer:
        _flush(state, out)
    return out


def _flush(state: _State, out: Decoded) -> None:
    text = bytes(state.buffer).decode(state.codec)
    out.lines.append(PrintedLine(text, state.align, state.bold, state.double))
    out.events.append("text")
    state.buffer.clear()


def _esc(data: bytes, i: int, state: _State, out: Decoded) -> int:
    command, arg = chr(data[i + 1]), data[i + 2] if i + 2 < len(data) else 0
    if command == "@":
        state.codec, state.align, state.bold, state.double = "cp437", "left", False, False
        return i + 2
    if command == "t":
        state.codec = TABLES[arg]
        out.code_pages.append(state.codec)
    elif command == "a":
        state.align = ALIGN[arg]
    elif command == "E":
        state.bold = bool(arg)
    elif command == "!":
        state.bold, state.double = bool(arg & 0x08), arg & 0x30 == 0x30
    elif command == "d":
        out.lines.extend(PrintedLine("", state.align, False, False) for _ in range(arg))
    elif command == "p":
        pin = 2 if data[i + 2] in (0, 48) else 5
        out.pulses.append(Pulse(pin, data[i + 3] * 2, data[i + 4] * 2))
        out.events.append("pulse")
        return i + 5
    else:
        raise UnknownCommand(f"ESC {command!r} at {i}")
    return i + 3


def _gs(data: bytes, i: int, state: _State, out: Decoded) -> int:
    command = chr(data[i + 1])
    if command == "V":
        out.cuts.append("full" if data[i + 2] in (0, 48) else "partial")
        out.events.append("cut")
        return i + 3
    if command in "hwH":
        return i + 3
    if command == "k":
        length = data[i + 3]
        payload = data[i + 4 : i + 4 + length].decode("ascii")
        out.barcodes.append(payload.removeprefix("{B"))
        out.events.append("barcode")
        return i + 4 + length
    if command == "(" and chr(data[i + 2]) == "k":
        return _qr(data, i, out)
    raise UnknownCommand(f"GS {command!r} at {i}")


def _qr(data: bytes, i: int, out: Decoded) -> int:
    length = data[i + 3] + 256 * data[i + 4]
    body = data[i + 5 : i + 5 + length]  # cn fn [m] data
    function = body[1]
    if function == 69:
        out.qr_error_correction.append("LMQH"[body[2] - 48])
    elif function == 80:
        out.qr.append(body[3:].decode("utf-8"))
        out.events.append("qr")
    return i + 5 + length
