"""One typed, declarative, versioned settings store.

Each key is declared once with its type, default and description. The file is JSON in the
user's config folder, written atomically (temp file + fsync + ``os.replace``). Secrets never live
here: see :mod:`app.config.secrets`.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar, cast

from app.errors import ConfigError
from app.i18n import _

logger = logging.getLogger(__name__)

T = TypeVar("T")
SCHEMA_VERSION = 1
FILE_NAME = "settings.json"


@dataclass(frozen=True)
class Setting(Generic[T]):
    key: str
    type: type[T]
    default: T
    description: str

    def coerce(self, value: object) -> T:
        if self.type is bool and isinstance(value, bool):
            return cast(T, value)
        if self.type is int and isinstance(value, int) and not isinstance(value, bool):
            return cast(T, value)
        if self.type is str and isinstance(value, str):
            return cast(T, value)
        if self.type is dict and isinstance(value, dict):
            return cast(T, value)
        raise ConfigError(
            _("Setting {key} must be of type {type}, not {value!r}").format(
                key=self.key, type=self.type.__name__, value=value
            )
        )


REGISTRY: dict[str, Setting[Any]] = {}


def declare(key: str, type_: type[T], default: T, description: str) -> Setting[T]:
    if key in REGISTRY:
        raise ValueError(f"setting {key} declared twice")
    setting = Setting(key, type_, default, description)
    REGISTRY[key] = setting
    return setting


LANGUAGE = declare("ui.language", str, "", "Interface language (es, en); empty: the system's")
SHOP_DB_URL = declare(
    "shop.db_url", str, "", "SQLAlchemy URL of the shop database, without password"
)
SHOP_PREFIX = declare("shop.prefix", str, "ps_", "Table prefix of the PrestaShop database")
SHOP_ID = declare("shop.id_shop", int, 1, "PrestaShop shop this till sells for")
SHOP_LANG = declare("shop.lang_iso", str, "es", "Language of product names on the till")
SHOP_DEMO = declare("shop.demo", bool, False, "Sell on the demo shop instead of shop.db_url")
SHOP_ASK_PASSWORD = declare(
    "shop.ask_at_start",
    bool,
    False,
    "No keyring on this computer: the database password is typed at each start, never saved",
)
SSH_HOST = declare("ssh.host", str, "", "SSH server for a tunnel to the shop's MySQL; empty: none")
SSH_PORT = declare("ssh.port", int, 22, "Port of the SSH server")
SSH_USER = declare("ssh.user", str, "", "User on the SSH server")
SSH_KEY_FILE = declare("ssh.key_file", str, "", "Private key file; empty: log in with a password")
SSH_HOST_KEY = declare(
    "ssh.host_key", str, "", "The SSH server's public key, trusted at setup (not a secret)"
)
TILL_LABEL = declare("till.label", str, "", "Name of this till as people call it (Counter 1…)")
TILL_UUID = declare("till.uuid", str, "", "This till's identity in the shop's mostrador_till table")
PROFILES = declare(
    "connection.profiles",
    dict,
    {},
    "Saved connection profiles (demo shop and real shops) by name, without secrets",
)
ACTIVE_PROFILE = declare("connection.active_profile", str, "", "Profile in use; empty: none")
TILL_NAME = declare("till.name", str, "T1", "Name of this till; prefixes its ticket numbers")
TILL_MANAGER_PROFILES = declare(
    "till.manager_profiles",
    str,
    "1",
    "PrestaShop profile ids (comma-separated) whose employees are till managers; 1: SuperAdmin",
)
TILL_STORE = declare("till.store_path", str, "", "Till store file; empty: the data folder")
PRINTER = declare(
    "printer.spec",
    str,
    "",
    "Ticket printer: file:PATH, tcp:HOST:PORT, usb:VID:PID, serial:PORT or win:NAME; empty: none",
)
PRINTER_WIDTH = declare("printer.width_mm", int, 80, "Paper width in mm: 58 or 80")
PRINTER_CODE_PAGE = declare("printer.code_page", str, "CP858", "Code page of the printer")
PRINTER_CUT = declare("printer.cut", str, "full", "Cut after each ticket: full, partial, none")
PRINTER_DRAWER_PIN = declare("printer.drawer_pin", int, 2, "Cash drawer connector pin: 2 or 5")
PRINTER_COLUMNS = declare(
    "printer.columns",
    int,
    0,
    "Characters per line: 32, 42 or 48; 0: as the paper (32 on 58 mm, 48 on 80 mm)",
)
PRINTER_DRAWER_ON_MS = declare("printer.drawer_on_ms", int, 100, "Drawer pulse length in ms")
PRINTER_DRAWER_OFF_MS = declare("printer.drawer_off_ms", int, 200, "Pause after the pulse in ms")
PRINTER_STATUS_CHECK = declare(
    "printer.status_check",
    bool,
    True,
    "Ask a network printer for its status (DLE EOT) before printing; off for print servers",
)
PRINTER_TIMEOUT = declare(
    "printer.timeout_s", int, 5, "Seconds to wait for the printer before saying it did not answer"
)
RECEIPT_TAX_ID = declare("receipt.tax_id", str, "", "The shop's tax id (NIF) printed on tickets")
RECEIPT_FOOTER = declare(
    "receipt.footer", str, "Gracias por su compra", "Text at the foot of every ticket"
)
SALE_ORDER_STATE = declare(
    "sale.order_state",
    str,
    "PS_OS_DELIVERED",
    "Order state of a till sale in PrestaShop: a configuration key (PS_OS_…) or a state id",
)
UPDATE_URL = declare(
    "update.url",
    str,
    "",
    "Release folder this till takes updates from (HTTPS, made by python -m updater.publish); "
    "empty: the installer's or the build's",
)
BUGREPORT_ENDPOINT = declare(
    "bugreport.endpoint",
    str,
    "https://reports.mostrador.app/v1/reports",
    "HTTPS address problem reports are posted to",
)
BUGREPORT_AUTO_SEND = declare(
    "bugreport.auto_send",
    bool,
    False,
    "Send reports of unexpected errors without asking (no screenshot, no description)",
)

VERIFACTU_ENABLED = declare(
    "verifactu.enabled",
    bool,
    True,
    "VERI*FACTU records, chain and QR on every ticket (off outside Spain's common territory:"
    " the Basque Country and Navarre have their own systems)",
)
VERIFACTU_NIF = declare(
    "verifactu.nif", str, "", "NIF issuing the tickets for VERI*FACTU; empty: receipt.tax_id"
)
VERIFACTU_NAME = declare(
    "verifactu.name", str, "", "Name or company name of the issuer (NombreRazonEmisor)"
)
VERIFACTU_ENVIRONMENT = declare(
    "verifactu.environment", str, "production", "AEAT environment: test or production"
)
VERIFACTU_INSTALLATION = declare(
    "verifactu.installation_number",
    str,
    "",
    "Installation number of this till (names its chain of records); empty: the till's name",
)
VERIFACTU_CERTIFICATE = declare(
    "verifactu.certificate",
    str,
    "",
    "The shop's certificate (.p12) for sending records; its password is kept in the keyring",
)
VERIFACTU_ENDPOINT = declare(
    "verifactu.endpoint", str, "", "AEAT service address; empty: the environment's own"
)

Migration = Callable[[dict[str, Any]], dict[str, Any]]
# MIGRATIONS[n] turns a file of schema n into schema n + 1.
MIGRATIONS: dict[int, Migration] = {}


class Settings:
    """Settings read from one JSON file. ``get``/``set`` take the declared :class:`Setting`."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._values: dict[str, Any] = {}

    @classmethod
    def load(cls, path: Path) -> Settings:
        settings = cls(path)
        if path.exists():
            settings._values = _migrate(_read_json(path))
        return settings

    def get(self, setting: Setting[T]) -> T:
        if setting.key not in self._values:
            return setting.default
        return setting.coerce(self._values[setting.key])

    def set(self, setting: Setting[T], value: T) -> None:
        self._values[setting.key] = setting.coerce(value)

    def save(self) -> None:
        data = {"schema_version": SCHEMA_VERSION, **dict(sorted(self._values.items()))}
        atomic_write_text(self.path, json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ConfigError(
            _("The settings file {path} cannot be read: {error}").format(path=path, error=exc)
        ) from exc
    if not isinstance(data, dict):
        raise ConfigError(_("The settings file {path} is not valid.").format(path=path))
    return data


def _migrate(data: dict[str, Any]) -> dict[str, Any]:
    version = int(data.pop("schema_version", 1))
    while version < SCHEMA_VERSION:
        data = MIGRATIONS[version](data)
        version += 1
    unknown = set(data) - set(REGISTRY)
    if unknown:
        # A newer version may have written keys we do not know: keep them untouched.
        logger.info("settings: keeping %d keys unknown to this version", len(unknown))
    return data


def atomic_write_text(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` so that a crash leaves either the old or the new file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
