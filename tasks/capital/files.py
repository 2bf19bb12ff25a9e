"""The standard open-data files of a place, built without a request.

A place is ``all`` (the platform) or the path of a city or neighbourhood below the default
site's home page (``gouda`` or ``gouda/binnenstad``). Its files are every kind (initiatives,
months) in every format (CSV, JSON) and language (the documentation link and the
initiatives' links follow it). Links start with ``BASE_URL`` (``WAGTAILADMIN_BASE_URL``),
as in the platform's mails.
"""

import itertools
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone, translation
from wagtail.models import Page, Site

from cms.models import CityPage, NeighbourhoodPage
from tasks.capital import exports, stored
from tasks.capital.disclosure import MIN_DONORS

PLATFORM = "all"
FORMATS = {"csv": "text/csv; charset=utf-8", "json": "application/json"}
KINDS = ("initiatives", "months")


class UnknownPlace(LookupError):
    """No live city or neighbourhood at this path."""


def default_root():
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    return site.root_page if site is not None else None


def scope_of(root, place):
    """The city or neighbourhood page at ``place`` below ``root``; None for the platform."""
    if place == PLATFORM:
        return None
    page = None
    if root is not None:
        page = Page.objects.live().filter(url_path=f"{root.url_path}{place.strip('/')}/").first()
    if page is None or page.specific_class not in (CityPage, NeighbourhoodPage):
        raise UnknownPlace(place)
    return page


def places(root=None):
    """Every place with files: the platform, then each live city and neighbourhood."""
    root = root or default_root()
    if root is None:
        return [PLATFORM]
    prefix = len(root.url_path)
    pages = Page.objects.live().descendant_of(root).type(CityPage, NeighbourhoodPage)
    paths = pages.order_by("path").values_list("url_path", flat=True)
    return [PLATFORM, *(path[prefix:].strip("/") for path in paths)]


def absolute(path):
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def url_context():
    """A request for ``BASE_URL``, passed to ``get_url_parts`` as Wagtail allows: it keeps
    the sites' root paths for the whole file, which would otherwise be read from the cache
    once per row (a round trip to Redis, 100,000 times)."""
    base = urlsplit(settings.WAGTAILADMIN_BASE_URL)
    request = HttpRequest()
    request.META["SERVER_NAME"] = base.hostname or "localhost"
    request.META["SERVER_PORT"] = str(base.port or (443 if base.scheme == "https" else 80))
    return request


def page_url(page, context=None):
    """The page's address in the active language, from ``BASE_URL``."""
    parts = page.get_url_parts(request=context)
    return absolute(parts[2]) if parts and parts[2] else ""


def meta(place, generated_at=None):
    data = {
        "publisher": "Wijkkapitaal",
        "licence": "https://creativecommons.org/licenses/by/4.0/",
        "place": place,
        "min_donors": MIN_DONORS,
        "documentation": absolute(reverse("open_data")),
    }
    if generated_at is not None:
        data["generated_at"] = generated_at.isoformat()
    return data


def _localised(rows, language):
    """The rows with their ``url`` (one per language) in ``language``."""
    for row in rows:
        if isinstance(row.get("url"), dict):
            row = {**row, "url": row["url"][language]}
        yield row


def contents(kind, scope, place, targets, generated_at=None):
    """The text chunks of each ``(language, format)`` file of ``kind``, from ONE pass
    over the rows: ``itertools.tee`` hands every row to each file, which are to be
    written in step (``stored.store_many``) so that only a row or two wait in between."""
    languages = sorted({language for language, _fmt in targets})
    if kind == "initiatives":
        context = url_context()

        def urls(page):
            found = {}
            for language in languages:
                with translation.override(language):
                    found[language] = page_url(page, context)
            return found

        rows, fields = exports.initiative_rows(scope, urls), exports.INITIATIVE_FIELDS
    else:
        rows, fields = exports.month_rows(scope), exports.MONTH_FIELDS
    chunks = []
    for (language, fmt), copy in zip(targets, itertools.tee(rows, len(targets)), strict=True):
        localised = _localised(copy, language)
        if fmt == "csv":
            chunks.append(exports.stream_csv(localised, fields))
        else:
            with translation.override(language):
                head = meta(place, generated_at)
            chunks.append(exports.stream_json(localised, kind, head))
    return chunks


def content(kind, fmt, scope, place):
    """The chunks of one file, in the active language."""
    return contents(kind, scope, place, [(translation.get_language(), fmt)])[0]


def build(place, *, fresh_seconds=0, now=None):
    """Build and store every file of ``place`` whose newest is older than ``fresh_seconds``.

    Returns the names stored. A file built moments ago by another run is left alone, so a
    repeated or duplicate job only costs the look-up. Each kind's rows are read once for
    all its languages and formats.
    """
    scope = scope_of(default_root(), place)
    built = []
    for kind in KINDS:
        targets = []
        for language, _name in settings.LANGUAGES:
            for fmt in FORMATS:
                found = stored.newest(stored.file_key(language, place, kind, fmt))
                if found is None or found.age_seconds(now) >= fresh_seconds:
                    targets.append((language, fmt))
        if not targets:
            continue
        generated_at = timezone.now()
        chunks = contents(kind, scope, place, targets, generated_at)
        outputs = [
            (stored.file_key(language, place, kind, fmt), fmt, each)
            for (language, fmt), each in zip(targets, chunks, strict=True)
        ]
        built += stored.store_many(outputs, generated_at)
    return built
