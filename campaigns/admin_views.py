"""Staff screens in the Wagtail admin: pledges, refunds, webhook events and the audit log."""

import django_filters
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.models import IndexView
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import ListingButton
from wagtail.permission_policies.base import ModelPermissionPolicy

from campaigns.admin_pledges import (
    EXPORTED_PLEDGE_COLUMNS,
    EXPORTED_PLEDGE_HEADINGS,
    PledgeFilterSet,
    PledgeListingMixin,
    campaign_filter_column,
)
from campaigns.forms import CancelInitiativeForm
from campaigns.jobs import enqueue_stripe_event
from campaigns.models import AuditEntry, Campaign, Pledge, Refund, WebhookEvent
from campaigns.payments import webhooks
from campaigns.permissions import is_moderator
from campaigns.services import ServiceError
from campaigns.services import pledges as pledge_services
from campaigns.services import refunds as refund_services
from campaigns.services.cancellation import cancel_campaign
from core.admin_columns import EuroColumn
from core.exports import SafeSpreadsheetExportMixin

REFUND_PERMISSION = "campaigns.change_pledge"


class ReadOnlyPolicy(ModelPermissionPolicy):
    """Ledger records change only through services, never through generic edit forms."""

    def user_has_permission(self, user, action):
        if action in ("add", "change", "delete"):
            return False
        return super().user_has_permission(user, action)


class RefundPolicy(ReadOnlyPolicy):
    """Refunds belong to a pledge's record: whoever sees pledges sees their refunds."""

    def user_has_permission(self, user, action):
        if action == "view":
            return user.has_perm("campaigns.view_pledge")
        return super().user_has_permission(user, action)


class LedgerIndexView(SafeSpreadsheetExportMixin, IndexView):
    pass


class LedgerViewSet(ModelViewSet):
    index_view_class = LedgerIndexView
    inspect_view_enabled = True
    copy_view_enabled = False
    add_to_admin_menu = False
    form_fields = []  # no add or edit form is ever shown; see ReadOnlyPolicy


class StaffActionIndexView(LedgerIndexView):
    """A listing whose rows get one staff action button when ``action_applies`` says so."""

    action_label = ""
    action_url_name = ""
    action_icon = ""

    def action_applies(self, instance):
        raise NotImplementedError

    def get_list_buttons(self, instance):
        buttons = super().get_list_buttons(instance)
        if self.action_applies(instance) and self.request.user.has_perm(REFUND_PERMISSION):
            buttons.insert(
                0,
                ListingButton(
                    self.action_label,
                    url=reverse(self.action_url_name, args=[instance.pk]),
                    icon_name=self.action_icon,
                    priority=5,
                ),
            )
        return buttons


class PledgeIndexView(PledgeListingMixin, StaffActionIndexView):
    action_label = gettext_lazy("Refund")
    action_url_name = "pledge_refund"
    action_icon = "undo"

    def action_applies(self, instance):
        return instance.status == Pledge.Status.PAID


class PledgeViewSet(LedgerViewSet):
    model = Pledge
    icon = "form"
    menu_label = gettext_lazy("Pledges")
    name = "pledges"
    index_view_class = PledgeIndexView
    list_display = [
        "id",
        campaign_filter_column(),
        "amount_display",
        "status",
        "flagged_reason",
        "created_at",
    ]
    filterset_class = PledgeFilterSet
    list_export = EXPORTED_PLEDGE_COLUMNS
    export_headings = EXPORTED_PLEDGE_HEADINGS
    export_filename = "pledges"
    search_fields = ["guest_email", "public_name", "message"]
    ordering = ["-created_at", "-id"]


class RefundIndexView(StaffActionIndexView):
    """Every refund try, newest first; a failed last try of a pledge still being refunded
    gets "Retry refund"."""

    action_label = gettext_lazy("Retry refund")
    action_url_name = "refund_retry"
    action_icon = "resubmit"

    def get_base_queryset(self):
        later = Refund.objects.filter(pledge=OuterRef("pledge"), sequence__gt=OuterRef("sequence"))
        return (
            super()
            .get_base_queryset()
            .select_related("pledge")
            .annotate(has_later_try=Exists(later))
        )

    def action_applies(self, instance):
        return (
            instance.is_failed
            and not instance.has_later_try
            and instance.pledge.status == Pledge.Status.REFUND_PENDING
        )


class RefundViewSet(LedgerViewSet):
    model = Refund
    icon = "undo"
    menu_label = gettext_lazy("Refunds")
    name = "refunds"
    index_view_class = RefundIndexView
    list_display = [
        "pledge",
        "sequence",
        "amount_display",
        "status",
        "last_error",
        "attempts",
        "idempotency_key",
        "external_id",
        "created_at",
    ]
    list_filter = ["status", "reason", "created_at"]
    search_fields = ["external_id", "idempotency_key", "last_error"]
    ordering = ["-created_at"]


class WebhookEventIndexView(StaffActionIndexView):
    action_label = gettext_lazy("Process again")
    action_url_name = "webhook_event_reprocess"
    action_icon = "resubmit"

    def action_applies(self, instance):
        return instance.processed_at is None


class WebhookEventFilterSet(WagtailFilterSet):
    given_up = django_filters.BooleanFilter(
        label=capfirst(gettext_lazy("given up")),
        field_name="dead_at",
        lookup_expr="isnull",
        exclude=True,
    )

    class Meta:
        model = WebhookEvent
        fields = ["type", "outcome", "received_at"]


