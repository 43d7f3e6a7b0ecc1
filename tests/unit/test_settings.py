from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.config import settings as cfg
from app.errors import ConfigError


def test_defaults_when_no_file(tmp_path: Path) -> None:
    settings = cfg.Settings.load(tmp_path / "settings.json")
    assert settings.get(cfg.SHOP_PREFIX) == "ps_"
    assert settings.get(cfg.SHOP_ID) == 1


def test_saved_values_come_back_and_file_is_versioned(tmp_path: Path) -> None:
    path = tmp_path / "conf" / "settings.json"
    settings = cfg.Settings.load(path)
    settings.set(cfg.SHOP_PREFIX, "tienda_")
    settings.set(cfg.SHOP_ID, 3)
    settings.save()
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["schema_version"] == cfg.SCHEMA_VERSION
    again = cfg.Settings.load(path)
    assert again.get(cfg.SHOP_PREFIX) == "tienda_"
    assert again.get(cfg.SHOP_ID) == 3
    assert not list(path.parent.glob("*.tmp")), "no temporary file left behind"


def test_wrong_type_is_refused(tmp_path: Path) -> None:
    settings = cfg.Settings.load(tmp_path / "settings.json")
    with pytest.raises(ConfigError):
        settings.set(cfg.SHOP_ID, "uno")  # type: ignore[arg-type]


def test_unknown_keys_of_a_newer_version_survive_a_save(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"schema_version": 1, "future.key": [1, 2]}), encoding="utf-8")
    settings = cfg.Settings.load(path)
    settings.set(cfg.TILL_NAME, "T2")
    settings.save()
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["future.key"] == [1, 2]
    assert data["till.name"] == "T2"


def test_corrupt_file_gives_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(ConfigError, match="settings.json"):
        cfg.Settings.load(path)


def test_secrets_are_not_settings() -> None:
    keys = " ".join(cfg.REGISTRY)
    assert "password" not in keys and "token" not in keys


def test_order_state_of_till_sales_is_a_setting(tmp_path: Path) -> None:
    from app.cli import push_options

    settings = cfg.Settings.load(tmp_path / "settings.json")
    assert push_options(settings).order_state_key == "PS_OS_DELIVERED"
    settings.set(cfg.SALE_ORDER_STATE, "PS_OS_PAYMENT")
    assert push_options(settings).order_state_key == "PS_OS_PAYMENT"
    settings.set(cfg.SALE_ORDER_STATE, "14")
    assert push_options(settings).id_order_state == 14
