"""Ticket records ↔ till store rows: insert one paid ticket, load tickets back.

Helpers taking the caller's ``Session`` (the operation in ``tickets.py`` owns the
transaction). Loading fetches lines, taxes and payments of many tickets in three queries.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from app.till.models import LineTaxRow, PaymentRow, TicketLineRow, TicketRow
from app.till.records import (
    LineTax,
    TenderKind,
    Ticket,
    TicketCustomer,
    TicketKind,
    TicketLine,
    TicketPayment,
)
from app.till.series import TicketNumber

_LINE_FIELDS = (
    "line_no id_product id_product_attribute name reference ean13 quantity "
    "original_unit_price_tax_excl unit_price_tax_excl unit_price_tax_incl total_tax_excl "
    "total_tax_incl reduction_percent reduction_amount_tax_excl reduction_amount_tax_incl "
    "group_reduction id_specific_price discount_percent id_tax_rules_group "
    "tax_computation_method wholesale_price original_line_no restock discount_approved_by"
).split()
_TICKET_FIELDS = (
    "uuid number till created_at id_shop id_currency id_lang id_employee employee_name "
    "total_tax_excl total_tax_incl ticket_discount_percent round_mode round_type "
    "currency_precision cash_session_id original_ticket note ticket_discount_approved_by"
).split()


def insert_ticket(
    session: Session, ticket: Ticket, number: TicketNumber, recorded_at: datetime
) -> int:
    """Insert ``ticket`` (already numbered) with its lines, taxes and payments; its row id."""
    values: dict[str, Any] = {name: getattr(ticket, name) for name in _TICKET_FIELDS}
    customer = ticket.customer
    values.update(
        series=number.series,
        year=number.year,
        seq=number.seq,
        kind=ticket.kind.value,
        recorded_at=recorded_at,
        id_customer=customer.id_customer,
        customer_email=customer.email,
        customer_firstname=customer.firstname,
        customer_lastname=customer.lastname,
        customer_group=customer.id_default_group,
        customer_walk_in=customer.is_walk_in,
        line_count=len(ticket.lines),
        payment_count=len(ticket.payments),
    )
    ticket_id = session.execute(insert(TicketRow).returning(TicketRow.id), values).scalar_one()
    _insert_lines(session, ticket_id, ticket.lines)
    _insert_payments(session, ticket_id, ticket.payments)
    return ticket_id


def _insert_lines(session: Session, ticket_id: int, lines: Sequence[TicketLine]) -> None:
    rows = [
        {name: getattr(line, name) for name in _LINE_FIELDS}
        | {"ticket_id": ticket_id, "tax_count": len(line.taxes)}
        for line in lines
    ]
    statement = insert(TicketLineRow).returning(TicketLineRow.id, sort_by_parameter_order=True)
    line_ids = session.execute(statement, rows).scalars().all()
    taxes = [
        {
            "line_id": line_id,
            "position": position,
            "id_tax": tax.id_tax,
            "name": tax.name,
            "rate": tax.rate,
            "unit_amount": tax.unit_amount,
            "total_amount": tax.total_amount,
        }
        for line_id, line in zip(line_ids, lines, strict=True)
        for position, tax in enumerate(line.taxes, start=1)
    ]
    if taxes:
        session.execute(insert(LineTaxRow), taxes)


def _insert_payments(session: Session, ticket_id: int, payments: Sequence[TicketPayment]) -> None:
    rows = [
        {
            "ticket_id": ticket_id,
            "position": position,
            "method": payment.method,
            "label": payment.label,
            "tender": payment.tender.value,
            "amount": payment.amount,
            "given": payment.given,
            "change": payment.change,
        }
        for position, payment in enumerate(payments, start=1)
    ]
    if rows:
        session.execute(insert(PaymentRow), rows)


def load_tickets(session: Session, rows: Sequence[TicketRow]) -> list[Ticket]:
    """The records of ``rows``, in the same order."""
    ids = [row.id for row in rows]
    lines = _lines_by_ticket(session, ids)
    payments: dict[int, list[TicketPayment]] = defaultdict(list)
    for payment in session.scalars(
        select(PaymentRow).where(PaymentRow.ticket_id.in_(ids)).order_by(PaymentRow.position)
    ):
        payments[payment.ticket_id].append(_to_payment(payment))
    return [_to_ticket(row, lines[row.id], payments[row.id]) for row in rows]


def _lines_by_ticket(session: Session, ids: list[int]) -> dict[int, list[TicketLine]]:
    line_rows = session.scalars(
        select(TicketLineRow)
        .where(TicketLineRow.ticket_id.in_(ids))
        .order_by(TicketLineRow.ticket_id, TicketLineRow.line_no)
    ).all()
    taxes: dict[int, list[LineTax]] = defaultdict(list)
    for tax in session.scalars(
        select(LineTaxRow)
        .where(LineTaxRow.line_id.in_([line.id for line in line_rows]))
        .order_by(LineTaxRow.line_id, LineTaxRow.position)
    ):
        taxes[tax.line_id].append(
            LineTax(tax.id_tax, tax.name, tax.rate, tax.unit_amount, tax.total_amount)
        )
    lines: dict[int, list[TicketLine]] = defaultdict(list)
    for line in line_rows:
        values = {name: getattr(line, name) for name in _LINE_FIELDS}
        lines[line.ticket_id].append(TicketLine(**values, taxes=tuple(taxes[line.id])))
    return lines


def _to_payment(row: PaymentRow) -> TicketPayment:
    return TicketPayment(
        method=row.method,
        label=row.label,
        tender=TenderKind(row.tender),
        amount=row.amount,
        given=row.given,
        change=row.change,
    )


def _to_ticket(row: TicketRow, lines: list[TicketLine], payments: list[TicketPayment]) -> Ticket:
    values = {name: getattr(row, name) for name in _TICKET_FIELDS}
    customer = TicketCustomer(
        id_customer=row.id_customer,
        email=row.customer_email,
        firstname=row.customer_firstname,
        lastname=row.customer_lastname,
        id_default_group=row.customer_group,
        is_walk_in=row.customer_walk_in,
    )
    return Ticket(
        **values,
        kind=TicketKind(row.kind),
        customer=customer,
        lines=tuple(lines),
        payments=tuple(payments),
    )
