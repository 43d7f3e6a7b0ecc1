"""The shop side of the catalog pull: every query the till's catalog cache is filled from.

The only module of the pull that knows PrestaShop's tables. Each *kind* of catalog row
(products, combinations, stock, taxes…) is a :class:`Source`: a SELECT labelled and shaped
the way the till stores it (``''`` for a missing code, ``Decimal`` prices, ``bool`` flags),
scoped to the till's shop and language, with its key and the columns that fingerprint it.
:class:`CatalogReader` runs them on one connection (one transaction: one InnoDB snapshot):

* :meth:`~CatalogReader.fingerprints`: one ``UNION ALL`` query answering "what changed?":
  per kind, row count and checksum (``SUM(CRC32(CONCAT_WS(…)))``; on SQLite the same CRC32
  through a Python function) of each whole table or of each range of ``BUCKET`` ids, plus
  the ids whose ``date_upd`` is recent (products, customers, addresses);
* :meth:`~CatalogReader.rows`: the rows of a kind in a key range, or for some ids;
* :meth:`~CatalogReader.config_snapshot`: the configuration keys pricing and sales need.
"""

from __future__ import annotations

import datetime as dt
import zlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Select,
    and_,
    exists,
    false,
    func,
    literal,
    null,
    or_,
    select,
    true,
    union_all,
)
from sqlalchemy.orm import InstrumentedAttribute, Session, aliased

from app.barcodes import barcode_forms
from connectors.prestashop.configuration import get_many, to_int
from connectors.prestashop.models import ShopModels
from connectors.prestashop.shop import ShopInfo
from connectors.prestashop.types import unset_date

BUCKET = 1000  # ids per fingerprint bucket
Row = dict[str, Any]
Expr = ColumnElement[Any] | InstrumentedAttribute[Any]  # a column or an SQL expression
Columns = dict[str, Expr]

CONFIG_KEYS = (
    "PS_PRICE_ROUND_MODE", "PS_ROUND_TYPE", "PS_TAX", "PS_TAX_ADDRESS_TYPE",
    "PS_SPECIFIC_PRICE_PRIORITIES", "PS_SPECIFIC_PRICE_FEATURE_ACTIVE",
    "PS_GROUP_FEATURE_ACTIVE", "PS_QTY_DISCOUNT_ON_COMBINATION", "PS_CUSTOMER_GROUP",
    "PS_GUEST_GROUP", "PS_UNIDENTIFIED_GROUP", "PS_CURRENCY_DEFAULT", "PS_COUNTRY_DEFAULT",
    "PS_SHOP_COUNTRY_ID", "PS_SHOP_STATE_ID", "PS_OS_DELIVERED", "PS_STOCK_MANAGEMENT",
    "PS_ORDER_OUT_OF_STOCK", "PS_USE_ECOTAX", "PS_SHOP_NAME", "PS_SHOP_ADDR1", "PS_SHOP_ADDR2",
    "PS_SHOP_CITY", "PS_SHOP_CODE", "PS_SHOP_PHONE", "PS_SHOP_EMAIL", "PS_SHOP_DETAILS",
    "PS_TIMEZONE",
)  # fmt: skip


@dataclass(frozen=True)
class Source:
    """One kind of catalog row as the shop holds it for this till.

    ``columns`` maps the till's column names to shop expressions; ``key`` names the column
    rows are read and bucketed by; ``checksum`` the columns whose change must be noticed
    (empty: only count and sum of the keys, compared with the till's own rows); ``changed``
    the ``date_upd`` column of kinds followed by date; ``single`` kinds are small tables
    fingerprinted as a whole.
    """

    kind: str
    columns: Columns
    key: str
    base: Select[Any]
    checksum: Sequence[Expr] = ()
    changed: Expr | None = None
    single: bool = False
    post: Callable[[Row, CatalogReader], Row] | None = field(default=None, compare=False)
    tally: Select[Any] | None = None  # the FROM of fingerprints, when lighter than ``base``

    def select(self) -> Select[Any]:
        return self.base.add_columns(*(c.label(n) for n, c in self.columns.items()))

    def tally_base(self) -> Select[Any]:
        return self.base if self.tally is None else self.tally


@dataclass(frozen=True)
class WalkIn:
    """The walk-in customers (the till's, by id; the push's counter customer, by e-mail):
    their addresses are the shop's own, never a recipient's, and are not read."""

    ids: tuple[int, ...] = ()
    emails: tuple[str, ...] = ()


