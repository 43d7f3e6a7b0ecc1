"""Column declarations: customers, addresses, carts, orders and everything an order writes
(details, taxes, history, payments, invoices, credit slips, carriers, vouchers).

Only the columns a till or a back office uses are declared; each matches the real schema of
every supported version (checked by tests/unit/test_mapping_facts.py).
"""

from __future__ import annotations

from sqlalchemy import CHAR
from sqlalchemy.orm import Mapped, mapped_column

from connectors.prestashop.types import (
    ConversionRate,
    DateAdd,
    Ecotax,
    EcotaxRate,
    Flag,
    Int,
    IntPK,
    InvoiceTaxAmount,
    LongText,
    NullDate,
    NullDateTime,
    Percent,
    Price,
    PsTable,
    TaxAmount,
    TaxRate,
    Timestamp,
    TinyInt,
    UFlag,
    UInt,
    UIntPK,
    UTinyInt,
    ZeroDateTime,
    since,
    until,
    varchar,
)

# --------------------------------------------------------------------------- customers


class Customer(PsTable):
    __ps_table__ = "customer"
    id_customer: Mapped[UIntPK]
    id_shop_group: Mapped[UInt]
    id_shop: Mapped[UInt]
    id_gender: Mapped[UInt]
    id_default_group: Mapped[UInt]
    id_lang: Mapped[UInt | None]
    id_risk: Mapped[UInt]
    company: Mapped[str | None] = mapped_column(varchar(255))
    siret: Mapped[str | None] = mapped_column(varchar(14))
    firstname: Mapped[str] = mapped_column(varchar(255))
    lastname: Mapped[str] = mapped_column(varchar(255))
    email: Mapped[str] = mapped_column(varchar(255))
    passwd: Mapped[str] = mapped_column(varchar(255))
    last_passwd_gen: Mapped[Timestamp]
    birthday: Mapped[NullDate]
    newsletter: Mapped[UFlag]
    optin: Mapped[UFlag]
    outstanding_allow_amount: Mapped[Price]
    secure_key: Mapped[str] = mapped_column(varchar(32))
    note: Mapped[LongText | None]
    active: Mapped[UFlag]
    is_guest: Mapped[Flag]
    deleted: Mapped[Flag]
    date_add: Mapped[DateAdd]
    date_upd: Mapped[DateAdd]


class CustomerGroup(PsTable):
    __ps_table__ = "customer_group"
    id_customer: Mapped[UIntPK]
    id_group: Mapped[UIntPK]


class Address(PsTable):
    __ps_table__ = "address"
    id_address: Mapped[UIntPK]
    id_country: Mapped[UInt]
    id_state: Mapped[UInt | None]
    id_customer: Mapped[UInt]
    id_manufacturer: Mapped[UInt]
    id_supplier: Mapped[UInt]
    id_warehouse: Mapped[UInt]
    alias: Mapped[str] = mapped_column(varchar(32))
    company: Mapped[str | None] = mapped_column(varchar(255))
    lastname: Mapped[str] = mapped_column(varchar(255))
    firstname: Mapped[str] = mapped_column(varchar(255))
    address1: Mapped[str] = mapped_column(varchar(128))
    address2: Mapped[str | None] = mapped_column(varchar(128))
    postcode: Mapped[str | None] = mapped_column(varchar(12))
    city: Mapped[str] = mapped_column(varchar(64))
    other: Mapped[LongText | None]
    phone: Mapped[str | None] = mapped_column(varchar(32))
    phone_mobile: Mapped[str | None] = mapped_column(varchar(32))
    vat_number: Mapped[str | None] = mapped_column(varchar(32))
    dni: Mapped[str | None] = mapped_column(varchar(16))
    date_add: Mapped[DateAdd]
    date_upd: Mapped[DateAdd]
    active: Mapped[UFlag]
    deleted: Mapped[UFlag]


# --------------------------------------------------------------------------- carts


