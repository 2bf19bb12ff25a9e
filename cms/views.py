from django.conf import settings
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.templatetags.static import static
from django.utils.cache import patch_cache_control


def health(request):
    """A trivial view: the liveness probe and the benchmark's baseline."""
    return HttpResponse("ok", content_type="text/plain")


def favicon(request):
    """Browsers and crawlers that ignore the pages' ``<link rel="icon">`` still ask here."""
    response = HttpResponseRedirect(static("img/favicon.svg"))
    patch_cache_control(response, max_age=24 * 60 * 60)  # a day: the target's name is hashed
    return response


class NotFoundWithMessage(Http404):
    """A 404 whose message is written for the visitor (and translated), not for developers."""


def page_not_found(request, exception):
    message = str(exception) if isinstance(exception, NotFoundWithMessage) else ""
    return render(request, "404.html", {"message": message}, status=404)


# Paths that are personal, transactional or for staff: not for search engines. Each one
# is listed with and without the /en/ prefix of the English pages.
ROBOTS_DISALLOWED = ("/admin/", "/django-admin/", "/_util/")
ROBOTS_DISALLOWED_LOCALISED = (
    "/accounts/",
    "/my-account/",
    "/donations/",
    "/e-mail/",
    "/report/",
    "/initiatives/new/",
    "/organisations/new/",
    "/organisations/invitation/",
)


def robots_txt(request):
    """Which paths crawlers may skip, and where the sitemap is."""
    prefixes = [f"/{code}" for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
    disallowed = list(ROBOTS_DISALLOWED)
    for path in ROBOTS_DISALLOWED_LOCALISED:
        disallowed += [path] + [prefix + path for prefix in prefixes]
    response = render(
        request,
        "robots.txt",
        {"disallowed": disallowed, "sitemap_url": request.build_absolute_uri("/sitemap.xml")},
        content_type="text/plain; charset=utf-8",
    )
    patch_cache_control(response, max_age=60 * 60)
    return response
