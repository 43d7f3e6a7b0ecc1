"""The cart: what the cashier is selling now (the TPV window and the CLI share it).

A mutable aggregate whose verbs (:meth:`Cart.add`, :meth:`Cart.set_quantity`,
:meth:`Cart.remove`, :meth:`Cart.set_line_discount`, :meth:`Cart.set_ticket_discount`,
:meth:`Cart.set_customer`) check their input first and change nothing when they refuse (a
translated :class:`CartRefused` / :class:`ManagerApprovalRequired`); each returns a
:class:`CartChange` saying what changed, for the screen to refresh.

Prices come from the pricing engine for all lines together (a from-quantity specific price
counts the product's units over the whole ticket). The pricing *inputs* of each item are read
from the :class:`~app.sale.price_inputs.PricingSource` only when an item is added or the
customer changes (in one batch: one query per kind of row); quantities, discounts and
:attr:`Cart.totals` are then pure computation.

:meth:`Cart.to_json` / :meth:`Cart.from_json` park and recall a cart: the JSON keeps the items
as scanned, the quantities, the discounts and their approvals and the customer, and
round-trips exactly; prices are computed again on recall (today's prices).
"""

from __future__ import annotations

import enum
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, fields, replace
from datetime import datetime
from decimal import Decimal
from typing import Any

from app.errors import UserFacingError
from app.formatting import format_int
from app.i18n import _
from app.sale.price_inputs import (
    MANAGER_PROFILES,
    ItemKey,
    PricingSource,
    ShopConfig,
    customer_group,
    price_context,
    product_pricing,
)
from app.sale.pricing import PriceContext, ProductPricing, UnitPrice, unit_prices
from app.sale.rounding import ZERO
from app.sale.totals import LineInput, LineTotals, TicketTotals, ticket_totals
from app.till.catalog import CatalogItem
from app.till.records import TicketCustomer
from app.till.validation import MAX_QUANTITY, MICROS, decimals_ok

HUNDRED = Decimal(100)
JSON_VERSION = 1
Clock = Callable[[], datetime]


class CartRefused(UserFacingError):
    """A cart operation with bad input; the cart is unchanged."""


class ManagerApprovalRequired(CartRefused):
    """A discount above the till's limit needs a manager's approval."""


class CartChange(enum.Flag):
    NONE = 0
    LINES = enum.auto()  # a line added, removed or its quantity changed
    DISCOUNTS = enum.auto()  # a line's or the ticket's discount
    CUSTOMER = enum.auto()
    TOTALS = enum.auto()  # the amounts to pay may have changed


@dataclass(frozen=True)
class SalePolicy:
    """The till's own rules for discounts (till settings, not PrestaShop's)."""

    approval_above: Decimal = Decimal("10")  # percent; above it a manager must approve
    manager_profiles: frozenset[int] = MANAGER_PROFILES


@dataclass(frozen=True)
class CartLine:
    id: int  # stable within the cart
    item: CatalogItem
    quantity: int
    discount_percent: Decimal = ZERO
    discount_approved_by: int | None = None

    @property
    def key(self) -> ItemKey:
        return (self.item.id_product, self.item.id_product_attribute)


@dataclass(frozen=True)
class PricedLine:
    line: CartLine
    pricing: ProductPricing
    price: UnitPrice
    totals: LineTotals


@dataclass(frozen=True)
class CartPricing:
    """The cart priced at one moment: every line and the ticket totals."""

    lines: tuple[PricedLine, ...]
    totals: TicketTotals
    context: PriceContext


LineRef = CartLine | int


