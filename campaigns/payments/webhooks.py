"""Stripe webhooks: verify and store in the request; process each event once, in a job.

:func:`accept_event` runs in the request: it verifies the signature, stores the event
under its unique Stripe id and, once that row is committed, calls back the caller, which
enqueues one processing job for it (see ``campaigns.views.webhook``). :func:`process_event`
is that job's work: it locks the event row, returns at once when the event was already
processed (a duplicate delivery, a retry, the sweep), and otherwise applies it and marks
it processed in the same transaction, so no event ever changes state twice.

A failure rolls the whole event back; :func:`record_failure` counts it and, after
``STRIPE_EVENT_MAX_ATTEMPTS`` failures, marks the event dead so that nothing retries it
until staff press "process again" (:func:`revive_event`).
"""

import json
import logging
from contextlib import nullcontext
from datetime import timedelta

import stripe
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from campaigns.models import PaymentAttempt, Pledge, Refund, WebhookEvent
from campaigns.payments.gateway import uses_live_key
from campaigns.services import pledges as pledge_services
from campaigns.services import refunds as refund_services

logger = logging.getLogger(__name__)

SIGNATURE_TOLERANCE_SECONDS = 300
# The sweep leaves younger events alone: their own job is most likely still on its way.
SWEEP_AFTER = timedelta(seconds=45)
MAX_NESTING = 32  # Stripe's events nest a handful of levels; deeper is not an event


class InvalidWebhook(Exception):
    """The request is not a verifiable Stripe event; nothing was stored."""


def accept_event(payload, signature_header, *, on_commit=None):
    """Verify and store one event; returns ``(WebhookEvent, created)``.

    ``on_commit(event_pk)`` runs once the new row is committed (errors are logged, not
    raised: the stored event is not lost, the sweep finds it). A duplicate Stripe id
    stores nothing, calls nothing and returns the stored event with ``False``.
    """
    event = verified_event(payload, signature_header)
    try:
        with _own_statement_or_savepoint():
            record = WebhookEvent.objects.create(
                stripe_id=event["id"],
                type=event["type"],
                payload=event,
                livemode=bool(event.get("livemode")),
            )
    except IntegrityError:  # the unique stripe_id: Stripe sent this event before
        return WebhookEvent.objects.get(stripe_id=event["id"]), False
    if on_commit is not None:
        transaction.on_commit(lambda: on_commit(record.pk), robust=True)
    return record, True


def _own_statement_or_savepoint():
    """Outside a transaction the INSERT commits by itself (one round trip instead of BEGIN,
    INSERT and COMMIT; ``on_commit`` then runs at once). Inside one, a savepoint keeps a
    duplicate's IntegrityError from breaking the caller's transaction."""
    if transaction.get_connection().in_atomic_block:
        return transaction.atomic()
    return nullcontext()


def verified_event(payload, signature_header):
    """The event a request carries, once its signature and shape are checked."""
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
    except stripe.SignatureVerificationError as error:
        raise InvalidWebhook("signature verification failed") from error
    try:
        event = json.loads(payload)
    except (ValueError, RecursionError) as error:
        raise InvalidWebhook("malformed payload") from error
    if _nested_deeper_than(event, MAX_NESTING):
        raise InvalidWebhook("malformed payload")
    if not isinstance(event, dict) or not event.get("id") or not event.get("type"):
        raise InvalidWebhook("not an event")
    if not isinstance(event["id"], str) or not isinstance(event["type"], str):
        raise InvalidWebhook("not an event")
    return event


