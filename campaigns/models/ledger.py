"""The money ledger: pledges, their payment attempts and refunds, and Stripe's events."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Case, CharField, F, Q, Value, When
from django.db.models.functions import Cast, Concat, Lower, Upper
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition

from cms.money import format_money


class PledgeStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    PAID = "paid", _("Paid")
    REFUND_PENDING = "refund_pending", _("Refund pending")
    REFUNDED = "refunded", _("Refunded")
    FAILED = "failed", _("Failed")
    EXPIRED = "expired", _("Expired")


FORMER_MEMBER = _("Former member")


def shown_name(public_name, is_anonymous, anonymised=False):
    """The name a pledge shows on the initiative page, or None for "Anonymous".

    A pledge whose donor deleted their account keeps showing that someone gave, under
    "Former member" instead of the name it had.
    """
    if is_anonymous:
        return None
    if anonymised:
        return FORMER_MEMBER
    return public_name or None


def pledge_supporter_key(donor_id, guest_email, supporter_ref):
    """The key that makes each donor count once (see ``campaigns.services.totals``).

    A donor with an account is ``user:<id>``, a guest ``email:<address>``. Once the account
    is deleted or the guest's address forgotten, the pledge keeps a random
    ``supporter_ref``, the same for all pledges of that person in that campaign, so the
    count of distinct supporters stays what it was.
    """
    if donor_id:
        return f"user:{donor_id}"
    if supporter_ref:
        return f"ref:{supporter_ref}"
    return f"email:{guest_email.lower()}"


def pledge_supporter_key_sql():
    """:func:`pledge_supporter_key` as an SQL expression, for counting distinct supporters
    in the database: the two must build the same key."""
    return Case(
        When(donor__isnull=False, then=Concat(Value("user:"), Cast("donor_id", CharField()))),
        When(~Q(supporter_ref=""), then=Concat(Value("ref:"), "supporter_ref")),
        default=Concat(Value("email:"), Lower("guest_email")),
        output_field=CharField(),
    )


class Pledge(FSMModelMixin, models.Model):
    """A promise of money to a campaign; its payment attempts and refunds are kept apart.

    pending → paid → refund_pending → refunded, or pending → failed | expired, and a failed
    or expired pledge may be retried (→ pending). Only a verified Stripe event moves a
    pledge to paid. The status changes only through the ``@transition`` methods below,
    fired by the services through ``campaigns.state.fire``.
    """

    Status = PledgeStatus
    COUNTED_STATUSES = [PledgeStatus.PAID, PledgeStatus.REFUND_PENDING]

    reference = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.PROTECT, related_name="pledges"
    )
    amount_cents = models.PositiveIntegerField(_("amount (cents)"))
    currency = models.CharField(max_length=3, default="EUR")
    donor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="pledges",
    )
    guest_email = models.EmailField(_("e-mail"), blank=True)
    public_name = models.CharField(_("public name"), max_length=80, blank=True)
    is_anonymous = models.BooleanField(_("anonymous"), default=False)
    message = models.CharField(_("message"), max_length=500, blank=True)
    language = models.CharField(max_length=8, default="nl")
    wants_updates = models.BooleanField(
        _("wants updates by e-mail"),
        default=False,
        help_text=_("A guest donor ticked the box for news about this initiative."),
    )
    supporter_ref = models.CharField(max_length=32, blank=True, editable=False)
    anonymised_at = models.DateTimeField(_("anonymised"), null=True, blank=True, editable=False)
    status = FSMField(
        _("status"),
        max_length=16,
        choices=PledgeStatus.choices,
        default=PledgeStatus.PENDING,
        protected=True,
    )
    flagged_reason = models.CharField(_("flagged for staff"), max_length=200, blank=True)
    paid_session_id = models.CharField(max_length=255, blank=True, editable=False)
    paid_payment_intent_id = models.CharField(max_length=255, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    paid_at = models.DateTimeField(_("paid"), null=True, blank=True)

    # Running state, not content: keep it out of Wagtail's reference index.
    wagtail_reference_index_ignore = True

    class Meta:
        verbose_name = _("pledge")
        verbose_name_plural = _("pledges")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["campaign", "status"]),
            models.Index(fields=["campaign", "donor"]),
            # Supporter counting asks "did this address give before?" with iexact, which
            # PostgreSQL answers as UPPER(guest_email) = UPPER(%s).
            models.Index(F("campaign"), Upper("guest_email"), name="pledge_campaign_guest_email"),
            # Listings page newest first in a stable order: the staff list (all, or one
            # campaign's) and "My donations" read these backwards, never sorting the table.
            models.Index(fields=["created_at", "id"], name="pledge_created"),
            models.Index(fields=["campaign", "created_at", "id"], name="pledge_campaign_created"),
            models.Index(fields=["donor", "created_at", "id"], name="pledge_donor_created"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount_cents__gt=0), name="pledge_amount_positive"
            )
        ]

    def __str__(self):
        return f"#{self.pk} {self.amount_cents / 100:.2f} {self.currency} ({self.status})"

    # Transitions. Bodies set only what moves with the state; services save and audit.

    @transition(
        field=status,
        source=[PledgeStatus.PENDING, PledgeStatus.FAILED, PledgeStatus.EXPIRED],
        target=PledgeStatus.PAID,
    )
    def pay(self):
        """A verified payment wins, even over a failure or expiry that Stripe sent first."""
        self.paid_at = timezone.now()

    @transition(field=status, source=PledgeStatus.PENDING, target=PledgeStatus.FAILED)
    def fail(self):
        pass

    @transition(field=status, source=PledgeStatus.PENDING, target=PledgeStatus.EXPIRED)
    def expire(self):
        pass

    @transition(
        field=status,
        source=[PledgeStatus.FAILED, PledgeStatus.EXPIRED],
        target=PledgeStatus.PENDING,
    )
    def retry(self):
        pass

    @transition(field=status, source=PledgeStatus.PAID, target=PledgeStatus.REFUND_PENDING)
    def request_refund(self):
        pass

    @transition(
        field=status,
        source=[PledgeStatus.PAID, PledgeStatus.REFUND_PENDING],
        target=PledgeStatus.REFUNDED,
    )
    def complete_refund(self):
        pass

    @property
    def is_pending(self):
        return self.status == PledgeStatus.PENDING

    @property
    def is_paid(self):
        return self.status == PledgeStatus.PAID

    @property
    def is_refunded(self):
        return self.status == PledgeStatus.REFUNDED

    @property
    def is_counted(self):
        """Paid, or paid and being refunded: the money is in the campaign's total."""
        return self.status in self.COUNTED_STATUSES

    @property
    def was_paid(self):
        """The money arrived at some point, whether or not it has gone back since."""
        return self.status in (*self.COUNTED_STATUSES, PledgeStatus.REFUNDED)

    @property
    def can_be_retried(self):
        return self.status in (PledgeStatus.PENDING, PledgeStatus.FAILED, PledgeStatus.EXPIRED)

    @property
    def supporter_key(self):
        """Identifies the person behind a pledge, so that each supporter counts once."""
        return pledge_supporter_key(self.donor_id, self.guest_email, self.supporter_ref)

    @property
    def display_name(self):
        return shown_name(self.public_name, self.is_anonymous, self.anonymised_at is not None)

    @property
    def email(self):
        return self.donor.email if self.donor_id else self.guest_email

    @property
    def amount_display(self):
        return format_money(self.amount_cents, self.currency)


