"""The wizard's live check of a connection: the doctor's checks, plus tunnel, TLS and prefix.

:func:`check_server` returns every finding as a line the wizard ticks green or explains: the
SSH tunnel (when there is one), the server's answer, the login, the latency, the privileges,
the PrestaShop tables under the prefix (detected when the user left it empty; several found:
the user chooses), the version and the schema, and whether the connection is encrypted.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, replace
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from app.connection import ShopTarget, open_engine
from app.doctor import DoctorReport, Finding, Severity, mysql_error_code, run_doctor
from app.errors import UserFacingError
from app.i18n import _
from app.setup.form import ConnectionForm, Credentials, reach
from connectors.prestashop.schema_check import find_prefixes

logger = logging.getLogger(__name__)

DEFAULT_PREFIX = "ps_"
# Login failures and network failures that a hosting's "remote MySQL" setting explains.
REMOTE_ACCESS_CODES = (1130,)


@dataclass(frozen=True)
class ServerCheck:
    findings: tuple[Finding, ...]
    prefixes: tuple[str, ...] = ()  # PrestaShop prefixes found in the database
    prefix: str = ""  # the one checked
    version: str | None = None
    host_key: str = ""  # the SSH server's key (trusted on first use)
    fingerprint: str = ""

    @property
    def ok(self) -> bool:
        return bool(self.findings) and not any(f.severity is Severity.ERROR for f in self.findings)


def check_server(form: ConnectionForm, creds: Credentials) -> ServerCheck:
    """Every check of the wizard's connection page (runs on a worker: network and database)."""
    if form.tls is not None and form.tls.ca_file and not Path(form.tls.ca_file).is_file():
        return ServerCheck((_ca_missing(form.tls.ca_file),))
    try:
        with reach(form, creds) as reached:
            tunnel_lines: tuple[Finding, ...] = ()
            host_key = fingerprint = ""
            if reached.tunnel is not None:
                host_key, fingerprint = reached.tunnel.host_key, reached.tunnel.fingerprint
                tunnel_lines = (_tunnel_line(form, fingerprint),)
            result = _check_database(form, reached.target)
    except UserFacingError as exc:
        return ServerCheck((Finding(Severity.ERROR, exc.message, exc.hint),))
    return replace(
        result,
        findings=tunnel_lines + result.findings,
        host_key=host_key,
        fingerprint=fingerprint,
    )


def detect_prefixes(target: ShopTarget) -> tuple[str, ...]:
    """PrestaShop table prefixes in the database; empty when it cannot be read."""
    try:
        engine = open_engine(target)
    except UserFacingError:
        return ()
    try:
        return tuple(find_prefixes(engine))
    except SQLAlchemyError:
        return ()
    finally:
        engine.dispose()


def _check_database(form: ConnectionForm, target: ShopTarget) -> ServerCheck:
    prefixes = detect_prefixes(target)
    prefix = form.prefix or (prefixes[0] if prefixes else DEFAULT_PREFIX)
    report = run_doctor(replace(target, prefix=prefix))
    findings = list(report.findings)
    if form.tls is not None and _logged_in(report):
        findings.append(_tls_finding(target))
    if not form.prefix and len(prefixes) > 1:
        findings.append(_several_prefixes(prefixes, prefix))
    help_line = _remote_access_help(form, target, report)
    if help_line is not None:
        findings.append(help_line)
    return ServerCheck(tuple(findings), prefixes, prefix, report.version)


def _logged_in(report: DoctorReport) -> bool:
    return any(f.message == _("Logged in to the database.") for f in report.findings)


def _tls_finding(target: ShopTarget) -> Finding:
    engine = open_engine(target)
    try:
        with engine.connect() as conn:
            row = conn.execute(text("SHOW SESSION STATUS LIKE 'Ssl_version'")).first()
    except SQLAlchemyError as exc:
        return Finding(Severity.ERROR, _("TLS could not be checked: {error}").format(error=exc))
    finally:
        engine.dispose()
    version = str(row[1]) if row is not None and row[1] else ""
    if not version:
        return Finding(
            Severity.ERROR,
            _("The connection is not encrypted."),
            _("The server does not offer TLS; ask your hosting, or use an SSH tunnel."),
        )
    return Finding(
        Severity.OK, _("The connection is encrypted ({version}).").format(version=version)
    )


def _several_prefixes(prefixes: tuple[str, ...], chosen: str) -> Finding:
    return Finding(
        Severity.WARNING,
        _("This database holds several shops: {prefixes}. Checked: {prefix}.").format(
            prefixes=", ".join(prefixes), prefix=chosen
        ),
        _("Choose the table prefix of the shop this till sells for."),
    )


def _tunnel_line(form: ConnectionForm, fingerprint: str) -> Finding:
    assert form.tunnel is not None
    return Finding(
        Severity.OK,
        _("SSH tunnel open through {host} (server key {fingerprint}).").format(
            host=form.tunnel.host, fingerprint=fingerprint
        ),
    )


def _ca_missing(path: str) -> Finding:
    return Finding(
        Severity.ERROR,
        _("The certificate authority file {path} does not exist.").format(path=path),
        _("Choose the CA file your hosting gives for MySQL (a .pem or .crt file)."),
    )


def _remote_access_help(
    form: ConnectionForm, target: ShopTarget, report: DoctorReport
) -> Finding | None:
    """How to open remote MySQL access in cPanel or Plesk, when that is what failed."""
    if form.tunnel is not None or report.ok or _logged_in(report):
        return None
    blocked = {
        _("Port {port} on {host} is closed.").format(port=form.port, host=form.host),
        _("The server {host} does not allow connections from this computer.").format(
            host=form.host
        ),
    }
    timeout = _("No answer from {host}:{port}").format(host=form.host, port=form.port)
    failed = [f.message for f in report.findings if f.severity is Severity.ERROR]
    if not any(m in blocked or m.startswith(timeout) for m in failed):
        return None
    address = _address_seen_by_server(target) or _("this till's public address")
    return Finding(
        Severity.WARNING,
        _("To allow this till ({address}) to reach the database:").format(address=address),
        _(
            "cPanel: Databases → Remote MySQL → add {address} as an access host. "
            "Plesk: Databases → User Management → the database user → Access control → "
            "allow remote connections from {address}. Or use an SSH tunnel."
        ).format(address=address),
    )


def _address_seen_by_server(target: ShopTarget) -> str:
    """The till's public address as the MySQL server names it in its refusal, if it does."""
    try:
        engine = open_engine(target)
    except UserFacingError:
        return ""
    try:
        with engine.connect():
            return ""
    except DBAPIError as exc:
        if mysql_error_code(exc) not in REMOTE_ACCESS_CODES:
            return ""
        match = re.search(r"Host '([^']+)'", str(exc.orig))
        return match.group(1) if match else ""
    except SQLAlchemyError:
        return ""
    finally:
        engine.dispose()
