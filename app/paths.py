"""Where Mostrador keeps its files, per user (platformdirs), overridable for tests."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "Mostrador"
APP_AUTHOR = "Mostrador"


def _root_override() -> Path | None:
    value = os.environ.get("MOSTRADOR_HOME")
    return Path(value) if value else None


def config_dir() -> Path:
    root = _root_override()
    if root:
        return root / "config"
    return Path(platformdirs.user_config_dir(APP_NAME, APP_AUTHOR))


def data_dir() -> Path:
    root = _root_override()
    if root:
        return root / "data"
    return Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR))


def log_dir() -> Path:
    root = _root_override()
    if root:
        return root / "logs"
    return Path(platformdirs.user_log_dir(APP_NAME, APP_AUTHOR))


def demo_shop_path() -> Path:
    return data_dir() / "demo-shop.sqlite3"
