from datetime import datetime, time

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition

from core import limits

# FundingModel.KEEP_WHAT_YOU_RAISE (pages.py, which imports this module).
KEEP_WHAT_YOU_RAISE = "keep_what_you_raise"

# The listing's sort keys (see Campaign.listing_keys): a group times SPAN plus a day number.
LISTING_SPAN = 10_000_000


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    LIVE = "live", _("Live")
    SUCCEEDED = "succeeded", _("Funded")
    FAILED = "failed", _("Not funded")
    REALISED = "realised", _("Realised")
    CANCELLED = "cancelled", _("Cancelled")


class Campaign(FSMModelMixin, models.Model):
    """The running state of one initiative: its status and its totals.

    ``raised_cents`` and ``supporter_count`` are a cache of the ledger that services keep
    equal to it inside the transaction of every change.

    The status is a declared state machine: the ``@transition`` methods below are the only
    way it changes, fired by the services through ``campaigns.state.fire``::

        draft → in_review → live → succeeded | failed, succeeded → realised,
        in_review → draft (changes requested, or withdrawn), draft → live (published
        directly by a moderator), live → cancelled.
    """

    Status = CampaignStatus
    PUBLIC_STATUSES = [
        CampaignStatus.LIVE,
        CampaignStatus.SUCCEEDED,
        CampaignStatus.FAILED,
        CampaignStatus.REALISED,
        CampaignStatus.CANCELLED,
    ]
    FUNDED_STATUSES = [CampaignStatus.SUCCEEDED, CampaignStatus.REALISED]
    CLOSED_STATUSES = [
        CampaignStatus.SUCCEEDED,
        CampaignStatus.FAILED,
        CampaignStatus.REALISED,
        CampaignStatus.CANCELLED,
    ]
    EDITABLE_STATUSES = [CampaignStatus.DRAFT, CampaignStatus.LIVE]

    page = models.OneToOneField(
        "campaigns.InitiativePage", on_delete=models.CASCADE, related_name="campaign"
    )
    status = FSMField(
        _("status"),
        max_length=16,
        choices=CampaignStatus.choices,
        default=CampaignStatus.DRAFT,
        protected=True,
    )
    initiators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="initiated_campaigns", verbose_name=_("initiators")
    )
    currency = models.CharField(max_length=3, default="EUR")
    raised_cents = models.BigIntegerField(_("raised (cents)"), default=0)
    supporter_count = models.PositiveIntegerField(_("supporters"), default=0)
    moderator_note = models.TextField(
        _("note from the moderator"),
        blank=True,
        max_length=limits.MODERATOR_NOTE,
        validators=limits.text_limit(limits.MODERATOR_NOTE),
    )
    cancel_reason = models.TextField(
        _("reason for cancelling"),
        blank=True,
        max_length=limits.CANCEL_REASON,
        validators=limits.text_limit(limits.CANCEL_REASON),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    live_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # Bumped in the transaction of every change the initiative page shows: the key of the
    # page's cached fragments (campaigns.caching). Saves that name update_fields leave it.
    cache_version = models.PositiveIntegerField(default=0, editable=False)
    # The /initiatives/ orders as indexed integers (listing_keys), kept by save() on every
    # status change and by refresh_listing_keys when the page's deadline is published.
    listing_rank = models.BigIntegerField(default=0, db_default=0, editable=False)
    closing_rank = models.BigIntegerField(default=0, db_default=0, editable=False)

    # Running state, not content: keep it out of Wagtail's reference index.
    wagtail_reference_index_ignore = True

    class Meta:
        # The "newest" order (live_at DESC NULLS LAST) has its index in migration 0020, on
        # PostgreSQL only: SQLite has no NULLS LAST in an index.
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        indexes = [
            models.Index(fields=["status"]),
            models.Index(fields=["listing_rank", "page"], name="campaign_listing_idx"),
            models.Index(fields=["closing_rank", "page"], name="campaign_closing_idx"),
            models.Index(
                models.F("supporter_count").desc(),
                models.F("raised_cents").desc(),
                "page",
                name="campaign_supported_idx",
            ),
        ]

    def __str__(self):
        return f"{self.page.draft_title} ({self.get_status_display()})"

    def save(self, *args, update_fields=None, **kwargs):
        """Every save that writes the status writes the listing's sort keys with it."""
        if update_fields is None or "status" in update_fields:
            self.listing_rank, self.closing_rank = listing_keys(self.status, self.page.deadline)
            if update_fields is not None:
                update_fields = [*update_fields, "listing_rank", "closing_rank"]
        super().save(*args, update_fields=update_fields, **kwargs)

    # Transitions. Bodies set only what moves with the state; services save and audit.

    @transition(field=status, source=CampaignStatus.DRAFT, target=CampaignStatus.IN_REVIEW)
    def submit(self):
        self.submitted_at = timezone.now()

    @transition(
        field=status,
        source=[CampaignStatus.DRAFT, CampaignStatus.IN_REVIEW],
        target=CampaignStatus.LIVE,
    )
    def approve(self):
        self.live_at = timezone.now()

    @transition(field=status, source=CampaignStatus.IN_REVIEW, target=CampaignStatus.DRAFT)
    def request_changes(self):
        pass

    @transition(field=status, source=CampaignStatus.IN_REVIEW, target=CampaignStatus.DRAFT)
    def withdraw_from_review(self):
        pass

    @transition(field=status, source=CampaignStatus.LIVE, target=CampaignStatus.SUCCEEDED)
    def succeed(self):
        self.closed_at = timezone.now()

    @transition(field=status, source=CampaignStatus.LIVE, target=CampaignStatus.FAILED)
    def fail(self):
        self.closed_at = timezone.now()

    @transition(field=status, source=CampaignStatus.SUCCEEDED, target=CampaignStatus.REALISED)
    def realise(self):
        """Fired only when a moderator approves the account of spending
        (``campaigns.services.spending.approve_spending``)."""

    @transition(field=status, source=CampaignStatus.LIVE, target=CampaignStatus.CANCELLED)
    def cancel(self):
        """The service stores the required ``cancel_reason`` beside it."""
        self.closed_at = timezone.now()

    # Questions templates ask, so that they never compare against a status string.

    @property
    def is_draft(self):
        return self.status == CampaignStatus.DRAFT

    @property
    def is_in_review(self):
        return self.status == CampaignStatus.IN_REVIEW

    @property
    def is_live(self):
        return self.status == CampaignStatus.LIVE

    @property
    def is_funded(self):
        """Succeeded or realised: the goal was reached (or kept what it raised)."""
        return self.status in self.FUNDED_STATUSES

    @property
    def reached_goal(self):
        """Funded and the goal reached: what pages call "Funded" ("Gefinancierd").

        A keep-what-you-raise campaign that closed below its goal succeeded with what it
        raised, but did not reach its goal. ``Campaign.reached_goal_filter()`` is the same
        rule for queries; keep the two together.
        """
        return self.is_funded and not (
            self.page.funding_model == KEEP_WHAT_YOU_RAISE
            and self.raised_cents < self.page.goal_cents
        )

    @staticmethod
    def reached_goal_filter():
        """``reached_goal`` as a ``Q`` over campaigns, for filters and aggregates."""
        return Q(status__in=Campaign.FUNDED_STATUSES) & ~Q(
            page__funding_model=KEEP_WHAT_YOU_RAISE, raised_cents__lt=F("page__goal_cents")
        )

    @property
    def kept_below_goal(self):
        """Succeeded below its goal under keep-what-you-raise: what was raised, not "Funded"."""
        return self.status == CampaignStatus.SUCCEEDED and not self.reached_goal

    @property
    def is_failed(self):
        return self.status == CampaignStatus.FAILED

    @property
    def is_realised(self):
        return self.status == CampaignStatus.REALISED

    @property
    def is_cancelled(self):
        return self.status == CampaignStatus.CANCELLED

    @property
    def is_closed(self):
        return self.status in self.CLOSED_STATUSES

    @property
    def is_editable(self):
        return self.status in self.EDITABLE_STATUSES

    @property
    def accepts_updates(self):
        """Updates can be posted once the initiative is public (not a draft or in review)."""
        return self.status in self.PUBLIC_STATUSES

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


def listing_keys(status, deadline):
    """``(listing_rank, closing_rank)``: the listing's two deadline orders as integers.

    The default order is live initiatives closing soonest first, then the funded ones, then
    the rest, each closed group latest deadline first; "closing soon" is the live ones by
    deadline, then every closed one latest deadline first. The status lives on the campaign
    and the deadline on the page, so no index could serve those orders across the join;
    one integer per order (the group times ``LISTING_SPAN``, plus the deadline's day
    number, counted down for closed groups) makes each a plain index scan.
    """
    day = deadline.toordinal()
    if status == CampaignStatus.LIVE:
        return day, day
    later_first = LISTING_SPAN - 1 - day
    if status in Campaign.FUNDED_STATUSES:
        return LISTING_SPAN + later_first, LISTING_SPAN + later_first
    if status in Campaign.PUBLIC_STATUSES:
        return 2 * LISTING_SPAN + later_first, LISTING_SPAN + later_first
    return 3 * LISTING_SPAN + later_first, 3 * LISTING_SPAN + later_first
