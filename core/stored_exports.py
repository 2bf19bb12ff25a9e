"""CSV files of admin listings too long to stream in a request, built by a job.

A listing with :class:`core.exports.SafeSpreadsheetExportMixin` streams its CSV while the
rows are few. Past ``stream_max_rows`` a request would outlive the web worker's timeout
(Gunicorn ends it after 30 s; a million pledges take minutes), so the listing asks for a
:class:`core.models.SpreadsheetExport` instead (:func:`request_export`) and the job
``core.jobs.build_spreadsheet_export`` builds it (:func:`build_export`).

The job does not describe the columns or the filters again: it calls the listing's own
admin view, through its URL, as the staff member who asked, with their filters and
language, and stores what the view streams. Whoever may no longer see the listing (their
admin access or the listing's permission was taken away) gets a failed export, not a file.
"""

import io
import secrets
import tempfile
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.files import File
from django.core.handlers.wsgi import WSGIRequest
from django.db import transaction
from django.db.models import Q
from django.db.models.signals import post_delete
from django.dispatch import Signal, receiver
from django.http import Http404, QueryDict
from django.urls import Resolver404, resolve
from django.utils import timezone, translation

from core.events import SpreadsheetExportReady, announce
from core.models import SpreadsheetExport, export_path

# Sent after the commit of a new export, with ``export_id``; ``core.jobs`` queues the build.
export_requested = Signal()

# The request attribute that tells the listing to stream its CSV whatever its length.
BUILDING_ATTRIBUTE = "builds_stored_export"

# The sweep queues an export again when no job started it within ``UNCLAIMED_AFTER`` (a
# broker outage), or when its build started ``REQUEUE_AFTER`` ago and never finished (a
# worker that died; a million rows take a few minutes); it gives up after a day.
UNCLAIMED_AFTER = timedelta(minutes=15)
REQUEUE_AFTER = timedelta(hours=1)
GIVE_UP_AFTER = timedelta(days=1)
QUERY_MAX_LENGTH = SpreadsheetExport._meta.get_field("query").max_length

Failure = SpreadsheetExport.Failure


class QueryTooLong(ValueError):
    """The listing's filters do not fit in an export's record."""


@transaction.atomic
def request_export(*, user, listing_path, query, title, filename):
    """A new export of the listing at ``listing_path`` with ``query`` (its filters), in the
    active language, or the one of the same list and filters this user asked for and is
    still being made. Returns ``(export, created)``.

    The user's row is locked first, so a double click asks once.
    """
    if len(query) > QUERY_MAX_LENGTH:
        raise QueryTooLong(query)
    get_user_model().objects.select_for_update().filter(pk=user.pk).first()
    waiting = SpreadsheetExport.objects.filter(
        requested_by=user,
        listing_path=listing_path,
        query=query,
        status=SpreadsheetExport.Status.QUEUED,
    ).first()
    if waiting is not None:
        return waiting, False
    export = SpreadsheetExport.objects.create(
        requested_by=user,
        token=secrets.token_urlsafe(32),
        listing_path=listing_path,
        query=query,
        title=str(title)[:120],
        filename=filename[:120],
        language=translation.get_language() or settings.LANGUAGE_CODE,
    )
    transaction.on_commit(
        lambda: export_requested.send(sender=SpreadsheetExport, export_id=export.pk), robust=True
    )
    return export, True


def listing_request(export, export_format="csv"):
    """A GET of the listing (its CSV by default), as the staff member who asked, at the
    platform's address (``WAGTAILADMIN_BASE_URL``)."""
    base = urlsplit(settings.WAGTAILADMIN_BASE_URL)
    query = QueryDict(export.query, mutable=True)
    if export_format:
        query["export"] = export_format
    scheme = base.scheme or "http"
    request = WSGIRequest(
        {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": export.listing_path,
            "QUERY_STRING": query.urlencode(),
            "SERVER_NAME": base.hostname or "localhost",
            "SERVER_PORT": str(base.port or (443 if scheme == "https" else 80)),
            "HTTP_HOST": base.netloc or "localhost",
            "wsgi.url_scheme": scheme,
            "wsgi.input": io.BytesIO(),
        }
    )
    request.user = export.requested_by
    # As MessageMiddleware does: an admin view that refuses adds a message on its way out.
    request._messages = CookieStorage(request)
    setattr(request, BUILDING_ATTRIBUTE, True)
    return request


def may_see_listing(export):
    """Whether the export's owner may still see its listing: admin access, and the
    listing view's own permission check (``PermissionCheckedMixin``)."""
    user = export.requested_by
    if not user.is_active or not user.has_perm("wagtailadmin.access_admin"):
        return False
    try:
        match = resolve(export.listing_path)
    except Resolver404:
        return False
    view_class = getattr(match.func, "view_class", None)
    if view_class is None:
        return False
    view = view_class(**match.func.view_initkwargs)
    view.setup(listing_request(export, export_format=None), *match.args, **match.kwargs)
    if view.permission_required and not view.user_has_permission(view.permission_required):
        return False
    return not view.any_permission_required or view.user_has_any_permission(
        view.any_permission_required
    )


def claim(export_id, now=None):
    """Mark a queued export as being built, unless another build started it lately;
    returns whether this caller may build it."""
    now = now or timezone.now()
    return bool(
        SpreadsheetExport.objects.filter(pk=export_id, status=SpreadsheetExport.Status.QUEUED)
        .filter(Q(started_at__isnull=True) | Q(started_at__lt=now - REQUEUE_AFTER))
        .update(started_at=now)
    )


