import os

import pytest
from django.db import connection

from tests.servers import find_postgres_bindir


@pytest.mark.django_db
def test_suite_runs_on_postgres_when_its_binaries_are_present():
    if os.environ.get("WIJK_TEST_DB") == "sqlite" or find_postgres_bindir() is None:
        pytest.skip("PostgreSQL binaries absent or WIJK_TEST_DB=sqlite: the suite runs on SQLite")
    assert connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version_num")
        assert int(cursor.fetchone()[0]) >= 130000
