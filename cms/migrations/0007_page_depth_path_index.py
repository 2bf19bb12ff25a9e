"""An index on Wagtail's page table for the children of a page, on PostgreSQL only.

Wagtail (treebeard) finds a page's children with ``path LIKE '<parent path>%' AND depth =
<parent depth + 1>``. Its own indexes serve the path prefix alone, which at 100,000
initiatives matches every page below the home page (a city page's list of neighbourhoods
read 100,000 rows to keep 10: 36 ms). An index on ``(depth, path varchar_pattern_ops)``
serves both conditions at once (0.2 ms). As with the trigram indexes of
``campaigns.0021``, the table is Wagtail's, so the index is raw SQL; SQLite gets none.
"""

from django.db import migrations

NAME = "wagtailcore_page_depth_path"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {NAME} ON wagtailcore_page "
            "(depth, path varchar_pattern_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {NAME}")


class Migration(migrations.Migration):
    dependencies = [("cms", "0006_contact_and_organisation_pages")]

    operations = [migrations.RunPython(create, drop)]
