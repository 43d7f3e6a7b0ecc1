from __future__ import annotations

import socket
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from app.connection import ShopTarget, parse_url
from ui.main_window import MainWindow


def _window(qtbot: QtBot, target: ShopTarget | None) -> MainWindow:
    window = MainWindow(target, till="T1")
    qtbot.addWidget(window)
    window.show()
    return window


@pytest.mark.parametrize("demo_shop_db", ["sqlite"], indirect=True)
def test_home_shows_shop_name_products_and_connection(qtbot: QtBot, demo_shop_db: Any) -> None:
    target = ShopTarget(url=parse_url(demo_shop_db.url), prefix=demo_shop_db.prefix)
    window = _window(qtbot, target)
    qtbot.waitUntil(lambda: window.home.title.text() == "Mostrador Demo", timeout=20_000)
    assert int(window.home.products_value.text().replace(",", "").replace(".", "")) > 0
    assert window.home.version_value.text().count(".") >= 2
    assert "Connected" in window.connection_label.text()
    assert "Mostrador Demo" in window.windowTitle()


def test_unreachable_shop_is_said_calmly_and_window_stays_usable(qtbot: QtBot) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    target = ShopTarget(url=parse_url(f"mysql://u:p@127.0.0.1:{port}/ps"))
    window = _window(qtbot, target)
    qtbot.waitUntil(
        lambda: window.home.title.text() == "The shop cannot be reached", timeout=20_000
    )
    assert window.home.refresh_button.isEnabled()
    assert "Offline" in window.connection_label.text()


def test_without_a_shop_the_window_says_how_to_start(qtbot: QtBot) -> None:
    window = _window(qtbot, None)
    assert window.home.title.text() == "No shop connected"
    assert "--demo" in window.home.subtitle.text()


@pytest.mark.parametrize("demo_shop_db", ["sqlite"], indirect=True)
def test_demo_shop_says_it_is_local_and_not_real(qtbot: QtBot, demo_shop_db: Any) -> None:
    target = ShopTarget(url=parse_url(demo_shop_db.url), prefix=demo_shop_db.prefix, demo=True)
    window = _window(qtbot, target)
    qtbot.waitUntil(lambda: window.home.title.text() == "Mostrador Demo", timeout=20_000)
    assert "Demo shop on this computer" in window.home.connection_value.text()
    assert "nothing is real" in window.home.subtitle.text()
    assert "Demo shop" in window.connection_label.text()
