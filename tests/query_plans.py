"""Asking PostgreSQL which plan it would choose for a query on big tables."""

from django.db import connection, transaction


def plan(queryset, *, off):
    """The plan PostgreSQL would choose if the tables were big: the ``off`` ways (``seqscan``,
    ``sort``, ``indexscan`` ...), which suit a test's few rows, priced out for this query."""
    with transaction.atomic(), connection.cursor() as cursor:
        for way in off:
            cursor.execute(f"SET LOCAL enable_{way} = off")
        return queryset.explain()
