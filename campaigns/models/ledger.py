from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PledgeStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    PAID = "paid", _("Paid")
    REFUND_PENDING = "refund_pending", _("Refund pending")
    REFUNDED = "refunded", _("Refunded")
    FAILED = "failed", _("Failed")
    EXPIRED = "expired", _("Expired")


class Pledge(models.Model):
    """A promise of money to a campaign; its payment attempts and refunds are kept apart."""

    Status = PledgeStatus
    COUNTED_STATUSES = [PledgeStatus.PAID, PledgeStatus.REFUND_PENDING]

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
    status = models.CharField(
        _("status"), max_length=16, choices=PledgeStatus.choices, default=PledgeStatus.PENDING
    )
    created_at = models.DateTimeField(auto_now_add=True)
    paid_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("pledge")
        verbose_name_plural = _("pledges")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["campaign", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount_cents__gt=0), name="pledge_amount_positive"
            )
        ]

    def __str__(self):
        return f"#{self.pk} {self.amount_cents} {self.currency} ({self.status})"

    @property
    def supporter_key(self):
        """Identifies the person behind a pledge, so that each supporter counts once."""
        if self.donor_id:
            return f"user:{self.donor_id}"
        return f"email:{self.guest_email.lower()}"

    @property
    def display_name(self):
        if self.is_anonymous or not self.public_name:
            return None
        return self.public_name
