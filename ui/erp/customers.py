"""Customers: the list (search by name, e-mail or company), a form to create or edit one with
its groups and password, and its addresses.

The form keeps the ``date_upd`` it loaded: a customer changed in PrestaShop meanwhile is not
overwritten (the save says who-changed-when). A duplicate e-mail is refused by the core.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.erp import customers
from app.erp.context import ErpContext
from app.erp.customers import AddressData, AddressRecord, Choice, CustomerData, CustomerRecord
from app.i18n import _
from ui.erp.form_list import FormListSection
from ui.erp.table_view import TOUCH, erp_button
from ui.errors import show_error
from ui.tasks import TaskManager


class CustomersSection(FormListSection):
    """Customers"""

    key_field = "id_customer"

    def __init__(self, tasks: TaskManager, ctx: ErpContext) -> None:
        texts = (_("Customers"), _("Name, e-mail or company (Ctrl+F)"),
                 _("New customer (Ctrl+N)"))  # fmt: skip
        super().__init__(tasks, ctx, customers.fetch_customers, customers.customer_columns(), texts)
        self.registered = QCheckBox(_("Registered only (no guests)"))
        self.list.add_filter("registered", self.registered)
        self.list.reload()

    def make_form(self, id_row: int | None) -> CustomerDialog:
        return CustomerDialog(self.tasks, self.ctx, id_row, self)


class CustomerDialog(QDialog):
    saved = Signal(object)  # CustomerRecord
    ready = Signal()  # groups (and the customer) loaded

    def __init__(
        self, tasks: TaskManager, ctx: ErpContext, id_customer: int | None, parent: QWidget
    ) -> None:
        super().__init__(parent)
        self.tasks, self.ctx = tasks, ctx
        self.record: CustomerRecord | None = None
        self.base: CustomerData | None = None
        self.setWindowTitle(_("Customer"))
        self.firstname, self.lastname, self.email = QLineEdit(), QLineEdit(), QLineEdit()
        self.company, self.password = QLineEdit(), QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(_("Empty: keep it (new customer: they choose it)"))
        self.active, self.newsletter = QCheckBox(_("Active")), QCheckBox(_("Newsletter"))
        self.active.setChecked(True)
        self.groups = QListWidget()
        self.groups.setMaximumHeight(110)
        self.default_group = QComboBox()
        form = QFormLayout()
        for label, widget in ((_("First name"), self.firstname), (_("Last name"), self.lastname),
                              (_("E-mail"), self.email), (_("Company"), self.company),
                              (_("Password"), self.password)):  # fmt: skip
            widget.setMinimumHeight(TOUCH)
            form.addRow(label, widget)
        form.addRow("", self.active)
        form.addRow("", self.newsletter)
        form.addRow(_("Groups"), self.groups)
        form.addRow(_("Default group"), self.default_group)
        self.addresses = AddressesPanel(tasks, ctx)
        self.message = QLabel()
        self.save_button = erp_button(_("Save (Ctrl+S)"))
        self.save_button.clicked.connect(self.save)
        self.save_button.setEnabled(False)
        QShortcut(QKeySequence("Ctrl+S"), self, self.save_button.click)
        close = erp_button(_("Close (Esc)"))
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.message, 1)
        buttons.addWidget(close)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.addresses)
        layout.addLayout(buttons)
        self.resize(640, 700)
        tasks.run(lambda: _form_start(ctx, id_customer), self._on_start,
                  lambda error: show_error(self, error))  # fmt: skip

    def _on_start(self, start: tuple[list[Choice], CustomerData, CustomerRecord | None]) -> None:
        choices, base, record = start
        for choice in choices:
            item = QListWidgetItem(choice.name)
            item.setData(Qt.ItemDataRole.UserRole, choice.id)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.groups.addItem(item)
            self.default_group.addItem(choice.name, choice.id)
        self.base = base
        self.show_data(record.data if record else base)
        if record is not None:
            self.show_record(record)
        self.save_button.setEnabled(True)
        self.ready.emit()

    def show_data(self, data: CustomerData) -> None:
        self.firstname.setText(data.firstname)
        self.lastname.setText(data.lastname)
        self.email.setText(data.email)
        self.company.setText(data.company)
        self.active.setChecked(data.active)
        self.newsletter.setChecked(data.newsletter)
        for row in range(self.groups.count()):
            item = self.groups.item(row)
            checked = item.data(Qt.ItemDataRole.UserRole) in data.groups
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        self.default_group.setCurrentIndex(
            max(0, self.default_group.findData(data.id_default_group))
        )

    def show_record(self, record: CustomerRecord) -> None:
        self.record = record
        self.setWindowTitle(_("Customer {id}").format(id=record.id_customer))
        self.addresses.set_customer(record.id_customer)

    def data(self) -> CustomerData:
        base = self.record.data if self.record else self.base
        assert base is not None
        chosen = tuple(
            int(self.groups.item(row).data(Qt.ItemDataRole.UserRole))
            for row in range(self.groups.count())
            if self.groups.item(row).checkState() == Qt.CheckState.Checked
        )
        return replace(
            base, firstname=self.firstname.text(), lastname=self.lastname.text(),
            email=self.email.text(), company=self.company.text(), groups=chosen,
            id_default_group=int(self.default_group.currentData() or 0),
            active=self.active.isChecked(), newsletter=self.newsletter.isChecked(),
        )  # fmt: skip

    def save(self) -> None:
        ctx, data, record, password = self.ctx, self.data(), self.record, self.password.text()

        def work() -> CustomerRecord:
            if record is None:
                return customers.create_customer(ctx, data, password)
            return customers.save_customer(ctx, record.id_customer, data, record.date_upd, password)

        self.message.setText(_("Saving…"))
        self.save_button.setEnabled(False)
        self.tasks.run(work, self._on_saved, self._on_failed)

    def _on_saved(self, record: CustomerRecord) -> None:
        self.password.clear()
        self.show_record(record)
        self.show_data(record.data)
        self.save_button.setEnabled(True)
        self.message.setText(_("Saved."))
        self.saved.emit(record)

    def _on_failed(self, error: BaseException) -> None:
        self.save_button.setEnabled(True)
        self.message.setText(_("Not saved."))
        show_error(self, error)


def _form_start(
    ctx: ErpContext, id_customer: int | None
) -> tuple[list[Choice], CustomerData, CustomerRecord | None]:
    """Worker: the groups, an empty form and the customer being edited."""
    record = customers.load_customer(ctx, id_customer) if id_customer else None
    return customers.customer_groups(ctx), customers.default_customer(ctx), record


class AddressesPanel(QWidget):
    """The addresses of one customer, with add and edit."""

    changed = Signal(object)  # list[AddressRecord]

    def __init__(self, tasks: TaskManager, ctx: ErpContext) -> None:
        super().__init__()
        self.tasks, self.ctx = tasks, ctx
        self.id_customer = 0
        self.records: list[AddressRecord] = []
        self.list = QListWidget()
        self.list.setMaximumHeight(120)
        self.add_button = erp_button(_("Add address (Ctrl+D)"))
        self.edit_button = erp_button(_("Edit address (Ctrl+Shift+D)"))
        self.add_button.clicked.connect(lambda: self.open_address(None))
        self.edit_button.clicked.connect(self.edit_selected)
        QShortcut(QKeySequence("Ctrl+D"), self, self.add_button.click)
        QShortcut(QKeySequence("Ctrl+Shift+D"), self, self.edit_button.click)
        self.list.itemActivated.connect(lambda _item: self.edit_selected())
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.edit_button)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(_("Addresses")))
        layout.addWidget(self.list)
        layout.addLayout(buttons)
        self.setEnabled(False)

    def set_customer(self, id_customer: int) -> None:
        self.id_customer = id_customer
        self.setEnabled(True)
        ctx = self.ctx
        self.tasks.run(lambda: customers.customer_addresses(ctx, id_customer), self.show_records)

    def show_records(self, records: list[AddressRecord]) -> None:
        self.records = records
        self.list.clear()
        for record in records:
            data = record.data
            self.list.addItem(f"{data.alias}: {data.address1}, {data.postcode} {data.city}")
        self.changed.emit(records)

    def edit_selected(self) -> None:
        row = self.list.currentRow()
        if 0 <= row < len(self.records):
            self.open_address(self.records[row])

    def open_address(self, record: AddressRecord | None) -> AddressDialog:
        dialog = AddressDialog(self.tasks, self.ctx, self.id_customer, record, self)
        dialog.saved.connect(self.show_records)
        dialog.open()
        return dialog


_ADDRESS_FIELDS = ("alias", "firstname", "lastname", "company", "address1", "address2",
                   "postcode", "city", "phone", "phone_mobile", "dni", "vat_number")  # fmt: skip


class AddressDialog(QDialog):
    saved = Signal(object)  # list[AddressRecord]
    ready = Signal()

    def __init__(
        self, tasks: TaskManager, ctx: ErpContext, id_customer: int,
        record: AddressRecord | None, parent: QWidget,
    ) -> None:  # fmt: skip
        super().__init__(parent)
        self.tasks, self.ctx, self.id_customer, self.record = tasks, ctx, id_customer, record
        self.setWindowTitle(_("Address"))
        self.fields = {name: QLineEdit() for name in _ADDRESS_FIELDS}
        self.country, self.state = QComboBox(), QComboBox()
        labels = (_("Alias"), _("First name"), _("Last name"), _("Company"), _("Address"),
                  _("Address (2)"), _("Postcode"), _("City"), _("Phone"), _("Mobile phone"),
                  _("ID number"), _("VAT number"))  # fmt: skip
        form = QFormLayout()
        for label, name in zip(labels, _ADDRESS_FIELDS, strict=True):
            self.fields[name].setMinimumHeight(TOUCH)
            form.addRow(label, self.fields[name])
        form.addRow(_("Country"), self.country)
        form.addRow(_("Province"), self.state)
        self.message = QLabel()
        self.save_button = erp_button(_("Save (Ctrl+S)"))
        self.save_button.clicked.connect(self.save)
        QShortcut(QKeySequence("Ctrl+S"), self, self.save_button.click)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.save_button)
        if record is not None:
            for name, widget in self.fields.items():
                widget.setText(str(getattr(record.data, name)))
        tasks.run(lambda: customers.countries(ctx), self._on_countries)

    def _on_countries(self, found: list[customers.CountryChoice]) -> None:
        for country in found:
            self.country.addItem(country.name, country.id_country)
        wanted = self.record.data.id_country if self.record else self.ctx.shop.id_country
        self.country.setCurrentIndex(max(0, self.country.findData(wanted)))
        self.country.currentIndexChanged.connect(lambda _i: self._load_states())
        self._load_states()

    def _load_states(self) -> None:
        id_country, ctx = int(self.country.currentData() or 0), self.ctx
        self.tasks.run(lambda: customers.states(ctx, id_country), self._on_states)

    def _on_states(self, found: list[Choice]) -> None:
        self.state.clear()
        self.state.addItem("—", 0)
        for state in found:
            self.state.addItem(state.name, state.id)
        if self.record is not None:
            self.state.setCurrentIndex(max(0, self.state.findData(self.record.data.id_state)))
        self.ready.emit()

    def data(self) -> AddressData:
        texts = {name: widget.text() for name, widget in self.fields.items()}
        return AddressData(id_country=int(self.country.currentData() or 0),
                           id_state=int(self.state.currentData() or 0), **texts)  # fmt: skip

    def save(self) -> None:
        ctx, data, record, cid = self.ctx, self.data(), self.record, self.id_customer

        def work() -> list[AddressRecord]:
            if record is None:
                return customers.create_address(ctx, cid, data)
            return customers.save_address(ctx, cid, record.id_address, data, record.date_upd)

        self.message.setText(_("Saving…"))
        self.tasks.run(work, self._on_saved, self._failed)

    def _on_saved(self, records: list[AddressRecord]) -> None:
        self.saved.emit(records)
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self.message.setText(_("Not saved."))
        show_error(self, error)
