"""The public "report abuse" form."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core import limits
from core.forms import LimitedTextField
from core.models import Report


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("What is wrong?"),
        choices=Report.Reason.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose what is wrong, so that a moderator knows what to look for."),
            "invalid_choice": _("Choose one of the reasons in the list."),
        },
    )
    text = LimitedTextField(
        label=_("Anything else a moderator should know? (optional)"),
        max_length=limits.REPORT_TEXT,
        required=False,
        rows=4,
    )
    email = forms.EmailField(
        label=_("Your e-mail address (optional)"),
        required=False,
        help_text=_("Only if a moderator may ask you something. It is never shown publicly."),
        error_messages={"invalid": _("Enter a valid e-mail address, or leave it empty.")},
    )
