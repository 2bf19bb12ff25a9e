"""State changes of tasks, sign-ups and offers.

Each function runs in one transaction and locks the campaign, then the task, before it
counts anything, so a task never gets more helpers than it needs, however many people
click at once. What happened is announced (``tasks.events``) in the same transaction.
"""

from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campaigns import audit
from campaigns.caching import forget_initiative_page_on_commit
from campaigns.models import Campaign, DigestItem
from campaigns.services.errors import ServiceError
from campaigns.services.locks import lock_campaign
from campaigns.services.totals import add_support, remove_support
from campaigns.services.updates import add_digest_item
from core.events import announce
from tasks.events import (
    OfferDecided,
    OfferRequested,
    SignedUp,
    SignUpWithdrawn,
    TaskCancelled,
    TaskChanged,
)
from tasks.models import Offer, SignUp, Task


class TaskFull(ServiceError):
    default_message = _("This task is full. Thank you for wanting to help!")


class TaskClosed(ServiceError):
    default_message = _("You can no longer sign up for this task.")


class OfferNotAllowed(ServiceError):
    default_message = _("This offer is not possible.")


def _lock_task(task_id):
    """Lock the task's campaign, then the task (the platform's fixed lock order)."""
    page_id = Task.objects.values_list("initiative_id", flat=True).get(pk=task_id)
    campaign = lock_campaign(Campaign.objects.values_list("pk", flat=True).get(page_id=page_id))
    task = Task.objects.select_for_update().get(pk=task_id)
    return campaign, task


def _has_started(task, now=None):
    return task.starts_at is not None and task.starts_at <= (now or timezone.now())


def _set_status(task, status, actor=None, action="task_status"):
    if task.status == status:
        return
    forget_initiative_page_on_commit(task.initiative_id)
    audit.record(task, action, actor=actor, from_state=task.status, to_state=status)
    task.status = status
    task.save(update_fields=["status"])


def _taken_places(task):
    """Helpers signed up plus accepted offers: each covers one place or unit."""
    helpers = task.signups.filter(status__in=SignUp.ACTIVE_STATUSES).count()
    return helpers + task.offers.filter(status=Offer.Status.ACCEPTED).count()


def _refresh_fullness(task, actor=None):
    if task.status == Task.Status.DONE:
        return
    full = _taken_places(task) >= task.people_needed
    _set_status(task, Task.Status.FULL if full else Task.Status.OPEN, actor)


@transaction.atomic
def save_task_edits(*, initiative, user, formset):
    """Apply an initiator's task formset: new and changed tasks, and deletions."""
    forget_initiative_page_on_commit(initiative.pk)
    tasks = formset.save(commit=False)
    for position, task in enumerate(tasks):
        creating = task._state.adding
        task.initiative_id = initiative.pk
        if creating:
            task.position = initiative.tasks.count() + position
        task.full_clean(exclude=["initiative"])
        task.save()
        entry = audit.record(task, "task_created" if creating else "task_saved", actor=user)
        if not creating:
            announce(TaskChanged(task_id=task.pk, version=entry.pk))
    for task in formset.deleted_objects:
        if task.initiative_id != initiative.pk:
            continue
        audit.record(task, "task_deleted", actor=user)
        _announce_cancellation(task)
        task.delete()
    return tasks


def _announce_cancellation(task):
    helpers = SignUp.objects.filter(task=task, status=SignUp.Status.SIGNED_UP).select_related(
        "user"
    )
    recipients = [
        (signup.user.email.lower(), signup.user.preferred_language, signup.user.public_name)
        for signup in helpers
    ]
    if recipients:
        announce(
            TaskCancelled(
                task_id=task.pk,
                title=task.title,
                page_title=task.initiative.title,
                recipients=recipients,
            )
        )


@transaction.atomic
def save_task(*, task, user):
    """Create or change one task (from the task management page)."""
    forget_initiative_page_on_commit(task.initiative_id)
    creating = task.pk is None
    if creating:
        task.position = Task.objects.filter(initiative_id=task.initiative_id).count()
    task.full_clean()
    task.save()
    entry = audit.record(task, "task_created" if creating else "task_saved", actor=user)
    if not creating:
        campaign, task = _lock_task(task.pk)
        _refresh_fullness(task, user)
        announce(TaskChanged(task_id=task.pk, version=entry.pk))
    return task


