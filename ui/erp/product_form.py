"""The product form: name per language, reference, EAN13 (check digit validated), price with
or without tax (either typed, the other computed through the tax rules group), tax rules
group, category, active and wholesale price. Opens empty for a new product.

Loading and saving run on workers (``app.erp.products.load_form`` / ``save_product`` /
``create_product``); a save over someone else's change is refused with their time, and the
form stays open so the manager can reload.
"""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.erp.context import ErpContext
from app.erp.products import (
    ProductForm,
    ProductRecord,
    ProductValues,
    create_product,
    ean13_ok,
    load_form,
    parse_amount,
    plain_amount,
    save_product,
)
from app.errors import UserFacingError
from app.i18n import _
from ui.erp.table_view import TOUCH, erp_button
from ui.errors import show_error
from ui.tasks import TaskManager


def _field(text: str = "") -> QLineEdit:
    field = QLineEdit(text)
    field.setMinimumHeight(TOUCH)
    return field


class ProductFormDialog(QDialog):
    saved = Signal(object)  # ProductRecord
    loaded = Signal()

    def __init__(
        self, tasks: TaskManager, ctx: ErpContext, id_product: int | None, parent: QWidget | None
    ) -> None:
        super().__init__(parent)
        self.tasks, self.ctx, self.id_product = tasks, ctx, id_product
        self.form: ProductForm | None = None
        self.typed_with_tax = False
        self.setWindowTitle(_("New product") if id_product is None else _("Edit product"))
        self.setMinimumWidth(560)
        self.layout_ = QVBoxLayout(self)
        self.message = QLabel(_("Loading…"))
        self.message.setWordWrap(True)
        self.layout_.addWidget(self.message)
        self.reload()

    def reload(self) -> None:
        ctx, id_product = self.ctx, self.id_product
        self.tasks.run(lambda: load_form(ctx, id_product), self.on_loaded, self.on_failed)

    def on_failed(self, error: BaseException) -> None:
        self.message.setText(str(getattr(error, "message", "")) or _("Could not load."))
        show_error(self, error)

    def on_loaded(self, form: ProductForm) -> None:
        first = self.form is None
        self.form = form
        if first:
            self._build(form)
        self._fill(form)
        self.message.setText("")
        self.loaded.emit()

    def _build(self, form: ProductForm) -> None:
        grid = QFormLayout()
        self.names = {lang.id: _field() for lang in form.languages}
        for lang in form.languages:
            grid.addRow(_("Name ({language})").format(language=lang.name), self.names[lang.id])
        self.reference, self.ean13 = _field(), _field()
        self.ean13.setMaxLength(13)
        self.ean13.textChanged.connect(self._check_ean)
        self.price, self.price_tax_incl, self.wholesale = _field(), _field(), _field()
        self.price.textEdited.connect(lambda _t: self._typed(with_tax=False))
        self.price_tax_incl.textEdited.connect(lambda _t: self._typed(with_tax=True))
        self.tax_group, self.category = QComboBox(), QComboBox()
        for combo, choices in ((self.tax_group, form.tax_groups), (self.category, form.categories)):
            combo.setMinimumHeight(TOUCH)
            if combo is self.tax_group:
                combo.addItem(_("No tax"), 0)
            for choice in choices:
                combo.addItem(choice.name, choice.id)
        self.tax_group.currentIndexChanged.connect(lambda _i: self._typed(self.typed_with_tax))
        self.active = QCheckBox(_("Active (sold in the shop)"))
        self.active.setMinimumHeight(TOUCH)
        for label, widget in (
            (_("Reference"), self.reference), (_("EAN13"), self.ean13),
            (_("Price without tax"), self.price), (_("Price with tax"), self.price_tax_incl),
            (_("Tax rules"), self.tax_group), (_("Category"), self.category),
            (_("Wholesale price"), self.wholesale), ("", self.active),
        ):  # fmt: skip
            grid.addRow(label, widget)
        self.layout_.addLayout(grid)
        self.save_button = erp_button(_("Save (Ctrl+S)"), "Ctrl+S")
        self.cancel_button = erp_button(_("Close (Esc)"))
        self.save_button.clicked.connect(self.save)
        self.cancel_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.save_button)
        self.layout_.addLayout(buttons)

    def _fill(self, form: ProductForm) -> None:
        record = form.record
        if record is None:
            self.active.setChecked(True)
            self.price.setText("0,00")
            self._typed(with_tax=False)
            return
        values = record.values
        for id_lang, field in self.names.items():
            field.setText(values.names.get(id_lang, ""))
        self.reference.setText(values.reference)
        self.ean13.setText(values.ean13)
        _select(self.tax_group, values.id_tax_rules_group)
        _select(self.category, values.id_category_default)
        self.active.setChecked(values.active)
        self.wholesale.setText(plain_amount(values.wholesale_price))
        self.price.setText(plain_amount(values.price))
        self._typed(with_tax=False)

    # --- prices -----------------------------------------------------------------------------

    def _typed(self, with_tax: bool) -> None:
        """The side just typed stays; the other is computed through the tax rules."""
        if self.form is None:
            return
        self.typed_with_tax = with_tax
        group = int(self.tax_group.currentData() or 0)
        try:
            if with_tax:
                excl = self.form.taxes.without_tax(parse_amount(self.price_tax_incl.text()), group)
                self.price.setText(plain_amount(excl))
            else:
                incl = self.form.taxes.with_tax(parse_amount(self.price.text()), group)
                self.price_tax_incl.setText(plain_amount(incl))
        except UserFacingError as error:
            self.message.setText(error.message)

    def price_tax_excl(self) -> Decimal:
        """The price to store: from the tax-included one when that is what was typed."""
        assert self.form is not None
        group = int(self.tax_group.currentData() or 0)
        if self.typed_with_tax:
            return self.form.taxes.without_tax(parse_amount(self.price_tax_incl.text()), group)
        return parse_amount(self.price.text()).quantize(Decimal("0.000001"))

    def _check_ean(self, text: str) -> None:
        bad = bool(text) and (len(text) == 13 or not text.isdigit()) and not ean13_ok(text)
        self.ean13.setStyleSheet("border: 2px solid #c62828;" if bad else "")
        self.message.setText(_("Wrong EAN13 check digit.") if bad else "")

    # --- saving -----------------------------------------------------------------------------

    def values(self) -> ProductValues:
        return ProductValues(
            names={i: f.text().strip() for i, f in self.names.items() if f.text().strip()},
            reference=self.reference.text().strip(), ean13=self.ean13.text().strip(),
            price=self.price_tax_excl(), id_tax_rules_group=int(self.tax_group.currentData() or 0),
            id_category_default=int(self.category.currentData() or 0),
            active=self.active.isChecked(),
            wholesale_price=parse_amount(self.wholesale.text()).quantize(Decimal("0.000001")),
        )  # fmt: skip

    def save(self) -> None:
        if self.form is None:
            return
        try:
            values = self.values()
        except UserFacingError as error:
            show_error(self, error)
            return
        ctx, record = self.ctx, self.form.record
        self.save_button.setEnabled(False)
        self.message.setText(_("Saving…"))
        if record is None:
            self.tasks.run(lambda: create_product(ctx, values), self.on_saved, self.on_save_failed)
        else:
            loaded, id_product = record.date_upd, record.id_product
            self.tasks.run(
                lambda: save_product(ctx, id_product, values, loaded),
                self.on_saved,
                self.on_save_failed,
            )

    def on_saved(self, record: ProductRecord) -> None:
        self.save_button.setEnabled(True)
        self.message.setText(_("Saved."))
        self.saved.emit(record)
        self.accept()

    def on_save_failed(self, error: BaseException) -> None:
        self.save_button.setEnabled(True)
        self.message.setText(getattr(error, "message", "") or _("Not saved."))
        show_error(self, error)


def _select(combo: QComboBox, value: int) -> None:
    index = combo.findData(value)
    combo.setCurrentIndex(max(index, 0))
