"""Checking PrestaShop's employee hashes as PHP does, without a database."""

from __future__ import annotations

import bcrypt
import pytest

from app.sale.price_inputs import MANAGER_PROFILES
from app.till.employees import _bcrypt_matches, manager_profiles


def _php_hash(password: bytes, prefix: str) -> str:
    hashed = bcrypt.hashpw(password, bcrypt.gensalt(4)).decode()
    return prefix + hashed[4:]


@pytest.mark.parametrize("prefix", ["$2y$", "$2b$", "$2a$"])
def test_php_bcrypt_hashes_of_every_prefix_are_checked(prefix: str) -> None:
    hashed = _php_hash(b"caja1234", prefix)
    assert _bcrypt_matches("caja1234", hashed)
    assert not _bcrypt_matches("caja12345", hashed)


def test_a_password_longer_than_72_bytes_counts_its_first_72_as_php_does() -> None:
    long = "ñ" * 40  # 80 bytes in UTF-8
    hashed = _php_hash(long.encode()[:72], "$2y$")
    assert _bcrypt_matches(long, hashed)
    assert _bcrypt_matches(long + "anything after", hashed)


def test_a_broken_hash_never_matches() -> None:
    assert not _bcrypt_matches("caja1234", "$2y$10$short")


@pytest.mark.parametrize(
    ("text", "expected"),
    [("1", {1}), ("1, 4", {1, 4}), ("4;7", {4, 7}), ("", MANAGER_PROFILES), ("x", {1})],
)
def test_the_manager_profiles_setting_is_read_leniently(text: str, expected: set[int]) -> None:
    assert manager_profiles(text) == frozenset(expected)
