"""The billing system's identification (SistemaInformatico), fixed by the build.

The producer's name and NIF are the company that produces and declares Mostrador (its
"declaración responsable", ``resources/verifactu/declaracion_responsable.txt``). They come from
the build's ``resources/verifactu/producer.json`` (:mod:`app.verifactu.producer`); a build
without it names clearly-marked development values (and may not send to the AEAT's production
service). The installation number comes from the till's settings.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from app import __version__
from app.verifactu import producer

SYSTEM_NAME = "Mostrador"  # NombreSistemaInformatico, at most 30 characters
SYSTEM_ID = "MO"  # IdSistemaInformatico, at most 2 characters


@dataclass(frozen=True)
class SystemInfo:
    producer_name: str
    producer_nif: str
    name: str
    system_id: str
    version: str
    installation: str  # NumeroInstalacion: names the till's chain
    only_verifactu: bool = True  # TipoUsoPosibleSoloVerifactu
    multi_taxpayer: bool = False  # TipoUsoPosibleMultiOT
    several_taxpayers: bool = False  # IndicadorMultiplesOT

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def this_system(installation: str) -> SystemInfo:
    made_by = producer.current()
    return SystemInfo(made_by.name, made_by.nif, SYSTEM_NAME, SYSTEM_ID, __version__, installation)
