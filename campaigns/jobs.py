"""Celery jobs of the money side. Each takes ids, is idempotent and retries with backoff."""

import logging
from datetime import timedelta

from celery import shared_task
from django.db.models import F
from django.utils import timezone

from campaigns.models import Refund, WebhookEvent
from campaigns.payments import webhooks
from campaigns.payments.gateway import GatewayError, get_gateway
from campaigns.services import pledges as pledge_services
from campaigns.services import settlement

logger = logging.getLogger(__name__)

SWEEP_AFTER = timedelta(minutes=5)


def backoff(retries, base=5, cap=600):
    return min(cap, base * 2**retries)


@shared_task(bind=True, max_retries=8, acks_late=True)
def process_webhook_event(self, event_pk):
    try:
        return webhooks.process_event(event_pk)
    except Exception as error:
        webhooks.record_failure(event_pk, error)
        logger.exception("Processing webhook event %s failed", event_pk)
        raise self.retry(exc=error, countdown=backoff(self.request.retries)) from error


@shared_task(bind=True, max_retries=8, acks_late=True)
def process_webhook_events(self):
    """Work through the stored events that are still pending (see ``webhooks.wake_processor``)."""
    try:
        return webhooks.process_queue()
    except Exception as error:  # e.g. the database went away between batches
        raise self.retry(exc=error, countdown=backoff(self.request.retries)) from error


@shared_task
def sweep_webhook_events(older_than_seconds=None):
    """Re-enqueue events that were stored but are still unprocessed after a while."""
    age = timedelta(seconds=older_than_seconds) if older_than_seconds is not None else SWEEP_AFTER
    stale = WebhookEvent.objects.filter(
        processed_at__isnull=True, received_at__lte=timezone.now() - age
    ).values_list("pk", flat=True)
    ids = list(stale[:500])
    for pk in ids:
        process_webhook_event.delay(pk)
    return len(ids)


@shared_task
def sweep_refunds():
    """Re-enqueue refunds that never reached the gateway, e.g. when the broker was down.

    Enqueueing one twice is harmless: the idempotency key ``refund-<pledge id>`` makes the
    gateway return the same refund, and completing it again changes nothing.
    """
    ids = list(
        Refund.objects.filter(status=Refund.Status.PENDING, external_id="").values_list(
            "pk", flat=True
        )[:500]
    )
    for pk in ids:
        execute_refund.delay(pk)
    return len(ids)


@shared_task
def close_due_campaigns():
    ids = settlement.due_campaign_ids()
    for campaign_id in ids:
        settle_campaign.delay(campaign_id)
    return len(ids)


@shared_task(bind=True, max_retries=5, acks_late=True)
def settle_campaign(self, campaign_id):
    try:
        settlement.settle_campaign(campaign_id=campaign_id)
    except Exception as error:
        raise self.retry(exc=error, countdown=backoff(self.request.retries)) from error


@shared_task(bind=True, max_retries=12, acks_late=True)
def execute_refund(self, refund_pk):
    """Ask the gateway for the refund; the key ``refund-<pledge id>`` makes it happen once."""
    refund = Refund.objects.select_related("pledge").get(pk=refund_pk)
    if refund.status == Refund.Status.SUCCEEDED:
        return "already refunded"
    try:
        result = get_gateway().create_refund(
            payment_intent_id=pledge_services.payment_intent_for(refund.pledge),
            amount_cents=refund.amount_cents,
            idempotency_key=refund.idempotency_key,
            pledge_id=refund.pledge_id,
        )
    except GatewayError as error:
        Refund.objects.filter(pk=refund_pk).update(
            attempts=F("attempts") + 1, last_error=str(error)[:500]
        )
        raise self.retry(exc=error, countdown=backoff(self.request.retries)) from error
    Refund.objects.filter(pk=refund_pk).update(
        external_id=result.id, attempts=F("attempts") + 1, last_error=""
    )
    if result.status == "succeeded":
        pledge_services.complete_refund(pledge_id=refund.pledge_id, external_id=result.id)
    elif result.status in ("failed", "canceled"):
        Refund.objects.filter(pk=refund_pk).update(status=Refund.Status.FAILED)
        pledge_services.flag_pledge(pledge_id=refund.pledge_id, reason=f"refund {result.status}")
    return result.status
