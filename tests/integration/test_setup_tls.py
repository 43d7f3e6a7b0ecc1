"""TLS to a MariaDB server holding a self-signed certificate (a private CA made here)."""

from __future__ import annotations

import datetime
import ipaddress
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from sqlalchemy import text

from app.doctor import Severity
from app.setup.checks import ServerCheck, check_server
from app.setup.form import ConnectionForm, Credentials
from connectors.prestashop.engine import TlsOptions, make_engine, url_with_tls
from tests.support import mariadb as mdb

pytestmark = pytest.mark.mariadb


def _name(common: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common)])


def _write_key(key: ec.EllipticCurvePrivateKey, path: Path) -> None:
    path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.TraditionalOpenSSL,
            serialization.NoEncryption(),
        )
    )


def make_certificates(folder: Path, ca_name: str = "Mostrador test CA") -> dict[str, Path]:
    """A CA and a server certificate for 127.0.0.1 signed by it (PEM files)."""
    now = datetime.datetime.now(datetime.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = (
        x509.CertificateBuilder()
        .subject_name(_name(ca_name))
        .issuer_name(_name(ca_name))
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    san = x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))])
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name("127.0.0.1"))
        .issuer_name(ca.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .add_extension(san, critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    files = {"ca": folder / "ca.pem", "cert": folder / "server.pem", "key": folder / "key.pem"}
    files["ca"].write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    files["cert"].write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    _write_key(key, files["key"])
    return files


def start_tls_mariadb(base: Path, files: dict[str, Path]) -> mdb.MariaDBServer:
    mariadbd = mdb.find_binary("mariadbd") or mdb.find_binary("mysqld")
    if mariadbd is None:
        pytest.skip("MariaDB not available: mariadbd not found")
    datadir, sock, port = base / "data", base / "mysqld.sock", mdb.free_port()
    mdb.install_datadir(datadir)
    command = mdb.server_command(mariadbd, datadir, port, sock, 64) + [
        f"--ssl-ca={files['ca']}",
        f"--ssl-cert={files['cert']}",
        f"--ssl-key={files['key']}",
    ]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    server = mdb.MariaDBServer(
        "127.0.0.1", port, mdb.TEST_USER, mdb.TEST_PASSWORD, sock, datadir, process,
        datadir / "error.log",
    )  # fmt: skip
    try:
        mdb._wait_until_ready(server, mdb.START_TIMEOUT)
        mdb._create_users(server)
        with server.connection() as conn, conn.cursor() as cur:
            cur.execute("CREATE USER 'tls_only'@'%' IDENTIFIED BY 'tls-pw' REQUIRE SSL")
            cur.execute("GRANT ALL PRIVILEGES ON *.* TO 'tls_only'@'%'")
    except BaseException:
        server.stop()
        raise
    return server


@pytest.fixture(scope="module")
def tls_server() -> Iterator[tuple[mdb.MariaDBServer, dict[str, Path]]]:
    base = Path(tempfile.mkdtemp(prefix="mostrador-tls-"))
    files = make_certificates(base)
    server = start_tls_mariadb(base, files)
    server.create_database("shop")
    try:
        yield server, files
    finally:
        server.stop()
        shutil.rmtree(base, ignore_errors=True)


def _check(
    server: mdb.MariaDBServer, tls: TlsOptions | None, user: str = "tls_only"
) -> ServerCheck:
    form = ConnectionForm("127.0.0.1", "shop", user, server.port, "ps_", tls)
    return check_server(form, Credentials("tls-pw" if user == "tls_only" else server.password))


def _messages(check: ServerCheck, severity: Severity) -> list[str]:
    return [f.message for f in check.findings if f.severity is severity]


def test_tls_with_the_hostings_ca_is_verified_and_encrypted(
    tls_server: tuple[mdb.MariaDBServer, dict[str, Path]],
) -> None:
    server, files = tls_server
    check = _check(server, TlsOptions(str(files["ca"]), verify=True))
    oks = _messages(check, Severity.OK)
    assert "Logged in to the database." in oks
    assert any(m.startswith("The connection is encrypted (TLSv1.") for m in oks), oks
    # The database is empty: the only error left is the missing PrestaShop tables.
    assert [m for m in _messages(check, Severity.ERROR) if "PrestaShop tables" not in m] == []


def test_a_certificate_from_another_ca_is_refused(
    tls_server: tuple[mdb.MariaDBServer, dict[str, Path]], tmp_path: Path
) -> None:
    server, _files = tls_server
    other = make_certificates(tmp_path, "Someone else")
    check = _check(server, TlsOptions(str(other["ca"]), verify=True))
    errors = _messages(check, Severity.ERROR)
    assert errors and "certificate verify failed" in errors[0], errors


def test_without_checking_the_certificate_it_still_encrypts(
    tls_server: tuple[mdb.MariaDBServer, dict[str, Path]],
) -> None:
    server, _files = tls_server
    oks = _messages(_check(server, TlsOptions("", verify=False)), Severity.OK)
    assert any(m.startswith("The connection is encrypted (TLSv1.") for m in oks), oks


def test_the_system_cas_do_not_trust_a_self_signed_certificate(
    tls_server: tuple[mdb.MariaDBServer, dict[str, Path]],
) -> None:
    server, _files = tls_server
    errors = _messages(_check(server, TlsOptions("", verify=True)), Severity.ERROR)
    assert errors and "certificate verify failed" in errors[0], errors


def test_the_settings_url_alone_opens_with_tls(
    tls_server: tuple[mdb.MariaDBServer, dict[str, Path]],
) -> None:
    server, files = tls_server
    url = url_with_tls(
        f"mysql://tls_only@127.0.0.1:{server.port}/shop", TlsOptions(str(files["ca"]))
    )
    engine = make_engine(url, password="tls-pw")
    try:
        with engine.connect() as conn:
            cipher = conn.execute(text("SHOW SESSION STATUS LIKE 'Ssl_cipher'")).one()[1]
    finally:
        engine.dispose()
    assert cipher


def test_a_missing_ca_file_is_named(
    tls_server: tuple[mdb.MariaDBServer, dict[str, Path]], tmp_path: Path
) -> None:
    server, _files = tls_server
    missing = tmp_path / "nope.pem"
    errors = _messages(_check(server, TlsOptions(str(missing))), Severity.ERROR)
    assert errors == [f"The certificate authority file {missing} does not exist."]
