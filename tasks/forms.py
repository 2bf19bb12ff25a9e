from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from campaigns.forms import EuroField, InitiativeFormSection
from cms.models import NeighbourhoodPage
from core import limits
from core.forms import TOO_LONG, LimitedTextField, SingleLineCharField
from tasks.models import MAX_OFFER_VALUE_CENTS, MAX_SPACE_CAPACITY, Offer, Task
from tasks.services import save_task_edits, still_needed


class SignUpForm(forms.Form):
    note = forms.CharField(
        label=_("A note for the initiators (optional)"), max_length=500, required=False
    )


class HoursForm(forms.Form):
    """Hours a helper worked; more than twice the task's estimate needs a tick to confirm."""

    hours = forms.DecimalField(
        label=_("Hours"),
        min_value=0,
        max_value=1000,
        max_digits=5,
        decimal_places=1,
        localize=True,
    )
    confirmed = forms.BooleanField(label=_("Yes, this is right"), required=False)


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

    def __init__(self, *args, user, task=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = user.organisations.order_by("name")
        if task is not None and not task.takes_helpers and task.people_needed > 1:
            self.fields["quantity"] = self._quantity_field(task)
            self.order_fields(["organisation", "quantity"])

    @staticmethod
    def _quantity_field(task):
        """How many of what the task needs: at most what is still needed right now (the
        service checks again under the task's lock)."""
        needed = max(still_needed(task), 1)
        if task.unit:
            help_text = _("The task needs %(total)s %(unit)s in all; still needed: %(needed)s.")
        else:
            help_text = _("The task needs %(total)s in all; still needed: %(needed)s.")
        return forms.IntegerField(
            label=_("How many do you offer?"),
            min_value=1,
            max_value=needed,
            initial=1,
            help_text=help_text
            % {"total": task.people_needed, "needed": still_needed(task), "unit": task.unit},
            error_messages={
                "min_value": _("Offer at least 1."),
                "max_value": _(
                    "You can offer at most %(limit_value)s: that is what is still needed."
                ),
                "invalid": _("Enter a whole number, for example 6."),
            },
        )

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
            **({"quantity": data["quantity"]} if "quantity" in data else {}),
        }


class StandingOfferForm(OfferForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=Offer.Kind.choices)
    neighbourhood = forms.ModelChoiceField(
        label=_("Neighbourhood"), queryset=NeighbourhoodPage.objects.none()
    )
    capacity = forms.IntegerField(
        label=_("For a space: how many people fit?"),
        min_value=1,
        max_value=MAX_SPACE_CAPACITY,
        required=False,
    )
    step_free = forms.BooleanField(label=_("Step-free access"), required=False)
    accessible_toilet = forms.BooleanField(label=_("Accessible toilet"), required=False)
    accessibility_notes = LimitedTextField(
        label=_("More about accessibility (optional)"),
        max_length=limits.ACCESSIBILITY_NOTES,
        required=False,
        help_text=_("For example: a ramp at the side door, a hearing loop."),
    )

    field_order = [
        "kind",
        "neighbourhood",
        "organisation",
        "description",
        "availability",
        "estimated_value",
        "capacity",
        "step_free",
        "accessible_toilet",
        "accessibility_notes",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["neighbourhood"].queryset = NeighbourhoodPage.objects.live().order_by("title")

    def offer_details(self):
        data = self.cleaned_data
        return {
            **super().offer_details(),
            "capacity": data["capacity"],
            "step_free": data["step_free"],
            "accessible_toilet": data["accessible_toilet"],
            "accessibility_notes": data["accessibility_notes"],
        }


class RegisterFilterForm(forms.Form):
    """The register's filters, read from the query string; every field may stay empty."""

    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("Everything")), *Offer.Kind.choices], required=False
    )
    available = forms.BooleanField(label=_("Available now"), required=False)
    min_capacity = forms.IntegerField(
        label=_("Space for at least (people)"),
        min_value=1,
        max_value=MAX_SPACE_CAPACITY,
        required=False,
    )
    step_free = forms.BooleanField(label=_("Step-free access"), required=False)
    page = forms.IntegerField(min_value=1, required=False, widget=forms.HiddenInput)

    def filter(self, items):
        """Narrow ``items`` by the valid filters; an invalid one is left out (and shown)."""
        data = getattr(self, "cleaned_data", {})
        if data.get("kind"):
            items = items.filter(kind=data["kind"])
        if data.get("available"):
            items = items.filter(status=Offer.Status.OFFERED)
        if data.get("min_capacity"):
            items = items.filter(kind=Offer.Kind.SPACE, capacity__gte=data["min_capacity"])
        if data.get("step_free"):
            items = items.filter(kind=Offer.Kind.SPACE, step_free=True)
        return items


