"""The order-level rows of a pushed sale: customer/address when new (FACTS.md §3), cart (§4),
orders (§5), order_invoice, order_carrier, order_payment, order_history (§8), consumed
one-shot configuration keys and the completed ``mostrador_sale`` row.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Any

import bcrypt

from app.till.records import Ticket
from connectors.prestashop.mostrador_tables import sale_table
from connectors.prestashop.order_lines import LineFacts, row, table_of
from connectors.prestashop.order_reads import SaleContext
from connectors.prestashop.sale_types import PushOptions
from connectors.prestashop.shop import ShopInfo
from connectors.prestashop.write_batch import Concat, Insert, Ref, Statement, Update

ADDRESS_ALIAS = "Mostrador"
SHOP_ADDRESS_SEPARATOR = "<br />"


@dataclass(frozen=True)
class Parties:
    id_customer: int | Ref
    id_address: int | Ref
    secure_key: str


def parties_of(ctx: SaleContext) -> Parties:
    if ctx.customer is None:
        return Parties(Ref("customer"), Ref("address"), new_secure_key())
    address: int | Ref = ctx.customer.id_address or Ref("address")
    return Parties(ctx.customer.id_customer, address, ctx.customer.secure_key)


def new_secure_key() -> str:
    """What Customer::add stores: md5 of a random unique id (32 hex characters)."""
    return hashlib.md5(secrets.token_bytes(16), usedforsecurity=False).hexdigest()


# --------------------------------------------------------------------------- customer


def customer_statements(
    shop: ShopInfo, ticket: Ticket, ctx: SaleContext, who: Parties
) -> list[Statement]:
    statements: list[Statement] = []
    if ctx.customer is None:
        statements.append(_new_customer(shop, ticket, ctx, who))
        group = dict(id_customer=Ref("customer"), id_group=_default_group(ticket, ctx))
        statements.append(Insert(table_of(shop, "customer_group"), (group,)))
    if isinstance(who.id_address, Ref):
        statements.append(_new_address(shop, ticket, ctx, who))
    return statements


def _default_group(ticket: Ticket, ctx: SaleContext) -> int:
    return ticket.customer.id_default_group or ctx.config_int("PS_CUSTOMER_GROUP", 3)


def _new_customer(shop: ShopInfo, ticket: Ticket, ctx: SaleContext, who: Parties) -> Insert:
    person, when = ticket.customer, ticket.created_at
    group = _default_group(ticket, ctx)
    # A guest's password is a bcrypt hash of random text: the account can never log in.
    passwd = bcrypt.hashpw(secrets.token_bytes(24), bcrypt.gensalt(rounds=10)).decode()
    minutes = ctx.config_int("PS_PASSWD_TIME_FRONT", 360)
    values = row(
        shop, "customer", id_shop_group=shop.id_shop_group, id_shop=shop.id_shop, id_gender=0,
        id_default_group=group, id_lang=ticket.id_lang, company="", siret="",
        firstname=person.firstname, lastname=person.lastname, email=person.email,
        passwd=passwd, last_passwd_gen=when - timedelta(minutes=minutes), birthday=None,
        newsletter=False, optin=False, outstanding_allow_amount=0, secure_key=who.secure_key,
        note=None, active=True, is_guest=group == ctx.config_int("PS_GUEST_GROUP", 2),
        deleted=False, date_add=when, date_upd=when,
    )  # fmt: skip
    return Insert(table_of(shop, "customer"), (values,), ref="customer")


def _new_address(shop: ShopInfo, ticket: Ticket, ctx: SaleContext, who: Parties) -> Insert:
    """The shop's own address, for a customer taken at the counter (taxes of the shop's
    country, FACTS.md §3), with the customer's phone and tax id (``dni``) when the till took
    them."""
    config, person, when = ctx.config, ticket.customer, ticket.created_at
    values = row(
        shop, "address", id_country=shop.id_country,
        id_state=ctx.config_int("PS_SHOP_STATE_ID") or None, id_customer=who.id_customer,
        id_manufacturer=0, id_supplier=0, id_warehouse=0, alias=ADDRESS_ALIAS, company="",
        lastname=person.lastname, firstname=person.firstname,
        address1=config.get("PS_SHOP_ADDR1") or "-", address2=config.get("PS_SHOP_ADDR2") or "",
        postcode=config.get("PS_SHOP_CODE") or "", city=config.get("PS_SHOP_CITY") or "-",
        other="", phone=person.phone or config.get("PS_SHOP_PHONE") or "", phone_mobile="",
        vat_number="", dni="".join(person.tax_id.split())[:16], date_add=when, date_upd=when,
        active=True, deleted=False,
    )  # fmt: skip
    return Insert(table_of(shop, "address"), (values,), ref="address")


# --------------------------------------------------------------------------- cart, order


def cart_statement(shop: ShopInfo, ticket: Ticket, ctx: SaleContext, who: Parties) -> Insert:
    carrier = ctx.id_carrier
    option: Any = ""
    if carrier:  # Cart::setDeliveryOption: {"<id_address>":"<id_carrier>,"}
        if isinstance(who.id_address, Ref):
            option = Concat(('{"', who.id_address, f'":"{carrier},"}}'))
        else:
            option = json.dumps({str(who.id_address): f"{carrier},"}, separators=(",", ":"))
    values = row(
        shop, "cart", id_shop_group=shop.id_shop_group, id_shop=shop.id_shop,
        id_carrier=carrier, delivery_option=option, id_lang=ticket.id_lang,
        id_address_delivery=who.id_address, id_address_invoice=who.id_address,
        id_currency=ticket.id_currency, id_customer=who.id_customer, id_guest=0,
        secure_key=who.secure_key, recyclable=False, gift=False, gift_message="",
        mobile_theme=False, allow_seperated_package=False, date_add=ticket.created_at,
        date_upd=ticket.created_at,
    )  # fmt: skip
    return Insert(table_of(shop, "cart"), (values,), ref="cart")


def payment_label(ticket: Ticket, options: PushOptions) -> str:
    """orders.payment: the tender's label, or the labels of a split tender joined."""
    labels = list(dict.fromkeys(p.label for p in ticket.payments if p.amount))
    return options.split_payment_separator.join(labels) or options.module


