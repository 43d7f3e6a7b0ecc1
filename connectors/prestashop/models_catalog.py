"""Column declarations: categories, products, combinations, attributes, images, stock, specific
prices, suppliers and sales counters.

Only the columns a till or a back office uses are declared; each matches the real schema of
every supported version (checked by tests/unit/test_mapping_facts.py). Columns that exist only
in some versions carry ``info=since(...)``; ``product_attribute.quantity/location`` (1.7.8 only)
and ``*_lang.meta_keywords`` (gone in 9.0) are deliberately not mapped.
"""

from __future__ import annotations

from sqlalchemy.orm import Mapped, mapped_column

from connectors.prestashop.types import (
    BigInt,
    DateAdd,
    Ecotax,
    Flag,
    Int,
    IntPK,
    LongText,
    NullDate,
    Price,
    PsEnum,
    PsTable,
    SmallInt,
    TinyInt,
    UFlag,
    UInt,
    UIntPK,
    UMediumInt,
    USmallInt,
    UTinyInt,
    ZeroDateTime,
    since,
    until,
    varchar,
)

_CONDITIONS = ("new", "used", "refurbished")
_VISIBILITIES = ("both", "catalog", "search", "none")
_PRODUCT_TYPES = ("standard", "pack", "virtual", "combinations", "")
_CATEGORY_REDIRECTS = ("404", "410", "301", "302")

# --------------------------------------------------------------------------- categories


class Category(PsTable):
    __ps_table__ = "category"
    id_category: Mapped[UIntPK]
    id_parent: Mapped[UInt]
    id_shop_default: Mapped[UInt]
    level_depth: Mapped[UTinyInt]
    nleft: Mapped[UInt]
    nright: Mapped[UInt]
    active: Mapped[UFlag]
    date_add: Mapped[DateAdd]
    date_upd: Mapped[DateAdd]
    position: Mapped[UInt]
    is_root_category: Mapped[Flag]
    redirect_type: Mapped[str] = mapped_column(PsEnum(*_CATEGORY_REDIRECTS), info=since("9.0"))
    id_type_redirected: Mapped[UInt] = mapped_column(info=since("9.0"))


class CategoryLang(PsTable):
    __ps_table__ = "category_lang"
    id_category: Mapped[UIntPK]
    id_shop: Mapped[UIntPK]
    id_lang: Mapped[UIntPK]
    name: Mapped[str] = mapped_column(varchar(128))
    description: Mapped[LongText | None]
    link_rewrite: Mapped[str] = mapped_column(varchar(128))
    meta_title: Mapped[str | None] = mapped_column(varchar(255))
    meta_description: Mapped[str | None] = mapped_column(varchar(512))
    additional_description: Mapped[LongText | None] = mapped_column(info=since("8.0"))


class CategoryShop(PsTable):
    __ps_table__ = "category_shop"
    id_category: Mapped[IntPK]
    id_shop: Mapped[IntPK]
    position: Mapped[UInt]


class CategoryProduct(PsTable):
    __ps_table__ = "category_product"
    id_category: Mapped[UIntPK]
    id_product: Mapped[UIntPK]
    position: Mapped[UInt]


# --------------------------------------------------------------------------- products


class _ProductShopColumns(PsTable):
    """Columns that ``product`` and ``product_shop`` share (FACTS.md §13): read product_shop
    for a shop, write both."""

    id_category_default: Mapped[UInt | None]
    id_tax_rules_group: Mapped[UInt]
    on_sale: Mapped[UFlag]
    online_only: Mapped[UFlag]
    ecotax: Mapped[Ecotax]
    minimal_quantity: Mapped[UInt]
    low_stock_threshold: Mapped[Int | None]
    low_stock_alert: Mapped[Flag]
    price: Mapped[Price]  # tax excluded, default currency
    wholesale_price: Mapped[Price]  # cost price
    unity: Mapped[str | None] = mapped_column(varchar(255))
    unit_price_ratio: Mapped[Price]
    unit_price: Mapped[Price] = mapped_column(info=since("8.0"))
    additional_shipping_cost: Mapped[Price]
    customizable: Mapped[TinyInt]
    active: Mapped[UFlag]
    available_for_order: Mapped[Flag]
    available_date: Mapped[NullDate]
    show_price: Mapped[Flag]
    condition: Mapped[str] = mapped_column(PsEnum(*_CONDITIONS))
    indexed: Mapped[Flag]
    visibility: Mapped[str] = mapped_column(PsEnum(*_VISIBILITIES))
    cache_default_attribute: Mapped[UInt | None]
    advanced_stock_management: Mapped[Flag]
    date_add: Mapped[DateAdd]
    date_upd: Mapped[DateAdd]
    pack_stock_type: Mapped[UInt]


