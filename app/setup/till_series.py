"""A till's ticket series, registered in the shop database so two tills cannot share one.

Ticket numbers are made offline from the till's own series (``T1-2026-000123``); they only stay
unique across tills if no two tills of a shop use the same series. The first till to register a
series owns it (row in ``<prefix>mostrador_till``); another till asking for it is refused and
told which till has it. The same till registering again (set up anew) keeps its series.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import Connection, select
from sqlalchemy.exc import IntegrityError

from app.connection import open_engine
from app.errors import ConfigError
from app.i18n import _
from app.setup.form import ConnectionForm, Credentials, reach
from connectors.prestashop.mostrador_tables import ensure_till_table, till_table

SERIES_PATTERN = re.compile(r"^[A-Za-z0-9]{1,8}$")


@dataclass(frozen=True)
class TillRegistration:
    ok: bool
    series: str
    till_uuid: str
    message: str
    hint: str = ""


@dataclass(frozen=True)
class TillClaim:
    """This till asking for ``series`` in shop ``id_shop``."""

    id_shop: int
    series: str
    label: str
    till_uuid: str


def new_till_uuid() -> str:
    return str(uuid.uuid4())


def validate_series(series: str) -> str:
    """The series as typed, or a ConfigError saying what a series may hold."""
    series = series.strip().upper()
    if not SERIES_PATTERN.match(series):
        raise ConfigError(
            _("The ticket series {series!r} is not valid.").format(series=series),
            _("Use 1 to 8 letters or digits, e.g. T1 or CAJA2."),
        )
    return series


def register_till_series(
    form: ConnectionForm, creds: Credentials, claim: TillClaim
) -> TillRegistration:
    """Take the claimed series for the claiming till, or say which till has it."""
    claim = replace(claim, series=validate_series(claim.series))
    prefix = form.prefix or "ps_"
    with reach(form, creds) as reached:
        engine = open_engine(reached.target)
        try:
            ensure_till_table(engine, prefix)
            for _attempt in range(2):  # a till registering at the same instant: read its row
                try:
                    with engine.begin() as conn:
                        return _claim(conn, prefix, claim)
                except IntegrityError:
                    continue
            raise ConfigError(_("The ticket series could not be registered; try again."))
        finally:
            engine.dispose()


def _claim(conn: Connection, prefix: str, claim: TillClaim) -> TillRegistration:
    table = till_table(prefix)
    id_shop, series, label, till_uuid = claim.id_shop, claim.series, claim.label, claim.till_uuid
    key = (table.c.id_shop == id_shop) & (table.c.series == series)
    row = conn.execute(select(table).where(key).with_for_update()).first()
    now = datetime.now().replace(microsecond=0)
    if row is None:
        conn.execute(
            table.insert(),
            {
                "id_shop": id_shop,
                "series": series,
                "till_uuid": till_uuid,
                "label": label,
                "registered_at": now,
                "seen_at": now,
            },
        )
        message = _("The ticket series {series} is this till's.").format(series=series)
        return TillRegistration(True, series, till_uuid, message)
    if row.till_uuid != till_uuid:
        return TillRegistration(
            False,
            series,
            till_uuid,
            _("The ticket series {series} is already used by the till {label}.").format(
                series=series, label=row.label or row.till_uuid
            ),
            _("Choose another series, e.g. the till's number: T2, T3…"),
        )
    conn.execute(table.update().where(key).values(label=label, seen_at=now))
    message = _("The ticket series {series} is this till's.").format(series=series)
    return TillRegistration(True, series, till_uuid, message)