class RegisterMessageForm(forms.Form):
    body = LimitedTextField(
        label=_("Your message"),
        max_length=limits.REGISTER_MESSAGE,
        rows=5,
        help_text=_("Your e-mail address is not shown; the answer comes through the platform."),
    )


class TaskForm(forms.ModelForm):
    class Meta:
        model = Task
        fields = Task.EDITABLE_FIELDS
        field_classes = {"title": SingleLineCharField, "unit": SingleLineCharField}
        widgets = {
            "description": forms.Textarea(attrs={"rows": 2}),
            "starts_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
            "ends_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
        }
        labels = {"unit": _("Unit (optional)")}
        help_texts = {"starts_at": _("Leave empty for a flexible task.")}
        # Plain words instead of Django's "Ensure this value is greater than or equal to 1".
        error_messages = {
            "title": {
                "required": _("Give the task a title."),
                "max_length": TOO_LONG,
            },
            "kind": {"invalid_choice": _("Choose one of the options in the list.")},
            "description": {"max_length": TOO_LONG},
            "unit": {"max_length": TOO_LONG},
            "place": {"max_length": TOO_LONG},
            "people_needed": {
                "invalid": _("Enter a whole number, for example 3."),
                "min_value": _("Ask for at least 1 person or item."),
                "max_value": _("Ask for at most 500 people or items."),
            },
            "estimated_hours": {
                "invalid": _("Enter a number of hours, for example 2 or 2,5."),
                "min_value": _("The hours cannot be negative."),
                "max_value": _("A task can take at most 1000 hours."),
                "max_digits": _("A task can take at most 1000 hours."),
                "max_whole_digits": _("A task can take at most 1000 hours."),
                "max_decimal_places": _("Give the hours with at most one decimal, e.g. 2,5."),
            },
            "starts_at": {"invalid": _("Enter a date and a time, for example 31-12-2026 14:00.")},
            "ends_at": {"invalid": _("Enter a date and a time, for example 31-12-2026 14:00.")},
        }

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("The time window must end after it starts."))
        if ends and not starts:
            self.add_error(
                "starts_at", _("Give a start time, or leave both empty for a flexible task.")
            )
        return cleaned


class BaseTaskFormSet(forms.BaseModelFormSet):
    default_error_messages = {
        "missing_management_form": _(
            "Part of the form was missing. Reload the page and try again."
        ),
        "too_many_forms": _("An initiative can have at most %(num)d tasks."),
    }


TaskFormSet = forms.modelformset_factory(
    Task,
    form=TaskForm,
    formset=BaseTaskFormSet,
    extra=1,
    can_delete=True,
    max_num=50,
    validate_max=True,
)


class TaskFormSection(InitiativeFormSection):
    """The task list of the initiative form; deleted tasks go through ``delete_task``."""

    context_name = "task_formset"

    def formset(self, data=None, *, page=None, form_kwargs=None):
        tasks = Task.objects.filter(initiative_id=page.pk) if page else Task.objects.none()
        return TaskFormSet(data, prefix="tasks", queryset=tasks, form_kwargs=form_kwargs)

    def save(self, formset, *, initiative, user):
        save_task_edits(initiative=initiative, user=user, formset=formset)
