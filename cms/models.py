from django.db import models
from django.db.models import Count, Q, Sum
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from cms.blocks import StoryBlock, ThemeBlock
from cms.privacy import ViewRestrictionsInOneQuery
from cms.routing import specific_page_at


class HomePage(ViewRestrictionsInOneQuery, Page):
    intro = models.CharField(_("intro"), max_length=250, blank=True)
    body = StreamField(StoryBlock(), blank=True, verbose_name=_("body"))

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    subpage_types = ["cms.CityPage", "cms.StandardPage"]
    max_count = 1

    class Meta:
        verbose_name = _("home page")

    def route(self, request, path_components):
        """Find a deep page by its URL path in one query, instead of one per level."""
        if path_components:
            page = specific_page_at(self.url_path + "/".join(path_components) + "/")
            if page is not None:
                if not page.live:
                    raise Http404
                return page.route(request, [])
        return super().route(request, path_components)

    def get_context(self, request, *args, **kwargs):
        from campaigns.models import Campaign
        from campaigns.queries import initiative_cards

        context = super().get_context(request, *args, **kwargs)
        context["live_initiatives"] = initiative_cards(status=Campaign.Status.LIVE)[:12]
        context["cities"] = CityPage.objects.live().child_of(self)
        return context


class CityPage(ViewRestrictionsInOneQuery, Page):
    """A municipality; its neighbourhoods are its children."""

    intro = models.CharField(_("intro"), max_length=250, blank=True)
    body = StreamField(StoryBlock(), blank=True, verbose_name=_("body"))

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.NeighbourhoodPage", "cms.StandardPage"]

    class Meta:
        verbose_name = _("city page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["neighbourhoods"] = NeighbourhoodPage.objects.live().child_of(self)
        return context


class NeighbourhoodPage(ViewRestrictionsInOneQuery, Page):
    """A wijk: its shared vision, its themes, and the initiatives that grow in it."""

    intro = models.CharField(_("intro"), max_length=250, blank=True)
    vision = RichTextField(_("vision"), blank=True, features=["bold", "italic", "link", "ul"])
    themes = StreamField(
        [("theme", ThemeBlock())], blank=True, verbose_name=_("themes"), use_json_field=True
    )

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        FieldPanel("vision"),
        FieldPanel("themes"),
    ]
    search_fields = Page.search_fields + [index.SearchField("intro"), index.SearchField("vision")]
    parent_page_types = ["cms.CityPage"]
    subpage_types = ["campaigns.InitiativePage"]

    class Meta:
        verbose_name = _("neighbourhood page")

    def totals(self):
        """Money, hours, in-kind value, tasks done and distinct supporters of the wijk."""
        from campaigns.models import Campaign
        from campaigns.services.totals import distinct_supporters
        from tasks.models import Offer, SignUp, Task

        campaigns = Campaign.objects.filter(
            page__path__startswith=self.path, page__live=True, status__in=Campaign.PUBLIC_STATUSES
        )
        totals = campaigns.aggregate(
            raised_cents=Sum("raised_cents", default=0),
            initiatives=Count("pk"),
            funded=Count("pk", filter=Q(status__in=Campaign.FUNDED_STATUSES)),
        )
        page_ids = campaigns.values("page_id")
        totals["hours"] = SignUp.objects.filter(task__initiative_id__in=page_ids).aggregate(
            total=Sum("hours_confirmed", default=0)
        )["total"]
        totals["in_kind_cents"] = Offer.objects.filter(
            task__initiative_id__in=page_ids, status=Offer.Status.ACCEPTED
        ).aggregate(total=Sum("estimated_value_cents", default=0))["total"]
        totals["tasks_done"] = Task.objects.filter(
            initiative_id__in=page_ids, status=Task.Status.DONE
        ).count()
        totals["supporters"] = distinct_supporters(list(campaigns))
        return totals

    def get_context(self, request, *args, **kwargs):
        from campaigns.queries import initiative_cards

        context = super().get_context(request, *args, **kwargs)
        from tasks.models import Offer

        context["initiatives"] = initiative_cards(neighbourhood=self)
        context["totals"] = self.totals()
        context["standing_offers"] = Offer.objects.filter(
            neighbourhood=self, task__isnull=True, status=Offer.Status.OFFERED
        ).select_related("organisation", "user")
        return context


class StandardPage(ViewRestrictionsInOneQuery, Page):
    body = StreamField(StoryBlock(), blank=True, verbose_name=_("body"))
    content_panels = Page.content_panels + [FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("body")]

    class Meta:
        verbose_name = _("standard page")


@register_setting(icon="cog")
class PlatformSettings(BaseSiteSetting):
    tagline = models.CharField(
        _("tagline"),
        max_length=200,
        blank=True,
        default="Begin bij wat de wijk al heeft.",
    )
    contact_email = models.EmailField(_("contact e-mail"), blank=True)

    panels = [FieldPanel("tagline"), FieldPanel("contact_email")]

    class Meta:
        verbose_name = _("platform settings")
