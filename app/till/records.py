"""The records a till keeps for each ticket: plain, frozen, append-only.

A ticket is written once, when it is paid, and never changed afterwards. A refund or a
correction is a new ticket (``kind`` REFUND) pointing to the original through
``original_ticket``. These records are what the till store saves, what the sync push turns into
PrestaShop rows (an order, or an order slip for a refund), what the receipt printer renders and
what VERI*FACTU will chain. Everything a PrestaShop ``order_detail`` row needs is captured here
at sale time (FACTS.md §6): a snapshot, never re-read from the catalog later.

Money is ``Decimal``: unit prices carry 6 decimals (as PrestaShop stores them), totals are
rounded to the currency precision under the shop's rounding rules at sale time.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal


class TicketKind(enum.Enum):
    SALE = "sale"
    REFUND = "refund"


class TenderKind(enum.Enum):
    """What a payment method is, for the cash drawer and the Z report."""

    CASH = "cash"
    CARD = "card"
    OTHER = "other"


@dataclass(frozen=True)
class LineTax:
    """One tax applied to a line (PrestaShop order_detail_tax)."""

    id_tax: int
    name: str
    rate: Decimal  # percent, e.g. Decimal("21.000")
    unit_amount: Decimal  # tax on one unit, 6 decimals
    total_amount: Decimal  # tax of the line, 6 decimals


@dataclass(frozen=True)
class TicketLine:
    line_no: int
    id_product: int
    id_product_attribute: int  # 0 without combination
    name: str  # in the ticket language, with " (Talla: M, Color: Rojo)" for a combination
    reference: str
    ean13: str
    quantity: int  # positive on sales; positive quantities returned on refunds
    # Prices as PrestaShop prices the line (after specific price and group reduction,
    # before the till's own line/ticket discounts), 6 decimals.
    original_unit_price_tax_excl: Decimal  # base + combination impact, no reduction
    unit_price_tax_excl: Decimal
    unit_price_tax_incl: Decimal
    # Line totals after every discount, rounded per PS_ROUND_TYPE.
    total_tax_excl: Decimal
    total_tax_incl: Decimal
    # Reduction from a PrestaShop specific price (reduction_percent as 10.00 for 10 %).
    reduction_percent: Decimal = Decimal("0")
    reduction_amount_tax_excl: Decimal = Decimal("0")
    reduction_amount_tax_incl: Decimal = Decimal("0")
    group_reduction: Decimal = Decimal("0")  # percent
    id_specific_price: int = 0
    # The till's own discount on this line, in percent (0-100), if any.
    discount_percent: Decimal = Decimal("0")
    id_tax_rules_group: int = 0
    tax_computation_method: int = 0  # 0 only this tax, 1 combine, 2 one after another
    taxes: tuple[LineTax, ...] = ()
    wholesale_price: Decimal = Decimal("0")
    # For refunds: which line of the original ticket this line gives back.
    original_line_no: int | None = None
    restock: bool = True
    # The manager who approved a line discount above the cashier's limit (None: not needed).
    discount_approved_by: int | None = None


@dataclass(frozen=True)
class TicketPayment:
    method: str  # configured method code, e.g. "cash", "card", "bizum"
    label: str  # shown on the ticket and written to order_payment.payment_method
    tender: TenderKind
    amount: Decimal  # what this method pays toward the total (for cash: given − change)
    given: Decimal | None = None  # cash handed over, when known
    change: Decimal = Decimal("0")


@dataclass(frozen=True)
class TicketCustomer:
    """The customer of a ticket: a PrestaShop customer, or one to create on push."""

    id_customer: int | None  # None: create it on push (new customer taken at the till)
    email: str
    firstname: str
    lastname: str
    id_default_group: int
    is_walk_in: bool = False
    phone: str = ""  # of a customer taken at the till: sent on the address the push creates
    tax_id: str = ""  # likewise, as the address's dni


@dataclass(frozen=True)
class Ticket:
    uuid: str  # the sale's identity everywhere (idempotency key of the push)
    number: str  # from the till's own series, e.g. "T1-2026-000123"
    kind: TicketKind
    till: str
    created_at: datetime  # the shop's local time zone, naive (as PrestaShop stores dates)
    id_shop: int
    id_currency: int
    id_lang: int
    id_employee: int
    employee_name: str
    customer: TicketCustomer
    lines: tuple[TicketLine, ...]
    payments: tuple[TicketPayment, ...]
    total_tax_excl: Decimal
    total_tax_incl: Decimal
    # The till's ticket-level discount, already spread into the lines' totals.
    ticket_discount_percent: Decimal = Decimal("0")
    round_mode: int = 2  # PS_PRICE_ROUND_MODE at sale time
    round_type: int = 2  # PS_ROUND_TYPE at sale time
    currency_precision: int = 2
    cash_session_id: str | None = None
    original_ticket: str | None = None  # refunds: the number of the ticket refunded
    note: str = ""
    ticket_discount_approved_by: int | None = None  # manager approving the ticket discount

    @property
    def total_paid(self) -> Decimal:
        return sum((p.amount for p in self.payments), Decimal("0"))

    @property
    def change(self) -> Decimal:
        return sum((p.change for p in self.payments), Decimal("0"))