def build_export(export_id):
    """Build and store the file of a queued export; idempotent (a finished one is left,
    and one that another build started within ``REQUEUE_AFTER`` too).

    Returns True when this call finished it. The listing's view runs in the language the
    staff member asked in; its rows are written to a temporary file as it streams them, so
    memory stays flat. The row is locked only to mark it ready; a build that lost the
    race, or whose row is gone, deletes its own file.
    """
    if not claim(export_id):
        return False
    try:
        return _build(export_id)
    except BaseException:
        release(export_id)  # the retry may claim it again
        raise


def _build(export_id):
    export = SpreadsheetExport.objects.select_related("requested_by").get(pk=export_id)
    if not may_see_listing(export):
        return give_up(export_id, Failure.NOT_ALLOWED)
    match = resolve(export.listing_path)
    with translation.override(export.language), tempfile.TemporaryFile() as spool:
        # Not response.close(): that ends a web request (request_finished closes the job's
        # database connection); the rows' iterator ends with the stream.
        try:
            response = match.func(listing_request(export), *match.args, **match.kwargs)
        except Http404:
            return give_up(export_id, Failure.NOT_ALLOWED)
        if response.status_code != 200 or not response.streaming:
            return give_up(export_id, Failure.NOT_ALLOWED)
        chunks = 0
        for chunk in response.streaming_content:
            spool.write(chunk)
            chunks += 1
        spool.seek(0)
        storage = export.file.storage
        name = storage.save(export_path(export, f"{export.filename}.csv"), File(spool))
    finished = False
    try:
        finished = _finish(export_id, name, rows=max(chunks - 1, 0))  # a chunk a row
    finally:
        if not finished:
            storage.delete(name)  # the row is gone, or another build finished it
    return finished


@transaction.atomic
def _finish(export_id, name, rows):
    export = SpreadsheetExport.objects.select_for_update().filter(pk=export_id).first()
    if export is None or export.status != SpreadsheetExport.Status.QUEUED:
        return False
    export.file.name = name
    export.rows = rows
    export.finish()
    export.save(update_fields=["status", "file", "rows", "finished_at", "expires_at"])
    announce(SpreadsheetExportReady(export_id=export_id))
    return True


def release(export_id):
    """Let the next try build a queued export whose build failed."""
    SpreadsheetExport.objects.filter(pk=export_id, status=SpreadsheetExport.Status.QUEUED).update(
        started_at=None
    )


@transaction.atomic
def give_up(export_id, failure):
    """Mark a queued export failed, for its owner to see why (``Failure``); returns False."""
    export = SpreadsheetExport.objects.select_for_update().filter(pk=export_id).first()
    if export is not None and export.status == SpreadsheetExport.Status.QUEUED:
        export.failure = failure
        export.give_up()
        export.save(update_fields=["status", "failure", "finished_at"])
    return False


def stale_export_ids(now=None):
    """Queued exports no job started within ``UNCLAIMED_AFTER`` (a broker outage), or whose
    build started ``REQUEUE_AFTER`` ago (a worker that died): the sweep queues them again."""
    now = now or timezone.now()
    return list(
        SpreadsheetExport.objects.filter(
            status=SpreadsheetExport.Status.QUEUED, requested_at__gte=now - GIVE_UP_AFTER
        )
        .filter(
            Q(started_at__isnull=True, requested_at__lt=now - UNCLAIMED_AFTER)
            | Q(started_at__lt=now - REQUEUE_AFTER)
        )
        .values_list("pk", flat=True)
    )


def give_up_forgotten(now=None):
    """Queued exports older than ``GIVE_UP_AFTER`` fail, visibly; their number."""
    now = now or timezone.now()
    ids = list(
        SpreadsheetExport.objects.filter(
            status=SpreadsheetExport.Status.QUEUED, requested_at__lt=now - GIVE_UP_AFTER
        ).values_list("pk", flat=True)
    )
    for export_id in ids:
        give_up(export_id, Failure.NEVER_BUILT)
    return len(ids)


def expire_exports(now=None):
    """Delete the files of ready exports past ``expires_at``; the rows stay. Their number."""
    now = now or timezone.now()
    ids = list(
        SpreadsheetExport.objects.filter(
            status=SpreadsheetExport.Status.READY, expires_at__lte=now
        ).values_list("pk", flat=True)
    )
    expired = 0
    for export_id in ids:
        with transaction.atomic():
            export = SpreadsheetExport.objects.select_for_update().get(pk=export_id)
            if export.status != SpreadsheetExport.Status.READY:
                continue
            name = export.file.name
            export.expire()
            export.file = ""
            export.save(update_fields=["status", "file"])
            storage = export.file.storage
            transaction.on_commit(lambda storage=storage, name=name: storage.delete(name))
        expired += 1
    return expired


@receiver(post_delete, sender=SpreadsheetExport, dispatch_uid="core.delete_export_file")
def delete_export_file(sender, instance, **kwargs):
    """The file goes with its row, also when the staff member's account is deleted."""
    if instance.file.name:
        storage, name = instance.file.storage, instance.file.name
        transaction.on_commit(lambda: storage.delete(name))
