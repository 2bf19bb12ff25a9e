"""Stripe webhooks: verify, store, answer; then process each event exactly once.

:func:`accept_event` runs in the request: it verifies the signature, stores the event
under its unique id and enqueues processing on commit. :func:`process_event` runs in a
Celery job: it locks the stored event and applies its effect in the same transaction
that marks it processed, so a duplicate or a retry can never apply it twice.
"""

import json
import logging

import stripe
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from campaigns.models import PaymentAttempt, Pledge, Refund, WebhookEvent
from campaigns.services import pledges as pledge_services

logger = logging.getLogger(__name__)

SIGNATURE_TOLERANCE_SECONDS = 300


class InvalidWebhook(Exception):
    """The request is not a verifiable Stripe event; nothing was stored."""


def accept_event(payload, signature_header):
    """Verify and store one event; returns (WebhookEvent, created)."""
    if not signature_header:
        raise InvalidWebhook("missing Stripe-Signature header")
    if isinstance(payload, bytes):
        try:
            payload = payload.decode("utf-8")
        except UnicodeDecodeError as error:
            raise InvalidWebhook("payload is not UTF-8") from error
    try:
        stripe.WebhookSignature.verify_header(
            payload,
            signature_header,
            settings.STRIPE_WEBHOOK_SECRET,
            tolerance=SIGNATURE_TOLERANCE_SECONDS,
        )
        event = json.loads(payload)
    except ValueError as error:
        raise InvalidWebhook("malformed payload") from error
    except stripe.SignatureVerificationError as error:
        raise InvalidWebhook("signature verification failed") from error
    if not isinstance(event, dict) or not event.get("id") or not event.get("type"):
        raise InvalidWebhook("not an event")
    record = WebhookEvent(
        stripe_id=event["id"],
        type=event["type"],
        payload=event,
        livemode=bool(event.get("livemode")),
    )
    try:
        with transaction.atomic():
            record.save(force_insert=True)
            transaction.on_commit(lambda: enqueue_processing(record.pk), robust=True)
    except IntegrityError:
        return WebhookEvent.objects.get(stripe_id=event["id"]), False
    return record, True


def enqueue_processing(event_pk):
    from campaigns.jobs import process_webhook_event

    process_webhook_event.delay(event_pk)


@transaction.atomic
def process_event(event_pk):
    """Apply one stored event, at most once. Returns its outcome."""
    event = WebhookEvent.objects.select_for_update().get(pk=event_pk)
    if event.processed_at is not None:
        return event.outcome
    handler = HANDLERS.get(event.type)
    obj = event.payload.get("data", {}).get("object", {})
    if handler is None:
        outcome, flag = WebhookEvent.Outcome.IGNORED, ""
    else:
        outcome, flag = handler(obj, event.stripe_id)
    event.outcome = outcome
    event.flag_reason = flag
    event.processed_at = timezone.now()
    event.attempts += 1
    event.last_error = ""
    event.save(update_fields=["outcome", "flag_reason", "processed_at", "attempts", "last_error"])
    return outcome


def record_failure(event_pk, error):
    WebhookEvent.objects.filter(pk=event_pk, processed_at__isnull=True).update(
        last_error=f"{type(error).__name__}: {error}"[:2000], attempts=F("attempts") + 1
    )


def _applied(changed):
    return (WebhookEvent.Outcome.APPLIED if changed else WebhookEvent.Outcome.NO_CHANGE), ""


def _flag(reason, pledge=None):
    if pledge is not None:
        pledge_services.flag_pledge(pledge_id=pledge.pk, reason=reason)
    logger.warning("Stripe event flagged for staff: %s", reason)
    return WebhookEvent.Outcome.FLAGGED, reason


def _pledge_from_session(session):
    pledge_id = (session.get("metadata") or {}).get("pledge_id", "")
    if not str(pledge_id).isdigit():
        return None
    return Pledge.objects.filter(pk=int(pledge_id)).first()


def _pledge_from_payment_intent(payment_intent_id, metadata=None):
    pledge_id = (metadata or {}).get("pledge_id", "")
    if str(pledge_id).isdigit():
        pledge = Pledge.objects.filter(pk=int(pledge_id)).first()
        if pledge is not None:
            return pledge
    if payment_intent_id:
        attempt = PaymentAttempt.objects.filter(payment_intent_id=payment_intent_id).first()
        if attempt is not None:
            return attempt.pledge
    return None


def _id(value):
    return value if isinstance(value, str) else (value or {}).get("id", "")


