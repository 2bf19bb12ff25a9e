"""Forms of the fund dashboard and of an initiative's application to a programme."""

from math import gcd

from django import forms
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from campaigns.forms import EuroField
from campaigns.models import Category, FundingProgramme
from cms.models import CityPage, NeighbourhoodPage
from core import limits
from core.forms import LimitedTextField, SingleLineCharField


def ratio_from_cents(cents_per_euro):
    """€0.50 per €1 is 50/100, stored reduced as 1/2."""
    divisor = gcd(cents_per_euro, 100) or 1
    return cents_per_euro // divisor, 100 // divisor


class ProgrammeForm(forms.Form):
    name = SingleLineCharField(label=_("Name"), max_length=120)
    description = LimitedTextField(
        label=_("Description"), max_length=limits.ORGANISATION_DESCRIPTION, required=False
    )
    budget = EuroField(label=_("Total budget"), min_cents=100)
    match_per_euro = EuroField(
        label=_("Match per euro donated"),
        min_cents=1,
        max_cents=10_00,
        help_text=_("1 doubles every donation; 0,50 adds fifty cents to every euro."),
    )
    cap_per_initiative = EuroField(label=_("Most per initiative"), min_cents=100)
    places = forms.ModelMultipleChoiceField(
        label=_("Cities and neighbourhoods"),
        queryset=Page.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave empty for initiatives everywhere."),
    )
    categories = forms.MultipleChoiceField(
        label=_("Categories"),
        choices=Category.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave empty for every category."),
    )
    min_goal = EuroField(label=_("Smallest goal"), required=False, min_cents=0)
    max_goal = EuroField(label=_("Largest goal"), required=False, min_cents=0)
    min_donors = forms.IntegerField(
        label=_("Distinct donors before matching starts"), min_value=0, initial=0
    )
    opens_on = forms.DateField(label=_("Open from"), widget=forms.DateInput(attrs={"type": "date"}))
    closes_on = forms.DateField(
        label=_("Open until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    join_mode = forms.ChoiceField(
        label=_("How initiatives join"), choices=FundingProgramme.JoinMode.choices
    )
    counts_toward_goal = forms.BooleanField(
        label=_("Matched money counts toward the goal"), required=False, initial=True
    )
    priority = forms.IntegerField(
        label=_("Order"),
        min_value=0,
        max_value=32_000,
        initial=100,
        help_text=_("Programmes match in this order, lowest first."),
    )

    def __init__(self, *args, instance=None, **kwargs):
        self.instance = instance
        if instance is not None and instance.pk:
            kwargs.setdefault("initial", self.initial_from(instance))
        super().__init__(*args, **kwargs)
        self.fields["places"].queryset = Page.objects.type(CityPage, NeighbourhoodPage).order_by(
            "path"
        )

    @staticmethod
    def initial_from(programme):
        return {
            "name": programme.name,
            "description": programme.description,
            "budget": programme.budget_cents / 100,
            "match_per_euro": programme.match_for(100) / 100,
            "cap_per_initiative": programme.cap_per_initiative_cents / 100,
            "places": list(programme.places.all()),
            "categories": programme.categories,
            "min_goal": (programme.min_goal_cents or 0) / 100 or None,
            "max_goal": (programme.max_goal_cents or 0) / 100 or None,
            "min_donors": programme.min_donors,
            "opens_on": programme.opens_on,
            "closes_on": programme.closes_on,
            "join_mode": programme.join_mode,
            "counts_toward_goal": programme.counts_toward_goal,
            "priority": programme.priority,
        }

    def clean(self):
        data = super().clean()
        if data.get("min_goal") and data.get("max_goal") and data["min_goal"] > data["max_goal"]:
            self.add_error("max_goal", _("The largest goal must be at least the smallest goal."))
        if data.get("opens_on") and data.get("closes_on") and data["closes_on"] < data["opens_on"]:
            self.add_error("closes_on", _("A programme cannot close before it opens."))
        return data

    def apply_to(self, programme):
        """Copy the cleaned data onto a programme (saved later by the service)."""
        data = self.cleaned_data
        programme.name = data["name"]
        if not programme.slug:
            base = slugify(data["name"])[:120] or "programma"
            slug, n = base, 1
            while FundingProgramme.objects.filter(slug=slug).exists():
                n += 1
                slug = f"{base}-{n}"
            programme.slug = slug
        programme.description = data["description"]
        programme.budget_cents = data["budget"]
        programme.match_numerator, programme.match_denominator = ratio_from_cents(
            data["match_per_euro"]
        )
        programme.cap_per_initiative_cents = data["cap_per_initiative"]
        programme.categories = list(data["categories"])
        programme.min_goal_cents = data["min_goal"] or None
        programme.max_goal_cents = data["max_goal"] or None
        programme.min_donors = data["min_donors"]
        programme.opens_on = data["opens_on"]
        programme.closes_on = data["closes_on"]
        programme.join_mode = data["join_mode"]
        programme.counts_toward_goal = data["counts_toward_goal"]
        programme.priority = data["priority"]
        return programme


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("approve", _("Approve")), ("decline", _("Decline"))],
        error_messages={"required": _("Choose to approve or decline.")},
    )
    note = LimitedTextField(
        label=_("Note to the initiators"), max_length=limits.MODERATOR_NOTE, required=False, rows=3
    )


class ApplicationForm(forms.Form):
    programme = forms.ModelChoiceField(
        label=_("Programme"),
        queryset=FundingProgramme.objects.none(),
        empty_label=None,
        error_messages={"invalid_choice": _("Choose one of the open programmes.")},
    )
    motivation = LimitedTextField(
        label=_("Why this programme fits your initiative"),
        max_length=limits.MODERATOR_NOTE,
        required=False,
        rows=4,
    )

    def __init__(self, *args, programmes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = FundingProgramme.objects.filter(
            pk__in=[programme.pk for programme in programmes]
        ).in_match_order()
