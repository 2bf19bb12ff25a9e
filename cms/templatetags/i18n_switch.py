from django import template
from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.html import format_html
from wagtail.models import Page

from cms.i18n import (
    SourceLanguagePageMixin,
    active_content_language,
    default_content_language,
    pages_in_interface_language,
)

register = template.Library()


def path_in_language(match, code):
    """The resolved view's URL in language ``code``, or the home page's when there is none.

    Built with ``reverse`` from what the resolver matched, never from the raw request path,
    so a request for ``//evil.example/`` (which no route matches) links to our home page,
    not to another host.
    """
    with translation.override(code):
        if match is not None and match.view_name:
            try:
                return reverse(match.view_name, args=match.args, kwargs=match.kwargs)
            except NoReverseMatch:
                pass
        return reverse("wagtail_serve", args=[""])


def _translation_urls(page, request):
    """The URLs of a translated page's live translations, by language (one query).

    A page that exists only in the source tree, or has no translations, gets none: its own
    path under each language prefix is right for it.
    """
    if not isinstance(page, Page) or isinstance(page, SourceLanguagePageMixin):
        return {}
    translations = page.get_translations(inclusive=True).live().select_related("locale")
    urls = {}
    for translated in translations:
        code = translated.locale.language_code
        with translation.override(code):
            url = translated.get_url(request=request)
        if url:
            urls[code] = url
    return urls if len(urls) > 1 else {}


@register.simple_tag(takes_context=True)
def language_links(context):
    """Links to the current page in each language; plain links keep cached pages CSRF-free.

    A platform page links to its translation (whose slug may differ); any other view to
    its own URL in the other language.
    """
    request = context["request"]
    current = getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE)
    match = getattr(request, "resolver_match", None)
    page_urls = {}
    if match is not None and match.view_name == "wagtail_serve":
        page_urls = _translation_urls(context.get("page"), request)
    query = request.GET.urlencode()
    links = []
    for code, name in settings.LANGUAGES:
        url = page_urls.get(code) or path_in_language(match, code)
        links.append(
            {
                "code": code,
                "name": name,
                "url": f"{url}?{query}" if query else url,
                "active": code == current,
            }
        )
    return links


@register.simple_tag
def lang_attr(language):
    """`` lang="nl"`` when content in ``language`` sits on a page in another language.

    Use on the element that holds the content: ``<h1{% lang_attr page.content_language %}>``.
    """
    if not language or language == active_content_language():
        return ""
    return format_html(' lang="{}"', language)


@register.filter
def in_interface_language(page):
    """A platform page's live translation in the interface language, or the page itself.

    No query under the source language; one otherwise.
    """
    return pages_in_interface_language([page])[0]


@register.simple_tag
def links_in_interface_language(links):
    """The live pages of ``PlatformSettings.footer_links``, each in the interface language.

    One query for them all. Staff type a link's label once, in the source language: it is
    shown only with the page it was typed for; a translation shows its own title. An
    untranslated page keeps its label and is marked with its language.
    """
    chosen = [link.value["page"] for link in links]
    shown = pages_in_interface_language(chosen)
    interface, source = active_content_language(), default_content_language()
    result = []
    for link, original, page in zip(links, chosen, shown, strict=True):
        if page is None or not page.live:
            continue
        if page.pk != original.pk:
            title, language = page.title, interface
        else:
            title = link.value["label"] or page.title
            language = interface if interface == source else page.locale.language_code
        result.append({"page": page, "title": title, "language": language})
    return result