def _session_paid(session, event_id):
    pledge = _pledge_from_session(session)
    if pledge is None:
        return _flag(f"payment for unknown pledge (session {session.get('id')})")
    amount, currency = session.get("amount_total"), (session.get("currency") or "").upper()
    if amount != pledge.amount_cents or currency != pledge.currency:
        return _flag(
            f"amount mismatch: session {amount} {currency}, "
            f"pledge {pledge.amount_cents} {pledge.currency}",
            pledge,
        )
    result = pledge_services.mark_paid(
        pledge_id=pledge.pk,
        session_id=session.get("id", ""),
        payment_intent_id=_id(session.get("payment_intent")),
        event_id=event_id,
    )
    if result == pledge_services.SECOND_PAYMENT:
        return _flag(
            f"pledge {pledge.pk} paid a second time (session {session.get('id')}); "
            "refund that payment in Stripe",
            pledge,
        )
    return _applied(result == pledge_services.PAID)


def handle_session_completed(session, event_id):
    if session.get("payment_status") == "paid":
        return _session_paid(session, event_id)
    pledge = _pledge_from_session(session)
    if pledge is None:
        return _flag(f"unknown pledge (session {session.get('id')})")
    # Unpaid: an asynchronous method; async_payment_succeeded or _failed follows.
    PaymentAttempt.objects.filter(pledge=pledge, checkout_session_id=session.get("id", "")).update(
        payment_intent_id=_id(session.get("payment_intent"))
    )
    return WebhookEvent.Outcome.NO_CHANGE, ""


def handle_async_payment_succeeded(session, event_id):
    return _session_paid(session, event_id)


def _session_unpaid(to_status):
    def handler(session, event_id):
        pledge = _pledge_from_session(session)
        if pledge is None:
            return _flag(f"unknown pledge (session {session.get('id')})")
        changed = pledge_services.mark_unpaid(
            pledge_id=pledge.pk,
            to_status=to_status,
            session_id=session.get("id", ""),
            event_id=event_id,
        )
        return _applied(changed)

    return handler


def handle_charge_refunded(charge, event_id):
    pledge = _pledge_from_payment_intent(_id(charge.get("payment_intent")), charge.get("metadata"))
    if pledge is None:
        return _flag(f"refund of unknown charge {charge.get('id')}")
    if charge.get("amount_refunded", 0) < charge.get("amount", 0) or not charge.get("refunded"):
        return _flag(f"partial refund on charge {charge.get('id')}", pledge)
    refunds = (charge.get("refunds") or {}).get("data") or []
    external_id = refunds[0].get("id", "") if refunds else ""
    return _applied(
        pledge_services.complete_refund(
            pledge_id=pledge.pk, external_id=external_id, event_id=event_id
        )
    )


def handle_refund_updated(refund, event_id):
    pledge = None
    local = (
        Refund.objects.filter(external_id=refund.get("id", "")).first()
        if refund.get("id")
        else None
    )
    if local is not None:
        pledge = local.pledge
    if pledge is None:
        pledge = _pledge_from_payment_intent(
            _id(refund.get("payment_intent")), refund.get("metadata")
        )
    if pledge is None:
        return _flag(f"update of unknown refund {refund.get('id')}")
    status = refund.get("status")
    if status == "succeeded":
        return _applied(
            pledge_services.complete_refund(
                pledge_id=pledge.pk, external_id=refund.get("id", ""), event_id=event_id
            )
        )
    if status in ("failed", "canceled"):
        Refund.objects.filter(pledge=pledge).exclude(status=Refund.Status.SUCCEEDED).update(
            status=Refund.Status.FAILED, last_error=f"Stripe refund {status}"
        )
        return _flag(f"refund {refund.get('id')} {status}", pledge)
    return WebhookEvent.Outcome.NO_CHANGE, ""


def handle_dispute_created(dispute, event_id):
    pledge = _pledge_from_payment_intent(
        _id(dispute.get("payment_intent")), dispute.get("metadata")
    )
    reason = f"dispute {dispute.get('id')} opened: {dispute.get('reason', 'unknown reason')}"
    return _flag(reason, pledge)


HANDLERS = {
    "checkout.session.completed": handle_session_completed,
    "checkout.session.async_payment_succeeded": handle_async_payment_succeeded,
    "checkout.session.async_payment_failed": _session_unpaid(Pledge.Status.FAILED),
    "checkout.session.expired": _session_unpaid(Pledge.Status.EXPIRED),
    "charge.refunded": handle_charge_refunded,
    "refund.updated": handle_refund_updated,
    "charge.dispute.created": handle_dispute_created,
}
