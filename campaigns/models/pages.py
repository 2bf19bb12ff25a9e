from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Prefetch
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.images import get_image_model
from wagtail.models import Orderable, Page
from wagtail.search import index

from accounts.permissions import is_moderator
from campaigns.models.campaign import Campaign
from campaigns.models.ledger import Pledge
from cms.blocks import StoryBlock
from cms.i18n import SourceLanguagePageMixin, active_content_language
from cms.page_cache import CachedPageMixin
from core import limits
from core.fields import CentsField

SUPPORTERS_SHOWN = 24
UPDATES_SHOWN = 10
UPDATE_RENDITION = "width-800"


class Category(models.TextChoices):
    MEETING_PLACE = "meeting_place", _("Meeting place")
    GREEN = "green", _("Green and gardens")
    REPAIR = "repair", _("Repair and reuse")
    PLAY = "play", _("Play and sport")
    CULTURE = "culture", _("Culture")
    CARE = "care", _("Care and neighbourliness")
    FOOD = "food", _("Food")
    CLEAN_SAFE = "clean_safe", _("Clean, whole and safe")


class FundingModel(models.TextChoices):
    ALL_OR_NOTHING = "all_or_nothing", _("All or nothing")
    KEEP_WHAT_YOU_RAISE = "keep_what_you_raise", _("Keep what you raise")


