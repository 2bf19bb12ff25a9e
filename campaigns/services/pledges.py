"""Pledges and their payments: create, pay, fail, expire, refund.

pending → paid → refund_pending → refunded, or pending → failed | expired.
"""

import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campaigns import audit
from campaigns.audit import Action
from campaigns.events import PledgeFailed, PledgePaid, PledgeRefunded
from campaigns.models import Campaign, DigestItem, PaymentAttempt, Pledge, Refund
from campaigns.payments.gateway import GatewayError, get_gateway
from campaigns.services.errors import (
    AmountNotAllowed,
    CampaignClosed,
    PaymentProviderUnavailable,
    PledgeNotRefundable,
)
from campaigns.services.locks import lock_campaign, lock_pledge
from campaigns.services.matching import release_pledge_matches, reserve_matches
from campaigns.services.signals import refund_requested
from campaigns.services.totals import count_pledge, uncount_pledge
from campaigns.services.updates import add_digest_item
from campaigns.state import fire
from cms.money import format_money
from core.events import announce

logger = logging.getLogger(__name__)

MIN_DONATION_CENTS = 5_00

PAID, ALREADY_PAID, SECOND_PAYMENT = "paid", "already_paid", "second_payment"


def max_donation_cents():
    return settings.WIJKKAPITAAL["MAX_DONATION_CENTS"]


@transaction.atomic
def create_pledge(
    *,
    campaign,
    amount_cents,
    donor=None,
    guest_email="",
    public_name="",
    is_anonymous=False,
    message="",
    language="nl",
    wants_updates=False,
):
    """Store a pending pledge and its first payment attempt; nothing is paid yet."""
    campaign = lock_campaign(campaign.pk)
    if not campaign.is_open_for_support:
        raise CampaignClosed()
    if not MIN_DONATION_CENTS <= amount_cents <= max_donation_cents():
        raise AmountNotAllowed()
    pledge = Pledge.objects.create(
        campaign=campaign,
        amount_cents=amount_cents,
        currency=campaign.currency,
        donor=donor if getattr(donor, "pk", None) else None,
        guest_email="" if getattr(donor, "pk", None) else guest_email,
        public_name="" if is_anonymous else public_name,
        is_anonymous=is_anonymous,
        message=message,
        language=language,
        wants_updates=wants_updates and not getattr(donor, "pk", None),
    )
    attempt = PaymentAttempt.objects.create(
        pledge=pledge,
        gateway=settings.PAYMENT_GATEWAY,
        amount_cents=pledge.amount_cents,
        currency=pledge.currency,
    )
    audit.record(
        pledge,
        Action.PLEDGE_CREATED,
        actor=donor,
        to_state=pledge.status,
        amount_cents=pledge.amount_cents,
    )
    return pledge, attempt


def open_checkout(*, attempt, success_url, cancel_url):
    """Create the Checkout Session for an attempt. Runs outside any transaction.

    The pledge is already stored, so a gateway failure loses nothing: the attempt is
    marked as an error and the donor can start a new one.
    """
    pledge = attempt.pledge
    try:
        session = get_gateway().create_checkout_session(
            attempt=attempt,
            pledge=pledge,
            campaign_title=pledge.campaign.page.title,
            success_url=success_url,
            cancel_url=cancel_url,
        )
    except GatewayError as error:
        logger.warning("Checkout for pledge %s failed: %s", pledge.pk, error)
        PaymentAttempt.objects.filter(pk=attempt.pk).update(
            status=PaymentAttempt.Status.ERROR, error=str(error)[:500]
        )
        raise PaymentProviderUnavailable() from error
    PaymentAttempt.objects.filter(pk=attempt.pk).update(
        status=PaymentAttempt.Status.OPEN,
        checkout_session_id=session.id,
        payment_intent_id=session.payment_intent_id,
        checkout_url=session.url,
    )
    attempt.refresh_from_db()
    return attempt


