"""Find the Wagtail site of a request from a cached list, not with a query per request.

Wagtail picks the site with one query per request (``Site.find_for_request``), whose
``CASE`` ordering and joined root page take longer to build than the rest of the routing.
There are only a handful of sites, so :func:`find_site` keeps them all, each with its
root page already specific, in the default cache (Redis in production, shared by every
process) and applies Wagtail's precedence to that list: hostname and port, then
hostname on the default site, then the default site unless exactly one other site has
the hostname. The list is dropped (after commit) whenever a site is saved or deleted,
a site's root page is published or unpublished, or any page is moved (see
``cms.signals``), and it expires after ``SITES_SECONDS`` in any case.

The cached root page only routes deeper paths (by its ``url_path``); ``cms.views.serve``
leaves the root URL itself to Wagtail's own lookup, so no page is ever served from the
cache.
"""

import functools

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import connection
from django.http.request import split_domain_port
from wagtail.models import Page, Site

from cms.sql import ModelQuery

SITES_KEY = "cms:sites"
SITES_SECONDS = 300

BY_HOSTNAME_AND_PORT, BY_HOSTNAME_ON_DEFAULT, BY_DEFAULT, BY_HOSTNAME = range(4)


def cached_sites():
    sites = cache.get(SITES_KEY)
    if sites is None:
        sites = list(Site.objects.select_related("root_page"))
        for site in sites:
            site.root_page = site.root_page.specific
        cache.set(SITES_KEY, sites, SITES_SECONDS)
    return sites


def forget_sites():
    cache.delete(SITES_KEY)


def _match(site, hostname, port):
    if site.hostname == hostname:
        if site.port == port:
            return BY_HOSTNAME_AND_PORT
        return BY_HOSTNAME_ON_DEFAULT if site.is_default_site else BY_HOSTNAME
    return BY_DEFAULT if site.is_default_site else None


def find_site(request):
    """The site Wagtail's ``Site.find_for_request`` would return, or None."""
    hostname = split_domain_port(request._get_raw_host())[0]
    port = request.get_port()
    port = int(port) if str(port).isdigit() else None
    ranked = []
    for index, site in enumerate(cached_sites()):
        rank = _match(site, hostname, port)
        if rank is not None:
            ranked.append((rank, index, site))
    if not ranked:
        return None
    ranked.sort(key=lambda entry: entry[:2])
    best_rank, _index, best = ranked[0]
    if len(ranked) == 1 or best_rank in (BY_HOSTNAME_AND_PORT, BY_HOSTNAME_ON_DEFAULT):
        return best
    if best_rank == BY_DEFAULT:
        # Sites with this hostname on other ports: exactly one wins over the default.
        return ranked[1][2] if len(ranked) == 2 else best
    return None  # several sites on other ports and no default: Wagtail finds none either


def specific_page_at(url_path):
    """The page at ``url_path``, as its specific class, in two short queries (or None).

    A queryset with ``.specific`` costs about 1 ms here, nearly all of it Django compiling
    SQL; these two statements cost a tenth of that. Pages whose class does not inherit
    from ``Page`` directly are loaded with the ORM.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, content_type_id FROM {Page._meta.db_table}"
            " WHERE url_path = %s ORDER BY path LIMIT 1",
            [url_path],
        )
        row = cursor.fetchone()
    if row is None:
        return None
    page_id, content_type_id = row
    model = ContentType.objects.get_for_id(content_type_id).model_class() or Page
    query = _page_query(model)
    if query is None:
        return model.objects.filter(pk=page_id).first()
    return query.first([page_id])


@functools.cache
def _page_query(model):
    if model is Page:
        return ModelQuery(Page, f"SELECT * FROM {Page._meta.db_table} WHERE id = %s")
    if list(model._meta.parents) == [Page]:
        return ModelQuery(
            model,
            f"SELECT p.*, s.* FROM {Page._meta.db_table} p"
            f" JOIN {model._meta.db_table} s ON s.{model._meta.pk.column} = p.id WHERE p.id = %s",
        )
    return None
