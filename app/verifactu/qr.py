"""The AEAT's verification URL printed as a QR code on each ticket ("QR tributario").

``https://www2.agenciatributaria.gob.es/wlpl/TIKE-CONT/ValidarQR?nif=…&numserie=…&fecha=
DD-MM-AAAA&importe=…`` (the test environment on ``prewww2.aeat.es``), each value URL-encoded;
the amount is the record's ImporteTotal, a dot and two decimals.
"""

from __future__ import annotations

import enum
from urllib.parse import quote

PRODUCTION_QR = "https://www2.agenciatributaria.gob.es/wlpl/TIKE-CONT/ValidarQR"
TEST_QR = "https://prewww2.aeat.es/wlpl/TIKE-CONT/ValidarQR"


class Environment(enum.Enum):
    TEST = "test"
    PRODUCTION = "production"


def qr_url(nif: str, number: str, issued_on: str, total: str, environment: Environment) -> str:
    """The URL for a record: ``issued_on`` as dd-mm-yyyy, ``total`` as "123.45"."""
    base = TEST_QR if environment is Environment.TEST else PRODUCTION_QR
    params = (("nif", nif), ("numserie", number), ("fecha", issued_on), ("importe", total))
    query = "&".join(f"{name}={quote(value.strip(), safe='')}" for name, value in params)
    return f"{base}?{query}"