@transaction.atomic
def retry_payment(*, pledge):
    """A new payment attempt for a pledge whose earlier attempt failed or expired."""
    pledge = lock_pledge(pledge.pk)
    if not pledge.can_be_retried:
        raise CampaignClosed(_("This donation is already paid or refunded."))
    if not pledge.campaign.is_open_for_support:
        raise CampaignClosed()
    if pledge.status != Pledge.Status.PENDING:
        _move(pledge, "retry", Action.PAYMENT_RETRIED)
    return PaymentAttempt.objects.create(
        pledge=pledge,
        gateway=settings.PAYMENT_GATEWAY,
        amount_cents=pledge.amount_cents,
        currency=pledge.currency,
    )


def _move(pledge, transition, action, **audit_data):
    """Fire a pledge transition; its audit entry carries the pledge's amount."""
    fire(pledge, transition, action=action, amount_cents=pledge.amount_cents, **audit_data)


def _update_attempt(pledge, session_id, payment_intent_id, status):
    attempts = PaymentAttempt.objects.filter(pledge=pledge)
    if session_id:
        attempts = attempts.filter(checkout_session_id=session_id)
    changes = {"status": status}
    if payment_intent_id:
        changes["payment_intent_id"] = payment_intent_id
    attempts.update(**changes)


@transaction.atomic(savepoint=False)
def mark_paid(*, pledge_id, session_id="", payment_intent_id="", event_id="", campaign_id=None):
    """A verified event says the money arrived.

    Returns ``PAID`` when the pledge became paid, ``ALREADY_PAID`` for a repeat of the
    payment that was counted, and ``SECOND_PAYMENT`` when another session of the same
    pledge was paid too (money taken twice): that one is flagged for staff, never counted.

    Without a savepoint of its own: it runs as a transaction, or inside the savepoint the
    webhook processor gives each event, which a failure here rolls back as a whole.
    """
    pledge = lock_pledge(pledge_id, campaign_id)
    _update_attempt(pledge, session_id, payment_intent_id, PaymentAttempt.Status.PAID)
    if pledge.status in Pledge.COUNTED_STATUSES or pledge.status == Pledge.Status.REFUNDED:
        if session_id and pledge.paid_session_id and session_id != pledge.paid_session_id:
            return SECOND_PAYMENT
        return ALREADY_PAID
    pledge.paid_session_id = session_id
    pledge.paid_payment_intent_id = payment_intent_id
    _move(
        pledge,
        "pay",
        Action.PLEDGE_PAID,
        actor_label="stripe",
        update_fields=["paid_at", "paid_session_id", "paid_payment_intent_id"],
        event=event_id,
    )
    count_pledge(pledge.campaign, pledge)
    reserve_matches(pledge)
    add_digest_item(
        campaign_id=pledge.campaign_id,
        kind=DigestItem.Kind.DONATION,
        object_id=pledge.pk,
        summary=f"{format_money(pledge.amount_cents, pledge.currency)} "
        f"({pledge.display_name or 'anonymous'})",
    )
    announce(PledgePaid(pledge_id=pledge.pk))
    late_refund_reason = {
        Campaign.Status.FAILED: "campaign_not_funded",
        Campaign.Status.CANCELLED: "campaign_cancelled",
    }.get(pledge.campaign.status)
    if late_refund_reason:
        # A late payment to a campaign that did not make it goes straight back.
        request_refund(pledge=pledge, reason=late_refund_reason)
    return PAID


@transaction.atomic
def mark_unpaid(*, pledge_id, to_status, session_id="", event_id=""):
    """A payment failed or its session expired; only a pending pledge changes."""
    pledge = lock_pledge(pledge_id)
    attempt_status, transition, action = {
        Pledge.Status.FAILED: (PaymentAttempt.Status.FAILED, "fail", Action.PAYMENT_FAILED),
        Pledge.Status.EXPIRED: (PaymentAttempt.Status.EXPIRED, "expire", Action.PAYMENT_EXPIRED),
    }[to_status]
    if session_id:
        PaymentAttempt.objects.filter(pledge=pledge, checkout_session_id=session_id).exclude(
            status=PaymentAttempt.Status.PAID
        ).update(status=attempt_status)
    if pledge.status != Pledge.Status.PENDING:
        return False
    if PaymentAttempt.objects.filter(
        pledge=pledge, status__in=[PaymentAttempt.Status.OPEN, PaymentAttempt.Status.CREATED]
    ).exists():
        return False  # another attempt of this pledge may still be paid
    _move(pledge, transition, action, actor_label="stripe", event=event_id)
    announce(PledgeFailed(pledge_id=pledge.pk))
    return True