class Product(_ProductShopColumns):
    __ps_table__ = "product"
    id_product: Mapped[UIntPK]
    id_supplier: Mapped[UInt | None]
    id_manufacturer: Mapped[UInt | None]
    id_shop_default: Mapped[UInt]
    ean13: Mapped[str | None] = mapped_column(varchar(20), info=until("8.1", length=13))
    isbn: Mapped[str | None] = mapped_column(varchar(32))
    upc: Mapped[str | None] = mapped_column(varchar(12))
    mpn: Mapped[str | None] = mapped_column(varchar(40))
    reference: Mapped[str | None] = mapped_column(varchar(64))
    supplier_reference: Mapped[str | None] = mapped_column(varchar(64))
    location: Mapped[str] = mapped_column(varchar(255))
    width: Mapped[Price]
    height: Mapped[Price]
    depth: Mapped[Price]
    weight: Mapped[Price]
    out_of_stock: Mapped[UInt]
    cache_is_pack: Mapped[Flag]
    is_virtual: Mapped[Flag]
    state: Mapped[UInt]
    product_type: Mapped[str] = mapped_column(PsEnum(*_PRODUCT_TYPES))


class ProductShop(_ProductShopColumns):
    __ps_table__ = "product_shop"
    id_product: Mapped[UIntPK]
    id_shop: Mapped[UIntPK]


class ProductLang(PsTable):
    __ps_table__ = "product_lang"
    id_product: Mapped[UIntPK]
    id_shop: Mapped[UIntPK]
    id_lang: Mapped[UIntPK]
    description: Mapped[LongText | None]
    description_short: Mapped[LongText | None]
    link_rewrite: Mapped[str] = mapped_column(varchar(128))
    meta_description: Mapped[str | None] = mapped_column(varchar(512))
    meta_title: Mapped[str | None] = mapped_column(varchar(128))
    name: Mapped[str] = mapped_column(varchar(128))
    available_now: Mapped[str | None] = mapped_column(varchar(255))
    available_later: Mapped[str | None] = mapped_column(varchar(255))


# --------------------------------------------------------------------------- combinations


class _CombinationShopColumns(PsTable):
    """Columns that ``product_attribute`` and ``product_attribute_shop`` share."""

    wholesale_price: Mapped[Price]
    price: Mapped[Price]  # impact on the product price, may be negative
    ecotax: Mapped[Ecotax]
    weight: Mapped[Price]
    unit_price_impact: Mapped[Price]
    default_on: Mapped[UFlag | None]  # 1 or NULL, never 0 (unique key)
    minimal_quantity: Mapped[UInt]
    low_stock_threshold: Mapped[Int | None]
    low_stock_alert: Mapped[Flag]
    available_date: Mapped[NullDate]


class ProductAttribute(_CombinationShopColumns):
    __ps_table__ = "product_attribute"
    id_product_attribute: Mapped[UIntPK]
    id_product: Mapped[UInt]
    reference: Mapped[str | None] = mapped_column(varchar(64))
    supplier_reference: Mapped[str | None] = mapped_column(varchar(64))
    ean13: Mapped[str | None] = mapped_column(varchar(20), info=until("8.1", length=13))
    isbn: Mapped[str | None] = mapped_column(varchar(32))
    upc: Mapped[str | None] = mapped_column(varchar(12))
    mpn: Mapped[str | None] = mapped_column(varchar(40))


