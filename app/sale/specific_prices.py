"""Which specific_price row applies, as PrestaShop chooses it (FACTS.md §11.2).

PrestaShop (classes/SpecificPrice.php ``getSpecificPrice``) keeps the rows whose product,
combination, shop, currency, country, group, customer and cart are 0 or the context's value,
whose dates contain "now" (to the minute; a zero date is unbounded, ``None`` here) and whose
``from_quantity`` (counted as 0 when it is 1 or less) is at most the quantity; then it sorts
them by ``id_product_attribute`` desc, ``id_cart`` desc, ``from_quantity`` desc,
``id_specific_price_rule`` asc, score desc, ``to`` desc, ``from`` desc and takes the first.

So a row for the exact combination beats every row for all combinations (even a customer's
own price), a bigger quantity step beats a better score, and a row typed in the back office
(rule 0) beats a catalog price rule. The score weighs the matches of ``id_customer`` (32) and
of the priority list (specific_price_priority of the product, else
PS_SPECIFIC_PRICE_PRIORITIES): 16, 8, 4, 2 from first to last.

Quantity: the product's quantity in the ticket (all its combinations together), or the line's
quantity when PS_QTY_DISCOUNT_ON_COMBINATION is on. PrestaShop does the same for a cart; the
ticket plays the cart's part.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

# PS_SPECIFIC_PRICE_PRIORITIES defaults (FACTS.md §10)
PRIORITIES_1_7 = ("id_shop", "id_currency", "id_country", "id_group")
PRIORITIES_8 = ("id_group", "id_currency", "id_country", "id_shop")
PRIORITY_FIELDS = frozenset({"id_shop", "id_currency", "id_country", "id_group", "id_customer"})


@dataclass(frozen=True)
class SpecificPrice:
    """One specific_price row (zero dates as None, ``price`` -1 = keep the base price)."""

    id_specific_price: int
    id_product: int = 0
    id_product_attribute: int = 0
    id_shop: int = 0
    id_currency: int = 0
    id_country: int = 0
    id_group: int = 0
    id_customer: int = 0
    id_cart: int = 0
    id_specific_price_rule: int = 0
    from_quantity: int = 1
    price: Decimal = Decimal("-1")
    reduction: Decimal = Decimal("0")  # a fraction for 'percentage' (0.1 = 10 %)
    reduction_type: str = "amount"  # 'amount' or 'percentage'
    reduction_tax: bool = True  # an 'amount' includes tax
    date_from: datetime | None = None
    date_to: datetime | None = None

    @property
    def sets_price(self) -> bool:
        return self.price >= 0


@dataclass(frozen=True)
class SpecificPriceQuery:
    """Who buys what, when: the context a specific price is chosen for."""

    id_product: int
    id_product_attribute: int
    id_shop: int
    id_currency: int
    id_country: int
    id_group: int
    id_customer: int
    quantity: int  # the quantity that from_quantity is compared with
    now: datetime
    id_cart: int = 0


def parse_priorities(value: str | None) -> tuple[str, ...] | None:
    """A priority string ("id_group;id_currency;id_country;id_shop") as field names."""
    if not value:
        return None
    fields = tuple(f.strip() for f in value.split(";") if f.strip())
    unknown = set(fields) - PRIORITY_FIELDS
    if unknown:
        raise ValueError(f"unknown specific price priority fields: {sorted(unknown)}")
    return fields


def select_specific_price(
    rows: Iterable[SpecificPrice], query: SpecificPriceQuery, priorities: tuple[str, ...]
) -> SpecificPrice | None:
    """The winning row for ``query``, or None (``priorities`` without ``id_customer``)."""
    weights = _weights(priorities)
    candidates = [row for row in rows if _applies(row, query)]
    if not candidates:
        return None
    return max(candidates, key=lambda row: _rank(row, query, weights))


def _applies(row: SpecificPrice, q: SpecificPriceQuery) -> bool:
    ids = (
        (row.id_product, q.id_product),
        (row.id_product_attribute, q.id_product_attribute),
        (row.id_shop, q.id_shop),
        (row.id_currency, q.id_currency),
        (row.id_country, q.id_country),
        (row.id_group, q.id_group),
        (row.id_customer, q.id_customer),
        (row.id_cart, q.id_cart),
    )
    if any(value not in (0, wanted) for value, wanted in ids):
        return False
    now = q.now.replace(second=0, microsecond=0)
    if row.date_from is not None and now < row.date_from:
        return False
    if row.date_to is not None and now > row.date_to:
        return False
    return (row.from_quantity if row.from_quantity > 1 else 0) <= q.quantity


Weights = tuple[tuple[str, int], ...]


def _weights(priorities: tuple[str, ...]) -> Weights:
    fields = [f for f in ("id_customer", *priorities) if f]
    return tuple((field, 2 ** (k + 1)) for k, field in enumerate(reversed(fields)))


def _score(row: SpecificPrice, q: SpecificPriceQuery, weights: Weights) -> int:
    return sum(w for field, w in weights if getattr(row, field) == getattr(q, field))


def _rank(
    row: SpecificPrice, q: SpecificPriceQuery, weights: Weights
) -> tuple[int, int, int, int, int, datetime, datetime]:
    """Bigger is better; max() keeps the first of equal rows."""
    return (
        row.id_product_attribute,
        row.id_cart,
        row.from_quantity,
        -row.id_specific_price_rule,
        _score(row, q, weights),
        row.date_to or datetime.min,
        row.date_from or datetime.min,
    )
