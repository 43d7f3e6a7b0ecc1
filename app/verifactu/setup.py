"""VERI*FACTU settings → the identity in force in the till store, and the sender's settings.

The till calls :func:`apply_settings` when it opens its store and after the settings change:
the issuer (NIF, name), the installation number naming the till's chain, the environment and
whether the mode is on are written to the store, where each ticket's record reads them in its
own transaction.
"""

from __future__ import annotations

from datetime import datetime

from app.config import settings as cfg
from app.till.store import TillStore
from app.verifactu.ledger import Identity
from app.verifactu.records import configure
from app.verifactu.sender import SenderConfig, endpoint_for

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