@transaction.atomic
def sign_up(*, task, user, note=""):
    """Sign a neighbour up for a hands or skill task, refusing when it is full or closed."""
    campaign, task = _lock_task(task.pk)
    if campaign.status != Campaign.Status.LIVE:
        raise TaskClosed(_("This initiative is not looking for helpers right now."))
    if task.kind not in Task.PEOPLE_KINDS:
        raise TaskClosed(_("For this task you can make an offer instead."))
    if task.status == Task.Status.DONE:
        raise TaskClosed(_("This task is already done."))
    if _has_started(task):
        raise TaskClosed(_("This task has already started."))
    existing = SignUp.objects.filter(task=task, user=user).first()
    if existing is not None and existing.status in SignUp.ACTIVE_STATUSES:
        raise TaskClosed(_("You are already signed up for this task."))
    if _taken_places(task) >= task.people_needed:
        raise TaskFull()
    if existing is None:
        try:
            with transaction.atomic():
                signup = SignUp.objects.create(task=task, user=user, note=note)
        except IntegrityError as error:
            raise TaskClosed(_("You are already signed up for this task.")) from error
    else:
        signup = existing
        signup.status = SignUp.Status.SIGNED_UP
        signup.note = note
        signup.save(update_fields=["status", "note"])
    audit.record(signup, "signed_up", actor=user, to_state=signup.status)
    add_support(campaign, f"user:{user.pk}", ("signup", signup.pk))
    _refresh_fullness(task, user)
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
    campaign, task = _lock_task(signup.task_id)
    signup = SignUp.objects.select_for_update().get(pk=signup.pk)
    if signup.user_id != user.pk:
        raise TaskClosed(_("You can only withdraw your own sign-up."))
    if signup.status != SignUp.Status.SIGNED_UP:
        raise TaskClosed(_("This sign-up cannot be withdrawn any more."))
    if _has_started(task):
        raise TaskClosed(_("This task has already started; contact the initiators instead."))
    signup.status = SignUp.Status.WITHDRAWN
    signup.save(update_fields=["status"])
    audit.record(signup, "withdrawn", actor=user, from_state="signed_up", to_state="withdrawn")
    remove_support(campaign, f"user:{user.pk}", ("signup", signup.pk))
    _refresh_fullness(task, user)
    add_digest_item(
        campaign_id=campaign.pk,
        kind=DigestItem.Kind.WITHDRAWAL,
        object_id=signup.pk,
        summary=f"{user.public_name}: {task.title}",
    )
    announce(SignUpWithdrawn(signup_id=signup.pk))
    return signup


@transaction.atomic
def mark_task_done(*, task, user):
    campaign, task = _lock_task(task.pk)
    _set_status(task, Task.Status.DONE, user, action="task_done")
    return task


@transaction.atomic
def confirm_hours(*, signup, hours, user):
    """The initiator confirms how long a helper worked; the sign-up is then done."""
    if hours is None or Decimal(hours) < 0 or Decimal(hours) > 1000:
        raise ServiceError(_("Enter the hours as a number between 0 and 1000."))
    campaign, task = _lock_task(signup.task_id)
    signup = SignUp.objects.select_for_update().get(pk=signup.pk)
    if signup.status == SignUp.Status.WITHDRAWN:
        raise ServiceError(_("This helper has withdrawn."))
    from_status = signup.status
    forget_initiative_page_on_commit(task.initiative_id)
    signup.hours_confirmed = Decimal(hours)
    signup.status = SignUp.Status.DONE
    signup.save(update_fields=["hours_confirmed", "status"])
    audit.record(
        signup,
        "hours_confirmed",
        actor=user,
        from_state=from_status,
        to_state=signup.status,
        hours=str(signup.hours_confirmed),
    )
    return signup


def _check_offer_kind(task, kind):
    if task.kind not in (Task.Kind.SPACE, Task.Kind.MATERIAL):
        raise OfferNotAllowed(
            _("This task asks for helpers, not for space or material. Sign up instead.")
        )
    if kind != task.kind:
        raise OfferNotAllowed(
            _("This task needs %(kind)s; your offer is of another kind.")
            % {"kind": task.get_kind_display().lower()}
        )


@transaction.atomic
def make_offer(
    *, task, user, organisation=None, kind, description, availability="", estimated_value_cents=0
):
    """A resident or an organisation offers space or material for a task."""
    campaign, task = _lock_task(task.pk)
    if campaign.status != Campaign.Status.LIVE:
        raise OfferNotAllowed(_("This initiative is not looking for offers right now."))
    if task.status == Task.Status.DONE:
        raise OfferNotAllowed(_("This task is already done."))
    _check_offer_kind(task, kind)
    offer = _create_offer(
        "offered",
        task=task,
        user=user,
        organisation=organisation,
        kind=kind,
        description=description,
        availability=availability,
        estimated_value_cents=estimated_value_cents,
    )
    add_digest_item(
        campaign_id=campaign.pk,
        kind=DigestItem.Kind.OFFER,
        object_id=offer.pk,
        summary=f"{offer.giver_name}: {offer.description}",
    )
    return offer