class ProductAttributeShop(_CombinationShopColumns):
    __ps_table__ = "product_attribute_shop"
    id_product: Mapped[UInt]
    id_product_attribute: Mapped[UIntPK]
    id_shop: Mapped[UIntPK]


class ProductAttributeCombination(PsTable):
    __ps_table__ = "product_attribute_combination"
    id_attribute: Mapped[UIntPK]
    id_product_attribute: Mapped[UIntPK]


class AttributeGroup(PsTable):
    __ps_table__ = "attribute_group"
    id_attribute_group: Mapped[IntPK]
    is_color_group: Mapped[Flag]
    group_type: Mapped[str] = mapped_column(varchar(255))
    position: Mapped[Int]


class AttributeGroupLang(PsTable):
    __ps_table__ = "attribute_group_lang"
    id_attribute_group: Mapped[IntPK]
    id_lang: Mapped[IntPK]
    name: Mapped[str] = mapped_column(varchar(128))
    public_name: Mapped[str] = mapped_column(varchar(64))


class AttributeGroupShop(PsTable):
    __ps_table__ = "attribute_group_shop"
    id_attribute_group: Mapped[IntPK]
    id_shop: Mapped[IntPK]


class Attribute(PsTable):
    __ps_table__ = "attribute"
    id_attribute: Mapped[IntPK]
    id_attribute_group: Mapped[Int]
    color: Mapped[str] = mapped_column(varchar(32))
    position: Mapped[Int]


class AttributeLang(PsTable):
    __ps_table__ = "attribute_lang"
    id_attribute: Mapped[IntPK]
    id_lang: Mapped[IntPK]
    name: Mapped[str] = mapped_column(varchar(128))


class AttributeShop(PsTable):
    __ps_table__ = "attribute_shop"
    id_attribute: Mapped[IntPK]
    id_shop: Mapped[IntPK]


# --------------------------------------------------------------------------- images


class Image(PsTable):
    __ps_table__ = "image"
    id_image: Mapped[UIntPK]
    id_product: Mapped[UInt]
    position: Mapped[USmallInt]
    cover: Mapped[UFlag | None]  # 1 or NULL, never 0 (unique key)


class ImageShop(PsTable):
    __ps_table__ = "image_shop"
    id_product: Mapped[UInt]
    id_image: Mapped[UIntPK]
    id_shop: Mapped[UIntPK]
    cover: Mapped[UFlag | None]


class ImageLang(PsTable):
    __ps_table__ = "image_lang"
    id_image: Mapped[UIntPK]
    id_lang: Mapped[UIntPK]
    legend: Mapped[str | None] = mapped_column(varchar(128))


# --------------------------------------------------------------------------- stock


class StockAvailable(PsTable):
    __ps_table__ = "stock_available"
    id_stock_available: Mapped[UIntPK]
    id_product: Mapped[UInt]
    id_product_attribute: Mapped[UInt]
    id_shop: Mapped[UInt]  # 0 when the shop group shares stock
    id_shop_group: Mapped[UInt]  # 0 unless the shop group shares stock
    quantity: Mapped[Int]  # sellable quantity, may be negative
    physical_quantity: Mapped[Int]
    reserved_quantity: Mapped[Int]
    depends_on_stock: Mapped[UFlag]
    out_of_stock: Mapped[UTinyInt]  # 0 deny, 1 allow, 2 shop default
    location: Mapped[str] = mapped_column(varchar(255))


class StockMvt(PsTable):
    __ps_table__ = "stock_mvt"
    id_stock_mvt: Mapped[BigInt] = mapped_column(primary_key=True)
    id_stock: Mapped[Int]  # stock_available.id_stock_available
    id_order: Mapped[Int | None]
    id_supply_order: Mapped[Int | None]
    id_stock_mvt_reason: Mapped[Int]
    id_employee: Mapped[Int]
    employee_lastname: Mapped[str | None] = mapped_column(
        varchar(255), info=until("8.0", length=32)
    )
    employee_firstname: Mapped[str | None] = mapped_column(
        varchar(255), info=until("8.0", length=32)
    )
    physical_quantity: Mapped[UInt] = mapped_column(info=until("8.0", unsigned=False))
    date_add: Mapped[DateAdd]
    sign: Mapped[SmallInt]
    price_te: Mapped[Price | None]
    last_wa: Mapped[Price | None]
    current_wa: Mapped[Price | None]
    referer: Mapped[BigInt | None]


