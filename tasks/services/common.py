"""What the task services share: refusals, the lock order and how full a task is."""

from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campaigns.audit import Action
from campaigns.caching import forget_initiative_page_on_commit
from campaigns.models import Campaign
from campaigns.services.errors import ServiceError
from campaigns.services.locks import lock_campaign
from campaigns.state import fire
from tasks.models import Offer, SignUp, Task


class TaskFull(ServiceError):
    default_message = _("This task is full. Thank you for wanting to help!")


class TaskClosed(ServiceError):
    default_message = _("You can no longer sign up for this task.")


class OfferNotAllowed(ServiceError):
    default_message = _("This offer is not possible.")


def lock_initiative(page_id):
    """Lock the campaign of an initiative page (the first lock of every task service)."""
    return lock_campaign(Campaign.objects.values_list("pk", flat=True).get(page_id=page_id))


def lock_task(task_id):
    """Lock the task's campaign, then the task (the platform's fixed lock order)."""
    page_id = Task.objects.values_list("initiative_id", flat=True).get(pk=task_id)
    campaign = lock_initiative(page_id)
    task = Task.objects.select_for_update().get(pk=task_id)
    return campaign, task


def has_started(task, now=None):
    return task.starts_at is not None and task.starts_at <= (now or timezone.now())


def taken_places(task):
    """Helpers signed up plus the quantities of accepted offers (a helper is one place; an
    offer of 6 of the 10 planks needed covers 6)."""
    helpers = task.signups.filter(status__in=SignUp.ACTIVE_STATUSES).count()
    given = task.offers.filter(status=Offer.Status.ACCEPTED).aggregate(total=Sum("quantity"))
    return helpers + (given["total"] or 0)


def still_needed(task):
    """How many places or units of a task are not covered yet (never below zero)."""
    return max(task.people_needed - taken_places(task), 0)


def refresh_fullness(task, actor=None):
    """Fill or reopen a locked task after its places or its need changed."""
    if task.is_done:
        return
    full = taken_places(task) >= task.people_needed
    if full and task.is_open:
        forget_initiative_page_on_commit(task.initiative_id)
        fire(task, "fill", action=Action.TASK_FILLED, actor=actor)
    elif not full and task.is_full:
        forget_initiative_page_on_commit(task.initiative_id)
        fire(task, "reopen", action=Action.TASK_REOPENED, actor=actor)
