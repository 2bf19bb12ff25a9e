"""Start PostgreSQL before Django is set up, so the whole suite runs on it.

Loaded with ``-p tests.postgres_plugin`` (see pyproject.toml). It must run before
pytest-django loads the settings: some apps (modelsearch) choose their field types
from the connection's vendor at import time, so the database cannot be swapped later.
"""

import os

import pytest

from tests import servers

STATE = {"server": None, "reason": ""}


@pytest.hookimpl(tryfirst=True)
def pytest_load_initial_conftests(early_config, parser, args):
    if os.environ.get("WIJK_TEST_DB") == "sqlite":
        STATE["reason"] = "WIJK_TEST_DB=sqlite"
        os.environ["DATABASE_URL"] = "sqlite:///:memory:"
        return
    if "DATABASE_URL" in os.environ:
        STATE["reason"] = "DATABASE_URL given by the environment"
        return
    server = servers.start_postgres()
    if server is None:
        STATE["reason"] = "no PostgreSQL binaries (initdb, pg_ctl) on this machine"
        os.environ["DATABASE_URL"] = "sqlite:///:memory:"
        return
    STATE["server"] = server
    os.environ["DATABASE_URL"] = server.dsn("wijkkapitaal")


def pytest_unconfigure(config):
    if STATE["server"] is not None:
        servers.stop_postgres(STATE["server"])
        STATE["server"] = None


def pytest_report_header(config):
    server = STATE["server"]
    if server is not None:
        return f"database: PostgreSQL from {server.bindir} on port {server.port}"
    return f"database: SQLite ({STATE['reason']})"