class PaymentAttempt(models.Model):
    """One try at paying a pledge: a Checkout Session at Stripe (or the test checkout)."""

    class Status(models.TextChoices):
        CREATED = "created", _("Created")
        OPEN = "open", _("Open")
        PAID = "paid", _("Paid")
        FAILED = "failed", _("Failed")
        EXPIRED = "expired", _("Expired")
        ERROR = "error", _("Could not start")

    reference = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    pledge = models.ForeignKey(Pledge, on_delete=models.PROTECT, related_name="attempts")
    gateway = models.CharField(max_length=32)
    checkout_session_id = models.CharField(max_length=255, blank=True, db_index=True)
    payment_intent_id = models.CharField(max_length=255, blank=True, db_index=True)
    checkout_url = models.URLField(max_length=2000, blank=True)
    amount_cents = models.PositiveIntegerField()
    currency = models.CharField(max_length=3, default="EUR")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.CREATED)
    error = models.CharField(max_length=500, blank=True)
    # A paid attempt that was not the counted payment (a pledge paid twice) and that staff
    # refunded in Stripe: the money went back, the pledge and the totals did not change.
    refunded_at = models.DateTimeField(_("refunded"), null=True, blank=True)
    refund_external_id = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # Running state, not content: keep it out of Wagtail's reference index.
    wagtail_reference_index_ignore = True

    class Meta:
        verbose_name = _("payment attempt")
        verbose_name_plural = _("payment attempts")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.gateway} {self.checkout_session_id or self.reference} ({self.status})"

    @property
    def idempotency_key(self):
        return f"checkout-{self.reference}"

    @property
    def is_open(self):
        return self.status == self.Status.OPEN


class RefundStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")


class Refund(FSMModelMixin, models.Model):
    """One try at giving a pledge's counted payment back.

    pending → succeeded | failed. A failed or canceled refund stays as it is, with its
    error; staff may retry, which adds a new row (``sequence`` 2, 3, ...) with its own
    idempotency key, so each try keeps its Stripe id and error. At most one row per pledge
    is pending or succeeded (a database constraint): a pledge is refunded at most once.
    """

    Status = RefundStatus

    pledge = models.ForeignKey(Pledge, on_delete=models.PROTECT, related_name="refunds")
    sequence = models.PositiveSmallIntegerField(_("try"), default=1)
    amount_cents = models.PositiveIntegerField()
    currency = models.CharField(max_length=3, default="EUR")
    external_id = models.CharField(max_length=255, blank=True, db_index=True)
    idempotency_key = models.CharField(max_length=100, unique=True)
    status = FSMField(
        _("status"),
        max_length=16,
        choices=RefundStatus.choices,
        default=RefundStatus.PENDING,
        protected=True,
    )
    reason = models.CharField(max_length=64, blank=True)
    attempts = models.PositiveIntegerField(_("gateway calls"), default=0)
    last_error = models.CharField(_("error"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    # Running state, not content: keep it out of Wagtail's reference index.
    wagtail_reference_index_ignore = True

    class Meta:
        verbose_name = _("refund")
        verbose_name_plural = _("refunds")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["pledge", "sequence"], name="refund_pledge_sequence"),
            models.UniqueConstraint(
                fields=["pledge"],
                condition=~models.Q(status=RefundStatus.FAILED),
                name="refund_one_live_per_pledge",
            ),
        ]

    def __str__(self):
        return f"refund {self.sequence} of pledge #{self.pledge_id} ({self.status})"

    @staticmethod
    def key_for(pledge_id, sequence):
        """``refund-<pledge id>`` for the first try (as always), ``refund-<id>-<n>`` after."""
        return f"refund-{pledge_id}" if sequence == 1 else f"refund-{pledge_id}-{sequence}"

    @transition(field=status, source=RefundStatus.PENDING, target=RefundStatus.SUCCEEDED)
    def succeed(self):
        self.completed_at = timezone.now()

    @transition(field=status, source=RefundStatus.PENDING, target=RefundStatus.FAILED)
    def fail(self):
        pass

    @property
    def is_failed(self):
        return self.status == RefundStatus.FAILED

    @property
    def amount_display(self):
        return format_money(self.amount_cents, self.currency)


class WebhookEvent(models.Model):
    """A verified Stripe event, stored before it is processed so nothing is lost.

    ``attempts`` counts tries at processing it. After ``STRIPE_EVENT_MAX_ATTEMPTS`` failed
    tries it is marked dead (``dead_at``): nothing retries it any more until staff press
    "process again".
    """

    class Outcome(models.TextChoices):
        PENDING = "", _("Not processed yet")
        APPLIED = "applied", _("Applied")
        NO_CHANGE = "no_change", _("No change")
        IGNORED = "ignored", _("Ignored type")
        FLAGGED = "flagged", _("Flagged for staff")

    stripe_id = models.CharField(max_length=255, unique=True)
    type = models.CharField(max_length=100, db_index=True)
    payload = models.JSONField()
    livemode = models.BooleanField(default=False)
    received_at = models.DateTimeField(auto_now_add=True, db_index=True)
    processed_at = models.DateTimeField(null=True, blank=True, db_index=True)
    outcome = models.CharField(max_length=16, choices=Outcome.choices, blank=True, default="")
    flag_reason = models.CharField(max_length=300, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    dead_at = models.DateTimeField(_("given up"), null=True, blank=True)
    # Set when the payload was cut down to what the ledger needs (see docs/privacy.md).
    payload_pruned_at = models.DateTimeField(null=True, blank=True)

    # Running state, not content: keep it out of Wagtail's reference index.
    wagtail_reference_index_ignore = True

    class Meta:
        verbose_name = _("webhook event")
        verbose_name_plural = _("webhook events")
        ordering = ["-received_at"]

    def __str__(self):
        return f"{self.type} {self.stripe_id}"

    @property
    def is_dead(self):
        return self.dead_at is not None
