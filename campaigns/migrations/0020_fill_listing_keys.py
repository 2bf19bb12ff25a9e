"""Fill the listing's sort keys of the campaigns that exist (a data migration)."""

from django.db import migrations

from campaigns.models.campaign import listing_keys

BATCH = 2000


def fill(apps, schema_editor):
    Campaign = apps.get_model("campaigns", "Campaign")
    rows = Campaign.objects.values_list("pk", "status", "page__deadline").order_by("pk")
    batch = []
    for pk, status, deadline in rows.iterator(chunk_size=BATCH):
        rank, closing = listing_keys(status, deadline)
        batch.append(Campaign(pk=pk, listing_rank=rank, closing_rank=closing))
        if len(batch) == BATCH:
            Campaign.objects.bulk_update(batch, ["listing_rank", "closing_rank"])
            batch = []
    Campaign.objects.bulk_update(batch, ["listing_rank", "closing_rank"])


class Migration(migrations.Migration):
    dependencies = [("campaigns", "0019_listing_sort_keys")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
