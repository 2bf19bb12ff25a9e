"""Co-funding: programmes of funds and municipalities that match residents' donations.

A :class:`FundingProgramme` has a budget and a match ratio; an initiative joins it through
a :class:`ProgrammeApplication` (applied → approved | declined, or approved at once for an
automatic programme); every paid pledge of a joined initiative gets one :class:`Match` per
programme (reserved → committed → paid_out, or released). The running totals of a
programme (``reserved_cents``, ``committed_cents``, ``paid_out_cents``) are a cache of its
matches that ``campaigns.services.matching`` keeps equal to them under the programme's row
lock; a database constraint refuses any write that would spend more than the budget.
"""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition

from campaigns.models.pages import Category
from core import limits
from core.fields import BigCentsField, CentsField


class JoinMode(models.TextChoices):
    APPLICATION = "application", _("By application")
    AUTOMATIC = "automatic", _("Automatic")


# €100 million: far above any neighbourhood fund, low enough to catch a slip of the keyboard.
MAX_PROGRAMME_BUDGET_CENTS = 100_000_000_00
FUNDER_KINDS = ("fund", "municipality", "province", "housing_corporation")


class FundingProgrammeQuerySet(models.QuerySet):
    def open_on(self, day=None):
        day = day or timezone.localdate()
        return self.filter(is_active=True, opens_on__lte=day).filter(
            Q(closes_on__isnull=True) | Q(closes_on__gte=day)
        )

    def in_match_order(self):
        return self.order_by("priority", "pk")


