"""Staff screens for payouts (Money → Payouts, Payout batches) and proofs of spending.

Listings are read-only (``ReadOnlyPolicy``); every change is a button that leads to a
confirmation and then to a service in ``campaigns.services.payouts`` or ``.spending``.
IBANs show masked here (``core.iban.mask_iban``).
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets import HeaderButton, ListingButton

from campaigns.admin_views import LedgerIndexView, LedgerViewSet, ReadOnlyPolicy
from campaigns.models import Payout, PayoutBatch, SpendingProof
from campaigns.permissions import can_approve_payouts, is_moderator
from campaigns.services import ServiceError
from campaigns.services import payouts as payout_services
from campaigns.services import spending as spending_services
from core import limits
from core.forms import LimitedTextField


def _button(label, url_name, pk, icon):
    return ListingButton(label, url=reverse(url_name, args=[pk]), icon_name=icon, priority=5)


class PayoutIndexView(LedgerIndexView):
    def get_base_queryset(self):
        return (
            super()
            .get_base_queryset()
            .select_related(
                "campaign__page", "campaign__payout_account", "first_approver", "second_approver"
            )
        )

    def get_list_buttons(self, instance):
        buttons = super().get_list_buttons(instance)
        if instance.status == Payout.Status.REQUESTED and can_approve_payouts(self.request.user):
            buttons.insert(0, _button(_("Approve"), "payout_approve", instance.pk, "success"))
        return buttons

    @cached_property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        if can_approve_payouts(self.request.user):
            buttons.append(
                HeaderButton(
                    _("Send approved payouts to the bank"),
                    url=reverse("payout_batch_create"),
                    icon_name="download",
                )
            )
        return buttons


class PayoutViewSet(LedgerViewSet):
    model = Payout
    icon = "success"
    menu_label = gettext_lazy("Payouts")
    name = "payouts"
    index_view_class = PayoutIndexView
    list_display = [
        "campaign",
        "amount_display",
        "status",
        "masked_iban",
        "first_approver",
        "second_approver",
        "requested_at",
        "batch",
        "paid_at",
    ]
    list_filter = ["status", "requested_at"]
    ordering = ["-requested_at"]


class PayoutBatchIndexView(LedgerIndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("created_by")

    def get_list_buttons(self, instance):
        buttons = super().get_list_buttons(instance)
        if can_approve_payouts(self.request.user):
            buttons.insert(
                0, _button(_("Download SEPA file"), "payout_batch_file", instance.pk, "download")
            )
            if not instance.is_paid:
                buttons.insert(
                    0, _button(_("Mark paid"), "payout_batch_paid", instance.pk, "success")
                )
        return buttons


class PayoutBatchViewSet(LedgerViewSet):
    model = PayoutBatch
    icon = "download"
    menu_label = gettext_lazy("Payout batches")
    name = "payout_batches"
    index_view_class = PayoutBatchIndexView
    list_display = [
        "message_id",
        "status",
        "payment_count",
        "control_sum_display",
        "created_at",
        "created_by",
        "paid_at",
    ]
    list_filter = ["status", "created_at"]
    ordering = ["-created_at"]


class SpendingProofPolicy(ReadOnlyPolicy):
    """Moderators review accounts of spending: they see the listing without a model
    permission of their own (which would take a data migration for their group)."""

    def user_has_permission(self, user, action):
        if action == "view" and is_moderator(user):
            return True
        return super().user_has_permission(user, action)


class SpendingProofIndexView(LedgerIndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("campaign__page", "approved_by")

    def get_list_buttons(self, instance):
        buttons = super().get_list_buttons(instance)
        if instance.status == SpendingProof.Status.SUBMITTED and is_moderator(self.request.user):
            buttons.insert(0, _button(_("Review"), "spending_review", instance.pk, "search"))
        return buttons


class SpendingProofViewSet(LedgerViewSet):
    model = SpendingProof
    icon = "doc-full"
    menu_label = gettext_lazy("Proofs of spending")
    name = "spending_proofs"
    index_view_class = SpendingProofIndexView
    list_display = ["campaign", "status", "submitted_at", "approved_at", "approved_by"]
    list_filter = ["status", "submitted_at"]
    ordering = ["-submitted_at"]


class StaffView(WagtailAdminTemplateMixin, TemplateView):
    def dispatch(self, request, *args, **kwargs):
        if not can_approve_payouts(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class ApprovePayoutView(StaffView):
    template_name = "campaigns/admin/confirm_payout.html"
    header_icon = "success"

    def dispatch(self, request, pk):
        self.payout = get_object_or_404(
            Payout.objects.select_related("campaign__page", "campaign__payout_account"), pk=pk
        )
        return super().dispatch(request, pk)

    def get_page_title(self):
        return _("Approve the payout of “%(title)s”") % {"title": self.payout.campaign.page.title}

    def get_context_data(self, **kwargs):
        breakdown = payout_services.stored_breakdown(self.payout)
        return super().get_context_data(payout=self.payout, breakdown=breakdown, **kwargs)

    def post(self, request, pk):
        try:
            payout = payout_services.approve_payout(payout=self.payout, user=request.user)
        except ServiceError as error:
            messages.error(request, str(error))
        else:
            if payout.status == Payout.Status.APPROVED:
                messages.success(request, _("The payout is approved."))
            else:
                messages.success(
                    request,
                    _("Your approval is recorded; a second staff member must approve it too."),
                )
        return redirect("payouts:index")


class CreateBatchView(StaffView):
    template_name = "campaigns/admin/confirm_batch.html"
    header_icon = "download"
    page_title = gettext_lazy("Send approved payouts to the bank")

    def get_context_data(self, **kwargs):
        approved = Payout.objects.filter(status=Payout.Status.APPROVED).select_related(
            "campaign__page", "campaign__payout_account"
        )
        return super().get_context_data(approved=approved, **kwargs)

    def post(self, request):
        try:
            batch = payout_services.create_batch(user=request.user)
        except ServiceError as error:
            messages.error(request, str(error))
            return redirect("payouts:index")
        messages.success(
            request,
            _("Batch %(id)s is made: download its file and give it to the bank.")
            % {"id": batch.message_id},
        )
        return redirect("payout_batches:index")


class BatchFileView(StaffView):
    def get(self, request, pk):
        batch = get_object_or_404(PayoutBatch, pk=pk)
        response = HttpResponse(batch.xml, content_type="application/xml")
        response["Content-Disposition"] = f'attachment; filename="{batch.message_id}.xml"'
        return response


class MarkBatchPaidView(StaffView):
    template_name = "campaigns/admin/confirm_batch_paid.html"
    header_icon = "success"

    def dispatch(self, request, pk):
        self.batch = get_object_or_404(PayoutBatch, pk=pk)
        return super().dispatch(request, pk)

    def get_page_title(self):
        return _("Mark batch %(id)s paid") % {"id": self.batch.message_id}

    def get_context_data(self, **kwargs):
        payouts = self.batch.payouts.select_related("campaign__page", "campaign__payout_account")
        return super().get_context_data(batch=self.batch, payouts=payouts, **kwargs)

    def post(self, request, pk):
        try:
            payout_services.mark_batch_paid(batch=self.batch, user=request.user)
        except ServiceError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("The batch and its payouts are marked paid; the initiators get an e-mail."),
            )
        return redirect("payout_batches:index")


class ChangesForm(forms.Form):
    note = LimitedTextField(
        label=gettext_lazy("What should change"), max_length=limits.MODERATOR_NOTE, rows=4
    )


class ReviewSpendingView(WagtailAdminTemplateMixin, FormView):
    template_name = "campaigns/admin/review_spending.html"
    form_class = ChangesForm
    header_icon = "doc-full"

    def dispatch(self, request, pk):
        if not is_moderator(request.user):
            raise PermissionDenied
        self.proof = get_object_or_404(
            SpendingProof.objects.select_related("campaign__page"), pk=pk
        )
        return super().dispatch(request, pk)

    def get_page_title(self):
        return _("Account of spending of “%(title)s”") % {"title": self.proof.campaign.page.title}

    def get_context_data(self, **kwargs):
        receipts = self.proof.receipts.select_related("budget_line")
        payout = Payout.objects.filter(campaign_id=self.proof.campaign_id).first()
        total = sum(receipt.amount_cents for receipt in receipts)
        return super().get_context_data(
            proof=self.proof, receipts=receipts, payout=payout, total=total, **kwargs
        )

    def post(self, request, pk):
        if request.POST.get("decision") == "approve":
            try:
                spending_services.approve_spending(proof=self.proof, user=request.user)
            except ServiceError as error:
                messages.error(request, str(error))
            else:
                messages.success(
                    request, _("The account of spending is approved; the initiative is realised.")
                )
            return redirect("spending_proofs:index")
        return super().post(request, pk)

    def form_valid(self, form):
        try:
            spending_services.request_spending_changes(
                proof=self.proof, user=self.request.user, note=form.cleaned_data["note"]
            )
        except ServiceError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        messages.success(self.request, _("The initiators are asked for changes."))
        return redirect("spending_proofs:index")


payout_admin_urlpatterns = [
    path("payouts/<int:pk>/approve/", ApprovePayoutView.as_view(), name="payout_approve"),
    path("payout-batches/new/", CreateBatchView.as_view(), name="payout_batch_create"),
    path("payout-batches/<int:pk>/file/", BatchFileView.as_view(), name="payout_batch_file"),
    path("payout-batches/<int:pk>/paid/", MarkBatchPaidView.as_view(), name="payout_batch_paid"),
    path("spending/<int:pk>/review/", ReviewSpendingView.as_view(), name="spending_review"),
]
