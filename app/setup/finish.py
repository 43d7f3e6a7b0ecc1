"""The wizard's last step: secrets to the keyring, the choices to the settings file.

The settings file is read again here (on a worker) and only the setup's keys are changed, so
what another dialog saved meanwhile (the printer page's dialog) is kept.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from app.config import settings as cfg
from app.connection import ShopTarget, demo_target, parse_url
from app.i18n import _
from app.setup.form import ConnectionForm, Credentials
from app.setup.keyring_secrets import SecretsSaved, save_secrets
from app.setup.profiles import Profile, demo_profile, save_profile


@dataclass(frozen=True)
class SetupChoices:
    """Everything the wizard settled. ``form`` is None for the demo shop."""

    form: ConnectionForm | None
    id_shop: int = 1
    lang_iso: str = "es"
    series: str = "T1"
    label: str = ""
    till_uuid: str = ""
    ask_password: bool = False  # no keyring: typed at each start, never saved

    @property
    def demo(self) -> bool:
        return self.form is None


@dataclass(frozen=True)
class SetupSaved:
    saved: bool
    secrets: SecretsSaved | None
    target: ShopTarget | None


def profile_for(choices: SetupChoices) -> Profile:
    form = choices.form
    if form is None:
        return demo_profile()
    tunnel = form.tunnel
    return Profile(
        name=_("{database} on {host}").format(database=form.database, host=form.host),
        db_url=form.url().render_as_string(hide_password=False),
        prefix=form.prefix or "ps_",
        id_shop=choices.id_shop,
        lang_iso=choices.lang_iso,
        ssh_host=tunnel.host if tunnel else "",
        ssh_port=tunnel.port if tunnel else 22,
        ssh_user=tunnel.user if tunnel else "",
        ssh_key_file=tunnel.key_file if tunnel else "",
        ssh_host_key=tunnel.host_key if tunnel else "",
    )


def finish_setup(settings_path: Path, choices: SetupChoices, creds: Credentials) -> SetupSaved:
    """Save the setup; when the keyring refuses the password nothing is saved (the user then
    chooses to type it at each start, or fixes the keyring)."""
    kept: SecretsSaved | None = None
    if choices.form is not None and not choices.ask_password:
        kept = save_secrets(choices.form, creds)
        if not kept.saved:
            return SetupSaved(False, kept, None)
    settings = cfg.Settings.load(settings_path)
    settings.set(cfg.SHOP_ASK_PASSWORD, choices.ask_password)
    if not choices.demo:
        settings.set(cfg.TILL_NAME, choices.series)
        settings.set(cfg.TILL_LABEL, choices.label)
        settings.set(cfg.TILL_UUID, choices.till_uuid)
    profile = profile_for(choices)
    save_profile(settings, profile)  # saves the file
    return SetupSaved(True, kept, _target(profile))


def _target(profile: Profile) -> ShopTarget:
    if profile.demo:
        return demo_target()
    return ShopTarget(parse_url(profile.db_url), profile.prefix, profile.id_shop, profile.lang_iso)