# --------------------------------------------------------------------------- prices


class SpecificPrice(PsTable):
    __ps_table__ = "specific_price"
    id_specific_price: Mapped[UIntPK]
    id_specific_price_rule: Mapped[UInt]
    id_cart: Mapped[UInt]
    id_product: Mapped[UInt]
    id_shop: Mapped[UInt]
    id_shop_group: Mapped[UInt]
    id_currency: Mapped[UInt]
    id_country: Mapped[UInt]
    id_group: Mapped[UInt]
    id_customer: Mapped[UInt]
    id_product_attribute: Mapped[UInt]
    price: Mapped[Price]  # -1 = keep the product price
    from_quantity: Mapped[UMediumInt]
    reduction: Mapped[Price]  # a fraction for 'percentage', an amount for 'amount'
    reduction_tax: Mapped[Flag]
    reduction_type: Mapped[str] = mapped_column(PsEnum("amount", "percentage"))
    from_: Mapped[ZeroDateTime] = mapped_column("from")  # None = no start
    to: Mapped[ZeroDateTime]  # None = no end


class SpecificPricePriority(PsTable):
    __ps_table__ = "specific_price_priority"
    id_specific_price_priority: Mapped[IntPK]
    id_product: Mapped[IntPK]
    priority: Mapped[str] = mapped_column(varchar(80))


# --------------------------------------------------------------------------- suppliers


class Supplier(PsTable):
    __ps_table__ = "supplier"
    id_supplier: Mapped[UIntPK]
    name: Mapped[str] = mapped_column(varchar(64))
    date_add: Mapped[DateAdd]
    date_upd: Mapped[DateAdd]
    active: Mapped[Flag]


class SupplierLang(PsTable):
    __ps_table__ = "supplier_lang"
    id_supplier: Mapped[UIntPK]
    id_lang: Mapped[UIntPK]
    description: Mapped[LongText | None]
    meta_title: Mapped[str | None] = mapped_column(varchar(255))
    meta_description: Mapped[str | None] = mapped_column(varchar(512))


class SupplierShop(PsTable):
    __ps_table__ = "supplier_shop"
    id_supplier: Mapped[UIntPK]
    id_shop: Mapped[UIntPK]


class ProductSupplier(PsTable):
    __ps_table__ = "product_supplier"
    id_product_supplier: Mapped[UIntPK]
    id_product: Mapped[UInt]
    id_product_attribute: Mapped[UInt]
    id_supplier: Mapped[UInt]
    product_supplier_reference: Mapped[str | None] = mapped_column(varchar(64))
    product_supplier_price_te: Mapped[Price]
    id_currency: Mapped[UInt]


class ProductSale(PsTable):
    __ps_table__ = "product_sale"
    id_product: Mapped[UIntPK] = mapped_column(autoincrement=False)
    quantity: Mapped[UInt]
    sale_nbr: Mapped[UInt]
    date_upd: Mapped[NullDate]


CATALOG_TABLES: tuple[type[PsTable], ...] = (
    Category,
    CategoryLang,
    CategoryShop,
    CategoryProduct,
    Product,
    ProductShop,
    ProductLang,
    ProductAttribute,
    ProductAttributeShop,
    ProductAttributeCombination,
    AttributeGroup,
    AttributeGroupLang,
    AttributeGroupShop,
    Attribute,
    AttributeLang,
    AttributeShop,
    Image,
    ImageShop,
    ImageLang,
    StockAvailable,
    StockMvt,
    SpecificPrice,
    SpecificPricePriority,
    Supplier,
    SupplierLang,
    SupplierShop,
    ProductSupplier,
    ProductSale,
)
