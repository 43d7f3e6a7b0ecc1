"""A local HTTPS server on 127.0.0.1 playing the AEAT's VERI*FACTU service, for the tests.

Certificates are made with ``cryptography``: a CA, the server's certificate for 127.0.0.1 and
the shop's client certificate as a .p12. The server requires a client certificate signed by the
CA (mutual TLS), keeps every message it receives and answers what the test scripted.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import ssl
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

Responder = Callable[[bytes], tuple[int, bytes]]


@dataclass
class Pki:
    ca: Path
    server_cert: Path
    server_key: Path
    client_p12: Path
    password: str


def _name(common: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common)])


def _cert(
    subject: str, key: ec.EllipticCurvePrivateKey, issuer: tuple[str, ec.EllipticCurvePrivateKey]
) -> x509.CertificateBuilder:
    now = dt.datetime.now(dt.UTC)
    return (
        x509.CertificateBuilder()
        .subject_name(_name(subject))
        .issuer_name(_name(issuer[0]))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
    )


def make_pki(folder: Path, password: str = "secreto") -> Pki:
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = (
        _cert("Test AEAT CA", ca_key, ("Test AEAT CA", ca_key))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    server_key = ec.generate_private_key(ec.SECP256R1())
    server = (
        _cert("127.0.0.1", server_key, ("Test AEAT CA", ca_key))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .sign(ca_key, hashes.SHA256())
    )
    client_key = ec.generate_private_key(ec.SECP256R1())
    client = _cert("89890001K TIENDA DEMO", client_key, ("Test AEAT CA", ca_key)).sign(
        ca_key, hashes.SHA256()
    )
    pem = serialization.Encoding.PEM
    pki = Pki(
        folder / "ca.pem",
        folder / "server.pem",
        folder / "server.key",
        folder / "shop.p12",
        password,
    )
    pki.ca.write_bytes(ca.public_bytes(pem))
    pki.server_cert.write_bytes(server.public_bytes(pem))
    pki.server_key.write_bytes(
        server_key.private_bytes(
            pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    pki.client_p12.write_bytes(
        pkcs12.serialize_key_and_certificates(
            b"shop",
            client_key,
            client,
            None,
            serialization.BestAvailableEncryption(password.encode()),
        )
    )
    return pki


@dataclass
class FakeAeat:
    url: str
    received: list[bytes] = field(default_factory=list)
    client_subjects: list[str] = field(default_factory=list)
    responder: Responder = lambda _body: (200, b"")


@contextmanager
def fake_aeat(pki: Pki) -> Iterator[FakeAeat]:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(pki.server_cert, pki.server_key)
    context.load_verify_locations(pki.ca)
    context.verify_mode = ssl.CERT_REQUIRED  # no client certificate, no connection
    state = FakeAeat(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (http.server's name)
            body = self.rfile.read(int(self.headers["Content-Length"]))
            state.received.append(body)
            peer = self.connection.getpeercert()  # type: ignore[attr-defined]
            state.client_subjects.append(str(peer.get("subject")) if peer else "")
            status, reply = state.responder(body)
            self.send_response(status)
            self.send_header("Content-Type", "text/xml; charset=utf-8")
            self.send_header("Content-Length", str(len(reply)))
            self.end_headers()
            self.wfile.write(reply)

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    state.url = f"https://127.0.0.1:{server.server_address[1]}/wlpl/TIKE-CONT/ws/VerifactuSOAP"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