@dataclass(frozen=True)
class Fingerprints:
    """Per kind, ``{bucket: (count, checksum)}``; per followed kind, ``{id: date_upd}``."""

    buckets: Mapping[str, Mapping[int, tuple[int, int]]]
    recent: Mapping[str, Mapping[int, dt.datetime]]


class CatalogReader:
    """Reads the catalog of ``shop`` on ``connection`` (owned by the caller)."""

    def __init__(
        self, connection: Connection, shop: ShopInfo, now: dt.datetime, walk_in: WalkIn = WalkIn()
    ) -> None:
        self.connection = connection
        self.shop = shop
        self.sources = {s.kind: s for s in _sources(shop.models, shop, now, walk_in)}
        self._labels: dict[int, tuple[int, int, str]] | None = None
        if connection.dialect.name == "sqlite":
            raw = connection.connection.driver_connection
            raw.create_function("crc32", -1, _crc32, deterministic=True)  # type: ignore[union-attr]

    def fingerprints(
        self,
        since: Mapping[str, dt.datetime | None],
        *,
        kinds: Iterable[str] | None = None,
        whole: bool = False,
    ) -> Fingerprints:
        """Counts and checksums of ``kinds`` (default: all) per bucket of ids, or of each
        whole table (``whole``: one row per kind, bucket 0), and the ids changed since
        ``since[kind]``; in one query."""
        chosen = [self.sources[k] for k in (kinds if kinds is not None else self.sources)]
        parts = [self._fingerprint(s, whole) for s in chosen]
        for kind, moment in since.items():
            source = self.sources[kind]
            if moment is not None and source.changed is not None:
                parts.append(self._recent(source, moment))
        buckets: dict[str, dict[int, tuple[int, int]]] = {s.kind: {} for s in chosen}
        recent: dict[str, dict[int, dt.datetime]] = {k: {} for k in since}
        if not parts:
            return Fingerprints(buckets, recent)
        for kind, bucket, count, total, moment in self.connection.execute(union_all(*parts)):
            if moment is not None:
                recent[kind][int(bucket)] = _as_datetime(moment)
            else:
                buckets[kind][int(bucket)] = (int(count), int(total or 0))
        return Fingerprints(buckets, recent)

    def rows(
        self,
        kind: str,
        *,
        column: str | None = None,
        lo: int | None = None,
        hi: int | None = None,
        ids: Iterable[int] | Select[Any] | None = None,
    ) -> list[Row]:
        """Rows of ``kind`` whose ``column`` (default: its key) is in ``[lo, hi)`` or ``ids``."""
        source = self.sources[kind]
        target = source.columns[column or source.key]
        stmt = source.select()
        if lo is not None:
            stmt = stmt.where(target >= lo)
        if hi is not None:
            stmt = stmt.where(target < hi)
        if ids is not None:
            stmt = stmt.where(target.in_(ids if isinstance(ids, Select) else list(ids)))
        rows = [dict(r) for r in self.connection.execute(stmt).mappings()]
        if source.post is not None:
            rows = [source.post(row, self) for row in rows]
        return rows

    def code_matches(self, code: str) -> Select[Any]:
        """Ids of the products having ``code`` as EAN13, UPC or reference (or a combination)."""
        m = self.shop.models
        forms = barcode_forms(code)
        product = select(m.Product.id_product).where(_code_filter(m.Product, forms, code))
        combination = select(m.ProductAttribute.id_product).where(
            _code_filter(m.ProductAttribute, forms, code)
        )
        return select(union_all(product, combination).subquery().c[0])

    def attribute_label(self, ids: str | bytes | None) -> str:
        """``"3,7"`` (attribute ids) → ``"Talla: M, Color: Rojo"`` in the till's language."""
        if self._labels is None:
            self._labels = self._load_labels()
        text = ids.decode() if isinstance(ids, bytes) else (ids or "")
        found = [self._labels[int(i)] for i in text.split(",") if i and int(i) in self._labels]
        return ", ".join(label for *_order, label in sorted(found))

    def config_snapshot(self) -> dict[str, str]:
        """The configuration keys of :data:`CONFIG_KEYS` (unset ones left out), resolved for
        the shop, and the facts of the shop and its default currency, as text."""
        shop, m = self.shop, self.shop.models
        with Session(bind=self.connection) as session:
            values = get_many(session, m, CONFIG_KEYS, shop.id_shop, shop.id_shop_group)
        snapshot = {key: value for key, value in values.items() if value is not None}
        currency = to_int(values["PS_CURRENCY_DEFAULT"]) or shop.id_currency
        snapshot.update(self._currency(currency))
        snapshot.update(
            id_shop=str(shop.id_shop), id_shop_group=str(shop.id_shop_group),
            id_lang=str(shop.id_lang), lang_iso=shop.lang_iso, id_country=str(shop.id_country),
            country_iso=shop.country_iso, share_stock=str(int(shop.share_stock)),
            share_customer=str(int(shop.share_customer)), shop_version=shop.version.raw,
        )  # fmt: skip
        return snapshot

    # ----------------------------------------------------------------------- internals

    def _fingerprint(self, source: Source, whole: bool) -> Select[Any]:
        key = source.columns[source.key]
        single = source.single or whole
        bucket = literal(0) if single else self._bucket(key)
        total = self._checksum(source.checksum) if source.checksum else key
        stmt = source.tally_base().add_columns(
            literal(source.kind).label("kind"),
            bucket.label("bucket"),
            func.count().label("n"),
            func.sum(total).label("total"),
            null().label("moment"),
        )
        return stmt if single else stmt.group_by(bucket)

    def _recent(self, source: Source, since: dt.datetime) -> Select[Any]:
        assert source.changed is not None
        key = source.columns[source.key]
        return (
            source.tally_base()
            .add_columns(literal(source.kind), key, literal(0), literal(0), source.changed)
            .where(source.changed >= since)
        )

    def _bucket(self, key: Expr) -> ColumnElement[Any]:
        if self.connection.dialect.name == "sqlite":
            return key // BUCKET
        return key.op("DIV")(BUCKET)

    def _checksum(self, columns: Sequence[Expr]) -> ColumnElement[Any]:
        if self.connection.dialect.name == "sqlite":
            return func.crc32(*columns)
        return func.crc32(func.concat_ws("|", *columns))

    def _load_labels(self) -> dict[int, tuple[int, int, str]]:
        m, lang = self.shop.models, self.shop.id_lang
        a, ag, al, agl = m.Attribute, m.AttributeGroup, m.AttributeLang, m.AttributeGroupLang
        stmt = (
            select(a.id_attribute, ag.position, a.position, agl.public_name, al.name)
            .join(ag, ag.id_attribute_group == a.id_attribute_group)
            .outerjoin(al, and_(al.id_attribute == a.id_attribute, al.id_lang == lang))
            .outerjoin(
                agl, and_(agl.id_attribute_group == a.id_attribute_group, agl.id_lang == lang)
            )
        )
        return {
            row[0]: (row[1], row[2], f"{row[3] or ''}: {row[4] or ''}")
            for row in self.connection.execute(stmt)
        }

    def _currency(self, id_currency: int) -> dict[str, str]:
        m = self.shop.models
        c, cl = m.Currency, m.CurrencyLang
        joined = and_(cl.id_currency == c.id_currency, cl.id_lang == self.shop.id_lang)
        stmt = (
            select(c.id_currency, c.iso_code, c.precision, c.conversion_rate, cl.symbol)
            .outerjoin(cl, joined)
            .where(c.id_currency == id_currency)
        )
        row = self.connection.execute(stmt).first()
        if row is None:
            return {}
        return {
            "currency_id": str(row.id_currency), "currency_iso": row.iso_code,
            "currency_precision": str(row.precision),
            "currency_conversion_rate": str(row.conversion_rate),
            "currency_sign": row.symbol or row.iso_code,
        }  # fmt: skip