class Cart(PsTable):
    __ps_table__ = "cart"
    id_cart: Mapped[UIntPK]
    id_shop_group: Mapped[UInt]
    id_shop: Mapped[UInt]
    id_carrier: Mapped[UInt]
    delivery_option: Mapped[LongText]
    id_lang: Mapped[UInt]
    id_address_delivery: Mapped[UInt]
    id_address_invoice: Mapped[UInt]
    id_currency: Mapped[UInt]
    id_customer: Mapped[UInt]
    id_guest: Mapped[UInt]
    secure_key: Mapped[str] = mapped_column(varchar(32))
    recyclable: Mapped[UFlag]
    gift: Mapped[UFlag]
    gift_message: Mapped[LongText | None]
    mobile_theme: Mapped[Flag]
    allow_seperated_package: Mapped[UFlag]
    date_add: Mapped[DateAdd]
    date_upd: Mapped[DateAdd]


class CartProduct(PsTable):
    __ps_table__ = "cart_product"
    id_cart: Mapped[UIntPK]
    id_product: Mapped[UIntPK]
    id_address_delivery: Mapped[UIntPK]
    id_shop: Mapped[UInt]
    id_product_attribute: Mapped[UIntPK]
    id_customization: Mapped[UIntPK]
    quantity: Mapped[UInt]
    date_add: Mapped[DateAdd]


# --------------------------------------------------------------------------- orders


class Orders(PsTable):
    __ps_table__ = "orders"
    id_order: Mapped[UIntPK]
    reference: Mapped[str | None] = mapped_column(varchar(255), info=until("8.1", length=9))
    id_shop_group: Mapped[UInt]
    id_shop: Mapped[UInt]
    id_carrier: Mapped[UInt]
    id_lang: Mapped[UInt]
    id_customer: Mapped[UInt]
    id_cart: Mapped[UInt]
    id_currency: Mapped[UInt]
    id_address_delivery: Mapped[UInt]
    id_address_invoice: Mapped[UInt]
    current_state: Mapped[UInt]
    secure_key: Mapped[str] = mapped_column(varchar(32))
    payment: Mapped[str] = mapped_column(varchar(255))
    conversion_rate: Mapped[ConversionRate]
    module: Mapped[str | None] = mapped_column(varchar(255))
    recyclable: Mapped[UFlag]
    gift: Mapped[UFlag]
    gift_message: Mapped[LongText | None]
    mobile_theme: Mapped[Flag]
    total_discounts: Mapped[Price]
    total_discounts_tax_incl: Mapped[Price]
    total_discounts_tax_excl: Mapped[Price]
    total_paid: Mapped[Price]
    total_paid_tax_incl: Mapped[Price]
    total_paid_tax_excl: Mapped[Price]
    total_paid_real: Mapped[Price]
    total_products: Mapped[Price]
    total_products_wt: Mapped[Price]
    total_shipping: Mapped[Price]
    total_shipping_tax_incl: Mapped[Price]
    total_shipping_tax_excl: Mapped[Price]
    carrier_tax_rate: Mapped[TaxRate]
    total_wrapping: Mapped[Price]
    total_wrapping_tax_incl: Mapped[Price]
    total_wrapping_tax_excl: Mapped[Price]
    round_mode: Mapped[TinyInt]  # PS_PRICE_ROUND_MODE snapshot (0–5)
    round_type: Mapped[TinyInt]  # PS_ROUND_TYPE snapshot (1–3)
    invoice_number: Mapped[UInt]
    delivery_number: Mapped[UInt]
    invoice_date: Mapped[ZeroDateTime]
    delivery_date: Mapped[ZeroDateTime]
    valid: Mapped[UInt]  # int(1): the current state's logable flag
    date_add: Mapped[DateAdd]
    date_upd: Mapped[DateAdd]
    note: Mapped[LongText | None]