def order_row(
    shop: ShopInfo, ticket: Ticket, ctx: SaleContext, options: PushOptions, who: Parties
) -> dict[str, Any]:
    excl, incl = ticket.total_tax_excl, ticket.total_tax_incl
    paid = ticket.total_paid if ctx.state.logable else Decimal(0)
    return row(
        shop, "orders", reference=ctx.reference, id_shop_group=shop.id_shop_group,
        id_shop=shop.id_shop, id_carrier=ctx.id_carrier, id_lang=ticket.id_lang,
        id_customer=who.id_customer, id_cart=Ref("cart"), id_currency=ticket.id_currency,
        id_address_delivery=who.id_address, id_address_invoice=who.id_address,
        current_state=ctx.state.id_order_state, secure_key=who.secure_key,
        payment=payment_label(ticket, options), conversion_rate=ctx.conversion_rate,
        module=options.module, recyclable=False, gift=False, gift_message="",
        mobile_theme=False, total_discounts=0, total_discounts_tax_incl=0,
        total_discounts_tax_excl=0, total_paid=incl, total_paid_tax_incl=incl,
        total_paid_tax_excl=excl, total_paid_real=paid, total_products=excl,
        total_products_wt=incl, total_shipping=0, total_shipping_tax_incl=0,
        total_shipping_tax_excl=0, carrier_tax_rate=0, total_wrapping=0,
        total_wrapping_tax_incl=0, total_wrapping_tax_excl=0, round_mode=ticket.round_mode,
        round_type=ticket.round_type, invoice_number=0, delivery_number=0, invoice_date=None,
        delivery_date=None, valid=int(ctx.state.logable), date_add=ticket.created_at,
        date_upd=ticket.created_at, note=ticket.note,
    )  # fmt: skip


