"""Demo shop, part 1: what a fresh Spanish PrestaShop install holds (FACTS.md §8, §10, §15):
shop, languages, currency, geography, taxes, groups, order states, stock reasons, carrier,
profiles and employees, configuration."""

from __future__ import annotations

from typing import Any, NamedTuple

from connectors.prestashop import demo_words as w
from connectors.prestashop.demo_util import Context, bcrypt_hash


class DemoEmployee(NamedTuple):
    id: int
    profile: int
    firstname: str
    lastname: str
    email: str
    password: str


# Documented demo logins (also in demo_shop's docstring).
DEMO_EMPLOYEES = (
    DemoEmployee(1, 1, "Admin", "Demo", "admin@demo.test", "admin1234"),
    DemoEmployee(2, 2, "Lucía", "Martín", "caja1@demo.test", "caja1234"),
    DemoEmployee(3, 2, "Javier", "Ruiz", "caja2@demo.test", "caja1234"),
)
CASHIER_PROFILE = 2


def add_install_data(ctx: Context) -> None:
    """Every reference row of a fresh install, in dependency order."""
    add_shop(ctx)
    add_languages(ctx)
    add_currency(ctx)
    add_geography(ctx)
    add_taxes(ctx)
    add_groups(ctx)
    add_order_states(ctx)
    add_stock_reasons(ctx)
    add_carrier(ctx)
    add_staff(ctx)
    add_genders(ctx)


def add_shop(ctx: Context) -> None:
    sink = ctx.sink
    sink.add(
        "shop_group",
        dict(id_shop_group=1, name="Default", color="", share_customer=0, share_order=0,
             share_stock=0, active=1, deleted=0),
    )  # fmt: skip
    sink.add(
        "shop",
        dict(id_shop=1, id_shop_group=1, name=w.SHOP_NAME, color="", id_category=2,
             theme_name="classic", active=1, deleted=0),
    )  # fmt: skip
    sink.add(
        "shop_url",
        dict(id_shop_url=1, id_shop=1, domain=w.SHOP_DOMAIN, domain_ssl=w.SHOP_DOMAIN,
             physical_uri="/", virtual_uri="", main=1, active=1),
    )  # fmt: skip


def add_languages(ctx: Context) -> None:
    for id_lang, iso, name, code, locale, lite, full in w.LANGS:
        ctx.sink.add(
            "lang",
            dict(id_lang=id_lang, name=name, active=1, iso_code=iso, language_code=code,
                 locale=locale, date_format_lite=lite, date_format_full=full, is_rtl=0),
        )  # fmt: skip
        ctx.sink.add("lang_shop", dict(id_lang=id_lang, id_shop=1))


def add_currency(ctx: Context) -> None:
    sink = ctx.sink
    sink.add(
        "currency",
        dict(id_currency=1, name="Euro", iso_code="EUR", numeric_iso_code="978", precision=2,
             conversion_rate="1.000000", deleted=0, active=1, unofficial=0, modified=0),
    )  # fmt: skip
    sink.add("currency_shop", dict(id_currency=1, id_shop=1, conversion_rate="1.000000"))
    patterns = {1: ("euro", "#,##0.00\xa0¤"), 2: ("Euro", "¤#,##0.00")}
    for id_lang, (name, pattern) in patterns.items():
        sink.add(
            "currency_lang",
            dict(id_currency=1, id_lang=id_lang, name=name, symbol="€", pattern=pattern),
        )


def add_geography(ctx: Context) -> None:
    sink = ctx.sink
    for id_zone, name in enumerate(w.ZONES, start=1):
        sink.add("zone", dict(id_zone=id_zone, name=name, active=1))
        sink.add("zone_shop", dict(id_zone=id_zone, id_shop=1))
    for country in w.COUNTRIES:
        sink.add("country", _country_row(country))
        sink.add("country_shop", dict(id_country=country.id, id_shop=1))
        for id_lang, name in ((1, country.es), (2, country.en)):
            sink.add("country_lang", dict(id_country=country.id, id_lang=id_lang, name=name))
    for id_state, (name, iso, _, _) in enumerate(w.PROVINCES, start=1):
        sink.add(
            "state",
            dict(id_state=id_state, id_country=w.SPAIN, id_zone=1, name=name, iso_code=iso,
                 tax_behavior=0, active=1),
        )  # fmt: skip
        ctx.state_ids[iso] = id_state


def _country_row(country: w.Country) -> dict[str, Any]:
    return dict(
        id_country=country.id, id_zone=country.zone, id_currency=0, iso_code=country.iso,
        call_prefix=country.call_prefix, active=1, contains_states=int(country.states),
        need_identification_number=int(country.needs_id), need_zip_code=1,
        zip_code_format=country.zip_format, display_tax_label=1,
    )  # fmt: skip


def add_taxes(ctx: Context) -> None:
    sink, when = ctx.sink, ctx.installed
    for id_tax, rate, name in w.TAXES:
        sink.add("tax", dict(id_tax=id_tax, rate=rate, active=1, deleted=0))
        for id_lang in (1, 2):
            sink.add("tax_lang", dict(id_tax=id_tax, id_lang=id_lang, name=name))
    eu = [c.id for c in w.COUNTRIES if c.eu]
    id_rule = 0
    for id_group, name, id_tax in w.TAX_RULES_GROUPS:
        sink.add(
            "tax_rules_group",
            dict(id_tax_rules_group=id_group, name=name, active=1, deleted=0, date_add=when,
                 date_upd=when),
        )  # fmt: skip
        sink.add("tax_rules_group_shop", dict(id_tax_rules_group=id_group, id_shop=1))
        for id_country in eu:
            id_rule += 1
            sink.add(
                "tax_rule",
                dict(id_tax_rule=id_rule, id_tax_rules_group=id_group, id_country=id_country,
                     id_state=0, zipcode_from="0", zipcode_to="0", id_tax=id_tax, behavior=0,
                     description=""),
            )  # fmt: skip


