"""The open-data page and its downloads (CSV and JSON, per city and neighbourhood).

Downloads carry ``Cache-Control: public, max-age=OPEN_DATA_CACHE_SECONDS``, so the proxy
and browsers keep them. The initiatives and months files are built by a job
(``tasks.jobs.build_open_data``, scheduled by beat) and served here as stored files
(``stored``), without touching the database; the request never builds them.
"""

import re

from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers, patch_cache_control, patch_vary_headers
from django.utils.http import http_date
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from wagtail.models import Site

from cms.models import CityPage, NeighbourhoodPage
from cms.views import NotFoundWithMessage
from tasks import jobs
from tasks.capital import exports, files, grants, stored
from tasks.capital.disclosure import MIN_DONORS
from tasks.capital.files import FORMATS, PLATFORM

RETRY_AFTER_SECONDS = 60
ACCEPTS_GZIP = re.compile(r"\bgzip\b")


def _root(request):
    site = Site.find_for_request(request) or Site.objects.filter(is_default_site=True).first()
    if site is None:
        raise NotFoundWithMessage(_("This site has no pages yet."))
    return site.root_page


def _place(request, place):
    """The city or neighbourhood page at ``place`` (its path below the home page), or None."""
    if place == PLATFORM:
        return None
    try:
        return files.scope_of(_root(request), place)
    except files.UnknownPlace:
        raise NotFoundWithMessage(_("There is no city or neighbourhood at this address.")) from None


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
            "cache_minutes": stored.period_seconds() // 60,
        },
    )


def _respond(response, fmt, filename):
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    patch_cache_control(response, public=True, max_age=stored.period_seconds())
    return response


def _streamed(chunks, fmt, filename):
    response = StreamingHttpResponse(stored.encoded(chunks), content_type=FORMATS[fmt])
    return _respond(response, fmt, filename)


def _not_built_yet():
    response = HttpResponse(
        _("This file is being prepared from the live figures. Please try again in a minute."),
        status=503,
        content_type="text/plain; charset=utf-8",
    )
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)
    return response


def _kept_download(request, kind, place, fmt):
    """The newest stored file of this download; never built inside the request.

    Without one (a fresh install, a place never built), a build is queued and the answer
    is 503 with Retry-After; in-process (eager) jobs build it at once and it is served.
    A file older than two periods (beat stopped?) is served and a build queued, unless its
    place is gone.
    """
    if fmt not in FORMATS:
        raise NotFoundWithMessage(_("Downloads come as csv or json."))
    filename = f"wijkkapitaal-{place.replace('/', '-')}-{kind}"
    if stored.period_seconds() <= 0:
        scope = _place(request, place)
        return _streamed(files.content(kind, fmt, scope, place), fmt, filename)
    key = stored.file_key(get_language(), place, kind, fmt)
    kept = stored.open_newest(key)
    if kept is None:
        _place(request, place)
        jobs.request_build(place)
        kept = stored.open_newest(key)
        if kept is None:
            return _not_built_yet()
    opened, found = kept
    if found.age_seconds() > 2 * stored.period_seconds():
        try:
            _place(request, place)  # unpublished since: its old files are no longer served
        except NotFoundWithMessage:
            opened.close()
            raise
        jobs.request_build(place)
    accepts_gzip = ACCEPTS_GZIP.search(request.headers.get("Accept-Encoding", ""))
    if found.compressed and not accepts_gzip:
        response = StreamingHttpResponse(
            stored.PlainBlocks(opened, found), content_type=FORMATS[fmt]
        )
    else:
        response = FileResponse(opened, content_type=FORMATS[fmt])
        if found.compressed:
            response["Content-Encoding"] = "gzip"
    patch_vary_headers(response, ["Accept-Encoding"])
    response["Last-Modified"] = http_date(found.generated_at.timestamp())
    return _respond(response, fmt, filename)


def initiatives(request, place, fmt):
    return _kept_download(request, "initiatives", place, fmt)


def months(request, place, fmt):
    return _kept_download(request, "months", place, fmt)


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
    return _streamed(exports.stream_json(rows, "grants", meta), "json", name)
