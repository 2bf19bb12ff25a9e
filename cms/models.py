from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from cms.blocks import StoryBlock, ThemeBlock
from cms.page_cache import CachedPageMixin
from core.fields import CentsField


class HomePage(CachedPageMixin, Page):
    """The site's front page: its live initiatives come from ``{% load campaign_tags %}``."""

    intro = models.CharField(_("intro"), max_length=250, blank=True)
    body = StreamField(StoryBlock(), blank=True, verbose_name=_("body"))

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    subpage_types = ["cms.CityPage", "cms.StandardPage"]
    max_count = 1

    class Meta:
        verbose_name = _("home page")

    def route(self, request, path_components):
        """Find a deeper page by its URL path in one query, instead of two per level.

        ``route`` is Wagtail's hook for custom routing; the page found still routes (and
        refuses when not live) through its own ``route``. Paths that are no page's URL
        path, such as a routable page's sub-path, take Wagtail's level-by-level way.
        """
        if path_components:
            url_path = self.url_path + "/".join(path_components) + "/"
            page = Page.objects.filter(url_path=url_path).specific().first()
            if page is not None:
                return page.route(request, [])
        return super().route(request, path_components)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["cities"] = CityPage.objects.live().child_of(self)
        return context


class CityPage(CachedPageMixin, Page):
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


REGISTER_PATH = "wat-we-hebben/"


class NeighbourhoodPage(CachedPageMixin, RoutablePageMixin, Page):
    """A wijk: its shared vision, its themes, and the initiatives that grow in it.

    Its initiatives, figures and standing offers belong to higher apps; the template
    loads them with ``campaign_tags`` and ``task_tags``. Its register of what the
    neighbourhood has is a sub-page (``REGISTER_PATH``), routed by Wagtail's
    ``RoutablePageMixin`` and filled by ``register_tags``. ``CachedPageMixin`` comes first,
    so the sub-page goes through its ``serve`` and is cached like the page itself.
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

    @path(REGISTER_PATH, name="register")
    def register(self, request):
        """What the neighbourhood has, filtered by the query string.

        The template's ``neighbourhood_register`` tag reads the filters; when one is not
        valid it marks the request, and the answer becomes 400 with the form's message.
        """
        response = self.render(request, template="cms/neighbourhood_register.html")
        response.add_post_render_callback(_bad_filters_are_400(request))
        return response


def _bad_filters_are_400(request):
    def callback(response):
        if getattr(request, "register_filters_invalid", False):
            response.status_code = 400

    return callback


class StandardPage(CachedPageMixin, Page):
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
    volunteer_hour_value_cents = CentsField(
        _("value of a volunteer hour (€)"),
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