class OrderDetail(PsTable):
    __ps_table__ = "order_detail"
    id_order_detail: Mapped[UIntPK]
    id_order: Mapped[UInt]
    id_order_invoice: Mapped[Int | None]
    id_warehouse: Mapped[UInt | None]
    id_shop: Mapped[UInt]
    product_id: Mapped[UInt]
    product_attribute_id: Mapped[UInt | None]
    id_customization: Mapped[UInt | None]
    product_name: Mapped[LongText] = mapped_column(
        info=until("1.7.8", family="varchar", length=255)
    )
    product_quantity: Mapped[UInt]
    product_quantity_in_stock: Mapped[Int]
    product_quantity_refunded: Mapped[UInt]
    product_quantity_return: Mapped[UInt]
    product_quantity_reinjected: Mapped[UInt]
    product_price: Mapped[Price]
    reduction_percent: Mapped[Percent]
    reduction_amount: Mapped[Price]
    reduction_amount_tax_incl: Mapped[Price]
    reduction_amount_tax_excl: Mapped[Price]
    group_reduction: Mapped[Percent]
    product_quantity_discount: Mapped[Price]
    product_ean13: Mapped[str | None] = mapped_column(varchar(20), info=until("8.1", length=13))
    product_isbn: Mapped[str | None] = mapped_column(varchar(32))
    product_upc: Mapped[str | None] = mapped_column(varchar(12))
    product_mpn: Mapped[str | None] = mapped_column(varchar(40))
    product_reference: Mapped[str | None] = mapped_column(varchar(64))
    product_supplier_reference: Mapped[str | None] = mapped_column(varchar(64))
    product_weight: Mapped[Price]
    id_tax_rules_group: Mapped[UInt | None]
    tax_computation_method: Mapped[UTinyInt]  # 0 one tax, 1 combined, 2 one after another
    tax_name: Mapped[str] = mapped_column(varchar(16))
    tax_rate: Mapped[TaxRate]
    ecotax: Mapped[Ecotax]
    ecotax_tax_rate: Mapped[EcotaxRate]
    discount_quantity_applied: Mapped[Flag]
    download_hash: Mapped[str | None] = mapped_column(varchar(255))
    download_nb: Mapped[UInt | None]
    download_deadline: Mapped[NullDateTime]
    total_price_tax_incl: Mapped[Price]
    total_price_tax_excl: Mapped[Price]
    unit_price_tax_incl: Mapped[Price]
    unit_price_tax_excl: Mapped[Price]
    total_shipping_price_tax_incl: Mapped[Price]
    total_shipping_price_tax_excl: Mapped[Price]
    purchase_supplier_price: Mapped[Price]
    original_product_price: Mapped[Price]
    original_wholesale_price: Mapped[Price]
    total_refunded_tax_excl: Mapped[Price]
    total_refunded_tax_incl: Mapped[Price]


class OrderDetailTax(PsTable):
    # The table has no primary key; the mapper uses (id_order_detail, id_tax), which
    # PrestaShop keeps unique (one row per line and tax).
    __ps_table__ = "order_detail_tax"
    __mapper_args__ = {"primary_key": ["id_order_detail", "id_tax"]}
    id_order_detail: Mapped[Int]
    id_tax: Mapped[Int]
    unit_amount: Mapped[TaxAmount]
    total_amount: Mapped[TaxAmount]


class OrderHistory(PsTable):
    __ps_table__ = "order_history"
    id_order_history: Mapped[UIntPK]
    id_employee: Mapped[UInt]  # 0 when not an employee
    id_order: Mapped[UInt]
    id_order_state: Mapped[UInt]
    date_add: Mapped[DateAdd]


class OrderPayment(PsTable):
    """A payment belongs to ``order_reference`` (orders.reference), not to an order id."""

    __ps_table__ = "order_payment"
    id_order_payment: Mapped[IntPK]
    order_reference: Mapped[str | None] = mapped_column(varchar(255), info=until("8.1", length=9))
    id_currency: Mapped[UInt]
    amount: Mapped[Price]
    payment_method: Mapped[str] = mapped_column(varchar(255))
    conversion_rate: Mapped[ConversionRate]
    transaction_id: Mapped[str | None] = mapped_column(varchar(254))
    card_number: Mapped[str | None] = mapped_column(varchar(254))
    card_brand: Mapped[str | None] = mapped_column(varchar(254))
    card_expiration: Mapped[str | None] = mapped_column(CHAR(7))
    card_holder: Mapped[str | None] = mapped_column(varchar(254))
    date_add: Mapped[DateAdd]
    id_employee: Mapped[Int | None] = mapped_column(info=since("8.1"))


class OrderInvoice(PsTable):
    __ps_table__ = "order_invoice"
    id_order_invoice: Mapped[UIntPK]
    id_order: Mapped[Int]
    number: Mapped[Int]
    delivery_number: Mapped[Int]
    delivery_date: Mapped[NullDateTime]
    total_discount_tax_excl: Mapped[Price]
    total_discount_tax_incl: Mapped[Price]
    total_paid_tax_excl: Mapped[Price]
    total_paid_tax_incl: Mapped[Price]
    total_products: Mapped[Price]
    total_products_wt: Mapped[Price]
    total_shipping_tax_excl: Mapped[Price]
    total_shipping_tax_incl: Mapped[Price]
    shipping_tax_computation_method: Mapped[UInt]
    total_wrapping_tax_excl: Mapped[Price]
    total_wrapping_tax_incl: Mapped[Price]
    shop_address: Mapped[LongText | None]
    note: Mapped[LongText | None]
    date_add: Mapped[DateAdd]


