"""``mostrador doctor``: can Mostrador work with this shop database? If not, why, in plain words.

Each step either adds findings and goes on, or stops when the next steps cannot run (no network,
no login). The report is plain data; the command line and the setup wizard render it.
"""

from __future__ import annotations

import enum
import logging
import re
import socket
import statistics
import time
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import Engine, text
from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from sqlalchemy.orm import Session

from app.connection import ShopTarget, open_engine
from app.i18n import _, ngettext
from connectors.prestashop.models import build_models
from connectors.prestashop.schema_check import check_schema, find_prefixes
from connectors.prestashop.version import ShopVersion, read_version

logger = logging.getLogger(__name__)

LATENCY_SAMPLES = 5
SLOW_LATENCY_MS = 150.0
REQUIRED_PRIVILEGES = ("SELECT", "INSERT", "UPDATE", "DELETE")
# Needed once, to create Mostrador's own tables next to PrestaShop's.
SETUP_PRIVILEGES = ("CREATE", "ALTER", "INDEX")


class Severity(enum.Enum):
    OK = "ok"
    WARNING = "warning"
    ERROR = "error"


@dataclass(frozen=True)
class Finding:
    severity: Severity
    message: str
    hint: str = ""


@dataclass
class DoctorReport:
    target: str
    findings: list[Finding] = field(default_factory=list)
    latency_ms: float | None = None
    version: str | None = None

    @property
    def ok(self) -> bool:
        return not any(f.severity is Severity.ERROR for f in self.findings)

    def add(self, severity: Severity, message: str, hint: str = "") -> None:
        self.findings.append(Finding(severity, message, hint))


class _Stop(Exception):
    """The remaining checks cannot run."""


def run_doctor(target: ShopTarget, connect_timeout: float = 5.0) -> DoctorReport:
    report = DoctorReport(target=target.safe_url)
    try:
        if target.url.get_backend_name() in ("mysql", "mariadb"):
            _check_network(report, target.url, connect_timeout)
        engine = open_engine(target)
        try:
            _check_login(report, engine, target.url)
            _measure_latency(report, engine)
            if engine.dialect.name == "mysql":
                _check_privileges(report, engine, target.url.database or "")
            _check_prestashop(report, engine, target)
        finally:
            engine.dispose()
    except _Stop:
        pass
    return report


def _check_network(report: DoctorReport, url: URL, timeout: float) -> None:
    host, port = url.host or "localhost", url.port or 3306
    try:
        addresses = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        report.add(
            Severity.ERROR,
            _("The server {host} was not found.").format(host=host),
            _("Check the host name; your hosting's control panel shows the MySQL host."),
        )
        raise _Stop from exc
    family, _type, proto, _name, address = addresses[0]
    with socket.socket(family, socket.SOCK_STREAM, proto) as sock:
        sock.settimeout(timeout)
        try:
            sock.connect(address)
        except ConnectionRefusedError as exc:
            report.add(
                Severity.ERROR,
                _("Port {port} on {host} is closed.").format(port=port, host=host),
                _(
                    "The database does not accept connections from outside. Ask your hosting "
                    "to allow remote MySQL access, or use an SSH tunnel."
                ),
            )
            raise _Stop from exc
        except (TimeoutError, OSError) as exc:
            report.add(
                Severity.ERROR,
                _("No answer from {host}:{port} within {seconds} s.").format(
                    host=host, port=port, seconds=int(timeout)
                ),
                _(
                    "A firewall may be blocking the connection. Allow this till's IP address in "
                    "the hosting's remote MySQL settings, or use an SSH tunnel."
                ),
            )
            raise _Stop from exc
    report.add(Severity.OK, _("The server {host}:{port} answers.").format(host=host, port=port))


def mysql_error_code(exc: BaseException) -> int | None:
    """The server's error number of a driver error wrapped by SQLAlchemy, if any."""
    orig = exc.orig if isinstance(exc, DBAPIError) else exc
    args = getattr(orig, "args", ())
    return args[0] if args and isinstance(args[0], int) else None


