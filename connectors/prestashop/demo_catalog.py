"""Demo shop, part 3: categories, attributes, products, combinations, stock, specific prices.

Rows follow FACTS.md §13–§14b: ``product`` and ``product_shop`` carry the same values,
``product_lang`` one row per language of shop 1, exactly one ``default_on`` combination per
product (NULL for the others), a ``stock_available`` row per combination plus the parent row
holding their sum, shop-scoped (id_shop 1, id_shop_group 0: no shared stock).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, NamedTuple

from connectors.prestashop import demo_words as w
from connectors.prestashop.demo_util import (
    ZERO_DATETIME,
    Context,
    Row,
    ean13,
    money,
    price6,
    slugify,
)

FIRST_CATEGORY = 3  # 1 root, 2 home
SIZE_GROUP, COLOUR_GROUP = 1, 2
SIZE_IDS = {size: i for i, size in enumerate(w.SIZES, start=1)}
COLOUR_IDS = {c[0]: i for i, c in enumerate(w.COLOURS, start=len(w.SIZES) + 1)}
XL_SURCHARGE = Decimal("2.00")  # tax included
COMBINATION_SHARE = 0.72  # of products in categories with variants: ≈30 % of the catalog
SPECIFIC_PRICE_EVERY = 50  # one specific price per this many products (at least 3)
SUPPLIER_OF_CATEGORY = {  # id_category → its wholesaler: every product's default supplier
    FIRST_CATEGORY + i: supplier
    for i, category in enumerate(w.CATEGORIES)
    for supplier in w.SUPPLIERS
    if category.code in supplier.categories
}


class Combination(NamedTuple):
    id: int
    suffix: str  # " (Talla: M, Color: Negro)"
    reference: str
    ean13: str
    impact: Decimal  # price impact, tax excluded
    wholesale: Decimal


class Product(NamedTuple):
    id: int
    name: str
    name_en: str
    reference: str
    ean13: str
    price: Decimal  # tax excluded, 6 decimals
    wholesale: Decimal
    tax_group: int
    weight: Decimal
    category: int
    combinations: tuple[Combination, ...]


@dataclass
class Catalog:
    """What the order generator needs to know about the catalog."""

    products: list[Product] = field(default_factory=list)
    stock: dict[tuple[int, int], int] = field(default_factory=dict)  # (product, combination)
    stock_ids: dict[tuple[int, int], int] = field(default_factory=dict)
    next_combination: int = 1
    next_stock: int = 1

    @property
    def combination_count(self) -> int:
        return self.next_combination - 1


def add_categories(ctx: Context) -> None:
    """Root (1), Home (2) and the shop's categories under Home, as a nested set."""
    count = len(w.CATEGORIES)
    home_right = 3 + 2 * count
    tree = [
        (1, 0, 0, 1, home_right + 1, "Raíz", "Root", 0),
        (2, 1, 1, 2, home_right, "Inicio", "Home", 1),
    ]
    for i, category in enumerate(w.CATEGORIES):
        tree.append((FIRST_CATEGORY + i, 2, 2, 3 + 2 * i, 4 + 2 * i, category.es, category.en, 0))
    for position, (id_cat, parent, depth, left, right, es, en, is_root) in enumerate(tree):
        ctx.sink.add(
            "category",
            dict(id_category=id_cat, id_parent=parent, id_shop_default=1, level_depth=depth,
                 nleft=left, nright=right, active=1, date_add=ctx.installed,
                 date_upd=ctx.installed, position=max(0, position - 2),
                 is_root_category=is_root),
        )  # fmt: skip
        ctx.sink.add("category_shop", dict(id_category=id_cat, id_shop=1, position=position))
        for id_lang, name in ((1, es), (2, en)):
            ctx.sink.add("category_lang", _category_lang(id_cat, id_lang, name))
        for id_group, _, _ in w.GROUPS:
            ctx.sink.add("category_group", dict(id_category=id_cat, id_group=id_group))


def _category_lang(id_category: int, id_lang: int, name: str) -> Row:
    return dict(
        id_category=id_category, id_shop=1, id_lang=id_lang, name=name,
        description=f"<p>{name}</p>", additional_description="", link_rewrite=slugify(name),
        meta_title="", meta_keywords="", meta_description="",
    )  # fmt: skip


