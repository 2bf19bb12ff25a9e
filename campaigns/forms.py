import re
from datetime import timedelta
from decimal import Decimal, InvalidOperation

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from campaigns.models import BudgetLine, Category, FundingModel
from cms.models import NeighbourhoodPage
from cms.money import format_money
from core import limits
from core.forms import ImageUploadField, LimitedTextField, SingleLineCharField

RULES = settings.WIJKKAPITAAL


def euros_to_cents(value):
    return int((value * 100).to_integral_value())


THOUSANDS_GROUP = re.compile(r"^\d{1,3}(\.\d{3})+$")


def normalise_amount(text):
    """Read an amount as people type it: ``12,50``, ``12.50``, ``1.234,56`` or ``5.000``.

    A comma is always the decimal separator. Dots are thousands separators when a comma
    follows them, when there are several, or when Dutch is spoken and exactly three digits
    follow (``5.000`` is five thousand euros in Dutch); otherwise a dot is a decimal point.
    """
    value = text.strip().replace("€", "").replace(" ", "").replace("\u00a0", "")
    if "," in value:
        return value.replace(".", "").replace(",", ".", 1) if value.count(",") == 1 else value
    if value.count(".") > 1 or (
        THOUSANDS_GROUP.match(value) and (get_language() or "nl").startswith("nl")
    ):
        return value.replace(".", "")
    return value


class EuroField(forms.DecimalField):
    """An amount typed in euros (``12,50`` or ``12.50``), cleaned to integer cents."""

    default_error_messages = {
        "invalid": _("Enter an amount in euros, for example 250 or 12,50."),
        "max_decimal_places": _("An amount has at most two decimals (cents)."),
    }

    def __init__(self, *, min_cents=1, max_cents=None, **kwargs):
        self.min_cents = min_cents
        self.max_cents = max_cents
        kwargs.setdefault("max_digits", 12)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("localize", True)
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("inputmode", "decimal")

    def to_python(self, value):
        if isinstance(value, str):
            value = normalise_amount(value)
        try:
            return super().to_python(value)
        except InvalidOperation as error:  # pragma: no cover - DecimalField maps these already
            raise ValidationError(self.error_messages["invalid"], code="invalid") from error

    def clean(self, value):
        amount = super().clean(value)
        if amount is None:
            return None
        cents = euros_to_cents(Decimal(amount))
        if cents < 0 or (cents == 0 and self.min_cents > 0):
            raise ValidationError(_("The amount must be more than zero."), code="min_value")
        if cents < self.min_cents:
            raise ValidationError(
                _("The amount must be at least %(min)s.") % {"min": _euros(self.min_cents)},
                code="min_value",
            )
        if self.max_cents is not None and cents > self.max_cents:
            raise ValidationError(
                _("The amount can be at most %(max)s.") % {"max": _euros(self.max_cents)},
                code="max_value",
            )
        return cents


def _euros(cents):
    return format_money(cents)


