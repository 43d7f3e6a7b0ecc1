"""Employee sign-in on a till store filled from the demo shop (SQLite and MariaDB): the
PrestaShop passwords (bcrypt ``$2y$``), PINs set by a manager, lockout, manager approval."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterator
from pathlib import Path

import bcrypt
import pytest
from sqlalchemy import update

from app.errors import UserFacingError
from app.sale.price_inputs import find_employee
from app.sync.catalog_pull import pull_catalog
from app.till import employees as signin
from app.till.employees import SignInLocked, SignInRefused
from app.till.models_catalog import CatalogEmployee
from app.till.store import TillStore, open_store
from connectors.prestashop.shop import open_shop
from tests.integration.test_catalog_pull import execute
from tests.support.shop_db import ShopDb

ADMIN, LUCIA, JAVIER = 1, 2, 3  # the demo shop's employees (connectors/prestashop/demo_base.py)
NOW = dt.datetime(2026, 3, 2, 10, 0)


@pytest.fixture
def store(make_shop_db: Callable[..., ShopDb], tmp_path: Path) -> Iterator[TillStore]:
    """A till store pulled from the SQLite demo shop; the shop is gone afterwards (offline)."""
    engine = make_shop_db("sqlite", demo=True).engine()
    with open_store("T1", tmp_path / "till-T1.sqlite3") as till:
        pull_catalog(engine, open_shop(engine, "ps_", 1, "es"), till)
        engine.dispose()
        yield till


def _set_passwd(store: TillStore, id_employee: int, passwd: str) -> None:
    with store.write() as session:
        session.execute(
            update(CatalogEmployee)
            .where(CatalogEmployee.id_employee == id_employee)
            .values(passwd=passwd)
        )


def test_the_sign_in_screen_lists_the_active_employees_and_their_roles(store: TillStore) -> None:
    choices = signin.sign_in_choices(store)
    assert [(c.name, c.is_manager, c.has_pin) for c in choices] == [
        ("Admin Demo", True, False),
        ("Javier Ruiz", False, False),
        ("Lucía Martín", False, False),
    ]
    cashiers_too = signin.sign_in_choices(store, managers=frozenset({1, 2}))
    assert all(c.is_manager for c in cashiers_too)


def test_employees_sign_in_with_their_prestashop_password(store: TillStore) -> None:
    lucia = signin.verify(store, LUCIA, "caja1234")
    assert (lucia.id_employee, lucia.name, lucia.is_manager) == (LUCIA, "Lucía Martín", False)
    admin = signin.verify(store, ADMIN, "admin1234")
    assert admin.is_manager and admin.id_profile == 1
    with pytest.raises(SignInRefused, match="password is not right"):
        signin.verify(store, LUCIA, "admin1234")


def test_five_wrong_passwords_lock_the_employee_out_for_a_minute(store: TillStore) -> None:
    for _attempt in range(signin.MAX_FAILURES):
        with pytest.raises(SignInRefused, match="not right"):
            signin.verify(store, JAVIER, "caja4321", now=NOW)
    with pytest.raises(SignInLocked, match="Try again in 60 seconds") as locked:
        signin.verify(store, JAVIER, "caja1234", now=NOW)  # even the right one
    assert locked.value.seconds == 60
    with pytest.raises(SignInLocked, match="in 1 second\\."):
        signin.verify(store, JAVIER, "caja1234", now=NOW + dt.timedelta(seconds=59.5))
    assert signin.verify(store, LUCIA, "caja1234", now=NOW).id_employee == LUCIA  # others can
    later = NOW + signin.LOCKOUT + dt.timedelta(seconds=1)
    assert signin.verify(store, JAVIER, "caja1234", now=later).id_employee == JAVIER


def test_a_good_sign_in_forgets_earlier_mistakes(store: TillStore) -> None:
    for _attempt in range(signin.MAX_FAILURES - 1):
        with pytest.raises(SignInRefused):
            signin.verify(store, JAVIER, "wrong", now=NOW)
    signin.verify(store, JAVIER, "caja1234", now=NOW)
    with pytest.raises(SignInRefused, match="not right"):  # not locked: the count restarted
        signin.verify(store, JAVIER, "wrong", now=NOW)


def test_a_manager_sets_a_pin_that_works_offline_next_to_the_password(store: TillStore) -> None:
    admin = signin.verify(store, ADMIN, "admin1234")
    signin.set_pin(store, admin, LUCIA, "4821")
    [lucia] = [c for c in signin.sign_in_choices(store) if c.id_employee == LUCIA]
    assert lucia.has_pin
    assert signin.verify(store, LUCIA, "4821").id_employee == LUCIA
    assert signin.verify(store, LUCIA, "caja1234").id_employee == LUCIA
    with pytest.raises(SignInRefused, match="PIN or password is not right"):
        signin.verify(store, LUCIA, "4822")
    signin.clear_pin(store, admin, LUCIA)
    with pytest.raises(SignInRefused):
        signin.verify(store, LUCIA, "4821")


def test_a_cashier_cannot_set_pins_and_pins_are_4_to_8_digits(store: TillStore) -> None:
    lucia = signin.verify(store, LUCIA, "caja1234")
    with pytest.raises(UserFacingError, match="Only a manager"):
        signin.set_pin(store, lucia, LUCIA, "1234")
    admin = find_employee(store, ADMIN)
    for bad in ("123", "123456789", "12a4", ""):
        with pytest.raises(UserFacingError, match="4 to 8 digits"):
            signin.set_pin(store, admin, LUCIA, bad)
    with pytest.raises(UserFacingError, match="not an active employee"):
        signin.set_pin(store, admin, 99, "1234")
    assert not any(c.has_pin for c in signin.sign_in_choices(store))


def test_php_and_library_bcrypt_prefixes_are_accepted(store: TillStore) -> None:
    hashed = bcrypt.hashpw(b"nueva5678", bcrypt.gensalt(4)).decode()
    for prefix in ("$2y$", "$2a$", "$2b$"):
        _set_passwd(store, JAVIER, prefix + hashed[4:])
        assert signin.verify(store, JAVIER, "nueva5678").id_employee == JAVIER


def test_a_legacy_md5_password_asks_for_a_pin(store: TillStore) -> None:
    legacy = hashlib.md5(b"cookiekey" + b"caja1234").hexdigest()  # PrestaShop 1.6 style
    _set_passwd(store, JAVIER, legacy)
    with pytest.raises(SignInRefused, match="sign in with your PIN or ask a manager to set one"):
        signin.verify(store, JAVIER, "caja1234")
    signin.set_pin(store, find_employee(store, ADMIN), JAVIER, "90210")
    assert signin.verify(store, JAVIER, "90210").id_employee == JAVIER


def test_approval_takes_a_manager_and_the_managers_secret(store: TillStore) -> None:
    approver = signin.approve(store, ADMIN, "admin1234")
    assert approver.is_manager and approver.id_employee == ADMIN
    with pytest.raises(SignInRefused, match="Lucía Martín is not a manager"):
        signin.approve(store, LUCIA, "caja1234")
    with pytest.raises(SignInRefused, match="not right"):
        signin.approve(store, ADMIN, "caja1234")
    profile_2 = signin.approve(store, LUCIA, "caja1234", managers=frozenset({1, 2}))
    assert profile_2.is_manager


def test_a_password_changed_in_prestashop_arrives_with_the_next_pull(
    demo_shop_db: ShopDb, tmp_path: Path
) -> None:
    engine = demo_shop_db.engine()
    shop = open_shop(engine, "ps_", 1, "es")
    with open_store("T1", tmp_path / "till-T1.sqlite3") as till:
        pull_catalog(engine, shop, till)
        assert signin.verify(till, LUCIA, "caja1234").id_employee == LUCIA
        new_hash = "$2y$" + bcrypt.hashpw(b"otra9876", bcrypt.gensalt(4)).decode()[4:]
        execute(engine, "UPDATE {p}employee SET passwd = :h WHERE id_employee = :e",
                h=new_hash, e=LUCIA)  # fmt: skip
        result = pull_catalog(engine, shop, till)
        assert result.upserted == {"employees": 1} and result.changes.employees
        assert signin.verify(till, LUCIA, "otra9876").id_employee == LUCIA
        with pytest.raises(SignInRefused):
            signin.verify(till, LUCIA, "caja1234")
    engine.dispose()
