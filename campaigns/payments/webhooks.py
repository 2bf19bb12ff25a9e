"""Stripe webhooks: verify, store, answer; then process each event exactly once.

:func:`accept_event` runs in the request: it verifies the signature, stores the event
under its unique id and, on commit, wakes the processor (:func:`wake_processor`). A
Celery job then works through every stored event that is still pending, in batches
(:func:`process_pending_events`): each event is applied in the same transaction that
marks it processed, so a duplicate or a retry can never apply it twice, and the rows are
claimed with ``SKIP LOCKED`` so that several workers share the queue without waiting on
each other. :func:`process_event` applies one event by id, for retries, the sweep and the
staff's "process again".
"""

import json
import logging
import time
from functools import cache

import redis
import stripe
from django.conf import settings
from django.db import connections, router, transaction
from django.db.models import F
from django.utils import timezone

from campaigns.models import Campaign, PaymentAttempt, Pledge, Refund, WebhookEvent
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
    if not _insert_new(record):
        return WebhookEvent.objects.get(stripe_id=event["id"]), False
    transaction.on_commit(wake_processor, robust=True)
    return record, True


def _insert_new(record):
    """Store a new event in one statement; False (and nothing changed) for a duplicate.

    ``INSERT … ON CONFLICT (stripe_id) DO NOTHING RETURNING id`` (PostgreSQL and SQLite):
    in a request it commits by itself, one round trip to the database instead of BEGIN,
    INSERT and COMMIT, and a duplicate needs no exception and no savepoint.
    """
    connection = connections[router.db_for_write(WebhookEvent)]
    sql, fields = _insert_statement(connection.alias)
    values = [
        field.get_db_prep_save(field.pre_save(record, add=True), connection) for field in fields
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        row = cursor.fetchone()
    if row is None:
        return False
    record.pk = row[0]
    record._state.adding = False
    return True


@cache
def _insert_statement(alias):
    meta = WebhookEvent._meta
    quote = connections[alias].ops.quote_name
    fields = [field for field in meta.concrete_fields if not field.primary_key]
    sql = (
        f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) "
        f"VALUES ({', '.join(['%s'] * len(fields))}) "
        f"ON CONFLICT ({quote(meta.get_field('stripe_id').column)}) DO NOTHING "
        f"RETURNING {quote(meta.pk.column)}"
    )
    return sql, fields


# While this Redis key exists, a processing job is queued that has not yet started to
# look for events: a burst of events costs one job instead of one Celery message each.
PROCESSOR_QUEUED_KEY = "wijkkapitaal:webhooks:processor-queued"
PROCESSOR_QUEUED_SECONDS = 2
# After seeing that key, a process skips the Redis round trip for this long.
WAKE_WINDOW_SECONDS = 0.05
BATCH_SIZE = 25

_processor_pending_until = 0.0  # this process's monotonic clock


@cache
def _broker_redis(url):
    return redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)


def _queue_flag():
    """The Redis that holds the 'processor queued' flag: the broker, when it is Redis."""
    from config.celery import app

    if app.conf.task_always_eager or not settings.REDIS_URL:
        return None
    return _broker_redis(settings.REDIS_URL)


def wake_processor():
    """Make sure a processing job will see the events committed so far.

    With Redis, ``SET NX`` on the flag either queues a job or finds one queued. Such a
    job clears the flag before it looks for pending events, so it finds every event
    committed before that. For the next ``WAKE_WINDOW_SECONDS`` this process skips the
    round trip: the job it saw clears the flag only after this process saw it, and looks
    once more ``2 × WAKE_WINDOW_SECONDS`` after clearing it (:func:`process_queue`), so
    an event committed inside the window is found too. Only durations on each process's
    own clock are compared. Should the publish fail, the flag is removed again (or, if
    this process dies first, expires within ``PROCESSOR_QUEUED_SECONDS``), and the sweep
    picks up what was missed.
    """
    global _processor_pending_until
    from campaigns.jobs import process_webhook_events

    flag = _queue_flag()
    if flag is None:
        process_webhook_events.delay()  # eager: processed right here
        return
    now = time.monotonic()
    if now < _processor_pending_until:
        return
    if flag.set(PROCESSOR_QUEUED_KEY, "1", nx=True, ex=PROCESSOR_QUEUED_SECONDS):
        try:
            process_webhook_events.delay()
        except Exception:
            flag.delete(PROCESSOR_QUEUED_KEY)  # no job behind it: let the next event try
            raise
    _processor_pending_until = now + WAKE_WINDOW_SECONDS


