"""Suppliers: the list, and a form to create or edit one (name, address, tax id, notes).

Saving an edit sends the ``date_upd`` the form loaded; if someone changed the supplier in
PrestaShop meanwhile the save is refused with who-changed-when, and nothing is overwritten.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.erp import suppliers
from app.erp.context import ErpContext
from app.erp.suppliers import SupplierData, SupplierRecord
from app.i18n import _
from ui.erp.form_list import FormListSection
from ui.erp.table_view import TOUCH, erp_button
from ui.errors import show_error
from ui.tasks import TaskManager

_TEXT_FIELDS = ("name", "address1", "address2", "postcode", "city", "phone", "phone_mobile", "dni")


class SuppliersSection(FormListSection):
    """Suppliers"""

    key_field = "id_supplier"

    def __init__(self, tasks: TaskManager, ctx: ErpContext) -> None:
        texts = (_("Suppliers"), _("Supplier name (Ctrl+F)"), _("New supplier (Ctrl+N)"))
        super().__init__(tasks, ctx, suppliers.fetch_suppliers, suppliers.supplier_columns(), texts)
        self.list.reload()

    def make_form(self, id_row: int | None) -> SupplierDialog:
        return SupplierDialog(self.tasks, self.ctx, id_row, self)


class SupplierDialog(QDialog):
    saved = Signal(object)  # SupplierRecord
    loaded = Signal(object)

    def __init__(
        self, tasks: TaskManager, ctx: ErpContext, id_supplier: int | None, parent: QWidget
    ) -> None:
        super().__init__(parent)
        self.tasks, self.ctx = tasks, ctx
        self.record: SupplierRecord | None = None
        self.setWindowTitle(_("Supplier"))
        self.fields = {name: QLineEdit() for name in _TEXT_FIELDS}
        self.active = QCheckBox(_("Active"))
        self.active.setChecked(True)
        self.description = QPlainTextEdit()
        self.description.setMaximumHeight(80)
        form = QFormLayout()
        labels = (_("Name"), _("Address"), _("Address (2)"), _("Postcode"), _("City"), _("Phone"),
                  _("Mobile phone"), _("Tax id"))  # fmt: skip
        for label, name in zip(labels, _TEXT_FIELDS, strict=True):
            self.fields[name].setMinimumHeight(TOUCH)
            form.addRow(label, self.fields[name])
        form.addRow("", self.active)
        form.addRow(_("Notes"), self.description)
        self.message = QLabel()
        self.save_button = erp_button(_("Save (Ctrl+S)"))
        self.save_button.clicked.connect(self.save)
        QShortcut(QKeySequence("Ctrl+S"), self, self.save_button.click)
        close = erp_button(_("Close (Esc)"))
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.message, 1)
        buttons.addWidget(close)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(buttons)
        if id_supplier is not None:
            self.save_button.setEnabled(False)
            tasks.run(lambda: suppliers.load_supplier(ctx, id_supplier), self.show_record,
                      lambda error: show_error(self, error))  # fmt: skip

    def show_record(self, record: SupplierRecord) -> None:
        self.record = record
        for name, widget in self.fields.items():
            widget.setText(str(getattr(record.data, name)))
        self.active.setChecked(record.data.active)
        self.description.setPlainText(record.data.description)
        self.save_button.setEnabled(True)
        self.loaded.emit(record)

    def data(self) -> SupplierData:
        texts = {name: widget.text().strip() for name, widget in self.fields.items()}
        country = self.record.data.id_country if self.record else 0
        notes = self.description.toPlainText().strip()
        return SupplierData(
            active=self.active.isChecked(), id_country=country, description=notes, **texts
        )

    def save(self) -> None:
        ctx, data, record = self.ctx, self.data(), self.record

        def work() -> SupplierRecord:
            if record is None:
                return suppliers.create_supplier(ctx, data)
            return suppliers.save_supplier(ctx, record.id_supplier, data, record.date_upd)

        self.message.setText(_("Saving…"))
        self.save_button.setEnabled(False)
        self.tasks.run(work, self._on_saved, self._on_failed)

    def _on_saved(self, record: SupplierRecord) -> None:
        self.show_record(record)
        self.message.setText(_("Saved."))
        self.saved.emit(record)

    def _on_failed(self, error: BaseException) -> None:
        self.save_button.setEnabled(True)
        self.message.setText(_("Not saved."))
        show_error(self, error)
