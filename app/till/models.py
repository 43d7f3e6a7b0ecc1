"""Typed mapping of the till store's ledger tables (the DDL lives in the migrations).

Never ``create_all``: the tables are created by ``migrations.py``; a test checks that this
mapping and the migrated schema agree. ORM rows stay inside the operation that read them; what
leaves an operation is a frozen record (``records.py``, ``cash_session.py``…).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from app.till.types import Amount, Cents, IntPk, Micros, Moment, Price6, Str


class TillBase(DeclarativeBase):
    """Base of the till store's own tables."""


class TicketSeriesRow(TillBase):
    __tablename__ = "ticket_series"
    series: Mapped[str] = mapped_column(String, primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_number: Mapped[int]


class CashSessionRow(TillBase):
    __tablename__ = "cash_sessions"
    id: Mapped[str] = mapped_column(String, primary_key=True)
    till: Mapped[Str]
    state: Mapped[Str]
    opened_at: Mapped[Moment]
    opened_by: Mapped[int]
    opening_float: Mapped[Amount]
    closing_at: Mapped[datetime | None] = mapped_column(DateTime)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime)
    closed_by: Mapped[int | None]
    expected: Mapped[Decimal | None] = mapped_column(Cents)
    counted: Mapped[Decimal | None] = mapped_column(Cents)
    difference: Mapped[Decimal | None] = mapped_column(Cents)
    counted_detail: Mapped[str | None]
    note: Mapped[Str] = mapped_column(default="")


class TicketRow(TillBase):
    __tablename__ = "tickets"
    id: Mapped[IntPk]
    uuid: Mapped[Str]
    number: Mapped[Str]
    series: Mapped[Str]
    year: Mapped[int]
    seq: Mapped[int]
    kind: Mapped[Str]
    till: Mapped[Str]
    created_at: Mapped[Moment]
    recorded_at: Mapped[Moment]
    id_shop: Mapped[int]
    id_currency: Mapped[int]
    id_lang: Mapped[int]
    id_employee: Mapped[int]
    employee_name: Mapped[Str]
    id_customer: Mapped[int | None]
    customer_email: Mapped[Str]
    customer_firstname: Mapped[Str]
    customer_lastname: Mapped[Str]
    customer_group: Mapped[int]
    customer_walk_in: Mapped[bool] = mapped_column(Boolean)
    total_tax_excl: Mapped[Amount]
    total_tax_incl: Mapped[Amount]
    ticket_discount_percent: Mapped[Price6]
    round_mode: Mapped[int]
    round_type: Mapped[int]
    currency_precision: Mapped[int]
    cash_session_id: Mapped[str] = mapped_column(ForeignKey("cash_sessions.id"))
    original_ticket: Mapped[str | None] = mapped_column(ForeignKey("tickets.number"))
    note: Mapped[Str]
    line_count: Mapped[int]
    payment_count: Mapped[int]
    ticket_discount_approved_by: Mapped[int | None]


class TicketLineRow(TillBase):
    __tablename__ = "ticket_lines"
    id: Mapped[IntPk]
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"))
    line_no: Mapped[int]
    id_product: Mapped[int]
    id_product_attribute: Mapped[int]
    name: Mapped[Str]
    reference: Mapped[Str]
    ean13: Mapped[Str]
    quantity: Mapped[int]
    original_unit_price_tax_excl: Mapped[Price6]
    unit_price_tax_excl: Mapped[Price6]
    unit_price_tax_incl: Mapped[Price6]
    total_tax_excl: Mapped[Price6]
    total_tax_incl: Mapped[Price6]
    reduction_percent: Mapped[Price6]
    reduction_amount_tax_excl: Mapped[Price6]
    reduction_amount_tax_incl: Mapped[Price6]
    group_reduction: Mapped[Price6]
    id_specific_price: Mapped[int]
    discount_percent: Mapped[Price6]
    id_tax_rules_group: Mapped[int]
    tax_computation_method: Mapped[int]
    wholesale_price: Mapped[Price6]
    original_line_no: Mapped[int | None]
    restock: Mapped[bool] = mapped_column(Boolean)
    tax_count: Mapped[int]
    discount_approved_by: Mapped[int | None]


class LineTaxRow(TillBase):
    __tablename__ = "line_taxes"
    id: Mapped[IntPk]
    line_id: Mapped[int] = mapped_column(ForeignKey("ticket_lines.id"))
    position: Mapped[int]
    id_tax: Mapped[int]
    name: Mapped[Str]
    rate: Mapped[Price6]
    unit_amount: Mapped[Price6]
    total_amount: Mapped[Price6]


class PaymentRow(TillBase):
    __tablename__ = "payments"
    id: Mapped[IntPk]
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"))
    position: Mapped[int]
    method: Mapped[Str]
    label: Mapped[Str]
    tender: Mapped[Str]
    amount: Mapped[Amount]
    given: Mapped[Decimal | None] = mapped_column(Cents)
    change: Mapped[Amount]


class CashMovementRow(TillBase):
    __tablename__ = "cash_movements"
    id: Mapped[IntPk]
    session_id: Mapped[str] = mapped_column(ForeignKey("cash_sessions.id"))
    kind: Mapped[Str]
    amount: Mapped[Amount]  # signed: + into the drawer, − out of it
    reason: Mapped[Str]
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id"))
    id_employee: Mapped[int]
    created_at: Mapped[Moment]


class OutboxRow(TillBase):
    __tablename__ = "outbox"
    id: Mapped[IntPk]
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"))
    uuid: Mapped[Str]
    kind: Mapped[Str]
    status: Mapped[Str]
    attempts: Mapped[int]
    last_error: Mapped[Str]
    refused_reason: Mapped[Str]
    created_at: Mapped[Moment]
    updated_at: Mapped[Moment]
    pushed_at: Mapped[datetime | None] = mapped_column(DateTime)
    id_order: Mapped[int | None]
    order_reference: Mapped[str | None]


class ParkedTicketRow(TillBase):
    __tablename__ = "parked_tickets"
    id: Mapped[str] = mapped_column(String, primary_key=True)
    till: Mapped[Str]
    label: Mapped[Str]
    id_employee: Mapped[int]
    cart: Mapped[Str]
    created_at: Mapped[Moment]
    updated_at: Mapped[Moment]


__all__ = [
    "CashMovementRow",
    "CashSessionRow",
    "LineTaxRow",
    "Micros",
    "OutboxRow",
    "ParkedTicketRow",
    "PaymentRow",
    "TicketLineRow",
    "TicketRow",
    "TicketSeriesRow",
    "TillBase",
]
