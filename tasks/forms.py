from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from campaigns.forms import EuroField
from cms.models import NeighbourhoodPage
from tasks.models import MAX_OFFER_VALUE_CENTS, Offer


class SignUpForm(forms.Form):
    note = forms.CharField(
        label=_("A note for the initiators (optional)"), max_length=500, required=False
    )


class HoursForm(forms.Form):
    hours = forms.DecimalField(
        label=_("Hours"),
        min_value=0,
        max_value=1000,
        max_digits=5,
        decimal_places=1,
        localize=True,
    )


class OfferForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Offer on behalf of"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("Myself"),
    )
    description = forms.CharField(
        label=_("What you offer"),
        max_length=300,
        help_text=_("For example: our back room, or 20 litres of paint."),
    )
    availability = forms.CharField(
        label=_("When is it available?"),
        max_length=200,
        required=False,
        help_text=_("For example: Tuesday evenings."),
    )
    estimated_value = EuroField(
        label=_("Estimated value (€)"),
        min_cents=0,
        max_cents=MAX_OFFER_VALUE_CENTS,
        required=False,
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = user.organisations.order_by("name")

    def clean_estimated_value(self):
        value = self.cleaned_data.get("estimated_value")
        return value or 0

    def offer_details(self):
        """The cleaned data as the keyword arguments of the offer services."""
        data = self.cleaned_data
        return {
            "organisation": data["organisation"],
            "description": data["description"],
            "availability": data["availability"],
            "estimated_value_cents": data["estimated_value"],
        }


class StandingOfferForm(OfferForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=Offer.Kind.choices)
    neighbourhood = forms.ModelChoiceField(
        label=_("Neighbourhood"), queryset=NeighbourhoodPage.objects.none()
    )

    field_order = [
        "kind",
        "neighbourhood",
        "organisation",
        "description",
        "availability",
        "estimated_value",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["neighbourhood"].queryset = NeighbourhoodPage.objects.live().order_by("title")
