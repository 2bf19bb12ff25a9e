"""A matched initiative's payout: the funds' committed money is paid out with the donations,
and the funds that matched it may see its receipts."""

import datetime

import pytest
from django.utils import timezone

from accounts.models import Membership
from campaigns.models import Match, Payout
from campaigns.permissions import can_see_receipts
from campaigns.services import payouts as payout_services
from campaigns.services.matching import committed_match_cents, programme_ledger
from campaigns.services.settlement import settle_campaign
from tests.factories import (
    FundingProgrammeFactory,
    UserFactory,
    approve_programme,
    make_initiative,
    pay,
)
from tests.payouts.conftest import approved_payout, staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def matched(neighbourhood):
    """A succeeded initiative: €40 from neighbours, doubled by one programme."""
    initiator = UserFactory()
    campaign = make_initiative(neighbourhood, initiator=initiator, goal_cents=50_00)
    programme = FundingProgrammeFactory()
    approve_programme(campaign, programme)
    pay(campaign, 25_00)
    pay(campaign, 15_00)
    settle_campaign(campaign_id=campaign.pk, now=timezone.now() + datetime.timedelta(days=40))
    campaign.refresh_from_db()
    assert campaign.is_funded and committed_match_cents(campaign) == 40_00
    return campaign, initiator, programme


def test_the_payout_adds_the_committed_matches_and_shows_them_as_a_line(matched):
    campaign, _initiator, _programme = matched

    breakdown = payout_services.payout_breakdown(campaign)

    assert [(line.key, line.amount_cents) for line in breakdown.lines] == [
        ("raised", 40_00),
        ("matched", 40_00),
        ("platform_fee", 0),
        ("payment_fees", 0),
    ]
    assert breakdown.total_cents == 80_00


def test_marking_the_batch_paid_pays_out_the_funds_matches(matched):
    campaign, initiator, programme = matched
    payout = approved_payout(campaign, initiator)
    assert payout.amount_cents == 80_00
    batch = payout_services.create_batch(actor_label="test")
    assert batch.control_sum_cents == 80_00

    payout_services.mark_batch_paid(batch=batch, user=staff())

    assert Payout.objects.get(pk=payout.pk).status == Payout.Status.PAID
    assert set(Match.objects.values_list("status", flat=True)) == {Match.Status.PAID_OUT}
    programme.refresh_from_db()
    ledger = programme_ledger(programme)
    assert (programme.committed_cents, programme.paid_out_cents) == (0, 40_00)
    assert (ledger["committed_cents"], ledger["paid_out_cents"]) == (0, 40_00)


def test_members_of_a_fund_that_matched_see_the_receipts_and_other_funds_do_not(matched):
    campaign, initiator, programme = matched
    member, outsider = UserFactory(), UserFactory()
    Membership.objects.create(organisation=programme.organisation, user=member)
    other_fund = FundingProgrammeFactory().organisation
    Membership.objects.create(organisation=other_fund, user=outsider)

    assert can_see_receipts(initiator, campaign)
    assert can_see_receipts(member, campaign)
    assert not can_see_receipts(outsider, campaign)
    assert not can_see_receipts(UserFactory(), campaign)
