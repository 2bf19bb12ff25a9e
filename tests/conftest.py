import pytest

from tests.postgres_plugin import STATE as POSTGRES


@pytest.fixture(scope="session")
def postgres_server():
    """The PostgreSQL server the suite runs on, or None when it runs on SQLite."""
    return POSTGRES["server"]


@pytest.fixture
def requires_postgres():
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip(f"needs a real PostgreSQL server: {POSTGRES['reason'] or 'not configured'}")


def _delete_folder(storage, folder):
    try:
        dirs, names = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in names:
        storage.delete(f"{folder}/{name}")
    for sub in dirs:
        _delete_folder(storage, f"{folder}/{sub}")


@pytest.fixture(autouse=True)
def _fresh_cache_and_language():
    """Each test starts with an empty cache, no stored open-data files (the in-memory
    storage lives as long as the process) and the default language (Dutch)."""
    from django.conf import settings
    from django.core.cache import cache
    from django.core.files.storage import InMemoryStorage, storages
    from django.utils import translation

    cache.clear()
    if isinstance(storages["default"], InMemoryStorage):
        _delete_folder(storages["default"], "open-data")
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)
