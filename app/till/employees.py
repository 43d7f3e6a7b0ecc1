"""Employee sign-in on the till: who may sign in, checking a PIN or a PrestaShop password,
PINs set by a manager, manager approval. Qt-free worker functions (bcrypt is slow: never call
them on the GUI thread).

An employee signs in with

* the PIN a manager set on this till (4 to 8 digits, stored as a bcrypt hash in
  ``employee_pins``; till-local, never sent to the shop; works offline), or
* their PrestaShop back-office password, checked against ``ps_employee.passwd`` as the catalog
  pull copied it: bcrypt (``$2y$`` as PHP writes it, ``$2a$``, ``$2b$``), the first 72 bytes
  of the password as PHP's bcrypt uses them. A legacy hash (32 hex digits:
  ``md5(_COOKIE_KEY_ + password)``) needs the shop's cookie key, which the till does not
  have: that employee signs in with a PIN.

:data:`MAX_FAILURES` wrong secrets in a row lock the employee out for :data:`LOCKOUT`
(``signin_attempts``); a good one resets the count. Managers are the employees whose
PrestaShop profile is in the ``till.manager_profiles`` setting (:func:`manager_profiles`;
profile 1, SuperAdmin, by default).
"""

from __future__ import annotations

import logging
import math
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

import bcrypt
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from app.errors import UserFacingError
from app.i18n import _, ngettext
from app.sale.price_inputs import MANAGER_PROFILES, Employee, to_employee
from app.till.models_catalog import CatalogEmployee, EmployeePin, SigninAttempt
from app.till.store import TillStore

logger = logging.getLogger(__name__)

MAX_FAILURES = 5
LOCKOUT = timedelta(seconds=60)
PIN_PATTERN = re.compile(r"[0-9]{4,8}")
PIN_ROUNDS = 10  # bcrypt cost of a PIN hash (about 50 ms)
BCRYPT_MAX_BYTES = 72  # PHP's bcrypt reads no further
_BCRYPT = re.compile(r"\$2[aby]\$\d\d\$[./A-Za-z0-9]{53}")
_LEGACY_MD5 = re.compile(r"[0-9a-fA-F]{32}")


class SignInRefused(UserFacingError):
    """A wrong or unusable secret; the message says what to do."""


class SignInLocked(SignInRefused):
    """Too many wrong secrets: the employee must wait ``seconds``."""

    def __init__(self, seconds: int) -> None:
        super().__init__(
            ngettext(
                "Too many wrong attempts. Try again in {seconds} second.",
                "Too many wrong attempts. Try again in {seconds} seconds.",
                seconds,
            ).format(seconds=seconds)
        )
        self.seconds = seconds


@dataclass(frozen=True)
class EmployeeChoice:
    """One button of the sign-in screen."""

    id_employee: int
    name: str
    is_manager: bool
    has_pin: bool


def manager_profiles(text: str) -> frozenset[int]:
    """The ``till.manager_profiles`` setting (``"1, 4"``) as profile ids; SuperAdmin if empty."""
    found = {int(part) for part in re.findall(r"\d+", text)}
    return frozenset(found) or MANAGER_PROFILES


def sign_in_choices(
    store: TillStore, managers: frozenset[int] = MANAGER_PROFILES
) -> list[EmployeeChoice]:
    """The active employees of the till's catalog, by name."""
    with store.read() as session:
        rows = session.scalars(select(CatalogEmployee).where(CatalogEmployee.active)).all()
        pins = set(session.scalars(select(EmployeePin.id_employee)))
        employees = [to_employee(row, managers) for row in rows]
    choices = [
        EmployeeChoice(e.id_employee, e.name, e.is_manager, e.id_employee in pins)
        for e in employees
    ]
    return sorted(choices, key=lambda c: (c.name.casefold(), c.id_employee))


def verify(
    store: TillStore,
    id_employee: int,
    secret: str,
    managers: frozenset[int] = MANAGER_PROFILES,
    now: datetime | None = None,
) -> Employee:
    """The employee, if ``secret`` is their PIN or their PrestaShop password.

    Raises :class:`SignInRefused` (wrong secret: counted; password that cannot be checked),
    :class:`SignInLocked` (locked out), ``UserFacingError`` (no such active employee).
    """
    now = now or datetime.now()
    employee, passwd, pin_hash, locked_until = _signin_facts(store, id_employee, managers)
    if locked_until is not None and locked_until > now:
        raise SignInLocked(math.ceil((locked_until - now).total_seconds()))
    if pin_hash and PIN_PATTERN.fullmatch(secret) and _bcrypt_matches(secret, pin_hash):
        _reset_failures(store, id_employee)
        return employee
    if _BCRYPT.fullmatch(passwd):
        if _bcrypt_matches(secret, passwd):
            _reset_failures(store, id_employee)
            return employee
    elif not pin_hash:
        raise SignInRefused(_unusable_password(passwd))
    _count_failure(store, id_employee, now)
    raise SignInRefused(_wrong_secret(pin_hash is not None))


