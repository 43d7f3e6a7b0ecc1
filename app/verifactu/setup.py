"""VERI*FACTU settings → the identity in force in the till store, and the sender's settings.

The till calls :func:`apply_settings` when it opens its store and after the settings change:
the issuer (NIF, name), the installation number naming the till's chain, the environment and
whether the mode is on are written to the store, where each ticket's record reads them in its
own transaction.

:func:`read_certificate` opens the shop's .p12 (to check its password and show whom it names);
:func:`save_certificate` keeps its password in the keyring and its path in the settings.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

from app.config import settings as cfg
from app.errors import UserFacingError
from app.i18n import _
from app.till.store import TillStore
from app.verifactu.ledger import Identity
from app.verifactu.records import configure
from app.verifactu.sender import SenderConfig, endpoint_for, set_certificate_password

ENVIRONMENTS = ("test", "production")


def identity_from_settings(settings: cfg.Settings, till: str, shop_name: str = "") -> Identity:
    environment = settings.get(cfg.VERIFACTU_ENVIRONMENT).strip().lower()
    nif = settings.get(cfg.VERIFACTU_NIF).strip() or settings.get(cfg.RECEIPT_TAX_ID).strip()
    return Identity(
        enabled=settings.get(cfg.VERIFACTU_ENABLED) and bool(nif),
        nif=nif.upper(),
        name=settings.get(cfg.VERIFACTU_NAME).strip() or shop_name or till,
        installation=settings.get(cfg.VERIFACTU_INSTALLATION).strip() or till,
        environment=environment if environment in ENVIRONMENTS else "production",
    )


def apply_settings(
    store: TillStore, settings: cfg.Settings, shop_name: str = "", now: datetime | None = None
) -> Identity:
    """Put the settings' identity in force in ``store``; returns it."""
    identity = identity_from_settings(settings, store.till, shop_name)
    configure(store, identity, now)
    return identity


def sender_config(settings: cfg.Settings) -> SenderConfig:
    """Where and with which certificate records are sent (the password is in the keyring).

    Any environment but "test" is the production service, even with ``verifactu.endpoint``
    pointing elsewhere: a build without a producer identity refuses to send there."""
    environment = settings.get(cfg.VERIFACTU_ENVIRONMENT).strip().lower()
    return SenderConfig(
        endpoint=settings.get(cfg.VERIFACTU_ENDPOINT).strip() or endpoint_for(environment),
        certificate=settings.get(cfg.VERIFACTU_CERTIFICATE).strip(),
        production=environment != "test",
    )


@dataclass(frozen=True)
class CertificateInfo:
    """Who the shop's certificate names, and until when it is valid."""

    path: str
    holder: str
    nif: str
    expires: datetime  # naive UTC

    def days_left(self, now: datetime) -> int:
        return (self.expires - now).days

    def expires_soon(self, now: datetime) -> bool:
        return self.days_left(now) < EXPIRY_WARNING_DAYS


EXPIRY_WARNING_DAYS = 30


def read_certificate(path: str, password: str) -> CertificateInfo:
    """Open the .p12 with ``password``; a wrong password or file raises a plain error."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise UserFacingError(
            _("The certificate file cannot be read: {error}").format(error=exc.strerror or exc)
        ) from exc
    try:
        key, cert, _extra = pkcs12.load_key_and_certificates(data, password.encode())
    except ValueError as exc:
        raise UserFacingError(
            _("The password is wrong, or the file is not a certificate (.p12)."),
            _("Type the password the certificate was given with, and try again."),
        ) from exc
    if key is None or cert is None:
        raise UserFacingError(_("The certificate file holds no certificate with its key."))
    holder = _attribute(cert, NameOID.COMMON_NAME) or _attribute(cert, NameOID.ORGANIZATION_NAME)
    return CertificateInfo(path, holder, _nif(cert), cert.not_valid_after_utc.replace(tzinfo=None))


def save_certificate(settings: cfg.Settings, info: CertificateInfo, password: str) -> None:
    """The password to the keyring (raises SecretStoreError), then the path to the settings."""
    set_certificate_password(info.path, password)
    settings.set(cfg.VERIFACTU_CERTIFICATE, info.path)
    settings.save()


def _attribute(cert: x509.Certificate, oid: x509.ObjectIdentifier) -> str:
    values = cert.subject.get_attributes_for_oid(oid)
    return str(values[0].value).strip() if values else ""


def _nif(cert: x509.Certificate) -> str:
    """The NIF a Spanish certificate carries: the entity's (``VATES-B12345678``) or the
    person's (serial number ``IDCES-12345678Z``)."""
    entity = _attribute(cert, NameOID.ORGANIZATION_IDENTIFIER)
    if entity:
        return entity.removeprefix("VATES-").upper()
    return _attribute(cert, NameOID.SERIAL_NUMBER).removeprefix("IDCES-").upper()
