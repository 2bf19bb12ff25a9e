"""The staff pledge CSV streams: memory stays flat however many pledges there are."""

import tracemalloc

import pytest

from campaigns.admin_views import PledgeIndexView
from campaigns.models import Pledge
from tests.factories import make_initiative, moderator, site_tree

pytestmark = pytest.mark.django_db

ROWS = 6_000


def _bulk_pledges(campaigns, count):
    Pledge.objects.bulk_create(
        (
            Pledge(
                campaign=campaigns[index % len(campaigns)],
                amount_cents=10_00 + index,
                guest_email=f"donor{index}@example.nl",
                public_name=f"Donateur {index}",
                message="Veel succes met de tuin! " * 4,
                status=Pledge.Status.PAID,
            )
            for index in range(count)
        ),
        batch_size=5000,
    )


def test_exporting_many_pledges_keeps_memory_flat(client, requires_postgres, monkeypatch):
    """30 chunks of 200 rows: the traced peak is about one chunk's worth (a few MB;
    the whole set at once, as Wagtail's default path loads it, 34 MB)."""
    monkeypatch.setattr(PledgeIndexView, "export_chunk_size", 200)
    neighbourhood = site_tree()[2]
    campaigns = [make_initiative(neighbourhood, title=f"Tuin {index}") for index in range(2)]
    _bulk_pledges(campaigns, ROWS)
    client.force_login(moderator())
    warm_up = client.get("/admin/pledges/", {"export": "csv", "status": "failed"})
    assert b"".join(warm_up.streaming_content).count(b"\n") == 1  # catalogs, templates loaded

    tracemalloc.start()
    try:
        response = client.get("/admin/pledges/", {"export": "csv"})
        rows = sum(chunk.count(b"\n") for chunk in response.streaming_content)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert rows == ROWS + 1
    assert peak < 8 * 1024 * 1024, f"peak {peak / 2**20:.1f} MB while streaming {ROWS} rows"
