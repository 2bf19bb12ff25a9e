import os

import pytest

from tests.servers import start_postgres, stop_postgres

_postgres = {"server": None, "reason": ""}


@pytest.fixture(scope="session")
def postgres_server():
    """A real PostgreSQL for the whole run, unless WIJK_TEST_DB=sqlite or no binaries exist."""
    if os.environ.get("WIJK_TEST_DB") == "sqlite":
        _postgres["reason"] = "WIJK_TEST_DB=sqlite"
        yield None
        return
    server = start_postgres()
    if server is None:
        _postgres["reason"] = "no PostgreSQL binaries (initdb, pg_ctl) on this machine"
        yield None
        return
    _postgres["server"] = server
    yield server
    stop_postgres(server)


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, postgres_server):
    """Point Django at the test PostgreSQL before pytest-django creates the test database."""
    if postgres_server is None:
        return
    from django.conf import settings
    from django.db import connections

    settings.DATABASES["default"].update(
        {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": "wijkkapitaal",
            "USER": postgres_server.user,
            "PASSWORD": "",
            "HOST": postgres_server.host,
            "PORT": str(postgres_server.port),
            "OPTIONS": {},
            "CONN_MAX_AGE": 0,
        }
    )
    settings.DATABASES["default"]["TEST"].update({"NAME": "test_wijkkapitaal"})
    try:
        connections["default"].close()
        del connections["default"]
    except AttributeError:
        pass
    # modelsearch sets its PostgreSQL tsvector weights in AppConfig.ready(), which ran
    # while the default connection was still SQLite.
    from modelsearch.backends.database.postgres import weights

    if not weights.BOOSTS_WEIGHTS:
        weights.set_weights()


def pytest_report_header(config):
    return "database: PostgreSQL from local binaries when present (WIJK_TEST_DB=sqlite to skip)"


@pytest.fixture
def requires_postgres(django_db_blocker):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip(f"needs a real PostgreSQL server: {_postgres['reason'] or 'not configured'}")


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
