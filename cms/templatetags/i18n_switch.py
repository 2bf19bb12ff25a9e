from django import template
from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils import translation

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


@register.simple_tag(takes_context=True)
def language_links(context):
    """Links to the current page in each language; plain links keep cached pages CSRF-free."""
    request = context["request"]
    current = getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE)
    match = getattr(request, "resolver_match", None)
    query = request.GET.urlencode()
    links = []
    for code, name in settings.LANGUAGES:
        url = path_in_language(match, code)
        links.append(
            {
                "code": code,
                "name": name,
                "url": f"{url}?{query}" if query else url,
                "active": code == current,
            }
        )
    return links
