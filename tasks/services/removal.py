"""Deleting sign-ups, offers and a person's support, without leaving the totals behind.

A row deleted by a cascade is never un-counted, so these services withdraw the support
through its transition (which un-counts it) under the usual locks before deleting.
"""

from django.db import transaction

from campaigns.caching import forget_initiative_page_on_commit
from tasks.models import Offer, SignUp
from tasks.services.common import lock_task, refresh_fullness
from tasks.services.offers import release_offer
from tasks.services.signups import release_signup


@transaction.atomic
def delete_signup(*, signup, user=None):
    """Delete a sign-up (staff clean-up): un-count it and free its place first."""
    campaign, task = lock_task(signup.task_id)
    signup = SignUp.objects.select_for_update().get(pk=signup.pk)
    release_signup(campaign, signup, actor=user)
    signup.delete()
    refresh_fullness(task, user)
    forget_initiative_page_on_commit(task.initiative_id)


@transaction.atomic
def delete_offer(*, offer, user=None):
    """Delete an offer (staff clean-up): an accepted offer is un-counted first."""
    campaign = task = None
    if offer.task_id is not None:
        campaign, task = lock_task(offer.task_id)
    offer = Offer.objects.select_for_update().get(pk=offer.pk)
    release_offer(campaign, offer, actor=user)
    offer.delete()
    if task is not None:
        refresh_fullness(task, user)
        forget_initiative_page_on_commit(task.initiative_id)


@transaction.atomic
def release_user_support(user, *, actor=None):
    """Withdraw everything ``user`` gives in time or kind, before the account is deleted.

    Sign-ups and offers are deleted with their user by a cascade that would leave them
    counted in ``supporter_count``. Account deletion must call this first, in the same
    transaction. Tasks are visited in (initiative, task) order, so the campaign locks are
    always taken in one order.
    """
    task_ids = sorted(
        set(
            SignUp.objects.filter(user=user, status__in=SignUp.ACTIVE_STATUSES).values_list(
                "task__initiative_id", "task_id"
            )
        )
        | set(
            Offer.objects.filter(
                user=user,
                task__isnull=False,
                status__in=[Offer.Status.REQUESTED, Offer.Status.OFFERED, Offer.Status.ACCEPTED],
            ).values_list("task__initiative_id", "task_id")
        )
    )
    for _page_id, task_id in task_ids:
        campaign, task = lock_task(task_id)
        for signup in SignUp.objects.select_for_update().filter(task=task, user=user):
            release_signup(campaign, signup, actor=actor)
        for offer in Offer.objects.select_for_update().filter(task=task, user=user).order_by("pk"):
            release_offer(campaign, offer, actor=actor)
        refresh_fullness(task, actor)
        forget_initiative_page_on_commit(task.initiative_id)
    standing = Offer.objects.select_for_update().filter(
        user=user, task__isnull=True, status__in=[Offer.Status.OFFERED, Offer.Status.PAUSED]
    )
    for offer in standing.order_by("pk"):
        release_offer(None, offer, actor=actor)
