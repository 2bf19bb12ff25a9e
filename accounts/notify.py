"""The single place from which the platform's messages fire.

Services call :func:`notify` inside their transaction; handlers run after commit, so a
rolled-back change never sends anything. Message classes register themselves as
handlers for the events they care about (see ``accounts.notifications``).
"""

import logging
from collections import defaultdict
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import timedelta
from time import monotonic

from django.db import transaction
from django.utils import timezone

logger = logging.getLogger(__name__)

_handlers = defaultdict(list)
_muted = ContextVar("notifications_muted", default=False)

LEASE = timedelta(minutes=5)
RETRY_BASE = timedelta(minutes=1)
RETRY_MAX = timedelta(hours=1)
KEEP_DEAD = timedelta(days=30)


def on(event):
    """Register ``handler(**ids)`` for an event name, e.g. ``@on("signup.created")``."""

    def register(handler):
        _handlers[event].append(handler)
        return handler

    return register


def notify(event, **ids):
    """Announce that something happened; ``ids`` are primary keys, never objects."""
    if _muted.get():
        return

    def fire():
        for handler in _handlers.get(event, []):
            try:
                handler(**ids)
            except Exception as error:  # a message must never break the change that caused it
                logger.exception("Notification handler for %s failed; kept to retry", event)
                keep_for_retry(event, handler, ids, error)

    transaction.on_commit(fire)


@contextmanager
def muted():
    """Announce nothing inside this block (the demo data's made-up people get no mail)."""
    token = _muted.set(True)
    try:
        yield
    finally:
        _muted.reset(token)


def handler_name(handler):
    return f"{handler.__module__}.{handler.__qualname__}"


def find_handler(event, name):
    for handler in _handlers.get(event, []):
        if handler_name(handler) == name:
            return handler
    raise LookupError(f"No handler {name} for {event}")


def keep_for_retry(event, handler, ids, error):
    """Keep a handler that failed (usually to queue its job) for ``retry_failed``."""
    from accounts.models import NotificationRetry

    try:
        NotificationRetry.objects.create(
            event=event, handler=handler_name(handler), ids=ids, last_error=repr(error)[:2000]
        )
    except Exception:
        logger.exception("Could not keep the %s notification to retry", event)


def retry_failed(time_limit=50.0):
    """Run the kept handlers that are due again; the ``retry_notifications`` job.

    Each row is claimed in a short transaction (``SKIP LOCKED``, one more attempt, a
    lease until ``LEASE`` from now) and its handler runs outside any transaction, so no
    lock is held while it talks to the broker or sends mail. A handler that runs is
    deleted; one that fails again waits twice as long as before (a minute, two, four, up
    to an hour) until ``MAX_ATTEMPTS``, after which the row stays for staff, and is
    purged after ``KEEP_DEAD``. Returns how many handlers ran.
    """
    from accounts.models import NotificationRetry

    deadline = monotonic() + time_limit
    done = 0
    while monotonic() < deadline:
        retry = _claim_next_due()
        if retry is None:
            break
        try:
            find_handler(retry.event, retry.handler)(**retry.ids)
        except Exception as error:
            logger.exception("Retrying the %s notification failed", retry.event)
            wait = min(RETRY_BASE * 2 ** (retry.attempts - 2), RETRY_MAX)
            NotificationRetry.objects.filter(pk=retry.pk).update(
                last_error=repr(error)[:2000], next_attempt_at=timezone.now() + wait
            )
        else:
            NotificationRetry.objects.filter(pk=retry.pk).delete()
            done += 1
    NotificationRetry.objects.filter(
        attempts__gte=NotificationRetry.MAX_ATTEMPTS,
        updated_at__lt=timezone.now() - KEEP_DEAD,
    ).delete()
    return done


def _claim_next_due():
    from accounts.models import NotificationRetry

    now = timezone.now()
    with transaction.atomic():
        retry = (
            NotificationRetry.objects.select_for_update(skip_locked=True)
            .filter(attempts__lt=NotificationRetry.MAX_ATTEMPTS, next_attempt_at__lte=now)
            .order_by("next_attempt_at", "pk")
            .first()
        )
        if retry is not None:
            retry.attempts += 1
            retry.next_attempt_at = now + LEASE
            retry.save(update_fields=["attempts", "next_attempt_at", "updated_at"])
    return retry