def _code_filter(model: Any, forms: list[str], code: str) -> ColumnElement[bool]:
    return or_(model.ean13.in_(forms), model.upc.in_(forms), model.reference == code)


def _text(column: Any) -> ColumnElement[Any]:
    return func.coalesce(column, "")


# --------------------------------------------------------------------------- the sources


def _sources(m: ShopModels, shop: ShopInfo, now: dt.datetime, walk_in: WalkIn) -> list[Source]:
    return [
        _products(m, shop),
        *_combinations(m, shop),
        _stock(m, shop),
        _specific_prices(m, shop, now),
        *_pricing(m, shop),
        *_people(m, shop),
        _addresses(m, shop, walk_in),
        _categories(m, shop),
        _attributes(m, shop),
        *_configuration(m),
    ]


def _products(m: ShopModels, shop: ShopInfo) -> Source:
    ps, p, pl, pa = m.ProductShop, m.Product, m.ProductLang, m.ProductAttribute
    name = and_(
        pl.id_product == ps.id_product, pl.id_shop == shop.id_shop, pl.id_lang == shop.id_lang
    )
    tally = select().select_from(ps).where(ps.id_shop == shop.id_shop)
    base = tally.join(p, p.id_product == ps.id_product).outerjoin(pl, name)
    columns: Columns = {
        "id_product": ps.id_product, "reference": _text(p.reference), "ean13": _text(p.ean13),
        "upc": _text(p.upc), "name": _text(pl.name), "price": ps.price,
        "wholesale_price": ps.wholesale_price, "ecotax": ps.ecotax,
        "id_tax_rules_group": ps.id_tax_rules_group,
        "id_category_default": ps.id_category_default,
        "has_combinations": exists().where(pa.id_product == ps.id_product),
        "active": ps.active, "date_upd": ps.date_upd,
    }  # fmt: skip
    return Source(
        "products", columns, "id_product", base, changed=ps.date_upd, post=_product, tally=tally
    )