class Cart:
    """The ticket being sold. Build it with a pricing source (the till store's)."""

    def __init__(
        self,
        source: PricingSource,
        policy: SalePolicy | None = None,
        clock: Clock = datetime.now,
        customer: TicketCustomer | None = None,
    ) -> None:
        self.source = source
        self.policy = policy or SalePolicy()
        self.clock = clock
        self._lines: list[CartLine] = []
        self._next_id = 1
        self._customer = customer or source.walk_in_customer()
        self._ticket_discount = ZERO
        self._ticket_approved_by: int | None = None
        self._inputs: dict[ItemKey, ProductPricing] = {}
        self._group_reduction = ZERO
        self._priced: tuple[datetime, CartPricing] | None = None

    # --- reading -------------------------------------------------------------------------

    @property
    def config(self) -> ShopConfig:
        return self.source.config

    @property
    def lines(self) -> tuple[CartLine, ...]:
        return tuple(self._lines)

    @property
    def customer(self) -> TicketCustomer:
        return self._customer

    @property
    def ticket_discount(self) -> Decimal:
        return self._ticket_discount

    @property
    def ticket_discount_approved_by(self) -> int | None:
        return self._ticket_approved_by

    @property
    def is_empty(self) -> bool:
        return not self._lines

    @property
    def totals(self) -> TicketTotals:
        return self.priced().totals

    def line(self, ref: LineRef) -> CartLine:
        wanted = ref.id if isinstance(ref, CartLine) else ref
        for line in self._lines:
            if line.id == wanted:
                return line
        raise CartRefused(_("That line is no longer in the cart."))

    def priced(self, now: datetime | None = None) -> CartPricing:
        """Every line priced together, and the totals (cached until the cart changes)."""
        moment = (now or self.clock()).replace(second=0, microsecond=0)
        if self._priced is not None and self._priced[0] == moment:
            return self._priced[1]
        result = self._price(moment)
        self._priced = (moment, result)
        return result

    # --- verbs ---------------------------------------------------------------------------

    def add(self, item: CatalogItem, quantity: int = 1) -> CartChange:
        """Add ``quantity`` units of ``item``; the same product/combination again adds up."""
        _check_quantity(quantity)
        _check_sellable(item)
        key = (item.id_product, item.id_product_attribute)
        existing = next((line for line in self._lines if line.key == key), None)
        if existing is not None:
            return self.set_quantity(existing, existing.quantity + quantity)
        if key not in self._inputs:
            self._load_inputs([item])
        self._lines.append(CartLine(self._next_id, item, quantity))
        self._next_id += 1
        return self._changed(CartChange.LINES | CartChange.TOTALS)

    def set_quantity(self, line: LineRef, quantity: int) -> CartChange:
        _check_quantity(quantity)
        current = self.line(line)
        if current.quantity == quantity:
            return CartChange.NONE
        self._replace(replace(current, quantity=quantity))
        return self._changed(CartChange.LINES | CartChange.TOTALS)

    def remove(self, line: LineRef) -> CartChange:
        current = self.line(line)
        self._lines.remove(current)
        return self._changed(CartChange.LINES | CartChange.TOTALS)

    def set_line_discount(
        self, line: LineRef, percent: Decimal, approved_by: int | None = None
    ) -> CartChange:
        """A percentage off one line; above the till's limit a manager must approve it."""
        percent = _check_percent(percent)
        current = self.line(line)
        approver = self._approver(percent, approved_by)
        self._replace(replace(current, discount_percent=percent, discount_approved_by=approver))
        return self._changed(CartChange.DISCOUNTS | CartChange.TOTALS)

    def set_ticket_discount(self, percent: Decimal, approved_by: int | None = None) -> CartChange:
        """A percentage off the whole ticket, applied after the lines' own discounts."""
        percent = _check_percent(percent)
        self._ticket_approved_by = self._approver(percent, approved_by)
        self._ticket_discount = percent
        return self._changed(CartChange.DISCOUNTS | CartChange.TOTALS)

    def set_customer(self, customer: TicketCustomer | None = None) -> CartChange:
        """Sell to ``customer`` (None: the walk-in customer); prices follow their group."""
        chosen = customer or self.source.walk_in_customer()
        old_group = customer_group(self.config, self._customer)
        self._customer = chosen
        if customer_group(self.config, chosen) != old_group:
            self._inputs.clear()
            self._load_inputs([line.item for line in self._lines])
        return self._changed(CartChange.CUSTOMER | CartChange.TOTALS)

    def clear(self) -> CartChange:
        """Empty the cart for the next sale (walk-in customer, no discount)."""
        self._lines.clear()
        self._ticket_discount, self._ticket_approved_by = ZERO, None
        self._customer = self.source.walk_in_customer()
        return self._changed(CartChange.LINES | CartChange.DISCOUNTS | CartChange.CUSTOMER)

    # --- parking -------------------------------------------------------------------------

    def to_json(self) -> str:
        """The cart as a JSON object (for parking); :meth:`from_json` gives it back."""
        data = {
            "version": JSON_VERSION,
            "customer": asdict(self._customer),
            "ticket_discount": str(self._ticket_discount),
            "ticket_discount_approved_by": self._ticket_approved_by,
            "next_line_id": self._next_id,
            "lines": [_line_json(line) for line in self._lines],
        }
        return json.dumps(data, ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(
        cls,
        text: str,
        source: PricingSource,
        policy: SalePolicy | None = None,
        clock: Clock = datetime.now,
    ) -> Cart:
        """A parked cart back, priced with today's prices (approvals are kept)."""
        try:
            data = json.loads(text)
            cart = cls(source, policy, clock, TicketCustomer(**data["customer"]))
            cart._lines = [_line_from_json(line) for line in data["lines"]]
            cart._next_id = _as_int(data["next_line_id"])
            cart._ticket_discount = Decimal(data["ticket_discount"])
            approved = data["ticket_discount_approved_by"]
            cart._ticket_approved_by = None if approved is None else _as_int(approved)
        except (ArithmeticError, KeyError, TypeError, ValueError) as error:
            raise CartRefused(_("The parked ticket cannot be read.")) from error
        cart._load_inputs([line.item for line in cart._lines])
        return cart

    # --- internals -----------------------------------------------------------------------

    def _changed(self, change: CartChange) -> CartChange:
        self._priced = None
        return change

    def _replace(self, line: CartLine) -> None:
        index = next(i for i, current in enumerate(self._lines) if current.id == line.id)
        self._lines[index] = line

    def _load_inputs(self, items: Sequence[CatalogItem]) -> None:
        if not items:
            return
        group = customer_group(self.config, self._customer)
        rows = self.source.rows(items, group)
        for item in items:
            key = (item.id_product, item.id_product_attribute)
            self._inputs[key] = product_pricing(item, rows, self.config)
        self._group_reduction = rows.group_reduction

    def _approver(self, percent: Decimal, approved_by: int | None) -> int | None:
        limit = self.policy.approval_above
        if percent <= limit:
            return approved_by
        employee = self.source.employee(approved_by) if approved_by is not None else None
        if employee is None or not employee.active:
            raise ManagerApprovalRequired(
                _("A discount above {limit} % needs a manager's approval.").format(limit=limit)
            )
        if employee.id_profile not in self.policy.manager_profiles:
            raise ManagerApprovalRequired(
                _("{name} is not a manager: a discount above {limit} % needs a manager.").format(
                    name=employee.name, limit=limit
                )
            )
        return employee.id_employee

    def _price(self, now: datetime) -> CartPricing:
        context = price_context(self.config, self._customer, self._group_reduction, now)
        pricings = [self._inputs[line.key] for line in self._lines]
        quantities = [line.quantity for line in self._lines]
        prices = unit_prices(
            list(zip(pricings, quantities, strict=True)), context, self.config.pricing
        )
        inputs = [
            LineInput(
                price.tax_excl, price.tax_incl, line.quantity, pricing.tax, line.discount_percent
            )
            for line, pricing, price in zip(self._lines, pricings, prices, strict=True)
        ]
        totals = ticket_totals(inputs, self.config.rounding, self._ticket_discount)
        lines = tuple(
            PricedLine(line, pricing, price, line_totals)
            for line, pricing, price, line_totals in zip(
                self._lines, pricings, prices, totals.lines, strict=True
            )
        )
        return CartPricing(lines, totals, context)


def _check_quantity(quantity: int) -> None:
    if isinstance(quantity, bool) or not isinstance(quantity, int):
        raise CartRefused(_("The quantity must be a whole number."))
    if not 1 <= quantity <= MAX_QUANTITY:
        raise CartRefused(
            _("The quantity must be between 1 and {max}.").format(max=format_int(MAX_QUANTITY))
        )


def _check_percent(percent: Decimal | int | str) -> Decimal:
    try:
        value = Decimal(percent) if not isinstance(percent, bool) else Decimal("NaN")
    except (ArithmeticError, TypeError, ValueError):
        value = Decimal("NaN")
    if not decimals_ok(value, MICROS) or not ZERO <= value <= HUNDRED:
        raise CartRefused(_("A discount is a percentage from 0 to 100."))
    return value


def _check_sellable(item: CatalogItem) -> None:
    if not item.active:
        raise CartRefused(
            _("{name} is not for sale (inactive in the shop).").format(name=item.display_name)
        )
    if item.has_combinations and not item.id_product_attribute:
        raise CartRefused(
            _("{name} comes in several versions: scan or choose one.").format(name=item.name)
        )


_DECIMAL_FIELDS = frozenset(f.name for f in fields(CatalogItem) if f.type in ("Decimal", Decimal))


def _line_json(line: CartLine) -> dict[str, object]:
    item = {
        key: str(value) if isinstance(value, Decimal) else value
        for key, value in asdict(line.item).items()
    }
    return {
        "id": line.id,
        "item": item,
        "quantity": line.quantity,
        "discount_percent": str(line.discount_percent),
        "discount_approved_by": line.discount_approved_by,
    }


def _line_from_json(data: Mapping[str, object]) -> CartLine:
    raw = data["item"]
    if not isinstance(raw, dict):
        raise TypeError("item")
    values: dict[str, Any] = {
        key: Decimal(value) if key in _DECIMAL_FIELDS else value for key, value in raw.items()
    }
    item = CatalogItem(**values)
    approved = data["discount_approved_by"]
    return CartLine(
        id=_as_int(data["id"]),
        item=item,
        quantity=_as_int(data["quantity"]),
        discount_percent=Decimal(str(data["discount_percent"])),
        discount_approved_by=None if approved is None else _as_int(approved),
    )


def _as_int(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"not an int: {value!r}")
    return value