def process_queue():
    """The processing job: take the wake-up, apply every pending event, look once more.

    The last look comes ``2 × WAKE_WINDOW_SECONDS`` after the wake-up was taken, for the
    events whose requests skipped waking us (see :func:`wake_processor`).
    """
    flag = _queue_flag()
    if flag is None:
        return process_pending_events()
    flag.delete(PROCESSOR_QUEUED_KEY)
    taken = time.monotonic()
    done = process_pending_events()
    time.sleep(max(0.0, taken + 2 * WAKE_WINDOW_SECONDS - time.monotonic()))
    return done + process_pending_events()


def process_pending_events(batch_size=BATCH_SIZE):
    """Apply every pending event, oldest first, a batch per transaction. Returns the count.

    Events that failed before are left to their own retry job (with backoff) and to the
    sweep. Within a batch each event has its own savepoint: one that fails is rolled back
    and recorded, the others are kept. The campaigns a batch pays into are locked first,
    in id order, so that two jobs working on batches for the same campaigns wait for each
    other instead of deadlocking.
    """
    done = 0
    while True:
        with transaction.atomic():
            batch = list(
                WebhookEvent.objects.select_for_update(skip_locked=True)
                .filter(processed_at__isnull=True, attempts=0)
                .order_by("pk")[:batch_size]
            )
            _lock_campaigns_of(batch)
            applied = []
            for event in batch:
                try:
                    with transaction.atomic():
                        _apply(event, save=False)
                except Exception as error:
                    logger.exception("Processing webhook event %s failed", event.pk)
                    record_failure(event.pk, error)
                    transaction.on_commit(lambda pk=event.pk: _retry_later(pk), robust=True)
                else:
                    applied.append(event)
            # Marked in the transaction that applied them, one statement for the batch.
            WebhookEvent.objects.bulk_update(applied, MARK_FIELDS)
            done += len(applied)
        if len(batch) < batch_size:
            return done


def _lock_campaigns_of(events):
    pledge_ids = {
        pledge_id
        for event in events
        if (pledge_id := _pledge_id_in(event.payload.get("data", {}).get("object") or {}))
    }
    if pledge_ids:
        campaign_ids = Pledge.objects.filter(pk__in=pledge_ids).values("campaign_id")
        list(
            Campaign.objects.select_for_update()
            .filter(pk__in=campaign_ids)
            .order_by("pk")
            .values_list("pk", flat=True)
        )


def _retry_later(event_pk):
    from campaigns.jobs import backoff, process_webhook_event

    process_webhook_event.apply_async((event_pk,), countdown=backoff(0))


@transaction.atomic
def process_event(event_pk):
    """Apply one stored event, at most once. Returns its outcome."""
    event = WebhookEvent.objects.select_for_update().get(pk=event_pk)
    if event.processed_at is None:
        _apply(event)
    return event.outcome


MARK_FIELDS = ["outcome", "flag_reason", "processed_at", "attempts", "last_error"]


def _apply(event, *, save=True):
    """Apply a locked, unprocessed event and mark it processed, in the caller's transaction.

    With ``save=False`` the caller stores the marks (see :func:`process_pending_events`).
    """
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
    if save:
        event.save(update_fields=MARK_FIELDS)


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


def handle_charge_refunded(charge, event_id):
    pledge = _pledge_from_payment(charge)
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
        pledge = _pledge_from_payment(refund)
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
