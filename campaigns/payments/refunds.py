"""Asking the gateway for a refund that a service stored as pending.

The refund row exists before the gateway is called (``services.pledges.request_refund``),
so a gateway or broker outage only delays it. The idempotency key of the row
(``refund-<pledge id>``, ``refund-<pledge id>-<n>`` for staff's n-th try) makes the gateway
return the same refund however often this runs; completing it again changes nothing.
"""

from django.db.models import F

from campaigns.models import Refund
from campaigns.payments.gateway import GatewayError, get_gateway
from campaigns.services import pledges as pledge_services
from campaigns.services import refunds as refund_services

ALREADY_REFUNDED = "already refunded"
FAILED_BEFORE = "failed before"


def execute_refund(refund_pk):
    """Call the gateway once for this refund; returns the refund's status at the gateway.

    Raises ``GatewayError`` (after counting the attempt) when the gateway cannot be
    reached or refuses; the caller retries.
    """
    refund = Refund.objects.select_related("pledge").get(pk=refund_pk)
    if refund.status == Refund.Status.SUCCEEDED:
        return ALREADY_REFUNDED
    if refund.status == Refund.Status.FAILED:
        return FAILED_BEFORE  # a stale job: staff retry with a new refund row and key
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
        raise
    Refund.objects.filter(pk=refund_pk).update(
        external_id=result.id, attempts=F("attempts") + 1, last_error=""
    )
    if result.status == "succeeded":
        pledge_services.complete_refund(
            pledge_id=refund.pledge_id,
            external_id=result.id,
            campaign_id=refund.pledge.campaign_id,
        )
    elif result.status in ("failed", "canceled"):
        refund_services.fail_refund(
            refund_id=refund_pk,
            error=f"Stripe refund {result.status}",
            flag=f"refund {result.id} {result.status}",
        )
    return result.status


def pending_refund_ids(limit=500):
    """Refunds that never reached the gateway, e.g. because the broker was down."""
    return list(
        Refund.objects.filter(status=Refund.Status.PENDING, external_id="").values_list(
            "pk", flat=True
        )[:limit]
    )
