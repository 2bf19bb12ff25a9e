"""Abuse reports: filing one, and a moderator's decision on a reported item.

A decision takes every open report of the item at once (they form one entry in the
moderators' queue), in one transaction: the reports are locked first (no other service
locks them, so this cannot deadlock with the documented lock order), then the item's
app hides it (:meth:`core.reports.Reportable.hide`), each report takes its declared
transition, and the decision gets one audit entry. A moderator may put a hidden item
back (:func:`restore_hidden`) through the same path of the item's app
(:meth:`core.reports.Reportable.set_hidden`), also with an audit entry.
"""

from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import can_proceed

from core import reports
from core.errors import ServiceError
from core.models import Report


class NotReportable(ServiceError):
    """No such item, or not one the public can see."""

    default_message = _("We cannot find what you want to report. It may have been removed.")


class AlreadyHidden(ServiceError):
    default_message = _("This has already been taken off the site. Thank you for your care.")


class NotHidden(ServiceError):
    default_message = _("This item is not hidden, so there is nothing to put back.")


class NothingToDecide(ServiceError):
    default_message = _(
        "There are no open reports about this item; another moderator may have just decided."
    )


def find_reportable(key, object_id):
    """(kind, item) for a report form, or raise NotReportable / AlreadyHidden."""
    kind = reports.reportable(key)
    if kind is None:
        raise NotReportable
    item = kind.visible().filter(pk=object_id).first()
    if item is None:
        if kind.hidden().filter(pk=object_id).exists():
            raise AlreadyHidden
        raise NotReportable
    return kind, item


@transaction.atomic
def file_report(*, key, object_id, reason, text="", email="", reporter=None):
    """Store a report. A signed-in visitor who reports the same item again while their
    first report is open changes nothing: the queue already has it."""
    kind, item = find_reportable(key, object_id)
    content_type = ContentType.objects.get_for_model(kind.model)
    reporter = reporter if getattr(reporter, "pk", None) else None
    if reporter is not None:
        earlier = Report.objects.filter(
            content_type=content_type,
            object_id=item.pk,
            reporter=reporter,
            status=Report.Status.OPEN,
        ).first()
        if earlier is not None:
            return earlier
    return Report.objects.create(
        content_type=content_type,
        object_id=item.pk,
        reason=reason,
        text=text,
        email=email,
        reporter=reporter,
    )


def open_reports(content_type, object_id):
    return Report.objects.filter(
        content_type=content_type, object_id=object_id, status=Report.Status.OPEN
    )


def _decide(content_type, object_id, transition, actor):
    locked = list(open_reports(content_type, object_id).select_for_update().order_by("pk"))
    if not locked:
        raise NothingToDecide
    for report in locked:
        method = getattr(report, transition)
        if not can_proceed(method):  # pragma: no cover - the filter keeps only open reports
            raise NothingToDecide
        method()
        report.decided_by = actor
        report.save(update_fields=["status", "decided_at", "decided_by"])
    return [report.pk for report in locked]


def _kind_and_item(content_type, object_id):
    kind = reports.reportable_for_model(content_type.model_class())
    item = kind.model._default_manager.filter(pk=object_id).first() if kind else None
    if item is None:
        raise NotReportable
    return kind, item


@transaction.atomic
def hide_reported(*, content_type, object_id, actor):
    """Hide a reported item from the public and close its open reports."""
    kind, item = _kind_and_item(content_type, object_id)
    report_ids = _decide(content_type, object_id, "hide", actor)
    kind.hide(item, actor=actor)
    reports.record_decision(item, reports.HIDE, actor=actor, report_ids=report_ids)
    return report_ids


@transaction.atomic
def restore_hidden(*, content_type, object_id, actor):
    """Put a hidden item back on the public pages; a moderator's second thought.

    Its reports keep their decision (they were right to hide it then); the audit entry
    names them. Refused when the item is not hidden (another moderator restored it)."""
    kind, item = _kind_and_item(content_type, object_id)
    if not kind.restore(item, actor=actor):
        raise NotHidden
    report_ids = list(
        Report.objects.filter(
            content_type=content_type, object_id=object_id, status=Report.Status.HIDDEN
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    reports.record_decision(item, reports.RESTORE, actor=actor, report_ids=report_ids)
    return report_ids


@transaction.atomic
def dismiss_reports(*, content_type, object_id, actor):
    """Nothing wrong: close the item's open reports, the item stays."""
    report_ids = _decide(content_type, object_id, "dismiss", actor)
    item = content_type.model_class()._default_manager.filter(pk=object_id).first()
    if item is not None:
        reports.record_decision(item, reports.DISMISS, actor=actor, report_ids=report_ids)
    return report_ids


REPORTER_EMAIL_RETENTION = timedelta(days=90)


def forget_reporter_emails(now=None):
    """Drop the address a reporter left once the report was decided and
    ``REPORTER_EMAIL_RETENTION`` has passed: it was only there for questions about the
    report (``docs/privacy.md``). Returns how many reports lost their address."""
    cutoff = (now or timezone.now()) - REPORTER_EMAIL_RETENTION
    return (
        Report.objects.exclude(email="")
        .filter(decided_at__isnull=False, decided_at__lte=cutoff)
        .update(email="")
    )