@transaction.atomic
def flag_pledge(*, pledge_id, reason):
    pledge = lock_pledge(pledge_id)
    pledge.flagged_reason = reason[:200]
    pledge.save(update_fields=["flagged_reason"])
    audit.record(pledge, Action.PLEDGE_FLAGGED, actor_label="stripe", reason=reason)


@transaction.atomic
def request_refund(*, pledge, actor=None, reason="requested"):
    """Start refunding a paid pledge: at most one refund per pledge, ever."""
    pledge = lock_pledge(pledge.pk)
    if pledge.status != Pledge.Status.PAID:
        if pledge.status in (Pledge.Status.REFUND_PENDING, Pledge.Status.REFUNDED):
            return pledge.refunds.order_by("-sequence").first()
        raise PledgeNotRefundable()
    refund, _created = Refund.objects.get_or_create(
        pledge=pledge,
        sequence=1,
        defaults={
            "amount_cents": pledge.amount_cents,
            "currency": pledge.currency,
            "idempotency_key": Refund.key_for(pledge.pk, 1),
            "reason": reason,
        },
    )
    _move(pledge, "request_refund", Action.REFUND_REQUESTED, actor=actor, reason=reason)
    transaction.on_commit(
        lambda: refund_requested.send(sender=Refund, refund_id=refund.pk), robust=True
    )
    return refund


def payment_intent_for(pledge):
    """The payment intent of the payment that was counted, which a refund must target."""
    if pledge.paid_payment_intent_id:
        return pledge.paid_payment_intent_id
    attempt = (
        PaymentAttempt.objects.filter(
            pledge=pledge, status=PaymentAttempt.Status.PAID, refunded_at__isnull=True
        )
        .exclude(payment_intent_id="")
        .first()
    )
    return attempt.payment_intent_id if attempt else ""


def _live_refund(pledge):
    """The locked pending or succeeded refund of a pledge (at most one), and the count of
    tries so far."""
    refunds = list(Refund.objects.select_for_update().filter(pledge=pledge).order_by("sequence"))
    live = [refund for refund in refunds if refund.status != Refund.Status.FAILED]
    return (live[0] if live else None), len(refunds)


@transaction.atomic
def complete_refund(*, pledge_id, external_id="", event_id="", campaign_id=None):
    """The refund of the counted payment went through: the pledge is refunded and leaves
    the campaign's totals. Callers that got the refund from Stripe check first that it was
    the counted payment (``services.refunds.refund_reported``)."""
    pledge = lock_pledge(pledge_id, campaign_id)
    refund, tries = _live_refund(pledge)
    if refund is not None and refund.status == Refund.Status.PENDING:
        refund.external_id = refund.external_id or external_id
        fire(
            refund,
            "succeed",
            action=Action.REFUND_SUCCEEDED,
            actor_label="stripe",
            update_fields=["completed_at", "external_id"],
            amount_cents=refund.amount_cents,
            event=event_id,
        )
    if pledge.status not in Pledge.COUNTED_STATUSES:
        return False
    if refund is None:
        # Refunded from Stripe's dashboard: record it so the ledger stays complete.
        Refund.objects.create(
            pledge=pledge,
            sequence=tries + 1,
            amount_cents=pledge.amount_cents,
            currency=pledge.currency,
            external_id=external_id,
            idempotency_key=f"external-{external_id or pledge.pk}",
            status=Refund.Status.SUCCEEDED,
            completed_at=timezone.now(),
            reason="outside_platform",
        )
    _move(pledge, "complete_refund", Action.PLEDGE_REFUNDED, actor_label="stripe", event=event_id)
    uncount_pledge(pledge.campaign, pledge)
    release_pledge_matches(pledge)
    announce(PledgeRefunded(pledge_id=pledge.pk))
    return True
