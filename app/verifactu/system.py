"""The billing system's identification (SistemaInformatico), fixed by the build.

The producer's name and NIF are the company that produces and declares Mostrador (its
"declaración responsable", ``resources/verifactu/declaracion_responsable.txt``); the release
build must carry the real ones. The installation number comes from the till's settings.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from app import __version__

PRODUCER_NAME = "Mostrador"
PRODUCER_NIF = "00000000T"  # placeholder until the producer's NIF is set for the release build
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
    return SystemInfo(
        PRODUCER_NAME, PRODUCER_NIF, SYSTEM_NAME, SYSTEM_ID, __version__, installation
    )
