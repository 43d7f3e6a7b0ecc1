"""The shop's certificate, set from the fiscal records screen: the manager picks the .p12 and
types its password; a wrong password is refused plainly, a right one shows whom the certificate
names and until when, keeps the password in the keyring only and the path in the settings."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import BestAvailableEncryption, pkcs12
from cryptography.x509.oid import NameOID
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.config import settings as cfg
from app.till.store import open_store
from app.till_ops import load_settings
from app.verifactu.sender import CERTIFICATE_SECRET
from app.verifactu.worker import FiscalStatus
from tests.support.keyring_backend import MemoryKeyring
from ui.tasks import TaskManager
from ui.verifactu_certificate import CertificateDialog
from ui.verifactu_screen import VerifactuScreen

PASSWORD = "s3cret-Tienda-2026"


def make_p12(folder: Path, days: int) -> Path:
    """A self-signed certificate of a Spanish shop, valid for ``days`` more days."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, "TIENDA DEMO SL"),
            x509.NameAttribute(NameOID.ORGANIZATION_IDENTIFIER, "VATES-B12345674"),
        ]
    )
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=days, hours=1))
        .sign(key, hashes.SHA256())
    )
    data = pkcs12.serialize_key_and_certificates(
        b"shop", key, cert, None, BestAvailableEncryption(PASSWORD.encode())
    )
    path = folder / "tienda.p12"
    path.write_bytes(data)
    return path


@pytest.fixture
def screen(qtbot: QtBot, tmp_path: Path) -> Iterator[VerifactuScreen]:
    tasks = TaskManager()
    with open_store("T1", tmp_path / "till-T1.sqlite3") as store:
        widget = VerifactuScreen(tasks, store)
        qtbot.addWidget(widget)
        widget.show()
        yield widget
        tasks.shutdown()


def _open_dialog(qtbot: QtBot, screen: VerifactuScreen) -> CertificateDialog:
    qtbot.keyClick(screen, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    dialog = screen.certificate_dialog
    assert dialog is not None
    return dialog


def _try(qtbot: QtBot, dialog: CertificateDialog, path: Path, password: str) -> str:
    dialog.path_edit.setText(str(path))
    dialog.password_edit.setText(password)
    dialog.result_label.clear()
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: dialog.save_button.isEnabled() and "Checking" not in dialog.result_label.text()
    )
    return dialog.result_label.text()


def test_a_wrong_password_is_refused_and_nothing_is_kept(
    qtbot: QtBot, screen: VerifactuScreen, tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    p12 = make_p12(tmp_path, days=400)
    dialog = _open_dialog(qtbot, screen)
    text = _try(qtbot, dialog, p12, "not-the-password")
    assert "The password is wrong" in text
    assert load_settings().get(cfg.VERIFACTU_CERTIFICATE) == ""
    assert memory_keyring.get_password("Mostrador", f"{CERTIFICATE_SECRET}:{p12}") is None


def test_the_right_password_shows_the_holder_and_is_kept_in_the_keyring_only(
    qtbot: QtBot,
    screen: VerifactuScreen,
    tmp_path: Path,
    memory_keyring: MemoryKeyring,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    p12 = make_p12(tmp_path, days=400)
    dialog = _open_dialog(qtbot, screen)
    text = _try(qtbot, dialog, p12, PASSWORD)
    assert "TIENDA DEMO SL" in text and "NIF B12345674" in text and "Saved" in text
    assert "expires" not in text
    assert load_settings().get(cfg.VERIFACTU_CERTIFICATE) == str(p12)
    assert memory_keyring.get_password("Mostrador", f"{CERTIFICATE_SECRET}:{p12}") == PASSWORD
    assert dialog.password_edit.text() == ""
    for path in tmp_path.rglob("*"):  # settings, logs, till store: no password anywhere
        if path.is_file():
            assert PASSWORD.encode() not in path.read_bytes(), path
    assert PASSWORD not in caplog.text


def test_a_certificate_expiring_within_30_days_is_warned_about(
    qtbot: QtBot, screen: VerifactuScreen, tmp_path: Path
) -> None:
    dialog = _open_dialog(qtbot, screen)
    text = _try(qtbot, dialog, make_p12(tmp_path, days=12), PASSWORD)
    assert "It expires in 12 days: renew it soon." in text


def test_the_screen_says_plainly_when_the_tills_clock_is_off(
    qtbot: QtBot, screen: VerifactuScreen
) -> None:
    screen.show_fiscal_status(FiscalStatus(0, 0, False, "", clock_minutes=3))
    assert screen.clock_label.isVisibleTo(screen)
    assert screen.clock_label.text() == (
        "The till's clock is 3 min ahead of the shop server's: correct it"
    )
    screen.show_fiscal_status(FiscalStatus(0, 0, False, "", clock_minutes=0))
    assert not screen.clock_label.isVisibleTo(screen)
