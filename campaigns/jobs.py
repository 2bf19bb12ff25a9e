"""Celery jobs of the money side. Each takes ids, is idempotent and retries with backoff.

They run on the ``payments`` queue (``CELERY_TASK_ROUTES``), so that no e-mail fan-out on
the ``default`` queue ever delays money.
"""

import logging
from datetime import timedelta

from celery import shared_task
from django.dispatch import receiver

from campaigns import cover_uploads
from campaigns.payments import refunds, webhooks
from campaigns.payments.gateway import GatewayError
from campaigns.services import retention, settlement
from campaigns.services.signals import refund_requested, refunds_requested

logger = logging.getLogger(__name__)


def backoff(retries, base=5, cap=600):
    """Seconds before retry number ``retries + 1``: 5, 10, 20 ... at most 10 minutes."""
    return min(cap, base * 2**retries)


@shared_task(bind=True, max_retries=None)
def process_stripe_event(self, event_id):
    """Apply one stored Stripe event. Retries with backoff until it is marked dead."""
    try:
        return webhooks.process_event(event_id)
    except Exception as error:
        logger.exception("Processing Stripe event %s failed", event_id)
        event = webhooks.record_failure(event_id, error)
        if event.dead_at is not None or event.processed_at is not None:
            return None
        raise self.retry(exc=error, countdown=backoff(event.attempts - 1)) from error


def enqueue_stripe_event(event_id):
    process_stripe_event.delay(event_id)


@shared_task
def sweep_stripe_events(older_than_seconds=None):
    """Enqueue the stored events no job has started on, e.g. after a broker outage.

    Events that failed are left to their own retries (and end dead), so a failing event
    is never re-enqueued here.
    """
    if older_than_seconds is None:
        older_than = webhooks.SWEEP_AFTER
    else:
        older_than = timedelta(seconds=older_than_seconds)
    ids = webhooks.never_started(older_than)
    for event_id in ids:
        process_stripe_event.delay(event_id)
    return len(ids)


@shared_task(bind=True, max_retries=12)
def execute_refund(self, refund_pk):
    """Ask the gateway for the refund; the key ``refund-<pledge id>`` makes it happen once."""
    try:
        return refunds.execute_refund(refund_pk)
    except GatewayError as error:
        raise self.retry(exc=error, countdown=backoff(self.request.retries)) from error


@receiver(refund_requested, dispatch_uid="campaigns.jobs.enqueue_refund")
def enqueue_refund(sender, refund_id, **kwargs):
    execute_refund.delay(refund_id)


@receiver(refunds_requested, dispatch_uid="campaigns.jobs.enqueue_refunds")
def enqueue_refunds(sender, refund_ids, **kwargs):
    """One job per refund, so that each is retried on its own; the jobs share one
    connection to the broker."""
    with execute_refund.app.producer_or_acquire() as producer:
        for refund_id in refund_ids:
            execute_refund.apply_async((refund_id,), producer=producer)


@shared_task
def sweep_refunds():
    """Re-enqueue refunds that never reached the gateway, e.g. when the broker was down.

    Enqueueing one twice is harmless: the idempotency key ``refund-<pledge id>`` makes the
    gateway return the same refund, and completing it again changes nothing.
    """
    ids = refunds.pending_refund_ids()
    for pk in ids:
        execute_refund.delay(pk)
    return len(ids)


@shared_task
def close_due_campaigns():
    ids = settlement.due_campaign_ids()
    for campaign_id in ids:
        settle_campaign.delay(campaign_id)
    return len(ids)


@shared_task(bind=True, max_retries=5)
def settle_campaign(self, campaign_id):
    try:
        settlement.settle_campaign(campaign_id=campaign_id)
    except Exception as error:
        raise self.retry(exc=error, countdown=backoff(self.request.retries)) from error


@shared_task
def forget_guest_emails():
    """Retention: guest addresses go 18 months after their campaign closed (daily)."""
    return retention.forget_guest_emails()


@shared_task
def delete_stale_pending_covers():
    """Cover images kept for a form that was never sent again go after a day (daily)."""
    return cover_uploads.delete_stale_pending_covers()


@shared_task
def prune_webhook_payloads():
    """Retention: Stripe payloads keep only what the ledger needs after 90 days (daily)."""
    return retention.prune_webhook_payloads()