def _product(row: Row, _reader: CatalogReader) -> Row:
    row["has_combinations"] = bool(row["has_combinations"])
    row["id_category_default"] = int(row["id_category_default"] or 0)
    return row


def _combinations(m: ShopModels, shop: ShopInfo) -> list[Source]:
    pa, pas, pac = m.ProductAttribute, m.ProductAttributeShop, m.ProductAttributeCombination
    joined = and_(pas.id_product_attribute == pa.id_product_attribute, pas.id_shop == shop.id_shop)
    attribute_ids = (
        select(func.group_concat(pac.id_attribute))
        .where(pac.id_product_attribute == pa.id_product_attribute)
        .scalar_subquery()
    )
    columns: Columns = {
        "id_product_attribute": pa.id_product_attribute, "id_product": pa.id_product,
        "reference": _text(pa.reference), "ean13": _text(pa.ean13), "upc": _text(pa.upc),
        "attributes": attribute_ids, "price_impact": pas.price,
        "wholesale_price": pas.wholesale_price, "default_on": pas.default_on,
    }  # fmt: skip
    base = select().select_from(pa).join(pas, joined)
    shop_rows = select().select_from(pas).where(pas.id_shop == shop.id_shop)
    return [
        Source("combinations", columns, "id_product_attribute", base,
               [pa.id_product, pa.reference, pa.ean13, pa.upc], post=_label,
               tally=select().select_from(pa)),
        # Fingerprinted only: a change here re-reads the combinations of the same ids.
        Source("combination_shops", {"id_product_attribute": pas.id_product_attribute},
               "id_product_attribute", shop_rows,
               [pas.price, pas.wholesale_price, pas.default_on]),
    ]  # fmt: skip


def _label(row: Row, reader: CatalogReader) -> Row:
    row["attributes"] = reader.attribute_label(row["attributes"])
    row["default_on"] = bool(row["default_on"])
    return row


def _stock(m: ShopModels, shop: ShopInfo) -> Source:
    sa = m.StockAvailable
    id_shop, id_shop_group = shop.stock_scope
    base = select().select_from(sa).where(sa.id_shop == id_shop, sa.id_shop_group == id_shop_group)
    columns: Columns = {
        "id_product": sa.id_product,
        "id_product_attribute": sa.id_product_attribute,
        "quantity": sa.quantity,
    }
    checksum = [sa.id_product, sa.id_product_attribute, sa.quantity]
    return Source("stock", columns, "id_product", base, checksum)


def _specific_prices(m: ShopModels, shop: ShopInfo, now: dt.datetime) -> Source:
    sp = m.SpecificPrice
    names = ("id_specific_price", "id_specific_price_rule", "id_product", "id_product_attribute",
             "id_shop", "id_currency", "id_country", "id_group", "id_customer", "price",
             "from_quantity", "reduction", "reduction_tax", "reduction_type")  # fmt: skip
    columns: Columns = {n: getattr(sp, n) for n in names}
    columns.update(date_from=sp.from_, date_to=sp.to)
    base = (
        select()
        .select_from(sp)
        .where(sp.id_cart == 0, sp.id_shop.in_([0, shop.id_shop]))
        .where(or_(unset_date(sp.to.expression), sp.to >= now))
    )
    checksum = [getattr(sp, n) for n in names[1:]] + [sp.from_, sp.to]
    return Source("specific_prices", columns, "id_specific_price", base, checksum)


