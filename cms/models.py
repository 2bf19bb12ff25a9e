from django.core.paginator import Paginator
from django.db import models, transaction
from django.http import Http404
from django.template.response import TemplateResponse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.forms.models import AbstractForm
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page, Site
from wagtail.search import index

from accounts.models import Organisation
from cms.blocks import PageBodyBlock, StoryBlock, ThemeBlock
from cms.events import ContactMessageReceived
from cms.forms import ContactForm
from cms.i18n import (
    SourceLanguagePageMixin,
    TranslatablePageMixin,
    default_content_language,
)
from cms.page_cache import CachedPageMixin
from core.events import announce
from core.fields import CentsField
from core.ratelimits import seconds_to_wait

ORGANISATIONS_PER_PAGE = 24
INTRO_FEATURES = ["bold", "italic", "link", "ul"]


class HomePage(TranslatablePageMixin, CachedPageMixin, Page):
    """The site's front page: its live initiatives come from ``{% load campaign_tags %}``.

    The Dutch home page is the site's root; its English translation is the root of the
    English tree, which holds only the translated platform pages (``cms.i18n``).
    """

    intro = models.CharField(_("intro"), max_length=250, blank=True)
    body = StreamField(StoryBlock(), blank=True, verbose_name=_("body"))

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    subpage_types = [
        "cms.CityPage",
        "cms.StandardPage",
        "cms.ContactPage",
        "cms.OrganisationIndexPage",
    ]
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
        # The slug is indexed and the URL path is not: at 100,000 pages the slug keeps
        # this lookup an index scan.
        candidates_by_slug = Page.objects.filter(slug=path_components[-1], url_path__in=url_paths)
        found = {page.url_path: page for page in candidates_by_slug.specific()}
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


REGISTER_PATH = "wat-we-hebben/"


class NeighbourhoodPage(SourceLanguagePageMixin, CachedPageMixin, RoutablePageMixin, Page):
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


class StandardPage(TranslatablePageMixin, CachedPageMixin, Page):
    """How it works, questions and answers, about us, privacy, terms: text with headings,
    translated with Wagtail's "Translate"."""

    body = StreamField(PageBodyBlock(), blank=True, verbose_name=_("body"))
    content_panels = Page.content_panels + [FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("body")]

    class Meta:
        verbose_name = _("standard page")


class OrganisationIndexPage(TranslatablePageMixin, CachedPageMixin, Page):
    """The organisations on the platform, verified ones marked, hidden ones left out.

    ``max_count`` counts every language's page, but translating (Wagtail's
    ``copy_for_translation`` and the admin's "Translate") does not check it: it only stops
    a second page being added by hand.
    """

    intro = RichTextField(_("intro"), blank=True, features=INTRO_FEATURES)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = []
    max_count = 1

    class Meta:
        verbose_name = _("organisations page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        paginator = Paginator(Organisation.objects.listing(), ORGANISATIONS_PER_PAGE)
        context["organisations"] = paginator.get_page(request.GET.get("page"))
        return context


TOO_MANY_MESSAGES = _(
    "You sent several messages in a short time. Please try again in an hour; "
    "what you typed is still here."
)


class ContactPage(TranslatablePageMixin, AbstractForm):
    """A form that reaches the moderators, on Wagtail's form page.

    Each language's translation is a form page of its own: its messages follow the
    interface language, and its submissions (with the language they were sent in) reach
    the same moderators. ``max_count`` does not stop translating it (see
    :class:`OrganisationIndexPage`).

    Submissions are Wagtail's ``FormSubmission`` rows, which moderators read, export and
    delete under Forms in the admin. The fields are fixed (``cms.forms.ContactForm``)
    rather than built by editors, because the mail to the moderators and the limits
    depend on them. The mail goes out through the notifications app, which receives the
    announced :class:`~cms.events.ContactMessageReceived`.
    """

    intro = RichTextField(_("intro"), blank=True, features=INTRO_FEATURES)
    thank_you_text = RichTextField(_("thank-you text"), blank=True, features=INTRO_FEATURES)

    content_panels = AbstractForm.content_panels + [
        FieldPanel("intro"),
        FieldPanel("thank_you_text"),
    ]
    parent_page_types = ["cms.HomePage"]
    subpage_types = []
    max_count = 1
    template = "cms/contact_page.html"
    landing_page_template = "cms/contact_page_landing.html"

    class Meta:
        verbose_name = _("contact page")

    def get_form_fields(self):
        return []

    def get_form_class(self):
        return ContactForm

    def get_data_fields(self):
        return [("submit_time", _("Submission date")), *ContactForm.data_fields()]

    def process_form_submission(self, form):
        if form.is_trap:
            return None
        with transaction.atomic():
            submission = self.get_submission_class().objects.create(
                form_data=form.stored_data(), page=self
            )
            announce(ContactMessageReceived(submission_id=submission.pk))
        return submission

    def serve(self, request, *args, **kwargs):
        """Wagtail's form view, with a rate limit and a 400 for a form with mistakes."""
        if request.method == "POST":
            wait = seconds_to_wait(request, "contact")
            if wait is not None:
                form = self.get_form(request.POST, page=self, user=request.user)
                form.is_valid()
                form.add_error(None, TOO_MANY_MESSAGES)
                context = self.get_context(request)
                context["form"] = form
                response = TemplateResponse(
                    request, self.get_template(request), context, status=429
                )
                response["Retry-After"] = str(int(wait))
                add_never_cache_headers(response)
                return response
        response = super().serve(request, *args, **kwargs)
        form = getattr(response, "context_data", None) and response.context_data.get("form")
        if request.method == "POST" and form is not None and form.errors:
            response.status_code = 400
        add_never_cache_headers(response)
        return response


class FooterLinkBlock(blocks.StructBlock):
    page = blocks.PageChooserBlock(label=_("Page"))
    label = blocks.CharBlock(
        label=_("Link text"), required=False, max_length=60, help_text=_("Else the page title.")
    )

    class Meta:
        icon = "link"


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

    footer_links = StreamField(
        [("link", FooterLinkBlock())],
        blank=True,
        verbose_name=_("footer links"),
        help_text=_("The pages every footer links to, such as how it works, FAQ and contact."),
    )

    panels = [
        FieldPanel("tagline"),
        FieldPanel("contact_email"),
        FieldPanel("footer_links"),
        FieldPanel("privacy_page"),
        FieldPanel("terms_page"),
        FieldPanel("volunteer_hour_value_cents"),
    ]

    class Meta:
        verbose_name = _("platform settings")
