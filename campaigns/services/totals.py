"""Keep ``Campaign.raised_cents`` and ``supporter_count`` equal to the ledger.

A supporter is a person or organisation that donated, helped with a task or had an offer
accepted, counted once however many ways they support. Services call :func:`add_support`
and :func:`remove_support` inside the transaction that changes a pledge, sign-up or
offer, with the campaign row locked, so the cached totals always move with the ledger.
:func:`ledger_totals` recomputes both from scratch, for reconciliation and for tests.
"""

from django.db import transaction

from campaigns.events import CampaignMilestoneReached
from campaigns.models import Pledge
from campaigns.services.locks import lock_campaign
from core.events import announce


def _counted_pledges(campaign):
    return Pledge.objects.filter(campaign=campaign, status__in=Pledge.COUNTED_STATUSES)


def _active_signups(campaign):
    from tasks.models import SignUp

    return SignUp.objects.filter(
        task__initiative_id=campaign.page_id, status__in=SignUp.ACTIVE_STATUSES
    )


def _accepted_offers(campaign):
    from tasks.models import Offer

    return Offer.objects.filter(task__initiative_id=campaign.page_id, status=Offer.Status.ACCEPTED)


def _has_other_support(campaign, key, exclude):
    """Does ``key`` support the campaign in a way other than ``exclude`` (kind, pk)?"""
    kind, _, value = key.partition(":")
    excluded_kind, excluded_pk = exclude

    def without(queryset, own_kind):
        return queryset.exclude(pk=excluded_pk) if own_kind == excluded_kind else queryset

    if kind == "email":
        pledges = without(_counted_pledges(campaign), "pledge")
        return pledges.filter(donor__isnull=True, guest_email__iexact=value).exists()
    if kind == "org":
        offers = without(_accepted_offers(campaign), "offer")
        return offers.filter(organisation_id=value).exists()
    user_id = int(value)
    return (
        without(_counted_pledges(campaign), "pledge").filter(donor_id=user_id).exists()
        or without(_active_signups(campaign), "signup").filter(user_id=user_id).exists()
        or without(_accepted_offers(campaign), "offer")
        .filter(user_id=user_id, organisation__isnull=True)
        .exists()
    )


def forget_cached_page(campaign):
    from campaigns.caching import forget_initiative_page_on_commit

    forget_initiative_page_on_commit(campaign.page_id)


def add_support(campaign, key, source, *, raised_cents=0):
    """Count a new source of support (``source`` is (kind, pk)); the campaign is locked."""
    forget_cached_page(campaign)
    campaign.raised_cents += raised_cents
    if not _has_other_support(campaign, key, source):
        campaign.supporter_count += 1
    campaign.save(update_fields=["raised_cents", "supporter_count"])


def remove_support(campaign, key, source, *, raised_cents=0):
    """Uncount a source of support that no longer counts; the campaign is locked."""
    forget_cached_page(campaign)
    campaign.raised_cents -= raised_cents
    if not _has_other_support(campaign, key, source):
        campaign.supporter_count -= 1
    campaign.save(update_fields=["raised_cents", "supporter_count"])


MILESTONES = (50, 100)


def count_pledge(campaign, pledge):
    """Count a newly paid pledge, and announce the 50% and 100% milestones it crosses."""
    before = campaign.percentage
    add_support(
        campaign, pledge.supporter_key, ("pledge", pledge.pk), raised_cents=pledge.amount_cents
    )
    for milestone in MILESTONES:
        if before < milestone <= campaign.percentage:
            announce(CampaignMilestoneReached(campaign_id=campaign.pk, percent=milestone))


def uncount_pledge(campaign, pledge):
    remove_support(
        campaign, pledge.supporter_key, ("pledge", pledge.pk), raised_cents=pledge.amount_cents
    )


def distinct_supporters(campaigns):
    """People and organisations supporting any of these campaigns, each counted once."""
    from tasks.models import Offer, SignUp

    page_ids = [campaign.page_id for campaign in campaigns]
    keys = set()
    for donor_id, email in Pledge.objects.filter(
        campaign__in=campaigns, status__in=Pledge.COUNTED_STATUSES
    ).values_list("donor_id", "guest_email"):
        keys.add(f"user:{donor_id}" if donor_id else f"email:{email.lower()}")
    keys.update(
        f"user:{user_id}"
        for user_id in SignUp.objects.filter(
            task__initiative_id__in=page_ids, status__in=SignUp.ACTIVE_STATUSES
        ).values_list("user_id", flat=True)
    )
    for user_id, organisation_id in Offer.objects.filter(
        task__initiative_id__in=page_ids, status=Offer.Status.ACCEPTED
    ).values_list("user_id", "organisation_id"):
        keys.add(f"org:{organisation_id}" if organisation_id else f"user:{user_id}")
    return len(keys)


def ledger_totals(campaign):
    """Raised cents and distinct supporters, computed from the ledger itself."""
    raised = 0
    supporters = set()
    for amount, donor_id, email in _counted_pledges(campaign).values_list(
        "amount_cents", "donor_id", "guest_email"
    ):
        raised += amount
        supporters.add(f"user:{donor_id}" if donor_id else f"email:{email.lower()}")
    supporters.update(
        f"user:{user_id}" for user_id in _active_signups(campaign).values_list("user_id", flat=True)
    )
    for user_id, organisation_id in _accepted_offers(campaign).values_list(
        "user_id", "organisation_id"
    ):
        supporters.add(f"org:{organisation_id}" if organisation_id else f"user:{user_id}")
    return raised, len(supporters)


@transaction.atomic
def recount_totals(*, campaign):
    """Set the cached totals to what the ledger says, under the campaign lock."""
    campaign = lock_campaign(campaign.pk)
    forget_cached_page(campaign)
    campaign.raised_cents, campaign.supporter_count = ledger_totals(campaign)
    campaign.save(update_fields=["raised_cents", "supporter_count"])
    return campaign
