"""Connection profiles (demo and real shops), switching, and export/import without secrets."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.config import settings as cfg
from app.errors import ConfigError
from app.setup.profiles import (
    Profile,
    demo_profile,
    export_settings,
    import_settings,
    list_profiles,
    needs_setup,
    save_profile,
    switch_profile,
)
from app.setup.runtime import open_configured_target

REAL = Profile(
    name="Tienda de Lucía",
    db_url="mysql+pymysql://lucia:s3cret-pw@db.example.com:3306/shop?ssl=true",
    prefix="tl_",
    id_shop=2,
    lang_iso="ca",
    ssh_host="ssh.example.com",
    ssh_user="lucia",
    ssh_host_key="ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExample",
)


def settings_at(path: Path) -> cfg.Settings:
    return cfg.Settings.load(path)


def test_a_new_till_needs_setup_until_a_profile_is_chosen(tmp_path: Path) -> None:
    settings = settings_at(tmp_path / "settings.json")
    assert needs_setup(settings)
    save_profile(settings, demo_profile())
    assert not needs_setup(settings_at(tmp_path / "settings.json"))


def test_switching_between_the_demo_and_a_real_shop(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    settings = settings_at(path)
    save_profile(settings, demo_profile())
    save_profile(settings, REAL)
    assert {p.name for p in list_profiles(settings)} == {"Demo shop", "Tienda de Lucía"}
    assert settings.get(cfg.SHOP_PREFIX) == "tl_" and not settings.get(cfg.SHOP_DEMO)
    switch_profile(settings, "Demo shop")
    reloaded = settings_at(path)
    assert reloaded.get(cfg.SHOP_DEMO) and reloaded.get(cfg.SHOP_DB_URL) == ""
    assert reloaded.get(cfg.SSH_HOST) == ""
    switch_profile(reloaded, "Tienda de Lucía")
    assert settings_at(path).get(cfg.SHOP_ID) == 2
    with pytest.raises(ConfigError):
        switch_profile(reloaded, "nope")


def test_a_profile_never_keeps_a_password(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    save_profile(settings_at(path), REAL)
    assert "s3cret-pw" not in path.read_text()
    assert "lucia@db.example.com" in path.read_text()


def test_export_and_import_set_up_the_next_till_without_secrets(tmp_path: Path) -> None:
    first = settings_at(tmp_path / "first.json")
    save_profile(first, REAL)
    first.set(cfg.TILL_NAME, "T1")
    first.set(cfg.TILL_UUID, "till-one")
    first.set(cfg.RECEIPT_FOOTER, "Moltes gràcies")
    first.save()
    exported = tmp_path / "export.json"
    keys = export_settings(first, exported)
    text = exported.read_text()
    assert "s3cret-pw" not in text and "till-one" not in text
    assert cfg.TILL_NAME.key not in keys and cfg.SHOP_DB_URL.key in keys

    second = settings_at(tmp_path / "second.json")
    second.set(cfg.TILL_NAME, "T2")
    result = import_settings(second, exported)
    again = settings_at(tmp_path / "second.json")
    assert again.get(cfg.TILL_NAME) == "T2"  # this till keeps its own series
    assert again.get(cfg.RECEIPT_FOOTER) == "Moltes gràcies"
    assert again.get(cfg.SHOP_PREFIX) == "tl_" and again.get(cfg.SSH_HOST) == "ssh.example.com"
    assert {p.name for p in list_profiles(again)} == {"Tienda de Lucía"}
    assert cfg.SHOP_DB_URL.key in result.applied


def test_an_import_drops_passwords_and_unknown_keys(tmp_path: Path) -> None:
    forged = tmp_path / "forged.json"
    forged.write_text(
        json.dumps(
            {
                "format": "mostrador-settings",
                "settings": {
                    "shop.db_url": "mysql://u:leaked-pw@h/db",
                    "shop.password": "leaked-pw",
                    "till.uuid": "someone-else",
                    "what.is.this": 1,
                },
            }
        )
    )
    settings = settings_at(tmp_path / "settings.json")
    result = import_settings(settings, forged)
    assert set(result.ignored) == {"shop.password", "till.uuid", "what.is.this"}
    assert "leaked-pw" not in (tmp_path / "settings.json").read_text()


def test_a_file_that_is_not_an_export_is_refused(tmp_path: Path) -> None:
    other = tmp_path / "other.json"
    other.write_text("{}")
    with pytest.raises(ConfigError, match="not a Mostrador settings export"):
        import_settings(settings_at(tmp_path / "s.json"), other)


def test_the_configured_real_shop_opens_with_the_typed_password(tmp_path: Path) -> None:
    settings = settings_at(tmp_path / "settings.json")
    save_profile(settings, Profile(name="x", db_url="mysql://u@db.example.com/shop"))
    settings.set(cfg.SHOP_ASK_PASSWORD, True)
    opened = open_configured_target(settings, typed_password="typed-pw")
    assert opened is not None and opened.tunnel is None
    assert opened.target.url.password == "typed-pw" and opened.target.url.host == "db.example.com"
    assert open_configured_target(settings_at(tmp_path / "empty.json")) is None
