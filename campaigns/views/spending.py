"""Proof of spending: the initiators' receipts screen, and the private receipt files."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET
from PIL import Image

from campaigns.forms import EuroField
from campaigns.models import BudgetLine, Campaign, Payout, Receipt, SpendingProof
from campaigns.permissions import can_see_receipts, is_initiator
from campaigns.services import ServiceError
from campaigns.services import spending as spending_services
from core.forms import ImageUploadField, SingleLineCharField
from core.ratelimits import rate_limited

PDF = "application/pdf"
IMAGE_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}


class ReceiptFileField(forms.FileField):
    """A receipt: a PDF or a JPEG, PNG or WebP image, recognised by its content, not its
    name; images also pass ``ImageUploadField``'s pixel limit. ``content_type`` is set on
    the cleaned file."""

    def clean(self, data, initial=None):
        data = super().clean(data, initial)
        if not data:
            return data
        limit = settings.MAX_RECEIPT_BYTES
        if data.size > limit:
            raise ValidationError(
                _("The receipt is larger than %(size)s MB. Choose a smaller file.")
                % {"size": limit // (1024 * 1024)},
                code="file_too_large",
            )
        data.seek(0)
        head = data.read(5)
        data.seek(0)
        if head == b"%PDF-":
            data.content_type = PDF
            return data
        try:
            ImageUploadField(required=True).clean(data)
        except ValidationError as error:
            if error.code == "invalid_image":
                raise ValidationError(self.wrong_type_message(), code="wrong_type") from None
            raise
        data.seek(0)
        with Image.open(data) as image:
            image_format = image.format
        data.seek(0)
        if image_format not in IMAGE_TYPES:
            raise ValidationError(self.wrong_type_message(), code="wrong_type")
        data.content_type = IMAGE_TYPES[image_format]
        return data

    @staticmethod
    def wrong_type_message():
        return _("A receipt must be a PDF or a picture (JPEG, PNG or WebP).")


class ReceiptForm(forms.Form):
    budget_line = forms.ModelChoiceField(
        label=gettext_lazy("Budget line"), queryset=BudgetLine.objects.none()
    )
    description = SingleLineCharField(label=gettext_lazy("What was bought"), max_length=200)
    amount = EuroField(label=gettext_lazy("Amount (€)"), min_cents=1, max_cents=250_000_00)
    file = ReceiptFileField(label=gettext_lazy("Receipt (PDF or picture)"))

    def __init__(self, *args, page, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["budget_line"].queryset = page.budget_lines.all()


@login_required
@rate_limited("edits")
def spending(request, page_id):
    campaign = get_object_or_404(
        Campaign.objects.select_related("page"), page_id=page_id, page__live=True
    )
    if not is_initiator(request.user, campaign):
        raise PermissionDenied(_("Only the initiators can account for the spending."))
    proof = SpendingProof.objects.filter(campaign=campaign).first()
    paid = Payout.objects.filter(campaign=campaign, status=Payout.Status.PAID).exists()
    action = request.POST.get("action", "add")
    form = ReceiptForm(
        request.POST if action == "add" else None,
        request.FILES if action == "add" else None,
        page=campaign.page,
    )
    status = 200
    if request.method == "POST":
        status = 400
        try:
            if action == "submit":
                spending_services.submit_spending(campaign=campaign, user=request.user)
                messages.success(request, _("Thank you. A moderator checks the receipts."))
                return redirect("campaigns:spending", page_id)
            if action == "remove":
                receipt = get_object_or_404(
                    Receipt, pk=request.POST.get("receipt"), proof__campaign=campaign
                )
                spending_services.remove_receipt(receipt=receipt, user=request.user)
                return redirect("campaigns:spending", page_id)
            if form.is_valid():
                data = form.cleaned_data
                spending_services.add_receipt(
                    campaign=campaign,
                    user=request.user,
                    budget_line=data["budget_line"],
                    description=data["description"],
                    amount_cents=data["amount"],
                    file=data["file"],
                    content_type=data["file"].content_type,
                )
                messages.success(request, _("The receipt is added."))
                return redirect("campaigns:spending", page_id)
        except ServiceError as error:
            form.add_error(None, str(error))
    receipts = proof.receipts.select_related("budget_line") if proof else []
    context = {
        "campaign": campaign,
        "page": campaign.page,
        "proof": proof,
        "receipts": receipts,
        "form": form,
        "paid": paid,
        "can_edit": paid and (proof is None or proof.status == SpendingProof.Status.OPEN),
    }
    return render(request, "campaigns/spending.html", context, status=status)


@login_required
@require_GET
def receipt_file(request, receipt_id):
    """Serve one receipt to whoever may see it; to anyone else it does not exist."""
    receipt = get_object_or_404(Receipt.objects.select_related("proof__campaign"), pk=receipt_id)
    if not can_see_receipts(request.user, receipt.proof.campaign):
        raise Http404
    response = FileResponse(
        receipt.file.open("rb"),
        content_type=receipt.content_type,
        as_attachment=True,
        filename=f"receipt-{receipt.pk}.{receipt.file.name.rsplit('.', 1)[-1]}",
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