def approve(
    store: TillStore,
    id_employee: int,
    secret: str,
    managers: frozenset[int] = MANAGER_PROFILES,
    now: datetime | None = None,
) -> Employee:
    """The manager ``id_employee``, if ``secret`` is theirs (as :func:`verify`); an employee
    who is not a manager is refused before any check."""
    employee, *_rest = _signin_facts(store, id_employee, managers)
    if not employee.is_manager:
        raise SignInRefused(
            _("{name} is not a manager: ask a manager to approve.").format(name=employee.name)
        )
    return verify(store, id_employee, secret, managers, now)


def set_pin(
    store: TillStore, manager: Employee, id_employee: int, pin: str, now: datetime | None = None
) -> None:
    """Give ``id_employee`` the PIN ``pin`` (4 to 8 digits) on this till; managers only."""
    _check_manager(manager)
    if not PIN_PATTERN.fullmatch(pin):
        raise UserFacingError(_("A PIN is 4 to 8 digits."))
    hashed = bcrypt.hashpw(pin.encode(), bcrypt.gensalt(PIN_ROUNDS)).decode()
    with store.write() as session:
        _active_employee(session, id_employee)
        row = session.get(EmployeePin, id_employee) or EmployeePin(id_employee=id_employee)
        row.pin_hash, row.set_by, row.set_at = hashed, manager.id_employee, now or datetime.now()
        session.add(row)
        session.execute(delete(SigninAttempt).where(SigninAttempt.id_employee == id_employee))
    logger.info("PIN of employee %d set by %d", id_employee, manager.id_employee)


def clear_pin(store: TillStore, manager: Employee, id_employee: int) -> None:
    """Remove the PIN of ``id_employee``: they sign in with their PrestaShop password again."""
    _check_manager(manager)
    with store.write() as session:
        session.execute(delete(EmployeePin).where(EmployeePin.id_employee == id_employee))
    logger.info("PIN of employee %d cleared by %d", id_employee, manager.id_employee)


# --------------------------------------------------------------------------- internals


def _signin_facts(
    store: TillStore, id_employee: int, managers: frozenset[int]
) -> tuple[Employee, str, str | None, datetime | None]:
    """The employee, their PrestaShop hash, their PIN hash and how long they are locked out."""
    with store.read() as session:
        row = _active_employee(session, id_employee)
        pin = session.get(EmployeePin, id_employee)
        attempt = session.get(SigninAttempt, id_employee)
        return (
            to_employee(row, managers),
            row.passwd.strip(),
            None if pin is None else pin.pin_hash,
            None if attempt is None else attempt.locked_until,
        )


def _active_employee(session: Session, id_employee: int) -> CatalogEmployee:
    row = session.get(CatalogEmployee, id_employee)
    if row is None or not row.active:
        raise UserFacingError(
            _("Employee {id} is not an active employee of this till.").format(id=id_employee),
            _("Check the employee in PrestaShop, then update the catalog."),
        )
    return row


def _check_manager(manager: Employee) -> None:
    if not (manager.is_manager and manager.active):
        raise UserFacingError(
            _("Only a manager can set or remove PINs; {name} is not one.").format(name=manager.name)
        )


def _bcrypt_matches(secret: str, hashed: str) -> bool:
    """PHP's ``password_verify`` for a bcrypt hash: ``$2y$`` is ``$2b$`` to the library."""
    if hashed.startswith("$2y$"):
        hashed = "$2b$" + hashed[4:]
    try:
        return bcrypt.checkpw(secret.encode()[:BCRYPT_MAX_BYTES], hashed.encode())
    except ValueError:
        logger.warning("an employee hash is not valid bcrypt")
        return False


def _reset_failures(store: TillStore, id_employee: int) -> None:
    with store.write() as session:
        session.execute(delete(SigninAttempt).where(SigninAttempt.id_employee == id_employee))


def _count_failure(store: TillStore, id_employee: int, now: datetime) -> None:
    with store.write() as session:
        row = session.get(SigninAttempt, id_employee)
        if row is None:
            row = SigninAttempt(id_employee=id_employee, failures=0)
            session.add(row)
        row.failures += 1
        if row.failures >= MAX_FAILURES:
            row.failures, row.locked_until = 0, now + LOCKOUT
            logger.warning("employee %d locked out after %d failures", id_employee, MAX_FAILURES)


def _unusable_password(passwd: str) -> str:
    if _LEGACY_MD5.fullmatch(passwd):
        return _(
            "Your PrestaShop password is stored in an old format the till cannot check: "
            "sign in with your PIN or ask a manager to set one."
        )
    return _(
        "The till has no PrestaShop password for you: "
        "sign in with your PIN or ask a manager to set one."
    )


def _wrong_secret(has_pin: bool) -> str:
    if has_pin:
        return _("That PIN or password is not right. Try again.")
    return _("That password is not right. Try again.")
