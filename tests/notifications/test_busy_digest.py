"""A digest of a very busy hour lists the newest items, counts the rest, and costs the same
few queries however many items there are."""

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from campaigns.models import Campaign, DigestItem
from notifications.jobs import DIGEST_ITEMS_SHOWN, send_digests
from tests.factories import make_initiative, site_tree

pytestmark = pytest.mark.django_db


def gather(campaign, count, start=0):
    DigestItem.objects.bulk_create(
        DigestItem(
            campaign=campaign,
            kind=DigestItem.Kind.DONATION,
            object_id=start + n,
            summary=f"€ 5,00 (Gift {start + n})",
        )
        for n in range(count)
    )


def digest_queries(campaign, count):
    gather(campaign, count, start=campaign.pk * 10_000)
    mail.outbox = []
    with CaptureQueriesContext(connection) as queries:
        assert send_digests() == 1
    return len(queries)


def test_a_digest_of_many_items_lists_the_newest_and_counts_the_rest():
    campaign = make_initiative(site_tree()[2], status=Campaign.Status.LIVE)
    gather(campaign, DIGEST_ITEMS_SHOWN + 70)

    send_digests()

    (digest,) = mail.outbox
    assert f"{DIGEST_ITEMS_SHOWN + 70}" in digest.subject
    shown = [f"(Gift {n})" for n in range(70, DIGEST_ITEMS_SHOWN + 70)]
    assert digest.body.count("(Gift ") == DIGEST_ITEMS_SHOWN
    assert digest.body.index(shown[0]) < digest.body.index(shown[-1])  # oldest first
    assert "(Gift 69)" not in digest.body
    assert "En nog 70." in digest.body
    assert not DigestItem.objects.filter(campaign=campaign, sent_at__isnull=True).exists()


def test_a_digest_costs_the_same_queries_for_ten_or_a_thousand_items():
    neighbourhood = site_tree()[2]
    few = make_initiative(neighbourhood, title="Klein", status=Campaign.Status.LIVE)
    many = make_initiative(neighbourhood, title="Groot", status=Campaign.Status.LIVE)
    warm_up = make_initiative(neighbourhood, title="Eerst", status=Campaign.Status.LIVE)
    digest_queries(warm_up, 1)  # per-process caches (sites, content types)
    assert digest_queries(few, 10) == digest_queries(many, 1000)
