"""Keep ``Campaign.raised_cents`` and ``supporter_count`` equal to the ledger.

Services call :func:`count_pledge` and :func:`uncount_pledge` inside the transaction that
changes a pledge, with the campaign row locked, so the cached totals move with the ledger.
:func:`ledger_totals` recomputes both from scratch, for reconciliation and for tests.
"""

from django.db import transaction

from campaigns.models import Pledge
from campaigns.services.locks import lock_campaign


def _other_support_exists(campaign, *, donor_id=None, email="", exclude_pledge_id=None):
    """Does this person already support the campaign in another counted way?"""
    from tasks.models import SignUp

    pledges = Pledge.objects.filter(campaign=campaign, status__in=Pledge.COUNTED_STATUSES)
    if exclude_pledge_id:
        pledges = pledges.exclude(pk=exclude_pledge_id)
    if donor_id:
        if pledges.filter(donor_id=donor_id).exists():
            return True
        return SignUp.objects.filter(
            task__initiative_id=campaign.page_id,
            user_id=donor_id,
            status__in=SignUp.ACTIVE_STATUSES,
        ).exists()
    return pledges.filter(donor__isnull=True, guest_email__iexact=email).exists()


def count_pledge(campaign, pledge):
    """Add a pledge that just became paid. The campaign must be locked by the caller."""
    campaign.raised_cents += pledge.amount_cents
    if not _other_support_exists(
        campaign, donor_id=pledge.donor_id, email=pledge.guest_email, exclude_pledge_id=pledge.pk
    ):
        campaign.supporter_count += 1
    campaign.save(update_fields=["raised_cents", "supporter_count"])


def uncount_pledge(campaign, pledge):
    """Remove a refunded pledge. The pledge's status must no longer be a counted one."""
    campaign.raised_cents -= pledge.amount_cents
    if not _other_support_exists(
        campaign, donor_id=pledge.donor_id, email=pledge.guest_email, exclude_pledge_id=pledge.pk
    ):
        campaign.supporter_count -= 1
    campaign.save(update_fields=["raised_cents", "supporter_count"])


def count_helper(campaign, user_id, *, exclude_signup_id=None):
    """Add a helper (a sign-up) unless that person already supports the campaign."""
    if not _is_supporter(campaign, user_id, exclude_signup_id=exclude_signup_id):
        campaign.supporter_count += 1
        campaign.save(update_fields=["supporter_count"])


def uncount_helper(campaign, user_id, *, exclude_signup_id):
    if not _is_supporter(campaign, user_id, exclude_signup_id=exclude_signup_id):
        campaign.supporter_count -= 1
        campaign.save(update_fields=["supporter_count"])


def _is_supporter(campaign, user_id, *, exclude_signup_id=None):
    from tasks.models import SignUp

    if Pledge.objects.filter(
        campaign=campaign, status__in=Pledge.COUNTED_STATUSES, donor_id=user_id
    ).exists():
        return True
    signups = SignUp.objects.filter(
        task__initiative_id=campaign.page_id, user_id=user_id, status__in=SignUp.ACTIVE_STATUSES
    )
    if exclude_signup_id:
        signups = signups.exclude(pk=exclude_signup_id)
    return signups.exists()


def ledger_totals(campaign):
    """Compute raised cents and distinct supporters from the ledger itself.

    A supporter is a person, counted once whether they donated (as a user or a guest
    e-mail), helped with a task, or both.
    """
    from tasks.models import SignUp

    pledges = Pledge.objects.filter(campaign=campaign, status__in=Pledge.COUNTED_STATUSES)
    raised = 0
    supporters = set()
    for amount, donor_id, email in pledges.values_list("amount_cents", "donor_id", "guest_email"):
        raised += amount
        supporters.add(f"user:{donor_id}" if donor_id else f"email:{email.lower()}")
    helper_ids = SignUp.objects.filter(
        task__initiative_id=campaign.page_id, status__in=SignUp.ACTIVE_STATUSES
    ).values_list("user_id", flat=True)
    supporters.update(f"user:{user_id}" for user_id in helper_ids)
    return raised, len(supporters)


@transaction.atomic
def recount_totals(*, campaign):
    """Set the cached totals to what the ledger says, under the campaign lock."""
    campaign = lock_campaign(campaign.pk)
    campaign.raised_cents, campaign.supporter_count = ledger_totals(campaign)
    campaign.save(update_fields=["raised_cents", "supporter_count"])
    return campaign
