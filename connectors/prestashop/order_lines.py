"""The per-line rows of a pushed sale: order_detail, order_detail_tax, cart_product, stock
(stock_available decrements, stock_mvt) and product_sale (FACTS.md §4, §6, §7, §2 row 9).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from app.till.records import Ticket, TicketLine
from connectors.prestashop.order_reads import ItemFacts, SaleContext
from connectors.prestashop.sale_types import PushRefused
from connectors.prestashop.shop import ShopInfo
from connectors.prestashop.types import ZERO_DATETIME
from connectors.prestashop.write_batch import Add, Insert, Ref, Statement, Update, Upsert

SIX = Decimal("0.000001")
TAX_NAME_LENGTH = 16  # order_detail.tax_name is varchar(16)
Key = tuple[int, int]  # (id_product, id_product_attribute)


@dataclass(frozen=True)
class LineFacts:
    """A ticket line with what the shop knows of its item, ready for order_detail."""

    line: TicketLine
    facts: ItemFacts
    in_stock: int  # product_quantity_in_stock


def row(shop: ShopInfo, table: str, **values: Any) -> dict[str, Any]:
    """``values`` without the declared columns this shop's schema lacks (e.g. 8.1+ columns)."""
    absent = shop.models.absent.get(table, frozenset())
    return {name: value for name, value in values.items() if name not in absent}


def table_of(shop: ShopInfo, table: str) -> Any:
    return shop.models.by_table[table].__table__  # type: ignore[attr-defined]


# --------------------------------------------------------------------------- checks


def line_facts(shop: ShopInfo, ticket: Ticket, ctx: SaleContext) -> list[LineFacts]:
    """Each line with its catalog facts; :class:`PushRefused` naming what the shop lacks."""
    remaining = {key: stock.quantity for key, stock in ctx.stock.items()}
    found = []
    for line in ticket.lines:
        facts = _item_facts(ctx, line)
        key = (line.id_product, line.id_product_attribute)
        if ctx.takes_stock and key not in ctx.stock:
            raise PushRefused(_refusal(line, "has no stock row in this shop"))
        before = remaining.get(key, 0)
        remaining[key] = before - line.quantity
        in_stock = before if before - line.quantity < 0 else line.quantity
        found.append(LineFacts(line, facts, in_stock))
    return found


def _item_facts(ctx: SaleContext, line: TicketLine) -> ItemFacts:
    product = ctx.products.get(line.id_product)
    if product is None:
        raise PushRefused(_refusal(line, "no longer exists in the shop"))
    if line.id_product not in ctx.product_in_shop:
        raise PushRefused(_refusal(line, "is not sold in this shop"))
    if not line.id_product_attribute:
        return product
    owner, combination = ctx.combinations.get(line.id_product_attribute, (0, None))
    if combination is None or owner != line.id_product:
        raise PushRefused(_refusal(line, "has a combination that no longer exists"))
    return ItemFacts(  # Cart::getProducts: combination values, else the product's
        weight=product.weight + combination.weight,
        isbn=combination.isbn or product.isbn,
        upc=combination.upc or product.upc,
        mpn=combination.mpn or product.mpn,
        supplier_reference=combination.supplier_reference or product.supplier_reference,
    )


def _refusal(line: TicketLine, what: str) -> str:
    return (
        f"Product {line.id_product}"
        + (f" (combination {line.id_product_attribute})" if line.id_product_attribute else "")
        + f" «{line.name}» on line {line.line_no} {what}."
    )


# --------------------------------------------------------------------------- cart_product


def cart_products(shop: ShopInfo, ticket: Ticket, address: Any) -> Insert:
    quantities: Counter[Key] = Counter()
    for line in ticket.lines:
        quantities[(line.id_product, line.id_product_attribute)] += line.quantity
    rows = tuple(
        row(
            shop,
            "cart_product",
            id_cart=Ref("cart"),
            id_product=key[0],
            id_address_delivery=address,
            id_shop=shop.id_shop,
            id_product_attribute=key[1],
            id_customization=0,
            quantity=quantity,
            date_add=ticket.created_at,
        )  # fmt: skip
        for key, quantity in quantities.items()
    )
    return Insert(table_of(shop, "cart_product"), rows)


