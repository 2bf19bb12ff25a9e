"""What happens at a campaign's deadline."""

from django.db import transaction
from django.utils import timezone

from campaigns.audit import Action
from campaigns.events import CampaignSettled
from campaigns.models import Campaign, FundingModel, Pledge
from campaigns.services.locks import lock_campaign, lock_programmes
from campaigns.services.matching import (
    commit_campaign_matches,
    goal_match_cents,
    release_campaign_matches,
)
from campaigns.services.pledges import request_refund
from campaigns.services.totals import forget_cached_page
from campaigns.state import fire
from core.events import announce


@transaction.atomic
def settle_campaign(*, campaign_id, now=None):
    """Close a live campaign whose deadline has passed.

    Goal met: succeeded. Goal missed under all-or-nothing: failed, its matches are
    released and every paid pledge is refunded. Goal missed under keep-what-you-raise:
    succeeded with what was raised. A succeeded campaign commits its matches. Matched
    money of programmes that count it toward the goal is added to the donations to
    decide whether the goal was met.
    """
    campaign = lock_campaign(campaign_id)
    now = now or timezone.now()
    if campaign.status != Campaign.Status.LIVE or now <= campaign.deadline_at:
        return campaign
    lock_programmes(campaign.pk)
    page = campaign.page
    goal_met = campaign.raised_cents + goal_match_cents(campaign) >= page.goal_cents
    if goal_met or page.funding_model == FundingModel.KEEP_WHAT_YOU_RAISE:
        transition, action = "succeed", Action.CAMPAIGN_SUCCEEDED
    else:
        transition, action = "fail", Action.CAMPAIGN_FAILED
    fire(
        campaign,
        transition,
        action=action,
        actor_label="deadline",
        update_fields=["closed_at"],
        amount_cents=campaign.raised_cents,
        goal_cents=page.goal_cents,
    )
    forget_cached_page(campaign)
    announce(CampaignSettled(campaign_id=campaign.pk, status=campaign.status))
    if campaign.status == Campaign.Status.SUCCEEDED:
        commit_campaign_matches(campaign)
    else:
        release_campaign_matches(campaign, actor_label="deadline")
    if campaign.status == Campaign.Status.FAILED:
        refund_paid_pledges(campaign, reason="campaign_not_funded")
    return campaign


def refund_paid_pledges(campaign, *, reason, actor=None):
    """Refund every paid pledge of a locked campaign, pledges locked in id order."""
    paid = Pledge.objects.filter(campaign=campaign, status=Pledge.Status.PAID).order_by("pk")
    for pledge in paid:
        request_refund(pledge=pledge, actor=actor, reason=reason)


def due_campaign_ids(now=None):
    today = timezone.localdate(now or timezone.now())
    return list(
        Campaign.objects.filter(status=Campaign.Status.LIVE, page__deadline__lt=today).values_list(
            "pk", flat=True
        )
    )
