"""The single place from which the platform's messages fire.

Services call :func:`notify` inside their transaction; handlers run after commit, so a
rolled-back change never sends anything. Message classes register themselves as
handlers for the events they care about (see ``accounts.notifications``).
"""

import logging
from collections import defaultdict

from django.db import transaction
from django.db.models import F

logger = logging.getLogger(__name__)

_handlers = defaultdict(list)


def on(event):
    """Register ``handler(**ids)`` for an event name, e.g. ``@on("signup.created")``."""

    def register(handler):
        _handlers[event].append(handler)
        return handler

    return register


def notify(event, **ids):
    """Announce that something happened; ``ids`` are primary keys, never objects."""

    def fire():
        for handler in _handlers.get(event, []):
            try:
                handler(**ids)
            except Exception as error:  # a message must never break the change that caused it
                logger.exception("Notification handler for %s failed; kept to retry", event)
                _keep_for_retry(event, handler, ids, error)

    transaction.on_commit(fire)


def handler_name(handler):
    return f"{handler.__module__}.{handler.__qualname__}"


def find_handler(event, name):
    for handler in _handlers.get(event, []):
        if handler_name(handler) == name:
            return handler
    raise LookupError(f"No handler {name} for {event}")


def _keep_for_retry(event, handler, ids, error):
    from accounts.models import NotificationRetry

    try:
        NotificationRetry.objects.create(
            event=event, handler=handler_name(handler), ids=ids, last_error=repr(error)[:2000]
        )
    except Exception:
        logger.exception("Could not keep the %s notification to retry", event)


def retry_failed(limit=100):
    """Run handlers that failed after commit again; the ``retry_notifications`` job.

    Each row is claimed with ``SKIP LOCKED`` in its own transaction and deleted once its
    handler ran; a handler that fails again counts an attempt, until ``MAX_ATTEMPTS``,
    after which the row stays for staff to look at. Returns how many ran.
    """
    from accounts.models import NotificationRetry

    done = 0
    candidates = NotificationRetry.objects.filter(
        attempts__lt=NotificationRetry.MAX_ATTEMPTS
    ).order_by("pk")
    for retry_id in list(candidates.values_list("pk", flat=True)[:limit]):
        with transaction.atomic():
            retry = (
                NotificationRetry.objects.select_for_update(skip_locked=True)
                .filter(pk=retry_id, attempts__lt=NotificationRetry.MAX_ATTEMPTS)
                .first()
            )
            if retry is None:
                continue
            try:
                with transaction.atomic():
                    find_handler(retry.event, retry.handler)(**retry.ids)
            except Exception as error:
                logger.exception("Retrying the %s notification failed", retry.event)
                NotificationRetry.objects.filter(pk=retry.pk).update(
                    attempts=F("attempts") + 1, last_error=repr(error)[:2000]
                )
            else:
                retry.delete()
                done += 1
    return done
