"""Celery jobs of the outbox: deliver one announcement, and the sweep that catches up."""

from celery import shared_task

from core import moderation, outbox
from core.events import enqueue_delivery
from core.models import Announcement


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