def _nested_deeper_than(value, limit):
    """Whether lists and objects nest more than ``limit`` levels (checked without recursion)."""
    stack = [(value, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            value = value.values()
        elif not isinstance(value, list):
            continue
        if depth > limit:
            return True
        stack.extend((item, depth + 1) for item in value)
    return False


def process_event(event_pk):
    """Apply one stored event, at most once, and return its outcome.

    Returns ``None`` for an event that is dead: only staff bring it back.
    """
    with transaction.atomic():
        event = WebhookEvent.objects.select_for_update().get(pk=event_pk)
        if event.dead_at is not None:
            return None
        if event.processed_at is None:
            _apply(event)
        return event.outcome


def record_failure(event_pk, error):
    """Count a failed try; mark the event dead after too many. Returns the event."""
    with transaction.atomic():
        event = WebhookEvent.objects.select_for_update().get(pk=event_pk)
        if event.processed_at is not None or event.dead_at is not None:
            return event
        event.attempts += 1
        event.last_error = f"{type(error).__name__}: {error}"[:2000]
        if event.attempts >= settings.STRIPE_EVENT_MAX_ATTEMPTS:
            event.dead_at = timezone.now()
            logger.error(
                "Stripe event %s failed %s times and is given up", event.stripe_id, event.attempts
            )
        event.save(update_fields=["attempts", "last_error", "dead_at"])
        return event


def revive_event(event_pk):
    """Staff's "process again": fresh attempts for an unprocessed (e.g. dead) event.

    Returns True when the event should be enqueued, False when it was processed already.
    """
    with transaction.atomic():
        event = WebhookEvent.objects.select_for_update().get(pk=event_pk)
        if event.processed_at is not None:
            return False
        event.attempts = 0
        event.dead_at = None
        event.save(update_fields=["attempts", "dead_at"])
        return True


def never_started(older_than, limit=1000):
    """Ids of events that no job has tried yet and that are older than ``older_than``.

    Those are events whose job was lost (the broker was down at commit, or lost its
    queue). Events that failed have their own retries, and dead ones wait for staff.
    """
    return list(
        WebhookEvent.objects.filter(
            processed_at__isnull=True,
            dead_at__isnull=True,
            attempts=0,
            received_at__lte=timezone.now() - older_than,
        )
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )


def _apply(event):
    """Apply a locked, unprocessed event and mark it processed, in the caller's transaction."""
    handler = HANDLERS.get(event.type)
    data = event.payload.get("data")
    obj = data.get("object") if isinstance(data, dict) else None
    if event.livemode != uses_live_key():
        outcome, flag = _flag(_mode_mismatch(event))
    elif handler is None or not isinstance(obj, dict):
        outcome, flag = WebhookEvent.Outcome.IGNORED, ""
    else:
        outcome, flag = handler(obj, event.stripe_id)
    event.outcome = outcome
    event.flag_reason = flag[:300]
    event.processed_at = timezone.now()
    event.attempts += 1
    event.last_error = ""
    event.save(update_fields=["outcome", "flag_reason", "processed_at", "attempts", "last_error"])


def _mode_mismatch(event):
    """Why a live event on a test platform (or a test event on a live one) is not applied.

    The webhook secret alone does not tell the modes apart when an endpoint's secret is
    reused, and a test payment must never count as money (nor a live one vanish)."""
    modes = {True: "live", False: "test"}
    return (
        f"{modes[event.livemode]} mode event, but the platform runs with a "
        f"{modes[uses_live_key()]} mode Stripe key: not applied"
    )


def _applied(changed):
    return (WebhookEvent.Outcome.APPLIED if changed else WebhookEvent.Outcome.NO_CHANGE), ""


def _flag(reason, pledge=None):
    if pledge is not None:
        pledge_services.flag_pledge(pledge_id=pledge.pk, reason=reason)
    logger.warning("Stripe event flagged for staff: %s", reason)
    return WebhookEvent.Outcome.FLAGGED, reason


def _pledge_id_in(stripe_object):
    """The pledge id the platform put in a Stripe object's metadata, or None."""
    pledge_id = str((stripe_object.get("metadata") or {}).get("pledge_id", ""))
    return int(pledge_id) if pledge_id.isdigit() else None


def _pledge_from_session(session):
    """The pledge a session is for, with only the fields the handlers read before locking."""
    pledge_id = _pledge_id_in(session)
    if pledge_id is None:
        return None
    return (
        Pledge.objects.only("campaign_id", "amount_cents", "currency").filter(pk=pledge_id).first()
    )


def _pledge_from_payment(stripe_object):
    """The pledge of a charge, refund or dispute: by its metadata, else its payment intent."""
    pledge_id = _pledge_id_in(stripe_object)
    if pledge_id is not None:
        pledge = Pledge.objects.filter(pk=pledge_id).first()
        if pledge is not None:
            return pledge
    payment_intent_id = _id(stripe_object.get("payment_intent"))
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
        campaign_id=pledge.campaign_id,
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


def _refund_reported(pledge, payment_intent_id, external_id, event_id):
    result, flag = refund_services.refund_reported(
        pledge_id=pledge.pk,
        payment_intent_id=payment_intent_id,
        external_id=external_id,
        event_id=event_id,
    )
    if result == refund_services.FLAGGED:
        return _flag(flag)  # the service flagged the pledge under its lock
    return _applied(result != refund_services.NO_CHANGE)


def handle_charge_refunded(charge, event_id):
    pledge = _pledge_from_payment(charge)
    if pledge is None:
        return _flag(f"refund of unknown charge {charge.get('id')}")
    if charge.get("amount_refunded", 0) < charge.get("amount", 0) or not charge.get("refunded"):
        return _flag(f"partial refund on charge {charge.get('id')}", pledge)
    refunds = (charge.get("refunds") or {}).get("data") or []
    external_id = refunds[0].get("id", "") if refunds else ""
    return _refund_reported(pledge, _id(charge.get("payment_intent")), external_id, event_id)


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
        pledge = _pledge_from_payment(refund)
    if pledge is None:
        return _flag(f"update of unknown refund {refund.get('id')}")
    status, payment_intent_id = refund.get("status"), _id(refund.get("payment_intent"))
    if status == "succeeded":
        return _refund_reported(pledge, payment_intent_id, refund.get("id", ""), event_id)
    if status in ("failed", "canceled"):
        flag = refund_services.refund_failed_at_stripe(
            pledge_id=pledge.pk,
            external_id=refund.get("id", ""),
            payment_intent_id=payment_intent_id,
            status=status,
            event_id=event_id,
        )
        return _flag(flag)
    return WebhookEvent.Outcome.NO_CHANGE, ""


def handle_dispute_created(dispute, event_id):
    pledge = _pledge_from_payment(dispute)
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
