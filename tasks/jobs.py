"""Celery jobs of the tasks app."""

import logging

from celery import shared_task
from wagtail.models import Page

from campaigns.jobs import backoff
from tasks.capital import meter

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