def _pricing(m: ShopModels, shop: ShopInfo) -> list[Source]:
    t, tl, trg, tr = m.Tax, m.TaxLang, m.TaxRulesGroup, m.TaxRule
    g, gl, pgr = m.Group, m.GroupLang, m.ProductGroupReductionCache
    lang = shop.id_lang
    taxes: Columns = {"id_tax": t.id_tax, "name": _text(tl.name), "rate": t.rate,
                      "active": t.active}  # fmt: skip
    tax_base = (
        select().select_from(t).outerjoin(tl, and_(tl.id_tax == t.id_tax, tl.id_lang == lang))
    )
    groups_: Columns = {"id_tax_rules_group": trg.id_tax_rules_group, "name": trg.name,
                        "active": trg.active != 0, "deleted": trg.deleted}  # fmt: skip
    rules = {n: getattr(tr, n) for n in ("id_tax_rule", "id_tax_rules_group", "id_country",
             "id_state", "zipcode_from", "zipcode_to", "id_tax", "behavior")}  # fmt: skip
    groups: Columns = {"id_group": g.id_group, "name": _text(gl.name), "reduction": g.reduction,
                       "price_display_method": g.price_display_method}  # fmt: skip
    group_base = (
        select().select_from(g).outerjoin(gl, and_(gl.id_group == g.id_group, gl.id_lang == lang))
    )
    reductions: Columns = {"id_product": pgr.id_product, "id_group": pgr.id_group,
                           "reduction": pgr.reduction}  # fmt: skip
    return [
        _small("taxes", taxes, "id_tax", tax_base),
        _small("tax_rules_groups", groups_, "id_tax_rules_group", select().select_from(trg)),
        _small("tax_rules", rules, "id_tax_rule", select().select_from(tr)),
        _small("groups", groups, "id_group", group_base),
        Source("group_reductions", reductions, "id_product", select().select_from(pgr),
               list(reductions.values())),
    ]  # fmt: skip


def _small(kind: str, columns: Columns, key: str, base: Select[Any]) -> Source:
    return Source(kind, columns, key, base, list(columns.values()), single=True)


def _visible_customers(m: ShopModels, shop: ShopInfo) -> ColumnElement[bool]:
    c = m.Customer
    scope = (
        c.id_shop_group == shop.id_shop_group if shop.share_customer else c.id_shop == shop.id_shop
    )
    return and_(scope, c.active == true(), c.deleted == false())


def _people(m: ShopModels, shop: ShopInfo) -> list[Source]:
    c, cg, e, es = m.Customer, m.CustomerGroup, m.Employee, m.EmployeeShop
    visible = _visible_customers(m, shop)
    names = ("id_customer", "email", "firstname", "lastname", "id_default_group", "active",
             "deleted", "date_upd")  # fmt: skip
    customers: Columns = {n: getattr(c, n) for n in names}
    customers["company"] = _text(c.company)
    groups: Columns = {"id_customer": cg.id_customer, "id_group": cg.id_group}
    group_base = select().select_from(cg).join(c, c.id_customer == cg.id_customer).where(visible)
    employees: Columns = {n: getattr(e, n) for n in ("id_employee", "firstname", "lastname",
                          "email", "id_profile", "id_lang", "active", "passwd")}  # fmt: skip
    employee_base = (
        select()
        .select_from(e)
        .join(es, and_(es.id_employee == e.id_employee, es.id_shop == shop.id_shop))
        .where(e.active == true())
    )
    return [
        Source("customers", customers, "id_customer", select().select_from(c).where(visible),
               changed=c.date_upd),
        Source("customer_groups", groups, "id_customer", group_base, list(groups.values())),
        _small("employees", employees, "id_employee", employee_base),
    ]  # fmt: skip


