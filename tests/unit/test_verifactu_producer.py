"""The producer identity of a build (resources/verifactu/producer.json): written by
``python -m app.verifactu.producer set`` with a checked NIF, checked by ``--check [--require]``,
named in every record's system identification and filled into the responsible declaration."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from app.verifactu import producer
from app.verifactu.producer import DEVELOPMENT, ProducerError, checked, declaration_text, main
from app.verifactu.system import this_system

REPO_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def producer_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Where this test's build keeps its producer identity (absent until written)."""
    path = tmp_path / "producer.json"
    monkeypatch.setattr(producer, "PRODUCER_FILE", path)
    return path


def _set(path: Path, *args: str) -> int:
    return main(["set", "--file", str(path), *args])


def test_set_writes_a_checked_identity_that_the_records_then_name(producer_file: Path) -> None:
    assert _set(producer_file, "--name", "  Programas  del Sur,  S.L. ", "--nif", "b12345674") == 0
    assert json.loads(producer_file.read_text(encoding="utf-8")) == {
        "name": "Programas del Sur, S.L.",
        "nif": "B12345674",
    }
    system = this_system("T1")
    assert (system.producer_name, system.producer_nif) == ("Programas del Sur, S.L.", "B12345674")


@pytest.mark.parametrize(
    ("name", "nif", "says"),
    [
        ("Programas del Sur, S.L.", "B12345675", "should be 4"),  # wrong CIF control digit
        ("Programas del Sur, S.L.", "12345678A", "should be Z"),  # wrong DNI letter
        ("Programas del Sur, S.L.", "1234", "9 characters"),
        ("", "B12345674", "name"),
        ("Programas <Sur>", "B12345674", "none of"),
    ],
)
def test_set_refuses_an_invalid_identity_and_writes_nothing(
    producer_file: Path, capsys: pytest.CaptureFixture[str], name: str, nif: str, says: str
) -> None:
    assert _set(producer_file, "--name", name, "--nif", nif) == 2
    assert says in capsys.readouterr().err
    assert not producer_file.exists()
    with pytest.raises(ProducerError):
        checked(name, nif)


def test_check_says_what_the_build_carries_and_require_fails_without_it(
    producer_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--check", "--file", str(producer_file)]) == 0
    assert "no producer identity" in capsys.readouterr().out
    assert main(["--check", "--require", "--file", str(producer_file)]) == 1
    _set(producer_file, "--name", "Programas del Sur, S.L.", "--nif", "B12345674")
    capsys.readouterr()
    assert main(["--check", "--require", "--file", str(producer_file)]) == 0
    assert "Programas del Sur, S.L., NIF B12345674" in capsys.readouterr().out


def test_check_fails_on_a_file_someone_edited_by_hand(
    producer_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    producer_file.write_text('{"name": "Programas del Sur", "nif": "B12345670"}', "utf-8")
    assert main(["--check", "--file", str(producer_file)]) == 2
    assert "B12345670" in capsys.readouterr().err
    assert this_system("T1").producer_nif == DEVELOPMENT.nif  # a sale is never refused for it
    producer_file.write_text("not json", "utf-8")
    assert main(["--check", "--file", str(producer_file)]) == 2


def test_without_the_file_the_records_name_marked_development_values(producer_file: Path) -> None:
    system = this_system("T1")
    assert "DESARROLLO" in system.producer_name and "no es una versión oficial" in (
        system.producer_name
    )
    assert system.producer_nif == "00000000T"
    assert producer.production_refusal() == (
        "This build carries no producer identity: it cannot send to the AEAT's production "
        "service. Install an official release."
    )


def test_the_declaration_names_the_producer_of_the_build(producer_file: Path) -> None:
    _set(
        producer_file,
        *("--name", "Programas del Sur, S.L.", "--nif", "B12345674"),
        *("--address", "Calle Mayor 1, 41001 Sevilla", "--signed", "Sevilla, 1 de diciembre"),
    )
    text = declaration_text()
    assert "Nombre o razón social: Programas del Sur, S.L.\n" in text
    assert "NIF: B12345674\n" in text
    assert "Dirección postal completa de contacto: Calle Mayor 1, 41001 Sevilla" in text
    assert "Lugar y fecha de suscripción: Sevilla, 1 de diciembre" in text
    assert "{" not in text and "[" not in text  # no placeholder left
    assert "not an official release" not in text


def test_without_the_file_the_declaration_says_the_build_is_not_official(
    producer_file: Path,
) -> None:
    text = declaration_text()
    assert text.startswith("This build is not an official release of Mostrador")
    assert "Nombre o razón social: —" in text and "NIF: —" in text
    assert "{" not in text


def test_the_repository_keeps_the_template_and_not_a_producer() -> None:
    template = (REPO_ROOT / "resources/verifactu/declaracion_responsable.txt").read_text("utf-8")
    assert "{producer_name}" in template and "{producer_nif}" in template
    assert "/resources/verifactu/producer.json" in (REPO_ROOT / ".gitignore").read_text()


def test_the_self_test_reports_the_producer_and_fails_on_a_broken_file(
    producer_file: Path,
) -> None:
    from app.self_test import check_producer

    assert check_producer() == [
        "none: development build, sending to the AEAT's production service is off"
    ]
    _set(producer_file, "--name", "Programas del Sur, S.L.", "--nif", "B12345674")
    assert check_producer() == ["Programas del Sur, S.L., NIF B12345674"]
    producer_file.write_text('{"name": "", "nif": "B12345674"}', "utf-8")
    with pytest.raises(ProducerError):
        check_producer()


def test_the_build_bundles_the_producer_file_when_the_checkout_has_it(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location(
        "bundle_files", REPO_ROOT / "installer/bundle_files.py"
    )
    assert spec is not None and spec.loader is not None
    bundle_files = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bundle_files)
    (tmp_path / "resources/verifactu").mkdir(parents=True)
    assert not bundle_files.producer_bundled(bundle_files.data_files(tmp_path))
    written = tmp_path / "resources/verifactu/producer.json"
    assert _set(written, "--name", "Programas del Sur, S.L.", "--nif", "B12345674") == 0
    assert bundle_files.producer_bundled(bundle_files.data_files(tmp_path))