class WebhookEventViewSet(LedgerViewSet):
    model = WebhookEvent
    icon = "link-external"
    menu_label = gettext_lazy("Webhook events")
    name = "webhook_events"
    index_view_class = WebhookEventIndexView
    list_display = [
        "stripe_id",
        "type",
        "outcome",
        "flag_reason",
        "received_at",
        "processed_at",
        "attempts",
        "dead_at",
    ]
    filterset_class = WebhookEventFilterSet
    search_fields = ["stripe_id", "type", "flag_reason"]
    ordering = ["-received_at"]


class AuditEntryViewSet(LedgerViewSet):
    model = AuditEntry
    icon = "history"
    menu_label = gettext_lazy("Audit log")
    name = "audit_log"
    list_display = [
        "created_at",
        "actor",
        "actor_label",
        "action",
        "object_type",
        "object_id",
        "from_state",
        "to_state",
        EuroColumn("amount_cents", label=gettext_lazy("Amount")),
    ]
    list_filter = ["action", "object_type", "created_at"]
    list_export = [*list_display[:-1], "amount_cents", "data"]
    export_filename = "audit-log"
    search_fields = ["action", "object_id"]
    ordering = ["-created_at"]


class MoneyViewSetGroup(ViewSetGroup):
    menu_label = gettext_lazy("Money")
    menu_icon = "table"
    items = (PledgeViewSet, RefundViewSet, WebhookEventViewSet, AuditEntryViewSet)


class RefundPledgeView(WagtailAdminTemplateMixin, TemplateView):
    """Confirm, then refund one pledge through the same service the deadline uses."""

    template_name = "campaigns/admin/confirm_refund.html"
    header_icon = "undo"

    def dispatch(self, request, pk):
        if not request.user.has_perm(REFUND_PERMISSION):
            raise PermissionDenied
        self.pledge = get_object_or_404(Pledge.objects.select_related("campaign__page"), pk=pk)
        return super().dispatch(request, pk)

    def get_page_title(self):
        return _("Refund pledge #%(id)s") % {"id": self.pledge.pk}

    def get_context_data(self, **kwargs):
        return super().get_context_data(pledge=self.pledge, **kwargs)

    def post(self, request, pk):
        try:
            pledge_services.request_refund(pledge=self.pledge, actor=request.user, reason="staff")
        except ServiceError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The refund has been started."))
        return redirect("pledges:index")


class RetryRefundView(WagtailAdminTemplateMixin, TemplateView):
    """Confirm, then try a failed refund again: a new try with its own idempotency key."""

    template_name = "campaigns/admin/confirm_refund_retry.html"
    header_icon = "resubmit"

    def dispatch(self, request, pk):
        if not request.user.has_perm(REFUND_PERMISSION):
            raise PermissionDenied
        self.refund = get_object_or_404(
            Refund.objects.select_related("pledge__campaign__page"), pk=pk
        )
        return super().dispatch(request, pk)

    def get_page_title(self):
        return _("Retry the refund of pledge #%(id)s") % {"id": self.refund.pledge_id}

    def get_context_data(self, **kwargs):
        tries = Refund.objects.filter(pledge_id=self.refund.pledge_id).order_by("sequence")
        return super().get_context_data(
            refund=self.refund, pledge=self.refund.pledge, tries=tries, **kwargs
        )

    def post(self, request, pk):
        try:
            retry = refund_services.retry_refund(refund=self.refund, actor=request.user)
        except ServiceError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request, _("Refund try %(n)s has been started.") % {"n": retry.sequence}
            )
        return redirect("refunds:index")


class ReprocessWebhookEventView(WagtailAdminTemplateMixin, TemplateView):
    def dispatch(self, request, pk):
        if not request.user.has_perm(REFUND_PERMISSION):
            raise PermissionDenied
        return super().dispatch(request, pk)

    def get(self, request, pk):
        return redirect("webhook_events:index")

    def post(self, request, pk):
        """Fresh attempts for the event (also a dead one), then queue it."""
        event = get_object_or_404(WebhookEvent, pk=pk)
        if not webhooks.revive_event(event.pk):
            messages.info(request, _("This event was already processed; it changes state once."))
        else:
            enqueue_stripe_event(event.pk)
            messages.success(request, _("The event was queued for processing."))
        return redirect("webhook_events:index")


class CancelCampaignView(WagtailAdminTemplateMixin, FormView):
    """A moderator cancels a live initiative with a reason; its donations are refunded."""

    template_name = "campaigns/admin/confirm_cancel.html"
    form_class = CancelInitiativeForm
    header_icon = "cross"

    def dispatch(self, request, page_id):
        if not is_moderator(request.user):
            raise PermissionDenied
        self.campaign = get_object_or_404(Campaign.objects.select_related("page"), page_id=page_id)
        return super().dispatch(request, page_id)

    def get_page_title(self):
        return _("Cancel “%(title)s”") % {"title": self.campaign.page.title}

    def get_context_data(self, **kwargs):
        return super().get_context_data(campaign=self.campaign, **kwargs)

    def form_valid(self, form):
        try:
            cancel_campaign(
                campaign=self.campaign, user=self.request.user, reason=form.cleaned_data["reason"]
            )
        except ServiceError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        messages.success(
            self.request, _("The initiative is cancelled. Every donation is being refunded.")
        )
        return redirect("wagtailadmin_explore", self.campaign.page.get_parent().pk)


initiative_admin_urlpatterns = [
    path("<int:page_id>/cancel/", CancelCampaignView.as_view(), name="campaign_cancel"),
]

admin_urlpatterns = [
    path("pledges/<int:pk>/refund/", RefundPledgeView.as_view(), name="pledge_refund"),
    path("refunds/<int:pk>/retry/", RetryRefundView.as_view(), name="refund_retry"),
    path(
        "webhook-events/<int:pk>/process/",
        ReprocessWebhookEventView.as_view(),
        name="webhook_event_reprocess",
    ),
]
