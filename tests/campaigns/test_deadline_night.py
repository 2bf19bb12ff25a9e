"""The deadline night at scale: settling a failed campaign costs the same few statements
however many pledges it refunds, and each pledge still gets exactly one refund of its own.
"""

import datetime
from collections import Counter

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from campaigns.models import AuditEntry, Campaign, Pledge, Refund
from campaigns.services import ledger_totals
from campaigns.services.settlement import settle_campaign
from campaigns.services.totals import recount_totals
from tests.factories import PledgeFactory, make_initiative, site_tree

pytestmark = pytest.mark.django_db


def failing_campaign(neighbourhood, pledges, **pledge_fields):
    campaign = make_initiative(neighbourhood, goal_cents=100_000_00)
    PledgeFactory.create_batch(pledges, campaign=campaign, **pledge_fields)
    return recount_totals(campaign=campaign)


def settle_counting(campaign, capture):
    later = timezone.now() + datetime.timedelta(days=40)
    with CaptureQueriesContext(connection) as queries, capture(execute=False) as callbacks:
        settle_campaign(campaign_id=campaign.pk, now=later)
    return len(queries), callbacks


def test_settling_costs_the_same_statements_for_3_or_40_pledges(
    django_capture_on_commit_callbacks,
):
    neighbourhood = site_tree()[2]
    few = failing_campaign(neighbourhood, 3)
    many = failing_campaign(neighbourhood, 40)

    few_queries, _ = settle_counting(few, django_capture_on_commit_callbacks)
    many_queries, _ = settle_counting(many, django_capture_on_commit_callbacks)

    assert many_queries == few_queries
    many.refresh_from_db()
    assert many.status == Campaign.Status.FAILED


def test_each_pledge_gets_one_refund_its_key_its_audit_entry_and_one_job(
    django_capture_on_commit_callbacks, monkeypatch
):
    from campaigns import jobs

    queued = []
    monkeypatch.setattr(
        jobs.execute_refund, "apply_async", lambda args, **kwargs: queued.append(args[0])
    )
    neighbourhood = site_tree()[2]
    campaign = failing_campaign(neighbourhood, 25)
    pending = PledgeFactory(campaign=campaign, status=Pledge.Status.PENDING, paid_at=None)

    _, callbacks = settle_counting(campaign, django_capture_on_commit_callbacks)
    for callback in callbacks:
        callback()

    refunds = list(Refund.objects.filter(pledge__campaign=campaign).order_by("pledge_id"))
    paid = list(Pledge.objects.filter(campaign=campaign).exclude(pk=pending.pk).order_by("pk"))
    assert [refund.pledge_id for refund in refunds] == [pledge.pk for pledge in paid]
    assert {refund.idempotency_key for refund in refunds} == {
        f"refund-{pledge.pk}" for pledge in paid
    }
    assert {refund.status for refund in refunds} == {Refund.Status.PENDING}
    assert {pledge.status for pledge in paid} == {Pledge.Status.REFUND_PENDING}
    assert Pledge.objects.get(pk=pending.pk).status == Pledge.Status.PENDING
    entries = AuditEntry.objects.filter(action="refund_requested", object_type="campaigns.pledge")
    assert Counter(entries.values_list("object_id", flat=True)) == {
        str(pledge.pk): 1 for pledge in paid
    }
    entry = entries.get(object_id=str(paid[0].pk))
    assert (entry.from_state, entry.to_state, entry.amount_cents) == (
        "paid",
        "refund_pending",
        paid[0].amount_cents,
    )
    assert entry.data["reason"] == "campaign_not_funded"
    assert queued == [refund.pk for refund in refunds]
    campaign.refresh_from_db()
    assert (campaign.raised_cents, campaign.supporter_count) == ledger_totals(campaign)
