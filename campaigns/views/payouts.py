"""The initiators' payout screen: the bank account, the amount and its parts, the status.

The only place the full IBAN is shown, and only to the initiators who entered it.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from campaigns.models import Campaign, Payout, PayoutAccount
from campaigns.permissions import is_initiator
from campaigns.services import ServiceError
from campaigns.services import payouts as payout_services
from core.forms import SingleLineCharField
from core.iban import compact_iban, validate_kvk_number, validate_sepa_iban
from core.ratelimits import rate_limited


class PayoutAccountForm(forms.Form):
    iban = forms.CharField(
        label=gettext_lazy("IBAN"), max_length=42, validators=[validate_sepa_iban]
    )
    holder_name = SingleLineCharField(label=gettext_lazy("Account holder"), max_length=70)
    holder_kind = forms.ChoiceField(
        label=gettext_lazy("The account holder is"),
        choices=PayoutAccount.HolderKind.choices,
        widget=forms.RadioSelect,
    )
    kvk_number = forms.CharField(
        label=gettext_lazy("KvK number (for a foundation or association)"),
        required=False,
        max_length=8,
        validators=[validate_kvk_number],
    )

    def clean_iban(self):
        return compact_iban(self.cleaned_data["iban"])

    def clean(self):
        data = super().clean()
        organisation = data.get("holder_kind") == PayoutAccount.HolderKind.ORGANISATION
        if organisation and not data.get("kvk_number") and "kvk_number" not in self.errors:
            self.add_error(
                "kvk_number",
                _("A foundation or association needs its KvK number (8 digits)."),
            )
        return data


def _initiators_campaign(request, page_id):
    campaign = get_object_or_404(
        Campaign.objects.select_related("page"), page_id=page_id, page__live=True
    )
    if not is_initiator(request.user, campaign):
        raise PermissionDenied(_("Only the initiators can see and change the payout."))
    return campaign


@login_required
@rate_limited("edits")
def payout(request, page_id):
    campaign = _initiators_campaign(request, page_id)
    account = PayoutAccount.objects.filter(campaign=campaign).first()
    existing = Payout.objects.filter(campaign=campaign).first()
    can_edit = campaign.status == Campaign.Status.SUCCEEDED and (
        existing is None or existing.status == Payout.Status.REQUESTED
    )
    initial = {}
    if account is not None:
        initial = {
            "iban": account.iban,
            "holder_name": account.holder_name,
            "holder_kind": account.holder_kind,
            "kvk_number": account.kvk_number,
        }
    form = PayoutAccountForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if not can_edit:
            form.add_error(None, _("The bank account cannot be changed at this stage."))
        elif form.is_valid():
            try:
                payout_services.save_payout_account(
                    campaign=campaign, user=request.user, **form.cleaned_data
                )
                if existing is None:
                    payout_services.request_payout(campaign=campaign, user=request.user)
            except ServiceError as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request,
                    _("Thank you. The payout is requested; we check it and let you know."),
                )
                return redirect("campaigns:payout", page_id)
    breakdown = (
        payout_services.stored_breakdown(existing)
        if existing is not None
        else payout_services.payout_breakdown(campaign)
    )
    context = {
        "campaign": campaign,
        "page": campaign.page,
        "payout": existing,
        "account": account,
        "breakdown": breakdown,
        "form": form,
        "can_edit": can_edit,
    }
    return render(request, "campaigns/payout.html", context, status=status)
