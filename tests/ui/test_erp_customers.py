"""The customers section on the SQLite demo shop: create a customer with the form, see a
duplicate e-mail refused, add an address, find the customer in the list."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import text

from app.connection import ShopTarget, parse_url
from app.erp.context import ErpContext, open_erp
from app.i18n import _
from ui.erp.customers import CustomersSection
from ui.tasks import TaskManager

pytestmark = pytest.mark.parametrize("demo_shop_db", ["sqlite"], indirect=True)


@pytest.fixture
def ctx(demo_shop_db: Any) -> Iterator[ErpContext]:
    context = open_erp(ShopTarget(url=parse_url(demo_shop_db.url), prefix="ps_"), id_employee=1)
    yield context
    context.close()


@pytest.fixture
def section(qtbot: QtBot, ctx: ErpContext) -> Iterator[CustomersSection]:
    tasks = TaskManager()
    widget = CustomersSection(tasks, ctx)
    qtbot.addWidget(widget)
    widget.resize(1024, 768)
    widget.show()
    qtbot.waitUntil(lambda: len(widget.list.rows) > 0, timeout=10_000)
    yield widget
    qtbot.waitUntil(lambda: tasks.pending == 0, timeout=10_000)
    tasks.shutdown()


def test_create_a_customer_refuse_a_duplicate_and_add_an_address(
    qtbot: QtBot, section: CustomersSection, ctx: ErpContext
) -> None:
    dialog = section.open_form(None)
    qtbot.waitUntil(dialog.save_button.isEnabled, timeout=10_000)
    dialog.firstname.setText("Lucía")  # QTest cannot type accented letters
    dialog.lastname.setText("Núñez")
    qtbot.keyClicks(dialog.email, "lucia.nunez@example.org")
    with qtbot.waitSignal(dialog.saved, timeout=10_000) as saved:
        qtbot.keyClick(dialog, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    record = saved.args[0]
    assert record.data.groups == (3,) and dialog.message.text() == _("Saved.")
    assert dialog.addresses.isEnabled()

    panel = dialog.addresses
    address = panel.open_address(None)  # its lists load on workers: no event ran yet
    qtbot.waitSignal(address.ready, timeout=10_000).wait()
    values = {
        "alias": "Casa",
        "firstname": "Lucía",
        "lastname": "Núñez",
        "address1": "Calle Mayor 1",
        "postcode": "28001",
        "city": "Madrid",
        "dni": "12345678Z",
    }
    for name, value in values.items():
        address.fields[name].setText(value)
    if address.state.count() > 1:
        address.state.setCurrentIndex(1)
    with qtbot.waitSignal(panel.changed, timeout=10_000):
        address.save_button.click()
    assert panel.list.count() == 1 and "Calle Mayor 1" in panel.list.item(0).text()

    other = section.open_form(None)
    qtbot.waitUntil(other.save_button.isEnabled, timeout=10_000)
    other.firstname.setText("Otra")
    other.lastname.setText("Persona")
    other.email.setText("LUCIA.NUNEZ@example.org")
    other.save_button.click()
    qtbot.waitUntil(lambda: other.message.text() == _("Not saved."), timeout=10_000)
    boxes = other.findChildren(QMessageBox)
    assert boxes and "lucia.nunez@example.org".upper() in boxes[-1].text().upper()
    with ctx.engine.connect() as conn:
        count = conn.execute(
            text("SELECT COUNT(*) FROM ps_customer WHERE lower(email) = 'lucia.nunez@example.org'")
        ).scalar_one()
    assert count == 1
    section.list.search.setText("núñez")
    with qtbot.waitSignal(section.list.page_loaded, timeout=10_000):
        section.list.reload()
    assert [row.id_customer for row in section.list.rows] == [record.id_customer]