def add_groups(ctx: Context) -> None:
    sink, when = ctx.sink, ctx.installed
    for id_group, es, en in w.GROUPS:
        sink.add(
            "group",
            dict(id_group=id_group, reduction="0.00", price_display_method=0, show_prices=1,
                 date_add=when, date_upd=when),
        )  # fmt: skip
        sink.add("group_shop", dict(id_group=id_group, id_shop=1))
        for id_lang, name in ((1, es), (2, en)):
            sink.add("group_lang", dict(id_group=id_group, id_lang=id_lang, name=name))


def add_order_states(ctx: Context) -> None:
    for state in w.ORDER_STATES:
        ctx.sink.add(
            "order_state",
            dict(id_order_state=state.id, invoice=state.invoice, send_email=state.send_email,
                 module_name=state.module, color=state.color, unremovable=1, hidden=0,
                 logable=state.logable, delivery=state.delivery, shipped=state.shipped,
                 paid=state.paid, pdf_invoice=int(state.id == 2), pdf_delivery=0, deleted=0),
        )  # fmt: skip
        for id_lang, name in ((1, state.es), (2, state.en)):
            ctx.sink.add(
                "order_state_lang",
                dict(id_order_state=state.id, id_lang=id_lang, name=name,
                     template=state.template),
            )  # fmt: skip


def add_stock_reasons(ctx: Context) -> None:
    reasons = w.STOCK_REASONS_9 if ctx.is_9 else w.STOCK_REASONS_LEGACY
    when = ctx.installed
    for id_reason, sign, es, en in reasons:
        ctx.sink.add(
            "stock_mvt_reason",
            dict(id_stock_mvt_reason=id_reason, sign=sign, date_add=when, date_upd=when,
                 deleted=0),
        )  # fmt: skip
        for id_lang, name in ((1, es), (2, en)):
            ctx.sink.add(
                "stock_mvt_reason_lang",
                dict(id_stock_mvt_reason=id_reason, id_lang=id_lang, name=name),
            )


def add_carrier(ctx: Context) -> None:
    sink = ctx.sink
    sink.add(
        "carrier",
        dict(id_carrier=1, id_reference=1, name="Click and collect", url="", active=1,
             deleted=0, shipping_handling=0, range_behavior=0, is_module=0, is_free=1,
             shipping_external=0, need_range=0, external_module_name="", shipping_method=0,
             position=0, max_width=0, max_height=0, max_depth=0, max_weight="0", grade=0),
    )  # fmt: skip
    for id_lang, delay in ((1, "Recogida en tienda"), (2, "Pick up in-store")):
        sink.add("carrier_lang", dict(id_carrier=1, id_shop=1, id_lang=id_lang, delay=delay))
    sink.add("carrier_shop", dict(id_carrier=1, id_shop=1))
    sink.add("carrier_zone", dict(id_carrier=1, id_zone=1))
    for id_group, _, _ in w.GROUPS:
        sink.add("carrier_group", dict(id_carrier=1, id_group=id_group))


def add_staff(ctx: Context) -> None:
    """Profiles 1 SuperAdmin and 2 Cajero, and the demo employees (bcrypt ``$2y$10$``)."""
    sink = ctx.sink
    for id_profile, es, en in ((1, "SuperAdmin", "SuperAdmin"), (2, "Cajero", "Cashier")):
        sink.add("profile", dict(id_profile=id_profile))
        for id_lang, name in ((1, es), (2, en)):
            sink.add("profile_lang", dict(id_profile=id_profile, id_lang=id_lang, name=name))
    for employee in DEMO_EMPLOYEES:
        sink.add("employee", _employee_row(ctx, employee))
        sink.add("employee_shop", dict(id_employee=employee.id, id_shop=1))


def _employee_row(ctx: Context, employee: DemoEmployee) -> dict[str, Any]:
    return dict(
        id_employee=employee.id, id_profile=employee.profile, id_lang=1,
        lastname=employee.lastname, firstname=employee.firstname, email=employee.email,
        passwd=bcrypt_hash(employee.password, ctx.rng), last_passwd_gen=ctx.installed,
        stats_date_from=ctx.now.date(), stats_date_to=ctx.now.date(), stats_compare_option=1,
        bo_color=None, bo_theme="default", bo_css="theme.css", default_tab=1, bo_width=0,
        bo_menu=1, active=1, optin=0, id_last_order=0, id_last_customer_message=0,
        id_last_customer=0, has_enabled_gravatar=0,
    )  # fmt: skip


def add_genders(ctx: Context) -> None:
    for id_gender, kind, es, en in ((1, 0, "Sr.", "Mr."), (2, 1, "Sra.", "Mrs.")):
        ctx.sink.add("gender", dict(id_gender=id_gender, type=kind))
        for id_lang, name in ((1, es), (2, en)):
            ctx.sink.add("gender_lang", dict(id_gender=id_gender, id_lang=id_lang, name=name))