class FundingProgramme(models.Model):
    """Money a funder adds to residents' donations, on its own terms.

    Match ratio: ``match_numerator / match_denominator`` euro per euro donated (1/1 doubles a
    donation, 1/2 adds fifty cents per euro). A match is computed in integer cents and
    rounded down to the cent, so a programme never pays a fraction of a cent more than its
    ratio; it is then cut to what is left of the cap per initiative and of the budget.
    Programmes match in ``priority`` order (lower first, then the oldest), shown on the page.
    """

    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="funding_programmes",
        verbose_name=_("organisation"),
        limit_choices_to={"kind__in": FUNDER_KINDS},
    )
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=140, unique=True)
    description = models.TextField(
        _("description"),
        blank=True,
        max_length=limits.ORGANISATION_DESCRIPTION,
        validators=limits.text_limit(limits.ORGANISATION_DESCRIPTION),
    )
    currency = models.CharField(max_length=3, default="EUR")
    budget_cents = BigCentsField(
        _("total budget (€)"),
        validators=[MinValueValidator(0), MaxValueValidator(MAX_PROGRAMME_BUDGET_CENTS)],
    )
    match_numerator = models.PositiveIntegerField(_("euro matched"), default=1)
    match_denominator = models.PositiveIntegerField(
        _("per euro donated"), default=1, validators=[MinValueValidator(1)]
    )
    cap_per_initiative_cents = BigCentsField(
        _("cap per initiative (€)"),
        validators=[MinValueValidator(0), MaxValueValidator(MAX_PROGRAMME_BUDGET_CENTS)],
    )
    places = models.ManyToManyField(
        "wagtailcore.Page",
        blank=True,
        related_name="+",
        verbose_name=_("cities and neighbourhoods"),
        help_text=_("Leave empty for initiatives everywhere."),
    )
    categories = models.JSONField(
        _("categories"), default=list, blank=True, help_text=_("Leave empty for every category.")
    )
    min_goal_cents = CentsField(_("minimum goal (€)"), null=True, blank=True)
    max_goal_cents = CentsField(_("maximum goal (€)"), null=True, blank=True)
    min_donors = models.PositiveIntegerField(_("distinct donors before matching starts"), default=0)
    opens_on = models.DateField(_("open from"))
    closes_on = models.DateField(_("open until"), null=True, blank=True)
    join_mode = models.CharField(
        _("how initiatives join"),
        max_length=16,
        choices=JoinMode.choices,
        default=JoinMode.APPLICATION,
    )
    counts_toward_goal = models.BooleanField(
        _("matched money counts toward the goal"), default=True
    )
    priority = models.PositiveSmallIntegerField(
        _("order"), default=100, help_text=_("Programmes match in this order, lowest first.")
    )
    is_active = models.BooleanField(_("active"), default=True)
    reserved_cents = models.BigIntegerField(default=0, editable=False)
    committed_cents = models.BigIntegerField(default=0, editable=False)
    paid_out_cents = models.BigIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    JoinMode = JoinMode
    objects = FundingProgrammeQuerySet.as_manager()
    wagtail_reference_index_ignore = True

    class Meta:
        ordering = ["priority", "pk"]
        verbose_name = _("funding programme")
        verbose_name_plural = _("funding programmes")
        constraints = [
            models.CheckConstraint(
                condition=Q(reserved_cents__gte=0)
                & Q(committed_cents__gte=0)
                & Q(paid_out_cents__gte=0)
                & Q(
                    budget_cents__gte=F("reserved_cents")
                    + F("committed_cents")
                    + F("paid_out_cents")
                ),
                name="programme_within_budget",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("funds:programme", args=[self.slug])

    def clean(self):
        super().clean()
        unknown = set(self.categories or []) - set(Category.values)
        if unknown:
            raise ValidationError({"categories": _("Unknown category.")})
        if (
            self.min_goal_cents
            and self.max_goal_cents
            and self.min_goal_cents > self.max_goal_cents
        ):
            raise ValidationError(
                {"max_goal_cents": _("The maximum goal must be at least the minimum goal.")}
            )
        if self.closes_on and self.closes_on < self.opens_on:
            raise ValidationError({"closes_on": _("A programme cannot close before it opens.")})
        if self.pk and self.budget_cents < self.spent_cents:
            raise ValidationError(
                {"budget_cents": _("The budget cannot be less than what is already matched.")}
            )
        if self.organisation_id and self.organisation.kind not in FUNDER_KINDS:
            raise ValidationError(
                {
                    "organisation": _(
                        "Only funds, municipalities, provinces and housing "
                        "corporations run programmes."
                    )
                }
            )

    @property
    def spent_cents(self):
        """Reserved, committed and paid out: what the budget no longer has."""
        return self.reserved_cents + self.committed_cents + self.paid_out_cents

    @property
    def remaining_cents(self):
        return self.budget_cents - self.spent_cents

    @property
    def is_automatic(self):
        return self.join_mode == JoinMode.AUTOMATIC

    def is_open(self, day=None):
        day = day or timezone.localdate()
        return (
            self.is_active
            and self.opens_on <= day
            and (self.closes_on is None or day <= self.closes_on)
        )

    def match_for(self, amount_cents):
        """The ratio's match of a donation, rounded down to the cent (before any cap)."""
        return amount_cents * self.match_numerator // self.match_denominator

    @property
    def match_for_euro(self):
        """Cents matched per euro donated (50 for €0.50 per €1)."""
        return self.match_for(100)

    @property
    def category_labels(self):
        return [
            Category(value).label for value in self.categories or [] if value in Category.values
        ]

    @property
    def doubles(self):
        return self.match_numerator == self.match_denominator

    def accepts(self, page):
        """Does an initiative (its page's terms) meet the eligibility rules?

        Places are cms pages: the initiative must lie under one of them (a city or a
        neighbourhood). Callers prefetch ``places`` when they ask for many initiatives.
        """
        if self.categories and page.category not in self.categories:
            return False
        if self.min_goal_cents and page.goal_cents < self.min_goal_cents:
            return False
        if self.max_goal_cents and page.goal_cents > self.max_goal_cents:
            return False
        places = list(self.places.all())
        return not places or any(page.path.startswith(place.path) for place in places)


class ApplicationStatus(models.TextChoices):
    APPLIED = "applied", _("Applied")
    APPROVED = "approved", _("Approved")
    DECLINED = "declined", _("Declined")


class ProgrammeApplication(FSMModelMixin, models.Model):
    """An initiative's place in a programme: applied → approved | declined.

    ``matched_cents`` is what the programme has matched for this initiative so far (its
    reserved, committed and paid-out matches), kept under the campaign lock, against the
    cap per initiative. ``matching_from`` is set once the campaign has the programme's
    minimum of distinct donors; pledges paid before it are not matched afterwards.
    """

    Status = ApplicationStatus

    programme = models.ForeignKey(
        FundingProgramme, on_delete=models.PROTECT, related_name="applications"
    )
    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.CASCADE, related_name="programme_applications"
    )
    status = FSMField(
        _("status"),
        max_length=16,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.APPLIED,
        protected=True,
    )
    motivation = models.TextField(
        _("motivation"),
        blank=True,
        max_length=limits.MODERATOR_NOTE,
        validators=limits.text_limit(limits.MODERATOR_NOTE),
    )
    decision_note = models.TextField(
        _("note with the decision"),
        blank=True,
        max_length=limits.MODERATOR_NOTE,
        validators=limits.text_limit(limits.MODERATOR_NOTE),
    )
    matched_cents = models.BigIntegerField(default=0, editable=False)
    matching_from = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("programme application")
        verbose_name_plural = _("programme applications")
        constraints = [
            models.UniqueConstraint(fields=["programme", "campaign"], name="one_application"),
        ]
        indexes = [models.Index(fields=["campaign", "status"])]

    def __str__(self):
        return f"{self.campaign_id} → {self.programme}"

    @transition(field=status, source=ApplicationStatus.APPLIED, target=ApplicationStatus.APPROVED)
    def approve(self):
        self.decided_at = timezone.now()

    @transition(field=status, source=ApplicationStatus.APPLIED, target=ApplicationStatus.DECLINED)
    def decline(self):
        self.decided_at = timezone.now()


class MatchStatus(models.TextChoices):
    RESERVED = "reserved", _("Reserved")
    COMMITTED = "committed", _("Committed")
    PAID_OUT = "paid_out", _("Paid out")
    RELEASED = "released", _("Released")


class Match(FSMModelMixin, models.Model):
    """A programme's money beside one paid pledge: reserved → committed → paid_out, or
    released (the pledge was refunded, or the campaign failed or was cancelled)."""

    Status = MatchStatus
    ACTIVE_STATUSES = [MatchStatus.RESERVED, MatchStatus.COMMITTED, MatchStatus.PAID_OUT]

    programme = models.ForeignKey(
        FundingProgramme, on_delete=models.PROTECT, related_name="matches"
    )
    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.PROTECT, related_name="matches"
    )
    pledge = models.ForeignKey("campaigns.Pledge", on_delete=models.PROTECT, related_name="matches")
    amount_cents = models.PositiveIntegerField(_("amount (cents)"))
    currency = models.CharField(max_length=3, default="EUR")
    status = FSMField(
        _("status"),
        max_length=16,
        choices=MatchStatus.choices,
        default=MatchStatus.RESERVED,
        protected=True,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    wagtail_reference_index_ignore = True

    class Meta:
        verbose_name = _("match")
        verbose_name_plural = _("matches")
        constraints = [
            models.UniqueConstraint(fields=["pledge", "programme"], name="one_match_per_pledge"),
        ]
        indexes = [
            models.Index(fields=["campaign", "status"]),
            models.Index(fields=["programme", "status"]),
        ]

    def __str__(self):
        return f"{self.programme} × pledge {self.pledge_id}: {self.amount_cents}"

    @transition(field=status, source=MatchStatus.RESERVED, target=MatchStatus.COMMITTED)
    def commit(self):
        pass

    @transition(field=status, source=MatchStatus.COMMITTED, target=MatchStatus.PAID_OUT)
    def pay_out(self):
        pass

    @transition(
        field=status,
        source=[MatchStatus.RESERVED, MatchStatus.COMMITTED],
        target=MatchStatus.RELEASED,
    )
    def release(self):
        pass
