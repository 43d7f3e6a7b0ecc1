"""An in-memory keyring for tests: secrets never reach the real OS keyring.

The test session selects it through ``PYTHON_KEYRING_BACKEND`` (also seen by subprocesses)
and installs a fresh, empty instance for each test (tests/conftest.py).
"""

from __future__ import annotations

from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError


class MemoryKeyring(KeyringBackend):
    """Passwords kept in a dict of this instance, keyed by (service, username)."""

    priority = 0.1

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        try:
            del self.store[(service, username)]
        except KeyError:
            raise PasswordDeleteError(f"no password for {username!r} in {service!r}") from None


BACKEND_PATH = f"{__name__}.{MemoryKeyring.__name__}"
