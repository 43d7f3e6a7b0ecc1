"""The cart and the payment plan, on pricing inputs held in memory (no store, no Qt)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import Decimal as D

import pytest

from app import i18n
from app.sale.cart import Cart, CartChange, CartRefused, ManagerApprovalRequired, SalePolicy
from app.sale.payment_methods import PaymentPlan, PaymentRefused, Underpaid
from app.sale.price_inputs import Employee, PricingRows, ShopConfig, shop_config
from app.sale.specific_prices import SpecificPrice
from app.sale.taxes import TaxRule
from app.till.catalog import CatalogItem
from app.till.records import TenderKind, TicketCustomer

NOW = datetime(2026, 3, 14, 11, 30)
IVA21 = TaxRule(6, 0, "", "", 0, 1, D("21.000"), "IVA ES 21%")
WALK_IN = TicketCustomer(1, "mostrador@example.com", "Cliente", "de mostrador", 1, True)
EMPLOYEES = {1: Employee(1, "Ana Jefa", 1), 2: Employee(2, "Luis Cajero", 4)}


@dataclass
class MemorySource:
    """A PricingSource over rows held in memory; counts its reads."""

    state: Mapping[str, str] = field(default_factory=dict)
    specific: Mapping[int, tuple[SpecificPrice, ...]] = field(default_factory=dict)
    reads: int = 0

    @property
    def config(self) -> ShopConfig:
        return shop_config(self.state)

    def rows(self, items: Sequence[CatalogItem], id_group: int) -> PricingRows:
        self.reads += 1
        return PricingRows(tax_rules={1: (IVA21,)}, specific_prices=self.specific)

    def walk_in_customer(self) -> TicketCustomer:
        return WALK_IN

    def employee(self, id_employee: int) -> Employee | None:
        return EMPLOYEES.get(id_employee)


def item(id_product: int, price: str, *, active: bool = True, name: str = "") -> CatalogItem:
    return CatalogItem(
        id_product=id_product, id_product_attribute=0, name=name or f"Producto {id_product}",
        attributes="", reference=f"REF{id_product}", ean13=f"84000000000{id_product:02d}",
        upc="", price_tax_excl=D(price), price_impact=D("0.000000"),
        wholesale_price=D("0.500000"), id_tax_rules_group=1, quantity=10,
        has_combinations=False, active=active,
    )  # fmt: skip


def cart_on(source: MemorySource | None = None) -> Cart:
    return Cart(source or MemorySource(), SalePolicy(approval_above=D("10")), clock=lambda: NOW)


@pytest.fixture
def spanish() -> Iterator[None]:
    previous = i18n.current_language()
    i18n.set_language("es")
    yield
    i18n.set_language(previous)


# --- prices -----------------------------------------------------------------------------


@pytest.mark.parametrize("round_type", ["1", "2", "3"])
def test_three_at_1_15_with_vat_cost_3_45_whatever_the_round_type(round_type: str) -> None:
    cart = cart_on(MemorySource({"PS_ROUND_TYPE": round_type}))
    cart.add(item(1, "0.950413"), 3)  # 1,15 € with 21 % VAT
    totals = cart.totals
    assert (totals.total_tax_incl, totals.total_tax_excl) == (D("3.45"), D("2.85"))
    assert [(row.base, row.quota) for row in totals.breakdown] == [(D("2.85"), D("0.60"))]


@pytest.mark.parametrize(("round_type", "total"), [("1", "3.45"), ("2", "3.46"), ("3", "3.46")])
def test_rounding_each_item_or_each_line_as_the_shop_says(round_type: str, total: str) -> None:
    cart = cart_on(MemorySource({"PS_ROUND_TYPE": round_type}))
    cart.add(item(1, "0.953140"), 3)  # 1,153299 € a unit
    assert cart.totals.total_tax_incl == D(total)
    assert cart.config.rounding.round_type == int(round_type)


def test_the_two_unit_price_applies_when_the_second_unit_is_scanned() -> None:
    two_for_less = SpecificPrice(7, id_product=1, from_quantity=2, reduction=D("0.100000"),
                                 reduction_type="percentage")  # fmt: skip
    source = MemorySource(specific={1: (two_for_less,)})
    cart = cart_on(source)
    cart.add(item(1, "10.000000"))
    assert cart.totals.total_tax_incl == D("12.10")
    change = cart.add(item(1, "10.000000"))
    assert change == CartChange.LINES | CartChange.TOTALS
    assert len(cart.lines) == 1 and cart.lines[0].quantity == 2
    [priced] = cart.priced().lines
    assert priced.price.tax_incl == D("10.890000")
    assert priced.price.id_specific_price == 7
    assert cart.totals.total_tax_incl == D("21.78")
    assert source.reads == 1  # inputs read once, when the product first came in


def test_a_ticket_discount_comes_after_the_line_discount() -> None:
    cart = cart_on()
    line_change = cart.add(item(1, "10.000000"), 2)
    assert line_change & CartChange.LINES
    cart.set_line_discount(cart.lines[0], D("10"))
    cart.set_ticket_discount(D("5"))
    # 24,20 − 10 % = 21,78 − 5 % = 20,691 → 20,69
    assert cart.totals.total_tax_incl == D("20.69")


# --- approvals --------------------------------------------------------------------------


def test_a_line_discount_above_the_limit_needs_a_manager() -> None:
    cart = cart_on()
    cart.add(item(1, "10.000000"))
    line = cart.lines[0]
    with pytest.raises(ManagerApprovalRequired, match="manager"):
        cart.set_line_discount(line, D("15"))
    with pytest.raises(ManagerApprovalRequired, match="Luis Cajero is not a manager"):
        cart.set_line_discount(line, D("15"), approved_by=2)
    assert cart.lines[0].discount_percent == 0
    assert cart.set_line_discount(line, D("15"), approved_by=1) & CartChange.DISCOUNTS
    assert cart.lines[0].discount_approved_by == 1
    cart.set_line_discount(line, D("10"))  # at the limit: no approval needed
    assert cart.lines[0].discount_percent == D("10")


def test_a_ticket_discount_above_the_limit_needs_a_manager() -> None:
    cart = cart_on()
    cart.add(item(1, "10.000000"))
    with pytest.raises(ManagerApprovalRequired):
        cart.set_ticket_discount(D("50"))
    assert cart.ticket_discount == 0
    cart.set_ticket_discount(D("50"), approved_by=1)
    assert cart.totals.total_tax_incl == D("6.05")


# --- refused input changes nothing --------------------------------------------------------


@pytest.mark.parametrize("quantity", [0, -1, 10_000, 1.5, True])
def test_a_bad_quantity_is_refused_and_changes_nothing(quantity: int) -> None:
    cart = cart_on()
    cart.add(item(1, "1.000000"), 2)
    before = cart.to_json()
    with pytest.raises(CartRefused):
        cart.set_quantity(cart.lines[0], quantity)
    with pytest.raises(CartRefused):
        cart.add(item(2, "1.000000"), quantity)
    assert cart.to_json() == before


def test_adding_beyond_9999_units_is_refused() -> None:
    cart = cart_on()
    cart.add(item(1, "1.000000"), 9999)
    with pytest.raises(CartRefused, match="between 1 and"):
        cart.add(item(1, "1.000000"))
    assert cart.lines[0].quantity == 9999


@pytest.mark.parametrize("percent", [D("-1"), D("100.01"), D("NaN"), "abc"])
def test_a_bad_discount_is_refused(percent: D) -> None:
    cart = cart_on()
    cart.add(item(1, "1.000000"))
    with pytest.raises(CartRefused, match="percentage from 0 to 100"):
        cart.set_line_discount(cart.lines[0], percent, approved_by=1)
    with pytest.raises(CartRefused, match="percentage from 0 to 100"):
        cart.set_ticket_discount(percent, approved_by=1)
    assert cart.lines[0].discount_percent == 0 and cart.ticket_discount == 0


def test_unknown_lines_and_inactive_products_are_refused() -> None:
    cart = cart_on()
    cart.add(item(1, "1.000000"))
    removed = cart.lines[0]
    cart.remove(removed)
    for action in (lambda: cart.remove(removed), lambda: cart.set_quantity(99, 1)):
        with pytest.raises(CartRefused, match="no longer in the cart"):
            action()
    with pytest.raises(CartRefused, match="Camisa vieja is not for sale"):
        cart.add(item(2, "1.000000", active=False, name="Camisa vieja"))
    assert cart.is_empty


def test_a_product_with_sizes_must_be_scanned_by_its_size() -> None:
    cart = cart_on()
    with pytest.raises(CartRefused, match="several versions"):
        cart.add(replace(item(3, "5.000000"), has_combinations=True))


# --- customer and parking ---------------------------------------------------------------


def test_the_walk_in_customer_is_the_default_and_comes_back() -> None:
    cart = cart_on()
    assert cart.customer == WALK_IN
    buyer = TicketCustomer(8, "ana@example.com", "Ana", "Pérez", 3)
    assert cart.set_customer(buyer) == CartChange.CUSTOMER | CartChange.TOTALS
    assert cart.customer == buyer
    cart.set_customer()
    assert cart.customer == WALK_IN


def test_a_parked_cart_comes_back_exactly() -> None:
    source = MemorySource()
    cart = cart_on(source)
    cart.add(item(1, "10.000000"), 2)
    cart.add(item(2, "0.950413"))
    cart.set_line_discount(cart.lines[1], D("12.5"), approved_by=1)
    cart.set_ticket_discount(D("3"))
    cart.set_customer(TicketCustomer(8, "ana@example.com", "Ana", "Pérez", 3))
    text = cart.to_json()
    back = Cart.from_json(text, source, clock=lambda: NOW)
    assert back.to_json() == text
    assert back.lines == cart.lines and back.customer == cart.customer
    assert back.totals == cart.totals
    back.add(item(5, "1.000000"))
    assert [line.id for line in back.lines] == [1, 2, 3]


def test_a_damaged_parked_cart_is_refused_clearly() -> None:
    with pytest.raises(CartRefused, match="cannot be read"):
        Cart.from_json('{"lines": 3}', MemorySource())


# --- payments ---------------------------------------------------------------------------


def test_cash_and_card_split_gives_change_only_from_cash() -> None:
    plan = PaymentPlan(D("62.30"))
    plan.add("card", D("12.30"))
    plan.add("cash", D("60.00"))
    card, cash = plan.payments()
    assert (card.method, card.amount, card.change) == ("card", D("12.30"), D("0.00"))
    assert (cash.tender, cash.amount, cash.given, cash.change) == (
        TenderKind.CASH, D("50.00"), D("60.00"), D("10.00"))  # fmt: skip
    assert plan.change == D("10.00") and plan.remaining == 0


def test_a_card_cannot_pay_more_than_is_left() -> None:
    plan = PaymentPlan(D("20.00"))
    plan.add("cash", D("5.00"))
    with pytest.raises(PaymentRefused, match="only"):
        plan.add("card", D("25.00"))
    assert len(plan.tenders) == 1


def test_under_payment_says_how_much_is_missing(spanish: None) -> None:
    plan = PaymentPlan(D("12.30"))
    plan.add("bizum", D("8.80"))
    with pytest.raises(Underpaid) as refused:
        plan.payments()
    assert refused.value.missing == D("3.50")
    assert "3,50 €" in str(refused.value)


def test_unknown_methods_and_bad_amounts_are_refused() -> None:
    plan = PaymentPlan(D("10.00"))
    with pytest.raises(PaymentRefused, match="Unknown payment method"):
        plan.add("cheque", D("10.00"))
    for amount in (D("0"), D("-1"), D("1.001")):
        with pytest.raises(PaymentRefused):
            plan.add("cash", amount)
    assert plan.tenders == ()