# --------------------------------------------------------------------------- order_detail


def detail_statements(
    shop: ShopInfo, ticket: Ticket, lines: list[LineFacts], invoice: Any
) -> list[Statement]:
    """order_detail rows (one per ticket line, named detail1…) and their order_detail_tax."""
    statements: list[Statement] = []
    taxes: list[dict[str, Any]] = []
    for position, facts in enumerate(lines, start=1):
        ref = f"detail{position}"
        values = detail_row(shop, ticket, facts, invoice)
        statements.append(Insert(table_of(shop, "order_detail"), (values,), ref=ref))
        taxes += [
            dict(id_order_detail=Ref(ref), id_tax=tax.id_tax, unit_amount=tax.unit_amount,
                 total_amount=tax.total_amount)
            for tax in facts.line.taxes
        ]  # fmt: skip
    if taxes:
        statements.append(Insert(table_of(shop, "order_detail_tax"), tuple(taxes)))
    return statements


def detail_row(shop: ShopInfo, ticket: Ticket, facts: LineFacts, invoice: Any) -> dict[str, Any]:
    line, item = facts.line, facts.facts
    unit_excl, unit_incl = unit_prices(ticket, line)
    return row(
        shop, "order_detail", id_order=Ref("order"), id_order_invoice=invoice, id_warehouse=0,
        id_shop=shop.id_shop, product_id=line.id_product,
        product_attribute_id=line.id_product_attribute, id_customization=0,
        product_name=line.name, product_quantity=line.quantity,
        product_quantity_in_stock=facts.in_stock, product_quantity_refunded=0,
        product_quantity_return=0, product_quantity_reinjected=0, product_price=unit_excl,
        reduction_percent=line.reduction_percent,
        reduction_amount=line.reduction_amount_tax_incl,
        reduction_amount_tax_incl=line.reduction_amount_tax_incl,
        reduction_amount_tax_excl=line.reduction_amount_tax_excl,
        group_reduction=line.group_reduction, product_quantity_discount=0,
        product_ean13=line.ean13 or None, product_isbn=item.isbn, product_upc=item.upc,
        product_mpn=item.mpn, product_reference=line.reference or None,
        product_supplier_reference=item.supplier_reference, product_weight=item.weight,
        id_tax_rules_group=line.id_tax_rules_group,
        tax_computation_method=line.tax_computation_method, tax_name=tax_name(line),
        tax_rate=tax_rate(line), ecotax=0, ecotax_tax_rate=0, discount_quantity_applied=0,
        download_hash=None, download_nb=0, download_deadline=ZERO_DATETIME,
        total_price_tax_incl=line.total_tax_incl, total_price_tax_excl=line.total_tax_excl,
        unit_price_tax_incl=unit_incl, unit_price_tax_excl=unit_excl,
        total_shipping_price_tax_incl=0, total_shipping_price_tax_excl=0,
        purchase_supplier_price=line.wholesale_price,
        original_product_price=line.original_unit_price_tax_excl,
        original_wholesale_price=line.wholesale_price, total_refunded_tax_excl=0,
        total_refunded_tax_incl=0,
    )  # fmt: skip


def unit_prices(ticket: Ticket, line: TicketLine) -> tuple[Decimal, Decimal]:
    """Unit prices as the order shows them.

    A till discount (line or ticket) is written into the unit price, as PrestaShop writes a
    price an employee set for the cart: unit = line total / quantity, 6 decimals.
    """
    if not line.discount_percent and not ticket.ticket_discount_percent:
        return line.unit_price_tax_excl, line.unit_price_tax_incl
    quantity = Decimal(line.quantity)
    return (
        (line.total_tax_excl / quantity).quantize(SIX),
        (line.total_tax_incl / quantity).quantize(SIX),
    )


