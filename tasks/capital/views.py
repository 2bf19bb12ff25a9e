"""The open-data page and its downloads (CSV and JSON, per city and neighbourhood).

Downloads stream (``StreamingHttpResponse``) and carry ``Cache-Control: public,
max-age=OPEN_DATA_CACHE_SECONDS``, so the proxy and browsers keep them. The initiatives and
months files are also kept by the server for that period (``stored``): built once, then
streamed from the stored file without touching the database.
"""

from django.conf import settings
from django.http import FileResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from wagtail.models import Page, Site

from cms.models import CityPage, NeighbourhoodPage
from cms.views import NotFoundWithMessage
from tasks.capital import exports, grants, stored
from tasks.capital.disclosure import MIN_DONORS

PLATFORM = "all"
FORMATS = {"csv": "text/csv; charset=utf-8", "json": "application/json"}


def _root(request):
    site = Site.find_for_request(request) or Site.objects.filter(is_default_site=True).first()
    if site is None:
        raise NotFoundWithMessage(_("This site has no pages yet."))
    return site.root_page


def _place(request, place):
    """The city or neighbourhood page at ``place`` (its path below the home page), or None."""
    if place == PLATFORM:
        return None
    root = _root(request)
    page = Page.objects.live().filter(url_path=f"{root.url_path}{place.strip('/')}/").first()
    if page is None or page.specific_class not in (CityPage, NeighbourhoodPage):
        raise NotFoundWithMessage(_("There is no city or neighbourhood at this address."))
    return page


def open_data(request):
    root = _root(request)
    cities = CityPage.objects.live().descendant_of(root).order_by("path")
    neighbourhoods = NeighbourhoodPage.objects.live().descendant_of(root).order_by("path")
    places = [(_("The whole platform"), PLATFORM, 0)]
    prefix = len(root.url_path)
    for page in sorted([*cities, *neighbourhoods], key=lambda page: page.path):
        depth = 1 if isinstance(page, CityPage) else 2
        places.append((page.title, page.url_path[prefix:].strip("/"), depth))
    return render(
        request,
        "tasks/capital/open_data.html",
        {
            "places": places,
            "min_donors": MIN_DONORS,
            "initiative_fields": exports.INITIATIVE_FIELDS,
            "month_fields": exports.MONTH_FIELDS,
            "cache_minutes": settings.WIJKKAPITAAL["OPEN_DATA_CACHE_SECONDS"] // 60,
        },
    )


def _content(rows, fields, key, fmt, meta):
    if fmt not in FORMATS:
        raise NotFoundWithMessage(_("Downloads come as csv or json."))
    if fmt == "csv":
        return exports.stream_csv(rows, fields)
    return exports.stream_json(rows, key, meta)


def _respond(response, fmt, filename):
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    patch_cache_control(
        response, public=True, max_age=settings.WIJKKAPITAAL["OPEN_DATA_CACHE_SECONDS"]
    )
    return response


def _download(rows, fields, key, fmt, filename, meta):
    content = _content(rows, fields, key, fmt, meta)
    return _respond(StreamingHttpResponse(content, content_type=FORMATS[fmt]), fmt, filename)


def _kept_download(request, kind, place, fmt, build):
    """The stored file of this download if it is fresh, else built, streamed and stored.

    ``build(scope)`` returns ``(rows, fields)``. The key holds what the bytes depend on:
    the host (absolute links), the language (the documentation link), place, kind, format.
    """
    if fmt not in FORMATS:
        raise NotFoundWithMessage(_("Downloads come as csv or json."))
    filename = f"wijkkapitaal-{place.replace('/', '-')}-{kind}"
    key = stored.cache_key(request.get_host(), get_language(), place, kind, fmt)
    kept = stored.open_fresh(key)
    if kept is not None:
        return _respond(FileResponse(kept, content_type=FORMATS[fmt]), fmt, filename)
    scope = _place(request, place)
    rows, fields = build(scope)
    content = _content(rows, fields, kind, fmt, _meta(request, place))
    response = StreamingHttpResponse(stored.keep(key, content, fmt), content_type=FORMATS[fmt])
    return _respond(response, fmt, filename)


def _meta(request, place):
    return {
        "publisher": "Wijkkapitaal",
        "licence": "https://creativecommons.org/licenses/by/4.0/",
        "place": place,
        "min_donors": MIN_DONORS,
        "documentation": request.build_absolute_uri(reverse("open_data")),
    }


def initiatives(request, place, fmt):
    def build(scope):
        rows = exports.initiative_rows(
            scope, lambda page: request.build_absolute_uri(page.get_url(request=request))
        )
        return rows, exports.INITIATIVE_FIELDS

    return _kept_download(request, "initiatives", place, fmt, build)


def months(request, place, fmt):
    return _kept_download(
        request,
        "months",
        place,
        fmt,
        lambda scope: (exports.month_rows(scope), exports.MONTH_FIELDS),
    )


def grants_360(request, place):
    """The funds' grants in this place as a 360Giving package (JSON)."""
    scope = _place(request, place)
    if not grants.grant_rows(scope).exists():
        raise NotFoundWithMessage(_("No grants from funds are published for this place yet."))
    meta = {
        "version": "1.4",
        "title": f"Wijkkapitaal: grants from funds ({place})",
        "license": "https://creativecommons.org/licenses/by/4.0/",
        "publisher": {"name": "Wijkkapitaal", "website": request.build_absolute_uri("/")},
    }
    rows = grants.grants(
        scope, lambda page: request.build_absolute_uri(page.get_url(request=request))
    )
    name = f"wijkkapitaal-{place.replace('/', '-')}-grants-360giving"
    return _download(rows, [], "grants", "json", name, meta)
