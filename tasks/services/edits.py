"""Initiators create, change, complete and delete tasks.

Every function locks the campaign before its first write (then the task, then its
sign-ups and offers), so an edit never races a sign-up into a deadlock or a stale count.
"""

from django.db import transaction

from campaigns import audit
from campaigns.audit import Action
from campaigns.caching import forget_initiative_page_on_commit
from campaigns.state import fire
from core.events import announce
from tasks.events import TaskCancelled, TaskChanged
from tasks.models import Offer, SignUp, Task
from tasks.services.common import lock_initiative, lock_task, refresh_fullness
from tasks.services.offers import release_offer
from tasks.services.signups import release_signup


def _create(task, user, position):
    task.position = position
    task.full_clean(exclude=["initiative"])
    task.save()
    audit.record(task, Action.TASK_CREATED, actor=user)
    return task


def _change(edited, user, initiative_id):
    """Copy the initiator's edits onto the locked task, save them and refill it.

    The edited instance was read before the locks, so its status may be stale: only
    the fields the initiator edits are written.
    """
    task = Task.objects.select_for_update().get(pk=edited.pk, initiative_id=initiative_id)
    for name in Task.EDITABLE_FIELDS:
        setattr(task, name, getattr(edited, name))
    task.full_clean()
    task.save(update_fields=Task.EDITABLE_FIELDS)
    entry = audit.record(task, Action.TASK_SAVED, actor=user)
    refresh_fullness(task, user)
    announce(TaskChanged(task_id=task.pk, version=entry.pk))
    return task


@transaction.atomic
def save_task_edits(*, initiative, user, formset):
    """Apply an initiator's task formset: new and changed tasks, and deletions."""
    campaign = lock_initiative(initiative.pk)
    forget_initiative_page_on_commit(initiative.pk)
    edited = formset.save(commit=False)
    saved = []
    first_position = initiative.tasks.count()
    for offset, task in enumerate(edited):
        if task.pk is None:
            task.initiative_id = initiative.pk
            saved.append(_create(task, user, first_position + offset))
        else:
            saved.append(_change(task, user, initiative.pk))
    for task in formset.deleted_objects:
        if task.initiative_id == initiative.pk:
            _delete_locked(campaign, Task.objects.select_for_update().get(pk=task.pk), user)
    return saved


@transaction.atomic
def save_task(*, task, user):
    """Create or change one task (from the task management page)."""
    if task.pk is None:
        lock_initiative(task.initiative_id)
        forget_initiative_page_on_commit(task.initiative_id)
        position = Task.objects.filter(initiative_id=task.initiative_id).count()
        return _create(task, user, position)
    lock_task(task.pk)
    forget_initiative_page_on_commit(task.initiative_id)
    return _change(task, user, task.initiative_id)


@transaction.atomic
def mark_task_done(*, task, user):
    campaign, task = lock_task(task.pk)
    if task.is_done:
        return task
    forget_initiative_page_on_commit(task.initiative_id)
    fire(task, "complete", action=Action.TASK_DONE, actor=user)
    return task


@transaction.atomic
def delete_task(*, task, user):
    """Delete a task: its helpers are told, and its sign-ups and offers stop counting."""
    campaign, task = lock_task(task.pk)
    _delete_locked(campaign, task, user)


def _delete_locked(campaign, task, user):
    forget_initiative_page_on_commit(task.initiative_id)
    audit.record(task, Action.TASK_DELETED, actor=user)
    _announce_cancellation(task)
    for signup in SignUp.objects.select_for_update().filter(task=task).order_by("pk"):
        release_signup(campaign, signup, actor=user)
    for offer in Offer.objects.select_for_update().filter(task=task).order_by("pk"):
        release_offer(campaign, offer, actor=user)
    task.delete()


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
