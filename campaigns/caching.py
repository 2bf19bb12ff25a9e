"""Keeping an initiative's cached page and page fragments in step with its changes.

Two caches show an initiative: anonymous visitors get whole pages from the page cache
(``cms.page_cache``), logged-in visitors get the expensive parts of the page (tasks,
budget, supporters, updates) from template fragments keyed on ``Campaign.cache_version``.

Services call :func:`forget_initiative_page_on_commit` inside the transaction of every
change that shows on the page. It bumps the version at once, in that transaction, so the
fragments change exactly when the change commits; and after the commit it drops the
cached pages, so anonymous visitors see it on their next request too.
"""

from functools import partial

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import translation
from wagtail.models import Site

from campaigns.models import Campaign, InitiativePage
from cms.page_cache import forget_paths


def bump_page_version(campaign_id):
    """Make the campaign's cached page fragments stale (inside the caller's transaction)."""
    Campaign.objects.filter(pk=campaign_id).update(cache_version=F("cache_version") + 1)


def _page_paths(page):
    """The page's path on every site that shows it, in every language.

    Reversed through Wagtail's ``wagtail_serve`` URL in each language, as Wagtail builds a
    page's URL: resolving each path first (``translate_url``) walked the whole URL
    configuration and cost a payment job more than its own queries."""
    paths = set()
    for root in Site.get_site_root_paths():
        if page.url_path.startswith(root.root_path):
            relative = page.url_path[len(root.root_path) :]
            for code, _name in settings.LANGUAGES:
                with translation.override(code):
                    paths.add(reverse("wagtail_serve", args=(relative,)))
    return sorted(paths)


def forget_initiative_page(page_id):
    """Drop the cached copies of an initiative page, on every site and in every language."""
    page = InitiativePage.objects.filter(pk=page_id).only("url_path", "path").first()
    if page is not None:
        forget_paths(_page_paths(page))


def forget_initiative_page_on_commit(page_id):
    """The page's fragments go stale with this transaction, its cached copies after it.

    Called once per change: a batch of events for one campaign bumps the version once per
    event and drops the page's entries once per event after the commit, a few cache
    writes that are cheaper than keeping track of what was already dropped.
    """
    Campaign.objects.filter(page_id=page_id).update(cache_version=F("cache_version") + 1)
    forget_initiative_page_after_commit(page_id)


def forget_page_after_commit(page, subpaths=()):
    """Drop the cached copies of any public page (a neighbourhood, say) after the commit,
    and of its routable sub-pages ``subpaths`` ("wat-we-hebben/")."""
    paths = _page_paths(page)
    paths += [path + subpath for path in paths for subpath in subpaths]
    transaction.on_commit(partial(forget_paths, paths), robust=True)


def forget_initiative_page_after_commit(page_id):
    """Drop the page's cached copies once the transaction commits.

    For a service that saves the locked campaign row anyway: it raises
    ``cache_version`` in that same save instead of a second UPDATE.
    """
    transaction.on_commit(partial(forget_initiative_page, page_id), robust=True)
