"""A small receiver of problem reports, for the vendor side and for tests.

::

    python -m app.bugreport.receiver --dir reports/ --port 8765 [--stop-automatic 0.1.0]

Each report is stored once, by its id, in ``DIR/<id>/``: ``body.multipart`` (the bytes as
received), ``report.json``, ``log.txt``, ``screenshot.png`` when there is one, and
``received.json`` (when, and the request's version headers). A report posted again is answered
200 and not stored twice. It listens on 127.0.0.1 unless told otherwise: put it behind an
HTTPS reverse proxy to receive reports from tills.
"""

from __future__ import annotations

import argparse
import base64
import email.parser
import email.policy
import json
import logging
import os
import re
import shutil
import socketserver
import sys
import tempfile
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

logger = logging.getLogger(__name__)

MAX_BODY = 20_000_000
_ID = re.compile(r"^[0-9a-f]{32}$")
StartResponse = Callable[..., Any]
Environ = dict[str, Any]


class BadReport(Exception):
    def __init__(self, status: str, message: str) -> None:
        super().__init__(message)
        self.status = status


class ReportReceiver:
    """The WSGI application: ``POST`` a report to any path; ``GET /health`` answers ok."""

    def __init__(self, directory: Path, stop_automatic: Iterable[str] = ()) -> None:
        self.directory = directory
        self.stop_automatic = set(stop_automatic)
        directory.mkdir(parents=True, exist_ok=True)

    def __call__(self, environ: Environ, start_response: StartResponse) -> list[bytes]:
        method = environ.get("REQUEST_METHOD", "GET")
        if method == "GET" and environ.get("PATH_INFO", "") == "/health":
            return _reply(start_response, "200 OK", {"status": "ok"})
        if method != "POST":
            return _reply(start_response, "405 Method Not Allowed", {"error": "POST a report"})
        try:
            report_id, stored = self.receive(environ)
        except BadReport as exc:
            return _reply(start_response, exc.status, {"error": str(exc)})
        answer: dict[str, Any] = {"id": report_id, "stored": stored}
        version = environ.get("HTTP_MOSTRADOR_VERSION", "")
        if version in self.stop_automatic:
            answer["stop_automatic"] = True
        return _reply(start_response, "201 Created" if stored else "200 OK", answer)

    def receive(self, environ: Environ) -> tuple[str, bool]:
        """Store the posted report; returns its id and False when it was already stored."""
        body = _read_body(environ)
        parts = parse_multipart(environ.get("CONTENT_TYPE", ""), body)
        if "report" not in parts:
            raise BadReport("400 Bad Request", "no report part")
        try:
            fields = json.loads(parts["report"])
        except ValueError as exc:
            raise BadReport("400 Bad Request", "the report part is not JSON") from exc
        report_id = str(fields.get("report_id", "")) if isinstance(fields, dict) else ""
        key = environ.get("HTTP_IDEMPOTENCY_KEY", report_id)
        if not _ID.match(report_id) or key != report_id:
            raise BadReport("400 Bad Request", "missing or inconsistent report id")
        received = {
            "received_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "version": environ.get("HTTP_MOSTRADOR_VERSION", ""),
            "kind": environ.get("HTTP_MOSTRADOR_REPORT_KIND", ""),
        }
        return report_id, self._store(report_id, body, parts, received)

    def _store(
        self, report_id: str, body: bytes, parts: dict[str, bytes], received: dict[str, str]
    ) -> bool:
        target = self.directory / report_id
        if target.exists():
            return False
        tmp = Path(tempfile.mkdtemp(prefix=f".{report_id}.", dir=self.directory))
        (tmp / "body.multipart").write_bytes(body)
        (tmp / "report.json").write_bytes(parts["report"])
        (tmp / "received.json").write_text(json.dumps(received, indent=1), encoding="utf-8")
        if "log" in parts:
            (tmp / "log.txt").write_bytes(parts["log"])
        if "screenshot_png_base64" in parts:
            (tmp / "screenshot.png").write_bytes(base64.b64decode(parts["screenshot_png_base64"]))
        try:
            os.rename(tmp, target)  # atomic; fails when the same report won a race
        except OSError:
            shutil.rmtree(tmp, ignore_errors=True)
            return False
        logger.info("report %s stored", report_id)
        return True


def _read_body(environ: Environ) -> bytes:
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError as exc:
        raise BadReport("400 Bad Request", "bad Content-Length") from exc
    if length > MAX_BODY:
        raise BadReport("413 Content Too Large", "report too large")
    data: bytes = environ["wsgi.input"].read(length)
    return data


def parse_multipart(content_type: str, body: bytes) -> dict[str, bytes]:
    """The parts of a ``multipart/form-data`` body, by name."""
    if not content_type.startswith("multipart/form-data"):
        raise BadReport("415 Unsupported Media Type", "multipart/form-data expected")
    head = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode("latin-1")
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + body)
    if not isinstance(message, EmailMessage) or not message.is_multipart():
        raise BadReport("400 Bad Request", "not a multipart body")
    parts: dict[str, bytes] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        payload = part.get_payload(decode=True)
        if isinstance(name, str) and isinstance(payload, bytes):
            parts[name] = payload
    return parts


def _reply(start_response: StartResponse, status: str, data: dict[str, Any]) -> list[bytes]:
    payload = json.dumps(data).encode("utf-8")
    start_response(
        status, [("Content-Type", "application/json"), ("Content-Length", str(len(payload)))]
    )
    return [payload]


class ThreadingWSGIServer(socketserver.ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        logger.info("%s %s", self.address_string(), format % args)


def make_receiver_server(
    directory: Path, host: str = "127.0.0.1", port: int = 0, stop_automatic: Iterable[str] = ()
) -> WSGIServer:
    """A threaded server for :class:`ReportReceiver` (port 0: any free one)."""
    return make_server(
        host,
        port,
        ReportReceiver(directory, stop_automatic),
        server_class=ThreadingWSGIServer,
        handler_class=_QuietHandler,
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Receive Mostrador problem reports.")
    parser.add_argument("--dir", type=Path, required=True, help="folder to store reports in")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument(
        "--stop-automatic", action="append", default=[], metavar="VERSION",
        help="ask this version to stop sending automatic reports (repeatable)",
    )  # fmt: skip
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    with make_receiver_server(args.dir, args.host, args.port, args.stop_automatic) as server:
        print(f"Receiving reports on http://{args.host}:{server.server_port}/ into {args.dir}")
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            return 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
