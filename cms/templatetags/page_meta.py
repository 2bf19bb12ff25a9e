"""The description and OpenGraph tags of every page, and the share links of a page.

Absolute URLs are built from the request, so a page served under another host (a test
system, the demo on a laptop) shares links to itself. The anonymous page cache keys its
entries on the host, so a cached page never carries another host's URLs.
"""

from urllib.parse import quote

from django import template
from django.templatetags.static import static
from django.utils import translation
from django.utils.html import strip_tags
from django.utils.text import Truncator

from cms.models import PlatformSettings
from cms.templatetags.i18n_switch import path_in_language

register = template.Library()

DESCRIPTION_LENGTH = 200
IMAGE_RENDITION = "fill-1200x600"
DEFAULT_IMAGE = "img/og-default.png"
OG_LOCALES = {"nl": "nl_NL", "en": "en_GB"}


def _text(value):
    return Truncator(" ".join(strip_tags(str(value or "")).split())).chars(DESCRIPTION_LENGTH)


def page_description(page):
    """The page's search description, else its intro or summary."""
    for field in ("search_description", "intro", "summary"):
        text = _text(getattr(page, field, ""))
        if text:
            return text
    return ""


def page_image_url(request, page):
    """The absolute URL of the page's picture for link previews (an initiative's cover)."""
    image = getattr(page, "meta_image", None)
    if image is not None:
        return request.build_absolute_uri(image.get_rendition(IMAGE_RENDITION).url)
    return request.build_absolute_uri(static(DEFAULT_IMAGE))


@register.inclusion_tag("includes/page_meta.html", takes_context=True)
def page_meta(context, title="", description=""):
    """``<meta>`` description, OpenGraph and Twitter card tags for the page in context.

    Views that are not Wagtail pages pass their own ``title`` and ``description``; else
    the platform's tagline describes them.
    """
    request = context.get("request")
    if request is None:
        return {}
    page = context.get("page")
    if page is not None and not title:
        title = page.seo_title or page.title
        description = description or page_description(page)
    if not description:
        description = PlatformSettings.for_request(request).tagline
    path = page.get_url(request) if page is not None and getattr(page, "pk", None) else None
    if not path:
        # Reversed from what the resolver matched, never echoed from the request's path.
        match = getattr(request, "resolver_match", None)
        path = path_in_language(match, translation.get_language())
    return {
        "title": title or "Wijkkapitaal",
        "description": _text(description),
        "url": request.build_absolute_uri(path),
        "image": page_image_url(request, page),
        "type": "article" if getattr(page, "meta_image", None) is not None else "website",
        "locale": OG_LOCALES.get(translation.get_language(), "nl_NL"),
    }


@register.inclusion_tag("includes/share_links.html", takes_context=True)
def share_links(context, page):
    """WhatsApp, e-mail and copy-link: plain links, with no script of anyone else."""
    request = context["request"]
    url = request.build_absolute_uri(page.get_url(request))
    title = page.seo_title or page.title
    body = f"{page_description(page)}\n\n{url}".strip()
    return {
        "share_url": url,
        "whatsapp_url": "https://wa.me/?text=" + quote(f"{title} {url}", safe=""),
        "mailto_url": f"mailto:?subject={quote(title, safe='')}&body={quote(body, safe='')}",
        "input_id": f"share-url-{page.pk}",
    }
