from datetime import timedelta
from decimal import Decimal, InvalidOperation

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from campaigns.cover_uploads import CoverForm
from campaigns.models import BudgetLine, Category, FundingModel
from cms.models import NeighbourhoodPage
from cms.money import format_money
from core import limits
from core.forms import TOO_LONG, LimitedTextField, SingleLineCharField
from core.money import euros_to_cents, normalise_amount

RULES = settings.WIJKKAPITAAL


class EuroField(forms.DecimalField):
    """An amount typed in euros (``12,50`` or ``12.50``), cleaned to integer cents."""

    default_error_messages = {
        "invalid": _("Enter an amount in euros, for example 250 or 12,50."),
        "max_decimal_places": _("An amount has at most two decimals (cents)."),
    }

    def __init__(self, *, min_cents=1, max_cents=None, too_large=None, **kwargs):
        self.min_cents = min_cents
        self.max_cents = max_cents
        self.too_large = too_large or _("The amount can be at most %(max)s.")
        kwargs.setdefault("max_digits", 12)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("localize", True)
        super().__init__(**kwargs)
        # Django's "no more than 10 digits before the decimal point" says nothing to
        # someone typing an amount: name the maximum in euros instead.
        too_large = self._too_large_message()
        self.error_messages["max_digits"] = too_large
        self.error_messages["max_whole_digits"] = too_large
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
            raise ValidationError(self._too_large_message(), code="max_value")
        return cents

    def _too_large_message(self):
        if self.max_cents is None:
            return _("This amount is too large.")
        return format_lazy_amount(self.too_large, self.max_cents)


def format_lazy_amount(message, cents):
    """``message % {"max": <cents in euros>}``, translated when it is shown, not before."""
    return lazy(lambda: str(message) % {"max": _euros(cents)}, str)()


def _euros(cents):
    return format_money(cents)


CHOOSE_FROM_LIST = _("Choose one of the options in the list.")


class InitiativeForm(CoverForm):
    # The cover fields come from CoverForm; they stay after the story, as on the page.
    field_order = ["title", "summary", "story"]

    title = SingleLineCharField(label=_("Title"), max_length=limits.INITIATIVE_TITLE)
    summary = forms.CharField(
        label=_("Summary"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One or two sentences shown on cards and in search results."),
        error_messages={"max_length": TOO_LONG},
    )
    story = LimitedTextField(
        label=_("Story"),
        max_length=limits.INITIATIVE_STORY,
        rows=10,
        help_text=_("What is the plan, who is behind it, and what will the neighbourhood gain?"),
    )
    neighbourhood = forms.ModelChoiceField(
        label=_("Neighbourhood"),
        queryset=NeighbourhoodPage.objects.none(),
        empty_label=_("Choose a neighbourhood"),
        error_messages={"invalid_choice": _("Choose a neighbourhood from the list.")},
    )
    category = forms.ChoiceField(
        label=_("Category"),
        choices=[("", "—")] + Category.choices,
        error_messages={"invalid_choice": CHOOSE_FROM_LIST},
    )
    location = forms.CharField(
        label=_("Location"),
        max_length=200,
        required=False,
        error_messages={"max_length": TOO_LONG},
    )
    goal = EuroField(
        label=_("Funding goal (€)"),
        min_cents=1_00,
        max_cents=RULES["MAX_GOAL_CENTS"],
        too_large=_("The funding goal can be at most %(max)s."),
    )
    stretch_goal = EuroField(
        label=_("Stretch goal (€, optional)"),
        required=False,
        min_cents=1_00,
        max_cents=RULES["MAX_GOAL_CENTS"],
        too_large=_("The stretch goal can be at most %(max)s."),
        help_text=_(
            "What more you would do if donations pass the goal. It must be higher than the "
            "funding goal."
        ),
    )
    deadline = forms.DateField(
        label=_("Deadline"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Between 2 and 90 days from today."),
        error_messages={
            "invalid": _("Enter the date as day, month and year, for example 31-12-2026.")
        },
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
        error_messages={"invalid_choice": CHOOSE_FROM_LIST},
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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["neighbourhood"].queryset = NeighbourhoodPage.objects.live().order_by("title")

    def clean_stretch_goal(self):
        stretch = self.cleaned_data.get("stretch_goal")
        goal = self.cleaned_data.get("goal")
        if stretch is not None and goal is not None and stretch <= goal:
            raise ValidationError(
                _("The stretch goal must be higher than the funding goal (%(goal)s).")
                % {"goal": _euros(goal)},
                code="stretch_too_low",
            )
        return stretch

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
    description = SingleLineCharField(
        label=_("What for"),
        max_length=200,
        error_messages={"required": _("Say what this amount is for.")},
    )
    amount = EuroField(
        label=_("Amount (€)"),
        min_cents=1,
        max_cents=RULES["MAX_GOAL_CENTS"],
        too_large=_("A budget line can be at most %(max)s."),
        error_messages={"required": _("Give the amount in euros.")},
    )


FORMSET_TAMPERED = _("Part of the form was missing. Reload the page and try again.")


class BaseBudgetLineFormSet(forms.BaseFormSet):
    """Budget lines; Django's formset messages ("Please submit at least 1 form") replaced."""

    default_error_messages = {
        "missing_management_form": FORMSET_TAMPERED,
        "too_few_forms": _("Add at least one budget line: say what the money is for."),
        "too_many_forms": _("An initiative can have at most %(num)d budget lines."),
    }

    # The funding goal the lines must add up to; the view sets it once the goal is valid.
    goal_cents = None

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        lines = [
            f.cleaned_data
            for f in self.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]
        if not lines:
            raise ValidationError(self.error_messages["too_few_forms"], code="too_few_forms")
        if self.goal_cents is not None and self.total_cents() != self.goal_cents:
            raise ValidationError(self.total_mismatch_message(), code="total_mismatch")

    def total_mismatch_message(self):
        return _(
            "The budget lines add up to %(total)s, but the funding goal is %(goal)s. "
            "Make them equal."
        ) % {"total": _euros(self.total_cents()), "goal": _euros(self.goal_cents)}

    def budget_lines(self):
        return [
            BudgetLine(description=data["description"], amount_cents=data["amount"], sort_order=i)
            for i, data in enumerate(
                f.cleaned_data
                for f in self.forms
                if f.cleaned_data and not f.cleaned_data.get("DELETE")
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

    def formset(self, data=None, *, page=None, form_kwargs=None):
        """The formset, bound to ``data`` when given; ``page`` is None for a new initiative.

        ``form_kwargs`` go to each of its forms (a ``renderer``, say).
        """
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
