"""Delivering announcements: claim the outbox row, run its handlers, mark it delivered.

A row is claimed in a short transaction (``SKIP LOCKED``, one more attempt, a lease of
``LEASE``), its handlers run outside that transaction, and the row is then marked
delivered. A handler that fails puts the row back with a back-off (1, 2, 4 ... 60
minutes); after ``Announcement.MAX_ATTEMPTS`` attempts it is dead and waits for staff.
A worker that dies mid-delivery leaves the lease to run out, after which the sweep
queues the row again. Handlers are idempotent, so a second delivery does no harm.
"""

import logging
from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from core.events import event_from, handlers_for
from core.models import Announcement

logger = logging.getLogger(__name__)

LEASE = timedelta(minutes=2)
KEEP_DELIVERED = timedelta(days=30)
RETRY_BASE = timedelta(minutes=1)
RETRY_MAX = timedelta(hours=1)

DELIVERED, FAILED, SKIPPED = "delivered", "failed", "skipped"


def backoff(attempts):
    return min(RETRY_BASE * 2 ** max(attempts - 1, 0), RETRY_MAX)


def claim(announcement_id, now=None):
    """Take the row for delivery, or None if it is delivered, dead, leased or not yet due."""
    now = now or timezone.now()
    with transaction.atomic():
        row = (
            Announcement.objects.select_for_update(skip_locked=True)
            .filter(pk=announcement_id, delivered_at__isnull=True, dead_at__isnull=True)
            .filter(Q(attempts=0) | Q(next_attempt_at__lte=now))
            .first()
        )
        if row is None:
            return None
        if row.attempts >= Announcement.MAX_ATTEMPTS:
            row.dead_at = now
            row.save(update_fields=["dead_at"])
            return None
        row.attempts += 1
        row.next_attempt_at = now + LEASE
        row.save(update_fields=["attempts", "next_attempt_at"])
    return row


def deliver(announcement_id):
    """Run every handler of one announcement; returns DELIVERED, FAILED or SKIPPED."""
    row = claim(announcement_id)
    if row is None:
        return SKIPPED
    try:
        event = event_from(row.name, row.payload)
        for handler in handlers_for(type(event)):
            handler(event)
    except Exception as error:
        logger.exception("Delivering announcement %s (%s) failed", row.pk, row.name)
        record_failure(row, error)
        return FAILED
    Announcement.objects.filter(pk=row.pk).update(delivered_at=timezone.now(), last_error="")
    return DELIVERED


def record_failure(row, error):
    now = timezone.now()
    changes = {"last_error": repr(error)[:2000], "next_attempt_at": now + backoff(row.attempts)}
    if row.attempts >= Announcement.MAX_ATTEMPTS:
        changes["dead_at"] = now
    Announcement.objects.filter(pk=row.pk).update(**changes)


def due(now=None, limit=500):
    """Ids of rows the sweep should queue again: undelivered, alive and due."""
    now = now or timezone.now()
    return list(
        Announcement.objects.filter(
            delivered_at__isnull=True, dead_at__isnull=True, next_attempt_at__lte=now
        )
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )


def purge_delivered(now=None):
    """Forget rows delivered more than ``KEEP_DELIVERED`` ago; dead rows stay for staff."""
    now = now or timezone.now()
    deleted, _by_model = Announcement.objects.filter(delivered_at__lt=now - KEEP_DELIVERED).delete()
    return deleted


def deliver_again(queryset):
    """Staff's "deliver again": dead or failing rows get ten fresh attempts, due now."""
    return queryset.filter(delivered_at__isnull=True).update(
        dead_at=None, attempts=0, next_attempt_at=timezone.now()
    )
