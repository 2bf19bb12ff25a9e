"""Matching under concurrent payments on a real PostgreSQL: one programme's budget, asked
for by ten campaigns at once from fifty threads, is spent exactly and never overspent."""

import datetime
import random

import pytest
from django.db.models import Sum
from django.utils import timezone

from campaigns.models import Campaign, Match, Pledge
from campaigns.services import ledger_totals
from campaigns.services.matching import programme_ledger
from campaigns.services.pledges import complete_refund, create_pledge, mark_paid
from campaigns.services.settlement import settle_campaign
from tests.campaigns.test_concurrency import run_in_threads
from tests.factories import FundingProgrammeFactory, approve_programme, make_initiative, site_tree

pytestmark = [
    pytest.mark.concurrency,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

THREADS = 50
CAMPAIGNS = 10
PLEDGES_PER_CAMPAIGN = 20
AMOUNT = 10_00
BUDGET = 1_230_00  # demand is 10 × 20 × €10 = €2,000, so the budget runs out
CAP = 150_00


def assert_programme_whole(programme):
    programme.refresh_from_db()
    ledger = programme_ledger(programme)
    assert programme.reserved_cents == ledger["reserved_cents"]
    assert programme.committed_cents == ledger["committed_cents"]
    assert programme.reserved_cents + programme.committed_cents + programme.remaining_cents == (
        programme.budget_cents
    )
    assert programme.remaining_cents >= 0
    return programme


def test_fifty_threads_spend_a_programme_budget_exactly(requires_postgres):
    neighbourhood = site_tree()[2]
    programme = FundingProgrammeFactory(budget_cents=BUDGET, cap_per_initiative_cents=CAP)
    campaigns = [
        make_initiative(
            neighbourhood,
            title=f"Plan {n}",
            goal_cents=100_000_00,
            funding_model="keep_what_you_raise" if n % 2 else "all_or_nothing",
        )
        for n in range(CAMPAIGNS)
    ]
    pledges = []
    for campaign in campaigns:
        approve_programme(campaign, programme)
        for n in range(PLEDGES_PER_CAMPAIGN):
            pledge, _attempt = create_pledge(
                campaign=campaign,
                amount_cents=AMOUNT + (n % 3),  # some odd cents
                guest_email=f"buur{n}.{campaign.pk}@example.nl",
            )
            pledges.append(pledge)
    random.Random(11).shuffle(pledges)

    run_in_threads(
        lambda pledge, _client: mark_paid(pledge_id=pledge.pk, session_id=f"cs_{pledge.pk}"),
        pledges,
        threads=THREADS,
    )

    assert set(Pledge.objects.values_list("status", flat=True)) == {Pledge.Status.PAID}
    programme = assert_programme_whole(programme)
    assert programme.reserved_cents == BUDGET
    assert programme.remaining_cents == 0
    per_campaign = dict(
        Match.objects.values_list("campaign_id").annotate(total=Sum("amount_cents"))
    )
    assert max(per_campaign.values()) <= CAP
    assert Match.objects.values("pledge_id").distinct().count() == Match.objects.count()
    for campaign in Campaign.objects.all():
        assert (campaign.raised_cents, campaign.supporter_count) == ledger_totals(campaign)

    # Refunds release matches while new payments reserve what they free, all at once.
    matched = list(Pledge.objects.filter(matches__isnull=False).order_by("?")[:25])
    late = []
    for campaign in campaigns:
        for n in range(3):
            pledge, _attempt = create_pledge(
                campaign=campaign, amount_cents=AMOUNT, guest_email=f"laat{n}@example.nl"
            )
            late.append(pledge)
    work = [("refund", p) for p in matched] + [("pay", p) for p in late]
    random.Random(12).shuffle(work)

    def run(item, _client):
        kind, pledge = item
        if kind == "refund":
            complete_refund(pledge_id=pledge.pk, external_id=f"re_{pledge.pk}")
        else:
            mark_paid(pledge_id=pledge.pk, session_id=f"cs_{pledge.pk}")

    run_in_threads(run, work, threads=THREADS)

    programme = assert_programme_whole(programme)
    assert programme.reserved_cents <= BUDGET
    assert not Match.objects.filter(
        pledge__status=Pledge.Status.REFUNDED, status=Match.Status.RESERVED
    ).exists()
    for campaign in Campaign.objects.all():
        assert (campaign.raised_cents, campaign.supporter_count) == ledger_totals(campaign)
        application = campaign.programme_applications.get()
        active = Match.objects.filter(campaign=campaign, status__in=Match.ACTIVE_STATUSES)
        assert application.matched_cents == (active.aggregate(t=Sum("amount_cents"))["t"] or 0)
        assert application.matched_cents <= CAP

    # The deadline settles all ten at once while late payments still arrive: the
    # keep-what-you-raise ones commit what was matched, the all-or-nothing ones (far from
    # their goal) release it.
    late = []
    for campaign in campaigns:
        pledge, _attempt = create_pledge(
            campaign=campaign, amount_cents=AMOUNT, guest_email="allerlaatst@example.nl"
        )
        late.append(pledge)
    after = timezone.now() + datetime.timedelta(days=40)
    work = [("settle", c) for c in campaigns] + [("pay", p) for p in late]
    random.Random(13).shuffle(work)

    def run_deadline(item, _client):
        kind, target = item
        if kind == "settle":
            settle_campaign(campaign_id=target.pk, now=after)
        else:
            mark_paid(pledge_id=target.pk, session_id=f"cs_{target.pk}")

    run_in_threads(run_deadline, work, threads=len(work))

    programme = assert_programme_whole(programme)
    assert programme.reserved_cents == 0
    committed = 0
    for campaign in Campaign.objects.all():
        active = Match.objects.filter(campaign=campaign, status__in=Match.ACTIVE_STATUSES)
        total = active.aggregate(t=Sum("amount_cents"))["t"] or 0
        if campaign.status == Campaign.Status.SUCCEEDED:
            assert set(active.values_list("status", flat=True)) <= {Match.Status.COMMITTED}
            committed += total
        else:
            assert campaign.status == Campaign.Status.FAILED
            assert total == 0
        assert (campaign.raised_cents, campaign.supporter_count) == ledger_totals(campaign)
    assert committed == programme.committed_cents > 0
