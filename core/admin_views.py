"""The moderators' queue of abuse reports in the Wagtail admin.

All open reports of one item form one entry; a moderator opens it, reads the item and
the reports, and hides the item or dismisses the reports (``core.moderation``). Items
hidden lately are listed below the queue, so that a moderator can open one and put it
back (``core.moderation.restore_hidden``). Only
users with the ``core.change_report`` permission (the Moderators group, superusers) get
in; everyone else gets 403.
"""

from collections import Counter, defaultdict

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max, Min
from django.http import Http404
from django.shortcuts import redirect
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from core import moderation
from core.errors import ServiceError
from core.models import Report
from core.reports import reportable_for_model

MODERATE_PERMISSION = "core.change_report"
QUEUE_SIZE = 200
RECENTLY_HIDDEN = 50

DECISIONS = {
    "hide": (moderation.hide_reported, gettext_lazy("The item is hidden from the public.")),
    "dismiss": (
        moderation.dismiss_reports,
        gettext_lazy("The reports are dismissed; the item stays."),
    ),
    "restore": (moderation.restore_hidden, gettext_lazy("The item is shown to the public again.")),
}


def can_moderate(user):
    return user.is_authenticated and user.has_perm(MODERATE_PERMISSION)


class ModeratorView(WagtailAdminTemplateMixin, TemplateView):
    header_icon = "warning"

    def dispatch(self, request, *args, **kwargs):
        if not can_moderate(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


def _describe(content_type, items, object_id):
    """What the queue shows of one reported item, also when it was deleted meanwhile."""
    kind = reportable_for_model(content_type.model_class())
    item = items.get(object_id)
    return {
        "kind": kind.label if kind else content_type.name,
        "item": item,
        "summary": kind.summary(item) if kind and item else _("(deleted)"),
        "public_url": kind.public_url(item) if kind and item else "",
        "hidden": bool(item and getattr(item, "hidden_at", None)),
    }


class ReportQueueView(ModeratorView):
    template_name = "core/admin/report_queue.html"
    page_title = gettext_lazy("Abuse reports")

    def get_context_data(self, **kwargs):
        open_reports = Report.objects.filter(status=Report.Status.OPEN)
        groups = list(
            open_reports.values("content_type", "object_id")
            .annotate(count=Count("pk"), first=Min("created_at"), last=Max("created_at"))
            .order_by("-count", "first")[:QUEUE_SIZE]
        )
        ids_by_type = defaultdict(set)
        for group in groups:
            ids_by_type[group["content_type"]].add(group["object_id"])
        reasons = defaultdict(Counter)
        for content_type_id, object_id, reason in open_reports.filter(
            content_type__in=ids_by_type
        ).values_list("content_type", "object_id", "reason"):
            reasons[content_type_id, object_id][reason] += 1
        items = {}
        for content_type_id, object_ids in ids_by_type.items():
            model = ContentType.objects.get_for_id(content_type_id).model_class()
            items[content_type_id] = model._default_manager.in_bulk(object_ids) if model else {}
        labels = dict(Report.Reason.choices)
        entries = []
        for group in groups:
            content_type = ContentType.objects.get_for_id(group["content_type"])
            counted = reasons[group["content_type"], group["object_id"]]
            entries.append(
                {
                    **group,
                    **_describe(content_type, items[content_type.pk], group["object_id"]),
                    "reasons": [(labels.get(r, r), n) for r, n in counted.most_common()],
                }
            )
        return super().get_context_data(
            entries=entries, hidden_entries=_recently_hidden(), **kwargs
        )


def _recently_hidden():
    """The items whose reports were decided "hide" most recently and that are still
    hidden, newest first: a bounded list, read in one query per kind."""
    groups = list(
        Report.objects.filter(status=Report.Status.HIDDEN)
        .values("content_type", "object_id")
        .annotate(decided=Max("decided_at"))
        .order_by("-decided", "-object_id")[:RECENTLY_HIDDEN]
    )
    ids_by_type = defaultdict(set)
    for group in groups:
        ids_by_type[group["content_type"]].add(group["object_id"])
    items = {}
    for content_type_id, object_ids in ids_by_type.items():
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        items[content_type_id] = model._default_manager.in_bulk(object_ids) if model else {}
    entries = []
    for group in groups:
        content_type = ContentType.objects.get_for_id(group["content_type"])
        described = _describe(content_type, items[content_type.pk], group["object_id"])
        if described["hidden"]:
            entries.append({**group, **described})
    return entries


class ReportedItemView(ModeratorView):
    template_name = "core/admin/reported_item.html"
    page_title = gettext_lazy("Reported item")

    def dispatch(self, request, content_type_id, object_id):
        try:
            self.content_type = ContentType.objects.get_for_id(content_type_id)
        except ContentType.DoesNotExist as error:
            raise Http404 from error
        self.object_id = object_id
        return super().dispatch(request, content_type_id, object_id)

    def get_context_data(self, **kwargs):
        model = self.content_type.model_class()
        items = model._default_manager.in_bulk([self.object_id]) if model else {}
        reports = moderation.open_reports(self.content_type, self.object_id).select_related(
            "reporter"
        )
        return super().get_context_data(
            reports=reports,
            closed_count=Report.objects.filter(
                content_type=self.content_type, object_id=self.object_id
            )
            .exclude(status=Report.Status.OPEN)
            .count(),
            **_describe(self.content_type, items, self.object_id),
            **kwargs,
        )

    def post(self, request, content_type_id, object_id):
        decision = DECISIONS.get(request.POST.get("decision"))
        if decision is None:
            messages.error(request, _("Choose to hide the item or to dismiss the reports."))
            return redirect("core_report", content_type_id, object_id)
        decide, done = decision
        try:
            decide(content_type=self.content_type, object_id=object_id, actor=request.user)
        except ServiceError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, str(done))
        return redirect("core_report_queue")


admin_urlpatterns = [
    path("", ReportQueueView.as_view(), name="core_report_queue"),
    path("<int:content_type_id>/<int:object_id>/", ReportedItemView.as_view(), name="core_report"),
]
