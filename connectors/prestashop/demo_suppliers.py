"""Demo shop, part 5: the wholesalers and what they supply, as PrestaShop's back office keeps them.

Each supplier of ``demo_words.SUPPLIERS`` is a ``supplier`` row, one ``supplier_lang`` row per
language, a ``supplier_shop`` row for shop 1 and its ``address`` (``id_supplier`` set,
``id_customer`` 0, alias, first and last name "supplier", as AddSupplierHandler writes it).

Every product has its category's supplier as default supplier (``product.id_supplier`` and
``supplier_reference``, written by demo_catalog) and the ``product_supplier`` rows that
ProductSupplierUpdater::associateSuppliers keeps: one with ``id_product_attribute`` 0 and one per
combination, in the shop's currency, priced at the wholesale price (the combination's where it
has one). A combination's ``supplier_reference`` is its own row's reference; a product with
combinations shows its default combination's, as updateProductDefaultSupplier sets it.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from connectors.prestashop import demo_words as w
from connectors.prestashop.demo_catalog import (
    Combination,
    Product,
    default_supplier,
    supplier_reference,
)
from connectors.prestashop.demo_util import Context, Row

EURO = 1  # id_currency of the demo shop
SUPPLIER_ADDRESS_NAME = "supplier"  # alias, firstname and lastname of a supplier's address
CIF_LETTERS = "ABCDEFGHJNPQRSUVW"


def cif(body: str) -> str:
    """A Spanish company tax id: the letter and 7 digits of ``body`` plus the control digit."""
    letter, digits = body[0], body[1:]
    if letter not in CIF_LETTERS or len(digits) != 7 or not digits.isdigit():
        raise ValueError(f"not a CIF body: {body}")
    even = sum(int(d) for d in digits[1::2])
    odd = sum(sum(divmod(2 * int(d), 10)) for d in digits[0::2])
    return f"{body}{(10 - (even + odd) % 10) % 10}"


def add_suppliers(ctx: Context, first_address: int) -> int:
    """Every demo supplier with its languages, shop and address (ids from ``first_address``);
    return how many."""
    for offset, supplier in enumerate(w.SUPPLIERS):
        when = ctx.installed + datetime.timedelta(days=supplier.id)
        ctx.sink.add(
            "supplier",
            dict(id_supplier=supplier.id, name=supplier.name, date_add=when, date_upd=when,
                 active=1),
        )  # fmt: skip
        for id_lang, _, _, _, _, _, _ in w.LANGS:
            ctx.sink.add("supplier_lang", _supplier_lang(supplier, id_lang))
        ctx.sink.add("supplier_shop", dict(id_supplier=supplier.id, id_shop=1))
        ctx.sink.add("address", _address(ctx, supplier, first_address + offset, when))
    return len(w.SUPPLIERS)


def _supplier_lang(supplier: w.Supplier, id_lang: int) -> Row:
    return dict(
        id_supplier=supplier.id, id_lang=id_lang,
        description=supplier.es if id_lang == 1 else supplier.en, meta_title="",
        meta_keywords="", meta_description="",
    )  # fmt: skip


def _address(ctx: Context, supplier: w.Supplier, id_address: int, when: datetime.datetime) -> Row:
    name = SUPPLIER_ADDRESS_NAME
    return dict(
        id_address=id_address, id_country=w.SPAIN, id_state=ctx.state_ids.get(supplier.province, 0),
        id_customer=0, id_manufacturer=0, id_supplier=supplier.id, id_warehouse=0, alias=name,
        company="", lastname=name, firstname=name, address1=supplier.address, address2="",
        postcode=supplier.postcode, city=supplier.city, other="", phone=supplier.phone,
        phone_mobile="", vat_number="", dni=cif(supplier.cif), date_add=when, date_upd=when,
        active=1, deleted=0,
    )  # fmt: skip


def add_product_suppliers(ctx: Context, products: Iterable[Product], next_id: int) -> int:
    """The ``product_supplier`` rows of ``products`` (ids from ``next_id``); the next free id."""
    for product in products:
        for row in product_supplier_rows(product):
            ctx.sink.add("product_supplier", dict(row, id_product_supplier=next_id))
            next_id += 1
    return next_id


def product_supplier_rows(product: Product) -> list[Row]:
    """One row for the product itself (id_product_attribute 0), then one per combination."""
    supplier = default_supplier(product)
    model = f"{supplier.code}-{product.id:06d}"
    rows = [_product_supplier(product, None, model, supplier.id)]
    for combination in product.combinations:
        reference = supplier_reference(product, combination)
        rows.append(_product_supplier(product, combination, reference, supplier.id))
    return rows


def _product_supplier(
    product: Product, combination: Combination | None, reference: str, id_supplier: int
) -> Row:
    price = combination.wholesale if combination and combination.wholesale else product.wholesale
    return dict(
        id_product=product.id, id_product_attribute=combination.id if combination else 0,
        id_supplier=id_supplier, product_supplier_reference=reference,
        product_supplier_price_te=price, id_currency=EURO,
    )  # fmt: skip
