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
