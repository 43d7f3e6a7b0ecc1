"""Draft validation (pure): what the till refuses to record, and the message it gives."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal as D

import pytest

from app.till.errors import TicketRefused
from app.till.records import TenderKind, TicketKind, TicketPayment
from app.till.samples import Item, card, cash, sample_line, sample_ticket
from app.till.validation import decimals_ok, validate_draft


def _sale(*payments: TicketPayment):  # type: ignore[no-untyped-def]
    items = [Item(1, 2, D("3.10")), Item(2, 1, D("9.99"), D("10"))]  # total 16.19
    return sample_ticket("T1", items, list(payments) if payments else None)


def test_a_well_formed_sale_passes() -> None:
    validate_draft(_sale())
    validate_draft(_sale(cash(D("6.19"), D("10.00")), card(D("10.00"))))


@pytest.mark.parametrize(
    ("payments", "message"),
    [
        ((cash(D("16.00")),), "do not cover the total"),
        ((card(D("10.00")), cash(D("6.00"))), "0.19 missing"),
        ((card(D("20.00")),), "exceed the total"),
        (
            (TicketPayment("card", "Tarjeta", TenderKind.CARD, D("16.19"), D("20"), D("3.81")),),
            "only cash can give change",
        ),
        (
            (
                TicketPayment(
                    "cash", "Efectivo", TenderKind.CASH, D("16.19"), D("20.00"), D("3.00")
                ),
            ),
            "does not match amount plus change",
        ),
        ((cash(D("16.185")),), "at most 2 decimals"),
        ((cash(D("0")), cash(D("16.19"))), "must be positive"),
    ],
)
def test_payments_refused(payments: tuple[TicketPayment, ...], message: str) -> None:
    with pytest.raises(TicketRefused, match=message):
        validate_draft(_sale(*payments))


@pytest.mark.parametrize(
    ("quantity", "message"),
    [
        (0, "between 1 and 9999"),
        (10_000, "between 1 and 9999"),
        (-1, "between 1 and 9999"),
        (True, "whole number"),
        (1.5, "whole number"),
    ],
)
def test_quantities_refused(quantity: object, message: str) -> None:
    ticket = _sale()
    line = replace(ticket.lines[0], quantity=quantity)
    with pytest.raises(TicketRefused, match=message):
        validate_draft(replace(ticket, lines=(line, *ticket.lines[1:])))


def test_the_largest_sane_quantity_passes() -> None:
    validate_draft(sample_ticket("T1", [Item(1, 9999, D("0.01"))]))


def test_amounts_with_too_many_decimals_or_floats_refused() -> None:
    ticket = _sale()
    with pytest.raises(TicketRefused, match="at most 2 decimals"):
        validate_draft(replace(ticket, total_tax_excl=D("13.123")))
    line = replace(ticket.lines[0], unit_price_tax_incl=D("3.1000001"))
    with pytest.raises(TicketRefused, match="at most 6 decimals"):
        validate_draft(replace(ticket, lines=(line, *ticket.lines[1:])))
    line = replace(ticket.lines[0], unit_price_tax_incl=3.1)
    with pytest.raises(TicketRefused, match="at most 6 decimals"):
        validate_draft(replace(ticket, lines=(line, *ticket.lines[1:])))


def test_total_must_match_the_lines() -> None:
    ticket = _sale()
    with pytest.raises(TicketRefused, match="does not match its lines"):
        validate_draft(replace(ticket, total_tax_incl=D("17.19"), payments=(cash(D("17.19")),)))


def test_structure_refusals() -> None:
    ticket = _sale()
    with pytest.raises(TicketRefused, match="no lines"):
        validate_draft(replace(ticket, lines=(), total_tax_incl=D("0"), payments=()))
    with pytest.raises(TicketRefused, match="numbered"):
        validate_draft(replace(ticket, lines=(ticket.lines[0], ticket.lines[0])))
    with pytest.raises(TicketRefused, match="valid identifier"):
        validate_draft(replace(ticket, uuid="not-a-uuid"))
    with pytest.raises(TicketRefused, match="must name the ticket"):
        validate_draft(replace(ticket, kind=TicketKind.REFUND))
    with pytest.raises(TicketRefused, match="cannot point to an original"):
        validate_draft(replace(ticket, original_ticket="T1-2026-000001"))


def test_refund_lines_must_name_their_original_line_and_give_no_change() -> None:
    refund = sample_ticket("T1", [Item(1, 1, D("3.10"))], kind=TicketKind.REFUND)
    refund = replace(refund, original_ticket="T1-2026-000001")
    with pytest.raises(TicketRefused, match="name the line it gives back"):
        validate_draft(refund)
    refund = replace(refund, lines=(sample_line(1, Item(1, 1, D("3.10")), 1),))
    validate_draft(refund)
    with pytest.raises(TicketRefused, match="gives no change"):
        validate_draft(replace(refund, payments=(cash(D("3.10"), D("5.00")),)))


def test_a_free_sale_needs_no_payment() -> None:
    validate_draft(sample_ticket("T1", [Item(1, 1, D("0.00"))], []))


@pytest.mark.parametrize(
    ("value", "places", "ok"),
    [
        (D("1.23"), 2, True),
        (D("1.230"), 2, True),
        (D("1.231"), 2, False),
        (D("0"), 2, True),
        (D("1E+3"), 2, True),
        (D("NaN"), 2, False),
        (D("Infinity"), 2, False),
        (1.5, 2, False),
        (D("0.000001"), 6, True),
        (D("0.0000001"), 6, False),
    ],
)
def test_decimals_ok(value: object, places: int, ok: bool) -> None:
    assert decimals_ok(value, places) is ok
