"""What happens at a campaign's deadline."""

from django.db import transaction
from django.utils import timezone

from campaigns.audit import Action
from campaigns.events import CampaignSettled
from campaigns.models import Campaign, FundingModel, Pledge, Refund
from campaigns.services.locks import lock_campaign, lock_programmes
from campaigns.services.matching import (
    commit_campaign_matches,
    goal_match_cents,
    release_campaign_matches,
)
from campaigns.services.signals import refunds_requested
from campaigns.services.totals import forget_cached_page
from campaigns.state import fire, fire_many
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
    """Refund every paid pledge of a locked campaign in one step; returns the refunds.

    The caller holds the campaign's lock (and its programmes'); the pledges are locked
    here, in id order, so the lock order holds. What ``request_refund`` does for one
    pledge is done for all in a few statements, however many there are: each pledge gets
    its own pending refund (sequence 1, key ``refund-<pledge id>``), its declared
    ``request_refund`` transition and its own audit entry. After the commit the gateway
    is asked for each refund by its own job (``refunds_requested``).
    """
    pledges = list(
        Pledge.objects.select_for_update()
        .filter(campaign=campaign, status=Pledge.Status.PAID)
        .order_by("pk")
    )
    if not pledges:
        return []
    existing = {
        refund.pledge_id: refund for refund in Refund.objects.filter(pledge__in=pledges, sequence=1)
    }
    new = Refund.objects.bulk_create(
        [
            Refund(
                pledge=pledge,
                sequence=1,
                amount_cents=pledge.amount_cents,
                currency=pledge.currency,
                idempotency_key=Refund.key_for(pledge.pk, 1),
                reason=reason,
            )
            for pledge in pledges
            if pledge.pk not in existing
        ],
        batch_size=1000,
    )
    fire_many(
        pledges,
        "request_refund",
        action=Action.REFUND_REQUESTED,
        actor=actor,
        audit_data=lambda pledge: {"amount_cents": pledge.amount_cents, "reason": reason},
    )
    refunds = sorted([*existing.values(), *new], key=lambda refund: refund.pledge_id)
    refund_ids = [refund.pk for refund in refunds]
    transaction.on_commit(
        lambda: refunds_requested.send(sender=Refund, refund_ids=refund_ids), robust=True
    )
    return refunds


def due_campaign_ids(now=None):
    today = timezone.localdate(now or timezone.now())
    return list(
        Campaign.objects.filter(status=Campaign.Status.LIVE, page__deadline__lt=today).values_list(
            "pk", flat=True
        )
    )
