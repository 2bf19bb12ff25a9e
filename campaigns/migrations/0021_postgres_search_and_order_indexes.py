"""Trigram GIN indexes for the listing's infix search, and the index of its "newest"
order (``live_at DESC NULLS LAST``, which SQLite cannot index), on PostgreSQL only.

``icontains`` on PostgreSQL is ``UPPER(column::text) LIKE UPPER('%word%')``; a
``gin_trgm_ops`` index on exactly that expression serves it. The title is Wagtail's page
column, so its index is on ``wagtailcore_page``. On SQLite nothing is created (the
extension operation checks the vendor itself; the indexes are raw SQL, run only on
PostgreSQL), and the search still works, by a scan.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

INDEXES = [
    ("wagtailcore_page", "title", "wagtailcore_page_title_trgm"),
    ("campaigns_initiativepage", "summary", "initiativepage_summary_trgm"),
    ("campaigns_initiativepage", "title_en", "initiativepage_title_en_trgm"),
    ("campaigns_initiativepage", "summary_en", "initiativepage_summary_en_trgm"),
    ("campaigns_initiativepage", "location", "initiativepage_location_trgm"),
]


NEWEST = "campaign_newest_idx"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {NEWEST} ON campaigns_campaign "
        "(live_at DESC NULLS LAST, page_id DESC)"
    )
    for table, column, name in INDEXES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} "
            f"USING gin ((UPPER({column}::text)) gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {NEWEST}")
    for _table, _column, name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("campaigns", "0020_fill_listing_keys")]

    operations = [TrigramExtension(), migrations.RunPython(create, drop)]
