"""State changes of tasks, sign-ups and offers."""

from django.db import transaction

from campaigns import audit


@transaction.atomic
def save_task_edits(*, initiative, user, formset):
    """Apply an initiator's task formset: new and changed tasks, and deletions."""
    tasks = formset.save(commit=False)
    for position, task in enumerate(tasks):
        task.initiative_id = initiative.pk
        if task._state.adding:
            task.position = initiative.tasks.count() + position
        task.full_clean(exclude=["initiative"])
        task.save()
        audit.record(task, "task_saved", actor=user)
    for task in formset.deleted_objects:
        if task.initiative_id != initiative.pk:
            continue
        audit.record(task, "task_deleted", actor=user)
        task.delete()
    return tasks
