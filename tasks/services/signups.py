"""Neighbours sign up for hands and skill tasks, withdraw, and get their hours confirmed."""

from decimal import Decimal

from django.db import IntegrityError, transaction
from django.template.defaultfilters import floatformat
from django.utils.translation import gettext_lazy as _

from campaigns import audit
from campaigns.audit import Action
from campaigns.caching import forget_initiative_page_on_commit
from campaigns.models import Campaign, DigestItem
from campaigns.services.errors import ServiceError
from campaigns.services.totals import add_support, remove_support
from campaigns.services.updates import add_digest_item
from campaigns.state import fire
from core.events import announce
from tasks.events import SignedUp, SignUpWithdrawn
from tasks.models import SignUp, Task
from tasks.services.common import (
    TaskClosed,
    TaskFull,
    has_started,
    lock_task,
    refresh_fullness,
    taken_places,
)

UNUSUAL_HOURS_FACTOR = 2


class HoursNeedConfirmation(ServiceError):
    """The hours are far above the task's estimate and were not confirmed as right."""


def is_unusual_hours(task, hours):
    """More hours than ``UNUSUAL_HOURS_FACTOR`` times the task's estimate (if it has one)."""
    estimate = task.estimated_hours
    return bool(estimate) and Decimal(hours) > UNUSUAL_HOURS_FACTOR * estimate


@transaction.atomic
def sign_up(*, task, user, note=""):
    """Sign a neighbour up for a hands or skill task, refusing when it is full or closed."""
    campaign, task = lock_task(task.pk)
    if campaign.status != Campaign.Status.LIVE:
        raise TaskClosed(_("This initiative is not looking for helpers right now."))
    if task.kind not in Task.PEOPLE_KINDS:
        raise TaskClosed(_("For this task you can make an offer instead."))
    if task.is_done:
        raise TaskClosed(_("This task is already done."))
    if has_started(task):
        raise TaskClosed(_("This task has already started."))
    existing = SignUp.objects.select_for_update().filter(task=task, user=user).first()
    if existing is not None and existing.is_active:
        raise TaskClosed(_("You are already signed up for this task."))
    if taken_places(task) >= task.people_needed:
        raise TaskFull()
    if existing is None:
        try:
            with transaction.atomic():
                signup = SignUp.objects.create(task=task, user=user, note=note)
        except IntegrityError as error:
            raise TaskClosed(_("You are already signed up for this task.")) from error
        audit.record(signup, Action.SIGNED_UP, actor=user, to_state=signup.status)
    else:
        signup = existing
        signup.note = note
        fire(signup, "sign_up_again", action=Action.SIGNED_UP, actor=user, update_fields=["note"])
    add_support(campaign, f"user:{user.pk}", ("signup", signup.pk))
    refresh_fullness(task, user)
    add_digest_item(
        campaign_id=campaign.pk,
        kind=DigestItem.Kind.SIGNUP,
        object_id=signup.pk,
        summary=f"{user.public_name}: {task.title}",
    )
    announce(SignedUp(signup_id=signup.pk))
    return signup


@transaction.atomic
def withdraw(*, signup, user):
    campaign, task = lock_task(signup.task_id)
    signup = SignUp.objects.select_for_update().get(pk=signup.pk)
    if signup.user_id != user.pk:
        raise TaskClosed(_("You can only withdraw your own sign-up."))
    if not signup.is_signed_up:
        raise TaskClosed(_("This sign-up cannot be withdrawn any more."))
    if has_started(task):
        raise TaskClosed(_("This task has already started; contact the initiators instead."))
    fire(signup, "withdraw", action=Action.SIGNUP_WITHDRAWN, actor=user)
    remove_support(campaign, f"user:{user.pk}", ("signup", signup.pk))
    refresh_fullness(task, user)
    add_digest_item(
        campaign_id=campaign.pk,
        kind=DigestItem.Kind.WITHDRAWAL,
        object_id=signup.pk,
        summary=f"{user.public_name}: {task.title}",
    )
    announce(SignUpWithdrawn(signup_id=signup.pk))
    return signup


@transaction.atomic
def confirm_hours(*, signup, hours, user, unusual_confirmed=False):
    """The initiator confirms how long a helper worked; the sign-up is then done.

    More than ``UNUSUAL_HOURS_FACTOR`` times the task's estimate is often a typo (40 for
    4.0), so it is saved only when the initiator confirmed it (``unusual_confirmed``).
    """
    if hours is None or Decimal(hours) < 0 or Decimal(hours) > 1000:
        raise ServiceError(_("Enter the hours as a number between 0 and 1000."))
    campaign, task = lock_task(signup.task_id)
    signup = SignUp.objects.select_for_update().get(pk=signup.pk)
    if signup.is_withdrawn:
        raise ServiceError(_("This helper has withdrawn."))
    if is_unusual_hours(task, hours) and not unusual_confirmed:
        raise HoursNeedConfirmation(
            _(
                "%(hours)s hours is more than twice the estimate of %(estimate)s hours. "
                "Check the number; if it is right, tick “Yes, this is right” and confirm again."
            )
            % {"hours": floatformat(hours, -1), "estimate": floatformat(task.estimated_hours, -1)}
        )
    forget_initiative_page_on_commit(task.initiative_id)
    signup.hours_confirmed = Decimal(hours)
    fire(
        signup,
        "complete",
        action=Action.HOURS_CONFIRMED,
        actor=user,
        update_fields=["hours_confirmed"],
        hours=str(signup.hours_confirmed),
    )
    return signup


def release_signup(campaign, signup, actor=None):
    """Withdraw an active sign-up whose task or helper is being deleted, and un-count it.

    The caller holds the campaign and task locks and has locked ``signup``.
    """
    if not signup.is_active:
        return
    fire(signup, "release", action=Action.SIGNUP_RELEASED, actor=actor)
    remove_support(campaign, f"user:{signup.user_id}", ("signup", signup.pk))
