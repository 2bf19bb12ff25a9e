"""Celery jobs of the tasks app: the stored capital figures and the open-data files.

Both run on the ``bulk`` queue (``CELERY_TASK_ROUTES``): a large place's files take a
worker for minutes, and the platform's figures read every pledge, which must delay neither
a payment nor an e-mail.
"""

import logging

from celery import shared_task
from django.core.cache import cache
from wagtail.models import Page

from campaigns.jobs import backoff
from tasks.capital import files, meter, stored

logger = logging.getLogger(__name__)


@shared_task(bind=True, max_retries=3)
def recount_capital_figure(self, kind, scope_id=None):
    """Recount one stored figure (``meter.FIGURES``) of a page, or of the platform (None).

    Idempotent: it counts again and overwrites. A page deleted since is left alone.
    """
    scope = None
    if scope_id is not None:
        scope = Page.objects.filter(pk=scope_id).first()
        if scope is None:
            return None
        scope = scope.specific
    try:
        meter.refresh(kind, scope)
    except Exception as error:
        if self.request.is_eager:
            raise
        raise self.retry(exc=error, countdown=backoff(self.request.retries)) from error
    return kind


@shared_task
def recount_platform_capital():
    """Beat: recount the platform's figures before they go stale, so the home page never
    counts every pledge of the platform inside a request."""
    for kind in meter.FIGURES:
        recount_capital_figure.delay(kind)
    return len(meter.FIGURES)


def recount_in_background(kind, scope_id):
    """Queue a recount of a stale figure; if the broker is down, the stale one stays."""
    try:
        recount_capital_figure.delay(kind, scope_id)
    except Exception:
        logger.warning("Could not queue a recount of %s %s", kind, scope_id, exc_info=True)


# While a build of a place is queued or running, requests do not queue another.
BUILDING_SECONDS = 15 * 60


def _building_key(place):
    return f"open-data:building:{place}"


@shared_task(bind=True, max_retries=5)
def build_open_data(self, place, fresh_seconds=None):
    """Build and store the files of one place (see ``files.build``); idempotent.

    ``fresh_seconds`` (default: half the period) leaves files younger than that alone, so
    a second run, or a request's run after beat's, builds nothing. An unknown place (a page
    unpublished since) is dropped. Other errors (database, storage) are retried with
    backoff, except in-process (eager), where the request that asked answers 503 instead.
    """
    if fresh_seconds is None:
        fresh_seconds = stored.period_seconds() // 2
    try:
        return len(files.build(place, fresh_seconds=fresh_seconds))
    except files.UnknownPlace:
        logger.info("Open data: no place %r any more", place)
        return 0
    except Exception as error:  # the database, the storage (S3 has errors of its own)
        logger.exception("Building the open data of %r failed", place)
        if self.request.is_eager:
            raise
        raise self.retry(exc=error, countdown=backoff(self.request.retries, base=30)) from error
    finally:
        cache.delete(_building_key(place))


@shared_task
def refresh_open_data():
    """Beat, a little more often than the period: one build per place, each place's files
    built when older than half the period. Returns the number of places queued."""
    places = files.places()
    for place in places:
        build_open_data.delay(place)
    return len(places)


def request_build(place):
    """Queue a build of ``place`` unless one is queued or running; in-process it runs now.

    With the broker down nothing is queued (the request answers as without a file) and
    the next request tries again."""
    if not cache.add(_building_key(place), 1, BUILDING_SECONDS):
        return
    try:
        build_open_data.delay(place)
    except Exception:
        cache.delete(_building_key(place))
        logger.warning("Could not queue the open-data build of %r", place, exc_info=True)