def invoice_row(shop: ShopInfo, ticket: Ticket, ctx: SaleContext, number: int) -> dict[str, Any]:
    excl, incl = ticket.total_tax_excl, ticket.total_tax_incl
    return row(
        shop, "order_invoice", id_order=Ref("order"), number=number, delivery_number=0,
        delivery_date=None, total_discount_tax_excl=0, total_discount_tax_incl=0,
        total_paid_tax_excl=excl, total_paid_tax_incl=incl, total_products=excl,
        total_products_wt=incl, total_shipping_tax_excl=0, total_shipping_tax_incl=0,
        shipping_tax_computation_method=0, total_wrapping_tax_excl=0,
        total_wrapping_tax_incl=0, shop_address=shop_address(ctx), note="",
        date_add=ticket.created_at,
    )  # fmt: skip


def shop_address(ctx: SaleContext) -> str:
    """OrderInvoice::getCurrentFormattedShopAddress, for the usual European layout."""
    config = ctx.config
    city = " ".join(v for v in (config.get("PS_SHOP_CODE"), config.get("PS_SHOP_CITY")) if v)
    parts = (
        config.get("PS_SHOP_NAME"), config.get("PS_SHOP_ADDR1"), config.get("PS_SHOP_ADDR2"),
        city, ctx.country_name, config.get("PS_SHOP_PHONE"),
    )  # fmt: skip
    return SHOP_ADDRESS_SEPARATOR.join(p for p in parts if p)


def carrier_statements(
    shop: ShopInfo, ticket: Ticket, ctx: SaleContext, lines: list[LineFacts], invoice: Any
) -> list[Statement]:
    if not ctx.id_carrier:
        return []
    weight = sum((f.facts.weight * f.line.quantity for f in lines), Decimal(0))
    values = row(
        shop, "order_carrier", id_order=Ref("order"), id_carrier=ctx.id_carrier,
        id_order_invoice=invoice, weight=weight, shipping_cost_tax_excl=0,
        shipping_cost_tax_incl=0, tracking_number=None, date_add=ticket.created_at,
    )  # fmt: skip
    return [Insert(table_of(shop, "order_carrier"), (values,))]


def payment_statements(
    shop: ShopInfo, ticket: Ticket, ctx: SaleContext, invoice: Any | None
) -> list[Statement]:
    """One order_payment per tender (same reference), linked to the invoice."""
    statements: list[Statement] = []
    links = []
    for position, payment in enumerate(ticket.payments, start=1):
        values = row(
            shop, "order_payment", order_reference=ctx.reference,
            id_currency=ticket.id_currency, amount=payment.amount,
            payment_method=payment.label, conversion_rate=1, transaction_id=None,
            card_number=None, card_brand=None, card_expiration=None, card_holder=None,
            date_add=ticket.created_at, id_employee=ticket.id_employee,
        )  # fmt: skip
        ref = f"payment{position}"
        statements.append(Insert(table_of(shop, "order_payment"), (values,), ref=ref))
        links.append(
            dict(id_order_invoice=invoice, id_order_payment=Ref(ref), id_order=Ref("order"))
        )
    if invoice is not None and links:
        statements.append(Insert(table_of(shop, "order_invoice_payment"), tuple(links)))
    return statements


def history(shop: ShopInfo, ticket: Ticket, id_order_state: int) -> Insert:
    values = dict(id_employee=ticket.id_employee, id_order=Ref("order"),
                  id_order_state=id_order_state, date_add=ticket.created_at)  # fmt: skip
    return Insert(table_of(shop, "order_history"), (values,))


def consumed_keys(
    shop: ShopInfo, ticket: Ticket, ctx: SaleContext, invoice: int, delivery: int
) -> list[Statement]:
    """One-shot start numbers used by this order are cleared, as PrestaShop does."""
    table = table_of(shop, "configuration")
    statements: list[Statement] = []
    used = {"PS_INVOICE_START_NUMBER": invoice, "PS_DELIVERY_NUMBER": delivery}
    for key, number in used.items():
        if number and ctx.config_int(key) == number:
            values = {"value": "", "date_upd": ticket.created_at}
            statements.append(Update(table, values, {"name": key}))
    return statements


def complete_claim(shop: ShopInfo, ticket: Ticket, ctx: SaleContext, invoice: int) -> Update:
    values = {"id_order": Ref("order"), "reference": ctx.reference, "invoice_number": invoice}
    return Update(sale_table(shop.prefix), values, {"uuid": ticket.uuid})
