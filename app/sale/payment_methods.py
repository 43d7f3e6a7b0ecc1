"""Payment methods and the payment of one ticket (cash, card, mixed), with the change.

A :class:`PaymentMethod` is what the till offers (code, the label printed on the ticket and
written to PrestaShop's ``order_payment.payment_method``, and its tender kind). The labels are
the shop's words, not interface strings: they are configured, not translated.

A :class:`PaymentPlan` collects the tenders the customer hands over and splits them into what
each pays and the change. Card and other non-cash tenders pay exactly their amount and can
never be more than what is left to pay; only cash gives change, so the cash handed over may
exceed what is left. Several cash tenders are one cash payment (one drawer). Under-payment is
refused with the amount missing ("Faltan 3,50 €").
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal

from app.errors import UserFacingError
from app.formatting import format_money
from app.i18n import _
from app.till.records import TenderKind, TicketPayment
from app.till.validation import CENTS, decimals_ok

ZERO = Decimal("0.00")


class PaymentRefused(UserFacingError):
    """A tender or a payment that cannot be taken; the message says why."""


class Underpaid(PaymentRefused):
    """The tenders do not cover the total."""

    def __init__(self, missing: Decimal) -> None:
        super().__init__(_("{missing} missing.").format(missing=format_money(missing)))
        self.missing = missing


@dataclass(frozen=True)
class PaymentMethod:
    code: str  # "cash", "card", "bizum"
    label: str  # "Efectivo", "Tarjeta", "Bizum"
    tender: TenderKind


DEFAULT_METHODS: tuple[PaymentMethod, ...] = (
    PaymentMethod("cash", "Efectivo", TenderKind.CASH),
    PaymentMethod("card", "Tarjeta", TenderKind.CARD),
    PaymentMethod("bizum", "Bizum", TenderKind.OTHER),
)


class PaymentMethods:
    """The methods this till offers, by code (in the order they are shown)."""

    def __init__(self, methods: Iterable[PaymentMethod] = DEFAULT_METHODS) -> None:
        self._by_code: dict[str, PaymentMethod] = {}
        for method in methods:
            if method.code in self._by_code:
                raise ValueError(f"payment method {method.code!r} declared twice")
            self._by_code[method.code] = method

    @classmethod
    def from_config(cls, rows: Iterable[Mapping[str, str]]) -> PaymentMethods:
        """From settings rows ``{"code": "bizum", "label": "Bizum", "tender": "other"}``."""
        try:
            return cls(PaymentMethod(r["code"], r["label"], TenderKind(r["tender"])) for r in rows)
        except (KeyError, ValueError) as error:
            raise PaymentRefused(_("The payment methods in the settings are not valid.")) from error

    def get(self, code: str) -> PaymentMethod:
        method = self._by_code.get(code.strip().lower())
        if method is None:
            raise PaymentRefused(
                _("Unknown payment method {code!r}; this till takes: {known}.").format(
                    code=code, known=", ".join(self._by_code)
                )
            )
        return method

    @property
    def cash(self) -> PaymentMethod:
        """The first cash method (refunds in cash)."""
        for method in self:
            if method.tender is TenderKind.CASH:
                return method
        raise PaymentRefused(_("This till has no cash payment method."))

    def __iter__(self) -> Iterator[PaymentMethod]:
        return iter(self._by_code.values())


@dataclass(frozen=True)
class Tender:
    method: PaymentMethod
    amount: Decimal  # handed over (cash) or charged (card, …)


class PaymentPlan:
    """The tenders for a ticket of ``total``; :meth:`payments` gives what each pays."""

    def __init__(self, total: Decimal, methods: PaymentMethods | None = None) -> None:
        self.total = total
        self.methods = methods or PaymentMethods()
        self._tenders: list[Tender] = []

    @property
    def tenders(self) -> tuple[Tender, ...]:
        return tuple(self._tenders)

    @property
    def given(self) -> Decimal:
        return sum((t.amount for t in self._tenders), ZERO)

    @property
    def remaining(self) -> Decimal:
        """What is still to pay (0 once covered)."""
        return max(self.total - self.given, ZERO)

    @property
    def change(self) -> Decimal:
        return max(self.given - self.total, ZERO)

    def add(self, method: str | PaymentMethod, amount: Decimal) -> Tender:
        """Take a tender; a non-cash one cannot pay more than what is left."""
        chosen = method if isinstance(method, PaymentMethod) else self.methods.get(method)
        _check_amount(amount, chosen)
        if chosen.tender is not TenderKind.CASH:
            left = self.total - self._non_cash()
            if amount > left:
                raise PaymentRefused(
                    _("{label} cannot pay {amount}: only {left} is left to pay.").format(
                        label=chosen.label,
                        amount=format_money(amount),
                        left=format_money(max(left, ZERO)),
                    )
                )
        tender = Tender(chosen, amount)
        self._tenders.append(tender)
        return tender

    def remove(self, tender: Tender) -> None:
        self._tenders.remove(tender)

    def payments(self) -> tuple[TicketPayment, ...]:
        """What each method pays, cash last in the sum: refused when the total is not covered."""
        if self.given < self.total:
            raise Underpaid(self.total - self.given)
        cash_given = sum(
            (t.amount for t in self._tenders if t.method.tender is TenderKind.CASH), ZERO
        )
        cash_due = self.total - self._non_cash()
        payments: list[TicketPayment] = []
        for tender in self._tenders:
            if tender.method.tender is not TenderKind.CASH:
                payments.append(_payment(tender.method, tender.amount))
            elif not any(p.tender is TenderKind.CASH for p in payments) and cash_due > 0:
                change = cash_given - cash_due
                payments.append(_payment(tender.method, cash_due, cash_given, change))
        return tuple(payments)

    def _non_cash(self) -> Decimal:
        return sum(
            (t.amount for t in self._tenders if t.method.tender is not TenderKind.CASH), ZERO
        )


def refund_payment(method: PaymentMethod, amount: Decimal) -> TicketPayment:
    """A refund paid back by ``method``: exactly the amount, no change."""
    return _payment(method, amount)


def _payment(
    method: PaymentMethod,
    amount: Decimal,
    given: Decimal | None = None,
    change: Decimal = ZERO,
) -> TicketPayment:
    return TicketPayment(method.code, method.label, method.tender, amount, given, change)


def _check_amount(amount: Decimal, method: PaymentMethod) -> None:
    if not decimals_ok(amount, CENTS) or amount <= 0:
        raise PaymentRefused(
            _("{label}: the amount must be positive, with at most 2 decimals.").format(
                label=method.label
            )
        )