def _login_failure(code: int | None, url: URL, detail: str) -> tuple[str, str]:
    user, host, database = url.username or "", url.host or "localhost", url.database or ""
    seen_as = re.search(r"'[^']*'@'[^']*'", detail)
    who = seen_as.group(0) if seen_as else f"'{user}'"
    messages: dict[int, tuple[str, str]] = {
        1045: (
            _("Access denied for {who}: wrong user name or password.").format(who=who),
            _("Check the password; on shared hostings the user name often has a prefix."),
        ),
        1044: (
            _("The user {who} has no access to the database {db}.").format(who=who, db=database),
            _("Give this user privileges on the database in the hosting's control panel."),
        ),
        1049: (
            _("The database {db} does not exist on {host}.").format(db=database, host=host),
            _("Check the database name (PrestaShop's app/config/parameters.php names it)."),
        ),
        1130: (
            _("The server {host} does not allow connections from this computer.").format(host=host),
            _("Add this till's IP address to the hosting's remote MySQL access list."),
        ),
        1040: (
            _("The server has too many connections right now."),
            _("Try again in a minute; if it persists, ask your hosting."),
        ),
    }
    default = (
        _("Cannot connect to the database: {detail}").format(detail=detail),
        _("Check the address, user and password."),
    )
    return messages.get(code or 0, default)


def _check_login(report: DoctorReport, engine: Engine, url: URL) -> None:
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except DBAPIError as exc:
        detail = str(exc.orig)
        message, hint = _login_failure(mysql_error_code(exc), url, detail)
        report.add(Severity.ERROR, message, hint)
        raise _Stop from exc
    except SQLAlchemyError as exc:
        report.add(Severity.ERROR, _("Cannot open the database: {detail}").format(detail=exc))
        raise _Stop from exc
    report.add(Severity.OK, _("Logged in to the database."))


def _measure_latency(report: DoctorReport, engine: Engine) -> None:
    samples: list[float] = []
    with engine.connect() as conn:
        for _i in range(LATENCY_SAMPLES):
            start = time.perf_counter()
            conn.execute(text("SELECT 1")).scalar()
            samples.append((time.perf_counter() - start) * 1000)
    report.latency_ms = statistics.median(samples)
    message = _("Round trip to the database: {ms:.1f} ms.").format(ms=report.latency_ms)
    if report.latency_ms > SLOW_LATENCY_MS:
        report.add(
            Severity.WARNING,
            message,
            _("The connection is slow; the till keeps working from its local copy."),
        )
    else:
        report.add(Severity.OK, message)


def parse_grants(grants: Iterable[str], database: str) -> set[str]:
    """Privileges that ``SHOW GRANTS`` lines give on ``database`` (global or database level)."""
    granted: set[str] = set()
    pattern = re.compile(r"^GRANT (?P<privs>.+?) ON (?P<scope>\S+) TO ", re.I)
    for line in grants:
        match = pattern.match(line)
        if not match or not _scope_covers(match.group("scope"), database):
            continue
        privs = {p.strip().upper() for p in match.group("privs").split(",")}
        if "ALL PRIVILEGES" in privs or "ALL" in privs:
            privs |= set(REQUIRED_PRIVILEGES) | set(SETUP_PRIVILEGES)
        granted |= privs
    return granted


def _scope_covers(scope: str, database: str) -> bool:
    db_part, _dot, table_part = scope.partition(".")
    if table_part.strip("`") != "*":
        return False
    db_name = db_part.strip("`")
    return db_name == "*" or re.fullmatch(_like_to_regex(db_name), database) is not None


def _like_to_regex(pattern: str) -> str:
    """A grant's database pattern (``%`` any, ``_`` one character, ``\\_`` a literal _)."""
    out: list[str] = []
    chars = iter(pattern)
    for char in chars:
        if char == "\\":
            out.append(re.escape(next(chars, "")))
        else:
            out.append({"%": ".*", "_": "."}.get(char, re.escape(char)))
    return "".join(out)