class InitiativePage(SourceLanguagePageMixin, CachedPageMixin, Page):
    """The moderated part of an initiative: its story and its terms.

    Everything that changes while a campaign runs (status, money, supporters) lives in
    :class:`campaigns.models.Campaign`, so that a donation never creates a page revision.

    The page exists only in Dutch (``cms.i18n``); an initiator may add an English title
    and summary, shown under ``/en/`` instead of the Dutch ones (``shown_title``).
    """

    summary = models.CharField(_("summary"), max_length=300)
    title_en = models.CharField(
        _("title in English"),
        max_length=limits.INITIATIVE_TITLE,
        blank=True,
        help_text=_("Optional. Shown to visitors who read the site in English."),
    )
    summary_en = models.CharField(
        _("summary in English"),
        max_length=limits.INITIATIVE_SUMMARY,
        blank=True,
        help_text=_("Optional. Shown to visitors who read the site in English."),
    )
    story = StreamField(StoryBlock(), blank=True, verbose_name=_("story"))
    cover_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("cover image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    category = models.CharField(_("category"), max_length=32, choices=Category.choices)
    location = models.CharField(_("location"), max_length=200, blank=True)
    goal_cents = CentsField(
        _("funding goal (€)"),
        validators=[MinValueValidator(100), MaxValueValidator(250_000_00)],
    )
    stretch_goal_cents = CentsField(_("stretch goal (€)"), null=True, blank=True)
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    deadline = models.DateField(_("deadline"))
    funding_model = models.CharField(
        _("funding model"),
        max_length=32,
        choices=FundingModel.choices,
        default=FundingModel.ALL_OR_NOTHING,
    )

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        MultiFieldPanel(
            [FieldPanel("title_en"), FieldPanel("summary_en")], heading=_("In English")
        ),
        FieldPanel("cover_image"),
        FieldPanel("story"),
        MultiFieldPanel(
            [FieldPanel("category"), FieldPanel("location")], heading=_("Where and what")
        ),
        MultiFieldPanel(
            [
                FieldPanel("goal_cents"),
                FieldPanel("stretch_goal_cents"),
                FieldPanel("deadline"),
                FieldPanel("funding_model"),
            ],
            heading=_("Funding terms"),
        ),
        InlinePanel("budget_lines", label=_("Budget lines"), min_num=1),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("title_en"),
        index.SearchField("summary_en"),
        index.SearchField("story"),
        index.SearchField("location"),
        index.FilterField("category"),
    ]
    parent_page_types = ["cms.NeighbourhoodPage"]
    subpage_types = []
    template = "campaigns/initiative_page.html"

    class Meta:
        verbose_name = _("initiative")
        verbose_name_plural = _("initiatives")

    def clean(self):
        super().clean()
        lines = list(self.budget_lines.all())
        if lines and sum(line.amount_cents for line in lines) != self.goal_cents:
            raise ValidationError(
                {"goal_cents": _("The budget lines must add up to the funding goal.")}
            )
        if self.stretch_goal_cents is not None and self.stretch_goal_cents <= self.goal_cents:
            raise ValidationError(
                {"stretch_goal_cents": _("A stretch goal must be higher than the goal.")}
            )

    @property
    def meta_image(self):
        """The picture of a shared link's card (``cms.templatetags.page_meta``)."""
        return self.cover_image

    def _english(self, field):
        return bool(getattr(self, field)) and active_content_language() == "en"

    @property
    def shown_title(self):
        """The title in the interface language when the initiator wrote one, else Dutch."""
        return self.title_en if self._english("title_en") else self.title

    @property
    def title_language(self):
        return "en" if self._english("title_en") else self.content_language

    @property
    def shown_summary(self):
        return self.summary_en if self._english("summary_en") else self.summary

    @property
    def summary_language(self):
        return "en" if self._english("summary_en") else self.content_language

    def get_context(self, request, *args, **kwargs):
        """The page's own data, read lazily: what the cached fragments show is read (and
        its queryset built) only when a fragment is rendered, so a warm fragment costs
        no query.

        Tasks, hours and in-kind gifts belong to the tasks app; the template loads them
        with ``{% load task_tags %}``.
        """
        context = super().get_context(request, *args, **kwargs)
        user = request.user
        is_preview = getattr(request, "is_preview", False)
        campaign = self._campaign()
        context.update(
            {
                "campaign": campaign,
                "is_preview": is_preview,
                # Called when the breadcrumb is rendered; the specific class (no query) makes
                # its URL follow the interface language.
                "neighbourhood": lambda: self.get_parent().specific_deferred,
                "budget_lines": self.budget_lines.all(),
                "initiators": [],
                "supporters": [],
                "updates": [],
                "following": False,
                "can_manage": False,
                # A preview shows a revision, not the published page: never cached.
                "fragment_seconds": 0
                if is_preview
                else settings.WIJKKAPITAAL["FRAGMENT_CACHE_SECONDS"],
            }
        )
        if campaign is None:
            return context
        initiators = campaign.initiators.all()
        context.update(
            {
                "initiators": initiators,
                "supporters": SimpleLazyObject(partial(self._supporters, campaign)),
                "updates": SimpleLazyObject(partial(self._updates, campaign)),
                "following": user.is_authenticated and campaign.follows.filter(user=user).exists(),
                "can_manage": user.is_authenticated
                and (is_moderator(user) or initiators.filter(pk=user.pk).exists()),
            }
        )
        return context

    def _campaign(self):
        campaign = Campaign.objects.filter(page_id=self.pk).first()
        if campaign is not None:
            campaign.page = self  # the page being shown: drafts and previews show right
        return campaign

    @staticmethod
    def _supporters(campaign):
        return campaign.pledges.filter(status__in=Pledge.COUNTED_STATUSES).order_by(
            F("paid_at").desc(nulls_last=True), "-pk"
        )[:SUPPORTERS_SHOWN]

    @staticmethod
    def _updates(campaign):
        images = get_image_model().objects.prefetch_renditions(UPDATE_RENDITION)
        return (
            campaign.updates.filter(hidden_at__isnull=True)
            .prefetch_related(Prefetch("image", queryset=images))
            .order_by("-created_at", "-pk")[:UPDATES_SHOWN]
        )


class BudgetLine(Orderable):
    page = ParentalKey(InitiativePage, on_delete=models.CASCADE, related_name="budget_lines")
    description = models.CharField(_("description"), max_length=200)
    amount_cents = CentsField(_("amount (€)"), validators=[MaxValueValidator(250_000_00)])

    panels = [FieldPanel("description"), FieldPanel("amount_cents")]

    class Meta(Orderable.Meta):
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")

    def __str__(self):
        return self.description
