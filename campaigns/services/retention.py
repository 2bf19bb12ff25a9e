"""How long the money side keeps personal data (see ``docs/privacy.md``).

- A guest donor's e-mail address is forgotten ``GUEST_EMAIL_RETENTION`` after the
  campaign closed: by then every receipt, refund and update has gone out. The pledge
  keeps its amount for the books, and a random ``supporter_ref`` so that the campaign's
  count of distinct supporters stays equal to the ledger.
- A Stripe event's payload is cut down to the fields the ledger needs (ids, amounts,
  statuses, our pledge id) ``WEBHOOK_PAYLOAD_RETENTION`` after it arrived: the rest
  holds the payer's name, e-mail and card details.
"""

import uuid
from datetime import timedelta

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from campaigns.models import Campaign, Pledge, WebhookEvent
from campaigns.services.locks import lock_campaign

GUEST_EMAIL_RETENTION = relativedelta(months=18)
WEBHOOK_PAYLOAD_RETENTION = timedelta(days=90)

EVENT_FIELDS = ("id", "type", "created", "livemode", "api_version")
OBJECT_FIELDS = (
    "id",
    "object",
    "amount",
    "amount_total",
    "amount_refunded",
    "currency",
    "status",
    "payment_status",
    "payment_intent",
    "charge",
    "refunded",
    "reason",
)
REFUND_FIELDS = ("id", "object", "amount", "currency", "status")


def _id(value):
    return value if isinstance(value, str) else (value or {}).get("id", "")


def prune_payload(payload):
    """The event with only what the ledger reads (``campaigns.payments.webhooks``).

    Idempotent: pruning a pruned payload gives the same payload.
    """
    pruned = {key: payload[key] for key in EVENT_FIELDS if key in payload}
    data = payload.get("data")
    obj = data.get("object") if isinstance(data, dict) else None
    if not isinstance(obj, dict):
        return pruned
    kept = {key: obj[key] for key in OBJECT_FIELDS if key in obj}
    for key in ("payment_intent", "charge"):
        if key in kept:
            kept[key] = _id(kept[key])
    pledge_id = (obj.get("metadata") or {}).get("pledge_id")
    if pledge_id is not None:
        kept["metadata"] = {"pledge_id": pledge_id}
    refunds = (
        (obj.get("refunds") or {}).get("data") if isinstance(obj.get("refunds"), dict) else None
    )
    if refunds is not None:
        kept["refunds"] = {
            "data": [
                {key: refund[key] for key in REFUND_FIELDS if key in refund} for refund in refunds
            ]
        }
    pruned["data"] = {"object": kept}
    return pruned


def prune_events(events, now):
    """Prune the payloads of these events (a queryset); returns how many changed."""
    count = 0
    for event in events.filter(payload_pruned_at__isnull=True).only("pk", "payload").iterator():
        WebhookEvent.objects.filter(pk=event.pk).update(
            payload=prune_payload(event.payload), payload_pruned_at=now
        )
        count += 1
    return count


def prune_webhook_payloads(now=None):
    """Prune events received more than 90 days ago that are processed or given up."""
    now = now or timezone.now()
    due = WebhookEvent.objects.filter(received_at__lt=now - WEBHOOK_PAYLOAD_RETENTION).filter(
        Q(processed_at__isnull=False) | Q(dead_at__isnull=False)
    )
    return prune_events(due, now)


def events_of_pledges(pledges):
    """The stored Stripe events about these pledges, found by metadata, session or intent."""
    pledge_ids, external_ids = [], set()
    for pledge in pledges:
        pledge_ids.append(str(pledge.pk))
        for session_id, intent_id in pledge.attempts.values_list(
            "checkout_session_id", "payment_intent_id"
        ):
            external_ids.update(filter(None, [session_id, intent_id]))
    if not pledge_ids:
        return WebhookEvent.objects.none()
    return WebhookEvent.objects.filter(
        Q(payload__data__object__metadata__pledge_id__in=pledge_ids)
        | Q(payload__data__object__id__in=external_ids)
        | Q(payload__data__object__payment_intent__in=external_ids)
    )


def forget_guest_emails(now=None):
    """Forget guest addresses of campaigns closed 18 months ago; one transaction each."""
    now = now or timezone.now()
    campaign_ids = (
        Pledge.objects.filter(
            campaign__status__in=Campaign.CLOSED_STATUSES,
            campaign__closed_at__lt=now - GUEST_EMAIL_RETENTION,
            donor__isnull=True,
        )
        .exclude(guest_email="")
        .values_list("campaign_id", flat=True)
        .distinct()
        .order_by("campaign_id")
    )
    forgotten = 0
    for campaign_id in list(campaign_ids):
        forgotten += _forget_guest_emails_of(campaign_id, now)
    return forgotten


@transaction.atomic
def _forget_guest_emails_of(campaign_id, now):
    """Each address gets one random ``supporter_ref`` for all its pledges here, so the
    count of distinct supporters does not change. Under the campaign lock, like every
    change to what the totals are computed from."""
    lock_campaign(campaign_id)
    pledges = list(
        Pledge.objects.select_for_update()
        .filter(campaign_id=campaign_id, donor__isnull=True)
        .exclude(guest_email="")
    )
    refs = {}
    for pledge in pledges:
        pledge.supporter_ref = refs.setdefault(pledge.guest_email.lower(), uuid.uuid4().hex)
        pledge.guest_email = ""
        pledge.wants_updates = False
    Pledge.objects.bulk_update(pledges, ["supporter_ref", "guest_email", "wants_updates"])
    prune_events(events_of_pledges(pledges), now)
    return len(pledges)