def _check_privileges(report: DoctorReport, engine: Engine, database: str) -> None:
    with engine.connect() as conn:
        grants = [str(row[0]) for row in conn.execute(text("SHOW GRANTS FOR CURRENT_USER()"))]
    granted = parse_grants(grants, database)
    missing = [p for p in REQUIRED_PRIVILEGES if p not in granted]
    if missing:
        report.add(
            Severity.ERROR,
            _("The database user lacks these privileges on {db}: {privs}.").format(
                db=database, privs=", ".join(missing)
            ),
            _("Grant them in the hosting's control panel (MySQL users section)."),
        )
    setup_missing = [p for p in SETUP_PRIVILEGES if p not in granted]
    if setup_missing:
        report.add(
            Severity.WARNING,
            _("Without {privs} Mostrador cannot create its own tables in {db}.").format(
                privs=", ".join(setup_missing), db=database
            ),
            _("Needed once, when Mostrador is first connected to this shop."),
        )
    if not missing and not setup_missing:
        report.add(Severity.OK, _("The database user has the privileges Mostrador needs."))


def render_report(report: DoctorReport) -> str:
    """The report as the command line prints it."""
    marks = {Severity.OK: _("OK"), Severity.WARNING: _("WARNING"), Severity.ERROR: _("ERROR")}
    width = max(len(mark) for mark in marks.values())
    lines = [_("Mostrador doctor — {target}").format(target=report.target)]
    for finding in report.findings:
        lines.append(f"  {marks[finding.severity]:<{width}}  {finding.message}")
        if finding.hint:
            lines.append(f"  {'':<{width}}  → {finding.hint}")
    if report.ok:
        lines.append(_("Mostrador can work with this database."))
    else:
        errors = sum(1 for f in report.findings if f.severity is Severity.ERROR)
        lines.append(
            ngettext(
                "Mostrador cannot work with this database yet: {n} problem.",
                "Mostrador cannot work with this database yet: {n} problems.",
                errors,
            ).format(n=errors)
        )
    return "\n".join(lines)


def _check_prestashop(report: DoctorReport, engine: Engine, target: ShopTarget) -> None:
    version = _check_prefix_and_version(report, engine, target)
    schema = check_schema(engine, target.prefix, version.family or "")
    for table in schema.missing_tables:
        report.add(Severity.ERROR, _("The table {table} is missing.").format(table=table))
    for column in schema.missing_columns:
        report.add(Severity.ERROR, _("The column {column} is missing.").format(column=column))
    for problem in schema.mismatched_columns:
        report.add(
            Severity.ERROR,
            _("The column {column} is {found}; Mostrador expects {expected}.").format(
                column=problem.name, found=problem.found, expected=problem.expected
            ),
        )
    if schema.ok:
        report.add(Severity.OK, _("Every table and column Mostrador uses is as expected."))
    else:
        report.add(
            Severity.WARNING,
            _("The database differs from PrestaShop {version}.").format(version=version.short),
            _("A module or a failed upgrade may have changed it; ask whoever maintains the shop."),
        )


def _check_prefix_and_version(
    report: DoctorReport, engine: Engine, target: ShopTarget
) -> ShopVersion:
    prefixes = find_prefixes(engine)
    if target.prefix not in prefixes:
        database = target.url.database or ""
        hint = (
            _("Prefixes found in this database: {prefixes}.").format(prefixes=", ".join(prefixes))
            if prefixes
            else _("No PrestaShop tables at all here: is it the shop's database?")
        )
        report.add(
            Severity.ERROR,
            _("There are no PrestaShop tables with the prefix {prefix} in {db}.").format(
                prefix=target.prefix, db=database
            ),
            hint,
        )
        raise _Stop
    with Session(engine) as session:
        version = read_version(session, build_models(target.prefix))
    report.version = version.raw or None
    if not version.raw:
        report.add(
            Severity.ERROR,
            _("The PrestaShop version cannot be read (configuration PS_VERSION_DB is empty)."),
        )
        raise _Stop
    if not version.supported:
        report.add(
            Severity.ERROR,
            _("PrestaShop {version} is not supported.").format(version=version.raw or "?"),
            _("Mostrador works with PrestaShop 1.7.8, 8.x and 9.x."),
        )
        raise _Stop
    report.add(Severity.OK, _("PrestaShop {version}.").format(version=version.short))
    return version
