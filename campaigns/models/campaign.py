from datetime import datetime, time

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    LIVE = "live", _("Live")
    SUCCEEDED = "succeeded", _("Funded")
    FAILED = "failed", _("Not funded")
    REALISED = "realised", _("Realised")
    CANCELLED = "cancelled", _("Cancelled")


class Campaign(models.Model):
    """The running state of one initiative: its status and its totals.

    ``raised_cents`` and ``supporter_count`` are a cache of the ledger that services keep
    equal to it inside the transaction of every change.
    """

    Status = CampaignStatus
    PUBLIC_STATUSES = [
        CampaignStatus.LIVE,
        CampaignStatus.SUCCEEDED,
        CampaignStatus.FAILED,
        CampaignStatus.REALISED,
    ]
    EDITABLE_STATUSES = [CampaignStatus.DRAFT, CampaignStatus.LIVE]

    page = models.OneToOneField(
        "campaigns.InitiativePage", on_delete=models.CASCADE, related_name="campaign"
    )
    status = models.CharField(
        _("status"), max_length=16, choices=CampaignStatus.choices, default=CampaignStatus.DRAFT
    )
    initiators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="initiated_campaigns", verbose_name=_("initiators")
    )
    currency = models.CharField(max_length=3, default="EUR")
    raised_cents = models.BigIntegerField(_("raised (cents)"), default=0)
    supporter_count = models.PositiveIntegerField(_("supporters"), default=0)
    moderator_note = models.TextField(_("note from the moderator"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    live_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # Bumped in the transaction of every change the initiative page shows: the key of the
    # page's cached fragments (campaigns.caching). Saves that name update_fields leave it.
    cache_version = models.PositiveIntegerField(default=0, editable=False)

    # Running state, not content: keep it out of Wagtail's reference index.
    wagtail_reference_index_ignore = True

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        indexes = [models.Index(fields=["status"])]

    def __str__(self):
        return f"{self.page.draft_title} ({self.get_status_display()})"

    @property
    def percentage(self):
        """Whole percent of the goal raised; it passes 100 when a campaign is overfunded."""
        goal = self.page.goal_cents
        return (self.raised_cents * 100) // goal if goal else 0

    @property
    def deadline_at(self):
        """The campaign closes at the end of its deadline day, Dutch time."""
        end_of_day = datetime.combine(self.page.deadline, time.max)
        return timezone.make_aware(end_of_day, timezone.get_default_timezone())

    @property
    def days_left(self):
        if self.status != CampaignStatus.LIVE:
            return 0
        return max(0, (self.page.deadline - timezone.localdate()).days)

    @property
    def is_open_for_support(self):
        return self.status == CampaignStatus.LIVE and timezone.now() <= self.deadline_at
