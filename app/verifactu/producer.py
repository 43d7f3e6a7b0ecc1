"""The producer of Mostrador as a billing system: its legal name and NIF, set by the build.

    python -m app.verifactu.producer set --name "Empresa, S.L." --nif B12345674 [--address …]
    python -m app.verifactu.producer --check             # what this checkout/build carries
    python -m app.verifactu.producer --check --require   # the release build: fail without one

The identity lives in ``resources/verifactu/producer.json``, which is not kept in the
repository: the release build writes it (the Windows workflow, from the repository variables
``MOSTRADOR_PRODUCER_NAME`` / ``MOSTRADOR_PRODUCER_NIF``) and ``build_windows.spec`` bundles it
with the other resources. It names the producer in every record's ``SistemaInformatico`` and
in the responsible declaration (Help → About).

A build without it is not an official release: its records carry clearly-marked development
values, they can be sent to the AEAT's test service, and sending to the production service is
refused (:func:`production_refusal`) before any network call; the records stay queued.
"""

from __future__ import annotations

import argparse
import json
import logging
import re
import sys
from collections.abc import Sequence
from dataclasses import asdict, dataclass, fields
from pathlib import Path

from app.config.settings import atomic_write_text
from app.i18n import _
from app.verifactu.recipient import RecipientRefused, spanish_tax_id

logger = logging.getLogger(__name__)

RESOURCES = Path(__file__).resolve().parents[2] / "resources" / "verifactu"
PRODUCER_FILE = RESOURCES / "producer.json"
DECLARATION_FILE = RESOURCES / "declaracion_responsable.txt"
MAX_NAME = 120  # NombreRazon
MAX_TEXT = 200
_NOT_IN_NAME = re.compile(r"[<>\"'=]")  # refused in names by the AEAT's validations


class ProducerError(ValueError):
    """The producer's identity given to the build, or its file, is not valid."""


@dataclass(frozen=True)
class Producer:
    name: str  # legal name (razón social)
    nif: str
    address: str = ""  # full postal contact address, for the declaration
    contact: str = ""  # e-mail or telephone, for the declaration
    signed: str = ""  # place and date the declaration was signed
    official: bool = True  # False: the development values of a build without the file

    def describe(self) -> str:
        if not self.official:
            return "none: development build, sending to the AEAT's production service is off"
        return f"{self.name}, NIF {self.nif}"


# Clearly not a real producer: what the records of a build without the file carry. The NIF is
# well formed (so the AEAT's test service reads the message) and belongs to nobody.
DEVELOPMENT = Producer(
    "Mostrador - DESARROLLO, no es una versión oficial", "00000000T", official=False
)


def checked(
    name: str, nif: str, address: str = "", contact: str = "", signed: str = ""
) -> Producer:
    """The producer's identity trimmed and checked; :class:`ProducerError` says what is wrong."""
    name = " ".join(name.split())
    if not name:
        raise ProducerError(_("The producer's legal name is missing."))
    if len(name) > MAX_NAME or _NOT_IN_NAME.search(name):
        raise ProducerError(
            _("The name has at most {n} characters and none of < > \" ' =.").format(n=MAX_NAME)
        )
    try:
        nif = spanish_tax_id(nif)
    except RecipientRefused as error:
        raise ProducerError(str(error)) from error
    address, contact, signed = (" ".join(text.split()) for text in (address, contact, signed))
    if max(len(address), len(contact), len(signed)) > MAX_TEXT:
        raise ProducerError(
            _("Address, contact and signature have at most {n} characters.").format(n=MAX_TEXT)
        )
    return Producer(name, nif, address, contact, signed)


def load(path: Path | None = None) -> Producer | None:
    """The build's producer, None when the build has none; :class:`ProducerError` when the file
    is there but not valid."""
    path = path or PRODUCER_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as error:
        raise ProducerError(f"{path}: {error}") from error
    if not isinstance(data, dict):
        raise ProducerError(f"{path}: not a JSON object")
    wanted = [f.name for f in fields(Producer) if f.name != "official"]
    return checked(**{key: str(data.get(key, "")) for key in wanted})


def current(path: Path | None = None) -> Producer:
    """The producer records name: the build's, or :data:`DEVELOPMENT` (a broken file is logged
    and counts as none: a sale is never refused for it)."""
    try:
        return load(path) or DEVELOPMENT
    except ProducerError as error:
        logger.error("the producer identity of this build is not valid: %s", error)
        return DEVELOPMENT


def save(producer: Producer, path: Path | None = None) -> None:
    data = {key: value for key, value in asdict(producer).items() if key != "official" and value}
    atomic_write_text(path or PRODUCER_FILE, json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def production_refusal(path: Path | None = None) -> str:
    """Why this build may not send to the AEAT's production service; "" when it may."""
    if current(path).official:
        return ""
    return _(
        "This build carries no producer identity: it cannot send to the AEAT's production "
        "service. Install an official release."
    )


def declaration_text(template: Path | None = None, path: Path | None = None) -> str:
    """The responsible declaration with the build's producer filled in ("" without a template).

    Without the producer file it opens saying that this build is not an official release."""
    template = template or DECLARATION_FILE
    if not template.is_file():
        return ""
    text = template.read_text(encoding="utf-8")
    producer = current(path)
    values = {
        "producer_name": producer.name if producer.official else "—",
        "producer_nif": producer.nif if producer.official else "—",
        "producer_address": producer.address or "—",
        "producer_contact": producer.contact or "—",
        "signed": producer.signed or "—",
    }
    for key, value in values.items():
        text = text.replace("{" + key + "}", value)
    if producer.official:
        return text
    notice = _(
        "This build is not an official release of Mostrador: it carries no producer identity, "
        "so no producer has signed this declaration for it and it cannot send records to the "
        "AEAT's production service."
    )
    return f"{notice}\n\n{text}"


def check(path: Path | None = None, require: bool = False) -> int:
    """Say what the build carries: 0 when fine, 1 when missing and required, 2 when invalid."""
    path = path or PRODUCER_FILE
    try:
        producer = load(path)
    except ProducerError as error:
        print(f"{path}: {error}", file=sys.stderr)
        return 2
    if producer is None:
        print(f"no producer identity ({path}): {DEVELOPMENT.describe()}")
        return 1 if require else 0
    print(f"producer: {producer.describe()}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m app.verifactu.producer", description=__doc__)
    parser.add_argument("action", nargs="?", choices=["set"], help="write the producer file")
    parser.add_argument("--name", default="", help="legal name (razón social)")
    parser.add_argument("--nif", default="", help="the producer's Spanish NIF")
    parser.add_argument("--address", default="", help="postal contact address")
    parser.add_argument("--contact", default="", help="e-mail or telephone")
    parser.add_argument("--signed", default="", help="place and date of the declaration")
    parser.add_argument("--check", action="store_true", help="check the producer file")
    parser.add_argument("--require", action="store_true", help="with --check: fail without one")
    parser.add_argument("--file", type=Path, default=PRODUCER_FILE)
    args = parser.parse_args(argv)
    if args.check or args.action is None:
        return check(args.file, args.require)
    try:
        producer = checked(args.name, args.nif, args.address, args.contact, args.signed)
        save(producer, args.file)
    except (ProducerError, OSError) as error:
        print(f"producer: {error}", file=sys.stderr)
        return 2
    print(f"written into {args.file}: {producer.describe()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
