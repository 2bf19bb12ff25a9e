"""Firing the declared state transitions (django-fsm-2) from services.

The state machines are declared on their models: a protected ``status`` field and one
``@transition`` method per named transition, whose body sets only the fields that move
with the state (a timestamp, say). Services lock the row, then call :func:`fire`, which
checks the transition is allowed from the current state, runs it, saves the row and
writes the audit entry, all inside the service's transaction. Nothing else assigns a
status.
"""

from django_fsm import can_proceed

from campaigns import audit
from campaigns.models import AuditEntry
from campaigns.services.errors import TransitionNotAllowed


def fire(
    obj,
    transition,
    *,
    action,
    actor=None,
    actor_label="",
    update_fields=(),
    amount_cents=None,
    message=None,
    **data,
):
    """Run ``obj.<transition>()``, save ``status`` and ``update_fields``, and audit it.

    Raises :class:`TransitionNotAllowed` (with ``message`` when given) if the transition
    does not start from the object's current state.
    """
    method = getattr(obj, transition)
    if not can_proceed(method):
        raise TransitionNotAllowed(message)
    from_state = obj.status
    method()
    obj.save(update_fields=["status", *update_fields])
    return audit.record(
        obj,
        action,
        actor=actor,
        actor_label=actor_label,
        from_state=from_state,
        to_state=obj.status,
        amount_cents=amount_cents,
        **data,
    )


def fire_many(objs, transition, *, action, actor=None, actor_label="", audit_data=None):
    """:func:`fire` for many locked rows of one model at once, in a few statements.

    Every object must allow the transition (else :class:`TransitionNotAllowed`, and nothing
    is saved); each runs its own ``@transition`` method and gets its own audit entry.
    ``audit_data(obj)`` gives each entry's ``amount_cents`` and data. The rows are saved
    with one ``bulk_update`` of ``status`` (the transitions used here move nothing else)
    and the entries with one ``bulk_create``.
    """
    objs = list(objs)
    for obj in objs:
        if not can_proceed(getattr(obj, transition)):
            raise TransitionNotAllowed()
    entries = []
    for obj in objs:
        from_state = obj.status
        getattr(obj, transition)()
        data = dict(audit_data(obj)) if audit_data else {}
        entries.append(
            audit.build(
                obj,
                action,
                actor=actor,
                actor_label=actor_label,
                from_state=from_state,
                to_state=obj.status,
                **data,
            )
        )
    if objs:
        type(objs[0]).objects.bulk_update(objs, ["status"], batch_size=1000)
        AuditEntry.objects.bulk_create(entries, batch_size=1000)
    return entries