def tax_name(line: TicketLine) -> str:
    """PrestaShop's TaxCalculator name: the taxes' names joined with " & "."""
    return " & ".join(tax.name for tax in line.taxes)[:TAX_NAME_LENGTH]


def tax_rate(line: TicketLine) -> Decimal:
    """Total rate: compound for "one after another" (method 2), else the sum."""
    if line.tax_computation_method == 2:
        factor = Decimal(1)
        for tax in line.taxes:
            factor *= 1 + tax.rate / 100
        return ((factor - 1) * 100).quantize(Decimal("0.001"))
    return sum((tax.rate for tax in line.taxes), Decimal(0))


# --------------------------------------------------------------------------- stock


def stock_statements(
    shop: ShopInfo, ticket: Ticket, ctx: SaleContext, sign: int, shipped: bool
) -> list[Statement]:
    """Relative stock changes (``sign`` −1 sale, +1 restock), parents of combinations too."""
    deltas: Counter[Key] = Counter()
    for line in ticket.lines:
        deltas[(line.id_product, line.id_product_attribute)] += sign * line.quantity
        if line.id_product_attribute:
            deltas[(line.id_product, 0)] += sign * line.quantity
    table = table_of(shop, "stock_available")
    updates: list[tuple[int, Statement]] = []
    for key, delta in deltas.items():
        stock = ctx.stock.get(key)
        if stock is None or not delta:
            continue
        values = {"quantity": Add(delta)}
        values["physical_quantity" if shipped else "reserved_quantity"] = Add(
            delta if shipped else -delta
        )
        where = {"id_stock_available": stock.id_stock_available}
        updates.append((stock.id_stock_available, Update(table, values, where)))
    return [statement for _, statement in sorted(updates, key=lambda u: u[0])]


def stock_movements(
    shop: ShopInfo,
    ticket: Ticket,
    stock: Mapping[Key, Any],
    *,
    reason: int,
    sign: int,
    employee: tuple[str, str],
    quantities: list[tuple[TicketLine, int]],
    id_order: Any = None,
) -> list[Statement]:
    """One stock_mvt per line (``quantities``: line and units moved), id_stock = stock row."""
    rows = tuple(
        row(
            shop,
            "stock_mvt",
            id_stock=stock[(line.id_product, line.id_product_attribute)].id_stock_available,
            id_order=Ref("order") if id_order is None else id_order,
            id_supply_order=0,
            id_stock_mvt_reason=reason,
            id_employee=ticket.id_employee,
            employee_firstname=employee[0],
            employee_lastname=employee[1],
            physical_quantity=quantity,
            date_add=ticket.created_at,
            sign=sign,
            price_te=0,
            last_wa=0,
            current_wa=0,
            referer=None,
        )  # fmt: skip
        for line, quantity in quantities
        if quantity and (line.id_product, line.id_product_attribute) in stock
    )
    return [Insert(table_of(shop, "stock_mvt"), rows)] if rows else []


def product_sales(shop: ShopInfo, ticket: Ticket) -> Upsert:
    """ProductSale::addProductSale once per cart row: quantity and number of sales."""
    quantity: Counter[int] = Counter()
    rows_of: dict[int, set[int]] = {}
    for line in ticket.lines:
        quantity[line.id_product] += line.quantity
        rows_of.setdefault(line.id_product, set()).add(line.id_product_attribute)
    rows = tuple(
        dict(id_product=p, quantity=quantity[p], sale_nbr=len(rows_of[p]),
             date_upd=ticket.created_at.date())
        for p in sorted(quantity)
    )  # fmt: skip
    return Upsert(
        table_of(shop, "product_sale"), rows, key=("id_product",),
        add=("quantity", "sale_nbr"), replace=("date_upd",),
    )  # fmt: skip
