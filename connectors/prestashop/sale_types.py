"""What a push of a till ticket takes and gives back, and how it is refused."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from app.errors import MostradorError, ShopUnreachable

POS_MODULE = "mostrador"


class PushStatus(enum.Enum):
    PUSHED = "pushed"  # written now
    ALREADY_PUSHED = "already_pushed"  # an earlier attempt committed it: nothing written
    WAITING = "waiting"  # a refund whose original sale is not in the shop yet


@dataclass(frozen=True)
class PushOptions:
    """How till tickets become PrestaShop orders (the shop's choices, not the ticket's)."""

    # Configuration key naming the order state of a counter sale (FACTS.md §17), or an id.
    order_state_key: str = "PS_OS_DELIVERED"
    id_order_state: int | None = None
    module: str = POS_MODULE  # orders.module
    split_payment_separator: str = " + "  # orders.payment of a split tender: "Efectivo + Tarjeta"


@dataclass(frozen=True)
class PushResult:
    status: PushStatus
    uuid: str
    id_order: int = 0
    reference: str = ""
    id_order_slip: int = 0
    invoice_number: int = 0
    reason: str = ""  # why a refund waits


class PushRefused(MostradorError):
    """The shop cannot take this ticket as it is (deleted product, schema problem…).

    Permanent: retrying will not help; the ticket stays in the outbox and ``reason`` is
    shown to a manager.
    """

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class ShopBusy(ShopUnreachable):
    """The shop database gave up on a lock (deadlock, lock wait timeout): retry later."""