class OrderInvoicePayment(PsTable):
    __ps_table__ = "order_invoice_payment"
    id_order_invoice: Mapped[UIntPK]
    id_order_payment: Mapped[UIntPK]
    id_order: Mapped[UInt]


class OrderInvoiceTax(PsTable):
    # The table has no primary key; the mapper uses (id_order_invoice, type, id_tax): one row
    # per invoice, kind ('shipping' / 'wrapping') and tax.
    __ps_table__ = "order_invoice_tax"
    __mapper_args__ = {"primary_key": ["id_order_invoice", "type", "id_tax"]}
    id_order_invoice: Mapped[Int]
    type: Mapped[str] = mapped_column(varchar(15))
    id_tax: Mapped[Int]
    amount: Mapped[InvoiceTaxAmount]


class OrderCarrier(PsTable):
    __ps_table__ = "order_carrier"
    id_order_carrier: Mapped[IntPK]
    id_order: Mapped[UInt]
    id_carrier: Mapped[UInt]
    id_order_invoice: Mapped[UInt | None]
    weight: Mapped[Price | None]
    shipping_cost_tax_excl: Mapped[Price | None]
    shipping_cost_tax_incl: Mapped[Price | None]
    tracking_number: Mapped[str | None] = mapped_column(varchar(64))
    date_add: Mapped[DateAdd]


class OrderCartRule(PsTable):
    __ps_table__ = "order_cart_rule"
    id_order_cart_rule: Mapped[UIntPK]
    id_order: Mapped[UInt]
    id_cart_rule: Mapped[UInt]
    id_order_invoice: Mapped[UInt | None]
    name: Mapped[str] = mapped_column(varchar(254))
    value: Mapped[Price]  # tax incl.
    value_tax_excl: Mapped[Price]
    free_shipping: Mapped[Flag]
    deleted: Mapped[UFlag]


# --------------------------------------------------------------------------- refunds


class OrderSlip(PsTable):
    __ps_table__ = "order_slip"
    id_order_slip: Mapped[UIntPK]
    conversion_rate: Mapped[ConversionRate]
    id_customer: Mapped[UInt]
    id_order: Mapped[UInt]
    total_products_tax_excl: Mapped[Price | None]
    total_products_tax_incl: Mapped[Price | None]
    total_shipping_tax_excl: Mapped[Price | None]
    total_shipping_tax_incl: Mapped[Price | None]
    shipping_cost: Mapped[UTinyInt]
    amount: Mapped[Price]
    shipping_cost_amount: Mapped[Price]
    partial: Mapped[Flag]
    order_slip_type: Mapped[UTinyInt]  # 0 normal, 1 excl. vouchers, 2 specific amount
    date_add: Mapped[DateAdd]
    date_upd: Mapped[DateAdd]


class OrderSlipDetail(PsTable):
    __ps_table__ = "order_slip_detail"
    id_order_slip: Mapped[UIntPK]
    id_order_detail: Mapped[UIntPK]
    product_quantity: Mapped[UInt]
    unit_price_tax_excl: Mapped[Price | None]
    unit_price_tax_incl: Mapped[Price | None]
    total_price_tax_excl: Mapped[Price | None]
    total_price_tax_incl: Mapped[Price | None]
    amount_tax_excl: Mapped[Price | None]
    amount_tax_incl: Mapped[Price | None]


ORDER_TABLES: tuple[type[PsTable], ...] = (
    Customer,
    CustomerGroup,
    Address,
    Cart,
    CartProduct,
    Orders,
    OrderDetail,
    OrderDetailTax,
    OrderHistory,
    OrderPayment,
    OrderInvoice,
    OrderInvoicePayment,
    OrderInvoiceTax,
    OrderCarrier,
    OrderCartRule,
    OrderSlip,
    OrderSlipDetail,
)
