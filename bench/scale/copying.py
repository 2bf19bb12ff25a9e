"""Bulk writes for the scale data set: PostgreSQL ``COPY`` through psycopg, and id ranges.

Rows are plain tuples in the table's column order; ids are handed out by the loader
(``reserve_ids``) so that rows can refer to each other before they are written, and the
identity sequences are moved past them afterwards (``sync_sequences``).
"""

import time

from django.db import connection


def copy_rows(table, columns, rows):
    """``COPY table (columns) FROM STDIN`` with ``rows``; returns the number written."""
    count = 0
    with connection.cursor() as wrapper:
        cursor = wrapper.cursor  # the psycopg cursor behind Django's wrapper
        with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
                count += 1
    return count


def max_id(table):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")
        return cursor.fetchone()[0]


def sync_sequences(*tables):
    """Move each table's identity sequence past the ids the loader wrote."""
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"
            )


def execute(sql, params=None):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def scalar(sql, params=None):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


def analyze():
    """Fresh planner statistics after the bulk load, as PostgreSQL's docs advise."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


class Timer:
    """Seconds per loading step, printed as they finish and kept for the results."""

    def __init__(self):
        self.steps = {}
        self.started = time.perf_counter()

    def step(self, name, started, count=None):
        seconds = time.perf_counter() - started
        self.steps[name] = round(seconds, 2)
        rows = f" ({count:,} rows)" if count is not None else ""
        print(f"  {name}: {seconds:.1f} s{rows}", flush=True)

    @property
    def total(self):
        return round(time.perf_counter() - self.started, 1)