def add_attributes(ctx: Context) -> None:
    """Attribute groups Talla (S/M/L/XL) and Color."""
    groups = (
        (SIZE_GROUP, 0, "select", "Talla", "Size"),
        (COLOUR_GROUP, 1, "color", "Color", "Colour"),
    )
    for id_group, is_colour, kind, es, en in groups:
        ctx.sink.add(
            "attribute_group",
            dict(id_attribute_group=id_group, is_color_group=is_colour, group_type=kind,
                 position=id_group - 1),
        )  # fmt: skip
        ctx.sink.add("attribute_group_shop", dict(id_attribute_group=id_group, id_shop=1))
        for id_lang, name in ((1, es), (2, en)):
            ctx.sink.add(
                "attribute_group_lang",
                dict(id_attribute_group=id_group, id_lang=id_lang, name=name, public_name=name),
            )
    values = [(SIZE_GROUP, s, s, s, "") for s in w.SIZES]
    values += [(COLOUR_GROUP, es, es, en, hex_) for es, en, hex_ in w.COLOURS]
    for id_attribute, (group, _, es, en, colour) in enumerate(values, start=1):
        ctx.sink.add(
            "attribute",
            dict(id_attribute=id_attribute, id_attribute_group=group, color=colour,
                 position=id_attribute - 1),
        )  # fmt: skip
        ctx.sink.add("attribute_shop", dict(id_attribute=id_attribute, id_shop=1))
        for id_lang, name in ((1, es), (2, en)):
            ctx.sink.add(
                "attribute_lang", dict(id_attribute=id_attribute, id_lang=id_lang, name=name)
            )


