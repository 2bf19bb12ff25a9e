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

import secrets
import tempfile
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.files import File
from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import Signal, receiver
from django.http import HttpRequest, QueryDict
from django.urls import Resolver404, resolve
from django.utils import timezone

from core.events import SpreadsheetExportReady, announce
from core.models import SpreadsheetExport, export_path

# Sent after the commit of a new export, with ``export_id``; ``core.jobs`` queues the build.
export_requested = Signal()

# The request attribute that tells the listing to stream its CSV whatever its length.
BUILDING_ATTRIBUTE = "builds_stored_export"

# The sweep queues an export again when its job has not finished after this long (a build
# of a million rows takes about ten minutes), and gives it up after a day.
REQUEUE_AFTER = timedelta(hours=1)
GIVE_UP_AFTER = timedelta(days=1)

Failure = SpreadsheetExport.Failure


@transaction.atomic
def request_export(*, user, listing_path, query, title, filename):
    """A new export of the listing at ``listing_path`` with ``query`` (its filters), or the
    one of the same list and filters this user asked for and is still being made.

    Returns ``(export, created)``."""
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
    )
    transaction.on_commit(
        lambda: export_requested.send(sender=SpreadsheetExport, export_id=export.pk), robust=True
    )
    return export, True


def listing_request(export):
    """A GET of the listing's CSV, as the staff member who asked."""
    request = HttpRequest()
    request.method = "GET"
    request.path = request.path_info = export.listing_path
    request.GET = QueryDict(export.query, mutable=True)
    request.GET["export"] = "csv"
    base = urlsplit(settings.WAGTAILADMIN_BASE_URL)
    request.META["SERVER_NAME"] = base.hostname or "localhost"
    request.META["SERVER_PORT"] = str(base.port or (443 if base.scheme == "https" else 80))
    request.user = export.requested_by
    # As MessageMiddleware does: an admin view that refuses adds a message on its way out.
    request._messages = CookieStorage(request)
    setattr(request, BUILDING_ATTRIBUTE, True)
    return request


def build_export(export_id):
    """Build and store the file of a queued export; idempotent (a finished one is left).

    Returns True when this call finished it. The rows are written to a temporary file as
    the view streams them, so memory stays flat; the row is locked only to mark it ready,
    and a second build that lost the race deletes its own file.
    """
    export = SpreadsheetExport.objects.select_related("requested_by").filter(pk=export_id).first()
    if export is None or export.status != SpreadsheetExport.Status.QUEUED:
        return False
    user = export.requested_by
    if not user.is_active or not user.has_perm("wagtailadmin.access_admin"):
        return give_up(export_id, Failure.NOT_ALLOWED)
    try:
        match = resolve(export.listing_path)
    except Resolver404:
        return give_up(export_id, Failure.NOT_ALLOWED)
    # Not response.close(): that is the end of a web request (request_finished closes the
    # job's database connection); the rows' iterator ends with the stream.
    response = match.func(listing_request(export), *match.args, **match.kwargs)
    if response.status_code != 200 or not response.streaming:
        return give_up(export_id, Failure.NOT_ALLOWED)
    with tempfile.TemporaryFile() as spool:
        chunks = 0
        for chunk in response.streaming_content:
            spool.write(chunk)
            chunks += 1
        spool.seek(0)
        name = export.file.storage.save(export_path(export, f"{export.filename}.csv"), File(spool))
    with transaction.atomic():
        export = SpreadsheetExport.objects.select_for_update().get(pk=export_id)
        if export.status != SpreadsheetExport.Status.QUEUED:
            export.file.storage.delete(name)
            return False
        export.file.name = name
        export.rows = max(chunks - 1, 0)  # one chunk a row, after the heading
        export.finish()
        export.save(update_fields=["status", "file", "rows", "finished_at", "expires_at"])
        announce(SpreadsheetExportReady(export_id=export_id))
    return True


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
    """Queued exports whose job has not finished within ``REQUEUE_AFTER`` (a broker outage,
    a worker that died): the sweep queues them again."""
    now = now or timezone.now()
    return list(
        SpreadsheetExport.objects.filter(
            status=SpreadsheetExport.Status.QUEUED,
            requested_at__lt=now - REQUEUE_AFTER,
            requested_at__gte=now - GIVE_UP_AFTER,
        ).values_list("pk", flat=True)
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
