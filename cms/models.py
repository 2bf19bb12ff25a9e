from django.db import models
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page, Site
from wagtail.search import index

from cms.blocks import StoryBlock, ThemeBlock
from cms.i18n import (
    SourceLanguagePageMixin,
    TranslatablePageMixin,
    default_content_language,
)
from cms.page_cache import CachedPageMixin


class HomePage(TranslatablePageMixin, CachedPageMixin, Page):
    """The site's front page: its live initiatives come from ``{% load campaign_tags %}``.

    The Dutch home page is the site's root; its English translation is the root of the
    English tree, which holds only the translated platform pages (``cms.i18n``).
    """

    intro = models.CharField(_("intro"), max_length=250, blank=True)
    body = StreamField(StoryBlock(), blank=True, verbose_name=_("body"))

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    subpage_types = ["cms.CityPage", "cms.StandardPage"]
    max_count = 1

    class Meta:
        verbose_name = _("home page")

    def source_home(self, request):
        """The home page of the source (Dutch) tree: this page, or what it translates.

        The site's root page is the source home page; Wagtail keeps the request's site on
        the request, so finding that out costs no query.
        """
        site = Site.find_for_request(request)
        if site is not None and site.root_page_id == self.pk:
            return self
        source = HomePage.objects.filter(
            translation_key=self.translation_key,
            locale__language_code=default_content_language(),
        ).first()
        return source or self

    def route(self, request, path_components):
        """Find a deeper page by its URL path in one query, instead of two per level.

        ``route`` is Wagtail's hook for custom routing; the page found still routes (and
        refuses when not live) through its own ``route``. A translated home page looks in
        its own tree first and then in the source tree, so the Dutch-only cities,
        neighbourhoods and initiatives are shown under its language prefix too. Paths that
        are no page's URL path, such as a routable page's sub-path, take Wagtail's
        level-by-level way, in the same order.
        """
        if not path_components:
            return super().route(request, path_components)
        source = self.source_home(request)
        homes = [self] if source.pk == self.pk else [self, source]
        relative = "/".join(path_components) + "/"
        url_paths = [home.url_path + relative for home in homes]
        found = {
            page.url_path: page for page in Page.objects.filter(url_path__in=url_paths).specific()
        }
        candidates = [found[url_path] for url_path in url_paths if url_path in found]
        if candidates:
            # A translation still in draft leaves its source page shown, not a 404.
            page = next((page for page in candidates if page.live), candidates[0])
            return page.route(request, [])
        try:
            return super().route(request, path_components)
        except Http404:
            if source.pk == self.pk:
                raise
            return super(HomePage, source).route(request, path_components)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["cities"] = CityPage.objects.live().child_of(self.source_home(request))
        return context


class CityPage(SourceLanguagePageMixin, CachedPageMixin, Page):
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


class NeighbourhoodPage(SourceLanguagePageMixin, CachedPageMixin, Page):
    """A wijk: its shared vision, its themes, and the initiatives that grow in it.

    Its initiatives, figures and standing offers belong to higher apps; the template
    loads them with ``campaign_tags`` and ``task_tags``.
    """

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


class StandardPage(TranslatablePageMixin, CachedPageMixin, Page):
    """A platform page (privacy, terms, how it works), translated with Wagtail's "Translate"."""

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
    privacy_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("privacy statement"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Linked from every footer, the sign-up and the donate form."),
    )
    volunteer_hour_value_cents = models.PositiveIntegerField(
        _("value of a volunteer hour (cents)"),
        default=15_00,
        help_text=_(
            "Used for the headline figure of the wijkkapitaal meter. The default, 15 euro, is "
            "a replacement-cost value close to the Dutch statutory minimum hourly wage."
        ),
    )
    terms_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("terms of use"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    panels = [
        FieldPanel("tagline"),
        FieldPanel("contact_email"),
        FieldPanel("privacy_page"),
        FieldPanel("terms_page"),
        FieldPanel("volunteer_hour_value_cents"),
    ]

    class Meta:
        verbose_name = _("platform settings")