def _addresses(m: ShopModels, shop: ShopInfo, walk_in: WalkIn) -> Source:
    """The addresses of the customers the till sees (active, not deleted), with the ISO code
    of their country; followed by ``date_upd`` like the customers."""
    a, c, co = m.Address, m.Customer, m.Country
    tally = (
        select()
        .select_from(a)
        .join(c, c.id_customer == a.id_customer)
        .where(_visible_customers(m, shop), a.active == true(), a.deleted == false())
    )
    if walk_in.ids:
        tally = tally.where(a.id_customer.not_in(walk_in.ids))
    if walk_in.emails:
        tally = tally.where(c.email.not_in(walk_in.emails))
    columns: Columns = {
        "id_address": a.id_address, "id_customer": a.id_customer, "company": _text(a.company),
        "firstname": a.firstname, "lastname": a.lastname, "dni": _text(a.dni),
        "vat_number": _text(a.vat_number), "address1": a.address1,
        "address2": _text(a.address2), "postcode": _text(a.postcode), "city": a.city,
        "country_iso": _text(co.iso_code), "date_upd": a.date_upd,
    }  # fmt: skip
    base = tally.outerjoin(co, co.id_country == a.id_country)
    return Source("addresses", columns, "id_address", base, changed=a.date_upd, tally=tally)


def _categories(m: ShopModels, shop: ShopInfo) -> Source:
    """Active categories of the shop under its home category (``shop.id_category``), by the
    nested set, named in the till's language."""
    c, cl, cs, home = m.Category, m.CategoryLang, m.CategoryShop, aliased(m.Category)
    home_id = select(m.Shop.id_category).where(m.Shop.id_shop == shop.id_shop).scalar_subquery()
    name = and_(cl.id_category == c.id_category, cl.id_shop == shop.id_shop,
                cl.id_lang == shop.id_lang)  # fmt: skip
    under = and_(home.id_category == home_id, c.nleft > home.nleft, c.nright < home.nright)
    base = (
        select()
        .select_from(c)
        .join(cs, and_(cs.id_category == c.id_category, cs.id_shop == shop.id_shop))
        .join(home, under)
        .outerjoin(cl, name)
        .where(c.active == true())
    )
    columns: Columns = {"id_category": c.id_category, "id_parent": c.id_parent,
                        "name": _text(cl.name), "position": cs.position, "active": c.active,
                        "level_depth": c.level_depth}  # fmt: skip
    return _small("categories", columns, "id_category", base)


def _attributes(m: ShopModels, shop: ShopInfo) -> Source:
    """Attribute names: fingerprinted only (a rename re-labels every combination)."""
    a, al, agl = m.Attribute, m.AttributeLang, m.AttributeGroupLang
    base = (
        select()
        .select_from(a)
        .outerjoin(al, and_(al.id_attribute == a.id_attribute, al.id_lang == shop.id_lang))
        .outerjoin(
            agl, and_(agl.id_attribute_group == a.id_attribute_group, agl.id_lang == shop.id_lang)
        )
    )
    columns: Columns = {"id_attribute": a.id_attribute}
    checksum = [a.id_attribute, a.id_attribute_group, a.position, al.name, agl.public_name]
    return Source("attributes", columns, "id_attribute", base, checksum, single=True)


def _configuration(m: ShopModels) -> list[Source]:
    """The configuration keys and currencies: fingerprinted only (see config_snapshot)."""
    conf, cur, cl = m.Configuration, m.Currency, m.CurrencyLang
    base = select().select_from(conf).where(conf.name.in_(CONFIG_KEYS))
    checksum = [conf.id_configuration, conf.name, conf.id_shop, conf.id_shop_group, conf.value]
    currencies = select().select_from(cur).outerjoin(cl, cl.id_currency == cur.id_currency)
    return [
        Source("configuration", {"id": conf.id_configuration}, "id", base, checksum, single=True),
        Source("currencies", {"id": cur.id_currency}, "id", currencies,
               [cur.id_currency, cur.iso_code, cur.precision, cur.conversion_rate, cl.id_lang,
                cl.symbol], single=True),
    ]  # fmt: skip


# --------------------------------------------------------------------------- helpers


def _crc32(*values: object) -> int:
    text = "|".join("" if v is None else str(v) for v in values)
    return zlib.crc32(text.encode())


def _as_datetime(value: Any) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value
    text = value.decode() if isinstance(value, bytes) else str(value)
    return dt.datetime.fromisoformat(text)
