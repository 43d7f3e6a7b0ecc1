"""Every back-office section fits a 1024 × 768 till screen, in Spanish (the longer texts)
and English: no section forces the window wider than the screen."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.connection import ShopTarget, parse_url
from app.i18n import set_language
from app.sale.price_inputs import Employee
from ui.erp.erp_window import ErpWindow

pytestmark = pytest.mark.parametrize("demo_shop_db", ["sqlite"], indirect=True)


@pytest.fixture(params=["es", "en"])
def window(request: Any, qtbot: QtBot, demo_shop_db: Any) -> Iterator[ErpWindow]:
    set_language(request.param)
    target = ShopTarget(url=parse_url(demo_shop_db.url), prefix=demo_shop_db.prefix, demo=True)
    erp = ErpWindow(target, Employee(1, "Ana Gerente", 1, is_manager=True))
    erp.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
    qtbot.addWidget(erp)
    with qtbot.waitSignal(erp.connected, timeout=20_000):
        erp.show()
    yield erp
    qtbot.waitUntil(lambda: erp.tasks.pending == 0, timeout=20_000)
    erp.close()
    set_language("en")


def test_every_section_fits_a_1024_screen(qtbot: QtBot, window: ErpWindow) -> None:
    for section in window.sections:
        window.show_section(section.id)
        qtbot.waitUntil(lambda: window.tasks.pending == 0, timeout=20_000)
        width = window.minimumSizeHint().width()
        assert width <= 1024, (section.id, width)