def add_products(
    ctx: Context,
    catalog: Catalog,
    first: int,
    last: int,
    total: int,
) -> None:
    """Products ``first``..``last`` (inclusive) of a catalog of ``total``."""
    positions: dict[int, int] = {}
    for id_product in range(first, last + 1):
        category_index = ctx.rng.randrange(len(w.CATEGORIES))
        product = _new_product(ctx, catalog, id_product, category_index)
        catalog.products.append(product)
        on_sale = _specific_price_kind(id_product, total) == "sale"
        _add_product_rows(ctx, product, on_sale)
        _add_stock_rows(ctx, catalog, product)
        position = positions.get(product.category, (id_product - 1) // len(w.CATEGORIES))
        positions[product.category] = position + 1
        ctx.sink.add(
            "category_product",
            dict(id_category=product.category, id_product=id_product, position=position),
        )


def _new_product(ctx: Context, catalog: Catalog, id_product: int, index: int) -> Product:
    rng, category = ctx.rng, w.CATEGORIES[index]
    noun, qualifier = rng.choice(category.nouns), rng.choice(category.qualifiers)
    brand = rng.choice(w.BRANDS)
    rate = Decimal(w.TAX_RATES[category.tax_group])
    low, high = category.price_range
    shelf_price = Decimal(rng.randint(low, high)) + rng.choice(
        (Decimal("0.95"), Decimal("0.99"), Decimal("0.50"), Decimal("0.00"))
    )
    price = price6(shelf_price * 100 / (100 + rate))
    wholesale = money(price * rng.randint(35, 60) / 100)
    reference = f"{category.code}-{id_product:06d}"
    combinations: tuple[Combination, ...] = ()
    if category.variants and rng.random() < COMBINATION_SHARE:
        combinations = _new_combinations(
            ctx, catalog, category, reference, rate=rate, wholesale=wholesale
        )
    weight = Decimal(rng.randint(1, 20)) / 10
    return Product(
        id_product, f"{noun[0]} {qualifier[0]} {brand}", f"{brand} {qualifier[1]} {noun[1]}",
        reference, ean13("20", id_product), price, wholesale,
        category.tax_group, weight, FIRST_CATEGORY + index, combinations,
    )  # fmt: skip


def _new_combinations(
    ctx: Context,
    catalog: Catalog,
    category: w.Category,
    reference: str,
    *,
    rate: Decimal,
    wholesale: Decimal,
) -> tuple[Combination, ...]:
    rng = ctx.rng
    apparel = category.variants == "apparel"
    colours = rng.sample(w.COLOURS, k=rng.randint(1, 3) if apparel else rng.randint(2, 4))
    sizes: tuple[str | None, ...] = w.SIZES if apparel else (None,)
    surcharge = price6(XL_SURCHARGE * 100 / (100 + rate))
    combinations = []
    for colour, size in itertools.product(colours, sizes):
        id_pa = catalog.next_combination
        catalog.next_combination += 1
        label = f"Talla: {size}, Color: {colour[0]}" if size else f"Color: {colour[0]}"
        code = slugify(colour[0])[:3].upper()
        ref = f"{reference}-{size}-{code}" if size else f"{reference}-{code}"
        impact = surcharge if size == "XL" else Decimal(0)
        combinations.append(
            Combination(id_pa, f" ({label})", ref, ean13("21", id_pa), impact, wholesale)
        )
    return tuple(combinations)


def default_supplier(product: Product) -> w.Supplier:
    return SUPPLIER_OF_CATEGORY[product.category]


def supplier_reference(product: Product, combination: Combination | None = None) -> str:
    """The default supplier's own reference of a product or combination (``HTU-000042``,
    ``HTU-000042-M-NEG``); a product with combinations shows its default combination's."""
    code = f"{default_supplier(product).code}-{product.id:06d}"
    combination = combination or (product.combinations[0] if product.combinations else None)
    return code + combination.reference[len(product.reference) :] if combination else code


def _add_product_rows(ctx: Context, product: Product, on_sale: bool) -> None:
    date = ctx.ago(ctx.rng.uniform(30, 700))
    default = product.combinations[0].id if product.combinations else 0
    shop = _product_shop_values(product, default, on_sale, date)
    ctx.sink.add(
        "product",
        dict(shop, id_product=product.id, id_supplier=default_supplier(product).id,
             id_manufacturer=0, ean13=product.ean13, isbn="", upc="", mpn="", quantity=0,
             reference=product.reference, supplier_reference=supplier_reference(product),
             location="", width=0, height=0, depth=0,
             weight=product.weight, out_of_stock=2, additional_delivery_times=1,
             quantity_discount=0, cache_is_pack=0, cache_has_attachments=0, is_virtual=0,
             id_shop_default=1, state=1,
             product_type="combinations" if product.combinations else "standard"),
    )  # fmt: skip
    ctx.sink.add("product_shop", dict(shop, id_product=product.id, id_shop=1))
    for id_lang in (1, 2):
        ctx.sink.add("product_lang", _product_lang(product, id_lang))
    for combination in product.combinations:
        _add_combination_rows(ctx, product, combination, combination.id == default)


def _product_shop_values(product: Product, default: int, on_sale: bool, date: Any) -> Row:
    return dict(
        id_category_default=product.category, id_tax_rules_group=product.tax_group,
        on_sale=int(on_sale), online_only=0, ecotax=0, minimal_quantity=1,
        low_stock_threshold=None, low_stock_alert=0, price=product.price,
        wholesale_price=product.wholesale, unity="", unit_price=0, unit_price_ratio=0,
        additional_shipping_cost=0, customizable=0, uploadable_files=0, text_fields=0,
        active=1, available_for_order=1, available_date=None, show_condition=0,
        condition="new", show_price=1, indexed=0, visibility="both",
        cache_default_attribute=default, advanced_stock_management=0, pack_stock_type=3,
        date_add=date, date_upd=date,
    )  # fmt: skip


def _product_lang(product: Product, id_lang: int) -> Row:
    name = product.name if id_lang == 1 else product.name_en
    return dict(
        id_product=product.id, id_shop=1, id_lang=id_lang, name=name,
        link_rewrite=slugify(name), description=f"<p>{name}.</p>",
        description_short=f"<p>{name}</p>", meta_title="", meta_description="",
        meta_keywords="", available_now="En stock" if id_lang == 1 else "In stock",
        available_later="", delivery_in_stock="", delivery_out_stock="",
    )  # fmt: skip


def _add_combination_rows(
    ctx: Context, product: Product, combination: Combination, default: bool
) -> None:
    default_on = 1 if default else None
    shop = dict(
        id_product=product.id, id_product_attribute=combination.id,
        wholesale_price=combination.wholesale, price=combination.impact, ecotax=0, weight=0,
        unit_price_impact=0, default_on=default_on, minimal_quantity=1,
        low_stock_threshold=None, low_stock_alert=0, available_date=None,
    )  # fmt: skip
    ctx.sink.add(
        "product_attribute",
        dict(shop, reference=combination.reference,
             supplier_reference=supplier_reference(product, combination),
             ean13=combination.ean13, isbn="", upc="", mpn="", location="", quantity=0),
    )  # fmt: skip
    ctx.sink.add("product_attribute_shop", dict(shop, id_shop=1))
    for id_lang in (1, 2):
        ctx.sink.add(
            "product_attribute_lang",
            dict(id_product_attribute=combination.id, id_lang=id_lang, available_now="",
                 available_later=""),
        )  # fmt: skip
    for id_attribute in _attribute_ids(combination):
        ctx.sink.add(
            "product_attribute_combination",
            dict(id_attribute=id_attribute, id_product_attribute=combination.id),
        )


def _attribute_ids(combination: Combination) -> Iterator[int]:
    label = combination.suffix.strip(" ()")
    for part in label.split(", "):
        kind, value = part.split(": ")
        yield SIZE_IDS[value] if kind == "Talla" else COLOUR_IDS[value]


def _add_stock_rows(ctx: Context, catalog: Catalog, product: Product) -> None:
    rng = ctx.rng
    quantities = {c.id: rng.randint(0, 15) for c in product.combinations}
    parent = sum(quantities.values()) if quantities else rng.choice((0, *range(1, 61)))
    for id_pa, quantity in ((0, parent), *quantities.items()):
        key = (product.id, id_pa)
        catalog.stock[key] = quantity
        catalog.stock_ids[key] = catalog.next_stock
        ctx.sink.add("stock_available", stock_row(catalog.next_stock, key, quantity, 0))
        catalog.next_stock += 1


def stock_row(id_stock: int, key: tuple[int, int], quantity: int, reserved: int) -> Row:
    """A shop-scoped stock_available row (shop 1, no shared stock)."""
    return dict(
        id_stock_available=id_stock, id_product=key[0], id_product_attribute=key[1],
        id_shop=1, id_shop_group=0, quantity=quantity, physical_quantity=quantity + reserved,
        reserved_quantity=reserved, depends_on_stock=0, out_of_stock=2, location="",
    )  # fmt: skip


def _specific_price_kind(id_product: int, total: int) -> str | None:
    step = max(1, min(SPECIFIC_PRICE_EVERY, total // 3))
    if (id_product - 1) % step:
        return None
    return ("sale", "quantity", "group")[((id_product - 1) // step) % 3]


def add_specific_prices(ctx: Context, total: int) -> int:
    """A 15–30 % sale, a from-2-units discount and a Customer-group price, in turn."""
    makers: dict[str, Callable[[int], Row]] = {
        "sale": lambda p: _specific_price(
            p, 0, "percentage", ctx.rng.choice(("0.15", "0.20", "0.30"))
        ),
        "quantity": lambda p: dict(_specific_price(p, 0, "amount", "1.000000"), from_quantity=2),
        "group": lambda p: _specific_price(p, 3, "percentage", "0.05"),
    }
    count = 0
    for id_product in range(1, total + 1):
        kind = _specific_price_kind(id_product, total)
        if kind is not None:
            count += 1
            ctx.sink.add("specific_price", dict(makers[kind](id_product), id_specific_price=count))
    return count


def _specific_price(id_product: int, id_group: int, kind: str, reduction: str) -> Row:
    return {
        "id_specific_price_rule": 0, "id_cart": 0, "id_product": id_product, "id_shop": 0,
        "id_shop_group": 0, "id_currency": 0, "id_country": 0, "id_group": id_group,
        "id_customer": 0, "id_product_attribute": 0, "price": "-1.000000", "from_quantity": 1,
        "reduction": reduction, "reduction_tax": 1, "reduction_type": kind,
        "from": ZERO_DATETIME, "to": ZERO_DATETIME,
    }  # fmt: skip
