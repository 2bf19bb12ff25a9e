"""Refunds as Stripe reports them, refunds that fail, and staff's retry.

A refund event names a pledge (its metadata) and a payment intent. Only a refund of the
payment that was counted (``Pledge.paid_payment_intent_id``) refunds the pledge. A refund
of another payment of the same pledge (a pledge paid twice, whose second payment staff
give back in Stripe) is recorded on that payment's attempt; the pledge and the totals do
not change.

A refund that Stripe marks failed or canceled stays as a failed row with its error; the
pledge stays ``refund_pending`` and is flagged. Staff retry it (:func:`retry_refund`),
which adds a new row with a new idempotency key, so every try keeps its own record.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campaigns import audit
from campaigns.audit import Action
from campaigns.models import PaymentAttempt, Pledge, Refund
from campaigns.services.errors import ServiceError
from campaigns.services.locks import lock_pledge
from campaigns.services.pledges import complete_refund, flag_pledge, payment_intent_for
from campaigns.services.signals import refund_requested
from campaigns.state import fire

REFUNDED, NO_CHANGE, OTHER_PAYMENT_REFUNDED, FLAGGED = (
    "refunded",
    "no_change",
    "other_payment_refunded",
    "flagged",
)


class RefundNotRetryable(ServiceError):
    default_message = _(
        "Only a failed refund of a donation that is still being refunded can be retried."
    )


def _counted_payment(pledge):
    return payment_intent_for(pledge) if pledge.was_paid else ""


@transaction.atomic
def refund_reported(*, pledge_id, payment_intent_id="", external_id="", event_id=""):
    """Stripe says a payment of this pledge was refunded in full.

    Returns ``(result, flag_reason)``: ``REFUNDED`` or ``NO_CHANGE`` for the counted
    payment, ``OTHER_PAYMENT_REFUNDED`` (or ``NO_CHANGE`` when already recorded) for
    another paid attempt of the pledge, and ``FLAGGED`` with the reason when the payment
    is none the pledge counted or holds (the pledge is flagged, nothing else changes).
    An event without a payment intent is taken to be about the counted payment.
    """
    pledge = lock_pledge(pledge_id)
    counted = _counted_payment(pledge)
    if not payment_intent_id or payment_intent_id == counted:
        changed = complete_refund(pledge_id=pledge.pk, external_id=external_id, event_id=event_id)
        return (REFUNDED if changed else NO_CHANGE), ""
    attempt = (
        PaymentAttempt.objects.select_for_update()
        .filter(pledge=pledge, payment_intent_id=payment_intent_id)
        .first()
    )
    if not counted or attempt is None or attempt.status != PaymentAttempt.Status.PAID:
        reason = (
            f"refund {external_id} of payment {payment_intent_id}, "
            f"which pledge {pledge.pk} does not hold"
        )
        flag_pledge(pledge_id=pledge.pk, reason=reason)
        return FLAGGED, reason
    if attempt.refunded_at is not None:
        return NO_CHANGE, ""
    attempt.refunded_at = timezone.now()
    attempt.refund_external_id = external_id
    attempt.save(update_fields=["refunded_at", "refund_external_id", "updated_at"])
    audit.record(
        attempt,
        Action.PAYMENT_REFUNDED,
        actor_label="stripe",
        amount_cents=attempt.amount_cents,
        refund=external_id,
        event=event_id,
    )
    return OTHER_PAYMENT_REFUNDED, ""


def _fail(pledge, refund, *, error, flag, event_id=""):
    """Mark a locked pending refund failed (with its error) and flag the pledge."""
    if refund is not None and refund.status == Refund.Status.PENDING:
        refund.last_error = error[:500]
        fire(
            refund,
            "fail",
            action=Action.REFUND_FAILED,
            actor_label="stripe",
            update_fields=["last_error", "external_id"],
            amount_cents=refund.amount_cents,
            error=error,
            event=event_id,
        )
    flag_pledge(pledge_id=pledge.pk, reason=flag)


@transaction.atomic
def fail_refund(*, refund_id, error, flag):
    """The gateway answered that our refund failed or was canceled."""
    pledge = lock_pledge(Refund.objects.values_list("pledge_id", flat=True).get(pk=refund_id))
    refund = Refund.objects.select_for_update().get(pk=refund_id)
    _fail(pledge, refund, error=error, flag=flag)


@transaction.atomic
def refund_failed_at_stripe(*, pledge_id, external_id, payment_intent_id="", status, event_id=""):
    """A ``refund.updated`` event says a refund failed or was canceled; returns the flag.

    The refund row is found by its Stripe id, else it is the pledge's pending one (whose
    id may not be stored yet). A failed refund of a payment that was not counted only
    flags the pledge: no refund row of the pledge belongs to it.
    """
    pledge = lock_pledge(pledge_id)
    refunds = Refund.objects.select_for_update().filter(pledge=pledge)
    refund = refunds.filter(external_id=external_id).first() if external_id else None
    flag = f"refund {external_id} {status}"
    if refund is None:
        counted = _counted_payment(pledge)
        if payment_intent_id and counted and payment_intent_id != counted:
            flag = f"refund {external_id} of uncounted payment {payment_intent_id} {status}"
            flag_pledge(pledge_id=pledge.pk, reason=flag)
            return flag
        refund = refunds.filter(status=Refund.Status.PENDING).first()
        if refund is not None and not refund.external_id:
            refund.external_id = external_id
    _fail(pledge, refund, error=f"Stripe refund {status}", flag=flag, event_id=event_id)
    return flag


@transaction.atomic
def retry_refund(*, refund, actor=None):
    """Staff try again after a failed refund: a new refund row with a new key.

    Allowed only while the pledge is still ``refund_pending`` and every earlier try
    failed, so a pledge never has two live refunds (a database constraint says so too).
    """
    pledge = lock_pledge(refund.pledge_id)
    tries = list(Refund.objects.select_for_update().filter(pledge=pledge).order_by("sequence"))
    if pledge.status != Pledge.Status.REFUND_PENDING or not all(r.is_failed for r in tries):
        raise RefundNotRetryable()
    last = tries[-1]
    sequence = last.sequence + 1
    retry = Refund.objects.create(
        pledge=pledge,
        sequence=sequence,
        amount_cents=pledge.amount_cents,
        currency=pledge.currency,
        idempotency_key=Refund.key_for(pledge.pk, sequence),
        reason=last.reason,
    )
    audit.record(
        retry,
        Action.REFUND_RETRIED,
        actor=actor,
        to_state=retry.status,
        amount_cents=retry.amount_cents,
        after=last.pk,
        idempotency_key=retry.idempotency_key,
    )
    transaction.on_commit(
        lambda: refund_requested.send(sender=Refund, refund_id=retry.pk), robust=True
    )
    return retry
