"""Connection profiles (the demo shop and real shops), switching, export and import.

A profile is what the settings need to reach one shop, without secrets. The profile in use is
copied into the ``shop.*`` and ``ssh.*`` keys that the rest of Mostrador reads, so switching
is one call. An exported file sets up the next till quickly: it holds no secret and none of
this till's identity (its name, ticket series, store), which each till has its own.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path
from typing import Any

from sqlalchemy.engine import make_url

from app.config import settings as cfg
from app.errors import ConfigError
from app.i18n import _
from app.logging_setup import is_secret_name
from app.setup.runtime import shop_label
from app.till.outbox import OutboxStatus, count_by_status
from app.till.store import TillStore

EXPORT_FORMAT = "mostrador-settings"
# This till's own identity: never exported, never imported.
TILL_OWN_KEYS = frozenset(
    s.key
    for s in (cfg.TILL_NAME, cfg.TILL_UUID, cfg.TILL_LABEL, cfg.TILL_STORE, cfg.SHOP_ASK_PASSWORD)
)


@dataclass(frozen=True)
class Profile:
    name: str
    demo: bool = False
    db_url: str = ""  # never with a password
    prefix: str = "ps_"
    id_shop: int = 1
    lang_iso: str = "es"
    ssh_host: str = ""
    ssh_port: int = 22
    ssh_user: str = ""
    ssh_key_file: str = ""
    ssh_host_key: str = ""
    till_name: str = ""  # this till's series in that shop (never exported)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Profile:
        known = {f.name for f in fields(cls)}
        profile = cls(**{k: v for k, v in data.items() if k in known})
        return profile.without_password()

    def without_password(self) -> Profile:
        if not self.db_url:
            return self
        url = make_url(self.db_url)
        if url.password is None:
            return self
        return _replace_url(self, without_password(self.db_url))


def without_password(url: str) -> str:
    """``url`` with its password, if any, taken out (URL.set cannot unset it)."""
    return make_url(url)._replace(password=None).render_as_string(hide_password=False)


def _replace_url(profile: Profile, url: str) -> Profile:
    return Profile(**{**asdict(profile), "db_url": url})


def demo_profile() -> Profile:
    return Profile(name=_("Demo shop"), demo=True)


def needs_setup(settings: cfg.Settings) -> bool:
    """True until a shop (or the demo shop) has been chosen: the wizard opens at start."""
    return not settings.get(cfg.SHOP_DEMO) and not settings.get(cfg.SHOP_DB_URL)


def list_profiles(settings: cfg.Settings) -> tuple[Profile, ...]:
    stored = settings.get(cfg.PROFILES)
    return tuple(Profile.from_dict(dict(data)) for data in stored.values())


def save_profile(settings: cfg.Settings, profile: Profile, activate: bool = True) -> None:
    """Keep ``profile`` (replacing one of the same name); make it the one in use; save.

    A real shop's profile remembers this till's series there (the wizard has just set it)."""
    profile = profile.without_password()
    if not profile.demo and not profile.till_name:
        profile = replace(profile, till_name=settings.get(cfg.TILL_NAME))
    stored: dict[str, Any] = settings.get(cfg.PROFILES).copy()
    stored[profile.name] = asdict(profile)
    settings.set(cfg.PROFILES, stored)
    if activate:
        _apply(settings, profile)
    settings.save()


def switch_profile(settings: cfg.Settings, name: str) -> Profile:
    """Use the saved profile ``name`` from now on (the window reopens the till on it)."""
    for profile in list_profiles(settings):
        if profile.name == name:
            _apply(settings, profile)
            settings.save()
            return profile
    raise ConfigError(_("There is no connection profile named {name}.").format(name=name))


def _apply(settings: cfg.Settings, profile: Profile) -> None:
    settings.set(cfg.ACTIVE_PROFILE, profile.name)
    settings.set(cfg.SHOP_DEMO, profile.demo)
    settings.set(cfg.SHOP_DB_URL, "" if profile.demo else profile.db_url)
    settings.set(cfg.SHOP_PREFIX, profile.prefix)
    settings.set(cfg.SHOP_ID, profile.id_shop)
    settings.set(cfg.SHOP_LANG, profile.lang_iso)
    settings.set(cfg.SSH_HOST, profile.ssh_host)
    settings.set(cfg.SSH_PORT, profile.ssh_port)
    settings.set(cfg.SSH_USER, profile.ssh_user)
    settings.set(cfg.SSH_KEY_FILE, profile.ssh_key_file)
    settings.set(cfg.SSH_HOST_KEY, profile.ssh_host_key)
    if profile.till_name:
        settings.set(cfg.TILL_NAME, profile.till_name)


@dataclass(frozen=True)
class ProfileList:
    """The shops this till can switch to (the demo shop first) and the one in use."""

    profiles: tuple[Profile, ...]
    active: str  # the name of the profile in use; empty: none

    def is_active(self, profile: Profile) -> bool:
        return profile.name == self.active


def profile_choices(settings: cfg.Settings) -> ProfileList:
    saved = list_profiles(settings)
    demo = next((p for p in saved if p.demo), demo_profile())
    real = sorted((p for p in saved if not p.demo), key=lambda p: p.name.casefold())
    active = settings.get(cfg.ACTIVE_PROFILE)
    if not active and settings.get(cfg.SHOP_DEMO):
        active = demo.name
    return ProfileList((demo, *real), active)


def use_profile(settings: cfg.Settings, profile: Profile) -> None:
    """Make ``profile`` the one in use and save (the demo shop is kept as a profile then)."""
    if profile.demo:
        save_profile(settings, profile)
    else:
        switch_profile(settings, profile.name)


@dataclass(frozen=True)
class SwitchState:
    """What the window needs before switching: the choices, the shop in use, its sales waiting."""

    choices: ProfileList
    shop: str
    pending: int


def switch_state(settings: cfg.Settings, store: TillStore | None) -> SwitchState:
    """Read on a worker: the profiles and the sales still waiting to go to the shop in use."""
    pending = count_by_status(store)[OutboxStatus.PENDING] if store is not None else 0
    return SwitchState(profile_choices(settings), shop_label(settings), pending)


@dataclass(frozen=True)
class ImportResult:
    applied: tuple[str, ...]
    ignored: tuple[str, ...]


def export_settings(settings: cfg.Settings, path: Path) -> tuple[str, ...]:
    """Write the settings another till can reuse (no secret, no till identity); the keys."""
    values: dict[str, Any] = {}
    for key, setting in sorted(cfg.REGISTRY.items()):
        if key in TILL_OWN_KEYS or is_secret_name(key):
            continue
        values[key] = _scrub(key, settings.get(setting))
    document = {"format": EXPORT_FORMAT, "version": cfg.SCHEMA_VERSION, "settings": values}
    cfg.atomic_write_text(path, json.dumps(document, indent=2, ensure_ascii=False) + "\n")
    return tuple(values)


def import_settings(settings: cfg.Settings, path: Path) -> ImportResult:
    """Take an exported file's settings (this till keeps its own identity); save."""
    values = _read_export(path)
    applied, ignored = [], []
    for key, value in values.items():
        setting = cfg.REGISTRY.get(key)
        if setting is None or key in TILL_OWN_KEYS or is_secret_name(key):
            ignored.append(key)
            continue
        settings.set(setting, setting.coerce(_scrub(key, value)))
        applied.append(key)
    settings.save()
    return ImportResult(tuple(applied), tuple(ignored))


def _scrub(key: str, value: Any) -> Any:
    """Passwords never travel: not in the shop URL, not in a profile's URL."""
    if key == cfg.SHOP_DB_URL.key and value:
        return without_password(value)
    if key == cfg.PROFILES.key:
        return {
            name: asdict(replace(Profile.from_dict(dict(data)), till_name=""))
            for name, data in dict(value).items()
        }
    return value


def check_export(path: Path) -> int:
    """Read an exported file without applying it (ConfigError says why it cannot be used)."""
    return len(_read_export(path))


def _read_export(path: Path) -> dict[str, Any]:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ConfigError(
            _("The file {path} cannot be read: {error}").format(path=path, error=exc)
        ) from exc
    if not isinstance(document, dict) or document.get("format") != EXPORT_FORMAT:
        raise ConfigError(
            _("The file {path} is not a Mostrador settings export.").format(path=path)
        )
    values = document.get("settings")
    return dict(values) if isinstance(values, dict) else {}
