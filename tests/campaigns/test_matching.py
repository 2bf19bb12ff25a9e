"""Matching: reserving a programme's money beside paid pledges, releasing and committing it."""

import datetime

import pytest
from django.utils import timezone

from campaigns.audit import Action
from campaigns.models import AuditEntry, Campaign, Match
from campaigns.services import ledger_totals
from campaigns.services.cancellation import cancel_campaign
from campaigns.services.matching import committed_match_cents, programme_ledger
from campaigns.services.pledges import complete_refund, request_refund
from campaigns.services.settlement import settle_campaign
from tests.factories import (
    FundingProgrammeFactory,
    UserFactory,
    approve_programme,
    make_initiative,
    pay,
    site_tree,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def neighbourhood():
    return site_tree()[2]


def check_programme(programme):
    programme.refresh_from_db()
    ledger = programme_ledger(programme)
    assert (programme.reserved_cents, programme.committed_cents, programme.paid_out_cents) == (
        ledger["reserved_cents"],
        ledger["committed_cents"],
        ledger["paid_out_cents"],
    )
    assert programme.spent_cents + programme.remaining_cents == programme.budget_cents
    assert programme.remaining_cents >= 0
    return programme


def test_a_paid_pledge_reserves_the_match_and_the_ledger_stays_whole(neighbourhood):
    campaign = make_initiative(neighbourhood)
    programme = FundingProgrammeFactory()
    approve_programme(campaign, programme)

    pledge = pay(campaign, 10_00)

    match = Match.objects.get(pledge=pledge)
    assert (match.programme, match.amount_cents, match.status) == (programme, 10_00, "reserved")
    assert check_programme(programme).reserved_cents == 10_00
    campaign.refresh_from_db()
    assert (campaign.raised_cents, campaign.supporter_count) == ledger_totals(campaign)
    assert campaign.raised_cents == 10_00
    assert AuditEntry.objects.filter(action=Action.MATCH_RESERVED, object_id=str(match.pk)).exists()


def test_half_ratio_rounds_down_to_the_cent_and_stops_at_the_cap(neighbourhood):
    campaign = make_initiative(neighbourhood)
    programme = FundingProgrammeFactory(
        match_numerator=1, match_denominator=2, cap_per_initiative_cents=10_00
    )
    approve_programme(campaign, programme)

    first = pay(campaign, 15_01)  # half is 750.5 cents: 750
    second = pay(campaign, 20_00)  # half is 1000, but only 250 of the cap is left
    third = pay(campaign, 20_00)

    assert Match.objects.get(pledge=first).amount_cents == 7_50
    assert Match.objects.get(pledge=second).amount_cents == 2_50
    assert not Match.objects.filter(pledge=third).exists()
    assert check_programme(programme).reserved_cents == 10_00


def test_programmes_match_in_their_order_until_the_budget_runs_out(neighbourhood):
    campaign = make_initiative(neighbourhood)
    second = FundingProgrammeFactory(priority=20, budget_cents=100_00)
    first = FundingProgrammeFactory(priority=10, budget_cents=15_00)
    approve_programme(campaign, second)
    approve_programme(campaign, first)

    pay(campaign, 10_00)
    pledge = pay(campaign, 10_00)

    amounts = dict(Match.objects.filter(pledge=pledge).values_list("programme_id", "amount_cents"))
    assert amounts == {first.pk: 5_00, second.pk: 10_00}
    assert check_programme(first).remaining_cents == 0
    assert check_programme(second).reserved_cents == 20_00


def test_matching_starts_at_the_minimum_of_distinct_donors_without_looking_back(neighbourhood):
    campaign = make_initiative(neighbourhood)
    programme = FundingProgrammeFactory(min_donors=3)
    approve_programme(campaign, programme)
    regular = UserFactory()

    pay(campaign, 10_00, donor=regular)
    pay(campaign, 10_00, donor=regular)  # the same donor again: still one
    pay(campaign, 10_00)
    assert not Match.objects.exists()
    third = pay(campaign, 10_00)
    fourth = pay(campaign, 10_00, donor=regular)

    assert set(Match.objects.values_list("pledge_id", flat=True)) == {third.pk, fourth.pk}


def test_a_refund_releases_the_match(neighbourhood):
    campaign = make_initiative(neighbourhood)
    programme = FundingProgrammeFactory()
    application = approve_programme(campaign, programme)
    pledge = pay(campaign, 25_00)

    request_refund(pledge=pledge)
    assert Match.objects.get(pledge=pledge).status == Match.Status.RESERVED
    complete_refund(pledge_id=pledge.pk, external_id="re_1")

    assert Match.objects.get(pledge=pledge).status == Match.Status.RELEASED
    assert check_programme(programme).reserved_cents == 0
    application.refresh_from_db()
    assert application.matched_cents == 0
    campaign.refresh_from_db()
    assert (campaign.raised_cents, campaign.supporter_count) == ledger_totals(campaign) == (0, 0)


def test_a_failed_campaign_releases_every_match(neighbourhood, settings):
    campaign = make_initiative(neighbourhood, goal_cents=1_000_00)
    programme = FundingProgrammeFactory()
    approve_programme(campaign, programme)
    pay(campaign, 10_00)
    pay(campaign, 20_00)

    later = timezone.now() + datetime.timedelta(days=40)
    settle_campaign(campaign_id=campaign.pk, now=later)

    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.FAILED
    assert set(Match.objects.values_list("status", flat=True)) == {Match.Status.RELEASED}
    assert check_programme(programme).spent_cents == 0
    assert committed_match_cents(campaign) == 0


def test_a_cancelled_campaign_releases_every_match(neighbourhood):
    campaign = make_initiative(neighbourhood)
    programme = FundingProgrammeFactory()
    approve_programme(campaign, programme)
    pay(campaign, 10_00)

    cancel_campaign(campaign=campaign, user=campaign.initiators.get(), reason="Geen plek meer")

    assert set(Match.objects.values_list("status", flat=True)) == {Match.Status.RELEASED}
    assert check_programme(programme).spent_cents == 0


def test_success_commits_and_matched_money_counts_toward_the_goal(neighbourhood):
    campaign = make_initiative(neighbourhood, goal_cents=100_00)
    programme = FundingProgrammeFactory()
    approve_programme(campaign, programme)
    pay(campaign, 30_00)
    pay(campaign, 25_00)  # 55 from residents + 55 matched: the goal of 100 is met

    settle_campaign(campaign_id=campaign.pk, now=timezone.now() + datetime.timedelta(days=40))

    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.SUCCEEDED
    assert set(Match.objects.values_list("status", flat=True)) == {Match.Status.COMMITTED}
    assert committed_match_cents(campaign) == 55_00
    programme = check_programme(programme)
    assert (programme.reserved_cents, programme.committed_cents) == (0, 55_00)


def test_match_that_does_not_count_toward_the_goal_leaves_it_missed(neighbourhood):
    campaign = make_initiative(neighbourhood, goal_cents=100_00)
    programme = FundingProgrammeFactory(counts_toward_goal=False)
    approve_programme(campaign, programme)
    pay(campaign, 55_00)

    settle_campaign(campaign_id=campaign.pk, now=timezone.now() + datetime.timedelta(days=40))

    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.FAILED


def test_keep_what_you_raise_commits_what_was_matched(neighbourhood):
    campaign = make_initiative(
        neighbourhood, goal_cents=1_000_00, funding_model="keep_what_you_raise"
    )
    programme = FundingProgrammeFactory(match_numerator=1, match_denominator=2)
    approve_programme(campaign, programme)
    pay(campaign, 40_00)

    settle_campaign(campaign_id=campaign.pk, now=timezone.now() + datetime.timedelta(days=40))

    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.SUCCEEDED
    assert committed_match_cents(campaign) == 20_00
    assert check_programme(programme).committed_cents == 20_00


def test_a_late_payment_to_a_failed_campaign_is_not_matched(neighbourhood):
    from campaigns.services.pledges import create_pledge, mark_paid

    campaign = make_initiative(neighbourhood, goal_cents=1_000_00)
    programme = FundingProgrammeFactory()
    approve_programme(campaign, programme)
    pledge, _attempt = create_pledge(campaign=campaign, amount_cents=10_00, guest_email="a@b.nl")
    settle_campaign(campaign_id=campaign.pk, now=timezone.now() + datetime.timedelta(days=40))

    mark_paid(pledge_id=pledge.pk, session_id="cs_late")

    assert not Match.objects.exists()
    assert check_programme(programme).spent_cents == 0


def test_paying_out_moves_committed_matches_to_paid_out(neighbourhood):
    from django.db import transaction

    from campaigns.services.locks import lock_campaign
    from campaigns.services.matching import pay_out_campaign_matches

    campaign = make_initiative(neighbourhood, goal_cents=20_00)
    programme = FundingProgrammeFactory()
    approve_programme(campaign, programme)
    pay(campaign, 10_00)
    settle_campaign(campaign_id=campaign.pk, now=timezone.now() + datetime.timedelta(days=40))

    with transaction.atomic():
        pay_out_campaign_matches(lock_campaign(campaign.pk))

    assert set(Match.objects.values_list("status", flat=True)) == {Match.Status.PAID_OUT}
    programme = check_programme(programme)
    assert (programme.committed_cents, programme.paid_out_cents) == (0, 10_00)
    assert committed_match_cents(campaign) == 0
