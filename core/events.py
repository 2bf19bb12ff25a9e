"""Events: what happened, announced by the app it happened in, handled by the apps above.

An event is a frozen dataclass with a class attribute ``name``; its fields are ids and
plain JSON values, never model instances::

    @dataclass(frozen=True)
    class PledgePaid(Event):
        name = "pledge.paid"
        pledge_id: int

A service calls ``announce(PledgePaid(pledge_id=pledge.pk))`` inside its transaction.
That writes one outbox row (:class:`core.models.Announcement`) in the same transaction,
and after commit queues its delivery (:mod:`core.outbox`), which runs every handler
registered with ``@subscribe(PledgePaid)``. A rolled-back change announces nothing; a
committed one is delivered, at least once, even if the broker or a worker fails.
"""

import dataclasses
import logging
from collections import defaultdict
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import timedelta
from functools import partial

from celery import current_app
from django.apps import apps
from django.db import transaction
from django.utils import timezone

logger = logging.getLogger(__name__)

DELIVERY_JOB = "core.jobs.deliver_announcement"
GRACE = timedelta(seconds=30)

REGISTRY = {}
_subscribers = defaultdict(list)
_muted = ContextVar("announcements_muted", default=False)


class Event:
    """Base of every event; subclasses register themselves under their ``name``."""

    name = ""

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if not cls.__dict__.get("name"):
            raise TypeError(f"{cls.__qualname__} needs a class attribute 'name'")
        known = REGISTRY.get(cls.name)
        if known is not None and known.__qualname__ != cls.__qualname__:
            raise TypeError(f"Two events are called {cls.name!r}: {known} and {cls}")
        REGISTRY[cls.name] = cls

    def payload(self):
        return dataclasses.asdict(self)

    @classmethod
    def from_payload(cls, payload):
        return cls(**payload)


def event_from(name, payload):
    """Rebuild an announced event from its outbox row's name and payload."""
    return REGISTRY[name].from_payload(payload)


def subscribe(event_class):
    """Register ``handler(event)`` for an event class, e.g. ``@subscribe(PledgePaid)``.

    Handlers may run more than once for one announcement (a redelivery after a crash),
    so they must be idempotent.
    """
    if not (isinstance(event_class, type) and issubclass(event_class, Event)):
        raise TypeError(f"subscribe() takes an Event class, not {event_class!r}")

    def register(handler):
        if handler not in _subscribers[event_class]:
            _subscribers[event_class].append(handler)
        return handler

    return register


def handlers_for(event_class):
    return list(_subscribers.get(event_class, ()))


def announce(event):
    """Record ``event`` in the outbox, in the caller's transaction; deliver it after commit.

    Returns the outbox row, or None when announcements are muted.
    """
    if not dataclasses.is_dataclass(event) or not isinstance(event, Event):
        raise TypeError(f"announce() takes an Event dataclass, not {event!r}")
    if _muted.get():
        return None
    announcement_model = apps.get_model("core", "Announcement")
    now = timezone.now()
    row = announcement_model.objects.create(
        name=event.name, payload=event.payload(), created_at=now, next_attempt_at=now + GRACE
    )
    transaction.on_commit(partial(enqueue_delivery, row.pk), robust=True)
    return row


def enqueue_delivery(announcement_id):
    """Queue the delivery job; if the broker is down the row waits for the sweep."""
    try:
        current_app.tasks[DELIVERY_JOB].delay(announcement_id)
    except Exception:
        logger.warning(
            "Could not queue announcement %s; the sweep will deliver it",
            announcement_id,
            exc_info=True,
        )


@contextmanager
def muted():
    """Announce nothing inside this block (the demo data's made-up people get no mail)."""
    token = _muted.set(True)
    try:
        yield
    finally:
        _muted.reset(token)


@dataclass(frozen=True)
class SpreadsheetExportReady(Event):
    """A staff member's CSV built in the background can be downloaded
    (:mod:`core.stored_exports`)."""

    name = "core.spreadsheet_export_ready"
    export_id: int
