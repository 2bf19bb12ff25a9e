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


@pytest.fixture(autouse=True)
def _fresh_cache_and_language():
    """Each test starts with an empty cache and the default language (Dutch)."""
    from django.conf import settings
    from django.core.cache import cache
    from django.utils import translation

    cache.clear()
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)
