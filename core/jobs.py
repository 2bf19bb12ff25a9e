"""Celery jobs of core: deliver one announcement and the sweep that catches up; build a
staff member's spreadsheet export and tidy old ones."""

import logging

from celery import shared_task
from django.dispatch import receiver

from core import moderation, outbox, stored_exports
from core.events import enqueue_delivery
from core.models import Announcement

logger = logging.getLogger(__name__)


class DeliveryFailed(Exception):
    """A handler failed; the row records the error and when to try again."""


@shared_task(
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=Announcement.MAX_ATTEMPTS,
)
def deliver_announcement(self, announcement_id):
    """Deliver one announcement; a failure is retried after the row's back-off."""
    result = outbox.deliver(announcement_id)
    if result == outbox.FAILED:
        row = Announcement.objects.get(pk=announcement_id)
        if row.dead_at is None:
            countdown = outbox.backoff(row.attempts).total_seconds()
            raise self.retry(exc=DeliveryFailed(row.last_error), countdown=countdown)
    return result


@shared_task(acks_late=True)
def sweep_announcements(now=None):
    """Queue again what is undelivered and due: never picked up, failed, or leased by a
    worker that died. Runs every minute (Celery beat)."""
    ids = outbox.due(now)
    for announcement_id in ids:
        enqueue_delivery(announcement_id)
    outbox.purge_delivered(now)
    return len(ids)


@shared_task
def forget_reporter_emails():
    """Daily: reporters' addresses go 90 days after their report was decided."""
    return moderation.forget_reporter_emails()


@shared_task(bind=True, max_retries=4)
def build_spreadsheet_export(self, export_id):
    """Build one stored CSV export (``core.stored_exports``); idempotent.

    A failure (the database, the storage) is tried again after 1, 2, 4 and 8 minutes; after
    the last try, or at once in-process, the export is marked failed for its owner to see.
    """
    try:
        return stored_exports.build_export(export_id)
    except Exception as error:
        logger.exception("Building spreadsheet export %s failed", export_id)
        if self.request.is_eager or self.request.retries >= self.max_retries:
            return stored_exports.give_up(export_id, stored_exports.Failure.BUILD_FAILED)
        raise self.retry(exc=error, countdown=60 * 2**self.request.retries) from error


@receiver(stored_exports.export_requested, dispatch_uid="core.jobs.queue_spreadsheet_export")
def queue_spreadsheet_export(sender, export_id, **kwargs):
    build_spreadsheet_export.delay(export_id)


@shared_task
def sweep_spreadsheet_exports():
    """Hourly: queue exports whose job never finished, fail the forgotten ones, and delete
    the files past their lifetime."""
    stale = stored_exports.stale_export_ids()
    for export_id in stale:
        build_spreadsheet_export.delay(export_id)
    return {
        "queued": len(stale),
        "given_up": stored_exports.give_up_forgotten(),
        "expired": stored_exports.expire_exports(),
    }
