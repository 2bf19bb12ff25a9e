"""Paying a funded initiative out: the initiators' bank account, the payout and the batches.

A payout moves requested → approved → batched → paid (declared below with django-fsm).
Above ``PAYOUT_SECOND_APPROVAL_CENTS`` two different staff members approve it. Approved
payouts go to the bank in a ``PayoutBatch`` (a SEPA credit-transfer file, pain.001); once
the bank confirms, staff mark the batch paid, which marks its payouts paid.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition

from cms.money import format_money
from core.iban import mask_iban, validate_kvk_number, validate_sepa_iban


class PayoutAccount(models.Model):
    """Where the money of one initiative goes. Only its initiators enter or change it."""

    class HolderKind(models.TextChoices):
        PERSON = "person", _("A person")
        ORGANISATION = "organisation", _("A foundation or association")

    campaign = models.OneToOneField(
        "campaigns.Campaign", on_delete=models.CASCADE, related_name="payout_account"
    )
    iban = models.CharField(_("IBAN"), max_length=34, validators=[validate_sepa_iban])
    holder_name = models.CharField(_("account holder"), max_length=70)
    holder_kind = models.CharField(
        _("the account holder is"), max_length=16, choices=HolderKind.choices
    )
    kvk_number = models.CharField(
        _("KvK number"), max_length=8, blank=True, validators=[validate_kvk_number]
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    wagtail_reference_index_ignore = True

    class Meta:
        verbose_name = _("payout account")
        verbose_name_plural = _("payout accounts")
        constraints = [
            models.CheckConstraint(
                condition=Q(holder_kind="person") | ~Q(kvk_number=""),
                name="payout_account_organisation_has_kvk",
            )
        ]

    def __str__(self):
        return f"{self.holder_name} ({self.masked_iban})"

    @property
    def masked_iban(self):
        return mask_iban(self.iban)


class PayoutStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    APPROVED = "approved", _("Approved")
    BATCHED = "batched", _("Sent to the bank")
    PAID = "paid", _("Paid")


class Payout(FSMModelMixin, models.Model):
    """The one payout of a funded initiative; ``lines`` is the breakdown the amount came from."""

    Status = PayoutStatus

    campaign = models.OneToOneField(
        "campaigns.Campaign", on_delete=models.PROTECT, related_name="payout"
    )
    status = FSMField(
        _("status"),
        max_length=16,
        choices=PayoutStatus.choices,
        default=PayoutStatus.REQUESTED,
        protected=True,
    )
    amount_cents = models.BigIntegerField(_("amount (cents)"))
    currency = models.CharField(max_length=3, default="EUR")
    lines = models.JSONField(_("breakdown"), default=list)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    first_approver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("approved by"),
    )
    second_approver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("second approval by"),
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    batch = models.ForeignKey(
        "campaigns.PayoutBatch",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="payouts",
    )
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)

    wagtail_reference_index_ignore = True

    class Meta:
        verbose_name = _("payout")
        verbose_name_plural = _("payouts")
        constraints = [
            models.CheckConstraint(condition=Q(amount_cents__gt=0), name="payout_amount_positive"),
            models.CheckConstraint(
                condition=~Q(first_approver=models.F("second_approver")),
                name="payout_two_different_approvers",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["requested", "approved"]) | Q(batch__isnull=False),
                name="payout_batched_has_batch",
            ),
        ]

    def __str__(self):
        return f"{self.campaign.page.title} ({self.get_status_display()})"

    @transition(field=status, source=PayoutStatus.REQUESTED, target=PayoutStatus.APPROVED)
    def approve(self):
        pass

    @transition(field=status, source=PayoutStatus.APPROVED, target=PayoutStatus.BATCHED)
    def add_to_batch(self):
        pass

    @transition(field=status, source=PayoutStatus.BATCHED, target=PayoutStatus.PAID)
    def pay(self):
        pass

    @property
    def amount_display(self):
        return format_money(self.amount_cents, self.currency)

    @property
    def is_paid(self):
        return self.status == PayoutStatus.PAID

    @property
    def needs_second_approval(self):
        return self.amount_cents > settings.PAYOUT_SECOND_APPROVAL_CENTS

    @property
    def masked_iban(self):
        account = getattr(self.campaign, "payout_account", None)
        return account.masked_iban if account else ""


class BatchStatus(models.TextChoices):
    SENT = "sent", _("Sent to the bank")
    PAID = "paid", _("Paid")


class PayoutBatch(FSMModelMixin, models.Model):
    """One SEPA credit-transfer file (pain.001) with the approved payouts it carries."""

    Status = BatchStatus

    status = FSMField(
        _("status"),
        max_length=16,
        choices=BatchStatus.choices,
        default=BatchStatus.SENT,
        protected=True,
    )
    message_id = models.CharField(_("message id"), max_length=35, unique=True)
    xml = models.TextField(_("SEPA file"), editable=False)
    control_sum_cents = models.BigIntegerField(_("control sum (cents)"))
    payment_count = models.PositiveIntegerField(_("payments"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    marked_paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    wagtail_reference_index_ignore = True

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("payout batch")
        verbose_name_plural = _("payout batches")

    def __str__(self):
        return self.message_id

    @property
    def control_sum_display(self):
        return format_money(self.control_sum_cents, "EUR")

    @property
    def is_paid(self):
        return self.status == BatchStatus.PAID

    @transition(field=status, source=BatchStatus.SENT, target=BatchStatus.PAID)
    def confirm_paid(self):
        pass