class InitiativeForm(forms.Form):
    title = SingleLineCharField(label=_("Title"), max_length=limits.INITIATIVE_TITLE)
    summary = forms.CharField(
        label=_("Summary"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One or two sentences shown on cards and in search results."),
    )
    story = LimitedTextField(
        label=_("Story"),
        max_length=limits.INITIATIVE_STORY,
        rows=10,
        help_text=_("What is the plan, who is behind it, and what will the neighbourhood gain?"),
    )
    cover_image = ImageUploadField(
        label=_("Cover image"),
        required=False,
        help_text=_("A JPEG, PNG, GIF or WebP picture of at most 10 MB."),
    )
    neighbourhood = forms.ModelChoiceField(
        label=_("Neighbourhood"),
        queryset=NeighbourhoodPage.objects.none(),
        empty_label=_("Choose a neighbourhood"),
    )
    category = forms.ChoiceField(label=_("Category"), choices=[("", "—")] + Category.choices)
    location = forms.CharField(label=_("Location"), max_length=200, required=False)
    goal = EuroField(
        label=_("Funding goal (€)"),
        min_cents=1_00,
        max_cents=RULES["MAX_GOAL_CENTS"],
    )
    deadline = forms.DateField(
        label=_("Deadline"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Between 2 and 90 days from today."),
    )
    funding_model = forms.ChoiceField(
        label=_("Funding model"),
        choices=FundingModel.choices,
        initial=FundingModel.ALL_OR_NOTHING,
        widget=forms.RadioSelect,
        help_text=_(
            "All or nothing: donations are refunded if the goal is not reached. "
            "Keep what you raise: the initiative keeps whatever was given."
        ),
    )

    # Optional English title and summary, shown under /en/ (the page itself stays Dutch).
    title_en = SingleLineCharField(
        label=_("Title in English"),
        max_length=limits.INITIATIVE_TITLE,
        required=False,
        widget=forms.TextInput(attrs={"lang": "en"}),
    )
    summary_en = LimitedTextField(
        label=_("Summary in English"),
        max_length=limits.INITIATIVE_SUMMARY,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "lang": "en"}),
        help_text=_("Optional. Shown to visitors who read the site in English."),
    )

    def __init__(self, *args, require_image=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["neighbourhood"].queryset = NeighbourhoodPage.objects.live().order_by("title")
        self.fields["cover_image"].required = require_image

    def clean_goal(self):
        goal = self.cleaned_data["goal"]
        if goal is not None and goal <= 0:
            raise ValidationError(_("The funding goal must be more than zero."))
        return goal

    def clean_deadline(self):
        deadline = self.cleaned_data["deadline"]
        today = timezone.localdate()
        earliest = today + timedelta(days=RULES["MIN_DEADLINE_DAYS"])
        latest = today + timedelta(days=RULES["MAX_DEADLINE_DAYS"])
        if deadline < today:
            raise ValidationError(
                _("The deadline is in the past. Choose a date 2 to 90 days ahead.")
            )
        if deadline < earliest:
            raise ValidationError(_("The deadline must be at least 2 days from today."))
        if deadline > latest:
            raise ValidationError(_("The deadline can be at most 90 days from today."))
        return deadline


class BudgetLineForm(forms.Form):
    description = SingleLineCharField(label=_("What for"), max_length=200)
    amount = EuroField(label=_("Amount (€)"), min_cents=1, max_cents=RULES["MAX_GOAL_CENTS"])


class BaseBudgetLineFormSet(forms.BaseFormSet):
    def clean(self):
        super().clean()
        if any(self.errors):
            return
        lines = [
            f.cleaned_data for f in self.forms if f.cleaned_data and not self._should_delete_form(f)
        ]
        if not lines:
            raise ValidationError(_("Add at least one budget line."))

    def budget_lines(self):
        return [
            BudgetLine(description=data["description"], amount_cents=data["amount"], sort_order=i)
            for i, data in enumerate(
                f.cleaned_data
                for f in self.forms
                if f.cleaned_data and not self._should_delete_form(f)
            )
        ]

    def total_cents(self):
        return sum(line.amount_cents for line in self.budget_lines())


BudgetLineFormSet = forms.formset_factory(
    BudgetLineForm,
    formset=BaseBudgetLineFormSet,
    extra=1,
    min_num=1,
    max_num=50,
    validate_min=True,
    validate_max=True,
    can_delete=True,
)


class InitiativeFormSection:
    """A part of the initiative form that a higher app adds (the task list, say).

    Registered from ``AppConfig.ready`` with :func:`register_initiative_form_section`,
    so that this app shows and saves it without importing the app that owns it.
    ``context_name`` names the formset in the template's context.
    """

    context_name = ""

    def formset(self, data=None, *, page=None):
        """The formset, bound to ``data`` when given; ``page`` is None for a new initiative."""
        raise NotImplementedError

    def save(self, formset, *, initiative, user):
        """Store a valid formset, inside the view's transaction."""
        raise NotImplementedError


_SECTIONS = []


def register_initiative_form_section(section):
    _SECTIONS[:] = [s for s in _SECTIONS if s.context_name != section.context_name]
    _SECTIONS.append(section)


def initiative_form_sections():
    return tuple(_SECTIONS)


class CancelInitiativeForm(forms.Form):
    """The confirmation step before an initiative is cancelled and its donations refunded."""

    reason = forms.CharField(
        label=_("Why is the initiative cancelled?"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Shown on the initiative page and sent to donors, helpers and followers."),
        error_messages={"required": _("Give a reason: supporters will read it.")},
    )
    confirm = forms.BooleanField(
        label=_("I understand that every donation is refunded and this cannot be undone."),
        error_messages={"required": _("Tick the box to confirm the cancellation.")},
    )

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise ValidationError(_("Give a reason: supporters will read it."), code="required")
        return reason
