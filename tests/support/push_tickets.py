"""Till tickets for push tests, with figures worked out by hand (PS_ROUND_TYPE=2, half up),
and helpers to read back what a push wrote.

The demo shop (seed 7) sells, among others:
  1  Vela aromática nórdica Lucero   46.280992 excl., 21 % (tax rules group 1, tax 1)
  2  Puzle de madera Mediterránea    21.487603 excl., 21 %
  3  Polo de manga larga Norte       23.099174 excl., 21 %; combination 4 (XL) +1.652893
  4  Mermelada gran reserva …        13.627273 excl., 10 % (tax rules group 2, tax 2)

The sale ticket:
  line 1  2 × vela       56.000000 incl.   92.56 / 112.00
  line 2  3 × mermelada  14.990000 incl.   40.88 /  44.97
  line 3  1 × polo XL    29.950001 incl.   24.75 /  29.95
  line 4  1 × puzle      26.000000 incl., till discount 10 %: 19.34 / 23.40
  total                                    177.53 / 210.32
  paid    cash 110.32 (given 120.00, change 9.68) + card 100.00
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from decimal import Decimal as D
from typing import Any

from sqlalchemy import Engine, text

from app.till.records import (
    LineTax,
    TenderKind,
    Ticket,
    TicketCustomer,
    TicketKind,
    TicketLine,
    TicketPayment,
)

WHEN = datetime(2025, 3, 14, 11, 22, 33)
IVA21 = (1, "IVA ES 21%", D("21.000"))
IVA10 = (2, "IVA ES 10%", D("10.000"))
WALK_IN = TicketCustomer(1, "mostrador@example.com", "Cliente", "de mostrador", 3, True)
POLO_NAME = "Polo de manga larga Norte (Talla: XL, Color: Azul)"


def tax(spec: tuple[int, str, D], unit: str, total: str) -> LineTax:
    return LineTax(spec[0], spec[1], spec[2], D(unit), D(total))


def line(  # noqa: PLR0917
    no: int, product: int, attribute: int, name: str, qty: int, prices: tuple[str, ...],
    group: int, taxes: tuple[LineTax, ...], **extra: Any,
) -> TicketLine:  # fmt: skip
    original, excl, incl, total_excl, total_incl, wholesale = prices
    return TicketLine(
        line_no=no, id_product=product, id_product_attribute=attribute, name=name,
        reference=extra.pop("reference", f"REF-{product}"), ean13=extra.pop("ean13", ""),
        quantity=qty, original_unit_price_tax_excl=D(original), unit_price_tax_excl=D(excl),
        unit_price_tax_incl=D(incl), total_tax_excl=D(total_excl), total_tax_incl=D(total_incl),
        id_tax_rules_group=group, taxes=taxes, wholesale_price=D(wholesale), **extra,
    )  # fmt: skip


SALE_LINES = (
    line(1, 1, 0, "Vela aromática nórdica Lucero", 2,
         ("46.280992", "46.280992", "56.000000", "92.56", "112.00", "17.12"), 1,
         (tax(IVA21, "9.719008", "19.44"),), reference="HOG-000001", ean13="2000000000015"),
    line(2, 4, 0, "Mermelada gran reserva Tramontana", 3,
         ("13.627273", "13.627273", "14.990000", "40.88", "44.97", "5.31"), 2,
         (tax(IVA10, "1.362727", "4.09"),), reference="ALI-000004"),
    line(3, 3, 4, POLO_NAME, 1,
         ("24.752067", "24.752067", "29.950001", "24.75", "29.95", "11.55"), 1,
         (tax(IVA21, "5.197934", "5.20"),), reference="CAM-000003-XL-AZU"),
    line(4, 2, 0, "Puzle de madera Mediterránea", 1,
         ("21.487603", "21.487603", "26.000000", "19.34", "23.40", "9.45"), 1,
         (tax(IVA21, "4.060000", "4.06"),), discount_percent=D("10")),
)  # fmt: skip
SPLIT = (
    TicketPayment("cash", "Efectivo", TenderKind.CASH, D("110.32"), D("120.00"), D("9.68")),
    TicketPayment("card", "Tarjeta", TenderKind.CARD, D("100.00")),
)


def sale_ticket(number: str = "T1-2025-000001", **changes: Any) -> Ticket:
    values: dict[str, Any] = dict(
        uuid=str(uuid.uuid4()), number=number, kind=TicketKind.SALE, till="T1",
        created_at=WHEN, id_shop=1, id_currency=1, id_lang=1, id_employee=2,
        employee_name="Lucía Martín", customer=WALK_IN, lines=SALE_LINES, payments=SPLIT,
        total_tax_excl=D("177.53"), total_tax_incl=D("210.32"),
    )  # fmt: skip
    values.update(changes)
    return Ticket(**values)


def small_ticket(number: str, product: int = 1, quantity: int = 1, **changes: Any) -> Ticket:
    """One line of the vela (product 1), paid cash."""
    excl = (D("46.280992") * quantity).quantize(D("0.01"))
    incl = (D("56.000000") * quantity).quantize(D("0.01"))
    only = line(1, product, 0, "Vela aromática nórdica Lucero", quantity,
                ("46.280992", "46.280992", "56.000000", str(excl), str(incl), "17.12"), 1,
                (tax(IVA21, "9.719008", str(incl - excl)),))  # fmt: skip
    cash = TicketPayment("cash", "Efectivo", TenderKind.CASH, incl)
    return sale_ticket(number, lines=(only,), payments=(cash,), total_tax_excl=excl,
                       total_tax_incl=incl, **changes)  # fmt: skip


def refund_ticket(original: Ticket, number: str = "T1-2025-R00001") -> Ticket:
    """Gives back line 1 (one vela, restocked) and line 3 (the polo, not restocked)."""
    vela = line(1, 1, 0, "Vela aromática nórdica Lucero", 1,
                ("46.280992", "46.280992", "56.000000", "46.28", "56.00", "17.12"), 1,
                (tax(IVA21, "9.719008", "9.72"),), original_line_no=1)  # fmt: skip
    polo = line(2, 3, 4, POLO_NAME, 1,
                ("24.752067", "24.752067", "29.950001", "24.75", "29.95", "11.55"), 1,
                (tax(IVA21, "5.197934", "5.20"),), original_line_no=3, restock=False)  # fmt: skip
    back = TicketPayment("cash", "Efectivo", TenderKind.CASH, D("-85.95"))
    return sale_ticket(
        number, kind=TicketKind.REFUND, lines=(vela, polo), payments=(back,),
        total_tax_excl=D("71.03"), total_tax_incl=D("85.95"), original_ticket=original.number,
    )  # fmt: skip


@contextmanager
def connected(engine: Engine) -> Iterator[Any]:
    with engine.connect() as conn:
        yield conn


def fetch(engine: Engine, sql: str, **params: Any) -> list[dict[str, Any]]:
    """Rows of ``sql`` (``{p}`` = table prefix ps_) as dicts."""
    with engine.connect() as conn:
        return [dict(r) for r in conn.execute(text(sql.format(p="ps_")), params).mappings()]


def scalar(engine: Engine, sql: str, **params: Any) -> Any:
    with engine.connect() as conn:
        return conn.execute(text(sql.format(p="ps_")), params).scalar()


def stock_of(engine: Engine, product: int, attribute: int = 0) -> tuple[int, int, int]:
    """(quantity, physical_quantity, reserved_quantity) of a stock row of shop 1."""
    row = fetch(
        engine,
        "SELECT quantity, physical_quantity, reserved_quantity FROM {p}stock_available "
        "WHERE id_product = :p AND id_product_attribute = :a AND id_shop = 1",
        p=product, a=attribute,
    )[0]  # fmt: skip
    return int(row["quantity"]), int(row["physical_quantity"]), int(row["reserved_quantity"])