def _create_offer(action, *, user, organisation, **fields):
    """Validate and store an offer made by ``user``, alone or for their organisation."""
    if organisation is not None and not organisation.members.filter(pk=user.pk).exists():
        raise OfferNotAllowed(_("You can only offer on behalf of your own organisation."))
    offer = Offer(user=user, organisation=organisation, **fields)
    offer.full_clean()
    offer.save()
    audit.record(
        offer, action, actor=user, to_state=offer.status, amount_cents=offer.estimated_value_cents
    )
    return offer


@transaction.atomic
def decide_offer(*, offer, accept, user):
    """The initiator accepts or declines an offer; an accepted offer covers the task."""
    campaign, task = _lock_task(offer.task_id)
    offer = Offer.objects.select_for_update().get(pk=offer.pk)
    if offer.status != Offer.Status.OFFERED:
        raise OfferNotAllowed(_("This offer was already answered."))
    to_status = Offer.Status.ACCEPTED if accept else Offer.Status.DECLINED
    offer.status = to_status
    offer.decided_at = timezone.now()
    offer.save(update_fields=["status", "decided_at"])
    audit.record(
        offer,
        "offer_" + to_status,
        actor=user,
        from_state="offered",
        to_state=to_status,
        amount_cents=offer.estimated_value_cents,
    )
    if accept:
        add_support(campaign, offer.supporter_key, ("offer", offer.pk))
        _refresh_fullness(task, user)
    announce(OfferDecided(offer_id=offer.pk))
    return offer


@transaction.atomic
def withdraw_offer(*, offer, user):
    offer = Offer.objects.select_for_update().get(pk=offer.pk)
    if offer.user_id != user.pk:
        raise OfferNotAllowed(_("You can only withdraw your own offer."))
    if offer.status != Offer.Status.OFFERED:
        raise OfferNotAllowed(_("An offer that was already answered cannot be withdrawn."))
    offer.status = Offer.Status.WITHDRAWN
    offer.save(update_fields=["status"])
    audit.record(offer, "offer_withdrawn", actor=user, from_state="offered", to_state="withdrawn")
    return offer


@transaction.atomic
def list_standing_offer(
    *,
    neighbourhood,
    user,
    organisation=None,
    kind,
    description,
    availability="",
    estimated_value_cents=0,
):
    """What a neighbourhood has: a space, materials or a skill anyone can ask for."""
    return _create_offer(
        "standing_offer_listed",
        neighbourhood=neighbourhood,
        user=user,
        organisation=organisation,
        kind=kind,
        description=description,
        availability=availability,
        estimated_value_cents=estimated_value_cents,
    )


def matching_standing_offers(task):
    """Standing offers of the task's kind in its initiative's neighbourhood."""
    if task.kind not in (Task.Kind.SPACE, Task.Kind.MATERIAL, Task.Kind.SKILL):
        return Offer.objects.none()
    neighbourhood = task.initiative.get_parent()
    return Offer.objects.filter(
        task__isnull=True,
        neighbourhood_id=neighbourhood.pk,
        kind=task.kind,
        status=Offer.Status.OFFERED,
    ).select_related("organisation", "user")


@transaction.atomic
def request_standing_offer(*, task, standing_offer, user):
    """Ask a standing offer for a task: it becomes an offer on the task, to accept."""
    campaign, task = _lock_task(task.pk)
    if standing_offer.task_id is not None or standing_offer.kind != task.kind:
        raise OfferNotAllowed()
    if Offer.objects.filter(task=task, standing_offer=standing_offer).exists():
        raise OfferNotAllowed(_("You already asked for this offer."))
    offer = Offer.objects.create(
        task=task,
        standing_offer=standing_offer,
        user=standing_offer.user,
        organisation=standing_offer.organisation,
        kind=standing_offer.kind,
        description=standing_offer.description,
        availability=standing_offer.availability,
        estimated_value_cents=standing_offer.estimated_value_cents,
    )
    audit.record(offer, "standing_offer_requested", actor=user, to_state=offer.status)
    announce(OfferRequested(offer_id=offer.pk))
    return offer
