"""Two languages on one site, with Wagtail's own translated page trees.

The platform's own pages (the home page, the standard pages such as the privacy statement,
the contact and organisations pages) have an English translation in an English tree
beside the Dutch one, made with Wagtail's "Translate" action
(``wagtail.contrib.simple_translation``). Cities, neighbourhoods and initiatives exist only
in the Dutch tree: their running state (campaigns, pledges, tasks)
hangs off the page's id, so a copy per language would split it. They are shown under
``/en/`` too, with the English interface and their content marked ``lang="nl"``:

- :class:`SourceLanguagePageMixin` makes such a page's URL follow the interface language
  (``get_url_parts``, Wagtail's documented hook for custom URLs);
- ``cms.models.HomePage.route`` (Wagtail's documented routing hook) lets the English home
  page find the Dutch tree's pages that have no English translation.
"""

from django.conf import settings
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from wagtail.coreutils import get_content_languages, get_supported_content_language_variant
from wagtail.models import Page, Site, get_page_models


def create_content_locales(*, apps, using, **kwargs):
    """Give every content language a Wagtail ``Locale`` after ``migrate`` (idempotent).

    Wagtail's own migration creates the locale of ``LANGUAGE_CODE`` only; without the
    English one, ``Locale.get_active()`` falls back to Dutch and ``/en/`` serves the Dutch
    tree, and the admin cannot translate into English. A ``post_migrate`` receiver (not a
    data migration) so that a language added to ``WAGTAIL_CONTENT_LANGUAGES`` later gets
    its locale on the next deploy too. ``apps`` is the migrated state, as Django advises.
    """
    try:
        locale_model = apps.get_model("wagtailcore", "Locale")
    except LookupError:
        return
    for language_code in get_content_languages():
        locale_model.objects.using(using).get_or_create(language_code=language_code)


def default_content_language():
    """The language of the source tree (Dutch)."""
    return get_supported_content_language_variant(settings.LANGUAGE_CODE)


def active_content_language():
    """The content language that matches the interface language."""
    try:
        return get_supported_content_language_variant(translation.get_language())
    except LookupError:
        return default_content_language()


def _site_root_paths(request):
    """``Site.get_site_root_paths()``, kept on the request so a listing reads it once."""
    if not isinstance(request, HttpRequest):
        return Site.get_site_root_paths()
    if not hasattr(request, "wijk_site_root_paths"):
        request.wijk_site_root_paths = Site.get_site_root_paths()
    return request.wijk_site_root_paths


class UntranslatablePageError(Exception):
    """A page that exists only in the source language was asked for a translation."""


class SourceLanguagePageMixin:
    """A page that exists only in the source (Dutch) tree, shown in every interface language.

    Wagtail builds a page's URL in its tree's language; this page's URL instead follows the
    active interface language, so a visitor under ``/en/`` stays there. It is never
    translated: ``copy_for_translation`` refuses, and so does the admin's "Translate"
    (``cms.translation_admin``).
    """

    @property
    def content_language(self):
        return default_content_language()

    def copy_for_translation(self, locale, *args, **kwargs):
        raise UntranslatablePageError(
            f"{type(self).__name__} {self.pk} exists only in the source language."
        )

    def get_sitemap_urls(self, request=None):
        """The page under every language prefix, each listing the others (no query)."""
        urls = {}
        for language in get_content_languages():
            with translation.override(language):
                urls[language] = self.get_full_url(request)
        lastmod = self.last_published_at or self.latest_revision_created_at
        return sitemap_entries(urls, dict.fromkeys(urls, lastmod))

    def get_url_parts(self, request=None):
        parts = super().get_url_parts(request=request)
        if parts is None or parts[2] is None:
            return parts
        if active_content_language() == default_content_language():
            return parts
        site_id, root_url, _page_path = parts
        for root in _site_root_paths(request):
            if root.site_id == site_id and self.url_path.startswith(root.root_path):
                relative = self.url_path[len(root.root_path) :]
                try:
                    page_path = reverse("wagtail_serve", args=(relative,))
                except NoReverseMatch:
                    return parts
                if not getattr(settings, "WAGTAIL_APPEND_SLASH", True) and page_path != "/":
                    page_path = page_path.rstrip("/")
                return (site_id, root_url, page_path)
        return parts


def source_language_page_models():
    """The page models that exist only in the source language (all apps' included)."""
    return [model for model in get_page_models() if issubclass(model, SourceLanguagePageMixin)]


def translation_refused(page, *, include_subtree=False):
    """Whether translating ``page`` (with its subtree) would copy a Dutch-only page."""
    if issubclass(page.specific_class, SourceLanguagePageMixin):
        return True
    return include_subtree and page.get_descendants().type(*source_language_page_models()).exists()


class TranslatablePageMixin:
    """A platform page that may have a translation in each content language."""

    @property
    def content_language(self):
        return self.locale.language_code

    def get_sitemap_urls(self, request=None):
        """This page and its live, public translations, each listing the others.

        Wagtail's sitemap lists the site's (Dutch) tree; the English pages are found here,
        with one query per translatable page (a handful). A page without a translation is
        listed once, as Wagtail does.
        """
        translations = list(
            self.get_translations(inclusive=False).live().public().select_related("locale")
        )
        if not translations:
            return super().get_sitemap_urls(request)
        pages = {page.locale.language_code: page for page in [self, *translations]}
        return sitemap_entries(
            {language: page.get_full_url(request) for language, page in pages.items()},
            {
                language: page.last_published_at or page.latest_revision_created_at
                for language, page in pages.items()
            },
        )


def sitemap_entries(urls, lastmods):
    """One sitemap entry per language's URL, each with every language as an alternate.

    ``urls`` and ``lastmods`` are keyed by language code; a URL that is ``None`` (the page
    is not routable there) is left out. The ``alternates`` are what Django's sitemap
    template writes as ``<xhtml:link rel="alternate" hreflang=...>``; ``x-default`` is the
    source language's URL.
    """
    urls = {language: url for language, url in urls.items() if url is not None}
    if len(urls) < 2:
        return [{"location": url, "lastmod": lastmods[language]} for language, url in urls.items()]
    alternates = [{"lang_code": language, "location": url} for language, url in urls.items()]
    default = urls.get(default_content_language())
    if default is not None:
        alternates.append({"lang_code": "x-default", "location": default})
    return [
        {"location": url, "lastmod": lastmods[language], "alternates": alternates}
        for language, url in urls.items()
    ]


def pages_in_interface_language(pages):
    """Each page's live translation in the interface language, or the page itself.

    ``None`` stays ``None``. No query under the source language; one for all pages
    otherwise.
    """
    language = active_content_language()
    if language == default_content_language():
        return list(pages)
    keys = {page.translation_key for page in pages if page is not None}
    translations = {
        page.translation_key: page
        for page in Page.objects.filter(translation_key__in=keys, locale__language_code=language)
        .live()
        .select_related("locale")
    }
    return [
        None if page is None else translations.get(page.translation_key, page) for page in pages
    ]
