from django import forms
from django.utils.translation import gettext_lazy as _

from campaigns.forms import EuroField
from campaigns.services.pledges import MIN_DONATION_CENTS, max_donation_cents
from core.forms import SingleLineCharField


class DonationForm(forms.Form):
    amount = EuroField(label=_("Amount (€)"), min_cents=MIN_DONATION_CENTS)
    email = forms.EmailField(
        label=_("Your e-mail address"),
        required=False,
        help_text=_("For your receipt. It is never shown on the page."),
    )
    public_name = SingleLineCharField(
        label=_("Name shown with your donation"), max_length=80, required=False
    )
    is_anonymous = forms.BooleanField(label=_("Donate anonymously"), required=False)
    wants_updates = forms.BooleanField(
        label=_("Send me news about this initiative by e-mail"),
        required=False,
        initial=False,
        help_text=_("Optional. You can stop them with the link in every e-mail."),
    )
    message = forms.CharField(
        label=_("A message for the initiators (optional)"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["amount"].max_cents = max_donation_cents()
        if user is not None and user.is_authenticated:
            del self.fields["email"]
            del self.fields["wants_updates"]  # people with an account set their preferences
            self.fields["public_name"].initial = user.public_name
        else:
            self.fields["email"].required = True

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("is_anonymous") and not (cleaned.get("public_name") or "").strip():
            self.add_error(
                "public_name", _("Give a name to show, or choose to donate anonymously.")
            )
        return cleaned
