"""Session-wide test setup: isolated user folders and keyring, MariaDB, PrestaShop databases.

Fixtures:

* ``mariadb`` (session): a private MariaDB server (tests/support/mariadb.py); skipped with a
  clear reason when ``mariadbd`` is not installed.
* ``ps_schema_db`` / ``demo_shop_db``: parametrized over ``1.7.8``, ``8.0``, ``9.0`` (MariaDB)
  and ``sqlite`` (SQLite file with the 8.2 facts); a fresh database per test holding the empty
  PrestaShop schema / a small deterministic demo shop (prefix ``ps_``; 40 products, 10
  customers + the walk-in one, 3 employees, 30 orders, seed 7), as a ``ShopDb``. Indirect
  parametrization picks other versions or prefixes: ``@pytest.mark.parametrize("ps_schema_db",
  ["8.2", ("9.0", "shop7_")], indirect=True)``.
* ``make_shop_db(version, prefix="ps_", demo=False)``: the same for any version and prefix
  (``"sqlite"`` for SQLite); databases are dropped after the test.
"""

from __future__ import annotations

import gc
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

# Before anything imports Qt or keyring, and inherited by subprocesses.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["PYTHON_KEYRING_BACKEND"] = "tests.support.keyring_backend.MemoryKeyring"
_SESSION_HOME = tempfile.mkdtemp(prefix="mostrador-test-home-")
os.environ["MOSTRADOR_HOME"] = _SESSION_HOME

import keyring  # noqa: E402
import pytest  # noqa: E402

from tests.support.keyring_backend import MemoryKeyring  # noqa: E402
from tests.support.mariadb import MariaDBServer, MariaDBUnavailable, start_mariadb  # noqa: E402
from tests.support.shop_db import ShopDb, ShopDbFactory  # noqa: E402

SHOP_PARAMS = ["1.7.8", "8.0", "9.0", "sqlite"]
SHOP_IDS = [f"ps-{p}" for p in SHOP_PARAMS]
SHOP_FIXTURES = ("ps_schema_db", "demo_shop_db")


@pytest.fixture(scope="session", autouse=True)
def _collector_off_in_threads() -> Iterator[None]:
    """As the app does (ui/gc_guard.py): no automatic collection, which could run in a worker
    thread and delete a Qt object there; the test's main thread collects after each test."""
    gc.disable()
    yield
    gc.enable()


@pytest.fixture(autouse=True)
def _collect_after_each_test() -> Iterator[None]:
    yield
    gc.collect()


@pytest.fixture(autouse=True)
def _isolated_user_folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """MOSTRADOR_HOME in the test's tmp dir: app/paths.py never reaches real user folders."""
    monkeypatch.setenv("MOSTRADOR_HOME", str(tmp_path / "mostrador-home"))


@pytest.fixture(autouse=True)
def memory_keyring() -> Iterator[MemoryKeyring]:
    """A fresh, empty in-memory keyring for each test."""
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture(scope="session")
def mariadb() -> Iterator[MariaDBServer]:
    """The session's private MariaDB server."""
    base = Path(tempfile.mkdtemp(prefix="mostrador-mariadb-"))
    try:
        server = start_mariadb(base)
    except MariaDBUnavailable as error:
        shutil.rmtree(base, ignore_errors=True)
        pytest.skip(f"MariaDB not available: {error}")
    try:
        yield server
    finally:
        server.stop()
        shutil.rmtree(base, ignore_errors=True)


class _LazyServer:
    """The session server, started only when a test first needs MariaDB."""

    def __init__(self) -> None:
        self.server: MariaDBServer | None = None

    def __call__(self) -> MariaDBServer:
        if self.server is None:
            raise RuntimeError("MariaDB requested before the mariadb fixture")
        return self.server


@pytest.fixture(scope="session")
def _shop_db_factory(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[ShopDbFactory, _LazyServer]]:
    lazy = _LazyServer()
    factory = ShopDbFactory(tmp_path_factory.mktemp("shop-templates"), lazy)
    yield factory, lazy
    factory.close()


@pytest.fixture
def make_shop_db(
    request: pytest.FixtureRequest, _shop_db_factory: tuple[ShopDbFactory, _LazyServer]
) -> Iterator[Callable[..., ShopDb]]:
    """``make_shop_db(version, prefix="ps_", demo=False) -> ShopDb``, dropped after the test.

    ``version`` is a schema version (``ddl.available_versions()``, on MariaDB) or ``"sqlite"``.
    """
    factory, lazy = _shop_db_factory
    made: list[ShopDb] = []

    def make(version: str, prefix: str = "ps_", demo: bool = False) -> ShopDb:
        if version != "sqlite" and lazy.server is None:
            lazy.server = request.getfixturevalue("mariadb")
            lazy.server.before_stop.append(factory.close)
        shop = factory.make(version, prefix, demo)
        made.append(shop)
        return shop

    yield make
    for shop in made:
        factory.discard(shop)


def _version_and_prefix(param: str | tuple[str, str]) -> tuple[str, str]:
    """An indirect parameter is ``"8.2"`` or ``("8.2", "shop7_")``."""
    return (param, "ps_") if isinstance(param, str) else param


@pytest.fixture(params=SHOP_PARAMS, ids=SHOP_IDS)
def ps_schema_db(request: pytest.FixtureRequest, make_shop_db: Callable[..., ShopDb]) -> ShopDb:
    """A fresh database with the empty PrestaShop schema (prefix ``ps_``)."""
    version, prefix = _version_and_prefix(request.param)
    return make_shop_db(version, prefix)


@pytest.fixture(params=SHOP_PARAMS, ids=SHOP_IDS)
def demo_shop_db(request: pytest.FixtureRequest, make_shop_db: Callable[..., ShopDb]) -> ShopDb:
    """A fresh database with the small deterministic demo shop (tests/support/shop_db.py)."""
    version, prefix = _version_and_prefix(request.param)
    return make_shop_db(version, prefix, demo=True)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test that needs the MariaDB server, so ``-m "not mariadb"`` skips them."""
    for item in items:
        fixtures = getattr(item, "fixturenames", ())
        callspec = getattr(item, "callspec", None)
        params = callspec.params if callspec is not None else {}
        uses_shop = any(
            _version_and_prefix(params.get(name, "sqlite"))[0] != "sqlite" for name in SHOP_FIXTURES
        )
        if "mariadb" in fixtures or uses_shop:
            item.add_marker(pytest.mark.mariadb)
